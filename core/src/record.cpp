#include <casedoc/error.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/record.hpp>
#include <casedoc/schema.hpp>

namespace casedoc {

record_info read_record_info(const xml_document& doc) {
    const pugi::xml_node root = doc.root();
    // An error at the root element (its place is found only then: most records have none).
    auto fail = [&](const std::string& message) {
        const auto [line, col] = doc.line_column(root);
        throw error(doc.name(), line, col, message);
    };
    const std::string local = doc.root_local_name();
    if (doc.root_namespace() != record_ns || (local != "note" && local != "case-record")) {
        fail("not a casedoc record: the root element is '" + local + "' in namespace '" + doc.root_namespace() +
             "', expected note or case-record in " + record_ns);
    }
    auto attr = [&](const char* name) -> std::string {
        const pugi::xml_attribute a = root.attribute(name);
        if (!a || !*a.value()) fail(std::string("the record has no @") + name);
        return a.value();
    };
    const std::string version = attr("format-version");
    if (version.substr(0, 2) != "1.") fail("record format version " + version + " is not supported (this casedoc reads 1.x)");
    record_info info;
    info.case_record = local == "case-record";
    info.setting = attr("setting");
    info.id = attr("id");
    info.type = info.case_record ? root.attribute("type").as_string("case-record") : attr("type");
    const char* date_attr = info.case_record ? "as-of" : "service-at";
    const std::string date = attr(date_attr);
    const auto t = parse_timestamp(date);
    if (!t) {
        const auto [al, ac] = doc.line_column(root.attribute(date_attr), root);
        throw error(doc.name(), al, ac, std::string("@") + date_attr + " '" + date + "' is not a date");
    }
    info.service_day = t->day();
    return info;
}

} // namespace casedoc
