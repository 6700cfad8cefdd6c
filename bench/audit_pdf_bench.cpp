// Audit PDF benchmark: renders a synthetic audit.json (bench/synthetic_audit.hpp) with render_audit_pdf and
// prints the time to render, pages, file size and peak memory.
//
//   casedoc_bench_audit_pdf [--cases N] [--evidence E] [--json FILE] [--out FILE]
//
// --json renders the given audit.json instead of a synthetic one; --out writes the PDF.
#include <casedoc/audit/audit_pdf.hpp>

#include "synthetic_audit.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

double peak_mb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_maxrss) / 1024.0;
}

size_t count_pages(const std::string& pdf) {
    size_t n = 0;
    for (size_t at = pdf.find("/Type /Page\012"); at != std::string::npos; at = pdf.find("/Type /Page\012", at + 1)) ++n;
    return n;
}

} // namespace

int main(int argc, char** argv) {
    size_t cases = 100000, evidence = 5000;
    std::string out, in;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--cases") cases = std::stoul(argv[i + 1]);
        else if (a == "--evidence") evidence = std::stoul(argv[i + 1]);
        else if (a == "--out") out = argv[i + 1];
        else if (a == "--json") in = argv[i + 1];
        else {
            std::fprintf(stderr, "usage: casedoc_bench_audit_pdf [--cases N] [--evidence E] [--json FILE] [--out FILE]\n");
            return 2;
        }
    }
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    std::string json;
    if (in.empty()) json = casedoc::bench::synthetic_audit_json(cases, evidence);
    else {
        std::ifstream f(in, std::ios::binary);
        if (!f) {
            std::fprintf(stderr, "%s: cannot read\n", in.c_str());
            return 2;
        }
        json.assign(std::istreambuf_iterator<char>(f), {});
    }
    const double mb_json = peak_mb();
    const auto t1 = clock::now();
    std::string pdf;
    try {
        pdf = casedoc::render_audit_pdf(json);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    }
    const auto t2 = clock::now();
    const double gen = std::chrono::duration<double>(t1 - t0).count(), render = std::chrono::duration<double>(t2 - t1).count();
    if (!in.empty()) std::printf("audit.json: %s, %.1f MB\n", in.c_str(), double(json.size()) / 1e6);
    else std::printf("audit.json: %zu cases, %zu evidence rows, %.1f MB, generated in %.2f s (peak memory so far %.0f MB)\n", cases, evidence,
                double(json.size()) / 1e6, gen, mb_json);
    std::printf("audit.pdf: %zu pages, %.1f MB, rendered in %.2f s (%.0f pages/s); peak memory %.0f MB\n", count_pages(pdf),
                double(pdf.size()) / 1e6, render, double(count_pages(pdf)) / render, peak_mb());
    if (!out.empty()) std::ofstream(out, std::ios::binary) << pdf;
    return 0;
}
