#include "document_types.hpp"

#include <casedoc/xml/xml_chars.hpp>

#include <algorithm>
#include <string>
#include <string_view>

namespace casedoc::detail {

bool check_document_types(const xml_document& doc, const plugin& p, std::vector<finding>& findings) {
    if (p.document_types.empty()) return true;
    std::string declared;
    auto refuse = [&](pugi::xml_node e, std::string_view type, bool note) {
        if (declared.empty())
            for (const std::string& t : p.document_types) declared += (declared.empty() ? "" : ", ") + t;
        finding f;
        f.rule_id = document_type_rule;
        f.level = severity::error;
        f.message = type.empty() ? std::string(note ? "the note has no type" : "the record has no type") +
                                       " (declared by plugin '" + p.id + "': " + declared + ")"
                                 : std::string(note ? "note type '" : "document type '") + std::string(type) +
                                       "' is not declared by plugin '" + p.id + "' (declared: " + declared + ")";
        f.citation = "casedoc record format 1.0 (docs/record-format.md)";
        f.where = doc.locate(pugi::xpath_node(e));
        f.pattern = "casedoc";
        findings.push_back(std::move(f));
    };
    auto is_declared = [&](std::string_view type) {
        return std::find(p.document_types.begin(), p.document_types.end(), type) != p.document_types.end();
    };
    const pugi::xml_node root = doc.root();
    const bool case_record = detail::local_name(root.name()) == "case-record";
    const std::string_view root_type = root.attribute("type").as_string(case_record ? "case-record" : "");
    if (!is_declared(root_type)) {
        refuse(root, root_type, !case_record);
        return false;
    }
    if (!case_record) return true;
    for (pugi::xml_node notes : root.children()) {
        if (detail::local_name(notes.name()) != "notes") continue;
        for (pugi::xml_node note : notes.children()) {
            if (note.type() != pugi::node_element || detail::local_name(note.name()) != "note") continue;
            const std::string_view type = note.attribute("type").value();
            if (!is_declared(type)) refuse(note, type, true);
        }
    }
    return true;
}

} // namespace casedoc::detail
