// casedoc validate --format svrl --out DIR: one SVRL file per document of a batch.
#include "cli_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace fs = std::filesystem;
using namespace casedoc_test;

namespace {

std::set<std::string> names_in(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
}

// A copy of plain.xml whose second entry is e<n>.
void write_document(const fs::path& file, int n) {
    std::ofstream(file) << "<document xmlns='urn:example:hl7'><entry id='e1' code='A'/><entry id='e" << n
                        << "' status='draft'/></document>";
}

} // namespace

TEST_CASE("an SVRL batch (--format svrl --out) writes one SVRL file per document, named after it",
          "[cli][svrl][batch]") {
    temp_dir docs, out;
    for (int n : {2, 3, 4}) write_document(docs.path / ("doc-" + std::to_string(n) + ".xml"), n);
    const auto r = run("validate --schema " + data("plain.sch") + " --format svrl --out " + quote(out.path.string()) +
                       " " + quote(docs.path.string()));
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    REQUIRE(names_in(out.path) == std::set<std::string>{"doc-2.svrl", "doc-3.svrl", "doc-4.svrl"});
    for (int n : {2, 3, 4}) {
        const std::string svrl = read_file(out.path / ("doc-" + std::to_string(n) + ".svrl"));
        CHECK_THAT(svrl, Catch::StartsWith("<?xml"));
        CHECK_THAT(svrl, Catch::Contains("<svrl:schematron-output"));
        CHECK_THAT(svrl, Catch::Contains("location=\"/h:document[1]/h:entry[2]\""));
        CHECK_THAT(svrl, Catch::Contains("Entry e" + std::to_string(n) + " is a draft."));
    }
}

TEST_CASE("SVRL files of a batch are the same bytes on one thread and on two, and as one document gives",
          "[cli][svrl][batch][determinism]") {
    temp_dir one, two;
    const std::string inputs = sample("invalid");
    const auto a = run("validate --format svrl -j 1 --out " + quote(one.path.string()) + " " + inputs);
    const auto b = run("validate --format svrl -j 2 --out " + quote(two.path.string()) + " " + inputs);
    CHECK(a.status == b.status);
    const auto names = names_in(one.path);
    CHECK(names.size() > 5);
    CHECK(names == names_in(two.path));
    for (const std::string& n : names) CHECK(read_file(one.path / n) == read_file(two.path / n));
    const auto single = run("validate --format svrl " + sample("invalid/w1-missing-month.xml"));
    CHECK(single.out == read_file(one.path / "w1-missing-month.svrl"));
}

TEST_CASE("a document of an SVRL batch that cannot be checked gets no file, the others do, exit 2",
          "[cli][svrl][batch]") {
    temp_dir docs, out;
    write_document(docs.path / "a.xml", 2);
    std::ofstream(docs.path / "b-broken.xml") << "<document xmlns='urn:example:hl7'><entry>";
    write_document(docs.path / "c.xml", 3);
    const auto r = run("validate --schema " + data("plain.sch") + " --format svrl --out " + quote(out.path.string()) +
                       " " + quote(docs.path.string()));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("b-broken.xml"));
    CHECK(names_in(out.path) == std::set<std::string>{"a.svrl", "c.svrl"}); // and no temporary left behind
}

TEST_CASE("SVRL batch usage errors are exit 2 before anything is written", "[cli][svrl][batch]") {
    temp_dir a, b, out;
    write_document(a.path / "same.xml", 2);
    write_document(b.path / "same.xml", 3);
    const std::string schema = "validate --schema " + data("plain.sch");
    SECTION("two documents with one file name") {
        const auto r = run(schema + " --format svrl --out " + quote(out.path.string()) + " " +
                           quote((a.path / "same.xml").string()) + " " + quote((b.path / "same.xml").string()));
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("would overwrite"));
        CHECK(names_in(out.path).empty());
    }
    SECTION("a batch without --out") {
        const auto r = run(schema + " --format svrl " + quote(a.path.string()) + " " + quote(b.path.string()));
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("--out DIR"));
    }
    SECTION("--out without --format svrl") {
        const auto r = run(schema + " --out " + quote(out.path.string()) + " " + quote(a.path.string()));
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("--out is for --format svrl"));
    }
}
