// The date arithmetic casedoc due shares with validation (extension_checks.hpp): the due point each check
// computes, on the edges the worklist must get right.
#include "extension_checks.hpp"

#include <casedoc/plugin_api/casedoc_date.hpp>

#include <catch2/catch.hpp>

using namespace casedoc;
using namespace casedoc::detail;

namespace {

std::string due_day(const check_outcome& o) { return format_date(o.due); }
std::string due_time(const check_outcome& o) { return format_timestamp({o.due, true}); }

} // namespace

TEST_CASE("a deadline is due on anchor + N days, the anchor day being day 0, and pending until then",
          "[due][deadline]") {
    const deadline_spec s{30, "calendar-days"};
    SECTION("on the anchor day itself") {
        const auto o = check_deadline(s, "2025-11-01", "", {}, "2025-11-01", false);
        CHECK(o.has_due);
        CHECK(o.pending);
        CHECK_FALSE(o.failed);
        CHECK(due_day(o) == "2025-12-01");
        CHECK(due_from_text(o) == "2025-11-01");
    }
    SECTION("on the due date: still pending; the day after: failed, due the same day") {
        CHECK(check_deadline(s, "2025-11-01", "", {}, "2025-12-01", false).pending);
        const auto late = check_deadline(s, "2025-11-01", "", {}, "2025-12-02", false);
        CHECK(late.failed);
        CHECK_FALSE(late.pending);
        CHECK(due_day(late) == "2025-12-01");
    }
    SECTION("done in time: neither failed nor pending") {
        const auto done = check_deadline(s, "2025-11-01", "2025-11-20", {}, "2025-12-10", false);
        CHECK_FALSE(done.failed);
        CHECK_FALSE(done.pending);
    }
}

TEST_CASE("calendar months clamp to the month's end: January 31 + 1 month, and leap days", "[due][deadline]") {
    const deadline_spec one{1, "calendar-months"}, twelve{12, "calendar-months"};
    CHECK(due_day(check_deadline(one, "2025-01-31", "", {}, "2025-01-31", false)) == "2025-02-28");
    CHECK(due_day(check_deadline(one, "2024-01-31", "", {}, "2024-01-31", false)) == "2024-02-29");
    CHECK(due_day(check_deadline(twelve, "2024-02-29", "", {}, "2024-03-01", false)) == "2025-02-28");
    CHECK(due_day(check_deadline(twelve, "2023-02-28", "", {}, "2023-03-01", false)) == "2024-02-28");
    // 60 calendar days across February of a leap year and of a common year.
    const deadline_spec sixty{60, "calendar-days"};
    CHECK(due_day(check_deadline(sixty, "2024-01-10", "", {}, "2024-01-10", false)) == "2024-03-10");
    CHECK(due_day(check_deadline(sixty, "2025-01-10", "", {}, "2025-01-10", false)) == "2025-03-11");
}

TEST_CASE("business days skip the weekend and do not count the anchor day", "[due][deadline]") {
    const deadline_spec three{3, "business-days"};
    // Thursday 2025-11-06 + 3 business days: Friday, Monday, Tuesday.
    CHECK(due_day(check_deadline(three, "2025-11-06", "", {}, "2025-11-06", false)) == "2025-11-11");
    // From a Saturday: Monday, Tuesday, Wednesday.
    CHECK(due_day(check_deadline(three, "2025-11-08", "", {}, "2025-11-08", false)) == "2025-11-12");
    // Friday + 1 business day is Monday; done on Monday is in time, on Tuesday late.
    const deadline_spec one{1, "business-days"};
    CHECK_FALSE(check_deadline(one, "2025-11-07", "2025-11-10", {}, "", false).failed);
    CHECK(check_deadline(one, "2025-11-07", "2025-11-11", {}, "", false).failed);
}

TEST_CASE("hour deadlines run across midnight on the wall clock, DST changes included, or in UTC with an offset",
          "[due][deadline][hours]") {
    const deadline_spec twenty{20, "hours"}, seventy_two{72, "hours"};
    const auto night = check_deadline(twenty, "2025-11-05T18:30", "", {}, "2025-11-05", false);
    CHECK(night.pending);
    CHECK(night.hours);
    CHECK(due_time(night) == "2025-11-06T14:30");
    // US daylight saving began 2025-03-09 02:00: local date-times are taken as written (wall clock), so 72 hours
    // from Saturday 10:00 is Tuesday 10:00 local, whatever the clocks did.
    CHECK(due_time(check_deadline(seventy_two, "2025-03-08T10:00", "", {}, "2025-03-08", false)) == "2025-03-11T10:00");
    // With an offset the time is UTC: 10:00-05:00 is 15:00Z, so the due point is 15:00Z three days later.
    CHECK(due_time(check_deadline(seventy_two, "2025-03-08T10:00-05:00", "", {}, "2025-03-08", false)) ==
          "2025-03-11T15:00");
    // A review date without a time is the end of that day: a deadline falling due that afternoon has failed.
    CHECK(check_deadline(twenty, "2025-11-05T18:30", "", {}, "2025-11-06", false).failed);
}

