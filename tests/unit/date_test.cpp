#include <casedoc/plugin_api/casedoc_date.hpp>

#include <catch2/catch.hpp>

using namespace casedoc;

TEST_CASE("dates parse strictly and round-trip", "[date]") {
    REQUIRE(parse_date("2024-02-29"));
    CHECK(format_date(*parse_date("2024-02-29")) == "2024-02-29");
    CHECK_FALSE(parse_date("2023-02-29"));
    CHECK_FALSE(parse_date("2024-13-01"));
    CHECK_FALSE(parse_date("2024-1-01"));
    CHECK(*parse_date("1970-01-01") == 0);
}

TEST_CASE("date-times honour UTC offsets", "[date]") {
    const auto local = parse_date_time("2024-03-05T10:00");
    const auto offset = parse_date_time("2024-03-05T10:00-05:00");
    REQUIRE(local);
    REQUIRE(offset);
    CHECK(offset->minutes - local->minutes == 300);
    CHECK_FALSE(parse_date_time("2024-03-05T25:00"));
    CHECK_FALSE(parse_date_time("2024-03-05 10:00"));
}

TEST_CASE("business days skip weekends and calendar months clamp the day", "[date]") {
    const int64_t fri = *parse_date("2024-03-01");
    CHECK(weekday(fri) == 4);
    CHECK(format_date(add_business_days(fri, 1)) == "2024-03-04");
    CHECK(format_date(add_months(*parse_date("2024-01-31"), 1)) == "2024-02-29");
    CHECK(format_date(add_months(*parse_date("2024-03-10"), 12)) == "2025-03-10");
    CHECK(years_between(*parse_date("2010-06-01"), *parse_date("2024-05-31")) == 13);
    CHECK(years_between(*parse_date("2010-06-01"), *parse_date("2024-06-01")) == 14);
}
