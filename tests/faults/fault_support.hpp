// What the fault tests share: starting the casedoc program as its own process (so that it can be killed,
// limited or deprived of privileges), reading back what it wrote, skipping a test that this machine cannot
// run (CTest's SKIP_RETURN_CODE), and a seed for the random parts printed so that a failure can be replayed.
#ifndef CASEDOC_TESTS_FAULT_SUPPORT_HPP
#define CASEDOC_TESTS_FAULT_SUPPORT_HPP

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace casedoc_fault {

namespace fs = std::filesystem;
using namespace casedoc_test;

// The exit status CTest counts as "skipped" for the fault tests (SKIP_RETURN_CODE in CMakeLists.txt).
constexpr int skip_code = 77;

// Ends the test program as skipped, saying why. Only for what the machine cannot do (no mount, no setpriv).
[[noreturn]] inline void skip(const std::string& why) {
    std::cout << "SKIPPED: " << why << std::endl;
    std::_Exit(skip_code);
}

// How a child process is started.
struct launch {
    std::vector<std::string> args;  // after the program's own path
    rlim_t max_open_files = 0;      // 0: as inherited (ulimit -n)
    bool without_dac_override = false; // drop root's power to ignore file permissions (chmod 000 then applies)
    bool stdout_pipe = false;       // standard output to a pipe read by the test (child::out_fd)
};

struct child {
    pid_t pid = -1;
    int out_fd = -1; // the read end of standard output, with launch::stdout_pipe
    fs::path out_file, err_file;
};

struct finished {
    int status = -1;  // exit status, or -1 when killed by a signal
    int signal = 0;   // the signal that ended it, or 0
    std::string out, err;
};

inline fs::path casedoc_exe() { return CASEDOC_EXE; }

// Starts casedoc with `l`; standard output and error go to files (or standard output to a pipe).
inline child start(const launch& l, const fs::path& scratch) {
    static int n = 0;
    child c;
    c.out_file = scratch / (".out-" + std::to_string(++n));
    c.err_file = scratch / (".err-" + std::to_string(n));
    int pipe_fds[2] = {-1, -1};
    if (l.stdout_pipe) REQUIRE(::pipe2(pipe_fds, O_CLOEXEC) == 0);
    std::vector<std::string> argv_s{casedoc_exe().string()};
    argv_s.insert(argv_s.end(), l.args.begin(), l.args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    c.pid = ::fork();
    REQUIRE(c.pid >= 0);
    if (c.pid == 0) {
        const int out = l.stdout_pipe ? pipe_fds[1] : ::open(c.out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = ::open(c.err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(126);
        ::setpgid(0, 0);
        if (l.max_open_files) {
            const rlimit r{l.max_open_files, l.max_open_files};
            if (::setrlimit(RLIMIT_NOFILE, &r) != 0) ::_exit(126);
        }
        // Without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH in the bounding set, a root process execs the
        // program without them: permission bits then apply to it as to anyone.
        if (l.without_dac_override && ::geteuid() == 0 &&
            (::prctl(PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, 0, 0, 0) != 0 ||
             ::prctl(PR_CAPBSET_DROP, CAP_DAC_READ_SEARCH, 0, 0, 0) != 0))
            ::_exit(125);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    if (l.stdout_pipe) {
        ::close(pipe_fds[1]);
        c.out_fd = pipe_fds[0];
    }
    return c;
}

inline finished wait_for(child& c) {
    finished f;
    if (c.out_fd >= 0) { // read to its end first: the child may be waiting for room in the pipe
        char buf[65536];
        for (ssize_t k; (k = ::read(c.out_fd, buf, sizeof buf)) > 0;) f.out.append(buf, static_cast<size_t>(k));
        ::close(c.out_fd);
    }
    int st = 0;
    while (::waitpid(c.pid, &st, 0) < 0) REQUIRE(errno == EINTR);
    if (WIFEXITED(st)) f.status = WEXITSTATUS(st);
    if (WIFSIGNALED(st)) f.signal = WTERMSIG(st);
    if (c.out_fd < 0) f.out = read_file(c.out_file);
    f.err = read_file(c.err_file);
    std::error_code ec;
    fs::remove(c.out_file, ec);
    fs::remove(c.err_file, ec);
    return f;
}

inline finished run(const launch& l, const fs::path& scratch) {
    child c = start(l, scratch);
    return wait_for(c);
}

inline finished run(std::vector<std::string> args, const fs::path& scratch) {
    launch l;
    l.args = std::move(args);
    return run(l, scratch);
}

// Every regular file under `dir` (recursively) by its path relative to `dir`, with its bytes.
inline std::map<std::string, std::string> files_under(const fs::path& dir) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = read_file(e.path());
    return out;
}

// A left-over temporary of base/atomic_file: ".<name>.tmp" beside <name>.
inline bool is_temporary(const std::string& relative) {
    const std::string name = fs::path(relative).filename().string();
    return name.size() > 5 && name.front() == '.' && name.compare(name.size() - 4, 4, ".tmp") == 0;
}

// The output whose temporary `relative` is.
inline std::string final_name_of(const std::string& relative) {
    const fs::path p(relative);
    const std::string name = p.filename().string();
    return (p.parent_path() / name.substr(1, name.size() - 5)).string();
}

// The seed of a test's random choices: CASEDOC_FAULT_SEED when set (to replay a failure), else a fresh one.
// Printed either way.
inline uint64_t seed_for(const std::string& test) {
    uint64_t seed;
    if (const char* s = std::getenv("CASEDOC_FAULT_SEED")) seed = std::strtoull(s, nullptr, 10);
    else seed = (uint64_t(std::random_device{}()) << 32) ^ std::random_device{}();
    std::cout << test << ": seed " << seed << " (CASEDOC_FAULT_SEED=" << seed << " replays it)" << std::endl;
    return seed;
}

// A copy of `n` records: dir/<stem>-<i>.xml for each file of `from` in turn, so a batch is as big as a test needs.
inline void copy_records(const std::vector<fs::path>& from, const fs::path& dir, size_t n) {
    fs::create_directories(dir);
    for (size_t i = 0; i < n; ++i) {
        const fs::path& f = from[i % from.size()];
        char num[24]; // room for any size_t
        std::snprintf(num, sizeof num, "%04zu", i);
        fs::copy_file(f, dir / (f.stem().string() + "-" + num + ".xml"), fs::copy_options::overwrite_existing);
    }
}

inline std::vector<fs::path> xml_files(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".xml") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

inline std::string source(const std::string& relative) { return std::string(CASEDOC_SOURCE_DIR) + "/" + relative; }

// Whether this run's casedoc is built with AddressSanitizer (it then handles fatal signals itself).
inline bool sanitized() {
#ifdef CASEDOC_TEST_SANITIZED
    return true;
#else
    return false;
#endif
}

} // namespace casedoc_fault

#endif
