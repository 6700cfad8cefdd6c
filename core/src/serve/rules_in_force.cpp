#include "rules_in_force.hpp"

#include <casedoc/plugin_api/casedoc_date.hpp>

namespace casedoc {

nlohmann::ordered_json describe_rules(const plugin& p, const schema_catalog& catalog, validator& v) {
    nlohmann::ordered_json schemas = nlohmann::ordered_json::array();
    for (const schema_metadata& m : catalog.schemas_for(p.id)) {
        nlohmann::ordered_json rules = nlohmann::ordered_json::array();
        for (const rule_info& r : v.schema_rules(m.file, p))
            rules.push_back({{"rule_id", r.id}, {"severity", to_string(r.level)}, {"citation", r.citation},
                             {"title", r.title}, {"kind", r.kind}});
        schemas.push_back({{"version", m.version},
                           {"title", m.title},
                           {"document_types", m.document_types},
                           {"effective_from", m.effective_from ? format_date(*m.effective_from) : std::string()},
                           {"effective_to", m.effective_to ? format_date(*m.effective_to) : std::string()},
                           {"rules", std::move(rules)}});
    }
    nlohmann::ordered_json native = nlohmann::ordered_json::array();
    for (const check_info& c : p.checks)
        native.push_back({{"rule_id", c.rule_id}, {"severity", to_string(c.level)}, {"citation", c.citation},
                          {"title", c.title}, {"document_types", c.document_types}});
    return {{"setting", p.id}, {"name", p.name}, {"schemas", std::move(schemas)}, {"native_checks", std::move(native)}};
}

} // namespace casedoc
