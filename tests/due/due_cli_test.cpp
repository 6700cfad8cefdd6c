// casedoc due, run as a user would: the property that ties it to validate over the sample caseloads, the edge
// cases on small case records, and its formats.
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <map>
#include <set>
#include <tuple>

using namespace casedoc_test;

namespace {

run_result casedoc(const std::string& args) { return shell(std::string(CASEDOC_EXE) + " " + args); }

const fs::path source_dir{CASEDOC_SOURCE_DIR};

// The ids of every cd:deadline, cd:recurrence and assertion with cd:due of the schemas: the rules a due list is
// made of.
std::set<std::string> timed_rule_ids() {
    std::set<std::string> ids;
    for (const auto& e : fs::recursive_directory_iterator(source_dir / "schemas")) {
        if (e.path().extension() != ".sch") continue;
        pugi::xml_document doc;
        REQUIRE(doc.load_file(e.path().c_str()));
        for (const char* name : {"//cd:deadline", "//cd:recurrence", "//sch:assert[@cd:due]", "//sch:report[@cd:due]"})
            for (const pugi::xpath_node& n : doc.select_nodes(name)) ids.insert(n.node().attribute("id").value());
    }
    // and the native checks that say when they are due (plugin ABI 1.3, host->due)
    ids.insert({"CORR-C2-90", "VR-V12"});
    return ids;
}

using key = std::tuple<std::string, std::string, unsigned>; // record id, rule id, line

nlohmann::json due_json(const std::string& args) {
    const auto r = casedoc("due --format json " + args);
    INFO(r.err);
    REQUIRE(r.status >= 0);
    REQUIRE(r.status <= 1);
    return nlohmann::json::parse(r.out);
}

// A small foster-care case record: removal on `removal`, reviewed `as_of`, with `more` inside <events> and
// `extensions`, `notes` after.
std::string child_record(const std::string& removal, const std::string& more_events = "",
                         const std::string& extensions = "", const std::string& notes = "") {
    return R"(<?xml version="1.0" encoding="UTF-8"?>
<case-record xmlns="urn:casedoc:record:1" format-version="1.0" setting="child_welfare" type="case-record" id="CW-EDGE-1" as-of="2025-11-30" office="North" worker="u70">
  <client id="C-9001" name="Test Client" birth-date="2012-03-04"/>
  <events>
)" + (removal.empty() ? std::string() : "    <event type=\"removal\" date=\"" + removal + "\" reason=\"neglect\"/>\n") +
           more_events + "  </events>\n" + (extensions.empty() ? "" : "  <extensions>" + extensions + "</extensions>\n") +
           "  <notes>" + notes + "</notes>\n</case-record>\n";
}

struct scratch_record {
    temp_dir dir;
    fs::path file;
    explicit scratch_record(const std::string& text) : file(dir.path / "edge.xml") { std::ofstream(file) << text; }
};

// The item of `rule` in a due list (its first), or null.
nlohmann::json item_of(const nlohmann::json& list, const std::string& rule) {
    for (const auto& i : list["items"])
        if (i["rule_id"] == rule) return i;
    return nullptr;
}

} // namespace

TEST_CASE("over the sample caseloads, the overdue items are exactly validate's deadline and recurrence findings",
          "[due][property]") {
    const std::set<std::string> timed = timed_rule_ids();
    REQUIRE(timed.count("CW-W1"));
    REQUIRE(timed.count("X4-SIGN-TIMELY"));
    REQUIRE(timed.count("CW-W12")); // an assertion with cd:due
    size_t compared = 0, pending = 0, native = 0, assertions = 0;
    for (const std::string setting : {"child_welfare", "correctional", "hospital", "vocational"}) {
        const std::string caseload = quote((source_dir / "plugins" / setting / "samples" / "caseload").string());
        for (const std::string as_of : {"2025-07-01", "2025-07-31", "2025-09-14", "2025-10-15", "2025-11-30",
                                        "2025-12-10", "2025-12-31"}) {
            INFO(setting << " as of " << as_of);
            const auto v = casedoc("validate --format json --as-of " + as_of + " " + caseload);
            REQUIRE(v.status >= 0);
            const auto report = nlohmann::json::parse(v.out);
            std::multiset<key> findings, overdue;
            for (const auto& rec : report["records"])
                for (const auto& f : rec["findings"])
                    if (timed.count(f["rule_id"].get<std::string>()))
                        findings.emplace(rec["record_id"].get<std::string>(), f["rule_id"].get<std::string>(),
                                         f["line"].get<unsigned>());
            const auto list = due_json("--all --as-of " + as_of + " " + caseload);
            CHECK(list["as_of"] == as_of);
            for (const auto& i : list["items"]) {
                if (i["status"] == "overdue") {
                    overdue.emplace(i["record_id"].get<std::string>(), i["rule_id"].get<std::string>(),
                                    i["line"].get<unsigned>());
                } else {
                    ++pending;
                    CHECK(i["days_left"].get<int>() >= 0);
                }
            }
            CHECK(findings == overdue);
            compared += findings.size();
            for (const auto& k : overdue) native += std::get<1>(k) == "CORR-C2-90" || std::get<1>(k) == "VR-V12";
            for (const auto& k : overdue) assertions += std::get<1>(k) == "CW-W12";
        }
    }
    CHECK(compared > 20); // the samples plant late and missing items
    CHECK(pending > 20);  // and open cases have things coming up
    CHECK(native > 0);    // native checks' overdue items among them
    CHECK(assertions > 0); // and an assertion's (cd:due)
}

