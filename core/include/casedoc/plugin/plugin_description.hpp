// What a loaded plugin offers, as JSON (`casedoc plugins --format json`, the service's GET /v1/plugins):
// id, name, version, file, document types, native checks, exports and the schema versions in the catalog.
#ifndef CASEDOC_PLUGIN_PLUGIN_DESCRIPTION_HPP
#define CASEDOC_PLUGIN_PLUGIN_DESCRIPTION_HPP

#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>

#include <nlohmann/json.hpp>

namespace casedoc {

nlohmann::ordered_json describe_plugin(const plugin& p, const schema_catalog& catalog);

} // namespace casedoc

#endif
