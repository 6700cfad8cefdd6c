// GET /v1/rules: what is checked, setting by setting: each schema version of the setting (its dates and
// document types) with its rules (id, severity, citation, title), and the plugin's native checks, which are in
// force with every version. The page a new worker reads to learn what is checked (docs/service.md).
#ifndef CASEDOC_SERVE_RULES_IN_FORCE_HPP
#define CASEDOC_SERVE_RULES_IN_FORCE_HPP

#include <casedoc/check/validator.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>

#include <nlohmann/json.hpp>

namespace casedoc {

// The rules of plugin p's setting, from the schemas as `v` compiled them. Throws casedoc::error when a schema
// does not compile (a service's set is compiled whole when it is loaded, so it does not).
nlohmann::ordered_json describe_rules(const plugin& p, const schema_catalog& catalog, validator& v);

} // namespace casedoc

#endif
