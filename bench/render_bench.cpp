// Render benchmark: renders the sample caseload (every plugins/<id>/samples/valid/*.xml of the plugins built)
// and a deterministic caseload of three-page caseworker visit notes, with one thread and with all cores,
// validating each record first as `casedoc render` does, and prints documents/s, pages/s and peak memory.
// Besides wall-clock rates it prints rates per CPU second (process CPU time), which stay meaningful on a
// machine shared with other work.
//
//   casedoc_bench_render [--records N] [--passes P] [--seed S] [--out DIR]
#include <casedoc/check/validator.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/render/render.hpp>
#include <casedoc/schematron/schema_catalog.hpp>
#include <casedoc/template/template_catalog.hpp>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace std::chrono;

namespace {

struct record {
    std::string name, text;
};

double peak_mb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_maxrss) / 1024.0;
}

// A caseworker visit note (child welfare, DAP) whose narrative fills about three pages.
std::vector<record> three_page_notes(size_t n, unsigned seed) {
    static constexpr std::array<const char*, 10> first{"José", "Zoë", "Lucía", "Mateo", "Amara", "Chloé", "Andrés", "Imani", "Søren", "Noah"};
    static constexpr std::array<const char*, 10> last{"Núñez", "Åkesson-Muñoz", "Ortiz", "Ñancupil", "Okafor", "Dubois", "Castillo", "Begay", "Lindqvist", "Haddad"};
    static constexpr std::array<const char*, 12> sentences{
        "The caseworker met the child privately in the bedroom and the child described the week at school.",
        "The caregiver reported that the child is sleeping through the night and eating well.",
        "The child showed the caseworker a drawing from art class and talked about a new friend.",
        "Safety was discussed: the child knows whom to call and reports feeling safe in the home.",
        "The family-visit schedule was reviewed; the last two supervised visits went well.",
        "The caseworker observed the home: smoke detectors work, medications are locked away.",
        "The child's therapist reports steady progress on coping skills and sleep.",
        "School attendance was perfect this month; the teacher reports improved reading.",
        "The caregiver asked about respite; the caseworker will send the request this week.",
        "The child asked about the next court date and the caseworker explained the process.",
        "Health appointments are up to date; the dental visit is scheduled for next month.",
        "The caseworker and the child reviewed the goals of the case plan together."};
    std::mt19937 rng(seed);
    std::vector<record> out;
    for (size_t i = 0; i < n; ++i) {
        const std::string client = std::string(first[rng() % first.size()]) + " " + last[rng() % last.size()];
        auto narrative = [&](int sentences_n) {
            std::string s;
            for (int k = 0; k < sentences_n; ++k) {
                s += sentences[rng() % sentences.size()];
                s += (k % 6 == 5) ? "\n\n" : " ";
            }
            return s;
        };
        const int day = 1 + int(rng() % 27);
        char date[11];
        std::snprintf(date, sizeof date, "2024-%02d-%02d", 1 + int(rng() % 11), day);
        const std::string id = "N-B-" + std::to_string(i);
        std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<note xmlns=\"urn:casedoc:record:1\" format-version=\"1.0\" setting=\"child_welfare\" "
                        "type=\"caseworker-visit\" id=\"" + id + "\" service-at=\"" + date + "T10:00\" entered-at=\"" + date +
                        "T15:00\" format=\"DAP\">\n"
                        "  <client id=\"C-" + std::to_string(1000 + i) + "\" name=\"" + client + "\" birth-date=\"2012-04-02\"/>\n"
                        "  <author id=\"u17\" name=\"Dana Reyes\" role=\"caseworker\" credential=\"LBSW\"/>\n"
                        "  <section code=\"data\">" + narrative(70) + "</section>\n"
                        "  <section code=\"assessment\">" + narrative(40) + "</section>\n"
                        "  <section code=\"plan\">" + narrative(25) + "</section>\n"
                        "  <visit face-to-face=\"true\" location=\"child-residence\" private-contact=\"true\" duration-minutes=\"50\">\n"
                        "    <topic code=\"safety\">Home observed; the child reports feeling safe.</topic>\n"
                        "    <topic code=\"permanency\">Reviewed the family-visit schedule.</topic>\n"
                        "    <topic code=\"well-being\">Discussed school, health appointments and friends.</topic>\n"
                        "  </visit>\n"
                        "  <signature signer=\"u17\" name=\"Dana Reyes\" role=\"caseworker\" credential=\"LBSW\" signed-at=\"" + date +
                        "T15:05\" method=\"electronic\"/>\n"
                        "</note>\n";
        out.push_back({"bench/" + id + ".xml", std::move(x)});
    }
    return out;
}

struct pass_result {
    size_t documents = 0, pages = 0, failed = 0;
    double seconds = 0, cpu_seconds = 0; // wall clock; CPU time of the process (all threads)
};

double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

