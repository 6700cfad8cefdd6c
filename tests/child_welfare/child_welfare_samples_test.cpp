// End-to-end tests of the child welfare setting: every sample record is run through the built program
// (`casedoc validate --format json`), and the samples must cover every rule the setting has.
//
// Each sample starts with <!-- casedoc-expect: ID ID ... --> (or "none" for a valid one).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path samples_dir{CW_SAMPLES_DIR};
const fs::path schema_dir{CW_SCHEMA_DIR};
const fs::path examples_dir{CW_EXAMPLES_DIR};

struct run_result {
    int exit_code = -1;
    std::string out, err;
};

std::string read_file(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string quoted(const std::string &s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Runs the casedoc program with `args`; stdout and stderr are captured separately.
run_result run_casedoc(const std::vector<std::string> &args) {
    const fs::path err_file = fs::temp_directory_path() / ("casedoc-cw-test-" + std::to_string(::getpid()) + ".err");
    std::string cmd = quoted(CASEDOC_EXE);
    for (const auto &a : args)
        cmd += " " + quoted(a);
    cmd += " 2>" + quoted(err_file.string());
    run_result r;
    FILE *pipe = ::popen(cmd.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0)
        r.out.append(buf, n);
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = read_file(err_file);
    fs::remove(err_file);
    return r;
}

std::vector<fs::path> xml_files(const fs::path &dir) {
    std::vector<fs::path> out;
    for (const auto &e : fs::directory_iterator(dir))
        if (e.path().extension() == ".xml")
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// The ids after "casedoc-expect:", or nothing when the comment is missing.
std::optional<std::set<std::string>> expected_ids(const fs::path &file) {
    static const std::regex re(R"(<!--\s*casedoc-expect:\s*([^>]*?)\s*-->)");
    const std::string text = read_file(file);
    std::smatch m;
    if (!std::regex_search(text, m, re))
        return std::nullopt;
    std::set<std::string> ids;
    std::istringstream ss(m[1].str());
    for (std::string id; ss >> id;)
        if (id != "none")
            ids.insert(id);
    return ids;
}

struct checked_record {
    run_result run;
    nlohmann::json json;   // the whole report
    nlohmann::json record; // records[0]
    std::set<std::string> rule_ids, error_ids;
};

checked_record validate(const fs::path &file) {
    checked_record c;
    c.run = run_casedoc({"validate", "--format", "json", file.string()});
    INFO("stderr: " << c.run.err);
    INFO("stdout: " << c.run.out);
    REQUIRE_NOTHROW(c.json = nlohmann::json::parse(c.run.out));
    REQUIRE(c.json.contains("records"));
    REQUIRE(c.json["records"].size() == 1);
    c.record = c.json["records"][0];
    for (const auto &f : c.record.value("findings", nlohmann::json::array())) {
        const std::string id = f.value("rule_id", "");
        c.rule_ids.insert(id);
        if (f.value("severity", "") == "error")
            c.error_ids.insert(id);
    }
    return c;
}

std::string joined(const std::set<std::string> &ids) {
    std::string out;
    for (const auto &id : ids)
        out += (out.empty() ? "" : " ") + id;
    return out.empty() ? "(none)" : out;
}

// Rule ids of a schema file and the files it includes: the id of every sch:assert, sch:report and
// casedoc extension check (cd:field, cd:deadline, cd:recurrence).
void collect_schema_ids(const fs::path &file, std::set<std::string> &ids, std::set<fs::path> &seen) {
    const fs::path canonical = fs::weakly_canonical(file);
    if (!seen.insert(canonical).second)
        return;
    pugi::xml_document doc;
    const pugi::xml_parse_result ok = doc.load_file(file.c_str());
    INFO(file.string() << ": " << ok.description());
    REQUIRE(ok);
    struct walker : pugi::xml_tree_walker {
        std::set<std::string> *ids;
        std::vector<std::string> includes;
        bool for_each(pugi::xml_node &n) override {
            if (n.type() != pugi::node_element)
                return true;
            const std::string name = n.name();
            if (name == "sch:include")
                includes.push_back(n.attribute("href").value());
            const bool check = name == "sch:assert" || name == "sch:report" || name == "cd:field" ||
                               name == "cd:deadline" || name == "cd:recurrence";
            if (check && n.attribute("id"))
                ids->insert(n.attribute("id").value());
            return true;
        }
    } w;
    w.ids = &ids;
    doc.traverse(w);
    for (const auto &href : w.includes)
        collect_schema_ids(file.parent_path() / href, ids, seen);
}

std::set<std::string> schema_rule_ids() {
    std::set<std::string> ids;
    std::set<fs::path> seen;
    for (const auto &e : fs::directory_iterator(schema_dir))
        if (e.path().extension() == ".sch")
            collect_schema_ids(e.path(), ids, seen);
    return ids;
}

// The plugin's native check ids, as the program lists them.
std::set<std::string> native_rule_ids() {
    const run_result r = run_casedoc({"plugins", "--format", "json"});
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    const auto list = nlohmann::json::parse(r.out);
    std::set<std::string> ids;
    bool found = false;
    for (const auto &p : list) {
        if (p.value("id", "") != "child_welfare")
            continue;
        found = true;
        for (const auto &c : p.value("native_checks", nlohmann::json::array()))
            ids.insert(c.value("rule_id", ""));
    }
    REQUIRE(found);
    return ids;
}

} // namespace

TEST_CASE("every child welfare sample says which rules it must trigger", "[child_welfare][samples]") {
    for (const char *kind : {"valid", "invalid"}) {
        const auto files = xml_files(samples_dir / kind);
        REQUIRE(!files.empty());
        for (const auto &f : files) {
            INFO(f.string());
            const auto ids = expected_ids(f);
            REQUIRE(ids.has_value());
            if (std::string(kind) == "valid")
                CHECK(ids->empty());
            else
                CHECK(!ids->empty());
        }
    }
}

TEST_CASE("valid child welfare samples and record examples are compliant", "[child_welfare][samples]") {
    auto files = xml_files(samples_dir / "valid");
    for (const auto &f : xml_files(examples_dir))
        files.push_back(f);
    REQUIRE(files.size() >= 4);
    for (const auto &f : files) {
        INFO(f.string());
        const checked_record c = validate(f);
        INFO(c.run.out);
        CHECK(c.run.exit_code == 0);
        CHECK(c.record.value("status", "") == "compliant");
        CHECK(c.record.value("setting", "") == "child_welfare");
        std::set<std::string> serious;
        for (const auto &fi : c.record.value("findings", nlohmann::json::array()))
            if (fi.value("severity", "") != "info")
                serious.insert(fi.value("rule_id", ""));
        CHECK(joined(serious) == "(none)");
    }
}

TEST_CASE("invalid child welfare samples trigger every rule they name", "[child_welfare][samples]") {
    const auto files = xml_files(samples_dir / "invalid");
    REQUIRE(!files.empty());
    for (const auto &f : files) {
        INFO(f.string());
        const auto expected = expected_ids(f).value_or(std::set<std::string>{});
        const checked_record c = validate(f);
        INFO("expected: " << joined(expected) << "\nfound:    " << joined(c.rule_ids));
        INFO(c.run.out);
        for (const auto &id : expected) {
            INFO("rule " << id);
            CHECK(c.rule_ids.count(id) == 1);
        }
        // Warnings alone (CW-W2, CW-W3-TOPICS) leave a record compliant; any error makes it not compliant.
        if (c.error_ids.empty()) {
            CHECK(c.run.exit_code == 0);
        } else {
            CHECK(c.run.exit_code == 1);
            CHECK(c.record.value("status", "") == "not-compliant");
        }
    }
}

TEST_CASE("every child welfare rule has an invalid sample that triggers it", "[child_welfare][coverage]") {
    std::set<std::string> rules = schema_rule_ids();
    REQUIRE(rules.count("CW-W1") == 1);          // the setting's schemas were read
    REQUIRE(rules.count("X4-SIGN-TIMELY") == 1); // and the common note rules they include
    const std::set<std::string> native = native_rule_ids();
    REQUIRE(native.count("CW-W7-CONSULT") == 1);
    rules.insert(native.begin(), native.end());

    std::set<std::string> covered;
    for (const auto &f : xml_files(samples_dir / "invalid")) {
        const auto ids = expected_ids(f).value_or(std::set<std::string>{});
        covered.insert(ids.begin(), ids.end());
    }
    std::set<std::string> uncovered, unknown;
    std::set_difference(rules.begin(), rules.end(), covered.begin(), covered.end(),
                        std::inserter(uncovered, uncovered.end()));
    std::set_difference(covered.begin(), covered.end(), rules.begin(), rules.end(),
                        std::inserter(unknown, unknown.end()));
    INFO(rules.size() << " rules");
    CHECK(joined(uncovered) == "(none)"); // rules no invalid sample names
    CHECK(joined(unknown) == "(none)");   // names in samples that are no rule
}

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
        CHECK(r.exit_code == 0);
    }
    SECTION("an agency window of 48 hours") {
        const run_result r =
            run_casedoc({"validate", "--format", "json", "--param", "note-sign-hours=48", late.string()});
        INFO(r.out << r.err);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("more than 48 hours"));
    }
}
