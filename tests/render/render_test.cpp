// casedoc render end to end: each point of "compliant means" (issue 4) checked on the produced PDF with poppler
// (pdftotext, pdfinfo, pdffonts, pdftoppm) and qpdf, as a reader or an archivist would check it.
#include <casedoc/template/template.hpp>

#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace casedoc_test;

namespace {

run_result run_casedoc(const std::string& args) { return shell(std::string(CASEDOC_EXE) + " " + args); }

std::string data(const std::string& name) { return std::string(CASEDOC_RENDER_DATA) + "/" + name; }
std::string sample(const std::string& name) { return std::string(CASEDOC_SOURCE_DIR) + "/plugins/child_welfare/samples/" + name; }

std::string text(const std::string& pdf, int page = 0) {
    require_tool("pdftotext");
    const std::string range = page ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
    const auto r = shell("pdftotext -enc UTF-8" + range + " " + quote(pdf) + " -");
    REQUIRE(r.status == 0);
    CHECK(r.err.empty()); // poppler complains about malformed fonts and maps on stderr
    return r.out;
}

std::map<std::string, std::string> info(const std::string& pdf) {
    require_tool("pdfinfo");
    const auto r = shell("pdfinfo -enc UTF-8 " + quote(pdf));
    REQUIRE(r.status == 0);
    std::map<std::string, std::string> m;
    std::istringstream ss(r.out);
    for (std::string line; std::getline(ss, line);) {
        const size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        size_t v = line.find_first_not_of(' ', colon + 1);
        m[line.substr(0, colon)] = v == std::string::npos ? "" : line.substr(v);
    }
    return m;
}

int pages(const std::string& pdf) { return std::stoi(info(pdf)["Pages"]); }

nlohmann::json objects(const std::string& pdf) {
    require_tool("qpdf");
    const auto r = shell("qpdf --json=2 --json-key=qpdf " + quote(pdf));
    REQUIRE(r.status == 0);
    return nlohmann::json::parse(r.out)["qpdf"][1];
}

} // namespace

TEST_CASE("a compliant note renders: exit 0 and a PDF in which qpdf finds no error", "[render]") {
    temp_dir t;
    const auto r = run_casedoc("render " + sample("valid/visit-late-entry-with-amendment.xml") + " -o " + t / "v.pdf");
    INFO(r.err);
    REQUIRE(r.status == 0);
    REQUIRE(fs::exists(t / "v.pdf"));
    check_qpdf(t / "v.pdf");
    CHECK(read_file(t / "v.pdf").rfind("%PDF-1.4", 0) == 0);
}

TEST_CASE("a record with validation errors is refused: exit 1, its findings printed, no file", "[render][compliance]") {
    temp_dir t;
    const auto r = run_casedoc("render " + sample("invalid/x2-unsigned.xml") + " -o " + t / "u.pdf");
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("x2-unsigned.xml:") && Catch::Contains("[X2-SIG]"));
    CHECK_THAT(r.err, Catch::Contains("casedoc: not rendered: " + sample("invalid/x2-unsigned.xml") +
                                      " is not compliant; --draft renders it marked DRAFT with its findings\n"));
    CHECK_FALSE(fs::exists(t / "u.pdf"));
    CHECK(fs::is_empty(t.path));
}

TEST_CASE("a draft (--draft) marks every page DRAFT — NOT COMPLIANT and appends the findings", "[render][compliance][draft]") {
    temp_dir t;
    const auto r = run_casedoc("render --draft " + sample("invalid/case-record-several-problems.xml") + " -o " + t / "d.pdf");
    CHECK(r.status == 1); // rendered, but still not compliant
    CHECK_THAT(r.out, Catch::Contains("[CW-W1]"));
    CHECK_THAT(r.err, Catch::Contains("casedoc: render: 0 rendered, 1 draft (not compliant, marked DRAFT), 0 refused"));
    REQUIRE(fs::exists(t / "d.pdf"));
    const int n = pages(t / "d.pdf");
    REQUIRE(n > 1);
    for (int p = 1; p <= n; ++p) {
        INFO("page " << p);
        CHECK_THAT(text(t / "d.pdf", p), Catch::Contains("DRAFT — NOT COMPLIANT"));
    }
    const std::string last = text(t / "d.pdf", n);
    CHECK_THAT(last, Catch::Contains("Validation findings"));
    const std::string all = text(t / "d.pdf");
    for (const char* rule : {"CW-W1", "X2-SIG-METHOD", "X3-LATE"}) CHECK_THAT(all, Catch::Contains(rule));
    CHECK_THAT(info(t / "d.pdf")["Title"], Catch::Contains("DRAFT"));
    check_qpdf(t / "d.pdf");
}

