#include <casedoc/base/error.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/xml/record.hpp>
#include <casedoc/xml/record_format.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

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
        const date_kind kind = info.case_record ? date_kind::date : date_kind::date_time;
        throw error(doc.name(), al, ac,
                    std::string("@") + date_attr + " '" + date + "' is not " + (info.case_record ? "a date" : "a date-time") +
                        " (expected " + std::string(date_format_of(kind)) + ")");
    }
    info.service_day = t->day();
    return info;
}

// The root element's start tag, read from the file's first 64 KiB and parsed on its own.
record_root read_record_root(const std::filesystem::path& file, const std::string& named) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw error(file.string(), std::string("cannot read file: ") + std::strerror(errno));
    std::string head(64 * 1024, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
    return read_record_root(head, file.string(), named);
}

record_root read_record_root(std::string_view head, const std::string& source, const std::string& named) {
    size_t pos = 0;
    auto line_at = [&](size_t p) { return static_cast<unsigned>(1 + std::count(head.begin(), head.begin() + static_cast<std::ptrdiff_t>(p), '\n')); };
    // Skip the prolog: the XML declaration, processing instructions, comments, a DOCTYPE, white space.
    for (;;) {
        pos = head.find('<', pos);
        if (pos == std::string::npos) throw error(source, 1, 1, "not an XML document: no root element");
        if (head.compare(pos, 2, "<?") == 0) pos = head.find("?>", pos);
        else if (head.compare(pos, 4, "<!--") == 0) pos = head.find("-->", pos);
        else if (head.compare(pos, 2, "<!") == 0) pos = head.find('>', pos);
        else break;
        if (pos == std::string::npos) throw error(source, line_at(head.size()), 0, "malformed XML before the root element");
    }
    const size_t start = pos;
    char quote = 0;
    for (++pos; pos < head.size(); ++pos) {
        const char c = head[pos];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            break;
        }
    }
    if (pos >= head.size()) throw error(source, line_at(start), 0, "malformed XML: the root element's start tag does not end");
    std::string tag(head.substr(start, pos - start));
    if (tag.back() != '/') tag += '/';
    tag += '>';
    pugi::xml_document doc;
    const pugi::xml_parse_result ok = doc.load_buffer(tag.data(), tag.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!ok) throw error(source, line_at(start), 0, std::string("malformed XML in the root element: ") + ok.description());
    const pugi::xml_node root = doc.document_element();
    std::string name = root.name(), prefix;
    if (const size_t colon = name.find(':'); colon != std::string::npos) {
        prefix = name.substr(0, colon);
        name = name.substr(colon + 1);
    }
    const std::string ns = root.attribute(prefix.empty() ? "xmlns" : ("xmlns:" + prefix).c_str()).value();
    if (ns != record_ns)
        throw error(source, line_at(start), 0,
                    "not a casedoc record (root element '" + std::string(root.name()) + "' is not in " + record_ns + ")");
    record_root r;
    r.type = root.attribute("type").value();
    if (r.type.empty()) r.type = name;
    r.setting = root.attribute("setting").value();
    r.id = root.attribute("id").value();
    r.as_of = root.attribute("as-of").value();
    r.office = root.attribute("office").value();
    r.worker = root.attribute("worker").value();
    if (!named.empty()) r.named = root.attribute(named.c_str()).value();
    return r;
}

} // namespace casedoc
