// The schema lint as schema authors meet it: `casedoc schema lint`, and the same findings in `schema test` (with
// each rule's coverage by the samples) and `plugin check` (which refuses placeholder citations); validate's
// warning about a rule without a citation; includes by casedoc: name. The fixture schema
// data/lint/child_welfare/child-welfare-lint.sch has one finding of each kind.
#include "cli_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <string>

namespace fs = std::filesystem;
using namespace casedoc_test;

namespace {

const std::string lint_schema = data("lint/child_welfare/child-welfare-lint.sch");
// Only the fixture's schemas and the child welfare plugin.
const std::string isolated = "--isolated --plugin-dir " +
                             quote(fs::path(CASEDOC_CHILD_WELFARE_PLUGIN).parent_path().string()) + " ";

// The fixture schema (with `from` replaced by `to`), in DIR/schemas/child_welfare/ of a scratch directory DIR (laid
// out as a plugin project).
struct edited_schema {
    temp_dir dir;
    std::string file;
    explicit edited_schema(const std::string& from = {}, const std::string& to = {}) {
        std::string text = read_file(lint_schema);
        if (!from.empty()) {
            const size_t at = text.find(from);
            REQUIRE(at != std::string::npos);
            text.replace(at, from.size(), to);
        }
        fs::create_directories(dir.path / "schemas" / "child_welfare");
        file = (dir.path / "schemas" / "child_welfare" / "child-welfare-lint.sch").string();
        std::ofstream(file) << text;
    }
};

} // namespace

TEST_CASE("schema lint reports a rule that never fires, a mistyped type and a missing citation at their lines: exit 1",
          "[cli][lint]") {
    const auto r = run(isolated + "schema lint " + quote(lint_schema));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains(lint_schema + ":19:5: warning: the rule with context \"r:case-record\" "
                                                    "(LINT-PLAN-REVIEW) never fires: the rule at line 15 (context "
                                                    "\"r:case-record\") in pattern 'lint-case-record' comes first"));
    CHECK_THAT(r.out, Catch::Contains(lint_schema + ":28:7: warning: type 'removl' in cd:deadline/@anchor is not one "
                                                    "the record format or this setting's records use; did you mean "
                                                    "'removal'?"));
    CHECK_THAT(r.out, Catch::Contains(lint_schema + ":28:7: warning: rule LINT-PLAN has no citation"));
    CHECK_THAT(r.out, Catch::Contains("schema lint: 1 schema, 3 warnings"));
}

TEST_CASE("schema lint of a schema that does not compile is exit 2 at the schema's line", "[cli][lint][bad-schema]") {
    const auto r = run("schema lint " + quote(data("bad-xpath.sch")));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains(data("bad-xpath.sch") + ":5:") && Catch::Contains("XPath error"));
}

TEST_CASE("the shipped schemas lint clean, their plugins' samples giving the settings' names",
          "[cli][lint][settings]") {
    for (const char* id : {"child_welfare", "correctional", "hospital", "vocational"}) {
        INFO(id);
        const std::string dir = std::string(CASEDOC_SOURCE_DIR) + "/schemas/" + id;
        std::string schemas;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".sch") schemas += " " + quote(e.path().string());
        const auto r =
            run("schema lint" + schemas + " --samples " + quote(std::string(CASEDOC_SOURCE_DIR) + "/plugins/" + id +
                                                                "/samples/valid") +
                " --samples " + quote(std::string(CASEDOC_SOURCE_DIR) + "/plugins/" + id + "/samples/invalid"));
        CHECK(r.out.find(": warning: ") == std::string::npos);
        CHECK_THAT(r.out, Catch::Contains("schema lint: 2 schemas, 0 warnings"));
        CHECK(r.status == 0);
    }
}

TEST_CASE("schema test lints, and says per rule in how many samples it applied, failed and passed",
          "[cli][lint][coverage]") {
    const auto r = run(isolated + "schema test " + quote(lint_schema));
    CHECK(r.status == 0); // both examples trigger what they expect
    CHECK_THAT(r.out, Catch::Contains(lint_schema + ":19:5: warning: the rule with context \"r:case-record\""));
    // LINT-REMOVAL applies to both examples: one has no removal event.
    CHECK(std::regex_search(r.out, std::regex("\n  LINT-REMOVAL +2 +1 +1\n")));
    // The rule an earlier one shadows, and the deadline with the mistyped anchor, never apply.
    CHECK(std::regex_search(r.out,
                            std::regex("\n  LINT-PLAN-REVIEW +0 +0 +0  never applicable: no sample tests it\n")));
    CHECK(std::regex_search(r.out, std::regex("\n  LINT-PLAN +0 +0 +0  never applicable")));
    CHECK_THAT(r.out, Catch::Contains("2 passed, 0 failed, 0 skipped") && Catch::Contains("; 3 lint warnings"));
}

