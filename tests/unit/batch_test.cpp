// run_batch: every record once, in input order, whatever the number of threads; a sink that throws stops
// the batch without hanging it.
#include <casedoc/check/batch.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

// Paths that do not exist: each is a record the validator reports it could not read, named by its path.
std::vector<std::filesystem::path> missing_files(size_t n) {
    std::vector<std::filesystem::path> files;
    for (size_t i = 0; i < n; ++i) files.emplace_back("/nonexistent/casedoc-batch-test/" + std::to_string(i) + ".xml");
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
            for (size_t i = 0; i < n; ++i) REQUIRE(seen[i] == files[i].string());
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