pass_result run(const std::vector<record>& caseload, unsigned passes, unsigned threads, const casedoc::plugin_host& host,
                const casedoc::schema_catalog& schemas, const casedoc::renderer& r, const fs::path& out_dir) {
    std::atomic<size_t> next{0}, pages{0}, failed{0};
    const size_t total = caseload.size() * passes;
    const auto t0 = steady_clock::now();
    const double c0 = process_cpu_seconds();
    auto work = [&] {
        casedoc::validator v(host, schemas, {});
        for (size_t i = next++; i < total; i = next++) {
            const record& rec = caseload[i % caseload.size()];
            const casedoc::render_result res = r.render_text(v, rec.text, rec.name);
            if (res.status != casedoc::render_status::rendered) {
                if (failed++ == 0) std::cerr << "not rendered: " << rec.name << ": " << res.error << '\n';
                continue;
            }
            pages += size_t(res.pages);
            if (!out_dir.empty() && i < caseload.size()) {
                std::ofstream f(out_dir / (fs::path(rec.name).stem().string() + ".pdf"), std::ios::binary);
                f.write(res.pdf.data(), std::streamsize(res.pdf.size()));
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    pass_result p;
    p.seconds = duration<double>(steady_clock::now() - t0).count();
    p.cpu_seconds = process_cpu_seconds() - c0;
    p.documents = total - failed;
    p.pages = pages;
    p.failed = failed;
    return p;
}

void report(const char* what, const pass_result& one, const pass_result& all, unsigned cores) {
    std::printf("%s: %zu documents, %zu pages (%.2f pages per document)\n", what, one.documents, one.pages,
                one.documents ? double(one.pages) / double(one.documents) : 0.0);
    std::printf("  1 thread:  %7.1f documents/s  %7.1f pages/s  (%.2f s; %.1f documents and %.1f pages per CPU second)\n",
                double(one.documents) / one.seconds, double(one.pages) / one.seconds, one.seconds,
                double(one.documents) / one.cpu_seconds, double(one.pages) / one.cpu_seconds);
    std::printf("  %u threads: %7.1f documents/s  %7.1f pages/s  (%.2f s; %.1f documents/s per core; %.1f documents per CPU second)\n",
                cores, double(all.documents) / all.seconds, double(all.pages) / all.seconds, all.seconds,
                double(all.documents) / all.seconds / cores, double(all.documents) / all.cpu_seconds);
    if (one.failed || all.failed) std::printf("  WARNING: %zu + %zu documents were not rendered\n", one.failed, all.failed);
}

} // namespace

int main(int argc, char** argv) try {
    size_t records = 200;
    unsigned passes = 3, seed = 20240101;
    fs::path out_dir;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--records") records = std::stoul(value());
        else if (a == "--passes") passes = unsigned(std::stoul(value()));
        else if (a == "--seed") seed = unsigned(std::stoul(value()));
        else if (a == "--out") out_dir = value();
        else throw std::runtime_error("usage: casedoc_bench_render [--records N] [--passes P] [--seed S] [--out DIR]");
    }
    if (!out_dir.empty()) fs::create_directories(out_dir);

    casedoc::plugin_host host;
    host.add_default_directories();
    host.discover();
    casedoc::schema_catalog schemas;
    schemas.add_default_directories();
    casedoc::template_catalog templates;
    templates.add_default_directories();
    const double mb_start = peak_mb();
    const auto t_load = steady_clock::now();
    const casedoc::renderer r(templates, {});
    const double load_ms = duration<double, std::milli>(steady_clock::now() - t_load).count();

    // The sample caseload: the valid samples of every plugin loaded whose templates exist.
    std::vector<record> samples;
    for (const casedoc::plugin* p : host.plugins()) {
        const fs::path dir = fs::path(CASEDOC_SOURCE_DIR) / "plugins" / p->id / "samples" / "valid";
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) continue;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".xml") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            std::ifstream in(f, std::ios::binary);
            samples.push_back({f.string(), std::string(std::istreambuf_iterator<char>(in), {})});
        }
    }
    const auto notes = three_page_notes(records, seed);
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    std::printf("fonts, colour profile and common template loaded once in %.1f ms; %u cores\n", load_ms, cores);

    // Warm-up: templates are read on first use.
    run(notes, 1, 1, host, schemas, r, out_dir);
    run(samples, 1, 1, host, schemas, r, out_dir);

    const pass_result n1 = run(notes, passes, 1, host, schemas, r, {});
    const pass_result na = run(notes, passes, cores, host, schemas, r, {});
    report("three-page visit notes", n1, na, cores);
    const pass_result s1 = run(samples, passes * 5, 1, host, schemas, r, {});
    const pass_result sa = run(samples, passes * 5, cores, host, schemas, r, {});
    report("sample caseload (plugins/*/samples/valid)", s1, sa, cores);
    std::printf("peak memory: %.1f MB (%.1f MB before loading fonts and rendering)\n", peak_mb(), mb_start);
    return (n1.failed + na.failed + s1.failed + sa.failed) ? 1 : 0;
} catch (const std::exception& e) {
    std::cerr << "casedoc_bench_render: " << e.what() << '\n';
    return 2;
}
