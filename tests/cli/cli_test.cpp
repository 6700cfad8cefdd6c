// The casedoc program on good and bad input, as a user runs it: exit status, messages, outputs.
#include "cli_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace casedoc_test;

TEST_CASE("a valid case record is compliant: exit 0 and no findings", "[cli][validate]") {
    const auto r = run("validate " + sample("valid/case-record-jose-2024.xml"));
    CHECK(r.status == 0);
    CHECK(r.out.empty());
}

TEST_CASE("a finding reads like a compiler diagnostic with rule id and citation", "[cli][validate]") {
    const auto r = run("validate " + sample("invalid/w4-plan-after-60-days.xml"));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("w4-plan-after-60-days.xml:"));
    CHECK_THAT(r.out, Catch::Contains(": error: "));
    CHECK_THAT(r.out, Catch::Contains("[CW-W4] (45 CFR 1356.21(g)(2)"));
    CHECK_THAT(r.out, Catch::Contains("due 2024-03-10"));
}

TEST_CASE("JSON output carries rule, severity, citation, line, column and path", "[cli][json]") {
    const auto r = run("validate --format json " + sample("invalid/w4-plan-after-60-days.xml"));
    CHECK(r.status == 1);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["records"].size() == 1);
    const auto& rec = j["records"][0];
    CHECK(rec["status"] == "not-compliant");
    CHECK(rec["setting"] == "child_welfare");
    bool found = false;
    for (const auto& f : rec["findings"])
        if (f["rule_id"] == "CW-W4") {
            found = true;
            CHECK(f["severity"] == "error");
            CHECK(f["line"].get<int>() > 0);
            CHECK(f["column"].get<int>() > 0);
            CHECK_THAT(f["path"].get<std::string>(), Catch::StartsWith("/r:case-record[1]"));
        }
    CHECK(found);
    CHECK(j["summary"]["not_compliant"] == 1);
}

TEST_CASE("policy parameters change the deadline applied and the finding says which", "[cli][policy]") {
    const auto strict = run("validate --param note-sign-hours=1 --format json " + sample("valid/case-plan-youth-consulted.xml"));
    const auto j = nlohmann::json::parse(strict.out);
    bool applied = false;
    for (const auto& f : j["records"][0]["findings"])
        if (f["rule_id"] == "X4-SIGN-TIMELY") applied = f["message"].get<std::string>().find("1 hour") != std::string::npos;
    CHECK(strict.status == 1);
    CHECK(applied);
}

