// Runs the ISO Schematron 2020 conformance suite (72 binding-neutral test cases) through casedoc's
// engine, with --strict (ISO) and without it (as the ISO skeleton accepts schemas: a schema ISO forbids may
// then be accepted, only with a warning). Every case that does not pass must be listed, with its reason, in
// known_failures.txt; a listed case that passes fails the test too, so the list stays true.
// casedoc's own cases (cases/<area>/*.xml, in the suite's format) cover what the suite does not, each naming
// the clause of ISO/IEC 19757-3 it tests. Two attributes of <testcase> are casedoc's: casedoc-strict="true"
// compiles with --strict, casedoc-warnings="N" is the number of schema warnings expected (default 0).
#include <casedoc/base/error.hpp>
#include <casedoc/schematron/schema.hpp>
#include <casedoc/schematron/svrl.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace {

const fs::path suite_dir = CASEDOC_CONFORMANCE_DIR;

// Serialises `el` on its own, carrying the namespace declarations in scope from its ancestors.
std::string standalone(pugi::xml_node el) {
    pugi::xml_document d;
    pugi::xml_node copy = d.append_copy(el);
    for (pugi::xml_node a = el.parent(); a; a = a.parent())
        for (pugi::xml_attribute at : a.attributes()) {
            const std::string n = at.name();
            if ((n == "xmlns" || n.rfind("xmlns:", 0) == 0) && !copy.attribute(n.c_str()))
                copy.append_attribute(n.c_str()).set_value(at.value());
        }
    std::ostringstream ss;
    d.save(ss, "", pugi::format_raw | pugi::format_no_declaration);
    return ss.str();
}

// A document's content: all its child nodes (comments and PIs included), the root element standalone.
std::string document_text(pugi::xml_node doc) {
    std::string out;
    for (pugi::xml_node c : doc.children()) {
        if (c.type() == pugi::node_element) {
            out += standalone(c);
        } else if (c.type() == pugi::node_pi || c.type() == pugi::node_comment) {
            std::ostringstream ss;
            c.print(ss, "", pugi::format_raw);
            out += ss.str();
        }
    }
    return out;
}

struct outcome {
    bool passed = false;
    std::string why;
};

// The schema a case gives for the XPath 1.0 binding: the one with queryBinding="xslt", else the first.
pugi::xml_node xslt_schema(pugi::xml_node schemas) {
    pugi::xml_node first;
    for (pugi::xml_node c : schemas.children()) {
        if (c.type() != pugi::node_element) continue;
        if (!first) first = c;
        if (std::string(c.attribute("queryBinding").value()) == "xslt") return c;
    }
    return first;
}

// `strict`: as --strict; otherwise as the case says (casedoc-strict), and an expected error may be a warning.
outcome run_case(const fs::path& file, bool strict) {
    pugi::xml_document tc;
    if (!tc.load_file(file.c_str(), pugi::parse_default | pugi::parse_pi | pugi::parse_comments))
        return {false, "cannot parse the test case"};
    pugi::xml_node root = tc.document_element();
    const std::string expect = root.attribute("expect").value();
    const std::string phase = root.attribute("phase").value();
    const pugi::xml_node schema_el = xslt_schema(root.child("schemas"));
    strict = strict || root.attribute("casedoc-strict").as_bool();
    const size_t warnings = root.attribute("casedoc-warnings").as_uint(0);
    std::map<std::string, std::string> files;
    std::string instance;
    for (pugi::xml_node d : root.child("documents").children("document")) {
        const std::string name = d.attribute("filename").value();
        files[name] = document_text(d);
        if (instance.empty()) instance = name;
    }
    files["schema.sch"] = standalone(schema_el);
    casedoc::resource_loader loader = [&](const std::string& uri) -> std::optional<std::string> {
        auto it = files.find(uri);
        if (it == files.end()) return std::nullopt;
        return it->second;
    };
    casedoc::schema_options so;
    so.phase = phase;
    so.loader = loader;
    so.strict = strict;
    std::unique_ptr<casedoc::schema> s;
    try {
        s = casedoc::schema::load_text(files["schema.sch"], "schema.sch", so);
    } catch (const casedoc::error& e) {
        if (expect == "error") return {true, {}};
        return {false, std::string("schema rejected: ") + e.what()};
    }
    if (expect == "error") {
        if (!strict && !s->warnings().empty()) return {true, {}}; // accepted as the skeleton does, with a warning
        return {false, "schema accepted, expected an error"};
    }
    if (s->warnings().size() != warnings)
        return {false, std::to_string(s->warnings().size()) + " schema warnings, expected " + std::to_string(warnings) +
                           (s->warnings().empty() ? "" : ": " + s->warnings().front())};
    casedoc::validation_result r;
    try {
        casedoc::xml_document doc = casedoc::xml_document::load_string(files[instance], instance);
        casedoc::validate_options vo;
        vo.svrl = true;
        vo.loader = loader;
        r = s->validate(doc, vo);
    } catch (const std::exception& e) {
        return {false, std::string("validation failed: ") + e.what()};
    }
    bool invalid = false;
    for (const auto& e : r.svrl)
        if (e.type == casedoc::svrl_event::kind::failed_assert || e.type == casedoc::svrl_event::kind::successful_report)
            invalid = true;
    if ((expect == "invalid") != invalid) return {false, "expected " + expect + ", got " + (invalid ? "invalid" : "valid")};
    std::ostringstream svrl;
    casedoc::write_svrl(r, svrl);
    casedoc::xml_document out = casedoc::xml_document::load_string(svrl.str(), "svrl");
    out.canonicalize({{"svrl", casedoc::svrl_ns}});
    for (pugi::xml_node a : root.child("assertions").children("assertion")) {
        const std::string test = a.attribute("assert").value();
        try {
            if (!pugi::xpath_query(test.c_str()).evaluate_boolean(out.dom()))
                return {false, "SVRL assertion false: " + test};
        } catch (const pugi::xpath_exception& e) {
            return {false, "SVRL assertion not evaluable: " + test + ": " + e.what()};
        }
    }
    return {true, {}};
}

