// Large-schema benchmark (issue: real rule sets): a generated ISO Schematron schema of N rules (default 2,400,
// the size of a published industry rule set) in patterns of 24, each rule with a context on one of 200 element
// names and two assertions of the usual kinds (presence, string length, counts, numbers, enumerations) and a
// let. It prints:
//   1. the compile time (load and compile from text, best and median of --compiles runs);
//   2. the memory one compiled copy takes (resident set before and after compiling it);
//   3. documents/s validating --documents generated documents of about 400 elements each, with one thread
//      and with one thread per core (one compiled copy shared by the threads, as `casedoc validate -j N` does;
//      its compile is in the time), and the memory each run adds at its peak (each run in a child process).
//
//   casedoc_bench_schema [--rules N] [--documents D] [--compiles C] [--seed S]
#include <casedoc/schematron/schema.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;
constexpr unsigned element_names = 200;

long status_kb(const char* field) {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field) + 1));
    return -1;
}

std::string make_schema(unsigned rules) {
    std::ostringstream s;
    s << "<schema xmlns=\"http://purl.oclc.org/dsdl/schematron\" queryBinding=\"xslt\">\n"
         "<ns prefix=\"b\" uri=\"urn:casedoc:bench\"/>\n";
    for (unsigned r = 0; r < rules; ++r) {
        if (r % 24 == 0) s << (r ? "</pattern>\n" : "") << "<pattern id=\"p" << r / 24 << "\">\n";
        const unsigned e = r % element_names;
        s << "<rule id=\"R" << r << "\" context=\"b:e" << e << (r % 3 == 0 ? "[@kind='a']" : "") << "\">\n"
          << "  <let name=\"n" << r << "\" value=\"count(b:item)\"/>\n";
        switch (r % 4) {
        case 0: s << "  <assert id=\"A" << r << "\" test=\"@id and string-length(@code) &gt;= 2\">id and code</assert>\n"; break;
        case 1: s << "  <assert id=\"A" << r << "\" test=\"$n" << r << " &lt;= 8\">at most 8 items, not <value-of select=\"$n" << r << "\"/></assert>\n"; break;
        case 2: s << "  <assert id=\"A" << r << "\" test=\"not(@amount) or number(@amount) &lt; 1000\">amount</assert>\n"; break;
        default: s << "  <assert id=\"A" << r << "\" test=\"@kind = 'a' or @kind = 'b' or @kind = 'c'\">kind</assert>\n"; break;
        }
        s << "  <report id=\"B" << r << "\" test=\"b:item[@code = current()/@code]\">an item repeats the code</report>\n"
          << "</rule>\n";
    }
    s << "</pattern>\n</schema>\n";
    return s.str();
}

std::string make_document(std::mt19937& rng) {
    std::ostringstream d;
    d << "<doc xmlns=\"urn:casedoc:bench\">\n";
    for (unsigned i = 0; i < 400; ++i) {
        const unsigned e = rng() % element_names;
        d << "<e" << e << " id=\"x" << i << "\" code=\"c" << rng() % 50 << "\" kind=\"" << "abcd"[rng() % 4] << "\"";
        if (rng() % 2) d << " amount=\"" << rng() % 1200 << "\"";
        d << ">";
        for (unsigned k = rng() % 4; k > 0; --k) d << "<item code=\"c" << rng() % 60 << "\"/>";
        d << "</e" << e << ">\n";
    }
    d << "</doc>\n";
    return d.str();
}

struct run_figures {
    double per_second = 0;
    size_t findings = 0;
};

run_figures validate_all(const std::string& schema_text, const std::vector<std::string>& docs, unsigned threads) {
    std::atomic<size_t> next{0}, findings{0};
    std::vector<std::thread> workers;
    const auto start = clock_type::now();
    const auto s = casedoc::schema::load_text(schema_text, "bench.sch"); // one copy for every thread, as -j N
    for (unsigned t = 0; t < threads; ++t)
        workers.emplace_back([&] {
            for (size_t i; (i = next++) < docs.size();) {
                auto doc = casedoc::xml_document::load_string(docs[i], "d" + std::to_string(i) + ".xml");
                findings += s->validate(doc).findings.size();
            }
        });
    for (auto& w : workers) w.join();
    const double elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
    return {double(docs.size()) / elapsed, findings};
}

} // namespace

int main(int argc, char** argv) {
    unsigned rules = 2400, documents = 266, compiles = 7, seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const unsigned v = unsigned(std::stoul(argv[i + 1]));
        if (a == "--rules") rules = std::max(1u, v);
        else if (a == "--documents") documents = std::max(1u, v);
        else if (a == "--compiles") compiles = std::max(1u, v);
        else if (a == "--seed") seed = v;
        else {
            std::cerr << "usage: casedoc_bench_schema [--rules N] [--documents D] [--compiles C] [--seed S]\n";
            return 2;
        }
    }
    const std::string text = make_schema(rules);
    std::mt19937 rng(seed);
    std::vector<std::string> docs;
    for (unsigned i = 0; i < documents; ++i) docs.push_back(make_document(rng));

    // Each run in a child process, so that its peak memory is its own: the growth over the resident set it
    // started with (the documents), made before anything is compiled here (a compile's freed heap would be
    // reused). Printed after the compile figures.
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    size_t findings[2] = {0, 0};
    std::string run_lines;
    for (unsigned k = 0; k < 2; ++k) {
        const unsigned threads = k == 0 ? 1 : cores;
        int fd[2];
        if (::pipe(fd) != 0) return 2;
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::close(fd[0]);
            const long base = status_kb("VmRSS:");
            const run_figures f = validate_all(text, docs, threads);
            char line[256];
            const int n = std::snprintf(line, sizeof line, "%zu %.1f %.1f", f.findings, f.per_second,
                                        (status_kb("VmHWM:") - base) / 1024.0);
            if (::write(fd[1], line, size_t(n)) != n) ::_exit(1);
            ::_exit(0);
        }
        ::close(fd[1]);
        char buf[256] = {};
        const ssize_t got = ::read(fd[0], buf, sizeof buf - 1);
        ::close(fd[0]);
        ::waitpid(pid, nullptr, 0);
        double per_second = 0, mb = 0;
        if (got <= 0 || std::sscanf(buf, "%zu %lf %lf", &findings[k], &per_second, &mb) != 3) return 2;
        char line[256];
        std::snprintf(line, sizeof line, "validate, %u thread%s:%s %.1f documents/s (%zu findings), memory +%.1f MB\n",
                      threads, threads == 1 ? "" : "s", threads == 1 ? "     " : "    ", per_second, findings[k], mb);
        run_lines += line;
    }
    const long rss_before = status_kb("VmRSS:");
    std::vector<double> ms;
    auto kept = casedoc::schema::load_text(text, "bench.sch"); // the first compile: its memory alone
    const long rss_one = status_kb("VmRSS:");
    for (unsigned c = 0; c < compiles; ++c) {
        const auto t0 = clock_type::now();
        auto s = casedoc::schema::load_text(text, "bench.sch");
        ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("casedoc schema benchmark: %u rules in %u patterns, %zu bytes of schema, %u documents of 400 elements\n",
                rules, (rules + 23) / 24, text.size(), documents);
    std::printf("compile:                 best %.1f ms, median %.1f ms (%u runs)\n", ms.front(), ms[ms.size() / 2],
                compiles);
    std::printf("one compiled copy:       %.1f MB resident\n", (rss_one - rss_before) / 1024.0);
    std::fputs(run_lines.c_str(), stdout);
    return findings[0] == findings[1] ? 0 : 1;
}
