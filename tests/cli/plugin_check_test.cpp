// `casedoc plugin check` and the templates: every template of the plugin is parsed, a malformed one reported at
// its file:line with the parser's message; every valid sample is rendered in memory, a failure reported per
// sample. The child welfare plugin with a copy of its templates, one of them broken.
#include "cli_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace casedoc_test;

namespace {

// A copy of templates/child_welfare/ in DIR/child_welfare/, its caseworker-visit.xml with `from` replaced by `to`.
struct edited_templates {
    temp_dir dir;
    std::string visit;
    edited_templates(const std::string& from, const std::string& to) {
        fs::create_directories(dir.path / "child_welfare");
        for (const auto& e : fs::directory_iterator(std::string(CASEDOC_SOURCE_DIR) + "/templates/child_welfare"))
            fs::copy_file(e.path(), dir.path / "child_welfare" / e.path().filename());
        visit = (dir.path / "child_welfare" / "caseworker-visit.xml").string();
        std::string text = read_file(visit);
        const size_t at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
        std::ofstream(visit) << text;
    }
    run_result check() const {
        return run("plugin check " + quote(CASEDOC_CHILD_WELFARE_PLUGIN) + " --isolated --schema-dir " +
                   quote(std::string(CASEDOC_SOURCE_DIR) + "/schemas") + " --template-dir " + quote(dir.path.string()) +
                   " --samples " + quote(CASEDOC_SAMPLES));
    }
};

} // namespace

TEST_CASE("plugin check passes with the plugin's own templates, rendering every valid sample",
          "[cli][plugin-check][templates]") {
    const edited_templates copy("<body>", "<body>"); // unchanged
    const auto r = copy.check();
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("ok    every document type has a template, and every template parses\n"));
    CHECK_THAT(r.out, Catch::Matches("[\\s\\S]*\nok    ([1-9][0-9]*) of \\1 valid samples render as PDF \\(casedoc render, "
                                     "in memory\\)\n[\\s\\S]*"));
}

TEST_CASE("plugin check reports a malformed template at its file and line with the parser's message: exit 1",
          "[cli][plugin-check][templates]") {
    // An element left open: the XML parser stops at the closing tag that does not match.
    const edited_templates broken("    <sections/>\n", "    <sections>\n");
    const auto r = broken.check();
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("FAIL  every document type has a template, and every template parses\n        " +
                                      broken.visit + ":21:"));
    CHECK_THAT(r.out, Catch::Contains("note  valid samples not rendered: a template is missing or does not parse (above)"));
    CHECK(count(r.out, broken.visit) == 1);
    CHECK_THAT(r.out, Catch::Contains("plugin check FAILED"));
}

TEST_CASE("plugin check renders every valid sample and reports each one that does not render: exit 1",
          "[cli][plugin-check][templates][render]") {
    // Parses, but names an element no caseworker visit has: every valid sample holding a visit fails to render.
    const edited_templates broken("    <sections/>\n", "    <sections/>\n    <text select=\"visit/no-such-thing\" label=\"X\"/>\n");
    const auto r = broken.check();
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("ok    every document type has a template, and every template parses\n"));
    CHECK_THAT(r.out, Catch::Contains("valid samples render as PDF (casedoc render, in memory)\n        " + sample("valid/")));
    CHECK_THAT(r.out, Catch::Contains(sample("valid/visit-dap.xml") + ": not rendered: " + broken.visit + ":19:"));
    CHECK(count(r.out, ": not rendered: ") >= 4); // the visit notes, and the case records that hold visits
}
