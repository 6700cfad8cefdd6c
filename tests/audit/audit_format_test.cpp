// The two audit formats, each one model with a paired writer and reader: casedoc-audit/1 (audit.json) and
// casedoc-audit-partial/1 (a shard's partial result). What casedoc writes reads back into the model and is
// written again byte for byte, so a field the writer adds and the reader forgets (or the reverse) fails here.
#include <casedoc/audit/audit.hpp>
#include <casedoc/base/error.hpp>

#include "audit_format.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace casedoc_test;

namespace {

run_result run_casedoc(const std::string& args) { return shell(std::string(CASEDOC_EXE) + " " + args); }

std::string caseloads() {
    std::string args;
    std::istringstream ss(CASEDOC_BUILT_PLUGINS);
    for (std::string id; std::getline(ss, id, ',');) {
        const fs::path dir = fs::path(CASEDOC_SOURCE_DIR) / "plugins" / id / "samples" / "caseload";
        if (!id.empty() && fs::is_directory(dir)) args += " " + quote(dir.string());
    }
    return args;
}

const std::string period = " --period 2025-07-01..2025-12-31";

// Read back and written again: the same bytes.
void check_report_round_trip(const std::string& text) {
    const casedoc::audit_report report = casedoc::read_audit_report(text);
    CHECK(casedoc::write_audit_report(report) == text);
}

} // namespace

TEST_CASE("audit.json reads back into the model and is written again byte for byte", "[audit][format]") {
    temp_dir t;
    // Records that cannot be read or checked, so that the report lists them with line and column.
    const fs::path extra = t.path / "extra";
    fs::create_directories(extra);
    const fs::path cw = fs::path(CASEDOC_SOURCE_DIR) / "plugins/child_welfare/samples/caseload";
    std::string broken = read_file(cw / "cw-2025-0101.xml");
    broken.resize(broken.size() / 2);
    { std::ofstream(extra / "zz-truncated.xml") << broken; }
    { std::ofstream(extra / "aa-not-xml.xml") << "this is not XML\n"; }

    SECTION("a random sample, then a stratified one with a trend, pseudonymised workers and unreadable records") {
        const auto one =
            run_casedoc("audit" + caseloads() + period + " --sample random --size 30 --seed 5 -o " + quote(t / "one"));
        INFO(one.err);
        REQUIRE(one.status == 0);
        const auto two =
            run_casedoc("audit" + caseloads() + " " + quote(extra.string()) + period +
                        " --sample stratified --stratify-by office --size 4 --seed 9 --param note-sign-hours=48"
                        " --pseudonymise-workers --previous " +
                        quote((t.path / "one" / "audit.json").string()) + " -o " + quote(t / "two"));
        INFO(two.err);
        REQUIRE(two.status == 2); // the unreadable records
        const std::string a = read_file(t.path / "one" / "audit.json"), b = read_file(t.path / "two" / "audit.json");
        check_report_round_trip(a);
        check_report_round_trip(b);
        const casedoc::audit_report report = casedoc::read_audit_report(b);
        // What the round trip went through: every optional part present at least once.
        CHECK(report.trend);
        CHECK(report.sample.stratify_by == "office");
        CHECK_FALSE(report.scope.params.empty());
        REQUIRE(report.unreadable.size() == 2);
        CHECK(report.unreadable[1].line);
        CHECK_FALSE(report.timeliness.empty());
        CHECK_FALSE(report.findings.empty());
        CHECK_FALSE(report.corrective_actions.empty());
    }

    SECTION("a sample of nothing") {
        const auto r = run_casedoc("audit" + caseloads() + " --period 2020-01-01..2020-01-31 -o " + quote(t / "none"));
        INFO(r.err);
        REQUIRE(r.status == 0);
        const std::string text = read_file(t.path / "none" / "audit.json");
        CHECK(casedoc::read_audit_report(text).cases.empty());
        check_report_round_trip(text);
    }
}