TEST_CASE("a draft shows what the record lacks instead of failing", "[render][draft]") {
    temp_dir t;
    const auto r = run_casedoc("render --draft " + sample("invalid/x2-unsigned.xml") + " -o " + t / "d.pdf");
    CHECK(r.status == 1);
    CHECK_THAT(text(t / "d.pdf"), Catch::Contains("MISSING: Signatures"));
}

TEST_CASE("every page shows agency, program, title, client name and id, date of service, page X of Y and the "
          "confidentiality notice", "[render][compliance][pages]") {
    temp_dir t;
    REQUIRE(run_casedoc("render " + sample("valid/case-record-zoe-long-stay.xml") + " -o " + t / "z.pdf").status == 0);
    const int n = pages(t / "z.pdf");
    REQUIRE(n >= 3);
    for (int p = 1; p <= n; ++p) {
        INFO("page " << p);
        const std::string s = text(t / "z.pdf", p);
        CHECK_THAT(s, Catch::Contains("[Agency name not set]")); // the common template's placeholder
        CHECK_THAT(s, Catch::Contains("Child Welfare Services"));
        CHECK_THAT(s, Catch::Contains("Child Welfare Case Record"));
        CHECK_THAT(s, Catch::Contains("Zoë Åkesson-Muñoz"));
        CHECK_THAT(s, Catch::Contains("ID C-1002"));
        CHECK_THAT(s, Catch::Contains("As of: 2024-09-30"));
        CHECK_THAT(s, Catch::Contains("Page " + std::to_string(p) + " of " + std::to_string(n)));
        CHECK_THAT(s, Catch::Contains("CONFIDENTIAL: this record contains protected"));
        CHECK_THAT(s, !Catch::Contains("42 CFR part 2")); // not a Part 2 record
    }
    // A note shows its date of service.
    REQUIRE(run_casedoc("render " + sample("valid/visit-dap.xml") + " -o " + t / "v.pdf").status == 0);
    CHECK_THAT(text(t / "v.pdf", 1), Catch::Contains("Date of service: 2024-10-04") && Catch::Contains("Page 1 of 1"));
}

TEST_CASE("the agency's name comes from --var agency=NAME, on every page and as a case record's PDF Author, and a "
          "name the common template does not set as text is refused",
          "[render][agency]") {
    temp_dir t;
    const auto r = run_casedoc("render --var \"agency=Acme Housing Services\" " +
                               sample("valid/case-record-zoe-long-stay.xml") + " -o " + t / "z.pdf");
    REQUIRE(r.status == 0);
    const int n = pages(t / "z.pdf");
    for (int p = 1; p <= n; ++p) {
        INFO("page " << p);
        const std::string s = text(t / "z.pdf", p);
        CHECK_THAT(s, Catch::Contains("Acme Housing Services"));
        CHECK_THAT(s, !Catch::Contains("[Agency name not set]"));
    }
    CHECK(info(t / "z.pdf")["Author"] == "Acme Housing Services");

    SECTION("a typo, or a value read from the record, is exit 2 before any record, naming the names") {
        for (const char* bad : {"agnecy=Acme", "client-name=Someone"}) {
            INFO(bad);
            const auto b = run_casedoc(std::string("render --var ") + bad + " " +
                                       sample("valid/case-record-zoe-long-stay.xml") + " -o " + t / "b.pdf");
            CHECK(b.status == 2);
            CHECK_THAT(b.err, Catch::Contains("common.xml: --var") &&
                                  Catch::Contains("not a variable this template sets as text (agency, program, "
                                                  "service-date-label)"));
            CHECK(!fs::exists(t / "b.pdf"));
        }
        CHECK(run_casedoc("render --var agency " + sample("valid/visit-dap.xml") + " -o " + t / "b.pdf").status == 2);
    }
}

