#include <casedoc/plugin/plugin_description.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>

namespace casedoc {

nlohmann::ordered_json describe_plugin(const plugin& p, const schema_catalog& catalog) {
    nlohmann::ordered_json schemas = nlohmann::ordered_json::array();
    for (const auto& m : catalog.schemas_for(p.id)) {
        nlohmann::ordered_json s;
        s["file"] = m.file;
        s["version"] = m.version;
        s["document_types"] = m.document_types;
        s["effective_from"] = m.effective_from ? format_date(*m.effective_from) : std::string();
        s["effective_to"] = m.effective_to ? format_date(*m.effective_to) : std::string();
        schemas.push_back(std::move(s));
    }
    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    for (const auto& c : p.checks)
        checks.push_back({{"rule_id", c.rule_id}, {"severity", to_string(c.level)}, {"citation", c.citation},
                          {"title", c.title}});
    nlohmann::ordered_json exports = nlohmann::ordered_json::array();
    for (const auto& x : p.exports)
        exports.push_back({{"name", p.id + ":" + x.name}, {"title", x.title}, {"version", x.version},
                           {"columns", x.columns}, {"document_types", x.document_types}});
    return {{"id", p.id},
            {"name", p.name},
            {"version", p.version},
            {"file", p.file.string()},
            {"document_types", p.document_types},
            {"native_checks", checks},
            {"exports", exports},
            {"schemas", schemas}};
}

} // namespace casedoc