TEST_CASE("a report model is written, read back and written again the same", "[audit][format]") {
    // The values casedoc's own reports never hold: whole-number times as a hand-written report gives them, absent
    // optional values.
    casedoc::audit_report r;
    r.generator = "casedoc test";
    r.scope.title = "Caseload review";
    r.scope.period = {"2025-07-01", "2025-12-31"};
    r.scope.settings = {"hospital"};
    r.scope.rule_sets.push_back({"hospital", "2019.2", "Hospital", "2019-11-29", std::nullopt, "h.sch", std::nullopt});
    r.sample.method = "all";
    r.eliminated.push_back({{"in/a.xml", "A-1", std::nullopt, std::nullopt}, "as-of 2025-05-31 is outside the period"});
    r.unreadable.push_back({{"in/b.xml", "", 3, 9}, "malformed XML"});
    r.summary.case_rate = 0.5;
    r.items.push_back({"H1", "hospital", "Title", "42 CFR 482.43", "error", "assert", 2, 1, 1, 0, 0.5});
    r.rollups.worker.push_back({"u1", 2, 1, 0.5, 2, 1, 0.5});
    casedoc::audit_report_timeliness deadline;
    deadline.rule_id = "H2";
    deadline.kind = "deadline";
    deadline.unit = "hours";
    deadline.limit = int64_t{48};
    deadline.median = 30.5;
    deadline.buckets.push_back({"0–25% of limit", 1});
    r.timeliness.push_back(deadline);
    casedoc::audit_report_timeliness recurrence;
    recurrence.rule_id = "H3";
    recurrence.kind = "recurrence";
    recurrence.unit = "windows";
    r.timeliness.push_back(recurrence);
    r.trend.emplace();
    r.trend->previous_file = "prev/audit.json";
    r.trend->items.push_back({"H1", "hospital", std::nullopt, 0.5, std::nullopt});
    r.findings.push_back(
        {"H1", "hospital", "Title", "", "error", 1, 2, {{"A-2", "in/c.xml", 4, "note", "u1", "", "", "…"}}});
    r.corrective_actions.push_back({1, "H1", "hospital", "", "error", "H1: Title", "The agency …", "", "", ""});
    r.cases.push_back({"A-2",
                       "in/c.xml",
                       "hospital",
                       "2019.2",
                       "u1",
                       "(none)",
                       "2025-08-01",
                       "2025-08",
                       "all",
                       "not met",
                       2,
                       1,
                       {"H1"}});

    const std::string text = casedoc::write_audit_report(r);
    CHECK(casedoc::write_audit_report(casedoc::read_audit_report(text)) == text);
    CHECK_THAT(text, Catch::Contains("\"limit\": 48,"));
    CHECK_THAT(text, Catch::Contains("\"median\": 30.5,"));
    const casedoc::audit_report back = casedoc::read_audit_report(text);
    REQUIRE(back.timeliness.size() == 2);
    CHECK(back.timeliness[0].limit == r.timeliness[0].limit);
    CHECK_FALSE(back.trend->previous_period);
    CHECK_FALSE(back.eliminated[0].line);
    CHECK(back.unreadable[0].column == 9u);
}

TEST_CASE("a shard's partial result reads back into audit_data and is written again byte for byte",
          "[audit][shard][format]") {
    temp_dir t;
    const std::string opts =
        caseloads() + period +
        " --sample stratified --stratify-by setting --size 12 --stratum hospital=5 --seed 3 --reviewer 'A. Reviewer'";
    std::vector<casedoc::audit_data> parts;
    std::vector<std::string> names;
    for (int k = 1; k <= 2; ++k) {
        const std::string part = t / ("part-" + std::to_string(k) + ".json");
        const auto r = run_casedoc("audit" + opts + " --shard " + std::to_string(k) + "/2 --partial " + quote(part));
        INFO(r.err);
        REQUIRE(r.status == 0);
        const std::string text = read_file(part);
        casedoc::audit_data data = casedoc::read_audit_partial(text, part);
        CHECK(casedoc::audit_partial_json(data) == text);
        CHECK_FALSE(data.cases.empty());
        CHECK_FALSE(data.timings.empty());
        parts.push_back(std::move(data));
        names.push_back(part);
    }
    // The merged whole too, as a third shard-like result.
    const std::string merged = casedoc::audit_partial_json(casedoc::merge_audit(parts, names));
    CHECK(casedoc::audit_partial_json(casedoc::read_audit_partial(merged, "merged")) == merged);
}

TEST_CASE("a partial result that does not match its format is refused, naming the file", "[audit][shard][format]") {
    auto refusal = [](const std::string& text) {
        try {
            casedoc::read_audit_partial(text, "part.json");
        } catch (const casedoc::error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK_THAT(refusal("{"), Catch::StartsWith("part.json: not a casedoc audit partial result"));
    CHECK_THAT(refusal("{\"format\": \"casedoc-audit/1\"}"), Catch::Contains("format is not casedoc-audit-partial/1"));
    CHECK_THAT(refusal("{\"format\": \"casedoc-audit-partial/1\"}"), Catch::Contains("with a missing or wrong field"));
}
