// What is due (casedoc due, POST /v1/due): every cd:deadline and cd:recurrence of an open case record that is not
// met on a review date, read off the validation of the record on that date, so that a worklist and `validate`
// never disagree: an item is overdue exactly when validation reports its rule (docs/due.md).
#ifndef CASEDOC_DUE_DUE_LIST_HPP
#define CASEDOC_DUE_DUE_LIST_HPP

#include <casedoc/check/validator.hpp>
#include <casedoc/due/due_store.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc {

std::string_view to_string(due_status s) noexcept;

struct due_options {
    int64_t as_of = 0;   // the review date, days since 1970-01-01
    int64_t within = 14; // days: a pending item due within this many days of as_of is "due", later "upcoming"
    bool all = false;    // list upcoming items too
    std::string worker, office; // only these (empty: all)
    size_t run_items = 8192;    // items held in memory before a sorted run goes to a temporary file (due_store)
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
    due_store items;               // in order once finish() has run; read with items.for_each
    std::vector<due_problem> problems;
    // Counts of the items by status (overdue, due, upcoming), in all, by worker and by rule (with its title).
    using counts = std::array<uint64_t, 3>;
    counts totals{};
    std::map<std::string, counts> by_worker;
    std::map<std::string, std::pair<std::string, counts>> by_rule;

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
// of records; the items go to a due_store) on options.as_of, with the policy values `params`.
due_list compute_due(const std::vector<std::string>& files, const plugin_host& plugins,
                     const schema_catalog& schemas, const due_options& options,
                     const std::map<std::string, std::string>& params, unsigned jobs = 0);

} // namespace casedoc

#endif
