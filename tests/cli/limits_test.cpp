// The record limits (--max-record-bytes, --max-depth, --max-attributes, --max-findings): a record exactly at a limit
// is checked, one over it is not (exit 2, the file and the option named), and the batch goes on.
#include "cli_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace casedoc_test;

namespace {

// Every <e> fails the assertion: one finding per <e>.
const char* every_e_fails = R"sch(<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:pattern><sch:rule context="e"><sch:assert test="false()" id="no-e">No e.</sch:assert></sch:rule></sch:pattern>
</sch:schema>
)sch";

struct fixture {
    temp_dir dir;
    std::string schema = dir / "rules.sch";
    fixture() { std::ofstream(schema) << every_e_fails; }
    // Writes a document and returns its path.
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name) << text;
        return dir / name;
    }
    run_result validate(const std::string& options, const std::string& file) const {
        return run("validate --schema " + quote(schema) + " " + options + " " + quote(file));
    }
};

// Elements nested `depth` deep, one per line: <d><d>...</d></d>.
std::string nested(unsigned depth) {
    std::string open, close;
    for (unsigned i = 0; i < depth; ++i) {
        open += "<d>\n";
        close += "</d>";
    }
    return open + close + "\n";
}

} // namespace

TEST_CASE_METHOD(fixture, "the size limit (--max-record-bytes): a record of exactly that size is checked, one byte more is not",
                 "[cli][limits]") {
    const std::string doc = write("doc.xml", "<d/>\n");
    CHECK(validate("--max-record-bytes 5", doc).status == 0);
    const auto over = validate("--max-record-bytes 4", doc);
    CHECK(over.status == 2);
    CHECK_THAT(over.err, Catch::Contains(doc + ": fatal: could not check: the record is 5 bytes, more than the limit of 4 (--max-record-bytes)"));
    // Standard input is measured too.
    const auto piped = shell("printf '<d/>\\n' | " + std::string(CASEDOC_EXE) + " validate --schema " + quote(schema) +
                             " --max-record-bytes 4 -");
    CHECK(piped.status == 2);
    CHECK_THAT(piped.err, Catch::Contains("<stdin>: fatal: could not check: the record is 5 bytes"));
}

TEST_CASE_METHOD(fixture, "the depth limit (--max-depth): elements nested exactly that deep are checked, one level more is not, at its line",
                 "[cli][limits]") {
    const std::string doc = write("deep.xml", nested(10));
    CHECK(validate("--max-depth 10", doc).status == 0);
    const auto over = validate("--max-depth 9", doc);
    CHECK(over.status == 2);
    CHECK_THAT(over.err, Catch::Contains(doc + ":10:1: fatal: could not check: elements nested deeper than the limit of 9 (--max-depth)"));
}

TEST_CASE_METHOD(fixture, "the default depth limit refuses a record nested 100000 deep with exit 2, not a crash",
                 "[cli][limits]") {
    const std::string doc = write("very-deep.xml", nested(100000));
    const auto r = validate("", doc);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("deeper than the limit of 256 (--max-depth)"));
}

TEST_CASE_METHOD(fixture, "the attribute limit (--max-attributes): an element with exactly that many attributes is checked, one more is not",
                 "[cli][limits]") {
    const std::string doc = write("attrs.xml", "<d>\n<x a='1' b='2' c='3' d='4' e='5'/></d>\n");
    CHECK(validate("--max-attributes 5", doc).status == 0);
    const auto over = validate("--max-attributes 4", doc);
    CHECK(over.status == 2);
    CHECK_THAT(over.err, Catch::Contains(doc + ":2:1: fatal: could not check: an element with more attributes than the limit of 4 (--max-attributes)"));
}

TEST_CASE_METHOD(fixture, "the findings limit (--max-findings): a record with exactly that many findings is reported, one more is not checked",
                 "[cli][limits]") {
    const std::string doc = write("findings.xml", "<d>\n<e/>\n<e/>\n<e/>\n</d>\n");
    const auto at = validate("--max-findings 3", doc);
    CHECK(at.status == 1);
    CHECK(count(at.out, "[no-e]") == 3);
    const auto over = validate("--max-findings 2", doc);
    CHECK(over.status == 2);
    CHECK_THAT(over.err, Catch::Contains(doc + ": fatal: could not check: 3 findings, more than the limit of 2 (--max-findings)"));
}

TEST_CASE_METHOD(fixture, "a record over a limit is named and the rest of the batch is still checked", "[cli][limits]") {
    write("a-deep.xml", nested(5));
    write("b-flat.xml", "<d/>\n");
    const auto r = run("validate --schema " + quote(schema) + " --max-depth 4 -j 1 " + quote(dir.path.string()));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("a-deep.xml:5:1: fatal: could not check: elements nested deeper than the limit of 4"));
    CHECK_THAT(r.err, Catch::Contains("1 could not be checked"));
}

TEST_CASE("render and audit take the record limits too", "[cli][limits]") {
    temp_dir out;
    const std::string record = sample("valid/case-record-jose-2024.xml");
    const auto rendered = run("render --max-depth 1 -o " + quote(out / "r.pdf") + " " + quote(record));
    CHECK(rendered.status == 2);
    CHECK_THAT(rendered.err, Catch::Contains("(--max-depth)"));
    CHECK_FALSE(fs::exists(out / "r.pdf"));
    const auto audited = run("audit --max-depth 1 --period 2020-01-01..2030-12-31 -o " + quote(out / "audit") + " " +
                             quote(record));
    CHECK(audited.status == 2);
    CHECK_THAT(audited.err, Catch::Contains("could not check: " + record));
    CHECK_THAT(audited.err, Catch::Contains("(--max-depth)"));
}

TEST_CASE("export takes the size, depth and attribute limits: a record past one is named and nothing is written",
          "[cli][limits]") {
    temp_dir out;
    const std::string record = (fs::path(CASEDOC_SOURCE_DIR) / "plugins/vocational/samples/valid/case-record-jose-2026.xml").string();
    const auto within = run("export vocational:rsa911 -o " + quote(out / "ok.csv") + " " + quote(record));
    INFO(within.err);
    REQUIRE(within.status == 0);
    const auto deep = run("export vocational:rsa911 --max-depth 1 -o " + quote(out / "deep.csv") + " " + quote(record));
    CHECK(deep.status == 2);
    CHECK_THAT(deep.err, Catch::Contains(record + ":"));
    CHECK_THAT(deep.err, Catch::Contains("(--max-depth)"));
    CHECK_FALSE(fs::exists(out / "deep.csv"));
    const auto big = run("export vocational:rsa911 --max-record-bytes 100 -o " + quote(out / "big.csv") + " " + quote(record));
    CHECK(big.status == 2);
    CHECK_THAT(big.err, Catch::Contains("more than the limit of 100 (--max-record-bytes)"));
    CHECK_FALSE(fs::exists(out / "big.csv"));
    CHECK_FALSE(run("export vocational:rsa911 --help").out.find("--max-findings") != std::string::npos);
}
