#include "extension_checks.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

using namespace casedoc::detail;

TEST_CASE("a deadline met on its last day passes, and a day later fails with the days late", "[extension][deadline]") {
    deadline_spec s{60, "calendar-days"};
    CHECK_FALSE(check_deadline(s, "2024-01-10", "2024-03-10", {}, "", false).failed);
    const auto late = check_deadline(s, "2024-01-10", "2024-03-11T09:00", {}, "", false);
    CHECK(late.failed);
    CHECK_THAT(late.detail, Catch::Contains("due 2024-03-10"));
    CHECK_THAT(late.detail, Catch::Contains("1 day late"));
}

TEST_CASE("a missing target is only a finding once the due date has passed by the review date", "[extension][deadline]") {
    deadline_spec s{60, "calendar-days"};
    CHECK_FALSE(check_deadline(s, "2024-01-10", "", {}, "2024-03-01", false).failed);
    CHECK(check_deadline(s, "2024-01-10", "", {}, "2024-03-11", false).failed);
}

TEST_CASE("an extension counts only when agreed before the original due date", "[extension][deadline]") {
    deadline_spec s{90, "calendar-days"};
    const auto ok = check_deadline(s, "2024-01-01", "2024-04-20", {{"2024-03-15", "2024-04-30"}}, "", false);
    CHECK_FALSE(ok.failed);
    const auto too_late = check_deadline(s, "2024-01-01", "2024-04-20", {{"2024-04-05", "2024-04-30"}}, "", false);
    CHECK(too_late.failed);
    CHECK_THAT(too_late.detail, Catch::Contains("does not count"));
}

TEST_CASE("hour deadlines compare date-times, and excused lateness is not a finding", "[extension][deadline]") {
    deadline_spec s{72, "hours"};
    CHECK_FALSE(check_deadline(s, "2024-03-01T10:00", "2024-03-04T10:00", {}, "", false).failed);
    CHECK(check_deadline(s, "2024-03-01T10:00", "2024-03-04T10:01", {}, "", false).failed);
    CHECK_FALSE(check_deadline(s, "2024-03-01T10:00", "2024-03-09T10:00", {}, "", true).failed);
}

TEST_CASE("business-day deadlines skip the weekend", "[extension][deadline]") {
    deadline_spec s{1, "business-days"};
    CHECK_FALSE(check_deadline(s, "2024-03-01", "2024-03-04", {}, "", false).failed); // Friday -> Monday
    CHECK(check_deadline(s, "2024-03-01", "2024-03-05", {}, "", false).failed);
}

TEST_CASE("calendar-month recurrence names every month without an event", "[extension][recurrence]") {
    recurrence_spec s;
    const auto r = check_recurrence(s, "2024-01-20", "2024-04-10", {"2024-01-25", "2024-03-02"});
    CHECK(r.failed);
    CHECK_THAT(r.detail, Catch::Contains("2024-02"));
    CHECK_THAT(r.detail, Catch::Contains("2024-04"));
    CHECK_FALSE(check_recurrence(s, "2024-01-20", "2024-02-10", {"2024-01-25", "2024-02-02"}).failed);
}

TEST_CASE("rolling recurrence finds gaps longer than the window, including up to the end", "[extension][recurrence]") {
    recurrence_spec s{"180 days", 1};
    CHECK_FALSE(check_recurrence(s, "2024-01-01", "2024-12-31", {"2024-06-01", "2024-11-01"}).failed);
    const auto r = check_recurrence(s, "2024-01-01", "2025-06-30", {"2024-06-01", "2024-11-01"});
    CHECK(r.failed);
    CHECK_THAT(r.detail, Catch::Contains("none since"));
}

TEST_CASE("a recurrence's every is a calendar month or N days or months, and nothing else", "[extension][recurrence]") {
    int n = 0;
    std::string unit;
    const std::vector<std::tuple<std::string, int, std::string>> accepted = {
        {"calendar-month", 1, "calendar-month"}, {"6 months", 6, "months"}, {" 30 days ", 30, "days"}, {"1 day", 1, "days"},
        {"1 month", 1, "months"}, {"+2 months", 2, "months"}, {"7\tdays", 7, "days"}, {"6months", 6, "months"},
        {"2147483647 days", 2147483647, "days"}};
    for (const auto& [every, want_n, want_unit] : accepted) {
        INFO(every);
        REQUIRE(parse_every(every, n, unit));
        CHECK(n == want_n);
        CHECK(unit == want_unit);
    }
    for (const std::string every : {"", " ", "0 days", "-3 days", "6", "six months", "6 weeks", "6 months extra",
                                    "3000000000 days", "+-5 days", "1.5 months", "calendar-months", "6 Days"}) {
        INFO(every);
        CHECK_FALSE(parse_every(every, n, unit));
    }
}

