// Hospital specifics: effective dating of the two versions of 42 CFR 482.43 (before and after
// 84 FR 51836, effective 2019-11-29), agency parameters whose value the findings state, and the native
// check HOSP-H6 (the discharge plan is updated after each change in the patient's condition).
#include "rating_support.hpp"
#include "setting_support.hpp"

using namespace setting_test;

namespace {

// A scratch directory for variants of the samples, removed when the tests end.
const fs::path &scratch_dir() {
    static const struct dir {
        fs::path path = fs::temp_directory_path() / ("casedoc-hospital-test-" + std::to_string(::getpid()));
        dir() { fs::create_directories(path); }
        ~dir() {
            std::error_code ec;
            fs::remove_all(path, ec);
        }
    } d;
    return d.path;
}

// A copy of a sample in the scratch directory with every `from` replaced by `to`.
fs::path variant(const fs::path &sample, const std::string &name,
                 const std::vector<std::pair<std::string, std::string>> &replacements) {
    std::string text = read_file(sample);
    for (const auto &[from, to] : replacements) {
        INFO("replacing '" << from << "' in " << sample.string());
        REQUIRE(text.find(from) != std::string::npos);
        for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
            text.replace(at, from.size(), to);
    }
    const fs::path out = scratch_dir() / name;
    std::ofstream(out, std::ios::binary) << text;
    return out;
}

std::vector<nlohmann::json> findings_of(const checked_record &c, const std::string &rule_id) {
    std::vector<nlohmann::json> out;
    for (const auto &f : c.record.value("findings", nlohmann::json::array()))
        if (f.value("rule_id", "") == rule_id)
            out.push_back(f);
    return out;
}

} // namespace

TEST_CASE("the hospital schema in force is chosen by the record's service date", "[hospital][effective-dating]") {
    SECTION("an episode reviewed in November 2019 is checked with the rules before 84 FR 51836") {
        const checked_record c = validate(samples_dir / "valid" / "case-record-zoe-2019-irf.xml");
        CHECK(c.record["schema"].value("version", "") == "2017.1");
        CHECK(c.record.value("status", "") == "compliant");
    }
    SECTION("an episode reviewed in 2024 is checked with the revised rules") {
        const checked_record c = validate(samples_dir / "valid" / "case-record-jose-2024-snf.xml");
        CHECK(c.record["schema"].value("version", "") == "2019.11");
    }
    SECTION("an IRF discharge plan without a provider list passes on 2019-11-28 and fails from 2019-11-29") {
        const fs::path irf_2019 = samples_dir / "valid" / "discharge-plan-irf-2019.xml"; // dated 2019-10-16
        const checked_record before = validate(variant(irf_2019, "irf-2019-11-28.xml", {{"2019-10-16T", "2019-11-28T"}}));
        CHECK(before.record["schema"].value("version", "") == "2017.1");
        CHECK(joined(before.rule_ids) == "(none)");

        const checked_record after = validate(variant(irf_2019, "irf-2019-11-29.xml", {{"2019-10-16T", "2019-11-29T"}}));
        CHECK(after.record["schema"].value("version", "") == "2019.11");
        // H7 now covers IRFs, and H8 (quality and resource-use data) is new.
        CHECK(joined(after.rule_ids) == "HOSP-H7-CHOICE HOSP-H7-LIST HOSP-H7-PRESENTED HOSP-H8");
        CHECK(after.run.status == 1);
    }
    SECTION("a SNF plan needs the provider list in both versions, cited by the paragraph in force") {
        const fs::path short_list = samples_dir / "invalid" / "h7-list-one-provider.xml"; // 2024
        const checked_record now = validate(short_list);
        REQUIRE(findings_of(now, "HOSP-H7-LIST").size() == 1);
        CHECK_THAT(findings_of(now, "HOSP-H7-LIST")[0].value("citation", ""), Catch::StartsWith("42 CFR 482.43(c)(1)"));

        const checked_record old = validate(variant(short_list, "snf-2019.xml", {{"2024-05-07T", "2019-10-07T"}}));
        CHECK(old.record["schema"].value("version", "") == "2017.1");
        REQUIRE(findings_of(old, "HOSP-H7-LIST").size() == 1);
        CHECK_THAT(findings_of(old, "HOSP-H7-LIST")[0].value("citation", ""),
                   Catch::StartsWith("42 CFR 482.43(c)(6) (pre-2019 numbering, unverified)"));
        CHECK(old.rule_ids.count("HOSP-H8") == 0);
    }
}