TEST_CASE("a 42 CFR Part 2 record carries on every page the redisclosure notice in force on the disclosure date",
          "[render][compliance][part2]") {
    temp_dir t;
    const std::string old_text = "The federal rules prohibit you from making any further disclosure of this record";
    const std::string new_text = "or testimony that describes the information contained in this record";
    SECTION("by default the record's own date picks the notice: 2025, the pre-2024 text") {
        const auto r = run_casedoc("render " + data("records/visit-part2-identifiers.xml") + " -o " + t / "p.pdf");
        REQUIRE(r.status == 0);
        CHECK(r.err.empty());
        for (int p = 1, n = pages(t / "p.pdf"); p <= n; ++p) {
            const std::string s = text(t / "p.pdf", p);
            CHECK_THAT(s, Catch::Contains("42 CFR part 2") && Catch::Contains("2.12(c)(5) and 2.65"));
            CHECK_THAT(s, !Catch::Contains(new_text));
        }
        CHECK_THAT(text(t / "p.pdf"), Catch::Contains(old_text.substr(0, 40)));
    }
    SECTION("a record dated after 2026-02-16 gets the 2024 text, with a warning that it is unverified") {
        const auto r = run_casedoc("render " + data("records/visit-part2-2026.xml") + " -o " + t / "p.pdf");
        REQUIRE(r.status == 0);
        CHECK_THAT(r.err, Catch::Contains("common.xml:") && Catch::Contains("unverified"));
        CHECK_THAT(r.err, !Catch::Contains("José")); // no client data in the log
        const std::string s = text(t / "p.pdf", 1);
        CHECK_THAT(s, Catch::Contains("Federal confidentiality rules (42 CFR part 2)"));
        CHECK_THAT(std::regex_replace(s, std::regex("\\s+"), " "), Catch::Contains(new_text));
    }
    SECTION("--disclosure-date overrides the record's date, both ways") {
        REQUIRE(run_casedoc("render --disclosure-date 2026-02-16 " + data("records/visit-part2-identifiers.xml") + " -o " + t / "a.pdf").status == 0);
        CHECK_THAT(std::regex_replace(text(t / "a.pdf"), std::regex("\\s+"), " "), Catch::Contains(new_text));
        REQUIRE(run_casedoc("render --disclosure-date 2026-02-15 " + data("records/visit-part2-2026.xml") + " -o " + t / "b.pdf").status == 0);
        CHECK_THAT(std::regex_replace(text(t / "b.pdf"), std::regex("\\s+"), " "), Catch::Contains(old_text));
        CHECK(run_casedoc("render --disclosure-date 2026-2-1 " + data("records/visit-part2-2026.xml") + " -o " + t / "c.pdf").status == 2);
    }
}

TEST_CASE("content follows the template's order", "[render][template]") {
    temp_dir t;
    SECTION("the shipped visit template") {
        REQUIRE(run_casedoc("render " + sample("valid/visit-late-entry-with-amendment.xml") + " -o " + t / "v.pdf").status == 0);
        const std::string s = text(t / "v.pdf");
        std::vector<size_t> at;
        for (const char* label : {"Service at", "LATE ENTRY", "Face to face", "Topics discussed", "\nData\n", "\nAssessment\n",
                                  "\nPlan\n", "Signatures", "ADDENDUM A-1"})
            at.push_back(s.find(label));
        for (size_t i = 0; i < at.size(); ++i) CHECK(at[i] != std::string::npos);
        CHECK(std::is_sorted(at.begin(), at.end()));
    }
    SECTION("an agency's template with another order (--template-dir)") {
        const auto r = run_casedoc("render --template-dir " + data("templates/reordered") + " " + sample("valid/visit-dap.xml") +
                               " -o " + t / "r.pdf");
        INFO(r.err);
        REQUIRE(r.status == 0);
        const std::string s = text(t / "r.pdf");
        const size_t a = s.find("PLAN FIRST"), b = s.find("ASSESSMENT SECOND"), c = s.find("Signatures"),
                     d = s.find("DATA THIRD"), e = s.find("VISIT LAST");
        CHECK(a < b);
        CHECK(b < c);
        CHECK(c < d);
        CHECK(d < e);
        CHECK(e != std::string::npos);
        CHECK_THAT(s, Catch::Contains("Visit Note (agency layout)"));
    }
}

TEST_CASE("long text wraps within the margins and flows onto further pages", "[render][layout]") {
    temp_dir t;
    REQUIRE(run_casedoc("render " + data("records/visit-long-narrative.xml") + " -o " + t / "l.pdf").status == 0);
    CHECK(pages(t / "l.pdf") >= 2);
    require_tool("pdftotext");
    REQUIRE(shell("pdftotext -bbox " + quote(t / "l.pdf") + " " + quote(t / "l.html")).status == 0);
    const std::string html = read_file(t / "l.html");
    const std::regex word("<word xMin=\"([0-9.]+)\" yMin=\"[0-9.]+\" xMax=\"([0-9.]+)\"");
    size_t words = 0;
    double min_x = 1e9, max_x = 0;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), word); it != std::sregex_iterator(); ++it) {
        ++words;
        min_x = std::min(min_x, std::stod((*it)[1]));
        max_x = std::max(max_x, std::stod((*it)[2]));
    }
    CHECK(words > 1000);
    CHECK(min_x >= 49);  // left margin 50 pt
    CHECK(max_x <= 563); // 612 - right margin 50 pt (+1 for rounding)
    // The 200-character reference was broken across lines, not cut off.
    const std::string s = std::regex_replace(text(t / "l.pdf"), std::regex("\\s+"), "");
    CHECK_THAT(s, Catch::Contains("very-long-reference-very-long-reference-") && Catch::Contains("reference-end"));
}

