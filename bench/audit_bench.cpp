// Audit benchmark: writes a synthetic caseload of N case records (default 100,000) to disk, audits it as
// `casedoc audit DIR --period ... -o OUT` does (universe, sample, every record checked on all cores, report
// JSON, CSV and PDF), and prints the time of each step, records/s and peak memory.
//
// The caseload: copies of the sample caseload records of every built setting (plugins/<id>/samples/caseload,
// the ones in the period 2025-07-01..2025-12-31, taken in turn), each with its own record id, one of 40
// workers and 6 offices per setting, so the mix of settings, sizes and findings is the samples' mix.
//
//   casedoc_bench_audit [--records N] [--jobs J] [--out DIR] [--keep]
#include <casedoc/audit/audit.hpp>
#include <casedoc/audit/audit_pdf.hpp>
#include <casedoc/audit/audit_report.hpp>
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
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using casedoc::bench::clock_type;
using casedoc::bench::peak_mb;
using casedoc::bench::seconds_since;

int main(int argc, char** argv) {
    uint64_t records = 100000;
    unsigned jobs = 0;
    fs::path out;
    bool keep = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--records" && i + 1 < argc) records = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--jobs" && i + 1 < argc) jobs = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
        else if (a == "--out" && i + 1 < argc) out = argv[++i];
        else if (a == "--keep") keep = true;
        else {
            std::cerr << "usage: casedoc_bench_audit [--records N] [--jobs J] [--out DIR] [--keep]\n";
            return 2;
        }
    }
    const bool own_dir = out.empty();
    if (own_dir) out = fs::temp_directory_path() / ("casedoc-audit-bench-" + std::to_string(::getpid()));
    fs::create_directories(out / "caseload");

    auto t0 = clock_type::now();
    const casedoc::bench::synthetic_caseload made = casedoc::bench::write_synthetic_caseload(out / "caseload", records);
    if (made.templates == 0) {
        std::cerr << "no sample caseloads under " << CASEDOC_SOURCE_DIR << "/plugins/*/samples/caseload\n";
        return 2;
    }
    const uint64_t bytes = made.bytes;
    std::printf("caseload: %llu case records from %zu sample templates, %.1f MB of XML (%.1f KB per record), written in %.1f s\n",
                static_cast<unsigned long long>(records), made.templates, static_cast<double>(bytes) / 1e6,
                static_cast<double>(bytes) / 1e3 / static_cast<double>(records), seconds_since(t0));
    std::printf("peak memory before the audit: %.1f MB\n", peak_mb());

    casedoc::plugin_host host;
    host.add_default_directories();
    host.discover();
    casedoc::schema_catalog catalog;
    catalog.add_default_directories();

    casedoc::audit_options o;
    o.inputs = {(out / "caseload").string()};
    o.from = *casedoc::parse_date("2025-07-01");
    o.to = *casedoc::parse_date("2025-12-31");
    o.reviewer = "Benchmark";
    const unsigned threads = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());

    const auto start = clock_type::now();
    auto t = start;
    casedoc::audit_data data = casedoc::run_audit(o, threads, host, catalog);
    const double check_s = seconds_since(t);
    const double peak_check = peak_mb();
    t = clock_type::now();
    casedoc::audit_report_options ro;
    ro.generator = "casedoc_bench_audit";
    const std::string json = casedoc::audit_report_json(data, ro);
    {
        std::ofstream f(out / "audit.json", std::ios::binary);
        f << json;
        std::ofstream c(out / "audit.csv", std::ios::binary);
        casedoc::write_audit_csv(c, data, ro);
    }
    const double report_s = seconds_since(t);
    // As casedoc audit does: the audit data is released before the PDF is drawn from the JSON.
    const size_t checked = data.cases.size(), lost = data.failed.size() + data.unreadable.size();
    const unsigned long long files = data.files, universe = data.universe, sample = data.sample_size;
    data = casedoc::audit_data{};
    t = clock_type::now();
    const std::string pdf = casedoc::render_audit_pdf(json);
    std::ofstream(out / "audit.pdf", std::ios::binary) << pdf;
    const double pdf_s = seconds_since(t);
    const double total_s = seconds_since(start);

    std::printf("audit: %llu files, universe %llu, sample %llu (all), checked %zu, could not check %zu\n", files, universe,
                sample, checked, lost);
    std::printf("time: check %.1f s (%.0f records/s on %u threads, %.0f per core), report JSON+CSV %.1f s, PDF %.1f s (%.1f MB)\n",
                check_s, static_cast<double>(checked) / check_s, threads,
                static_cast<double>(checked) / check_s / threads, report_s, pdf_s, static_cast<double>(pdf.size()) / 1e6);
    std::printf("total: %.1f s for %llu records, %.0f records/s, PDF included\n", total_s,
                static_cast<unsigned long long>(records), static_cast<double>(records) / total_s);
    std::printf("peak memory: %.1f MB after checking, %.1f MB at the end\n", peak_check, peak_mb());
    if (!keep) {
        if (own_dir) fs::remove_all(out);
        else fs::remove_all(out / "caseload");
    }
    const bool ok = checked == records && lost == 0;
    if (!ok) std::printf("WARNING: not every record was checked\n");
    return ok ? 0 : 1;
}