TEST_CASE("hospital agency parameters change the outcome and findings state the value applied", "[hospital][params]") {
    SECTION("the discharge-summary window: 72 hours by default, a warning") {
        const fs::path late = samples_dir / "invalid" / "h12-summary-signed-after-80-hours.xml";
        const checked_record c = validate(late);
        const auto found = findings_of(c, "HOSP-H12-SUMMARY");
        REQUIRE(found.size() == 1);
        CHECK(found[0].value("severity", "") == "warning");
        CHECK_THAT(found[0].value("message", ""), Catch::Contains("within 72 hours of discharge"));
        CHECK_THAT(found[0].value("citation", ""), Catch::StartsWith("agency policy (configurable)"));
        CHECK(c.run.status == 0); // a warning alone leaves the record compliant
    }
    SECTION("the discharge-summary window: an agency window of 96 hours") {
        const run_result r = run_casedoc({"validate", "--format", "json", "--param", "discharge-summary-hours=96",
                                          (samples_dir / "invalid" / "h12-summary-signed-after-80-hours.xml").string()});
        INFO(r.out << r.err);
        CHECK(r.status == 0);
        CHECK(r.out.find("HOSP-H12-SUMMARY") == std::string::npos);
    }
    SECTION("the discharge-summary window: an agency window of 24 hours") {
        const run_result r = run_casedoc({"validate", "--format", "json", "--param", "discharge-summary-hours=24",
                                          (samples_dir / "invalid" / "h12-summary-signed-after-80-hours.xml").string()});
        INFO(r.out << r.err);
        CHECK_THAT(r.out, Catch::Contains("within 24 hours of discharge"));
    }
    SECTION("the minimum number of providers listed: 1 instead of 2") {
        const fs::path short_list = samples_dir / "invalid" / "h7-list-one-provider.xml";
        const run_result r = run_casedoc({"validate", "--param", "pac-list-min-providers=1", short_list.string()});
        INFO(r.out << r.err);
        CHECK(r.status == 0);
        const checked_record c = validate(short_list);
        REQUIRE(findings_of(c, "HOSP-H7-LIST").size() == 1);
        CHECK_THAT(findings_of(c, "HOSP-H7-LIST")[0].value("message", ""), Catch::Contains("at least 2, agency policy"));
    }
    SECTION("the evaluation threshold: 96 hours instead of 48") {
        const fs::path late = samples_dir / "invalid" / "h2-evaluation-after-48-hours.xml"; // 73 hours
        const checked_record c = validate(late);
        REQUIRE(findings_of(c, "HOSP-H2-TIMELY").size() == 1);
        CHECK_THAT(findings_of(c, "HOSP-H2-TIMELY")[0].value("message", ""), Catch::Contains("within 48 hours of admission"));
        const run_result r = run_casedoc({"validate", "--format", "json", "--param", "dp-evaluation-hours=96", late.string()});
        CHECK(r.out.find("HOSP-H2-TIMELY") == std::string::npos);
    }
}

TEST_CASE("the Important Message rules read the plugin's facts and apply to Medicare beneficiaries only",
          "[hospital][facts]") {
    const fs::path no_copy = samples_dir / "invalid" / "h15-no-follow-up-copy.xml"; // notice 6 days before discharge
    const checked_record medicare = validate(no_copy);
    REQUIRE(findings_of(medicare, "HOSP-H15-FOLLOWUP").size() == 1);
    CHECK_THAT(findings_of(medicare, "HOSP-H15-FOLLOWUP")[0].value("message", ""),
               Catch::Contains("between 2024-05-11 and 2024-05-13")); // $im-followup-from = discharge - 2 days

    const checked_record commercial = validate(variant(no_copy, "commercial.xml", {{"payer=\"medicare\"", "payer=\"commercial\""}}));
    CHECK(joined(commercial.rule_ids) == "(none)");

    // A first notice within 2 calendar days of discharge needs no follow-up copy.
    const checked_record short_stay = validate(variant(no_copy, "short-stay.xml",
                                                       {{"type=\"im-notice\" date=\"2024-05-07\"", "type=\"im-notice\" date=\"2024-05-08\""},
                                                        {"type=\"discharge\" date=\"2024-05-13\"", "type=\"discharge\" date=\"2024-05-10\""}}));
    CHECK(findings_of(short_stay, "HOSP-H15-FOLLOWUP").empty());
}

