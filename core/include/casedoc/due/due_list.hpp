// What is due (casedoc due, POST /v1/due): every cd:deadline and cd:recurrence of an open case record that is not
// met on a review date, read off the validation of the record on that date, so that a worklist and `validate`
// never disagree: an item is overdue exactly when validation reports its rule (docs/due.md).
#ifndef CASEDOC_DUE_DUE_LIST_HPP
#define CASEDOC_DUE_DUE_LIST_HPP

#include <casedoc/check/validator.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc {

enum class due_status { overdue, due, upcoming };
std::string_view to_string(due_status s) noexcept;

struct due_item {
    std::string record_id, client_id, worker, office, setting, rule_id, title, citation;
    std::string due;       // YYYY-MM-DD, or YYYY-MM-DDThh:mm for an hour rule (Z: counted in UTC)
    int64_t days_left = 0; // due day minus the as-of day; negative when overdue
    due_status status = due_status::due;
    std::string anchor;    // what the due date is counted from: "removal 2024-01-10", "month 2025-12"
    std::string extension; // the agreed extension applied, or empty
    std::string file;
    unsigned line = 0;
    int64_t order = 0; // the due point in minutes, for sorting
};

struct due_options {
    int64_t as_of = 0;   // the review date, days since 1970-01-01
    int64_t within = 14; // days: a pending item due within this many days of as_of is "due", later "upcoming"
    bool all = false;    // list upcoming items too
    std::string worker, office; // only these (empty: all)
};

// A record that could not be checked, with where and why.
struct due_problem {
    std::string file;
    unsigned line = 0, column = 0;
    std::string message;
};

struct due_list {
    due_options options;
    uint64_t records = 0;      // case records checked (after the worker and office filters)
    uint64_t not_case_records = 0; // other records given (notes): nothing is due from them
    std::vector<due_item> items;
    std::vector<due_problem> problems;

    // Adds what one checked record has due (validator_options::due and as_of set to options.as_of).
    void add(const record_result& r);
    // Sorts the items by worker, then overdue first, then due date, record id, rule id and line.
    void finish();
};

// The review date for "today": the machine's local date.
int64_t local_today();
// Reads "14d", "14" or "2w" (days or weeks); throws casedoc::error naming the option otherwise.
int64_t parse_within(const std::string& text);

// Checks the records of `files` (run_batch, all cores, results streamed: memory does not grow with the number
// of records, only with the items found) on options.as_of, with the policy values `params`.
due_list compute_due(const std::vector<std::filesystem::path>& files, const plugin_host& plugins,
                     const schema_catalog& schemas, const due_options& options,
                     const std::map<std::string, std::string>& params, unsigned jobs = 0);

} // namespace casedoc

#endif
