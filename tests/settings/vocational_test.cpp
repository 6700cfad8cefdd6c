// Vocational rehabilitation specifics: effective dating of its two schema versions (the trial work
// progress interval), agency parameters, the native checks VR-V12, VR-V13 and VR-V15-DATES, and the
// RSA-911 export.
#include "rating_support.hpp"
#include "setting_support.hpp"

#include <map>

using namespace setting_test;

namespace {

// A copy of a sample with one piece of text replaced, in a file of its own; removed with the object.
struct edited_sample {
    fs::path path;
    edited_sample(const fs::path &from, const std::string &find, const std::string &replace, const std::string &name) {
        std::string text = read_file(from);
        const size_t at = text.find(find);
        REQUIRE(at != std::string::npos);
        text.replace(at, find.size(), replace);
        path = fs::temp_directory_path() / ("casedoc-vocational-" + std::to_string(::getpid()) + "-" + name + ".xml");
        std::ofstream(path, std::ios::binary) << text;
    }
    ~edited_sample() { fs::remove(path); }
};

std::string message_of(const checked_record &c, const std::string &rule_id) {
    for (const auto &f : c.record.value("findings", nlohmann::json::array()))
        if (f.value("rule_id", "") == rule_id)
            return f.value("message", "");
    return {};
}

std::vector<std::vector<std::string>> read_csv(const fs::path &file) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(read_file(file));
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        std::vector<std::string> row;
        std::string cell;
        std::istringstream cells(line);
        while (std::getline(cells, cell, ','))
            row.push_back(cell);
        if (!line.empty() && line.back() == ',')
            row.push_back("");
        rows.push_back(row);
    }
    return rows;
}

const fs::path valid_dir = samples_dir / "valid";
const fs::path invalid_dir = samples_dir / "invalid";

} // namespace

TEST_CASE("the vocational schema in force is chosen by the record's service date", "[vocational][effective-dating]") {
    // The same trial work history (progress assessed every 74 days), before and after 2025-07-01.
    SECTION("a case open on 2024-06-30 is checked with the 2017 schema and its 90-day trial work interval") {
        const checked_record c = validate(valid_dir / "case-record-zoe-2024-trial-work.xml");
        CHECK(c.record["schema"].value("version", "") == "2017.1");
        CHECK(c.rule_ids.count("VR-V12") == 0);
        CHECK(c.run.status == 0);
    }
    SECTION("the same history in a case open on 2026-06-28 is checked with the 2025 schema and breaks its 60-day interval") {
        const checked_record c = validate(invalid_dir / "v12-trial-work-2025-interval.xml");
        CHECK(c.record["schema"].value("version", "") == "2025.1");
        REQUIRE(c.rule_ids.count("VR-V12") == 1);
        CHECK_THAT(message_of(c, "VR-V12"), Catch::Contains("at least every 60 days"));
        CHECK_THAT(message_of(c, "VR-V12"), Catch::Contains("2025-01-20 to 2025-04-04 (74 days)"));
        CHECK(c.run.status == 1);
    }
    SECTION("a 2023 note is checked with the 2017 schema, a 2025 note with the 2025 schema") {
        CHECK(validate(valid_dir / "progress-2023-trial-work.xml").record["schema"].value("version", "") == "2017.1");
        CHECK(validate(valid_dir / "progress-dap.xml").record["schema"].value("version", "") == "2025.1");
    }
    SECTION("the change date: the same record as of 2025-06-30 and as of 2025-07-01") {
        const fs::path zoe = valid_dir / "case-record-zoe-2024-trial-work.xml";
        const edited_sample last_day(zoe, "as-of=\"2024-06-30\"", "as-of=\"2025-06-30\"", "as-of-2025-06-30");
        const edited_sample first_day(zoe, "as-of=\"2024-06-30\"", "as-of=\"2025-07-01\"", "as-of-2025-07-01");
        const checked_record before = validate(last_day.path);
        const checked_record after = validate(first_day.path);
        CHECK(before.record["schema"].value("version", "") == "2017.1");
        CHECK(before.rule_ids.count("VR-V12") == 0);
        CHECK(after.record["schema"].value("version", "") == "2025.1");
        CHECK(after.rule_ids.count("VR-V12") == 1);
    }
}