TEST_CASE("malformed XML is exit 2 with file, line and column", "[cli][bad-input]") {
    const auto r = run("validate " + data("malformed.xml"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("malformed.xml:5:"));
    CHECK_THAT(r.err, Catch::Contains("malformed XML"));
}

TEST_CASE("a namespace prefix that is not declared is exit 2 with file, line and column", "[cli][bad-input]") {
    const auto r = run("validate " + data("undeclared-prefix.xml"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("undeclared-prefix.xml:6:3: fatal: could not check: malformed XML: namespace "
                                      "prefix 'x' is not declared"));
}

TEST_CASE("validate - reads a record from standard input and names it <stdin>", "[cli]") {
    const auto ok = run("validate --format json - < " + sample("valid/case-plan-youth-consulted.xml"));
    CHECK(ok.status == 0);
    const auto j = nlohmann::json::parse(ok.out);
    REQUIRE(j["records"].size() == 1);
    CHECK(j["records"][0]["file"] == "<stdin>");
    CHECK(j["records"][0]["status"] == "compliant");
    const auto bad = run("validate - < " + data("malformed.xml"));
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Catch::Contains("<stdin>:5:"));
    CHECK_THAT(bad.err, Catch::Contains("malformed XML"));
    const auto twice = run("validate - - < " + sample("valid/case-plan-youth-consulted.xml"));
    CHECK(twice.status == 2);
    CHECK_THAT(twice.err, Catch::Contains("standard input (-) can be read only once"));
}

TEST_CASE("a file that is not a casedoc record is exit 2 and says what was expected", "[cli][bad-input]") {
    const auto r = run("validate " + data("not-a-record.xml"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("not-a-record.xml:2:1"));
    CHECK_THAT(r.err, Catch::Contains("not a casedoc record"));
}

TEST_CASE("an unknown setting is exit 2 and lists the plugins there are", "[cli][bad-input]") {
    const auto r = run("validate " + data("unknown-setting.xml"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("unknown setting 'housing'"));
    CHECK_THAT(r.err, Catch::Contains("child_welfare"));
}

TEST_CASE("a record dated before every schema is exit 2: no schema in force", "[cli][bad-input]") {
    const auto r = run("validate " + data("no-schema-in-force.xml"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("no schema for child_welfare/caseworker-visit is in force on 2015-03-05"));
}

TEST_CASE("an unreadable file is exit 2 naming it", "[cli][bad-input]") {
    const auto r = run("validate " + data("does-not-exist.xml"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("does-not-exist.xml"));
    CHECK_THAT(r.err, Catch::Contains("cannot read file"));
}

TEST_CASE("an empty directory is exit 2", "[cli][bad-input]") {
    const fs::path dir = fs::temp_directory_path() / ("casedoc-empty-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto r = run("validate " + dir.string());
    fs::remove_all(dir);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("no records"));
}

TEST_CASE("a directory's records are its .xml files in any case, and its other files are named in a warning",
          "[cli][batch]") {
    const fs::path dir = fs::temp_directory_path() / ("casedoc-ext-" + std::to_string(::getpid()));
    fs::create_directories(dir / "sub");
    fs::copy_file(sample("valid/case-record-jose-2024.xml"), dir / "a.xml");
    fs::copy_file(sample("valid/case-record-jose-2024.xml"), dir / "sub" / "B.XML");
    std::ofstream(dir / "notes.txt") << "not a record\n";
    std::ofstream(dir / ".DS_Store") << "hidden\n";
    const auto r = run("validate --format json " + dir.string());
    fs::remove_all(dir);
    CHECK(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["records"].size() == 2);
    CHECK_THAT(r.err, Catch::Contains("1 file not checked, not *.xml: " + (dir / "notes.txt").string()));
    CHECK_THAT(r.err, !Catch::Contains(".DS_Store"));
}

TEST_CASE("a batch reports every file it could not check and still checks the rest", "[cli][batch]") {
    const fs::path dir = fs::temp_directory_path() / ("casedoc-batch-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::copy_file(data("malformed.xml"), dir / "a-malformed.xml");
    fs::copy_file(sample("valid/case-record-jose-2024.xml"), dir / "b-valid.xml");
    fs::copy_file(data("not-a-record.xml"), dir / "c-not-a-record.xml");
    fs::copy_file(sample("invalid/w4-plan-after-60-days.xml"), dir / "d-invalid.xml");
    const auto r = run("validate --format json -j 2 " + dir.string());
    fs::remove_all(dir);
    CHECK(r.status == 2);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["records"].size() == 4);
    CHECK(j["records"][0]["status"] == "error");
    CHECK(j["records"][1]["status"] == "compliant");
    CHECK(j["records"][2]["status"] == "error");
    CHECK(j["records"][3]["status"] == "not-compliant");
    REQUIRE(j["errors"].size() == 2);
    CHECK_THAT(j["errors"][0]["file"].get<std::string>(), Catch::EndsWith("a-malformed.xml"));
    CHECK_THAT(j["errors"][1]["file"].get<std::string>(), Catch::EndsWith("c-not-a-record.xml"));
}

TEST_CASE("the same input gives the same output bytes, whatever the thread count", "[cli][determinism]") {
    const auto a = run("validate --format json -j 1 " + sample("invalid"));
    const auto b = run("validate --format json -j 2 " + sample("invalid"));
    CHECK(a.status == 1);
    CHECK(a.out == b.out);
}

TEST_CASE("plain Schematron: any document, any schema, SVRL out", "[cli][svrl]") {
    const auto r = run("validate --schema " + data("plain.sch") + " --format svrl " + data("plain.xml"));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("<svrl:schematron-output"));
    CHECK_THAT(r.out, Catch::Contains("<svrl:active-pattern id=\"p-ids\""));
    CHECK_THAT(r.out, Catch::Contains("<svrl:fired-rule context=\"h:entry\""));
    CHECK_THAT(r.out, Catch::Contains("id=\"has-code\""));
    CHECK_THAT(r.out, Catch::Contains("location=\"/h:document[1]/h:entry[2]\""));
    CHECK_THAT(r.out, Catch::Contains("<svrl:successful-report id=\"is-draft\""));
    CHECK_THAT(r.out, Catch::Contains("Entry e2 is a draft."));
}

TEST_CASE("a bad schema is exit 2 naming file, line, rule and the XPath error", "[cli][bad-schema]") {
    const auto r = run("validate --schema " + data("bad-xpath.sch") + " " + data("plain.xml"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("bad-xpath.sch:5:"));
    CHECK_THAT(r.err, Catch::Contains("broken"));
    CHECK_THAT(r.err, Catch::Contains("XPath error"));
}

// ISO/IEC 19757-3:2016 5.4.3: extends names an abstract rule of its own pattern; the ISO skeleton looks in the whole
// schema, and so does casedoc unless --strict.
TEST_CASE("an extends naming another pattern's abstract rule is a warning, or exit 2 with --strict",
          "[cli][bad-schema][strict]") {
    const auto r =
        run("validate -j 2 --schema " + data("cross-pattern-extends.sch") + " " + data("cross-pattern-extends.xml"));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("cross-pattern-extends.xml:4:"));
    CHECK_THAT(r.out, Catch::Contains("[code-required]"));
    const std::string warning = "cross-pattern-extends.sch:12:7: extends rule='has-code' names an abstract rule of "
                                "another pattern 'shared'";
    CHECK_THAT(r.err, Catch::StartsWith("casedoc: warning: ") && Catch::Contains(warning));
    CHECK(r.err.find(warning) == r.err.rfind(warning)); // once, however many threads compile the schema

    const auto strict = run("validate --strict --schema " + data("cross-pattern-extends.sch") + " " +
                            data("cross-pattern-extends.xml"));
    CHECK(strict.status == 2);
    CHECK(strict.out.empty());
    CHECK_THAT(strict.err, Catch::Contains("cross-pattern-extends.sch:12:7: bad schema: extends rule='has-code' names "
                                           "an abstract rule of another pattern 'shared'"));
}

TEST_CASE("casedoc plugins lists id, name, version, document types and schema versions", "[cli][plugins]") {
    const auto r = run("plugins --format json");
    CHECK(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    bool cw = false;
    for (const auto& p : j)
        if (p["id"] == "child_welfare") {
            cw = true;
            CHECK(!p["document_types"].empty());
            CHECK(p["schemas"].size() >= 1);
        }
    CHECK(cw);
}

namespace {

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// A fresh, empty directory for one test's outputs.
fs::path scratch(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("casedoc-cli-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

const std::string fixture_plugins = std::string("--plugin-dir ") + CASEDOC_FIXTURE_PLUGINS;

} // namespace

TEST_CASE("export writes the plugin's columns and rows as CSV, quoting where needed", "[cli][export]") {
    const fs::path dir = scratch("export");
    const fs::path out = dir / "notes.csv";
    const auto r = run("export fixture_good:notes " + data("export/fixture-record.xml") + " " +
                       sample("valid/case-record-jose-2024.xml") + " -o " + out.string() + " " + fixture_plugins);
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(read_all(out) == "Note id,Record type,Signed\r\n"
                           "N-1,case-record,yes\r\n"
                           "\"N-2, \"\"second\"\"\",case-record,no\r\n");
    // The child welfare record is not dropped silently: it is listed as skipped.
    CHECK_THAT(r.err, Catch::Contains("skipped: ") && Catch::Contains("case-record-jose-2024.xml: setting child_welfare"));
    CHECK_THAT(r.err, Catch::Contains("2 rows from 1 record, 1 skipped, 0 could not be exported"));
    fs::remove_all(dir);
}

TEST_CASE("export with a tab delimiter", "[cli][export]") {
    const auto r = run("export fixture_good:notes " + data("export/fixture-record.xml") + " -o - --delimiter tab " +
                       fixture_plugins);
    CHECK(r.status == 0);
    CHECK(r.out.rfind("Note id\tRecord type\tSigned\r\nN-1\tcase-record\tyes\r\n", 0) == 0);
}

TEST_CASE("export of a batch with an unreadable record writes nothing and lists it: exit 2", "[cli][export][bad-input]") {
    const fs::path dir = scratch("export-bad");
    const fs::path out = dir / "notes.csv";
    const auto r = run("export fixture_good:notes " + data("export/fixture-record.xml") + " " + data("malformed.xml") +
                       " -o " + out.string() + " " + fixture_plugins);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("not exported: ") && Catch::Contains("malformed.xml:"));
    CHECK_THAT(r.err, Catch::Contains("nothing written to " + out.string()));
    CHECK_FALSE(fs::exists(out));
    CHECK(fs::is_empty(dir)); // no temporary file left behind either
    fs::remove_all(dir);
}

TEST_CASE("export names: an unknown export or plugin, or an unwritable output, is exit 2", "[cli][export][bad-input]") {
    auto r = run("export fixture_good:nope " + data("export/fixture-record.xml") + " -o - " + fixture_plugins);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("plugin fixture_good has no export 'nope' (exports: fixture_good:notes)"));
    r = run("export nobody:notes " + data("export/fixture-record.xml") + " -o - " + fixture_plugins);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("no plugin 'nobody'"));
    r = run("export fixture_good:notes " + data("export/fixture-record.xml") + " -o /nonexistent/dir/x.csv " +
            fixture_plugins);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("/nonexistent/dir/x.csv: cannot write: no such directory"));
}

TEST_CASE("options that take a value may come before the records", "[cli][usage]") {
    const auto r = run("validate --param note-sign-hours=96 " + fixture_plugins + " " +
                       sample("valid/case-record-jose-2024.xml") + " " + sample("valid/visit-dap.xml"));
    INFO(r.out << r.err);
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Catch::Contains("casedoc: 2 records: 2 checked (2 compliant, 0 not compliant), 0 could not be checked"));
}

TEST_CASE("the summary says how many records were checked and how many could not be, in words that agree",
          "[cli][summary]") {
    auto r = run("validate " + data("malformed.xml"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::EndsWith("casedoc: 1 record: 0 checked, 1 could not be checked\ncasedoc: not checked: " +
                                      data("malformed.xml") + "\n"));
    r = run("validate " + sample("invalid/w4-plan-after-60-days.xml"));
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Equals("casedoc: 1 record: 1 checked (0 compliant, 1 not compliant), 0 could not be checked; "
                                    "findings: 1 error, 0 warnings, 0 notes\n"));
    r = run("validate " + sample("invalid/w4-plan-after-60-days.xml") + " " + sample("invalid/x2-unsigned.xml") + " " +
            data("malformed.xml"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("casedoc: 3 records: 2 checked (0 compliant, 2 not compliant), 1 could not be checked; "
                                      "findings: 2 errors, "));
}
