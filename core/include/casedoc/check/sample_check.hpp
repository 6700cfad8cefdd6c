// Sample records that say what they must trigger, for test-driven rule writing: a record carries the
// comment <!-- casedoc-expect: RULE-ID RULE-ID ... --> ("none" for a compliant record), and passes when
// checking it gives exactly those rule ids (findings of severity info are not counted).
#ifndef CASEDOC_CHECK_SAMPLE_CHECK_HPP
#define CASEDOC_CHECK_SAMPLE_CHECK_HPP

#include <casedoc/check/validator.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace casedoc {

// The rule ids a record's casedoc-expect comment names (empty for "none"), or nullopt without the comment.
std::optional<std::set<std::string>> read_expectation(const std::string& text);

struct sample_outcome {
    std::string file;
    enum class verdict { passed, failed, skipped } result = verdict::failed;
    std::set<std::string> expected, found; // rule ids (error and warning findings)
    std::string reason;                    // for failed and skipped: what went wrong, in one line
    record_rating rating;                  // every rule rated, when the validator rates (validator_options::rate)
};

// Checks each sample with `v` and compares with its expectation. When `in_force` is given, a record whose
// service date it returns false for is skipped (the schema under test does not apply on that date).
std::vector<sample_outcome> check_samples(validator& v, const std::vector<std::string>& files,
                                          const std::function<bool(const std::string& file, int64_t day)>& in_force = {});

// "A B C" for a set of ids, "(none)" when empty.
std::string join_ids(const std::set<std::string>& ids);

} // namespace casedoc

#endif
