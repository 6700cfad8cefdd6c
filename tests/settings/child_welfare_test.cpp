// Child welfare specifics: effective dating of its two schema versions, and the note-signing window as
// an agency parameter.
#include "rating_support.hpp"
#include "setting_support.hpp"

using namespace setting_test;

TEST_CASE("the child welfare schema in force is chosen by the record's service date",
          "[child_welfare][effective-dating]") {
    SECTION("a 2023 case record is checked with the 2020 schema") {
        const checked_record c = validate(samples_dir / "valid" / "case-record-lucia-2023.xml");
        CHECK(c.record["schema"].value("version", "") == "2020.1");
    }
    SECTION("a 2024 case record is checked with the 2024 schema") {
        const checked_record c = validate(samples_dir / "valid" / "case-record-jose-2024.xml");
        CHECK(c.record["schema"].value("version", "") == "2024.1");
    }
    SECTION("a note signed 100 hours after a 2023 visit meets the 2020 schema's 120-hour window") {
        const checked_record c = validate(samples_dir / "valid" / "visit-2023-signed-100h.xml");
        CHECK(c.record["schema"].value("version", "") == "2020.1");
        CHECK(c.rule_ids.count("X4-SIGN-TIMELY") == 0);
    }
}

TEST_CASE("the note-signing window is an agency parameter and findings state the value applied",
          "[child_welfare][params]") {
    const fs::path late = samples_dir / "invalid" / "x4-signed-late.xml"; // signed 80 hours after the visit
    SECTION("the 2024 default of 72 hours") {
        const checked_record c = validate(late);
        REQUIRE(c.rule_ids.count("X4-SIGN-TIMELY") == 1);
        CHECK_THAT(c.record["findings"][0].value("message", ""), Catch::Contains("72 hours"));
    }
    SECTION("an agency window of 96 hours") {
        const run_result r = run_casedoc({"validate", "--param", "note-sign-hours=96", late.string()});
        INFO(r.out << r.err);
        CHECK(r.status == 0);
    }
    SECTION("an agency window of 48 hours") {
        const run_result r =
            run_casedoc({"validate", "--format", "json", "--param", "note-sign-hours=48", late.string()});
        INFO(r.out << r.err);
        CHECK(r.status == 1);
        CHECK_THAT(r.out, Catch::Contains("more than 48 hours"));
    }
}

TEST_CASE("CW-W7-CONSULT is rated not applicable without a case plan for a child aged 14 or older",
          "[child_welfare][native][rating]") {
    SECTION("a 2023 case record of a child aged 6: not applicable") {
        CHECK(native_rating(samples_dir / "valid" / "case-record-lucia-2023.xml", "CW-W7-CONSULT") == "not_applicable");
    }
    SECTION("a 2024 case plan of a youth aged 15 who was consulted: met") {
        CHECK(native_rating(samples_dir / "valid" / "case-record-jose-2024.xml", "CW-W7-CONSULT") == "met");
        CHECK(native_rating(samples_dir / "valid" / "case-plan-youth-consulted.xml", "CW-W7-CONSULT") == "met");
    }
    SECTION("a youth not consulted on the plan: not met") {
        CHECK(native_rating(samples_dir / "invalid" / "w7-case-record-youth-not-consulted.xml", "CW-W7-CONSULT") ==
              "not_met");
        CHECK(native_rating(samples_dir / "invalid" / "w7-youth-not-consulted.xml", "CW-W7-CONSULT") == "not_met");
    }
}