TEST_CASE("tables break across pages and repeat their header row", "[render][layout][table]") {
    temp_dir t;
    REQUIRE(run_casedoc("render " + sample("valid/case-record-zoe-long-stay.xml") + " -o " + t / "z.pdf").status == 0);
    // The visit log (25 visits) starts on page 1 and continues on page 2, under its header row again.
    const std::string p1 = text(t / "z.pdf", 1), p2 = text(t / "z.pdf", 2);
    CHECK_THAT(p1, Catch::Contains("Caseworker visit log"));
    for (const std::string& p : {p1, p2}) {
        CHECK_THAT(p, Catch::Contains("Minutes"));
        CHECK_THAT(p, Catch::Contains("Caseworker"));
        CHECK_THAT(p, Catch::Contains("Location"));
    }
    CHECK_THAT(p1, Catch::Contains("2022-09-20"));
    CHECK_THAT(p2, !Catch::Contains("Caseworker visit log")); // the caption is not repeated, the header row is
    CHECK_THAT(p2, Catch::Contains("2024-09-22"));
}

TEST_CASE("the signature block shows signer, role, credential and signed-at", "[render][compliance]") {
    temp_dir t;
    REQUIRE(run_casedoc("render " + sample("valid/case-plan-youth-consulted.xml") + " -o " + t / "c.pdf").status == 0);
    const std::string s = text(t / "c.pdf");
    for (const char* h : {"Signer", "Role", "Credential", "Signed at"}) CHECK_THAT(s, Catch::Contains(h));
    for (const char* v : {"Mikael Sørensen", "Caseworker", "LBSW", "2024-06-18 16:06", "Renée Château", "Supervisor", "LCSW",
                          "2024-06-19 09:00"})
        CHECK_THAT(s, Catch::Contains(v));
}

TEST_CASE("addenda and late entries are labelled as such", "[render][compliance]") {
    temp_dir t;
    REQUIRE(run_casedoc("render " + sample("valid/visit-late-entry-with-amendment.xml") + " -o " + t / "v.pdf").status == 0);
    const std::string s = text(t / "v.pdf");
    CHECK_THAT(s, Catch::Contains("LATE ENTRY — service on 2024-10-04 16:30, entered on 2024-10-06 18:30"));
    CHECK_THAT(s, Catch::Contains("Caseworker was out sick"));
    CHECK_THAT(s, Catch::Contains("ADDENDUM A-1 — AMENDMENT"));
    CHECK_THAT(s, Catch::Contains("the original note above is unchanged"));
    CHECK_THAT(s, Catch::Contains("Added the school counselor contact"));
}

TEST_CASE("fonts are embedded subsets with a Unicode map, and accents survive text extraction", "[render][fonts]") {
    temp_dir t;
    REQUIRE(run_casedoc("render " + sample("valid/case-record-jose-2024.xml") + " -o " + t / "j.pdf").status == 0);
    REQUIRE(run_casedoc("render " + data("records/visit-long-narrative.xml") + " -o " + t / "z.pdf").status == 0);
    CHECK_THAT(text(t / "j.pdf"), Catch::Contains("José Núñez"));
    CHECK_THAT(text(t / "z.pdf"), Catch::Contains("Zoë"));
    require_tool("pdffonts");
    const auto r = shell("pdffonts " + quote(t / "j.pdf"));
    REQUIRE(r.status == 0);
    std::istringstream ss(r.out);
    std::string line;
    std::getline(ss, line);
    std::getline(ss, line);
    int fonts = 0;
    while (std::getline(ss, line)) {
        ++fonts;
        INFO(line);
        CHECK(std::regex_search(line, std::regex("CID TrueType +Identity-H +yes +yes +yes")));
        CHECK(std::regex_search(line, std::regex("^[A-Z]{6}\\+")));
    }
    CHECK(fonts >= 2);
}

