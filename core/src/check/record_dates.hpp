// The record format's own dates: a date or date-time attribute the format defines (xml/record_format.hpp) whose
// value is not written as the format says is one error, at the attribute, naming the form expected. Every
// record gets this check, whatever its setting's schema says.
#ifndef CASEDOC_CHECK_RECORD_DATES_HPP
#define CASEDOC_CHECK_RECORD_DATES_HPP

#include <casedoc/base/finding.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <vector>

namespace casedoc::detail {

inline constexpr const char* record_date_rule = "CASEDOC-DATE";

// Appends a finding for each bad value, except where `findings` already has one at the same place: a schema
// that checks the value itself (cd:field) reports it under its own rule and citation, and a value is
// reported once. Empty values are left to the schema's required-value checks.
void check_record_dates(const xml_document& doc, std::vector<finding>& findings);

} // namespace casedoc::detail

#endif