TEST_CASE("the trial work progress interval is an agency parameter and findings state the value applied",
          "[vocational][params]") {
    SECTION("an agency interval of 90 days makes the 2025 record compliant") {
        const run_result r = run_casedoc({"validate", "--param", "trial-work-progress-days=90",
                                          (invalid_dir / "v12-trial-work-2025-interval.xml").string()});
        INFO(r.out << r.err);
        CHECK(r.status == 0);
    }
    SECTION("an agency interval of 45 days breaks the 2024 record, and the message says 45") {
        const run_result r =
            run_casedoc({"validate", "--format", "json", "--param", "trial-work-progress-days=45",
                         (valid_dir / "case-record-zoe-2024-trial-work.xml").string()});
        INFO(r.out << r.err);
        CHECK(r.status == 1);
        CHECK_THAT(r.out, Catch::Contains("at least every 45 days"));
        CHECK_THAT(r.out, Catch::Contains("trial-work-progress-days=45"));
        CHECK_THAT(r.out, Catch::Contains("VR-V12"));
    }
}

TEST_CASE("other agency parameters of the vocational schemas change the outcome", "[vocational][params]") {
    SECTION("the note-signing window: 72 hours by default, 96 hours by agency choice") {
        const fs::path late = invalid_dir / "x4-signed-late.xml"; // signed 80 hours after the contact
        const checked_record c = validate(late);
        REQUIRE(c.rule_ids.count("X4-SIGN-TIMELY") == 1);
        CHECK_THAT(message_of(c, "X4-SIGN-TIMELY"), Catch::Contains("72 hours"));
        CHECK(run_casedoc({"validate", "--param", "note-sign-hours=96", late.string()}).status == 0);
    }
    SECTION("the credentials that qualify a VR counselor to approve an IPE") {
        const fs::path ipe = invalid_dir / "v3-counselor-not-qualified.xml"; // approved by a counselor with a BA
        const checked_record c = validate(ipe);
        REQUIRE(c.rule_ids.count("VR-V3-COUNSELOR") == 1);
        CHECK_THAT(message_of(c, "VR-V3-COUNSELOR"), Catch::Contains("(CRC LPC LRC)"));
        const run_result r = run_casedoc({"validate", "--param", "qualified-counselor-credentials=CRC BA", ipe.string()});
        INFO(r.out << r.err);
        CHECK(r.status == 0);
    }
}

TEST_CASE("VR-V13: a case is closed with an employment outcome only after 90 days of employment",
          "[vocational][native]") {
    const fs::path closure = valid_dir / "closure-employment-outcome.xml"; // closed 2026-09-14, started 2026-06-01
    SECTION("105 days of employment passes") {
        const checked_record c = validate(closure);
        CHECK(c.rule_ids.count("VR-V13") == 0);
        CHECK(c.run.status == 0);
    }
    SECTION("exactly 90 days passes") {
        const edited_sample s(closure, "start-date=\"2026-06-01\"", "start-date=\"2026-06-16\"", "v13-90");
        const checked_record c = validate(s.path);
        CHECK(c.rule_ids.count("VR-V13") == 0);
    }
    SECTION("89 days fails, and the message gives the earliest closure date") {
        const edited_sample s(closure, "start-date=\"2026-06-01\"", "start-date=\"2026-06-17\"", "v13-89");
        const checked_record c = validate(s.path);
        REQUIRE(c.rule_ids.count("VR-V13") == 1);
        CHECK_THAT(message_of(c, "VR-V13"), Catch::Contains("after 89 days of employment"));
        CHECK_THAT(message_of(c, "VR-V13"), Catch::Contains("2026-09-15 at the earliest"));
        CHECK(c.run.status == 1);
    }
    SECTION("in a case record, a closure without its own start date uses the employment-start event") {
        const fs::path record = valid_dir / "case-record-jose-2026.xml";
        const edited_sample ok(record, "start-date=\"2026-06-01\" ", "", "v13-event-ok");
        CHECK(validate(ok.path).rule_ids.count("VR-V13") == 0);
        const edited_sample early(record, "<event type=\"employment-start\" date=\"2026-06-01\"",
                                  "<event type=\"employment-start\" date=\"2026-07-01\"", "v13-event-start");
        const edited_sample both(early.path, "start-date=\"2026-06-01\" ", "", "v13-event-late");
        const checked_record c = validate(both.path);
        REQUIRE(c.rule_ids.count("VR-V13") == 1);
        CHECK_THAT(message_of(c, "VR-V13"), Catch::Contains("after 75 days of employment (started 2026-07-01)"));
    }
}

