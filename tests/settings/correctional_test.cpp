// Correctional specifics: effective dating of its two schema versions (the agency's 2024-07-01 adoption of
// the state-style classification rules, CORR-C14), agency parameters, and the native checks CORR-C2-90
// (90-day program reviews near release) and CORR-C12-HOME / CORR-C12-RRC (18 U.S.C. 3624(c) limits).
#include "rating_support.hpp"
#include "setting_support.hpp"

using namespace setting_test;

namespace {

// A copy of `from` under the temporary directory with every `what` replaced by `with`.
fs::path rewritten_copy(const fs::path &from, const std::string &what, const std::string &with, const std::string &name) {
    std::string text = read_file(from);
    size_t replaced = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
        text.replace(at, what.size(), with);
        ++replaced;
    }
    REQUIRE(replaced > 0);
    const fs::path to = fs::temp_directory_path() / ("casedoc-correctional-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(to, std::ios::binary) << text;
    return to;
}

std::vector<nlohmann::json> findings_of(const checked_record &c, const std::string &rule) {
    std::vector<nlohmann::json> out;
    for (const auto &f : c.record.value("findings", nlohmann::json::array()))
        if (f.value("rule_id", "") == rule)
            out.push_back(f);
    return out;
}

std::string message_of(const checked_record &c, const std::string &rule) {
    const auto found = findings_of(c, rule);
    REQUIRE(!found.empty());
    return found.front().value("message", "");
}

} // namespace

TEST_CASE("the correctional schema in force is chosen by the record's service date",
          "[correctional][effective-dating]") {
    SECTION("a case record extracted in May 2024 is checked with the 2020 schema") {
        const checked_record c = validate(samples_dir / "valid" / "case-record-zoe-released-2024.xml");
        CHECK(c.record["schema"].value("version", "") == "2020.1");
        CHECK(c.record.value("status", "") == "compliant");
    }
    SECTION("a case record extracted in September 2025 is checked with the 2024 schema") {
        const checked_record c = validate(samples_dir / "valid" / "case-record-jose-2025.xml");
        CHECK(c.record["schema"].value("version", "") == "2024.1");
        CHECK(c.record.value("status", "") == "compliant");
    }
    SECTION("the same program review without a next-review date passes in June 2024 and fails in August 2024") {
        const fs::path june = samples_dir / "valid" / "classification-2024-06-review-no-next-date.xml";
        const checked_record before = validate(june);
        CHECK(before.record["schema"].value("version", "") == "2020.1");
        CHECK(before.rule_ids.count("CORR-C14-NEXT-REVIEW") == 0);
        CHECK(before.run.status == 0);

        const fs::path august = rewritten_copy(june, "2024-06-", "2024-08-", "review-2024-08.xml");
        const checked_record after = validate(august);
        fs::remove(august);
        CHECK(after.record["schema"].value("version", "") == "2024.1");
        CHECK(joined(after.rule_ids) == "CORR-C14-NEXT-REVIEW");
        CHECK(after.run.status == 1);
    }
    SECTION("the 2024 schema does not hold events before 2024-07-01 to the policy adopted that day") {
        // Zoë's counselor was assigned 6 days after her 2021 arrival; extracted after the change, the
        // record is checked with the 2024 schema and the rule still does not apply to that arrival.
        const fs::path later = rewritten_copy(samples_dir / "valid" / "case-record-zoe-released-2024.xml",
                                              "as-of=\"2024-05-31\"", "as-of=\"2024-09-30\"", "zoe-2024-09.xml");
        const checked_record c = validate(later);
        fs::remove(later);
        CHECK(c.record["schema"].value("version", "") == "2024.1");
        CHECK(c.rule_ids.count("CORR-C14") == 0);
        CHECK(c.rule_ids.count("CORR-C14-NEXT-REVIEW") == 0); // nor her reviews before 2024-07-01 to the next-review rule
        CHECK(c.record.value("status", "") == "compliant");
    }
}