TEST_CASE("an agreed extension moves the due date only when agreed on or before it", "[due][deadline][extension]") {
    const deadline_spec s{30, "calendar-days"};
    const auto before = check_deadline(s, "2025-11-01", "", {{"2025-11-20", "2025-12-20"}}, "2025-12-10", false);
    CHECK(before.pending);
    CHECK(due_day(before) == "2025-12-20");
    CHECK(due_extension_text(before) == "agreed 2025-11-20, until 2025-12-20");
    const auto on_the_day = check_deadline(s, "2025-11-01", "", {{"2025-12-01", "2025-12-20"}}, "2025-12-10", false);
    CHECK(due_day(on_the_day) == "2025-12-20");
    const auto after = check_deadline(s, "2025-11-01", "", {{"2025-12-05", "2025-12-20"}}, "2025-12-10", false);
    CHECK(after.failed);
    CHECK(due_day(after) == "2025-12-01");
    CHECK(due_extension_text(after).empty());
}

TEST_CASE("a calendar-month recurrence with a review date: the running month is due at its end",
          "[due][recurrence]") {
    const recurrence_spec monthly{"calendar-month", 1};
    SECTION("no visit yet in December, reviewed on the 10th: pending, due 2025-12-31") {
        const auto o = check_recurrence(monthly, "2025-10-01", "2025-12-10", {"2025-10-05", "2025-11-05"}, "2025-12-10");
        CHECK_FALSE(o.failed);
        CHECK(o.pending);
        CHECK(due_day(o) == "2025-12-31");
        CHECK(due_from_text(o) == "month 2025-12");
        CHECK(o.periods == 2);
    }
    SECTION("a visit already made in December: nothing pending") {
        const auto o = check_recurrence(monthly, "2025-10-01", "2025-12-10", {"2025-10-05", "2025-11-05", "2025-12-02"},
                                        "2025-12-10");
        CHECK_FALSE(o.failed);
        CHECK_FALSE(o.pending);
    }
    SECTION("a month missed before: failed, due at the end of the first month missed; December listed apart") {
        const auto o = check_recurrence(monthly, "2025-10-01", "2025-12-10", {"2025-10-05"}, "2025-12-10");
        CHECK(o.failed);
        CHECK(due_day(o) == "2025-11-30");
        REQUIRE(o.has_next);
        CHECK(format_date(o.next_due) == "2025-12-31");
        CHECK(format_date(o.next_from_point.day()) == "2025-12-01");
    }
    SECTION("a month missed before and December already met: only the missed month") {
        const auto o = check_recurrence(monthly, "2025-10-01", "2025-12-10", {"2025-10-05", "2025-12-03"}, "2025-12-10");
        CHECK(o.failed);
        CHECK_FALSE(o.has_next);
    }
    SECTION("reviewed on the month's last day, the month is checked, as validation always did") {
        CHECK(check_recurrence(monthly, "2025-10-01", "2025-12-31", {"2025-10-05", "2025-11-05"}, "2025-12-31").failed);
        CHECK(check_recurrence(monthly, "2025-10-01", "2025-12-31", {"2025-10-05", "2025-11-05"}, "").failed);
    }
    SECTION("a period closed before the review date (discharge) checks its last month whole") {
        const auto o = check_recurrence(monthly, "2025-10-01", "2025-12-05", {"2025-10-05", "2025-11-05"}, "2025-12-20");
        CHECK(o.failed);
        CHECK(due_day(o) == "2025-12-31");
    }
}

TEST_CASE("a rolling recurrence is due at the end of the window running from its last event", "[due][recurrence]") {
    const recurrence_spec every180{"180 days", 1}, yearly{"12 months", 1};
    const auto o = check_recurrence(every180, "2025-01-10", "2025-09-30", {"2025-05-01"}, "");
    CHECK(o.pending);
    CHECK(due_day(o) == "2025-10-28");
    CHECK(due_from_text(o) == "last event 2025-05-01");
    const auto start = check_recurrence(yearly, "2024-02-29", "2024-12-31", {}, "");
    CHECK(start.pending);
    CHECK(due_day(start) == "2025-02-28");
    CHECK(due_from_text(start) == "start 2024-02-29");
    const auto missed = check_recurrence(every180, "2025-01-10", "2025-09-30", {}, "");
    CHECK(missed.failed);
    CHECK(due_day(missed) == "2025-07-09");
    CHECK_FALSE(missed.has_next); // no event since: the gap still runs, nothing new is open
    // A gap in the past, then an event: failed (the gap), and the window from that event runs, listed apart.
    const auto gap_then_visit = check_recurrence(every180, "2025-01-10", "2025-12-10", {"2025-11-01"}, "2025-12-10");
    CHECK(gap_then_visit.failed);
    CHECK(due_day(gap_then_visit) == "2025-07-09");
    REQUIRE(gap_then_visit.has_next);
    CHECK(format_date(gap_then_visit.next_due) == "2026-04-30");
    CHECK(format_date(gap_then_visit.next_from_point.day()) == "2025-11-01");
}