TEST_CASE("document info carries title, author, subject and keywords with the record id, and the SHA-256 of the "
          "source record", "[render][metadata]") {
    temp_dir t;
    const std::string src = sample("valid/visit-late-entry-with-amendment.xml");
    REQUIRE(run_casedoc("render " + src + " -o " + t / "v.pdf").status == 0);
    auto i = info(t / "v.pdf");
    CHECK(i["Title"] == "Caseworker Visit Note N-24-0988-V07");
    CHECK(i["Author"] == "Ngozi Adébáyọ̀");
    CHECK_THAT(i["Subject"], Catch::Contains("N-24-0988-V07") && Catch::Contains("C-1207"));
    CHECK_THAT(i["Keywords"], Catch::Contains("N-24-0988-V07") && Catch::Contains("child_welfare"));
    CHECK_THAT(i["Producer"], Catch::Contains("libharu 2.3.0"));
    CHECK(i["PDF version"] == "1.4");
    const auto sum = shell("sha256sum " + quote(src));
    REQUIRE(sum.status == 0);
    const std::string digest = sum.out.substr(0, 64);
    const auto meta = shell("pdfinfo -meta " + quote(t / "v.pdf"));
    CHECK_THAT(meta.out, Catch::Contains("<casedoc:SourceSHA256>" + digest + "</casedoc:SourceSHA256>"));
    const auto o = objects(t / "v.pdf");
    const std::string info_ref = o["trailer"]["value"]["/Info"];
    CHECK(o["obj:" + info_ref]["value"]["/SourceSHA256"] == "u:" + digest);
}

TEST_CASE("the same record and options give byte-identical PDFs, whatever the number of threads", "[render][determinism]") {
    temp_dir t;
    const std::string in = sample("valid");
    REQUIRE(run_casedoc("render -j 1 " + in + " -o " + t / "a").status == 0);
    REQUIRE(run_casedoc("render -j 2 " + in + " -o " + t / "b/").status == 0);
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(t.path / "a")) {
        ++n;
        INFO(e.path().filename());
        CHECK(read_file(e.path().string()) == read_file((t.path / "b" / e.path().filename()).string()));
    }
    CHECK(n >= 12);
    REQUIRE(run_casedoc("render --draft " + sample("invalid/w1-missing-month.xml") + " -o " + t / "d1.pdf").status == 1);
    REQUIRE(run_casedoc("render --draft " + sample("invalid/w1-missing-month.xml") + " -o " + t / "d2.pdf").status == 1);
    CHECK(read_file(t / "d1.pdf") == read_file(t / "d2.pdf"));
    // Other options give another document (and another document id).
    REQUIRE(run_casedoc("render --profile disclosure " + sample("valid/visit-dap.xml") + " -o " + t / "p.pdf").status == 0);
    CHECK(read_file(t / "p.pdf") != read_file((t.path / "a" / "visit-dap.pdf").string()));
}

TEST_CASE("a failed render leaves no partial file: the target is kept as it was, no temporary is left", "[render][atomic]") {
    temp_dir t;
    { std::ofstream(t / "v.pdf") << "previous file"; }
    const auto r = run_casedoc("render --template-dir " + data("templates/missing-section") + " " + sample("valid/visit-dap.xml") +
                           " -o " + t / "v.pdf");
    CHECK(r.status == 2);
    CHECK(read_file(t / "v.pdf") == "previous file");
    size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(t.path)) ++entries;
    CHECK(entries == 1);
}

