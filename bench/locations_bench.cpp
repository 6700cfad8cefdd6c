// Location benchmark: the cost of a finding's place (SVRL location path, line and column) against the shape of
// the document. It writes a tiny schema whose one assertion every element fails, generates documents nested
// 1,000 to 100,000 deep and 10,000 to 1,000,000 siblings wide, checks each as `casedoc validate --schema`
// does (parse, validate, place and sort the findings, write them as text) and prints the time per element.
// The time per element should stay flat from the smallest document to the largest. Times are the process's CPU
// time (std::clock), which the other tenants of a shared machine move less than they move the wall clock; the
// wall-clock figure is printed beside it.
//
//   casedoc_bench_locations [--max-deep N] [--max-wide N] [--out DIR] [--keep]
#include <casedoc/check/report.hpp>
#include <casedoc/check/validator.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdint>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace std::chrono;
using namespace casedoc;

namespace {

constexpr const char* schema_text = R"(<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:ns prefix="b" uri="urn:casedoc:bench"/>
  <sch:pattern id="every-element">
    <sch:rule context="b:e">
      <sch:assert id="B-1" test="@ok">an element without @ok</sch:assert>
    </sch:rule>
  </sch:pattern>
</sch:schema>
)";

// n elements, each the child of the one before; one start tag a line, without indentation (whose size would
// grow with the square of the depth).
std::string deep_document(size_t n) {
    std::string s = "<b:e xmlns:b=\"urn:casedoc:bench\">\n";
    for (size_t i = 1; i < n; ++i) s += "<b:e>\n";
    for (size_t i = 0; i < n; ++i) s += "</b:e>";
    return s + "\n";
}

// A root with n - 1 children.
std::string wide_document(size_t n) {
    std::string s = "<b:e xmlns:b=\"urn:casedoc:bench\">\n";
    for (size_t i = 1; i < n; ++i) s += "  <b:e/>\n";
    return s + "</b:e>\n";
}

struct measure {
    double cpu_us = 0, wall_us = 0; // per element
    size_t findings = 0;
};

// The best of a few runs (at least one, and about a million elements in all).
measure run(validator& v, const fs::path& file, size_t elements) {
    measure m;
    const size_t runs = std::clamp<size_t>(1000000 / elements, 1, 20);
    double best_cpu = 1e300, best_wall = 1e300;
    for (size_t i = 0; i < runs; ++i) {
        const std::clock_t cpu = std::clock();
        const auto wall = steady_clock::now();
        {
            const record_result r = v.check_file(file);
            if (!r.error.empty()) throw std::runtime_error(file.string() + ": " + r.error);
            std::ofstream text("/dev/null"); // streamed, as the CLI writes it to its standard output
            write_text(r, text);
            m.findings = r.findings.size();
        }
        best_wall = std::min(best_wall, duration<double>(steady_clock::now() - wall).count());
        best_cpu = std::min(best_cpu, static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC);
    }
    m.cpu_us = best_cpu * 1e6 / static_cast<double>(elements);
    m.wall_us = best_wall * 1e6 / static_cast<double>(elements);
    return m;
}

} // namespace

int main(int argc, char** argv) try {
    size_t max_deep = 100000, max_wide = 1000000;
    fs::path out = fs::temp_directory_path() / ("casedoc-bench-locations-" + std::to_string(getpid()));
    bool keep = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--max-deep") max_deep = std::stoul(next());
        else if (a == "--max-wide") max_wide = std::stoul(next());
        else if (a == "--out") out = next();
        else if (a == "--keep") keep = true;
        else
            throw std::runtime_error(
                "usage: casedoc_bench_locations [--max-deep N] [--max-wide N] [--out DIR] [--keep]");
    }
    fs::create_directories(out);
    const fs::path schema_file = out / "every-element.sch";
    std::ofstream(schema_file) << schema_text;

    plugin_host plugins;
    schema_catalog catalog;
    validator_options options;
    // Shapes far past the record limits' defaults (depth 256, 10,000 findings) are what this measures.
    options.limits = {UINT64_MAX, UINT_MAX, UINT_MAX, UINT64_MAX};
    options.schema = schema_file;
    validator v(plugins, catalog, options);

    std::printf("%-6s %10s %10s %16s %17s\n", "shape", "elements", "findings", "CPU us/element", "wall us/element");
    auto shape = [&](const char* name, size_t first, size_t last, std::string (*generate)(size_t)) {
        double low = 1e300, high = 0;
        for (size_t n = first; n <= last; n *= 10) {
            const fs::path file = out / (std::string(name) + "-" + std::to_string(n) + ".xml");
            std::ofstream(file, std::ios::binary) << generate(n);
            const measure m = run(v, file, n);
            std::printf("%-6s %10zu %10zu %16.3f %17.3f\n", name, n, m.findings, m.cpu_us, m.wall_us);
            std::fflush(stdout);
            low = std::min(low, m.cpu_us);
            high = std::max(high, m.cpu_us);
        }
        std::printf("%-6s highest/lowest CPU time per element: %.2f\n", name, high / low);
    };
    shape("deep", 1000, max_deep, deep_document);
    shape("wide", 10000, max_wide, wide_document);
    if (!keep) fs::remove_all(out);
    return 0;
} catch (const std::exception& e) {
    std::cerr << "casedoc_bench_locations: " << e.what() << '\n';
    return 2;
}
