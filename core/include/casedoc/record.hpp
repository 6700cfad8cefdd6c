// What casedoc needs to know about a record before validating it: its setting, document type, id and
// service date (which picks the schema in force).
#ifndef CASEDOC_RECORD_HPP
#define CASEDOC_RECORD_HPP

#include <casedoc/xml_document.hpp>

#include <cstdint>
#include <string>

namespace casedoc {

inline constexpr const char* record_format_version = "1.0";

struct record_info {
    std::string setting, type, id;
    bool case_record = false; // <case-record> rather than <note>
    int64_t service_day = 0;  // days since 1970-01-01: a note's service-at date, a case record's as-of
};

// Reads the root of a casedoc record. Throws casedoc::error (file, line, column) when the document
// is not a casedoc record of a supported format version, or lacks its setting, type, id or date.
record_info read_record_info(const xml_document& doc);

} // namespace casedoc

#endif
