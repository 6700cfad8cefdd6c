// run_batch: every record once, in input order, whatever the number of threads; a sink that throws stops
// the batch without hanging it.
#include <casedoc/check/batch.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>

#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// Paths that do not exist: each is a record the validator reports it could not read, named by its path.
std::vector<std::string> missing_files(size_t n) {
    std::vector<std::string> files;
    for (size_t i = 0; i < n; ++i) files.push_back("/nonexistent/casedoc-batch-test/" + std::to_string(i) + ".xml");
    return files;
}

} // namespace

TEST_CASE("run_batch hands every result to the sink once, in input order, with any number of threads", "[batch]") {
    const casedoc::plugin_host host;
    const casedoc::schema_catalog schemas;
    // More files than the window of results in flight (64 per thread) and not a multiple of the hand-off run.
    for (const size_t n : {size_t{1}, size_t{15}, size_t{17}, size_t{1001}}) {
        const auto files = missing_files(n);
        for (const unsigned jobs : {1u, 2u, 3u, 8u}) {
            std::vector<std::string> seen;
            casedoc::run_batch(files, jobs, host, schemas, casedoc::validator_options{}, [&](casedoc::record_result&& r) {
                CHECK(r.status == casedoc::record_status::error);
                seen.push_back(r.file);
            });
            INFO(n << " files, " << jobs << " threads");
            REQUIRE(seen.size() == n);
            for (size_t i = 0; i < n; ++i) REQUIRE(seen[i] == files[i]);
        }
    }
}

TEST_CASE("run_batch stops and rethrows when the sink throws", "[batch]") {
    const casedoc::plugin_host host;
    const casedoc::schema_catalog schemas;
    const auto files = missing_files(500);
    for (const unsigned jobs : {1u, 2u, 3u}) {
        size_t calls = 0;
        CHECK_THROWS_WITH(casedoc::run_batch(files, jobs, host, schemas, casedoc::validator_options{},
                                             [&](casedoc::record_result&&) {
                                                 if (++calls == 40) throw std::runtime_error("sink failed");
                                             }),
                          "sink failed");
        CHECK(calls == 40);
    }
}

TEST_CASE("expand_inputs lists a directory's records in the order of their paths, component by component",
          "[batch]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("casedoc-batch-order-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    // '-' and '.' sort before '/' as characters, after it as path components.
    for (const char* name : {"a.xml", "a-b.xml", "a/z.xml", "a/b/c.XML", "a-b/x.xml", "a.b/y.xml", "b.xml", "A.xml"}) {
        fs::create_directories((dir / name).parent_path());
        std::ofstream(dir / name) << "<x/>";
    }
    const std::vector<std::string> got = casedoc::expand_inputs({dir.string()});
    std::vector<fs::path> expected(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    REQUIRE(got.size() == 8);
    for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == expected[i].string());
    CHECK(got.front() == (dir / "A.xml").string());
    CHECK(got[1] == (dir / "a/b/c.XML").string());
    fs::remove_all(dir);
}
