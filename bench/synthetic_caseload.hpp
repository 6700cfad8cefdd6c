// A synthetic caseload on disk for the caseload benchmarks (audit, due): copies of the sample caseload records of
// every setting in the tree (plugins/<id>/samples/caseload, the ones in the period 2025-07-01..2025-12-31, taken
// in turn), each with its own record id, one of 40 workers per setting and one of 6 offices, 1,000 per folder.
// Compiled with CASEDOC_SOURCE_DIR.
#ifndef CASEDOC_BENCH_SYNTHETIC_CASELOAD_HPP
#define CASEDOC_BENCH_SYNTHETIC_CASELOAD_HPP

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace casedoc::bench {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Replaces the value of attribute `name` in the root element's start tag.
inline void set_root_attribute(std::string& xml, const std::string& name, const std::string& value) {
    const size_t root = xml.find("<case-record");
    const size_t end = xml.find('>', root);
    const size_t at = xml.find(" " + name + "=\"", root);
    if (root == std::string::npos || at == std::string::npos || at > end) return;
    const size_t start = at + name.size() + 3, stop = xml.find('"', start);
    xml.replace(start, stop - start, value);
}

struct synthetic_caseload {
    size_t templates = 0; // sample records used (0: none found, nothing written)
    uint64_t bytes = 0;   // of XML written
};

// Writes `records` case records under `dir` (dir/0/, dir/1/, ...).
inline synthetic_caseload write_synthetic_caseload(const fs::path& dir, uint64_t records) {
    struct tmpl {
        std::string setting, xml;
    };
    std::vector<tmpl> templates;
    for (const auto& setting : fs::directory_iterator(fs::path(CASEDOC_SOURCE_DIR) / "plugins")) {
        const fs::path samples = setting.path() / "samples" / "caseload";
        if (!fs::is_directory(samples)) continue;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(samples))
            if (e.path().extension() == ".xml") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            std::string xml = slurp(f);
            const size_t as_of = xml.find("as-of=\"2025-");
            if (as_of == std::string::npos || xml.compare(as_of + 12, 2, "06") == 0) continue; // out of the period
            templates.push_back({setting.path().filename().string(), std::move(xml)});
        }
    }
    synthetic_caseload out;
    out.templates = templates.size();
    if (templates.empty()) return out;
    // Interleave the settings: template k of setting s at position k * settings + s.
    std::sort(templates.begin(), templates.end(), [](const tmpl& a, const tmpl& b) { return a.setting < b.setting; });
    static const char* offices[] = {"North", "South", "East", "West", "Central", "Valley"};
    for (uint64_t i = 0; i < records; ++i) {
        const tmpl& t = templates[(i * 7919) % templates.size()];
        std::string xml = t.xml;
        char id[32];
        std::snprintf(id, sizeof id, "BENCH-%07llu", static_cast<unsigned long long>(i));
        set_root_attribute(xml, "id", id);
        set_root_attribute(xml, "worker", t.setting.substr(0, 2) + "-w" + std::to_string((i / 3) % 40));
        set_root_attribute(xml, "office", offices[(i / 7) % 6]);
        const fs::path sub = dir / std::to_string(i / 1000);
        if (i % 1000 == 0) fs::create_directories(sub);
        std::ofstream(sub / (std::string(id) + ".xml"), std::ios::binary) << xml;
        out.bytes += xml.size();
    }
    return out;
}

} // namespace casedoc::bench

#endif
