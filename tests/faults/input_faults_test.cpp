// Files the system refuses (issue 23): a record that cannot be read, an output directory that cannot be
// written, a record that vanishes between the listing of its directory and its reading, and too few file
// descriptors for a large batch. Each is a clear error naming the file; the batch goes on with the others
// and lists what it could not do.
//
// Permissions as root: root reads and writes whatever the mode bits say, so where the tests run as root the
// program is started without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH in its capability bounding set
// (prctl(PR_CAPBSET_DROP) before exec): a root-owned file of mode 000 is then unreadable to it, as to
// anyone. Not as root, the mode bits apply anyway.
#include "fault_support.hpp"

#include <sys/stat.h>

using namespace casedoc_fault;

namespace {

std::string caseload(const std::string& id) { return source("plugins/" + id + "/samples/caseload"); }

finished run_without_override(std::vector<std::string> args, const fs::path& scratch) {
    launch l;
    l.args = std::move(args);
    l.without_dac_override = true;
    finished f = run(l, scratch);
    if (f.status == 125) skip("cannot drop CAP_DAC_OVERRIDE from the bounding set (prctl), so root ignores chmod 000");
    return f;
}

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

} // namespace

TEST_CASE("an unreadable record is named with the reason and every other record is still checked",
          "[faults][permissions]") {
    temp_dir t;
    const fs::path records = t.path / "records";
    copy_records(xml_files(caseload("child_welfare")), records, 32);
    const fs::path locked = xml_files(records)[5];
    REQUIRE(::chmod(locked.c_str(), 0) == 0);
    const std::string named = locked.string() + ": fatal: could not check: cannot read file: Permission denied";

    SECTION("validate") {
        const finished f = run_without_override({"validate", "-j", "2", records.string()}, t.path);
        INFO(f.err);
        CHECK(f.status == 2);
        CHECK_THAT(f.err, Catch::Contains(named));
        CHECK_THAT(f.err, Catch::Contains("32 records: 31 checked") && Catch::Contains("1 could not be checked"));
        CHECK_THAT(f.err, Catch::Contains("casedoc: not checked: " + locked.string()));
    }
    SECTION("render") {
        const fs::path out = t.path / "pdf";
        const finished f = run_without_override({"render", "--draft", "-j", "2", records.string(), "-o", out.string() + "/"}, t.path);
        INFO(f.err);
        CHECK(f.status == 2);
        CHECK_THAT(f.err, Catch::Contains(named) && Catch::Contains("not rendered: " + locked.string()));
        CHECK_THAT(f.err, Catch::Contains("1 could not be rendered"));
        CHECK(files_under(out).size() == 31);
    }
    SECTION("audit") {
        const fs::path out = t.path / "audit";
        const finished f = run_without_override(
            {"audit", records.string(), "--period", "2025-07-01..2025-12-31", "-o", out.string()}, t.path);
        INFO(f.err);
        CHECK(f.status == 2);
        CHECK_THAT(f.err, Catch::Contains("could not check: " + locked.string() + ": cannot read file: Permission denied"));
        CHECK(files_under(out).size() == 3); // the report is written, and lists the record it could not check
        CHECK_THAT(read_file(out / "audit.json"), Catch::Contains(locked.filename().string()));
    }
}

TEST_CASE("an output directory that cannot be written: every file is named and the batch goes on",
          "[faults][permissions]") {
    temp_dir t;
    const fs::path out = t.path / "out";
    fs::create_directories(out);
    REQUIRE(::chmod(out.c_str(), 0555) == 0);

    SECTION("render") {
        const finished f = run_without_override({"render", "--draft", caseload("child_welfare"), "-o", out.string() + "/"}, t.path);
        INFO(f.err);
        CHECK(f.status == 2);
        CHECK(count(f.err, "cannot write: Permission denied") == 32);
        CHECK_THAT(f.err, Catch::Contains((out / "cw-2025-0131.pdf").string() + ": cannot write: Permission denied"));
        CHECK_THAT(f.err, Catch::Contains("32 could not be rendered"));
    }
    SECTION("validate --out") {
        const finished f = run_without_override({"validate", "--format", "svrl", "--out", out.string(), caseload("child_welfare")}, t.path);
        INFO(f.err);
        CHECK(f.status == 2);
        CHECK(count(f.err, "cannot write: Permission denied") == 32);
        CHECK_THAT(f.err, Catch::Contains("casedoc: not written: " + (out / "cw-2025-0131.svrl").string()));
        CHECK_THAT(f.err, Catch::Contains("32 records: 32 checked")); // checked, not written: both said
        CHECK_THAT(f.err, Catch::Contains("32 of 32 SVRL files could not be written"));
    }
    SECTION("audit") {
        const finished f = run_without_override(
            {"audit", caseload("child_welfare"), "--period", "2025-07-01..2025-12-31", "-o", out.string()}, t.path);
        INFO(f.err);
        CHECK(f.status == 2);
        CHECK_THAT(f.err, Catch::Contains((out / "audit.json").string() + ": cannot write: Permission denied"));
    }
    SECTION("export") {
        const finished f = run_without_override(
            {"export", "vocational:rsa911", caseload("vocational"), "-o", (out / "rsa911.csv").string()}, t.path);
        INFO(f.err);
        CHECK(f.status == 2);
        CHECK_THAT(f.err, Catch::Contains((out / "rsa911.csv").string() + ": cannot write: Permission denied"));
    }
    ::chmod(out.c_str(), 0755);
    CHECK(fs::is_empty(out));
}

