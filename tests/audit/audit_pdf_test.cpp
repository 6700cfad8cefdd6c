// The audit report PDF: the fixture audit.json (two settings, findings, trend) and a large synthetic report,
// checked as a reader or an archivist would, with qpdf and poppler; and the refusal of JSON that does not
// match casedoc-audit/1, naming the field.
#include <casedoc/audit/audit_pdf.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/template/template_catalog.hpp>

#include "synthetic_audit.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace fs = std::filesystem;
using namespace casedoc_test;

namespace {

void write(const std::string& file, const std::string& data) { std::ofstream(file, std::ios::binary) << data; }

std::string fixture() { return read_file(std::string(CASEDOC_AUDIT_DATA) + "/report.json"); }

const casedoc::template_catalog& templates() {
    static casedoc::template_catalog catalog;
    if (catalog.directories().empty()) catalog.add_directory(fs::path(CASEDOC_SOURCE_DIR) / "templates");
    return catalog;
}

std::string render(const std::string& json) {
    casedoc::audit_pdf_options o;
    o.templates = &templates();
    return casedoc::render_audit_pdf(json, o);
}

std::string text(const std::string& pdf, int first = 0, int last = 0) {
    require_tool("pdftotext");
    std::string range;
    if (first) range += " -f " + std::to_string(first);
    if (last) range += " -l " + std::to_string(last);
    const auto r = shell("pdftotext -enc UTF-8" + range + " " + quote(pdf) + " -");
    REQUIRE(r.status == 0);
    CHECK(r.err.empty()); // poppler complains about malformed fonts and maps on stderr
    return r.out;
}

int pages(const std::string& pdf) {
    require_tool("pdfinfo");
    const auto r = shell("pdfinfo " + quote(pdf));
    REQUIRE(r.status == 0);
    std::smatch m;
    REQUIRE(std::regex_search(r.out, m, std::regex("Pages: +([0-9]+)")));
    return std::stoi(m[1]);
}

// The message of the casedoc::error render_audit_pdf throws, or "" when it does not throw.
std::string refusal(const std::string& json) {
    try {
        render(json);
    } catch (const casedoc::error& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("The audit PDF of the fixture is a valid PDF that poppler renders without complaint", "[audit][pdf]") {
    temp_dir dir;
    const std::string pdf = dir / "audit.pdf";
    write(pdf, render(fixture()));
    check_qpdf(pdf);
    require_tool("pdftoppm");
    const auto r = shell("pdftoppm -r 30 -png " + quote(pdf) + " " + quote(dir / "page"));
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    size_t images = 0;
    for (const auto& e : fs::directory_iterator(dir.path)) images += e.path().extension() == ".png";
    CHECK(int(images) == pages(pdf));
}

TEST_CASE("The audit PDF shows the scope, the rates, the rule ids and the page numbers", "[audit][pdf]") {
    temp_dir dir;
    const std::string pdf = dir / "audit.pdf";
    write(pdf, render(fixture()));
    const int n = pages(pdf);
    CHECK(n >= 6);
    const std::string cover = text(pdf, 1, 1);
    for (const char* s : {"Caseload review", "2025-07-01 to 2025-12-31", "Alex Reviewer", "Reviewed by", "Date", "child_welfare",
                          "hospital", "2024.1", "2019.2", "2024-01-01", "stratified", "20251231", "casedoc 0.4.0",
                          "Client names are not in this report", "Page 1 of " })
        CHECK_THAT(cover, Catch::Contains(s));
    CHECK_THAT(cover, Catch::Contains("Page 1 of " + std::to_string(n)));
    const std::string all = text(pdf);
    for (const char* s : {"62.5%",  // case outcome rate 0.625
                          "84.8%",  // item compliance rate 0.8476
                          "2 records could not be read or checked", "CW-W4", "HOSP-H15-SIGNED", "45 CFR 1356.21(g)(2)",
                          "Compliance by item", "95% threshold", "90% threshold", "Item compliance by worker", "u17", "rn09",
                          "Main campus", "2025-07", "Deadlines", "Recurring requirements", "93.0%", "Trend", "74.1%",
                          "Findings", "CW-2025-0101", "Corrective action plan", "The agency is not in compliance with",
                          "Owner", "Due date", "Sampled cases (24)", "CW-2025-0199", "as-of 2025-05-31 is outside the period",
                          "malformed XML", "Page " })
        CHECK_THAT(all, Catch::Contains(s));
    CHECK_THAT(all, Catch::Contains("Page " + std::to_string(n) + " of " + std::to_string(n)));
}

TEST_CASE("The audit PDF's document info comes from the report, dated at the end of the period", "[audit][pdf]") {
    temp_dir dir;
    const std::string pdf = dir / "audit.pdf";
    write(pdf, render(fixture()));
    require_tool("pdfinfo");
    const auto r = shell("pdfinfo -enc UTF-8 -isodates " + quote(pdf));
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("Caseload review, 2025-07-01 to 2025-12-31"));
    CHECK_THAT(r.out, Catch::Contains("Alex Reviewer"));
    CHECK_THAT(r.out, Catch::Contains("2025-12-31T00:00:00"));
}

TEST_CASE("The same audit JSON gives the same PDF bytes", "[audit][pdf][determinism]") {
    const std::string json = fixture();
    const std::string a = render(json), b = render(json);
    CHECK(a.size() == b.size());
    CHECK(a == b);
}

TEST_CASE("A JSON that does not match casedoc-audit/1 is refused, naming what is wrong", "[audit][schema]") {
    using nlohmann::json;
    const json good = json::parse(fixture());
    SECTION("not JSON") { CHECK_THAT(refusal("{\"format\": \"casedoc-audit/1\","), Catch::Contains("not valid JSON")); }
    SECTION("a missing required field") {
        json j = good;
        j["summary"].erase("item_rate");
        CHECK_THAT(refusal(j.dump()), Catch::Contains("summary.item_rate: missing"));
        j = good;
        j["scope"]["period"].erase("to");
        CHECK_THAT(refusal(j.dump()), Catch::Contains("scope.period.to: missing"));
        j = good;
        j.erase("cases");
        CHECK_THAT(refusal(j.dump()), Catch::Contains("cases: missing"));
        j = good;
        j["findings"][1]["evidence"][0].erase("record_id");
        CHECK_THAT(refusal(j.dump()), Catch::Contains("findings[1].evidence[0].record_id: missing"));
    }
    SECTION("a value of the wrong type or range") {
        json j = good;
        j["items"][2]["applicable"] = "seven";
        CHECK_THAT(refusal(j.dump()), Catch::Contains("items[2].applicable: expected a count"));
        j = good;
        j["rollups"]["worker"][0]["rate"] = 1.5;
        CHECK_THAT(refusal(j.dump()), Catch::Contains("rollups.worker[0].rate: expected a rate"));
        j = good;
        j["scope"]["period"]["from"] = "July 2025";
        CHECK_THAT(refusal(j.dump()), Catch::Contains("scope.period.from: expected a date YYYY-MM-DD"));
        j = good;
        j["timeliness"][0]["kind"] = "interval";
        CHECK_THAT(refusal(j.dump()), Catch::Contains("timeliness[0].kind"));
    }
    SECTION("another format") {
        json j = good;
        j["format"] = "casedoc-audit/2";
        CHECK_THAT(refusal(j.dump()), Catch::Contains("format: expected \"casedoc-audit/1\""));
    }
    SECTION("optional parts may be absent") {
        json j = good;
        j.erase("trend");
        j.erase("eliminated");
        j.erase("unreadable");
        j["universe"]["unreadable"] = 0;
        j["timeliness"] = json::array();
        CHECK(refusal(j.dump()).empty());
    }
}

TEST_CASE("A large audit (5,000 cases, 500 evidence rows) renders and paginates", "[audit][pdf][large]") {
    temp_dir dir;
    const std::string pdf = dir / "large.pdf";
    write(pdf, render(casedoc::bench::synthetic_audit_json(5000, 500)));
    check_qpdf(pdf);
    const int n = pages(pdf);
    CHECK(n > 100);
    const std::string last = text(pdf, n, n);
    CHECK_THAT(last, Catch::Contains("Page " + std::to_string(n) + " of " + std::to_string(n)));
    const std::string all = text(pdf);
    CHECK_THAT(all, Catch::Contains("Sampled cases (5,000)"));
    CHECK_THAT(all, Catch::Contains("CW-0000000"));
    CHECK_THAT(all, Catch::Contains("HOSP-0004999"));
    // Every evidence row is there, and the evidence tables repeat their header on each page they run over.
    const std::regex row("Requirement [0-9]+ is not");
    CHECK(std::distance(std::sregex_iterator(all.begin(), all.end(), row), std::sregex_iterator()) == 500);
    const std::regex header("Narrative");
    CHECK(std::distance(std::sregex_iterator(all.begin(), all.end(), header), std::sregex_iterator()) > 60);
}
