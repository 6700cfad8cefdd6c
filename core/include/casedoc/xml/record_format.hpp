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

// The attributes the record format types as dates or date-times, by element. The core checks every one of
// them in every record (check/record_dates.hpp), whichever setting the record is of.
enum class date_kind { date, date_time, date_or_date_time };
struct record_format_date {
    std::string_view element, attribute;
    date_kind kind;
};
inline constexpr record_format_date record_format_dates[] = {
    {"note", "service-at", date_kind::date_time},      {"note", "entered-at", date_kind::date_time},
    {"addendum", "entered-at", date_kind::date_time},  {"signature", "signed-at", date_kind::date_time},
    {"client", "birth-date", date_kind::date},         {"case-record", "as-of", date_kind::date},
    {"event", "date", date_kind::date},                {"extension", "agreed-at", date_kind::date_or_date_time},
    {"extension", "until", date_kind::date_or_date_time}};

// How a value of each kind is written, for messages: "'04.03.2025' is not a date (expected YYYY-MM-DD)".
inline constexpr std::string_view date_format_of(date_kind k) noexcept {
    switch (k) {
    case date_kind::date: return "YYYY-MM-DD";
    case date_kind::date_time: return "YYYY-MM-DDThh:mm[:ss][Z|\u00b1hh:mm]";
    default: return "YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|\u00b1hh:mm]";
    }
}

} // namespace casedoc

#endif