TEST_CASE("PDF/A-1b structure: XMP matching the document info, sRGB output intent, deterministic id, CIDSet",
          "[render][pdfa]") {
    temp_dir t;
    REQUIRE(run_casedoc("render " + sample("valid/visit-late-entry-with-amendment.xml") + " -o " + t / "v.pdf").status == 0);
    const auto meta = shell("pdfinfo -meta " + quote(t / "v.pdf")).out;
    CHECK_THAT(meta, Catch::Contains("<pdfaid:part>1</pdfaid:part>") && Catch::Contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    auto i = info(t / "v.pdf");
    CHECK_THAT(meta, Catch::Contains("<rdf:li xml:lang=\"x-default\">" + i["Title"] + "</rdf:li>"));
    CHECK_THAT(meta, Catch::Contains("<rdf:li>" + i["Author"] + "</rdf:li>"));
    CHECK_THAT(meta, Catch::Contains("<rdf:li xml:lang=\"x-default\">" + i["Subject"] + "</rdf:li>"));
    CHECK_THAT(meta, Catch::Contains("<pdf:Keywords>" + i["Keywords"] + "</pdf:Keywords>"));
    CHECK_THAT(meta, Catch::Contains("<pdf:Producer>" + i["Producer"] + "</pdf:Producer>"));
    CHECK_THAT(meta, Catch::Contains("<xmp:CreatorTool>" + i["Creator"] + "</xmp:CreatorTool>"));
    CHECK_THAT(meta, Catch::Contains("pdfaExtension:schemas")); // the casedoc properties are described
    const auto o = objects(t / "v.pdf");
    const std::string info_ref = o["trailer"]["value"]["/Info"];
    const auto& infodict = o["obj:" + info_ref]["value"];
    // Dates come from the record (its latest signature), in the info dictionary and the XMP alike.
    CHECK(infodict["/CreationDate"] == "u:D:20241008092000");
    CHECK(infodict["/ModDate"] == "u:D:20241008092000");
    CHECK_THAT(meta, Catch::Contains("<xmp:CreateDate>2024-10-08T09:20:00</xmp:CreateDate>"));
    CHECK_THAT(meta, Catch::Contains("<xmp:ModifyDate>2024-10-08T09:20:00</xmp:ModifyDate>"));
    // Document id: two equal 16-byte strings.
    const auto& id = o["trailer"]["value"]["/ID"];
    REQUIRE(id.size() == 2);
    CHECK(id[0] == id[1]);
    CHECK(id[0].get<std::string>().size() == 2 + 32);
    // Catalog: unfiltered XMP metadata stream and a GTS_PDFA1 output intent with a 3-component ICC profile.
    const std::string root = o["trailer"]["value"]["/Root"];
    const auto& catalog = o["obj:" + root]["value"];
    const std::string meta_ref = catalog["/Metadata"];
    CHECK(o["obj:" + meta_ref]["stream"]["dict"]["/Subtype"] == "/XML");
    CHECK_FALSE(o["obj:" + meta_ref]["stream"]["dict"].contains("/Filter"));
    const auto& intent = catalog["/OutputIntents"][0];
    CHECK(intent["/S"] == "/GTS_PDFA1");
    CHECK(intent["/OutputConditionIdentifier"] == "u:sRGB IEC61966-2.1");
    const std::string profile = intent["/DestOutputProfile"];
    CHECK(o["obj:" + profile]["stream"]["dict"]["/N"] == 3);
    // Every font descriptor has its font program and a CIDSet.
    int descriptors = 0;
    for (const auto& [key, obj] : o.items()) {
        if (!obj.contains("value") || !obj["value"].is_object() || obj["value"].value("/Type", "") != "/FontDescriptor") continue;
        ++descriptors;
        CHECK(obj["value"].contains("/FontFile2"));
        CHECK(obj["value"].contains("/CIDSet"));
    }
    CHECK(descriptors >= 2);
    // No encryption, no JavaScript, no transparency group.
    CHECK_FALSE(o["trailer"]["value"].contains("/Encrypt"));
}

TEST_CASE("the disclosure profile withholds what the templates mark restricted (minimum necessary)", "[render][profile]") {
    temp_dir t;
    const std::string rec = data("records/visit-part2-identifiers.xml");
    REQUIRE(run_casedoc("render " + rec + " -o " + t / "full.pdf").status == 0);
    const std::string full = text(t / "full.pdf");
    CHECK_THAT(full, Catch::Contains("TX-448812") && Catch::Contains("123-45-6789") && Catch::Contains("2010-07-21"));
    REQUIRE(run_casedoc("render --profile disclosure " + rec + " -o " + t / "d.pdf").status == 0);
    const std::string d = text(t / "d.pdf");
    CHECK_THAT(d, !Catch::Contains("TX-448812"));
    CHECK_THAT(d, !Catch::Contains("123-45-6789"));
    CHECK_THAT(d, !Catch::Contains("2010-07-21"));
    CHECK_THAT(d, Catch::Contains("••••6789") && Catch::Contains("••••8812")); // identifiers: last four only
    CHECK_THAT(d, Catch::Contains("[withheld: minimum necessary]"));            // the birth date
    CHECK_THAT(d, Catch::Contains("Disclosure copy (minimum necessary)"));      // said on every page
    CHECK_THAT(d, Catch::Contains("José Núñez"));                               // the client is still named
    CHECK_THAT(info(t / "d.pdf")["Keywords"], Catch::Contains("profile disclosure"));
    const auto bad = run_casedoc("render --profile everything " + rec + " -o " + t / "x.pdf");
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Catch::Contains("no render profile 'everything'") && Catch::Contains("disclosure"));
    CHECK_FALSE(fs::exists(t / "x.pdf"));
}

TEST_CASE("child welfare contributes its own sections: the visit log and hearings of a case record", "[render][plugin]") {
    temp_dir t;
    REQUIRE(run_casedoc("render " + sample("valid/case-record-jose-2024.xml") + " -o " + t / "j.pdf").status == 0);
    const std::string s = text(t / "j.pdf");
    CHECK_THAT(s, Catch::Contains("Caseworker visit log") && Catch::Contains("Court hearings") && Catch::Contains("Episode events"));
    CHECK_THAT(s, Catch::Contains("Notes, in order of service"));
    CHECK_THAT(s, Catch::Contains("Case Plan — ")); // each note through its own template
}

