// A plugin that crashes inside a native check (issue 23). Its code runs in casedoc's process, so the process
// cannot go on; it must say which plugin crashed on which record in which check before it dies, and die by
// the signal (docs/reliability.md, "Faults").
#include "fault_support.hpp"
#include "server_process.hpp"

#include <nlohmann/json.hpp>

using namespace casedoc_fault;

namespace {

const std::string data = CASEDOC_FAULT_DATA;

std::vector<std::string> crashing_setting() {
    return {"--isolated", "--plugin-dir", CASEDOC_CRASHING_PLUGIN_DIR, "--schema-dir", data + "/schemas"};
}

// Ended by `sig`, or, under AddressSanitizer (which reports a segfault itself and exits), not normally.
void check_died_of(const finished& f, int sig) {
    if (sanitized() && sig == SIGSEGV) CHECK((f.signal != 0 || (f.status != 0 && f.status != 2)));
    else CHECK(f.signal == sig);
}

} // namespace

namespace {

// Validates `input` (a record, or a directory of them) of the crashing plugin with `options`: the process dies of
// `sig` after a line naming the plugin, the signal, the check and `record`.
void check_crash_named(std::vector<std::string> options, const std::string& input, const std::string& record, int sig,
                       const char* signal_name) {
    temp_dir t;
    std::vector<std::string> args = crashing_setting();
    options.insert(options.begin(), "validate");
    args.insert(args.begin(), options.begin(), options.end());
    args.push_back(input);
    const finished f = run(args, t.path);
    INFO(f.err);
    check_died_of(f, sig);
    CHECK_THAT(f.err, Catch::Contains("casedoc: plugin 'crashing' crashed (" + std::string(signal_name) +
                                      ") in native check CRASH-1 on record " + record));
}

} // namespace

TEST_CASE("a plugin that segfaults in a native check is named with the record and the check before the process dies",
          "[faults][plugin-crash]") {
    check_crash_named({"-j", "1"}, data + "/crash", data + "/crash/record-2.xml", SIGSEGV, "SIGSEGV");
}

TEST_CASE("a plugin that aborts in a native check is named the same way", "[faults][plugin-crash]") {
    check_crash_named({}, data + "/crash/record-4.xml", data + "/crash/record-4.xml", SIGABRT, "SIGABRT");
}

TEST_CASE("a plugin that overflows its stack is named too (the report runs on a signal stack of its own)",
          "[faults][plugin-crash]") {
    // On the main thread (one record), and on a worker thread (two records, two threads): each needs its own.
    check_crash_named({}, data + "/crash/record-5.xml", data + "/crash/record-5.xml", SIGSEGV, "SIGSEGV");
    temp_dir two;
    for (const char* r : {"record-1.xml", "record-5.xml"}) fs::copy_file(data + "/crash/" + r, two.path / r);
    check_crash_named({"-j", "2"}, two.path.string(), (two.path / "record-5.xml").string(), SIGSEGV, "SIGSEGV");
}

TEST_CASE("after a plugin crashed in a batch that writes files, the next run completes and nothing is half-written",
          "[faults][plugin-crash]") {
    // validate --out writes each SVRL file through base/atomic_file: the crash leaves the files written before
    // it whole, and the next run, without the record that crashes the plugin, writes every file.
    temp_dir t;
    const fs::path records = t.path / "records", out = t.path / "svrl";
    fs::create_directories(records);
    for (const char* r : {"record-1.xml", "record-2.xml", "record-3.xml"}) fs::copy_file(data + "/crash/" + r, records / r);
    std::vector<std::string> args = crashing_setting();
    args.insert(args.begin(), {"validate", "--format", "svrl", "-j", "1", "--out", out.string()});
    args.push_back(records.string());
    const finished crashed = run(args, t.path);
    INFO(crashed.err);
    check_died_of(crashed, SIGSEGV);
    CHECK_THAT(crashed.err, Catch::Contains("crashed (SIGSEGV) in native check CRASH-1 on record " + (records / "record-2.xml").string()));
    const auto before = files_under(out);
    CHECK(before.size() == 1); // record-1's, written before the crash
    for (const auto& [file, bytes] : before) CHECK_THAT(bytes, Catch::EndsWith("</svrl:schematron-output>\n"));
    fs::remove(records / "record-2.xml");
    const finished again = run(args, t.path);
    INFO(again.err);
    CHECK(again.status == 0);
    const auto written = files_under(out);
    CHECK(written.size() == 2);
    CHECK(written.at("record-1.svrl") == before.at("record-1.svrl"));
    for (const auto& [file, bytes] : written) CHECK_FALSE(is_temporary(file));
}

TEST_CASE("casedoc serve --isolate-plugins answers 500 naming the record and plugin that crashed, and goes on",
          "[faults][plugin-crash][serve]") {
    const tokens_file tokens(std::map<std::string, std::string>{{"intake", "--settings crashing --scopes validate"}});
    std::string dirs;
    for (const std::string& a : crashing_setting()) dirs += quote(a) + " ";
    server_process server(tokens.file, dirs + "--isolate-plugins --check-slots 2");
    auto client = server.client();
    const auto headers = bearer(tokens.secrets.at("intake"));
    auto post = [&](const std::string& record) {
        auto r = client.Post(("/v1/validate?name=" + record).c_str(), headers, read_file(data + "/crash/" + record),
                             "application/xml");
        REQUIRE(r);
        return *r;
    };
    const auto before = post("record-1.xml");
    CHECK(before.status == 200);
    const auto crashed = post("record-2.xml");
    CHECK(crashed.status == 500);
    const auto body = nlohmann::json::parse(crashed.body);
    CHECK(body["error"]["status"] == 500);
    // (Under AddressSanitizer the worker reports the segfault itself and exits instead of dying by the signal.)
    CHECK_THAT(body["error"]["message"].get<std::string>(),
               Catch::Contains(sanitized() ? "plugin 'crashing' " : "plugin 'crashing' crashed (SIGSEGV) ") &&
                   Catch::Contains("while checking record record-2.xml"));
    // The service is still up, with a new worker: the next records are checked, the crash can happen again.
    for (int i = 0; i < 2; ++i) {
        const auto after = post("record-3.xml");
        CHECK(after.status == 200);
        CHECK(nlohmann::json::parse(after.body)["records"][0]["status"] == "compliant");
        CHECK(post("record-4.xml").status == 500);
    }
    CHECK(client.Get("/healthz")->status == 200);
    // The worker said, in the service's log, which check crashed.
    CHECK_THAT(server.log(), Catch::Contains("casedoc: plugin 'crashing' crashed (SIGSEGV) in native check CRASH-1 on record record-2.xml"));
    CHECK(server.stop() == 0);
}