TEST_CASE("VR-V15-DATES: the case dates are in order", "[vocational][native]") {
    SECTION("dates in order pass") {
        for (const char *f : {"case-record-jose-2026.xml", "case-record-minh-ipe-extension.xml", "case-record-anais-ineligible.xml"})
            CHECK(validate(valid_dir / f).rule_ids.count("VR-V15-DATES") == 0);
    }
    SECTION("eligibility before the application fails") {
        const checked_record c = validate(invalid_dir / "v15-eligibility-before-application.xml");
        REQUIRE(c.rule_ids.count("VR-V15-DATES") == 1);
        CHECK_THAT(message_of(c, "VR-V15-DATES"), Catch::Contains("E38 Eligibility Date must not be earlier than E7"));
    }
    SECTION("an exit before the application fails") {
        const edited_sample s(valid_dir / "case-record-anais-ineligible.xml", "<event type=\"exit\" date=\"2025-10-06\"",
                              "<event type=\"exit\" date=\"2025-07-06\"", "v15-exit");
        const checked_record c = validate(s.path);
        REQUIRE(c.rule_ids.count("VR-V15-DATES") == 1);
        CHECK_THAT(message_of(c, "VR-V15-DATES"), Catch::Contains("The exit (2025-07-06) is dated before the application"));
    }
}

TEST_CASE("VR-V2 counts the IPE from the later of the two signatures, and an agreed extension",
          "[vocational][deadline]") {
    SECTION("an IPE on day 98 under an extension agreed on day 77 passes; without it, it fails") {
        CHECK(validate(valid_dir / "case-record-minh-ipe-extension.xml").rule_ids.count("VR-V2") == 0);
        const checked_record c = validate(invalid_dir / "v2-ipe-after-104-days.xml");
        REQUIRE(c.rule_ids.count("VR-V2") == 1);
        CHECK_THAT(message_of(c, "VR-V2"), Catch::Contains("due 2025-11-16"));
    }
    SECTION("a counselor who signs after day 90 makes the IPE late") {
        // José's IPE was agreed on 2025-05-29 (day 66); the counselor now signs on 2025-06-24 (day 92).
        const edited_sample s(valid_dir / "case-record-jose-2026.xml",
                              "signed-at=\"2025-05-29T13:06\"", "signed-at=\"2025-06-24T13:06\"", "v2-late-signature");
        const checked_record c = validate(s.path);
        REQUIRE(c.rule_ids.count("VR-V2") == 1);
        CHECK_THAT(message_of(c, "VR-V2"), Catch::Contains("done 2025-06-24"));
    }
}

TEST_CASE("the RSA-911 export writes the PD 19-03 fields a case record holds", "[vocational][export]") {
    const fs::path out = fs::temp_directory_path() / ("casedoc-vocational-rsa911-" + std::to_string(::getpid()) + ".csv");
    const run_result r = run_casedoc({"export", "vocational:rsa911", valid_dir.string(), "-o", out.string(),
                                      "--param", "rsa911-year=2026", "--param", "rsa911-quarter=1"});
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    const auto rows = read_csv(out);
    fs::remove(out);
    REQUIRE(rows.size() == 5); // the heading and the 4 valid case records; notes are skipped
    CHECK(rows[0] == std::vector<std::string>{"Record ID", "E1 Year", "E2 Quarter", "E7 Application Date",
                                              "E38 Eligibility Date", "E39 Eligibility Extension",
                                              "E45 Significance of Disability", "IPE Date", "Exit Date",
                                              "E355 Reason for Exit"});
    std::map<std::string, std::vector<std::string>> by_id;
    for (size_t i = 1; i < rows.size(); ++i) {
        REQUIRE(rows[i].size() == rows[0].size());
        by_id[rows[i][0]] = rows[i];
    }
    CHECK(by_id["VR-2025-3101"] == std::vector<std::string>{"VR-2025-3101", "2026", "1", "2025-02-03", "2025-03-24", "0",
                                                           "most-significant", "2025-05-29", "2026-09-14", ""});
    // Eligibility on an extension the individual agreed to; still open.
    CHECK(by_id["VR-2023-2877"] == std::vector<std::string>{"VR-2023-2877", "2026", "1", "2023-01-09", "2023-07-14", "1",
                                                           "most-significant", "2023-09-12", "", ""});
    // Found ineligible: no eligibility date, no IPE; exit with its reason code.
    CHECK(by_id["VR-2025-3155"] == std::vector<std::string>{"VR-2025-3155", "2026", "1", "2025-08-04", "", "", "", "",
                                                           "2025-10-06", "06"});
    CHECK(by_id.count("VR-2025-3190") == 1);
}

