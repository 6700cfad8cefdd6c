// What the end-to-end tests share: running a command as a user would (exit status, standard output and
// standard error apart), quoting for the shell, reading a file, a scratch directory per test, requiring
// an outside tool (poppler, qpdf) and qpdf's check of a PDF.
#ifndef CASEDOC_TESTS_TEST_SUPPORT_HPP
#define CASEDOC_TESTS_TEST_SUPPORT_HPP

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace casedoc_test {

namespace fs = std::filesystem;

struct run_result {
    int status = -1; // the exit status, -1 when the command did not exit normally
    std::string out, err;
};

// `s` as one word for /bin/sh.
inline std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

inline std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A unique name in the temporary directory (per process and call).
inline fs::path temp_name(const std::string& stem) {
    static int n = 0;
    return fs::temp_directory_path() / ("casedoc-test-" + stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
}

// Runs `cmd` with /bin/sh; standard error goes to a file read back afterwards.
inline run_result shell(const std::string& cmd) {
    fs::path err_file = temp_name("stderr");
    err_file += ".err";
    run_result r;
    FILE* p = ::popen((cmd + " 2>" + quote(err_file.string())).c_str(), "r");
    REQUIRE(p);
    std::array<char, 8192> buf{};
    size_t got;
    while ((got = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), got);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.err = read_file(err_file);
    fs::remove(err_file);
    return r;
}

// A fresh directory per test, removed at the end. `dir / "name"` is a path string for command lines;
// `dir.path` the directory itself.
struct temp_dir {
    fs::path path = temp_name("dir");
    temp_dir() {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    std::string operator/(const std::string& name) const { return (path / name).string(); }
};

inline void require_tool(const char* tool) {
    INFO(tool << " (poppler-utils / qpdf) must be installed: scripts/install-deps.sh");
    REQUIRE(shell(std::string("command -v ") + tool + " >/dev/null").status == 0);
}

// qpdf finds no syntax or stream encoding error in the PDF.
inline void check_qpdf(const std::string& pdf) {
    require_tool("qpdf");
    const auto r = shell("qpdf --check " + quote(pdf));
    INFO(r.out << r.err);
    CHECK(r.status == 0);
    CHECK(r.out.find("No syntax or stream encoding errors found") != std::string::npos);
}

// Breaks a Schematron schema that has an sch:include: a pattern whose assertion's XPath does not parse is put
// before the first include. Returns the line of that assertion.
inline size_t break_schema(const fs::path& schema) {
    std::string text = read_file(schema);
    const size_t at = text.find("<sch:include");
    REQUIRE(at != std::string::npos);
    text.insert(at, "<sch:pattern id=\"broken\"><sch:rule context=\"r:case-record\">\n"
                    "<sch:assert id=\"BROKEN\" test=\"count(@id = \">Broken.</sch:assert></sch:rule></sch:pattern>");
    std::ofstream(schema, std::ios::binary) << text;
    return 2 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

} // namespace casedoc_test

#endif
