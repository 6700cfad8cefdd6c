// casedoc audit end to end, as an auditor runs it: the sample caseloads of every built setting audited,
// the results cross-checked against casedoc validate, sampling reproducible, shards merged into the same
// bytes, records that cannot be read listed, no client names in the outputs.
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace casedoc_test;

namespace {

run_result casedoc(const std::string& args) { return shell(std::string(CASEDOC_EXE) + " " + args); }

std::vector<std::string> built_plugins() {
    std::vector<std::string> ids;
    std::istringstream ss(CASEDOC_BUILT_PLUGINS);
    for (std::string id; std::getline(ss, id, ',');)
        if (!id.empty()) ids.push_back(id);
    return ids;
}

// The caseload directories of the built settings, quoted for the shell.
std::string caseloads() {
    std::string args;
    for (const auto& id : built_plugins()) {
        const fs::path dir = fs::path(CASEDOC_SOURCE_DIR) / "plugins" / id / "samples" / "caseload";
        if (fs::is_directory(dir)) args += " " + quote(dir.string());
    }
    return args;
}

const std::string period = " --period 2025-07-01..2025-12-31";

json audit_json(const fs::path& dir) { return json::parse(read_file(dir / "audit.json")); }

std::set<std::string> ids_of(const json& cases) {
    std::set<std::string> ids;
    for (const auto& c : cases) ids.insert(c.at("record_id").get<std::string>());
    return ids;
}

} // namespace

