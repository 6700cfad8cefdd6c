#include "extension_checks.hpp"

#include <casedoc/xml/record_format.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

namespace casedoc::detail {

namespace {

// libstdc++'s std::regex matches by recursion, a stack frame or more per character: some tens of thousands of
// characters overflow a thread's stack. No duration is that long, and pattern fields are checked on values up to
// this many characters (a longer value is refused, not matched).
constexpr size_t max_duration_chars = 64, max_pattern_chars = 4096;

bool is_duration(std::string_view v) {
    if (v.size() > max_duration_chars) return false;
    static const std::regex re(R"(-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?)");
    return std::regex_match(v.begin(), v.end(), re);
}

bool is_integer(std::string_view v) {
    size_t i = (!v.empty() && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
    if (i >= v.size()) return false;
    for (; i < v.size(); ++i)
        if (v[i] < '0' || v[i] > '9') return false;
    return true;
}

std::string plural(int64_t n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

check_outcome not_measurable() {
    check_outcome out;
    out.applicable = false;
    return out;
}

std::string format_number(double v) {
    if (std::floor(v) == v) return std::to_string(static_cast<long long>(v));
    std::ostringstream ss;
    ss << v;
    return ss.str();
}

} // namespace

check_outcome check_field(const field_spec& spec, bool present, std::string_view value) {
    if (!present) {
        if (spec.required) {
            check_outcome out{true, "required value is missing"};
            out.missing = true;
            return out;
        }
        return {};
    }
    const std::string_view t = spec.type; // compared as views: sizes first, no call per comparison
    auto quoted = [&](const char* what) { return "'" + std::string(value) + "' is not " + what; };
    if (t == "date" && !parse_date(value))
        return {true, quoted("a date (expected ") + std::string(date_format_of(date_kind::date)) + ")"};
    if (t == "date-time" && !parse_date_time(value))
        return {true, quoted("a date-time (expected ") + std::string(date_format_of(date_kind::date_time)) + ")"};
    if (t == "duration" && !is_duration(value)) return {true, quoted("an ISO 8601 duration")};
    if (t == "integer" && !is_integer(value)) return {true, quoted("an integer")};
    if (t == "boolean" && value != "true" && value != "false") return {true, quoted("true or false")};
    if (t == "enum" && std::find(spec.values.begin(), spec.values.end(), value) == spec.values.end()) {
        std::string allowed;
        for (const auto& v : spec.values) allowed += (allowed.empty() ? "" : ", ") + v;
        return {true, "value is not one of: " + allowed};
    }
    if (t == "pattern" && spec.pattern && value.size() > max_pattern_chars)
        return {true, "value is " + std::to_string(value.size()) + " characters long, more than the " +
                          std::to_string(max_pattern_chars) + " a pattern is checked on"};
    if (t == "pattern" && spec.pattern && !std::regex_match(value.begin(), value.end(), *spec.pattern))
        return {true, "value does not have the required form"};
    return {};
}

check_outcome check_deadline(const deadline_spec& spec, std::string_view anchor_text, std::string_view target_text,
                             const std::vector<extension_window>& extensions, std::string_view as_of_text,
                             const std::function<bool()>& excused) {
    // A value that is not a date is reported once, where it is written, by its own check (the record format's
    // dates, or the schema's cd:field): a rule that cannot measure with it has nothing to rate.
    const auto anchor = parse_timestamp(anchor_text);
    if (!anchor) return not_measurable();
    const std::string_view unit = spec.unit;
    const bool hours = unit == "hours";
    const int64_t n = static_cast<int64_t>(std::llround(spec.within));
    // Due point: in minutes for hours, otherwise a day.
    int64_t due = 0;
    if (hours) due = anchor->minutes + n * 60;
    else if (unit == "business-days") due = add_business_days(anchor->day(), n);
    else if (unit == "calendar-months") due = add_months(anchor->day(), static_cast<int>(n));
    else due = anchor->day() + n;
    auto fmt_due = [&](int64_t v) { return hours ? format_timestamp({v, true}) : format_date(v); };
    auto point_of = [&](const timestamp& t) { return hours ? (t.has_time ? t.minutes : t.minutes + 1439) : t.day(); };

    std::string note;
    int64_t effective_due = due;
    bool applied = false;
    timestamp applied_agreed, applied_until;
    for (const auto& e : extensions) {
        const auto agreed = parse_timestamp(e.agreed_at);
        const auto until = parse_timestamp(e.until);
        if (!agreed || !until) {
            note += "; an extension without valid agreed-at and until dates does not count";
            continue;
        }
        if (point_of(*agreed) > due) {
            note += "; the extension agreed on " + format_timestamp(*agreed) + ", after the due date, does not count";
            continue;
        }
        if (point_of(*until) > effective_due) {
            effective_due = point_of(*until);
            applied = true;
            applied_agreed = *agreed;
            applied_until = *until;
        }
    }
    // The explanation is written only for a failure: nearly every deadline checked is met.
    auto detail = [&] {
        const char* unit_text = unit == "calendar-days"     ? "calendar days"
                                : unit == "business-days"   ? "business days"
                                : unit == "calendar-months" ? "months"
                                                            : "hours";
        std::string d = "within " + format_number(spec.within) + " " + unit_text + " of " + format_timestamp(*anchor);
        if (effective_due != due) d += ", extended by agreement to " + fmt_due(effective_due);
        return d + ": due " + fmt_due(effective_due);
    };

    check_outcome out;
    out.measured = true;
    out.hours = hours;
    const int64_t start = hours ? anchor->minutes : anchor->day();
    out.limit = hours ? static_cast<double>(n) : static_cast<double>(due - start);
    out.has_due = true;
    out.due = effective_due;
    out.from_point = *anchor;
    out.extended = applied;
    out.extension_agreed = applied_agreed;
    out.extension_until = applied_until;
    if (target_text.empty()) {
        out.documented = false;
        if (!as_of_text.empty()) {
            const auto as_of = parse_timestamp(as_of_text);
            if (as_of && point_of(*as_of) <= effective_due) { // not yet due: nothing to rate
                out.applicable = false;
                out.pending = true;
                return out;
            }
        }
        out.failed = true;
        out.detail = detail() + ", not done" + (as_of_text.empty() ? "" : " by " + std::string(as_of_text)) + note;
        return out;
    }
    const auto target = parse_timestamp(target_text);
    if (!target) return not_measurable();
    const int64_t done = point_of(*target);
    out.elapsed = hours ? static_cast<double>(done - start) / 60.0 : static_cast<double>(done - start);
    if (done <= effective_due || (excused && excused())) return out;
    const int64_t late = done - effective_due;
    out.failed = true;
    out.detail = detail() + ", done " + format_timestamp(*target) + " (" +
                 (hours ? plural((late + 59) / 60, "hour") : plural(late, "day")) + " late)" + note;
    return out;
}

bool parse_every(const std::string& every, int& n, std::string& unit) {
    if (every == "calendar-month") {
        n = 1;
        unit = "calendar-month";
        return true;
    }
    // "N days" / "N months" (or day, month), read by hand: it is asked at every check of a recurrence.
    const char* p = every.data();
    const char* const end = p + every.size();
    auto skip_space = [&] {
        while (p < end && std::isspace(static_cast<unsigned char>(*p))) ++p;
    };
    skip_space();
    if (p < end && *p == '+') ++p;
    const auto [after, error] = std::from_chars(p, end, n);
    if (error != std::errc() || n <= 0) return false;
    p = after;
    skip_space();
    const char* word = p;
    while (p < end && !std::isspace(static_cast<unsigned char>(*p))) ++p;
    unit.assign(word, p);
    skip_space();
    if (unit == "day") unit = "days";
    if (unit == "month") unit = "months";
    return (unit == "days" || unit == "months") && p == end;
}

check_outcome check_recurrence(const recurrence_spec& spec, std::string_view from_text, std::string_view to_text,
                               const std::vector<std::string_view>& event_dates, std::string_view as_of_text) {
    const auto from = parse_timestamp(from_text);
    const auto to = parse_timestamp(to_text);
    if (!from || !to) return not_measurable(); // reported where it is written, as in check_deadline
    const int64_t a = from->day(), b = to->day();
    // Running: the period reaches the review date, so its last calendar month may not be over yet.
    const auto as_of = as_of_text.empty() ? std::nullopt : parse_timestamp(as_of_text);
    const bool running = as_of && b >= as_of->day();
    if (b < a) {
        check_outcome none;
        none.applicable = false;
        return none;
    }
    std::vector<int64_t> days;
    std::string bad;
    for (const auto& e : event_dates) {
        if (auto t = parse_timestamp(e)) {
            if (t->day() >= a && t->day() <= b) days.push_back(t->day());
        } else {
            bad += (bad.empty() ? "" : ", ") + std::string("'") + std::string(e) + "'";
        }
    }
    std::sort(days.begin(), days.end());
    const std::string bad_note = bad.empty() ? "" : "; events with unreadable dates not counted: " + bad;
    int n = 1;
    std::string unit;
    parse_every(spec.every, n, unit);
    if (unit == "calendar-month") {
        std::vector<std::string> missing;
        unsigned months = 0;
        int64_t first_missed = 0, first_missed_start = 0;
        check_outcome out;
        civil_date c = civil_from_days(a);
        int64_t month_start = days_from_civil(c.year, c.month, 1);
        while (month_start <= b) {
            const civil_date m = civil_from_days(month_start);
            const int64_t month_end = month_start + days_in_month(m.year, m.month) - 1;
            const auto count = std::count_if(days.begin(), days.end(), [&](int64_t d) {
                return d >= month_start && d <= month_end;
            });
            if (running && month_end > as_of->day()) { // not over yet: due at its end
                if (count < spec.min) {
                    out.pending = true;
                    out.due = month_end;
                    out.from = check_outcome::due_from::month;
                    out.from_point = {month_start * 1440, false};
                }
                break;
            }
            ++months;
            if (count < spec.min) {
                if (missing.empty()) first_missed = month_end, first_missed_start = month_start;
                missing.push_back(format_date(month_start).substr(0, 7));
            }
            month_start = month_end + 1;
        }
        out.measured = true;
        out.periods = months;
        out.periods_met = months - static_cast<unsigned>(missing.size());
        out.has_due = out.pending;
        if (missing.empty()) {
            out.detail = bad_note;
            return out;
        }
        if (out.pending) { // the running month, not met yet: listed apart
            out.has_next = true;
            out.next_due = out.due;
            out.next_from = out.from;
            out.next_from_point = out.from_point;
        }
        out.has_due = true;
        out.pending = false; // the months missed come first
        out.due = first_missed;
        out.from = check_outcome::due_from::month;
        out.from_point = {first_missed_start * 1440, false};
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        out.failed = true;
        out.detail = "period " + format_date(a) + " to " + format_date(b) + "; " +
                     plural(static_cast<int64_t>(missing.size()), "month") + " without: " + list + bad_note;
        return out;
    }
    // Rolling: no gap longer than n days (or months) from the start, between events, and to the end.
    std::vector<std::string> gaps;
    int64_t prev = a;
    auto next_due = [&](int64_t d) { return unit == "days" ? d + n : add_months(d, n); };
    check_outcome out;
    auto from_what = [&](int64_t d) {
        out.from = d == a ? check_outcome::due_from::start : check_outcome::due_from::last_event;
        out.from_point = {d * 1440, false};
    };
    for (int64_t d : days) {
        if (d > next_due(prev)) {
            if (gaps.empty()) out.due = next_due(prev), from_what(prev);
            gaps.push_back(format_date(prev) + " to " + format_date(d));
        }
        prev = d;
    }
    if (b > next_due(prev)) {
        if (gaps.empty()) out.due = next_due(prev), from_what(prev);
        gaps.push_back(format_date(prev) + " to " + format_date(b) + " (none since)");
    }
    out.measured = true;
    if (gaps.empty()) {
        // The window running from the last event (or the start): due at its end.
        out.has_due = out.pending = true;
        out.due = next_due(prev);
        from_what(prev);
        return out;
    }
    out.has_due = true;
    if (running && b <= next_due(prev) && prev != a) { // the window from the last event runs, not yet missed
        out.has_next = true;
        out.next_due = next_due(prev);
        out.next_from = check_outcome::due_from::last_event;
        out.next_from_point = {prev * 1440, false};
    }
    std::string list;
    for (const auto& g : gaps) list += (list.empty() ? "" : "; ") + g;
    out.failed = true;
    out.detail = "gaps longer than " + std::to_string(n) + " " + unit + ": " + list + bad_note;
    return out;
}

std::string due_from_text(check_outcome::due_from from, const timestamp& point) {
    switch (from) {
    case check_outcome::due_from::month: return "month " + format_date(point.day()).substr(0, 7);
    case check_outcome::due_from::start: return "start " + format_date(point.day());
    case check_outcome::due_from::last_event: return "last event " + format_date(point.day());
    default: return format_timestamp(point);
    }
}

std::string due_from_text(const check_outcome& o) { return due_from_text(o.from, o.from_point); }

std::string due_extension_text(const check_outcome& o) {
    if (!o.extended) return {};
    return "agreed " + format_timestamp(o.extension_agreed) + ", until " + format_timestamp(o.extension_until);
}

} // namespace casedoc::detail
