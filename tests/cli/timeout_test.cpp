// casedoc validate --timeout-per-record: a record whose rules run too long is not checked, the batch goes on.
#include "cli_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace casedoc_test;

namespace {

void write_entries(const fs::path& file, int entries) {
    std::ofstream out(file);
    out << "<document xmlns='urn:example:hl7'>\n";
    for (int i = 0; i < entries; ++i) out << "<entry id='e" << i << "'/>\n";
    out << "<other/></document>\n";
}

} // namespace

TEST_CASE("a record that runs longer than --timeout-per-record is not checked, and the batch goes on",
          "[cli][timeout]") {
    temp_dir docs;
    write_entries(docs.path / "a-slow.xml", 20000); // seconds of rules
    write_entries(docs.path / "b-small.xml", 3);    // fails its assertions at once
    const auto r = run("validate --schema " + data("slow.sch") + " --timeout-per-record 0.3 -j 1 " +
                       quote(docs.path.string()));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("a-slow.xml"));
    CHECK_THAT(r.err, Catch::Contains("longer than the time allowed per record"));
    CHECK_THAT(r.err, Catch::Contains("not checked: " + (docs.path / "a-slow.xml").string()));
    CHECK_THAT(r.out, Catch::Contains("b-small.xml:2:1: error: Only entries in a document. [counted]"));
}

TEST_CASE("without --timeout-per-record a record's rules run to the end", "[cli][timeout]") {
    temp_dir docs;
    write_entries(docs.path / "d.xml", 400);
    const auto r = run("validate --schema " + data("slow.sch") + " " + quote((docs.path / "d.xml").string()));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("d.xml:401:1: error: Only entries in a document. [counted]"));
}

TEST_CASE("a time allowed per record below 0 is a usage error", "[cli][timeout]") {
    const auto r = run("validate --schema " + data("slow.sch") + " --timeout-per-record -1 " + data("plain.xml"));
    CHECK(r.status == 2);
}