TEST_CASE("native check HOSP-H6: the discharge plan is updated after each change in condition", "[hospital][native]") {
    REQUIRE(native_rule_ids().count("HOSP-H6") == 1);

    SECTION("no update after the change: reported at the condition-change event") {
        const fs::path sample = samples_dir / "invalid" / "h6-plan-not-updated.xml";
        const checked_record c = validate(sample);
        const auto found = findings_of(c, "HOSP-H6");
        REQUIRE(found.size() == 1);
        CHECK_THAT(found[0].value("element", ""), Catch::EndsWith("event"));
        const std::string text = read_file(sample);
        const auto event_line = 1 + std::count(text.begin(), text.begin() + text.find("type=\"condition-change\""), '\n');
        CHECK(found[0].value("line", 0) == event_line);
        CHECK(found[0].value("severity", "") == "error");
        CHECK_THAT(found[0].value("message", ""), Catch::Contains("changed on 2024-05-08T14:20"));
        CHECK_THAT(found[0].value("message", ""), Catch::Contains("before discharge (2024-05-13T11:15)"));
        CHECK(c.run.status == 1);
    }
    SECTION("an update dated after discharge does not count") {
        const checked_record c = validate(samples_dir / "invalid" / "h6-update-after-discharge.xml");
        CHECK(findings_of(c, "HOSP-H6").size() == 1);
    }
    SECTION("an update dated before the change does not count") {
        const checked_record c = validate(variant(samples_dir / "valid" / "case-record-jose-2024-snf.xml", "update-before.xml",
                                                  {{"type=\"condition-change\" date=\"2024-05-08\" time=\"14:20\"",
                                                    "type=\"condition-change\" date=\"2024-05-09\" time=\"14:20\""}}));
        CHECK(findings_of(c, "HOSP-H6").size() == 1);
    }
    SECTION("a discharge-plan update note or a progress note's plan-update satisfies it") {
        CHECK(findings_of(validate(samples_dir / "valid" / "case-record-jose-2024-snf.xml"), "HOSP-H6").empty());
        CHECK(findings_of(validate(samples_dir / "valid" / "case-record-lucia-2024-home.xml"), "HOSP-H6").empty());
    }
    SECTION("in an open episode a change is due by the review date, not on it") {
        const fs::path open = samples_dir / "valid" / "case-record-chloe-open.xml"; // change on the as-of day
        CHECK(findings_of(validate(open), "HOSP-H6").empty());
        const checked_record later = validate(variant(open, "open-later.xml", {{"as-of=\"2024-09-30\"", "as-of=\"2024-10-01\""}}));
        const auto found = findings_of(later, "HOSP-H6");
        REQUIRE(found.size() == 1);
        CHECK_THAT(found[0].value("message", ""), Catch::Contains("by the review date (2024-10-01)"));
    }
}

TEST_CASE("HOSP-H6 is rated not applicable without a change in the patient's condition", "[hospital][native][rating]") {
    SECTION("an episode without a condition-change event: not applicable") {
        CHECK(native_rating(samples_dir / "valid" / "case-record-zoe-2019-irf.xml", "HOSP-H6") == "not_applicable");
    }
    SECTION("an open episode whose only change is on the as-of day (not yet due): not applicable") {
        const fs::path open = samples_dir / "valid" / "case-record-chloe-open.xml";
        CHECK(native_rating(open, "HOSP-H6") == "met");
        const fs::path later = variant(open, "h6-change-on-as-of-day.xml",
                                       {{"<event type=\"condition-change\" date=\"2024-09-28\" time=\"09:10\"/>", ""}});
        CHECK(native_rating(later, "HOSP-H6") == "not_applicable");
    }
    SECTION("a change followed by a plan update before discharge: met") {
        CHECK(native_rating(samples_dir / "valid" / "case-record-jose-2024-snf.xml", "HOSP-H6") == "met");
    }
    SECTION("a change without a plan update: not met") {
        CHECK(native_rating(samples_dir / "invalid" / "h6-plan-not-updated.xml", "HOSP-H6") == "not_met");
    }
}