TEST_CASE("auditing the sample caseloads agrees with casedoc validate, record by record", "[audit]") {
    temp_dir t;
    const auto r = casedoc("audit" + caseloads() + period + " --reviewer 'A. Reviewer' -o " + quote(t / "out"));
    INFO(r.err);
    REQUIRE(r.status == 0);
    for (const char* f : {"audit.json", "audit.csv", "audit.pdf"}) CHECK(fs::file_size(t.path / "out" / f) > 0);
    const json a = audit_json(t.path / "out");
    CHECK(a["format"] == "casedoc-audit/1");
    CHECK(a["scope"]["reviewer"] == "A. Reviewer");
    CHECK(a["scope"]["period"]["from"] == "2025-07-01");

    // Every file is accounted for: in the universe, eliminated with a reason, or unreadable.
    const auto& u = a["universe"];
    CHECK(u["in_universe"].get<int>() + u["eliminated"].get<int>() + u["unreadable"].get<int>() == u["files"].get<int>());
    CHECK(u["unreadable"] == 0);
    REQUIRE(a["eliminated"].size() == u["eliminated"].get<size_t>());
    for (const auto& e : a["eliminated"]) CHECK_THAT(e["reason"].get<std::string>(), Catch::Contains("outside the period"));
    CHECK(a["sample"]["method"] == "all");
    REQUIRE(a["cases"].size() == u["in_universe"].get<size_t>());

    // Each case's outcome and not-met error rules are what casedoc validate finds in that record.
    const auto v = casedoc("validate --format json" + caseloads());
    REQUIRE(v.status == 1);
    const json vj = json::parse(v.out);
    std::map<std::string, json> by_file;
    for (const auto& rec : vj["records"]) by_file[rec["file"].get<std::string>()] = rec;
    size_t compliant = 0;
    for (const auto& c : a["cases"]) {
        const std::string file = c["file"];
        INFO(file);
        REQUIRE(by_file.count(file));
        const json& rec = by_file[file];
        std::set<std::string> failing;
        for (const auto& f : rec["findings"]) failing.insert(f["rule_id"].get<std::string>());
        const std::set<std::string> not_met(c["not_met"].begin(), c["not_met"].end());
        CHECK(failing == not_met); // every rule with a finding, whatever its severity, is not met
        CHECK((c["outcome"] == "met") == (rec["status"] == "compliant"));
        compliant += rec["status"] == "compliant";
    }
    CHECK(a["summary"]["cases_met"].get<size_t>() == compliant);
    CHECK(compliant < a["cases"].size()); // the caseloads are a mix

    // Items add up: per item, applicable + not applicable = the cases of its setting.
    std::map<std::string, size_t> cases_per_setting;
    for (const auto& c : a["cases"]) ++cases_per_setting[c["setting"].get<std::string>()];
    size_t not_applicable = 0;
    for (const auto& it : a["items"]) {
        INFO(it["rule_id"]);
        CHECK(it["applicable"].get<size_t>() + it["not_applicable"].get<size_t>() == cases_per_setting[it["setting"]]);
        CHECK(it["met"].get<size_t>() + it["not_met"].get<size_t>() == it["applicable"].get<size_t>());
        not_applicable += it["not_applicable"].get<size_t>();
    }
    CHECK(not_applicable > 0); // conditional rules are not applicable where their condition does not hold

    // Every not-met item is a finding with evidence for each case, and errors get a corrective action.
    size_t errors = 0;
    for (const auto& f : a["findings"]) {
        CHECK(f["evidence"].size() == f["cases"].get<size_t>());
        for (const auto& e : f["evidence"]) CHECK_FALSE(e["record_id"].get<std::string>().empty());
        errors += f["severity"] == "error";
    }
    CHECK(a["corrective_actions"].size() == errors);
    for (const auto& ca : a["corrective_actions"]) {
        CHECK_THAT(ca["finding"].get<std::string>(), Catch::StartsWith("The agency is not in compliance with"));
        CHECK(ca["owner"] == "");
        CHECK(ca["due"] == "");
    }

    // Roll-ups cover every case once per dimension.
    for (const char* dim : {"worker", "office", "month", "setting"}) {
        size_t n = 0;
        for (const auto& row : a["rollups"][dim]) n += row["cases"].get<size_t>();
        CHECK(n == a["cases"].size());
    }

    // The CSV holds one row per case and item of its setting, and agrees with the JSON.
    std::istringstream csv(read_file(t.path / "out" / "audit.csv"));
    std::string line;
    auto next_line = [&] {
        if (!std::getline(csv, line)) return false;
        CHECK((!line.empty() && line.back() == '\r')); // RFC 4180 line ends
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return true;
    };
    next_line();
    CHECK(line == "record_id,setting,worker,office,month,stratum,rule_id,severity,rating");
    std::map<std::string, std::set<std::string>> csv_not_met;
    size_t rows = 0;
    while (next_line()) {
        ++rows;
        const auto last = line.rfind(',');
        const auto rule_end = line.rfind(',', last - 1), rule_start = line.rfind(',', rule_end - 1);
        if (line.substr(last + 1) == "not_met")
            csv_not_met[line.substr(0, line.find(','))].insert(line.substr(rule_start + 1, rule_end - rule_start - 1));
    }
    size_t expected_rows = 0;
    for (const auto& it : a["items"]) expected_rows += cases_per_setting[it["setting"]];
    CHECK(rows == expected_rows);
    for (const auto& c : a["cases"])
        CHECK(csv_not_met[c["record_id"]] == std::set<std::string>(c["not_met"].begin(), c["not_met"].end()));
}

TEST_CASE("timeliness tables measure the deadlines and recurrences that applied", "[audit]") {
    temp_dir t;
    const auto cw = fs::path(CASEDOC_SOURCE_DIR) / "plugins/child_welfare/samples/caseload";
    REQUIRE(casedoc("audit " + quote(cw.string()) + period + " -o " + quote(t / "out")).status == 0);
    const json a = audit_json(t.path / "out");
    std::map<std::string, json> items, timing;
    for (const auto& it : a["items"]) items[it["rule_id"]] = it;
    for (const auto& x : a["timeliness"]) timing[x["rule_id"]] = x;
    REQUIRE(timing.count("CW-W4"));   // case plan within 60 days of removal
    REQUIRE(timing.count("CW-W1"));   // a visit every calendar month
    REQUIRE(timing.count("X4-SIGN-TIMELY"));
    const json& w4 = timing["CW-W4"];
    CHECK(w4["kind"] == "deadline");
    CHECK(w4["unit"] == "days");
    CHECK(w4["limit"] == 60);
    CHECK(w4["cases"] == items["CW-W4"]["applicable"]);
    CHECK(w4["within"].get<int>() <= w4["n"].get<int>());
    CHECK(w4["median"].get<double>() <= w4["p90"].get<double>());
    CHECK(w4["p90"].get<double>() <= w4["max"].get<double>());
    size_t bucketed = 0;
    for (const auto& b : w4["buckets"]) bucketed += b["count"].get<size_t>();
    CHECK(bucketed == w4["n"].get<size_t>());
    const json& w1 = timing["CW-W1"];
    CHECK(w1["kind"] == "recurrence");
    CHECK(w1["unit"] == "months");
    CHECK(w1["periods_met"].get<int>() <= w1["periods"].get<int>());
    CHECK(w1["periods"].get<int>() >= w1["cases"].get<int>()); // every case spans at least one month
    // A record missing a month of visits shows in the months, not only in the cases.
    CHECK(w1["periods_met"].get<int>() < w1["periods"].get<int>());
    // Notes signed within the policy hours: one measure per note, so more measures than cases.
    CHECK(timing["X4-SIGN-TIMELY"]["unit"] == "hours");
    CHECK(timing["X4-SIGN-TIMELY"]["n"].get<size_t>() > timing["X4-SIGN-TIMELY"]["cases"].get<size_t>());
}

