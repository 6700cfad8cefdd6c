// One truth about document types: a record, and every note inside a case record, must be of a document type its
// plugin declares (the descriptor's document_types). The same check for every command, since they all validate.
#ifndef CASEDOC_CHECK_DOCUMENT_TYPES_HPP
#define CASEDOC_CHECK_DOCUMENT_TYPES_HPP

#include <casedoc/base/finding.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <vector>

namespace casedoc::detail {

inline constexpr const char* document_type_rule = "CASEDOC-DOCUMENT-TYPE";

// Appends an error at each note (and at the root) whose type `p` does not declare, listing the declared types.
// Returns false when the root's own type is undeclared: no schema can be chosen for it, so nothing else is checked.
// A plugin that declares no types accepts any.
bool check_document_types(const xml_document& doc, const plugin& p, std::vector<finding>& findings);

} // namespace casedoc::detail

#endif