TEST_CASE("the RSA-911 export names its mapping version and refuses a bad reporting period", "[vocational][export]") {
    SECTION("the plugin lists the export with its mapping version") {
        const run_result r = run_casedoc({"plugins", "--format", "json"});
        REQUIRE(r.status == 0);
        const auto list = nlohmann::json::parse(r.out);
        bool found = false;
        for (const auto &p : list)
            if (p.value("id", "") == plugin_id)
                for (const auto &x : p.value("exports", nlohmann::json::array()))
                    if (x.value("name", "") == "vocational:rsa911") {
                        found = true;
                        CHECK(x.value("version", "") == "PD 19-03");
                    }
        CHECK(found);
    }
    SECTION("a quarter outside 1-4 writes nothing") {
        const fs::path out = fs::temp_directory_path() / ("casedoc-vocational-bad-" + std::to_string(::getpid()) + ".csv");
        const run_result r = run_casedoc({"export", "vocational:rsa911", (valid_dir / "case-record-jose-2026.xml").string(),
                                          "-o", out.string(), "--param", "rsa911-quarter=5"});
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("rsa911-quarter"));
        CHECK(!fs::exists(out));
    }
    SECTION("without a reporting period, E1 and E2 are left empty") {
        const run_result r =
            run_casedoc({"export", "vocational:rsa911", (valid_dir / "case-record-jose-2026.xml").string(), "-o", "-"});
        REQUIRE(r.status == 0);
        CHECK_THAT(r.out, Catch::Contains("VR-2025-3101,,,2025-02-03,"));
    }
}

TEST_CASE("the native checks are rated not applicable where their condition does not arise",
          "[vocational][native][rating]") {
    SECTION("VR-V12: a case record without trial work is not applicable") {
        CHECK(native_rating(valid_dir / "case-record-jose-2026.xml", "VR-V12") == "not_applicable");
        CHECK(native_rating(valid_dir / "case-record-zoe-2024-trial-work.xml", "VR-V12") == "met");
        CHECK(native_rating(invalid_dir / "v12-trial-work-2025-interval.xml", "VR-V12") == "not_met");
    }
    SECTION("VR-V13: a record without a closure with an employment outcome is not applicable") {
        CHECK(native_rating(valid_dir / "case-record-minh-ipe-extension.xml", "VR-V13") == "not_applicable");
        CHECK(native_rating(valid_dir / "case-record-anais-ineligible.xml", "VR-V13") == "not_applicable");
        CHECK(native_rating(valid_dir / "closure-no-employment-outcome.xml", "VR-V13") == "not_applicable");
        CHECK(native_rating(valid_dir / "case-record-jose-2026.xml", "VR-V13") == "met");
        CHECK(native_rating(valid_dir / "closure-employment-outcome.xml", "VR-V13") == "met");
        CHECK(native_rating(invalid_dir / "v13-case-record-closed-early.xml", "VR-V13") == "not_met");
        CHECK(native_rating(invalid_dir / "v13-no-start-date.xml", "VR-V13") == "not_met");
    }
    SECTION("VR-V15-DATES: a case record without any of the dates it compares is not applicable") {
        // An ineligible applicant's record without its application event: no pair of dates to compare.
        const edited_sample no_application(valid_dir / "case-record-anais-ineligible.xml",
                                           "<event type=\"application\" date=\"2025-08-04\"/>", "", "v15-dates-na");
        CHECK(native_rating(no_application.path, "VR-V15-DATES") == "not_applicable");
        CHECK(native_rating(valid_dir / "case-record-anais-ineligible.xml", "VR-V15-DATES") == "met");
        CHECK(native_rating(valid_dir / "case-record-jose-2026.xml", "VR-V15-DATES") == "met");
        CHECK(native_rating(invalid_dir / "v15-eligibility-before-application.xml", "VR-V15-DATES") == "not_met");
    }
}
