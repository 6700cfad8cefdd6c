// Rating a record's rules for an audit: every rule of the rule set the record was checked against is
// met, not met or not applicable on that record, and deadlines and recurrences keep what they measured.
#ifndef CASEDOC_CHECK_RATING_HPP
#define CASEDOC_CHECK_RATING_HPP

#include <casedoc/schematron/schema.hpp>
#include <casedoc/schematron/validation_result.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc {

// not_applicable: the rule never applied to the record (its context did not match, its condition was
// false, a deadline's anchor is absent or it is not yet due, a native check said so); not_met: it applied
// and one of its checks failed, whatever the severity; met: it applied and nothing failed.
enum class rating : uint8_t { not_applicable = 0, met = 1, not_met = 2 };
std::string_view to_string(rating r) noexcept; // "not_applicable", "met", "not_met"

// The rules a record was rated on: its schema's rules, then its plugin's native checks for its document
// type (kind "native", pattern "native:<plugin id>"). Shared by every record checked with that schema.
struct rule_set {
    std::string setting, document_type;
    schema_metadata schema;       // version, title, effective dates, file
    std::vector<rule_info> rules;
};

struct record_rating {
    std::shared_ptr<const rule_set> rules;
    std::vector<rating> ratings;         // parallel to rules->rules
    std::vector<timing_measure> timings; // timing_measure::rule indexes rules->rules
};

} // namespace casedoc

#endif // CASEDOC_CHECK_RATING_HPP
