// What the fuzz targets share: quiet logs, and the build tree's plugins, schemas and templates loaded once, as
// casedoc finds them in production (the targets run from <build>/bin, so the default directories are the build
// tree's). Each target is one file defining LLVMFuzzerTestOneInput; the same file is linked with libFuzzer
// (clang, CASEDOC_FUZZ=ON) or with replay_main.cpp (the ordinary build, which replays regressions/ and corpus/).
#ifndef CASEDOC_TESTS_FUZZ_SUPPORT_HPP
#define CASEDOC_TESTS_FUZZ_SUPPORT_HPP

#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>
#include <casedoc/template/template_catalog.hpp>

#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace casedoc_fuzz {

struct production {
    casedoc::plugin_host plugins;
    casedoc::schema_catalog schemas;
    casedoc::template_catalog templates;
};

// Loaded on first use and kept for the process (a fuzzer runs millions of inputs through it). A plugin that does
// not load stops the target: a fuzzer without the plugins would not test what production runs.
inline production& production_set() {
    static production* const p = [] {
        spdlog::set_level(spdlog::level::off); // findings and warnings by the million are not news
        auto* set = new production;
        set->plugins.add_default_directories();
        set->plugins.discover(casedoc::bad_plugins::fail);
        set->schemas.add_default_directories();
        set->templates.add_default_directories();
        if (set->plugins.plugins().empty()) {
            std::fprintf(stderr, "fuzz: no plugin found (run the target from the build tree's bin/)\n");
            std::abort();
        }
        return set;
    }();
    return *p;
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// A property the target checks does not hold: report it and abort, which libFuzzer records as a crash.
[[noreturn]] inline void broken(const char* what, std::string_view detail = {}) {
    std::fprintf(stderr, "fuzz: %s%s%.*s\n", what, detail.empty() ? "" : ": ", static_cast<int>(detail.size()),
                 detail.data());
    std::abort();
}

// The repository's own files (sample records, schemas), for targets that pair a fuzzed input with a real one.
inline std::string source_file(const std::string& relative) {
    const std::string path = std::string(CASEDOC_FUZZ_SOURCE_DIR) + "/" + relative;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) broken("cannot read", path);
    std::string text;
    char chunk[4096];
    for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, f)) > 0;) text.append(chunk, n);
    std::fclose(f);
    return text;
}

} // namespace casedoc_fuzz

#endif
