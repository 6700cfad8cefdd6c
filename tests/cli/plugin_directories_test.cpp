// Where the program finds plugins, schemas and templates, and what a plugin that does not load does: it
// disables its own setting only (unless --strict-plugins); --project DIR takes a plugin project's three
// directories; --isolated (CASEDOC_ISOLATED=1) ignores the installed and build tree's ones.
#include "cli_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace casedoc_test;

namespace {

std::string fixture_dir(const std::string& folder) { return std::string(CASEDOC_FIXTURE_ROOT) + "/" + folder; }
std::string fixture(const std::string& folder, const std::string& id) {
    return fixture_dir(folder) + "/casedoc_" + id + ".so";
}

// A plugin project as `casedoc plugin new` lays it out once built, holding the child welfare setting:
// build/plugins/casedoc_child_welfare.so, schemas/ (links to the source tree's) and
// templates/child_welfare/ (without templates/common, which casedoc itself provides).
struct child_welfare_project {
    temp_dir dir;
    child_welfare_project() {
        fs::create_directories(dir.path / "build" / "plugins");
        fs::copy_file(CASEDOC_CHILD_WELFARE_PLUGIN, dir.path / "build" / "plugins" / "casedoc_child_welfare.so");
        fs::create_directory_symlink(fs::path(CASEDOC_SOURCE_DIR) / "schemas", dir.path / "schemas");
        fs::create_directories(dir.path / "templates");
        fs::create_directory_symlink(fs::path(CASEDOC_SOURCE_DIR) / "templates" / "child_welfare",
                                     dir.path / "templates" / "child_welfare");
    }
    std::string path() const { return dir.path.string(); }
};

} // namespace

TEST_CASE("a plugin that does not load disables its own setting only: one warning, other records still checked",
          "[cli][plugins][disable]") {
    const auto [folder, id, what] = GENERATE(table<std::string, std::string, std::string>({
        {"wrong_id", "wrong_id", "plugin id 'someone_else' does not match its file name (expected 'wrong_id')"},
        {"wrong_abi", "wrong_abi", "wrong plugin ABI version: got 99, this casedoc supports 1"},
        {"no_entry", "no_entry", "not a casedoc plugin: missing symbol 'casedoc_plugin_entry'"},
        {"entry_throws", "entry_throws", "plugin entry point threw an exception: descriptor not ready"},
    }));
    INFO(folder);
    const auto r = run("validate --plugin-dir " + fixture_dir(folder) + " " + sample("valid/case-record-jose-2024.xml"));
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.out.empty());
    CHECK(r.err == "casedoc: warning: " + fixture(folder, id) + ": " + what + "; setting '" + id +
                       "' disabled: its records will not be checked\n");
}

TEST_CASE("a record of a disabled setting could not be checked (exit 2), saying why", "[cli][plugins][disable]") {
    const auto r = run("validate --plugin-dir " + fixture_dir("wrong_id") + " " + data("disabled-setting.xml") + " " +
                       sample("valid/case-record-jose-2024.xml"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains(data("disabled-setting.xml") + ":2:1: fatal: could not check: setting 'wrong_id' is "
                                      "disabled: its plugin did not load: " + fixture("wrong_id", "wrong_id") +
                                      ": plugin id 'someone_else' does not match its file name (expected 'wrong_id')"));
    CHECK_THAT(r.err, Catch::Contains("casedoc: 2 records: 1 checked (1 compliant, 0 not compliant), 1 could not be checked"));
    CHECK(count(r.err, "warning:") == 1);
}

TEST_CASE("with --strict-plugins a plugin that does not load stops the command: exit 2 naming it", "[cli][plugins][disable]") {
    for (const std::string args : {"--strict-plugins validate", "validate --strict-plugins"}) {
        INFO(args);
        const auto r = run(args + " --plugin-dir " + fixture_dir("wrong_id") + " " + sample("valid/case-record-jose-2024.xml"));
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err == "casedoc: error: " + fixture("wrong_id", "wrong_id") +
                           ": plugin id 'someone_else' does not match its file name (expected 'wrong_id')\n");
    }
}

TEST_CASE("two plugins with one id disable that setting, and the warning names both files", "[cli][plugins][disable]") {
    const auto r = run("validate --plugin-dir " + fixture_dir("dup1") + " --plugin-dir " + fixture_dir("dup2") + " " +
                       sample("valid/case-record-jose-2024.xml"));
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Catch::Contains("casedoc: warning: " + fixture("dup2", "dup") + ": plugin id 'dup' is already provided by '" +
                                      fixture("dup1", "dup") + "'; setting 'dup' disabled: its records will not be checked "
                                      "(--isolated ignores the installed plugins)"));
}

TEST_CASE("casedoc plugins lists a plugin that did not load with its error, and exits 2", "[cli][plugins][disable]") {
    auto r = run("plugins --plugin-dir " + fixture_dir("wrong_id"));
    CHECK(r.status == 2);
    CHECK_THAT(r.out, Catch::Contains("wrong_id  did not load: setting disabled\n  file: " + fixture("wrong_id", "wrong_id") +
                                      "\n  error: " + fixture("wrong_id", "wrong_id") +
                                      ": plugin id 'someone_else' does not match its file name (expected 'wrong_id')\n"));
    CHECK_THAT(r.out, Catch::Contains("child_welfare  ")); // the others are listed as before
    r = run("plugins --format json --plugin-dir " + fixture_dir("wrong_id"));
    CHECK(r.status == 2);
    const auto j = nlohmann::json::parse(r.out);
    bool listed = false;
    for (const auto& p : j)
        if (p["id"] == "wrong_id") {
            listed = true;
            CHECK(p["file"] == fixture("wrong_id", "wrong_id"));
            CHECK_THAT(p["error"].get<std::string>(), Catch::Contains("does not match its file name"));
        } else CHECK_FALSE(p.contains("error"));
    CHECK(listed);
}

