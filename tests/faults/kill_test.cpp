// kill -9 in the middle of every command that writes files (issue 23, "Faults that lose nothing"): started,
// then killed at a random point of its run, again and again into the same output, then run to its end.
// After every kill, each file under its final name is whole (the bytes of an undisturbed run) and the only
// other files are base/atomic_file's temporaries; after the run to the end, the output is exactly that of an
// undisturbed run, with no temporary left.
#include "fault_support.hpp"

#include <thread>

using namespace casedoc_fault;

namespace {

constexpr int kills_per_command = 10;

const std::string period = "2025-07-01..2025-12-31";

std::string caseload(const std::string& id) { return source("plugins/" + id + "/samples/caseload"); }

// Runs `args` (which write under `out`) undisturbed, then kills it kills_per_command times at random points,
// checking the files under `out` after each kill, then runs it to its end.
void kill_again_and_again(const std::string& name, const std::vector<std::string>& args, const fs::path& out,
                          const fs::path& scratch, int expected_status, bool keep_directory = false) {
    std::mt19937_64 random(seed_for(name));
    INFO(name);
    const auto t0 = std::chrono::steady_clock::now();
    const finished clean = run(args, scratch);
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
    INFO(clean.err);
    REQUIRE(clean.status == expected_status);
    const std::map<std::string, std::string> reference = files_under(out);
    REQUIRE_FALSE(reference.empty());
    for (const auto& [file, bytes] : reference) REQUIRE_FALSE(is_temporary(file));
    fs::remove_all(out);
    if (keep_directory) fs::create_directories(out); // a command that writes one file into an existing directory

    std::uniform_int_distribution<int64_t> when(0, took.count() + took.count() / 10);
    size_t with_temporary = 0, outputs_whole = 0; // what the kills found, printed to show that they hit
    for (int k = 0; k < kills_per_command; ++k) {
        const int64_t after = when(random);
        INFO("kill " << k << " after " << after << " us (an undisturbed run took " << took.count() << " us)");
        launch l;
        l.args = args;
        child c = start(l, scratch);
        std::this_thread::sleep_for(std::chrono::microseconds(after));
        ::kill(c.pid, SIGKILL);
        const finished f = wait_for(c);
        CHECK((f.signal == SIGKILL || f.status == expected_status)); // it may have finished first
        for (const auto& [file, bytes] : files_under(out)) {
            INFO(file);
            if (is_temporary(file)) {
                ++with_temporary;
                CHECK(reference.count(final_name_of(file)) == 1); // a temporary of an output, and no other
                continue;
            }
            ++outputs_whole;
            REQUIRE(reference.count(file) == 1);
            CHECK(bytes.size() == reference.at(file).size());
            CHECK(bytes == reference.at(file)); // whole: never half-written under its final name
        }
    }
    std::cout << name << ": " << kills_per_command << " kills found " << with_temporary << " temporaries and "
              << outputs_whole << " whole outputs (of " << reference.size() << ")" << std::endl;
    const finished again = run(args, scratch);
    INFO(again.err);
    CHECK(again.status == expected_status);
    CHECK(files_under(out) == reference); // the same bytes, and no temporary left behind
}

} // namespace

TEST_CASE("render of a directory killed at random points never leaves a half-written PDF", "[faults][kill]") {
    temp_dir t;
    const fs::path out = t.path / "pdf";
    kill_again_and_again("render", {"render", caseload("child_welfare"), "--draft", "-j", "2", "-o", out.string() + "/"},
                         out, t.path, 1);
}

TEST_CASE("audit killed at random points never leaves a half-written report", "[faults][kill]") {
    temp_dir t;
    const fs::path out = t.path / "audit";
    kill_again_and_again("audit",
                         {"audit", caseload("child_welfare"), caseload("vocational"), "--period", period, "-j", "2", "-o",
                          out.string()},
                         out, t.path, 0);
}

TEST_CASE("audit merge and audit --partial killed at random points never leave a half-written file",
          "[faults][kill]") {
    temp_dir t;
    const fs::path parts = t.path / "parts";
    const std::vector<std::string> shard = {"audit", caseload("child_welfare"), caseload("vocational"), "--period", period, "-j", "2",
                                            "--shard"};
    std::vector<std::string> first = shard;
    first.insert(first.end(), {"1/2", "--partial", (parts / "part-1.json").string()});
    fs::create_directories(parts);
    kill_again_and_again("audit --partial", first, parts, t.path, 0, true);
    std::vector<std::string> second = shard;
    second.insert(second.end(), {"2/2", "--partial", (parts / "part-2.json").string()});
    REQUIRE(run(second, t.path).status == 0);

    const fs::path out = t.path / "merged";
    kill_again_and_again("audit merge",
                         {"audit", "merge", (parts / "part-1.json").string(), (parts / "part-2.json").string(), "-o",
                          out.string()},
                         out, t.path, 0);
}

TEST_CASE("export killed at random points never leaves a half-written file", "[faults][kill]") {
    temp_dir t;
    const fs::path records = t.path / "records";
    copy_records(xml_files(caseload("vocational")), records, 200);
    const fs::path out = t.path / "export";
    fs::create_directories(out);
    kill_again_and_again("export", {"export", "vocational:rsa911", records.string(), "-o", (out / "rsa911.csv").string()}, out,
                         t.path, 0, true);
}

TEST_CASE("validate --out killed at random points never leaves a half-written SVRL file", "[faults][kill]") {
    temp_dir t;
    const fs::path out = t.path / "svrl";
    kill_again_and_again("validate --out",
                         {"validate", "--format", "svrl", "-j", "2", "--out", out.string(), caseload("child_welfare")},
                         out, t.path, 1);
}
