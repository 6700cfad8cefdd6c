// The names the casedoc record format itself defines (docs/record-format.md): the elements and attributes of
// notes and case records in the record namespace, before any setting adds its own. The one list the code
// keeps of them; the schema lint measures a schema's names against it.
#ifndef CASEDOC_XML_RECORD_FORMAT_HPP
#define CASEDOC_XML_RECORD_FORMAT_HPP

#include <string_view>

namespace casedoc {

inline constexpr std::string_view record_format_elements[] = {
    "note",     "case-record", "client", "identifier", "author",     "section",   "signature",
    "addendum", "text",        "events", "event",      "extensions", "extension", "notes"};

inline constexpr std::string_view record_format_attributes[] = {"format-version",
                                                                "setting",
                                                                "type",
                                                                "id",
                                                                "service-at",
                                                                "entered-at",
                                                                "format",
                                                                "late-entry",
                                                                "late-entry-reason",
                                                                "name",
                                                                "birth-date",
                                                                "system",
                                                                "value",
                                                                "role",
                                                                "credential",
                                                                "code",
                                                                "signer",
                                                                "signed-at",
                                                                "method",
                                                                "kind",
                                                                "author",
                                                                "reason",
                                                                "as-of",
                                                                "office",
                                                                "worker",
                                                                "date",
                                                                "rule",
                                                                "agreed-at",
                                                                "until",
                                                                "agreed-by"};

} // namespace casedoc

#endif