TEST_CASE("typed fields check dates, enumerations and presence", "[extension][field]") {
    field_spec date{"date", {}, std::nullopt, true};
    CHECK(check_field(date, false, "").failed);
    CHECK(check_field(date, true, "2024-02-30").failed);
    CHECK_FALSE(check_field(date, true, "2024-02-29").failed);
    field_spec e{"enum", {"SOAP", "DAP"}, std::nullopt, false};
    CHECK(check_field(e, true, "XYZ").failed);
    CHECK_FALSE(check_field(e, false, "").failed);
    field_spec d{"duration", {}, std::nullopt, false};
    CHECK_FALSE(check_field(d, true, "P1Y2M3DT4H").failed);
    CHECK(check_field(d, true, "P").failed);
}

TEST_CASE("a very long value is refused by duration and pattern fields, not matched until the stack overflows",
          "[extension][field][limits]") {
    // libstdc++'s std::regex recurses per character: 40,000 characters overflowed an 8 MB stack (a segfault).
    const std::string digits = "P" + std::string(1000000, '1') + "D";
    field_spec d{"duration", {}, std::nullopt, false};
    CHECK(check_field(d, true, digits).failed);
    CHECK_FALSE(check_field(d, true, "P" + std::string(30, '1') + "D").failed);
    field_spec code{"pattern", {}, std::regex("[A-Z0-9 ]+", std::regex::ECMAScript | std::regex::optimize), false};
    CHECK_FALSE(check_field(code, true, std::string(4096, 'A')).failed);
    const check_outcome long_one = check_field(code, true, std::string(1000000, 'A'));
    CHECK(long_one.failed);
    CHECK_THAT(long_one.detail, Catch::Contains("1000000 characters"));
}

TEST_CASE("a date field of the wrong form names the form expected, and an offset needs its colon",
          "[extension][field][dates]") {
    field_spec date{"date", {}, std::nullopt, true};
    CHECK(check_field(date, true, "04.03.2025").detail == "'04.03.2025' is not a date (expected YYYY-MM-DD)");
    CHECK(check_field(date, false, "").missing);
    CHECK_FALSE(check_field(date, true, "04.03.2025").missing);
    field_spec date_time{"date-time", {}, std::nullopt, true};
    CHECK_FALSE(check_field(date_time, true, "2025-03-04T10:00-05:00").failed);
    const check_outcome no_colon = check_field(date_time, true, "2025-03-04T10:00-0500");
    CHECK(no_colon.failed);
    CHECK(no_colon.detail == "'2025-03-04T10:00-0500' is not a date-time (expected YYYY-MM-DDThh:mm[:ss][Z|\u00b1hh:mm])");
}

TEST_CASE("a deadline or recurrence that cannot be measured with a bad date is not applicable, not a second error",
          "[extension][deadline][recurrence][dates]") {
    const deadline_spec d{60, "calendar-days"};
    for (const auto& [anchor, target] : std::vector<std::pair<const char*, const char*>>{
             {"04.03.2025", "2025-04-01"}, {"2025-03-04", "01.04.2025"}, {"2025-03-04T10:00-0500", ""}}) {
        INFO(anchor << " " << target);
        const check_outcome o = check_deadline(d, anchor, target, {}, "", false);
        CHECK_FALSE(o.failed);
        CHECK_FALSE(o.applicable);
    }
    const recurrence_spec r{"calendar-month", 1};
    CHECK_FALSE(check_recurrence(r, "04.03.2025", "2025-06-30", {}).applicable);
    CHECK_FALSE(check_recurrence(r, "2025-03-04", "30.06.2025", {}).applicable);
    CHECK_FALSE(check_recurrence(r, "04.03.2025", "2025-06-30", {}).failed);
}
