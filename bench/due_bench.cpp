// Due-list benchmark: writes a synthetic caseload of N case records (default 100,000; synthetic_caseload.hpp) and
// computes its due list as `casedoc due DIR --as-of DATE --all --format json` does (every record checked on all
// cores on the review date, results streamed, items sorted in runs spilled to an unnamed temporary file and merged
// as the JSON is written), printing records/s and peak memory. Memory stays flat in the caseload's size: run it at
// two sizes (--records 10000, 100000) to see.
//
//   casedoc_bench_due [--records N] [--jobs J] [--as-of 2025-12-10] [--out DIR] [--keep]
#include <casedoc/check/batch.hpp>
#include <casedoc/due/due_formats.hpp>
#include <casedoc/due/due_list.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/schematron/schema_catalog.hpp>

#include "bench_measures.hpp"
#include "synthetic_caseload.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

namespace fs = std::filesystem;
using casedoc::bench::clock_type;
using casedoc::bench::peak_mb;
using casedoc::bench::seconds_since;

int main(int argc, char** argv) {
    uint64_t records = 100000;
    unsigned jobs = 0;
    std::string as_of = "2025-12-10";
    fs::path out;
    bool keep = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--records" && i + 1 < argc) records = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--jobs" && i + 1 < argc) jobs = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
        else if (a == "--as-of" && i + 1 < argc) as_of = argv[++i];
        else if (a == "--out" && i + 1 < argc) out = argv[++i];
        else if (a == "--keep") keep = true;
        else {
            std::cerr << "usage: casedoc_bench_due [--records N] [--jobs J] [--as-of DATE] [--out DIR] [--keep]\n";
            return 2;
        }
    }
    const auto day = casedoc::parse_date(as_of);
    if (!day) {
        std::cerr << "--as-of: expected YYYY-MM-DD\n";
        return 2;
    }
    const bool own_dir = out.empty();
    if (own_dir) out = fs::temp_directory_path() / ("casedoc-due-bench-" + std::to_string(::getpid()));
    fs::create_directories(out / "caseload");
    auto t = clock_type::now();
    const auto made = casedoc::bench::write_synthetic_caseload(out / "caseload", records);
    if (made.templates == 0) {
        std::cerr << "no sample caseloads under " << CASEDOC_SOURCE_DIR << "/plugins/*/samples/caseload\n";
        return 2;
    }
    std::printf("caseload: %llu case records from %zu sample templates, %.1f MB of XML, written in %.1f s\n",
                static_cast<unsigned long long>(records), made.templates, static_cast<double>(made.bytes) / 1e6,
                seconds_since(t));
    std::printf("peak memory before the due list: %.1f MB\n", peak_mb());

    casedoc::plugin_host host;
    host.add_default_directories();
    host.discover();
    casedoc::schema_catalog catalog;
    catalog.add_default_directories();
    casedoc::due_options o;
    o.as_of = *day;
    o.all = true;
    const unsigned threads = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());

    const auto start = clock_type::now();
    const auto files = casedoc::expand_inputs({(out / "caseload").string()});
    const casedoc::due_list list = casedoc::compute_due(files, host, catalog, o, {}, threads);
    const double check_s = seconds_since(start), peak_check = peak_mb();
    t = clock_type::now();
    {
        std::ofstream json(out / "due.json", std::ios::binary);
        casedoc::write_due_json(list, json);
    }
    const double json_s = seconds_since(t), total_s = seconds_since(start);
    const double json_mb = static_cast<double>(fs::file_size(out / "due.json")) / 1e6;

    std::printf("due list as of %s: %llu case records, %llu items (%llu overdue; %zu sorted runs on disk), %zu not "
                "checked\n",
                as_of.c_str(), static_cast<unsigned long long>(list.records),
                static_cast<unsigned long long>(list.items.size()),
                static_cast<unsigned long long>(list.totals[static_cast<size_t>(casedoc::due_status::overdue)]),
                list.items.runs(), list.problems.size());
    std::printf("time: check %.1f s (%.0f records/s on %u threads), JSON %.1f s (%.1f MB); total %.1f s, %.0f records/s\n",
                check_s, static_cast<double>(list.records) / check_s, threads, json_s,
                json_mb, total_s, static_cast<double>(records) / total_s);
    std::printf("peak memory: %.1f MB after checking, %.1f MB at the end\n", peak_check, peak_mb());
    if (!keep) {
        if (own_dir) fs::remove_all(out);
        else fs::remove_all(out / "caseload");
    }
    return list.records == records && list.problems.empty() ? 0 : 1;
}