TEST_CASE("bad input is an error naming the file, exit 2, nothing written", "[render][errors]") {
    temp_dir t;
    SECTION("a template that names a section the record lacks: the template's file and line") {
        const auto r = run_casedoc("render --template-dir " + data("templates/missing-section") + " " + sample("valid/visit-dap.xml") +
                               " -o " + t / "v.pdf");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("missing-section/child_welfare/caseworker-visit.xml:7:5: the record lacks what the "
                                          "template names: section[@code='objective']"));
        CHECK_FALSE(fs::exists(t / "v.pdf"));
    }
    SECTION("an unwritable output path") {
        const auto r = run_casedoc("render " + sample("valid/visit-dap.xml") + " -o /nonexistent-casedoc-dir/v.pdf");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("/nonexistent-casedoc-dir/v.pdf") && Catch::Contains("cannot write"));
        const auto d = run_casedoc("render " + sample("valid") + " -o /proc/casedoc-out");
        CHECK(d.status == 2);
        CHECK_THAT(d.err, Catch::Contains("/proc/casedoc-out"));
    }
    SECTION("a font that cannot be loaded: the template's line and the font file") {
        fs::create_directories(t.path / "tpl" / "common");
        std::string common = read_file(std::string(CASEDOC_SOURCE_DIR) + "/templates/common/common.xml");
        { std::ofstream(t / "not-a-font.ttf") << "this is not a TrueType font\n"; }
        std::string broken = std::regex_replace(common, std::regex("LiberationSans-Bold\\.ttf"), t / "not-a-font.ttf");
        { std::ofstream(t / "tpl/common/common.xml") << broken; }
        auto r = run_casedoc("render --template-dir " + t / "tpl" + " " + sample("valid/visit-dap.xml") + " -o " + t / "v.pdf");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("tpl/common/common.xml:") && Catch::Contains("not-a-font.ttf") &&
                              Catch::Contains("cannot load font"));
        CHECK_FALSE(fs::exists(t / "v.pdf"));
        broken = std::regex_replace(common, std::regex("LiberationSans-Italic\\.ttf"), "NoSuchFont-Italic.ttf");
        { std::ofstream(t / "tpl/common/common.xml") << broken; }
        r = run_casedoc("render --template-dir " + t / "tpl" + " " + sample("valid/visit-dap.xml") + " -o " + t / "v.pdf");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("NoSuchFont-Italic.ttf") && Catch::Contains("no such file"));
    }
    SECTION("a malformed template: its file, line and column") {
        fs::create_directories(t.path / "tpl" / "child_welfare");
        { std::ofstream(t / "tpl/child_welfare/caseworker-visit.xml")
              << "<template xmlns=\"urn:casedoc:template:1\">\n  <body>\n    <sectoin code=\"data\"/>\n  </body>\n</template>\n"; }
        const auto r = run_casedoc("render --template-dir " + t / "tpl" + " " + sample("valid/visit-dap.xml") + " -o " + t / "v.pdf");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("tpl/child_welfare/caseworker-visit.xml:3:5: unknown template element <sectoin>"));
    }
    SECTION("a common template whose footer leaves out the page number is refused") {
        fs::create_directories(t.path / "tpl" / "common");
        const std::string common = read_file(std::string(CASEDOC_SOURCE_DIR) + "/templates/common/common.xml");
        { std::ofstream(t / "tpl/common/common.xml") << std::regex_replace(common, std::regex("Page \\{\\$page\\} of \\{\\$pages\\}"), "Page"); }
        const auto r = run_casedoc("render --template-dir " + t / "tpl" + " " + sample("valid/visit-dap.xml") + " -o " + t / "v.pdf");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("must show {$page}"));
    }
    SECTION("a missing template: the files looked for") {
        // A copy of the program outside the build tree sees only the directories it is given.
        fs::copy_file(CASEDOC_EXE, t / "casedoc");
        fs::create_directories(t.path / "tpl" / "common");
        fs::copy_file(std::string(CASEDOC_SOURCE_DIR) + "/templates/common/common.xml", t / "tpl/common/common.xml");
        const auto r = shell(t / "casedoc" + " render --plugin-dir " + CASEDOC_PLUGIN_BUILD_DIR + " --schema-dir " +
                             CASEDOC_SOURCE_DIR + "/schemas --template-dir " + t / "tpl" + " " + sample("valid/visit-dap.xml") +
                             " -o " + t / "v.pdf");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("no template") && Catch::Contains("tpl/child_welfare/caseworker-visit.xml") &&
                              Catch::Contains("(--template-dir DIR, or --project DIR for a plugin project, adds a directory)"));
        CHECK_FALSE(fs::exists(t / "v.pdf"));
    }
}