// The cases a suite file lists ("2020.xml": binding-neutral; "2020-xslt3.xml": those plus the ones written for
// XSLT 3.0, of which `extra_only` keeps the latter).
std::vector<fs::path> suite_cases(const char* file = "2020.xml", bool extra_only = false) {
    std::vector<fs::path> out;
    for (const auto& area : fs::directory_iterator(suite_dir / "testsuites")) {
        const fs::path suite = area.path() / file;
        if (!fs::exists(suite)) continue;
        pugi::xml_document d;
        d.load_file(suite.c_str());
        for (pugi::xml_node t : d.document_element().children("testcase"))
            out.push_back(fs::weakly_canonical(area.path() / t.attribute("href").value()));
    }
    std::sort(out.begin(), out.end());
    if (extra_only) {
        const auto neutral = suite_cases();
        out.erase(std::remove_if(out.begin(), out.end(),
                                 [&](const fs::path& c) { return std::count(neutral.begin(), neutral.end(), c) > 0; }),
                  out.end());
    }
    return out;
}

std::map<std::string, std::string> known_failures() { // "area/file.xml" -> reason
    std::map<std::string, std::string> known;
    std::ifstream kf(CASEDOC_KNOWN_FAILURES);
    for (std::string line; std::getline(kf, line);) {
        if (line.empty() || line[0] == '#') continue;
        const size_t sep = line.find(' ');
        known[line.substr(0, sep)] = sep == std::string::npos ? "" : line.substr(sep + 1);
    }
    return known;
}

std::string key_of(const fs::path& c) { return c.parent_path().filename().string() + "/" + c.filename().string(); }

} // namespace

TEST_CASE("the ISO Schematron 2020 conformance suite passes except the listed cases", "[schematron][conformance]") {
    REQUIRE(fs::exists(suite_dir));
    const auto cases = suite_cases();
    REQUIRE(cases.size() == 72);
    const auto known = known_failures();
    for (const bool strict : {true, false}) {
        int passed = 0;
        for (const auto& c : cases) {
            const std::string key = key_of(c);
            const outcome o = run_case(c, strict);
            if (o.passed) ++passed;
            INFO(key << (strict ? " (--strict)" : "") << ": " << o.why);
            if (known.count(key)) CHECK_FALSE(o.passed); // listed, so it must still fail
            else CHECK(o.passed);
        }
        std::cout << "ISO Schematron 2020 conformance" << (strict ? " (--strict)" : "") << ": " << passed << " of "
                  << cases.size() << " binding-neutral cases pass\n";
    }
}

// Written for SchXslt2 on XSLT 3.0; those an XPath 1.0 engine can answer (element-content let, xsl:key, variables
// in rule contexts) pass, the rest are listed in known_failures.txt.
TEST_CASE("the suite's XSLT 3.0 cases pass where XPath 1.0 can express them", "[schematron][conformance]") {
    const auto cases = suite_cases("2020-xslt3.xml", true);
    REQUIRE(cases.size() == 10);
    const auto known = known_failures();
    int passed = 0;
    for (const auto& c : cases) {
        const std::string key = key_of(c);
        const outcome o = run_case(c, true);
        if (o.passed) ++passed;
        INFO(key << ": " << o.why);
        if (known.count(key)) CHECK_FALSE(o.passed);
        else CHECK(o.passed);
    }
    std::cout << "ISO Schematron 2020 conformance, XSLT 3.0 cases: " << passed << " of " << cases.size() << " pass\n";
}

TEST_CASE("casedoc's own conformance cases pass, each citing its clause of ISO/IEC 19757-3",
          "[schematron][conformance]") {
    std::vector<fs::path> cases;
    for (const auto& e : fs::recursive_directory_iterator(CASEDOC_OWN_CASES_DIR))
        if (e.path().extension() == ".xml") cases.push_back(e.path());
    std::sort(cases.begin(), cases.end());
    REQUIRE(cases.size() >= 10);
    for (const auto& c : cases) {
        pugi::xml_document d;
        REQUIRE(d.load_file(c.c_str()));
        const std::string label = d.document_element().child_value("label");
        INFO(key_of(c) << ": " << label);
        CHECK(label.find("19757-3") != std::string::npos); // the clause it covers
        const outcome o = run_case(c, false);
        INFO(o.why);
        CHECK(o.passed);
    }
    std::cout << "casedoc conformance cases: " << cases.size() << " run\n";
}
