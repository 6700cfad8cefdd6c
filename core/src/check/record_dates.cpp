#include "record_dates.hpp"

#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/xml/record_format.hpp>
#include <casedoc/xml/xml_chars.hpp>

#include <set>
#include <string_view>
#include <utility>

namespace casedoc::detail {

namespace {

bool well_formed(date_kind kind, std::string_view v) {
    switch (kind) {
    case date_kind::date: return parse_date(v).has_value();
    case date_kind::date_time: return parse_date_time(v).has_value();
    default: return parse_timestamp(v).has_value();
    }
}

} // namespace

void check_record_dates(const xml_document& doc, std::vector<finding>& findings) {
    std::set<std::pair<unsigned, unsigned>> reported;
    bool indexed = false; // the places of the findings, gathered at the first bad value: most records have none
    auto visit = [&](pugi::xml_node e) {
        const std::string_view element = detail::local_name(e.name());
        for (const record_format_date& d : record_format_dates) {
            if (d.element != element) continue;
            const pugi::xml_attribute a = e.attribute(std::string(d.attribute).c_str());
            const std::string_view value = a.value();
            if (value.empty() || well_formed(d.kind, value)) continue;
            if (!indexed) {
                for (const finding& f : findings)
                    if (f.where.file == doc.name()) reported.emplace(f.where.line, f.where.column);
                indexed = true;
            }
            finding f;
            f.where = doc.locate(pugi::xpath_node(a, e));
            if (reported.count({f.where.line, f.where.column})) continue;
            f.rule_id = record_date_rule;
            f.level = severity::error;
            const char* what = d.kind == date_kind::date        ? "a date"
                               : d.kind == date_kind::date_time ? "a date-time"
                                                                : "a date or date-time";
            f.message = "'" + std::string(value) + "' is not " + what + " (expected " + std::string(date_format_of(d.kind)) + ")";
            f.citation = "casedoc record format 1.0 (docs/record-format.md)";
            f.pattern = "casedoc";
            findings.push_back(std::move(f));
        }
    };
    struct walker : pugi::xml_tree_walker {
        decltype(visit)& v;
        explicit walker(decltype(visit)& f) : v(f) {}
        bool for_each(pugi::xml_node& n) override {
            if (n.type() == pugi::node_element) v(n);
            return true;
        }
    } w(visit);
    visit(doc.root());
    doc.root().traverse(w);
}

} // namespace casedoc::detail