TEST_CASE("sampling is reproducible: the seed and the records decide, not the input order", "[audit]") {
    temp_dir t;
    const std::string dirs = caseloads();
    // The same records given as files in reverse order.
    std::vector<std::string> files;
    for (const auto& id : built_plugins()) {
        const fs::path dir = fs::path(CASEDOC_SOURCE_DIR) / "plugins" / id / "samples" / "caseload";
        if (fs::is_directory(dir))
            for (const auto& e : fs::directory_iterator(dir))
                if (e.path().extension() == ".xml") files.push_back(e.path().string());
    }
    std::sort(files.rbegin(), files.rend());
    std::string reversed;
    for (const auto& f : files) reversed += " " + quote(f);

    auto sample = [&](const std::string& inputs, const std::string& opts, const std::string& name) {
        const auto r = casedoc("audit" + inputs + period + opts + " -o " + quote(t / name));
        INFO(r.err);
        REQUIRE(r.status == 0);
        return audit_json(t / name);
    };
    const json a = sample(dirs, " --sample random --size 12 --seed 7", "a");
    const json b = sample(reversed, " --sample random --size 12 --seed 7", "b");
    const json c = sample(dirs, " --sample random --size 12 --seed 8", "c");
    CHECK(a["cases"].size() == 12);
    CHECK(a["sample"]["seed"] == 7);
    CHECK(a["sample"]["method"] == "random");
    CHECK(ids_of(a["cases"]) == ids_of(b["cases"]));
    CHECK(ids_of(a["cases"]) != ids_of(c["cases"]));
    CHECK(read_file(t.path / "a" / "audit.csv") == read_file(t.path / "b" / "audit.csv"));

    // Stratified by office: each stratum gets its size (or all it has), named strata their own size.
    const json s = sample(dirs, " --sample stratified --stratify-by office --size 2 --stratum North=5 --seed 3", "s");
    std::map<std::string, size_t> per_office;
    for (const auto& k : s["cases"]) ++per_office[k["office"].get<std::string>()];
    size_t total = 0;
    for (const auto& st : s["sample"]["strata"]) {
        const std::string key = st["key"];
        INFO(key);
        const size_t want = key == "North" ? 5 : 2;
        CHECK(st["requested"] == want);
        CHECK(st["sampled"] == std::min<size_t>(want, st["universe"].get<size_t>()));
        CHECK(per_office[key] == st["sampled"].get<size_t>());
        total += st["sampled"].get<size_t>();
    }
    CHECK(total == s["cases"].size());
    CHECK(s["sample"]["stratify_by"] == "office");

    // One setting under review: the others' records are eliminated, with the reason.
    const json one = sample(dirs, " --setting child_welfare", "one");
    REQUIRE_FALSE(one["cases"].empty());
    for (const auto& k : one["cases"]) CHECK(k["setting"] == "child_welfare");
    size_t not_reviewed = 0;
    for (const auto& e : one["eliminated"])
        not_reviewed += e["reason"].get<std::string>().find("is not under review") != std::string::npos;
    CHECK(not_reviewed > 0);
    CHECK(one["scope"]["settings"] == json::array({"child_welfare"}));
}