TEST_CASE("isolated (--isolated or CASEDOC_ISOLATED=1), the build tree's or installed plugins are ignored", "[cli][isolated]") {
    for (const std::string& cmd : {std::string(CASEDOC_EXE) + " --isolated validate",
                                  std::string(CASEDOC_EXE) + " validate --isolated",
                                  "CASEDOC_ISOLATED=1 " + std::string(CASEDOC_EXE) + " validate"}) {
        INFO(cmd);
        const auto r = shell(cmd + " " + sample("valid/visit-dap.xml"));
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("unknown setting 'child_welfare' (plugins loaded: none)"));
    }
    const auto r = shell("CASEDOC_ISOLATED=0 " + std::string(CASEDOC_EXE) + " validate " + sample("valid/visit-dap.xml"));
    CHECK(r.status == 0);
}

TEST_CASE("a plugin project (--project DIR) gives its plugin, schemas and templates: validate and render just work",
          "[cli][project][isolated]") {
    const child_welfare_project project;
    temp_dir out;
    auto r = run("--isolated --project " + project.path() + " validate " + sample("valid/visit-dap.xml") + " " +
                 sample("invalid/w4-plan-after-60-days.xml"));
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("[CW-W4]"));
    // render finds the project's templates/child_welfare and casedoc's own templates/common.
    r = run("--isolated --project " + project.path() + " render " + sample("valid/visit-dap.xml") + " -o " + out / "v.pdf");
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(fs::exists(out / "v.pdf"));
    r = run("render --project " + project.path() + " --isolated " + sample("valid/visit-dap.xml") + " -o " + out / "w.pdf");
    CHECK(r.status == 0);
    CHECK(read_file(out / "v.pdf") == read_file(out / "w.pdf"));
}

TEST_CASE("a project plugin that is also installed disables that setting unless --isolated, and the warning says so",
          "[cli][project][isolated]") {
    const child_welfare_project project;
    auto r = run("--project " + project.path() + " validate " + sample("valid/visit-dap.xml"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("plugin id 'child_welfare' is already provided by '" + project.path() +
                                      "/build/plugins/casedoc_child_welfare.so'") &&
                          Catch::Contains("(--isolated ignores the installed plugins)") &&
                          Catch::Contains("could not check: setting 'child_welfare' is disabled"));
    r = run("--project " + project.path() + " --isolated validate " + sample("valid/visit-dap.xml"));
    CHECK(r.status == 0);
    CHECK(r.err.empty());
}

TEST_CASE("a project not built yet, or not a directory, is exit 2 saying what to do", "[cli][project][bad-input]") {
    temp_dir empty;
    auto r = run("--project " + empty.path.string() + " validate " + sample("valid/visit-dap.xml"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains(empty / "build/plugins" + ": --project: no plugin built here (build it first: cmake -S " +
                                      empty.path.string() + " -B " + empty / "build" + " && cmake --build " + empty / "build" + ")"));
    r = run("--project " + empty / "nothing" + " validate " + sample("valid/visit-dap.xml"));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains(empty / "nothing" + ": --project: no such directory"));
}

TEST_CASE("a missing template suggests --template-dir and --project", "[cli][project][render]") {
    const child_welfare_project project;
    fs::remove(project.dir.path / "templates" / "child_welfare");
    temp_dir out;
    const auto r = run("--isolated --project " + project.path() + " render " + sample("valid/visit-dap.xml") + " -o " + out / "v.pdf");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("no template: looked for " + project.path() +
                                      "/templates/child_welfare/caseworker-visit.xml (--template-dir DIR, or --project DIR "
                                      "for a plugin project, adds a directory)"));
    CHECK_FALSE(fs::exists(out / "v.pdf"));
}

TEST_CASE("a setting schema that does not compile is reported at its own place, not the record's",
          "[cli][bad-schema]") {
    // A copy of the child welfare schemas whose 2024 schema has an assertion with a broken XPath.
    temp_dir dir;
    fs::copy(fs::path(CASEDOC_SOURCE_DIR) / "schemas", dir.path / "schemas", fs::copy_options::recursive);
    const fs::path broken = dir.path / "schemas" / "child_welfare" / "child-welfare-2024.sch";
    const size_t line = break_schema(broken);

    const auto r = run("--isolated --plugin-dir " + fs::path(CASEDOC_CHILD_WELFARE_PLUGIN).parent_path().string() +
                       " --schema-dir " + (dir.path / "schemas").string() + " validate " +
                       sample("valid/case-record-jose-2024.xml"));
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains(sample("valid/case-record-jose-2024.xml") + ": fatal: could not check: " +
                                      broken.string() + ":" + std::to_string(line) + ":"));
    CHECK_THAT(r.err, Catch::Contains("bad schema"));
}
