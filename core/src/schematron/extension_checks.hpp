// The date logic of the casedoc extension checks (cd:field, cd:deadline, cd:recurrence), on values
// already taken from the record. Pure functions, so they are tested on their own.
#ifndef CASEDOC_SCHEMATRON_EXTENSION_CHECKS_HPP
#define CASEDOC_SCHEMATRON_EXTENSION_CHECKS_HPP

#include <casedoc/plugin_api/casedoc_date.hpp>

#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc::detail {

struct check_outcome {
    bool failed = false;
    std::string detail;     // computed facts appended to the rule's message
    bool applicable = true; // false: nothing to rate (a deadline not yet due, a period that has not begun)
    bool missing = false;   // field: a required value is missing (else a value of the wrong form)
    // What a deadline or recurrence measured, for audits' timeliness tables.
    bool measured = false;
    bool documented = true;         // deadline: the target date is there
    bool hours = false;             // deadline: elapsed and limit are in hours, else in days
    double elapsed = 0, limit = 0;  // deadline: anchor to target, and the time allowed without extensions
    unsigned periods = 0, periods_met = 0; // calendar-month recurrence: months checked, months with enough events
    // When the rule is due, for worklists (casedoc due), computed by the same arithmetic that decides `failed`:
    // a day, or minutes for hours (`hours`). `has_due`: a due point was computed. `pending`: not done and not yet
    // due on the as-of date (a deadline whose target is missing, the current period of a recurrence); a failed
    // outcome's due point is when it fell due (a recurrence's first period missed).
    // What the due point is counted from (kept as values: nearly every check is met, and validation alone
    // never formats them): a deadline's anchor, a month, the start of a rolling period, or its last event.
    bool has_due = false, pending = false;
    int64_t due = 0;
    enum class due_from { anchor, month, start, last_event } from = due_from::anchor;
    timestamp from_point{};               // the anchor; the month's first day; the start or last event's day
    bool extended = false;                // an agreed extension moved the due point
    timestamp extension_agreed{}, extension_until{};
    // A failed recurrence whose current period is still open (a month not over, a rolling window running from
    // the last event) and not yet met: that period's due point, which worklists list apart from the missed one.
    bool has_next = false;
    int64_t next_due = 0;
    due_from next_from = due_from::month;
    timestamp next_from_point{};
};

// The worklist's words for an outcome's due point: "2024-01-10" (a deadline's anchor date, its name is the
// caller's), "month 2025-12", "start 2025-01-10", "last event 2025-06-01"; and the extension applied,
// "agreed 2024-02-01, until 2024-02-29", or empty.
std::string due_from_text(const check_outcome& o);
std::string due_from_text(check_outcome::due_from from, const timestamp& point); // a next period's (has_next)
std::string due_extension_text(const check_outcome& o);

// cd:field: `present` when the node exists and is not empty.
struct field_spec {
    std::string type = "string"; // string date date-time duration enum pattern integer boolean
    std::vector<std::string> values;
    std::optional<std::regex> pattern;
    bool required = false;
};
check_outcome check_field(const field_spec& spec, bool present, std::string_view value);

struct extension_window {
    std::string agreed_at, until;
};
struct deadline_spec {
    double within = 0;
    std::string unit = "calendar-days"; // calendar-days business-days hours calendar-months
};
// anchor/target/as_of are the raw strings from the record; empty means absent. `excused` is asked only
// when the target was done late (it is an XPath test the schema engine evaluates on demand).
check_outcome check_deadline(const deadline_spec& spec, std::string_view anchor, std::string_view target,
                             const std::vector<extension_window>& extensions, std::string_view as_of,
                             const std::function<bool()>& excused);
inline check_outcome check_deadline(const deadline_spec& spec, std::string_view anchor, std::string_view target,
                                    const std::vector<extension_window>& extensions, std::string_view as_of,
                                    bool excused) {
    return check_deadline(spec, anchor, target, extensions, as_of, [excused] { return excused; });
}

struct recurrence_spec {
    std::string every = "calendar-month"; // or "N days" / "N months"
    int min = 1;
};
// `as_of` (may be empty) is the review date: when `to` is not before it (the period is still running), a
// calendar month that ends after it is not checked yet; its events are due at its end (pending).
check_outcome check_recurrence(const recurrence_spec& spec, std::string_view from, std::string_view to,
                               const std::vector<std::string_view>& event_dates, std::string_view as_of = {});

// Parses `every`; returns false when it is not "calendar-month", "N days" or "N months".
bool parse_every(const std::string& every, int& n, std::string& unit);

} // namespace casedoc::detail

#endif