TEST_CASE("several records render to a directory, one PDF per record file, in one run", "[render][batch]") {
    temp_dir t;
    const auto r = run_casedoc("render " + sample("valid/visit-dap.xml") + " " + sample("valid/visit-soap.xml") + " " +
                           sample("invalid/x2-unsigned.xml") + " -o " + t / "out");
    CHECK(r.status == 1); // one refused
    CHECK(fs::exists(t / "out/visit-dap.pdf"));
    CHECK(fs::exists(t / "out/visit-soap.pdf"));
    CHECK_FALSE(fs::exists(t / "out/x2-unsigned.pdf"));
    CHECK_THAT(r.err, Catch::Contains("2 rendered") && Catch::Contains("1 refused"));
}

TEST_CASE("every sample record renders: valid ones as final PDFs, invalid ones refused or, with --draft, as drafts",
          "[render][samples]") {
    require_tool("pdftoppm");
    temp_dir t;
    std::set<std::string> built;
    {
        std::istringstream ss(CASEDOC_BUILT_PLUGINS);
        for (std::string id; std::getline(ss, id, ',');)
            if (!id.empty()) built.insert(id);
    }
    REQUIRE(built.count("child_welfare"));
    // One validate, one render and one draft render per sample directory (not per file): under the
    // sanitizers a process start costs seconds, and CI has a time limit.
    size_t rendered = 0;
    for (const std::string& id : built) {
        const fs::path dir = fs::path(CASEDOC_SOURCE_DIR) / "plugins" / id / "samples";
        for (const char* kind : {"valid", "invalid"}) {
            std::error_code ec;
            if (!fs::is_directory(dir / kind, ec)) continue;
            const std::string in = (dir / kind).string();
            const fs::path finals = t / (id + "-" + kind), drafts = t / (id + "-" + kind + "-draft");
            const auto v = run_casedoc("validate --format json " + quote(in));
            REQUIRE(v.status != 2);
            std::map<std::string, int> expected; // record file stem -> validate's status for it
            const auto report = nlohmann::json::parse(v.out);
            for (const auto& rec : report.at("records")) {
                const std::string status = rec["status"];
                expected[fs::path(rec["file"].get<std::string>()).stem().string()] =
                    status == "compliant" ? 0 : status == "not-compliant" ? 1 : 2;
            }
            REQUIRE_FALSE(expected.empty());
            const auto r = run_casedoc("render " + quote(in) + " -o " + quote(finals));
            const auto d = run_casedoc("render --draft " + quote(in) + " -o " + quote(drafts));
            const bool any_refused = std::any_of(expected.begin(), expected.end(), [](const auto& e) { return e.second == 1; });
            CHECK(r.status == (any_refused ? 1 : 0));
            CHECK(d.status == r.status);
            for (const auto& [stem, status] : expected) {
                const fs::path final_pdf = finals / (stem + ".pdf"), draft_pdf = drafts / (stem + ".pdf");
                INFO(in << "/" << stem << ".xml, validate status " << status);
                REQUIRE(status != 2);
                fs::path out = final_pdf;
                if (status == 0) {
                    REQUIRE(fs::exists(final_pdf));
                    CHECK_THAT(text(draft_pdf, 1), !Catch::Contains("DRAFT"));
                } else {
                    CHECK_FALSE(fs::exists(final_pdf));
                    REQUIRE(fs::exists(draft_pdf));
                    CHECK_THAT(text(draft_pdf, 1), Catch::Contains("DRAFT — NOT COMPLIANT"));
                    out = draft_pdf;
                }
                check_qpdf(out);
                const auto png = shell("pdftoppm -r 20 -png " + quote(out) + " " + quote(t / "page"));
                CHECK(png.status == 0);
                CHECK(png.err.empty()); // poppler draws every page without complaint
                for (const auto& p : fs::directory_iterator(t.path))
                    if (p.path().extension() == ".png") fs::remove(p.path());
                ++rendered;
            }
        }
    }
    CHECK(rendered >= 40);
}

TEST_CASE("every document type of every plugin loaded has a template that loads", "[render][template]") {
    const auto r = run_casedoc("plugins --format json");
    REQUIRE(r.status == 0);
    const auto plugins = nlohmann::json::parse(r.out);
    size_t checked = 0;
    for (const auto& p : plugins) {
        const std::string id = p["id"];
        for (const auto& type : p["document_types"]) {
            const fs::path file = fs::path(CASEDOC_SOURCE_DIR) / "templates" / id / (type.get<std::string>() + ".xml");
            INFO(file);
            REQUIRE(fs::is_regular_file(file));
            CHECK_NOTHROW(casedoc::document_template::load(file));
            ++checked;
        }
    }
    CHECK(checked >= 4);
    // The templates of every setting in the tree load, built or not.
    for (const auto& dir : fs::directory_iterator(fs::path(CASEDOC_SOURCE_DIR) / "templates"))
        for (const auto& f : fs::directory_iterator(dir.path())) {
            INFO(f.path());
            CHECK_NOTHROW(casedoc::document_template::load(f.path()));
        }
}