TEST_CASE("an audit split into shards and merged gives the unsplit report, byte for byte", "[audit][shard]") {
    temp_dir t;
    const std::string opts = caseloads() + period + " --sample random --size 40 --seed 11 --reviewer 'A. Reviewer'";
    REQUIRE(casedoc("audit" + opts + " -o " + quote(t / "whole")).status == 0);
    std::string parts;
    for (int k = 1; k <= 3; ++k) {
        const std::string part = t / ("part-" + std::to_string(k) + ".json");
        const auto r = casedoc("audit" + opts + " --shard " + std::to_string(k) + "/3 --partial " + quote(part));
        INFO(r.err);
        REQUIRE(r.status == 0);
        parts += " " + quote(part);
    }
    const auto m = casedoc("audit merge" + parts + " -o " + quote(t / "merged"));
    INFO(m.err);
    REQUIRE(m.status == 0);
    for (const char* f : {"audit.json", "audit.csv", "audit.pdf"}) {
        INFO(f);
        CHECK(read_file(t.path / "whole" / f) == read_file(t.path / "merged" / f));
    }

    // A missing shard, or one given twice, is refused and nothing is written.
    const auto missing = casedoc("audit merge " + quote(t / "part-1.json") + " " + quote(t / "part-2.json") +
                                 " -o " + quote(t / "bad"));
    CHECK(missing.status == 2);
    CHECK_THAT(missing.err, Catch::Contains("shard 3/3 is missing"));
    const auto twice = casedoc("audit merge" + parts + " " + quote(t / "part-1.json") + " -o " + quote(t / "bad"));
    CHECK(twice.status == 2);
    CHECK_THAT(twice.err, Catch::Contains("holds shard 1"));
    // A shard of another audit (another seed) is refused too.
    const std::string other = t / "other.json";
    REQUIRE(casedoc("audit" + caseloads() + period + " --sample random --size 40 --seed 12 --reviewer 'A. Reviewer' --shard 3/3 --partial " +
                    quote(other)).status == 0);
    const auto mixed = casedoc("audit merge " + quote(t / "part-1.json") + " " + quote(t / "part-2.json") +
                               " " + quote(other) + " -o " + quote(t / "bad"));
    CHECK(mixed.status == 2);
    CHECK_THAT(mixed.err, Catch::Contains("is a shard of another audit"));
    CHECK_FALSE(fs::exists(t.path / "bad" / "audit.json"));
}