TEST_CASE("a record that vanishes after its directory was listed is named, and the batch goes on", "[faults][vanish]") {
    // Deterministic: one thread checks the records in order and writes findings for each to a pipe that the
    // test does not read until it has removed the last record. The program has then listed the directory
    // (it has written output) and cannot have reached the last record (the pipe holds 64 KiB; the findings
    // before it are several times that, checked first in an undisturbed run).
    temp_dir t;
    const fs::path records = t.path / "records";
    copy_records({source("plugins/child_welfare/samples/invalid/case-record-several-problems.xml")}, records, 400);
    const std::vector<std::string> args = {"validate", "-j", "1", records.string()};
    const finished whole = run(args, t.path);
    REQUIRE(whole.status == 1);
    const fs::path last = xml_files(records).back();
    const std::string last_findings = last.string() + ":";
    REQUIRE(whole.out.find(last_findings) != std::string::npos);
    REQUIRE(whole.out.find(last_findings) > 4 * 65536);

    launch l;
    l.args = args;
    l.stdout_pipe = true;
    child c = start(l, t.path);
    char first[1];
    REQUIRE(::read(c.out_fd, first, 1) == 1); // the first findings: the directory has been listed
    fs::remove(last);
    finished f = wait_for(c);
    INFO(f.err);
    CHECK(f.status == 2);
    CHECK_THAT(f.err, Catch::Contains(last.string() + ": fatal: could not check: cannot read file: No such file or directory"));
    CHECK_THAT(f.err, Catch::Contains("400 records: 399 checked") && Catch::Contains("1 could not be checked"));
    CHECK_THAT(f.err, Catch::Contains("casedoc: not checked: " + last.string()));
}

TEST_CASE("a large batch with 32 file descriptors (ulimit -n 32) gives what it gives without the limit",
          "[faults][descriptors]") {
    temp_dir t;
    const fs::path records = t.path / "records";
    copy_records(xml_files(caseload("child_welfare")), records, 300);
    struct command {
        std::string name;
        std::vector<std::string> args;
        fs::path out;
    };
    const std::vector<command> commands = {
        {"validate", {"validate", "-j", "2", "--format", "json", records.string()}, {}},
        {"validate --out", {"validate", "-j", "2", "--format", "svrl", "--out", (t.path / "svrl").string(), records.string()}, t.path / "svrl"},
        {"render", {"render", "--draft", "-j", "2", caseload("child_welfare"), "-o", (t.path / "pdf").string() + "/"}, t.path / "pdf"},
        {"audit", {"audit", "-j", "2", caseload("child_welfare"), caseload("vocational"), "--period", "2025-07-01..2025-12-31", "-o",
                   (t.path / "audit").string()}, t.path / "audit"},
    };
    for (const command& c : commands) {
        INFO(c.name);
        const finished unlimited = run(c.args, t.path);
        const auto written = files_under(c.out);
        if (!c.out.empty()) fs::remove_all(c.out);
        launch l;
        l.args = c.args;
        l.max_open_files = 32;
        const finished limited = run(l, t.path);
        INFO(limited.err);
        CHECK(limited.status == unlimited.status);
        CHECK(limited.out == unlimited.out);
        CHECK(limited.err == unlimited.err);
        CHECK(files_under(c.out) == written);
    }
}