TEST_CASE("agency parameters change the outcome and the findings state the value applied", "[correctional][params]") {
    SECTION("counselor assignment: 72 hours by default, configurable") {
        const fs::path late = samples_dir / "invalid" / "c14-counselor-assigned-late.xml"; // 91 hours after arrival
        const checked_record c = validate(late);
        CHECK_THAT(message_of(c, "CORR-C14"), Catch::Contains("within 72 hours"));

        const run_result wider = run_casedoc({"validate", "--param", "counselor-assignment-hours=96", late.string()});
        INFO(wider.out << wider.err);
        CHECK(wider.status == 0);

        const run_result narrower =
            run_casedoc({"validate", "--format", "json", "--param", "counselor-assignment-hours=48", late.string()});
        INFO(narrower.out << narrower.err);
        CHECK(narrower.status == 1);
        CHECK_THAT(narrower.out, Catch::Contains("within 48 hours"));
    }
    SECTION("intake assessment: 28 days by default, configurable") {
        const fs::path late = samples_dir / "invalid" / "c8-intake-assessment-late.xml"; // day 42
        const checked_record c = validate(late);
        CHECK_THAT(message_of(c, "CORR-C8-INTAKE"), Catch::Contains("within 28 days"));

        const run_result wider = run_casedoc({"validate", "--param", "intake-assessment-days=45", late.string()});
        INFO(wider.out << wider.err);
        CHECK(wider.status == 0);

        const run_result narrower =
            run_casedoc({"validate", "--format", "json", "--param", "intake-assessment-days=14", late.string()});
        CHECK_THAT(narrower.out, Catch::Contains("within 14 days"));
    }
    SECTION("an extension agreed before the due date counts, one agreed after it does not") {
        CHECK(validate(samples_dir / "valid" / "case-record-jose-intake-extension.xml").rule_ids.count("CORR-C8-INTAKE") == 0);
        const checked_record c = validate(samples_dir / "invalid" / "c8-intake-extension-too-late.xml");
        CHECK_THAT(message_of(c, "CORR-C8-INTAKE"), Catch::Contains("after the due date, does not count"));
    }
}

TEST_CASE("native check CORR-C2-90: program reviews every 90 days within 12 months of the projected release date",
          "[correctional][native]") {
    SECTION("reviews 84 to 86 days apart near release pass") {
        CHECK(validate(samples_dir / "valid" / "case-record-jose-2025.xml").rule_ids.count("CORR-C2-90") == 0);
        CHECK(validate(samples_dir / "valid" / "case-record-zoe-released-2024.xml").rule_ids.count("CORR-C2-90") == 0);
    }
    SECTION("a 127-day gap is reported at the review that ends it") {
        const checked_record c = validate(samples_dir / "invalid" / "c2-90-review-late.xml");
        const auto found = findings_of(c, "CORR-C2-90");
        REQUIRE(found.size() == 1);
        CHECK(found[0].value("element", "") == "r:note");
        CHECK_THAT(found[0].value("message", ""), Catch::Contains("127 days") && Catch::Contains("due by 2025-07-14"));
        CHECK(c.rule_ids.count("CORR-C2") == 0); // within 180 days: only the shorter cadence is broken
    }
    SECTION("an overdue last review is reported at the record, as of its as-of date or release date") {
        const checked_record open = validate(samples_dir / "invalid" / "c2-90-review-overdue.xml");
        const auto found = findings_of(open, "CORR-C2-90");
        REQUIRE(found.size() == 1);
        CHECK(found[0].value("element", "") == "r:case-record");
        CHECK_THAT(found[0].value("message", ""), Catch::Contains("as-of date (2025-09-30)"));

        const checked_record released = validate(samples_dir / "invalid" / "c2-90-overdue-before-release.xml");
        CHECK_THAT(message_of(released, "CORR-C2-90"), Catch::Contains("release date (2024-03-29)"));
    }
    SECTION("a gap longer than 180 days is the schema's CORR-C2 finding, not reported twice") {
        const checked_record c = validate(samples_dir / "invalid" / "c2-no-review-for-260-days.xml");
        CHECK(joined(c.rule_ids) == "CORR-C2");
    }
    SECTION("the 90-day cadence starts when the 12 months start, not at the next review") {
        // Zoë's review of 2023-03-06 falls just before the 12 months (from 2023-03-30); without the
        // review of 2023-06-05 the next one (2023-08-28) is 175 days later: within 180, but past
        // 2023-06-28, 90 days into the 12 months.
        const fs::path gap = rewritten_copy(samples_dir / "valid" / "case-record-zoe-released-2024.xml",
                                            "service-at=\"2023-06-05T09:00\"", "service-at=\"2023-08-28T08:00\"", "zoe-gap.xml");
        const checked_record c = validate(gap);
        fs::remove(gap);
        CHECK_THAT(message_of(c, "CORR-C2-90"), Catch::Contains("due by 2023-06-28"));
    }
}