TEST_CASE("records that cannot be read are listed in the report and the exit status says so", "[audit][bad-input]") {
    temp_dir t;
    const fs::path in = t.path / "caseload";
    fs::create_directories(in);
    const fs::path cw = fs::path(CASEDOC_SOURCE_DIR) / "plugins/child_welfare/samples/caseload";
    for (const char* f : {"cw-2025-0101.xml", "cw-2025-0102.xml", "cw-2025-0103.xml"}) fs::copy_file(cw / f, in / f);
    // Broken inside, after a good root element: found when the record is checked.
    std::string broken = read_file(in / "cw-2025-0101.xml");
    broken.resize(broken.size() / 2);
    { std::ofstream(in / "zz-truncated.xml") << broken; }
    { std::ofstream(in / "aa-not-xml.xml") << "this is not XML\n"; }
    const auto r = casedoc("audit " + quote(in.string()) + period + " -o " + quote(t / "out"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("aa-not-xml.xml"));
    CHECK_THAT(r.err, Catch::Contains("zz-truncated.xml"));
    const json a = audit_json(t.path / "out");
    CHECK(a["universe"]["unreadable"] == 2);
    REQUIRE(a["unreadable"].size() == 2);
    CHECK_THAT(a["unreadable"][0]["file"].get<std::string>(), Catch::EndsWith("aa-not-xml.xml"));
    CHECK_THAT(a["unreadable"][1]["file"].get<std::string>(), Catch::EndsWith("zz-truncated.xml"));
    CHECK(a["unreadable"][1]["line"].get<int>() > 1); // where the XML breaks

    // Bad options: exit 2, a message naming the problem, nothing written.
    const auto p = casedoc("audit " + quote(in.string()) + " --period 2025-13-01..2025-12-31 -o " + quote(t / "x"));
    CHECK(p.status == 2);
    CHECK_THAT(p.err, Catch::Contains("--period"));
    CHECK_FALSE(fs::exists(t.path / "x"));
    const auto s = casedoc("audit " + quote(in.string()) + period + " --sample random -o " + quote(t / "x"));
    CHECK(s.status == 2);
    CHECK_THAT(s.err, Catch::Contains("--size"));
    fs::create_directories(t.path / "empty");
    const auto e = casedoc("audit " + quote(t / "empty") + period + " -o " + quote(t / "x"));
    CHECK(e.status == 2);
    CHECK_FALSE(fs::exists(t.path / "x" / "audit.json"));
}

TEST_CASE("audit outputs carry no client names, and worker ids can be pseudonymised", "[audit][privacy]") {
    temp_dir t;
    REQUIRE(casedoc("audit" + caseloads() + period + " --pseudonymise-workers --pseudonym-key k1 -o " + quote(t / "out")).status == 0);
    const std::string j = read_file(t.path / "out" / "audit.json"), csv = read_file(t.path / "out" / "audit.csv");
    const auto text = shell("pdftotext " + quote((t.path / "out" / "audit.pdf").string()) + " -");
    REQUIRE(text.status == 0);
    std::set<std::string> names, workers;
    const std::regex client_name("<client [^>]*name=\"([^\"]+)\""), worker("worker=\"([^\"]+)\"");
    for (const auto& id : built_plugins()) {
        const fs::path dir = fs::path(CASEDOC_SOURCE_DIR) / "plugins" / id / "samples" / "caseload";
        if (!fs::is_directory(dir)) continue;
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.path().extension() != ".xml") continue;
            const std::string x = read_file(e.path());
            std::smatch m;
            if (std::regex_search(x, m, client_name)) names.insert(m[1]);
            if (std::regex_search(x, m, worker)) workers.insert(m[1]);
        }
    }
    REQUIRE(names.size() > 10);
    for (const auto& n : names) {
        INFO(n);
        CHECK(j.find(n) == std::string::npos);
        CHECK(csv.find(n) == std::string::npos);
        CHECK(text.out.find(n) == std::string::npos);
    }
    const json a = json::parse(j);
    CHECK(a["scope"]["pseudonymised_workers"] == true);
    REQUIRE_FALSE(workers.empty());
    for (const auto& row : a["rollups"]["worker"]) {
        CHECK_THAT(row["key"].get<std::string>(), Catch::Matches("W-[0-9a-f]{8}"));
        CHECK_FALSE(workers.count(row["key"]));
    }
    CHECK(a["rollups"]["worker"].size() == workers.size()); // distinct workers stay distinct
    for (const auto& w : workers) CHECK(csv.find("," + w + ",") == std::string::npos);
}

TEST_CASE("the same audit twice gives the same bytes, and a previous audit gives the trend", "[audit]") {
    temp_dir t;
    const std::string args = caseloads() + period + " --sample random --size 30 --seed 5";
    REQUIRE(casedoc("audit" + args + " -o " + quote(t / "one")).status == 0);
    REQUIRE(casedoc("audit" + args + " -j 1 -o " + quote(t / "two")).status == 0);
    for (const char* f : {"audit.json", "audit.csv", "audit.pdf"}) {
        INFO(f);
        CHECK(read_file(t.path / "one" / f) == read_file(t.path / "two" / f));
    }
    REQUIRE(casedoc("audit" + caseloads() + period + " --previous " + quote((t.path / "one" / "audit.json").string()) + " -o " +
                    quote(t / "trend")).status == 0);
    const json prev = audit_json(t.path / "one"), now = audit_json(t.path / "trend");
    REQUIRE(now["trend"].is_object());
    CHECK(now["trend"]["overall"]["previous_rate"] == prev["summary"]["item_rate"]);
    CHECK(now["trend"]["overall"]["rate"] == now["summary"]["item_rate"]);
    CHECK(now["trend"]["items"].size() == now["items"].size());
    // A file that is not an audit report is refused by name.
    const auto bad = casedoc("audit" + caseloads() + period + " --previous " + quote((t.path / "one" / "audit.csv").string()) + " -o " +
                             quote(t / "x"));
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Catch::Contains("audit.csv"));
}