TEST_CASE("validate warns once per schema about a rule without a citation, naming its line", "[cli][lint][citation]") {
    const auto r = run(isolated + "--schema-dir " + quote(data("lint")) + " validate -j 2 " +
                       quote(data("lint/child_welfare/examples")));
    CHECK(r.status == 1); // one example has no removal event
    CHECK(count(r.err, "has no citation") == 1);
    CHECK_THAT(r.err, Catch::Contains("casedoc: warning: " + lint_schema + ":28:7: rule LINT-PLAN has no citation"));
}

TEST_CASE("plugin check refuses a placeholder citation, naming the schema's file and line",
          "[cli][lint][plugin-check]") {
    const edited_schema edited("cd:citation=\"agency policy (configurable)\"", "cd:citation=\"CITATION-NEEDED\"");
    const auto r = run("plugin check " + quote(CASEDOC_CHILD_WELFARE_PLUGIN) + " --isolated --schema-dir " +
                       quote((edited.dir.path / "schemas").string()));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("FAIL  no rule cites the placeholder CITATION-NEEDED\n        " + edited.file +
                                      ":16:7: error: rule LINT-REMOVAL cites the placeholder 'CITATION-NEEDED': "
                                      "replace it with the regulation or policy the rule enforces"));
    // The other findings of the lint are refused too, the missing citation once, at its line.
    CHECK_THAT(r.out, Catch::Contains("FAIL  the schemas lint clean (casedoc schema lint)"));
    CHECK_THAT(r.out, Catch::Contains(edited.file + ":28:7: error: rule LINT-PLAN has no citation"));
    CHECK(count(r.out, "LINT-PLAN has no citation") == 1);
}

TEST_CASE("casedoc:common/ includes resolve isolated, and a casedoc: name found nowhere is exit 2 at the include",
          "[cli][include]") {
    const auto ok = run(isolated + "--schema-dir " + quote(data("lint")) + " validate " +
                        quote(data("lint/child_welfare/examples/removal.xml")));
    CHECK(ok.status == 0);
    const edited_schema edited("casedoc:common/notes.sch", "casedoc:common/nothing.sch");
    const auto r = run(isolated + "--schema-dir " + quote((edited.dir.path / "schemas").string()) + " validate " +
                       quote(data("lint/child_welfare/examples/removal.xml")));
    CHECK(r.status == 2);
    CHECK_THAT(r.out + r.err, Catch::Contains(edited.file + ":12:3: bad schema: cannot find the schema "
                                                            "'casedoc:common/nothing.sch' it refers to (looked in " +
                                              (edited.dir.path / "schemas").string()));
}

TEST_CASE("schema lint knows the names of the plugin project's samples without being told", "[cli][lint][names]") {
    // PROJECT/schemas/child_welfare/x.sch and PROJECT/samples/. Removal events are the setting's, not the record
    // format's: 'removl' is near no known name until a sample has a removal event.
    const edited_schema project;
    const auto before = run(isolated + "schema lint " + quote(project.file));
    CHECK(before.out.find("type 'removl'") == std::string::npos);
    fs::create_directories(project.dir.path / "samples" / "valid");
    std::ofstream(project.dir.path / "samples" / "valid" / "r.xml")
        << "<case-record xmlns='urn:casedoc:record:1' format-version='1.0' setting='child_welfare' type='case-record' "
           "id='R' as-of='2024-01-31'><events><event type='removal' date='2024-01-02'/></events></case-record>";
    const auto after = run(isolated + "schema lint " + quote(project.file));
    CHECK_THAT(after.out, Catch::Contains("type 'removl' in cd:deadline/@anchor is not one the record format or this "
                                          "setting's records use; did you mean 'removal'?"));
    CHECK_THAT(after.out, Catch::Contains("schema lint: 1 schema, 3 warnings"));
    CHECK(after.status == 1);
}