TEST_CASE("native checks CORR-C12-HOME and CORR-C12-RRC: prerelease custody limits of 18 U.S.C. 3624(c)",
          "[correctional][native]") {
    SECTION("placements within the limits pass") {
        CHECK(validate(samples_dir / "valid" / "reentry-plan-complete.xml").rule_ids.empty());
        CHECK(validate(samples_dir / "valid" / "case-record-zoe-released-2024.xml").rule_ids.empty());
    }
    SECTION("home confinement over 10 % of a 24-month term") {
        const checked_record c = validate(samples_dir / "invalid" / "c12-home-confinement-over-10-percent.xml");
        CHECK(joined(c.rule_ids) == "CORR-C12-HOME");
        CHECK_THAT(message_of(c, "CORR-C12-HOME"), Catch::Contains("90 days exceeds the limit of 73 days"));
    }
    SECTION("home confinement over 6 months of a 10-year term") {
        const checked_record c = validate(samples_dir / "invalid" / "c12-home-confinement-over-6-months.xml");
        CHECK_THAT(message_of(c, "CORR-C12-HOME"), Catch::Contains("212 days exceeds the limit of 181 days"));
    }
    SECTION("home confinement without the sentence computation dates cannot be checked, and says so") {
        const checked_record c = validate(samples_dir / "invalid" / "c12-home-confinement-no-term.xml");
        CHECK_THAT(message_of(c, "CORR-C12-HOME"), Catch::Contains("cannot be checked"));
    }
    SECTION("RRC and home confinement together over 12 months") {
        const checked_record c = validate(samples_dir / "invalid" / "c12-prerelease-over-12-months.xml");
        CHECK(joined(c.rule_ids) == "CORR-C12-RRC");
        CHECK_THAT(message_of(c, "CORR-C12-RRC"), Catch::Contains("396 days exceeds 12 months"));
    }
    SECTION("placements under 3624(g) (First Step Act time credits) are not held to the 3624(c) limits") {
        CHECK(validate(samples_dir / "valid" / "reentry-plan-fsa-time-credits.xml").rule_ids.empty());
    }
    SECTION("the reentry plans of a case record are checked too") {
        // Zoë's home confinement moved to start in September 2023: 210 days, over 10 % of her term (109 days).
        const fs::path longer = rewritten_copy(samples_dir / "valid" / "case-record-zoe-released-2024.xml",
                                               "type=\"home-confinement\" start=\"2024-02-26\"",
                                               "type=\"home-confinement\" start=\"2023-09-01\"", "zoe-home.xml");
        const checked_record c = validate(longer);
        fs::remove(longer);
        CHECK(c.rule_ids.count("CORR-C12-HOME") == 1);
        CHECK_THAT(message_of(c, "CORR-C12-HOME"), Catch::Contains("limit of 109 days"));
    }
}

TEST_CASE("the native checks are rated not applicable where their condition does not arise",
          "[correctional][native][rating]") {
    // As of 2025-07-31, projected release 2026-09-29, no prerelease custody placements.
    const fs::path far_from_release = samples_dir / "caseload" / "cr-2025-0105.xml";
    const fs::path fsa = samples_dir / "valid" / "reentry-plan-fsa-time-credits.xml"; // 3624(g) home confinement only
    SECTION("CORR-C2-90") {
        // The period ends before the 12 months before the projected release.
        CHECK(native_rating(far_from_release, "CORR-C2-90") == "not_applicable");
        CHECK(native_rating(samples_dir / "valid" / "case-record-jose-2025.xml", "CORR-C2-90") == "met");
        CHECK(native_rating(samples_dir / "invalid" / "c2-90-review-late.xml", "CORR-C2-90") == "not_met");
    }
    SECTION("CORR-C12-HOME") {
        CHECK(native_rating(fsa, "CORR-C12-HOME") == "not_applicable");
        CHECK(native_rating(far_from_release, "CORR-C12-HOME") == "not_applicable");
        CHECK(native_rating(samples_dir / "valid" / "reentry-plan-complete.xml", "CORR-C12-HOME") == "met");
        CHECK(native_rating(samples_dir / "invalid" / "c12-home-confinement-over-10-percent.xml", "CORR-C12-HOME") ==
              "not_met");
        // A data problem reported under the rule: not met, never also not applicable.
        CHECK(native_rating(samples_dir / "invalid" / "c12-home-confinement-no-term.xml", "CORR-C12-HOME") ==
              "not_met");
    }
    SECTION("CORR-C12-RRC") {
        CHECK(native_rating(fsa, "CORR-C12-RRC") == "not_applicable");
        CHECK(native_rating(far_from_release, "CORR-C12-RRC") == "not_applicable");
        CHECK(native_rating(samples_dir / "valid" / "reentry-plan-complete.xml", "CORR-C12-RRC") == "met");
        CHECK(native_rating(samples_dir / "invalid" / "c12-prerelease-over-12-months.xml", "CORR-C12-RRC") ==
              "not_met");
    }
}
