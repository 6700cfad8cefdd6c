// What casedoc needs to know about a record before validating it: its setting, document type, id and
// service date (which picks the schema in force).
#ifndef CASEDOC_XML_RECORD_HPP
#define CASEDOC_XML_RECORD_HPP

#include <casedoc/xml/xml_document.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace casedoc {

inline constexpr const char* record_ns = "urn:casedoc:record:1";
inline constexpr const char* record_format_version = "1.0";

struct record_info {
    std::string setting, type, id;
    bool case_record = false; // <case-record> rather than <note>
    int64_t service_day = 0;  // days since 1970-01-01: a note's service-at date, a case record's as-of
};

// Reads the root of a casedoc record. Throws casedoc::error (file, line, column) when the document
// is not a casedoc record of a supported format version, or lacks its setting, type, id or date.
record_info read_record_info(const xml_document& doc);

// The attributes of a record's root element, read from the start of its file without parsing the rest: how
// an audit picks its universe out of thousands of files. `named` asks for one more attribute by name.
struct record_root {
    std::string setting, type, id, as_of, office, worker;
    std::string named; // the value of the attribute `named`, empty without
};
// Throws casedoc::error (file, line) when the file has no root element or it is not in the record namespace.
record_root read_record_root(const std::filesystem::path& file, const std::string& named = {});
// The same from the start of a document's text (`head`, at least its root start tag), named `source` in errors.
record_root read_record_root(std::string_view head, const std::string& source, const std::string& named = {});

} // namespace casedoc

#endif