TEST_CASE("the TPR petition (CW-W12) is due when the child completes 15 months in care, overdue after",
          "[due][cli][tpr]") {
    // Removal 2024-06-01, no court finding: entered care 2024-07-31 (removal + 60 days), 15 months on 2025-10-31.
    const auto tpr = [](const std::string& events, const std::string& as_of) {
        scratch_record r(child_record("2024-06-01", events));
        return item_of(due_json("--all --as-of " + as_of + " " + quote(r.file.string())), "CW-W12");
    };
    const auto before = tpr("", "2025-10-20");
    REQUIRE(before != nullptr);
    CHECK(before["status"] == "due");
    CHECK(before["due"] == "2025-10-31");
    CHECK(before["days_left"] == 11);
    CHECK(before["anchor"] == "entered-care 2024-07-31");
    CHECK(before["citation"] == "42 U.S.C. 675(5)(E)");
    const auto on_the_day = tpr("", "2025-10-31"); // 15 whole months: validation reports it that day
    REQUIRE(on_the_day != nullptr);
    CHECK(on_the_day["status"] == "overdue");
    CHECK(on_the_day["days_left"] == 0);
    CHECK(tpr("", "2025-11-30")["status"] == "overdue");
    // Met by a petition, or by an exception with one of the three reasons the law allows; another reason is not.
    CHECK(tpr(R"(    <event type="tpr-petition" date="2025-10-01"/>
)", "2025-11-30") == nullptr);
    CHECK(tpr(R"(    <event type="tpr-exception" date="2025-10-01" reason="relative-care"/>
)", "2025-11-30") == nullptr);
    CHECK(tpr(R"(    <event type="tpr-exception" date="2025-10-01" reason="other"/>
)", "2025-11-30")["status"] == "overdue");
    // A child discharged before the 15 months: nothing is due.
    CHECK(tpr(R"(    <event type="discharge" date="2025-03-01"/>
)", "2025-11-30") == nullptr);
}

TEST_CASE("validate --as-of reviews a case record on that date", "[due][validate]") {
    scratch_record r(child_record("2025-11-01"));
    const auto early = casedoc("validate --format json --as-of 2025-11-15 " + quote(r.file.string()));
    const auto late = casedoc("validate --format json --as-of 2025-12-02 " + quote(r.file.string()));
    auto ids = [](const run_result& run) {
        std::set<std::string> out;
        const auto report = nlohmann::json::parse(run.out);
        for (const auto& f : report["records"][0]["findings"]) out.insert(f["rule_id"].get<std::string>());
        return out;
    };
    CHECK_FALSE(ids(early).count("CW-W4-STATE"));
    CHECK(ids(late).count("CW-W4-STATE")); // 30 days from removal: due 2025-12-01
    CHECK(casedoc("validate --as-of 2025-13-01 " + quote(r.file.string())).status == 2);
}

TEST_CASE("a due item is counted from its anchor, the anchor day being day 0", "[due][edge]") {
    scratch_record r(child_record("2025-11-01"));
    const std::string file = quote(r.file.string());
    const auto on_anchor = due_json("--all --as-of 2025-11-01 " + file);
    const auto state = item_of(on_anchor, "CW-W4-STATE");
    REQUIRE_FALSE(state.is_null());
    CHECK(state["due"] == "2025-12-01");
    CHECK(state["days_left"] == 30);
    CHECK(state["status"] == "upcoming");
    CHECK(state["anchor"] == "removal 2025-11-01");
    CHECK(state["record_id"] == "CW-EDGE-1");
    CHECK(state["client_id"] == "C-9001");
    CHECK(state["worker"] == "u70");
    CHECK(state["office"] == "North");
    CHECK(state["setting"] == "child_welfare");
    CHECK(state["extension"].is_null());
    CHECK(state["line"] == 2);
    CHECK_FALSE(state["citation"].get<std::string>().empty());
    // The visit of the running month, due at its end.
    const auto visit = item_of(on_anchor, "CW-W1");
    REQUIRE_FALSE(visit.is_null());
    CHECK(visit["due"] == "2025-11-30");
    CHECK(visit["anchor"] == "month 2025-11");
    // Without --all only what falls due within the window; on the due date, days_left 0; the day after, overdue.
    CHECK(item_of(due_json("--as-of 2025-11-01 " + file), "CW-W4-STATE").is_null());
    CHECK(item_of(due_json("--within 30d --as-of 2025-11-01 " + file), "CW-W4-STATE")["status"] == "due");
    CHECK(item_of(due_json("--as-of 2025-12-01 " + file), "CW-W4-STATE")["days_left"] == 0);
    const auto after = item_of(due_json("--as-of 2025-12-02 " + file), "CW-W4-STATE");
    CHECK(after["status"] == "overdue");
    CHECK(after["days_left"] == -1);
    CHECK(casedoc("due --as-of 2025-12-02 " + file).status == 1);
}

TEST_CASE("policy values (--param) move due dates as they move validation", "[due][edge]") {
    scratch_record r(child_record("2025-11-01"));
    const auto list = due_json("--all --param case-plan-days=45 --as-of 2025-11-01 " + quote(r.file.string()));
    CHECK(item_of(list, "CW-W4-STATE")["due"] == "2025-12-16");
}

TEST_CASE("an extension agreed before the due date moves it, and one agreed after does not", "[due][edge]") {
    const std::string before = R"(<extension rule="CW-W4-STATE" agreed-at="2025-11-20" until="2025-12-20" reason="court date" agreed-by="u05"/>)";
    const std::string after = R"(<extension rule="CW-W4-STATE" agreed-at="2025-12-05" until="2025-12-20" reason="court date" agreed-by="u05"/>)";
    scratch_record early(child_record("2025-11-01", "", before)), late(child_record("2025-11-01", "", after));
    const auto moved = item_of(due_json("--as-of 2025-12-10 " + quote(early.file.string())), "CW-W4-STATE");
    CHECK(moved["status"] == "due");
    CHECK(moved["due"] == "2025-12-20");
    CHECK(moved["extension"] == "agreed 2025-11-20, until 2025-12-20");
    const auto kept = item_of(due_json("--as-of 2025-12-10 " + quote(late.file.string())), "CW-W4-STATE");
    CHECK(kept["status"] == "overdue");
    CHECK(kept["due"] == "2025-12-01");
    CHECK(kept["extension"].is_null());
}

TEST_CASE("a case closed before the window, or without its anchor yet, has nothing due", "[due][edge]") {
    const std::string visit = R"(<note type="caseworker-visit" id="V-1" service-at="2025-11-05T10:00"><visit face-to-face="true"/></note>)";
    scratch_record closed(child_record("2025-11-01", R"(    <event type="discharge" date="2025-11-10"/>
)", "", visit));
    const auto list = due_json("--all --as-of 2025-11-20 " + quote(closed.file.string()));
    CHECK(list["items"].empty());
    CHECK(list["summary"]["case_records"] == 1);
    // While it was open, the same record had its case plan coming up.
    CHECK_FALSE(item_of(due_json("--all --as-of 2025-11-08 " + quote(closed.file.string())), "CW-W4").is_null());

    scratch_record no_anchor(child_record(""));
    const auto r = casedoc("due --all --format json --as-of 2025-11-20 " + quote(no_anchor.file.string()));
    CHECK(r.status == 0);
    CHECK(nlohmann::json::parse(r.out)["items"].empty());
}

TEST_CASE("hour deadlines are due at a date-time, across midnight", "[due][edge][hours]") {
    const std::string note = R"(<note type="caseworker-visit" id="V-1" service-at="2025-11-05T20:00" entered-at="2025-11-05T21:00"><author id="u70" name="Test Worker" role="caseworker" credential="LBSW"/><visit face-to-face="true"/><signature signer="u70" name="Test Worker" role="caseworker" credential="LBSW" signed-at="2025-11-06T09:00" method="electronic"/></note>)";
    scratch_record r(child_record("2025-11-01", "", "", note));
    const auto item = item_of(due_json("--param note-sign-hours=10 --as-of 2025-11-20 " + quote(r.file.string())),
                              "X4-SIGN-TIMELY");
    REQUIRE_FALSE(item.is_null());
    CHECK(item["due"] == "2025-11-06T06:00");
    CHECK(item["status"] == "overdue");
    CHECK(item["anchor"] == "service-at 2025-11-05T20:00");
}

TEST_CASE("the text list is grouped by worker, overdue first, the CSV has the JSON columns and filters apply",
          "[due][formats]") {
    const std::string caseload = quote((source_dir / "plugins/child_welfare/samples/caseload").string());
    const auto text = casedoc("due --as-of 2025-12-10 " + caseload);
    REQUIRE(text.status == 1); // the caseload has overdue items
    CHECK_THAT(text.out, Catch::StartsWith("Due as of 2025-12-10 (window 14 days): "));
    const size_t u61 = text.out.find("\nu61\n"), u62 = text.out.find("\nu62\n");
    REQUIRE(u61 != std::string::npos);
    REQUIRE(u62 != std::string::npos);
    CHECK(u61 < u62);
    const std::string block = text.out.substr(u62, text.out.find("\nu63\n") - u62);
    CHECK(block.find("  overdue") < block.find("  due "));
    CHECK(text.out.find("Bergström") == std::string::npos); // no client names

    const auto json = due_json("--as-of 2025-12-10 " + caseload);
    const auto csv = casedoc("due --format csv --as-of 2025-12-10 " + caseload);
    CHECK_THAT(csv.out, Catch::StartsWith("record_id,client_id,worker,office,setting,rule_id,title,citation,due,"
                                          "days_left,status,anchor,extension,file,line\r\n"));
    size_t rows = 0;
    for (size_t p = csv.out.find("\r\n"); p != std::string::npos; p = csv.out.find("\r\n", p + 2)) ++rows;
    CHECK(rows == json["items"].size() + 1);
    for (const auto& i : json["items"][0].items()) CHECK(csv.out.find(i.key()) != std::string::npos);

    const auto mine = due_json("--worker u62 --as-of 2025-12-10 " + caseload);
    REQUIRE_FALSE(mine["items"].empty());
    for (const auto& i : mine["items"]) CHECK(i["worker"] == "u62");
    const auto south = due_json("--office South --as-of 2025-12-10 " + caseload);
    for (const auto& i : south["items"]) CHECK(i["office"] == "South");
    CHECK(south["summary"]["case_records"] < json["summary"]["case_records"]);

    // The same input, the same bytes; -o writes the file.
    temp_dir dir;
    const auto out = dir.path / "due.json";
    CHECK(casedoc("due --format json --as-of 2025-12-10 -o " + quote(out.string()) + " " + caseload).status == 1);
    CHECK(read_file(out) == casedoc("due --format json --as-of 2025-12-10 " + caseload).out);
}

TEST_CASE("bad input: a bad date or window is exit 2, a record that cannot be read is named and exit 2",
          "[due][errors]") {
    scratch_record r(child_record("2025-11-01"));
    const std::string file = quote(r.file.string());
    auto bad = casedoc("due --as-of 2025-02-30 " + file);
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Catch::Contains("--as-of '2025-02-30'"));
    bad = casedoc("due --within soon " + file);
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Catch::Contains("--within 'soon'"));
    CHECK(casedoc("due --format ics " + file).status == 2); // a calendar per worker needs -o DIR or --worker
    std::ofstream(r.dir.path / "broken.xml") << "<case-record";
    const auto mixed = casedoc("due --format json --as-of 2025-11-15 " + quote(r.dir.path.string()));
    CHECK(mixed.status == 2);
    CHECK_THAT(mixed.err, Catch::Contains("broken.xml"));
    const auto list = nlohmann::json::parse(mixed.out);
    CHECK(list["summary"]["not_checked"].size() == 1);
    CHECK(list["summary"]["case_records"] == 1);
}

TEST_CASE("an iCalendar file per worker (format ics, -o DIR) that a real parser reads", "[due][ics]") {
    const std::string caseload = quote((source_dir / "plugins/child_welfare/samples/caseload").string());
    temp_dir first, second;
    REQUIRE(casedoc("due --format ics --all --as-of 2025-12-10 -o " + quote(first.path.string()) + " " + caseload).status == 1);
    REQUIRE(casedoc("due --format ics --all --as-of 2025-12-10 -o " + quote(second.path.string()) + " " + caseload).status == 1);
    const auto json = due_json("--all --as-of 2025-12-10 " + caseload);
    std::map<std::string, size_t> per_worker;
    for (const auto& i : json["items"]) ++per_worker[i["worker"]];
    for (const auto& [worker, n] : per_worker) {
        const fs::path file = first.path / (worker + ".ics");
        INFO(file);
        REQUIRE(fs::exists(file));
        CHECK(read_file(file) == read_file(second.path / (worker + ".ics"))); // UIDs (and all) stable across runs
        CHECK(read_file(file).find("Bergström") == std::string::npos);
        // python3-icalendar: every VTODO has DUE, a SUMMARY with rule and record id, a DESCRIPTION, a unique UID.
        // Debian's python3-icalendar is installed for the system interpreter.
        const auto parsed = shell("/usr/bin/python3 " + quote(std::string(CASEDOC_DUE_TEST_DIR) + "/check_ics.py") + " " +
                                  quote(file.string()));
        INFO(parsed.err);
        REQUIRE(parsed.status == 0);
        const auto todos = nlohmann::json::parse(parsed.out);
        CHECK(todos.size() == n);
        for (const auto& t : todos) {
            CHECK(t["summary"].get<std::string>().find(' ') != std::string::npos);
            CHECK_FALSE(t["description"].get<std::string>().empty());
            CHECK(t["due"].get<std::string>().size() >= 8);
        }
    }
}

TEST_CASE("the PDF (format pdf) has a supervisor's summary and a worklist per worker, the same bytes each time",
          "[due][pdf]") {
    const std::string caseload = quote((source_dir / "plugins/child_welfare/samples/caseload").string());
    temp_dir dir;
    const fs::path a = dir.path / "a.pdf", b = dir.path / "b.pdf";
    REQUIRE(casedoc("due --format pdf --as-of 2025-12-10 -o " + quote(a.string()) + " " + caseload).status == 1);
    REQUIRE(casedoc("due --format pdf --as-of 2025-12-10 -o " + quote(b.string()) + " " + caseload).status == 1);
    CHECK(read_file(a) == read_file(b));
    CHECK(read_file(a).rfind("%PDF-", 0) == 0);
    const auto text = shell("pdftotext -layout " + quote(a.string()) + " -");
    REQUIRE(text.status == 0);
    CHECK_THAT(text.out, Catch::Contains("supervisor's summary"));
    const auto json = due_json("--as-of 2025-12-10 " + caseload);
    std::set<std::string> workers;
    for (const auto& i : json["items"]) workers.insert(i["worker"]);
    REQUIRE_FALSE(workers.empty());
    for (const auto& w : workers) CHECK_THAT(text.out, Catch::Contains("Worklist of " + w));
    CHECK(text.out.find("Bergström") == std::string::npos);
    CHECK(casedoc("due --format pdf --as-of 2025-12-10 " + caseload).status == 2); // a PDF needs -o FILE
}

TEST_CASE("a recurrence with a month missed lists the missed month overdue and the running month apart",
          "[due][cli][recurrence]") {
    const std::string caseload = quote((source_dir / "plugins/child_welfare/samples/caseload").string());
    const auto list = due_json("--all --as-of 2025-12-10 " + caseload);
    std::vector<nlohmann::json> visits;
    for (const auto& i : list["items"])
        if (i["record_id"] == "CW-2025-0116" && i["rule_id"] == "CW-W1") visits.push_back(i);
    REQUIRE(visits.size() == 2);
    CHECK(visits[0]["status"] == "overdue");
    CHECK(visits[0]["due"] == "2025-11-30");
    CHECK(visits[0]["anchor"] == "month 2025-11");
    CHECK(visits[1]["status"] == "upcoming"); // 21 days left: beyond the 14-day window
    CHECK(visits[1]["due"] == "2025-12-31");
    CHECK(visits[1]["anchor"] == "month 2025-12");
    CHECK(visits[1]["line"] == visits[0]["line"]);
    // The running month is due within a 30-day window, and is no finding of validate's.
    const auto wider = due_json("--within 30d --as-of 2025-12-10 " + caseload);
    size_t due = 0;
    for (const auto& i : wider["items"])
        due += i["record_id"] == "CW-2025-0116" && i["rule_id"] == "CW-W1" && i["status"] == "due";
    CHECK(due == 1);
}
