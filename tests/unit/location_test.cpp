#include <casedoc/base/location_path.hpp>
#include <casedoc/schematron/schema.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace casedoc;

namespace {

// An element nested `depth` deep, one start tag a line: deeper than a recursive walk of 200-byte frames could go
// on an 8 MiB stack.
std::string nested(size_t depth) {
    std::string s = "<r:e xmlns:r='urn:casedoc:record:1'>\n";
    for (size_t i = 1; i < depth; ++i) s += "<r:e>\n";
    for (size_t i = 0; i < depth; ++i) s += "</r:e>";
    return s;
}

std::string repeated(const std::string& step, size_t times) {
    std::string s;
    for (size_t i = 0; i < times; ++i) s += "/" + step;
    return s;
}

const char* every_element_fails = "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>"
                                  "<sch:ns prefix='r' uri='urn:casedoc:record:1'/><sch:pattern id='p'>"
                                  "<sch:rule context='r:e'><sch:assert id='E' test='@ok'>no ok</sch:assert></sch:rule>"
                                  "</sch:pattern></sch:schema>";

} // namespace

TEST_CASE("a location path is made from the steps its document's paths share", "[xml][location]") {
    auto tree = std::make_shared<location_tree>();
    const uint32_t a = tree->add(0, "r:a[1]");
    const uint32_t b = tree->add(a, "r:b[2]");
    CHECK(location_path(tree, b).str() == "/r:a[1]/r:b[2]");
    CHECK(location_path(tree, b, "/@id") == "/r:a[1]/r:b[2]/@id");
    CHECK(location_path(tree, 0).str() == "/");
    CHECK(location_path(std::string("/x[1]")) == "/x[1]");
    CHECK(location_path().empty());
    CHECK(location_path().str().empty());
}

TEST_CASE("a step's position counts the preceding siblings of its own kind and name", "[xml][location]") {
    xml_document d = xml_document::load_string(
        "<r:a xmlns:r='urn:casedoc:record:1'>t<r:b/><r:c/><!--x--><r:b/>u<?p?><r:c/><?q?><?p?><r:b k='1'/></r:a>",
        "t.xml");
    d.canonicalize({{"r", "urn:casedoc:record:1"}});
    const pugi::xml_node a = d.root();
    auto path = [&](const char* xpath) { return d.locate(a.select_node(xpath)).path.str(); };
    CHECK(path("r:b[3]") == "/r:a[1]/r:b[3]");
    CHECK(path("r:c[2]") == "/r:a[1]/r:c[2]");
    CHECK(path("text()[2]") == "/r:a[1]/text()[2]");
    CHECK(path("comment()") == "/r:a[1]/comment()[1]");
    CHECK(path("processing-instruction('p')[2]") == "/r:a[1]/processing-instruction('p')[2]");
    CHECK(path("r:b[3]/@k") == "/r:a[1]/r:b[3]/@k");
    CHECK(d.locate(pugi::xpath_node(d.dom())).path == "/");
}

TEST_CASE("a document renamed after it was located is located with its new names", "[xml][location]") {
    xml_document d = xml_document::load_string("<a xmlns='urn:one'><b/></a>", "t.xml");
    const pugi::xml_node b = d.root().first_child();
    CHECK(d.locate(pugi::xpath_node(b)).path ==
          "/*[local-name()='a'][namespace-uri()='urn:one'][1]/*[local-name()='b'][namespace-uri()='urn:one'][1]");
    d.canonicalize({{"o", "urn:one"}});
    CHECK(d.locate(pugi::xpath_node(d.root().first_child())).path == "/o:a[1]/o:b[1]");
}

TEST_CASE("a path outlives the document it was made from", "[xml][location]") {
    location_path p;
    {
        xml_document d = xml_document::load_string("<a><b/><b/></a>", "t.xml");
        p = d.locate(pugi::xpath_node(d.root().last_child())).path;
    }
    CHECK(p == "/a[1]/b[2]");
}

TEST_CASE("a document nested 200,000 deep is validated and located without exhausting the stack",
          "[xml][location][schema]") {
    const size_t depth = 200000;
    auto s = schema::load_text(every_element_fails, "t.sch");
    xml_document d = xml_document::load_string(nested(depth), "deep.xml");
    const validation_result r = s->validate(d);
    REQUIRE(r.findings.size() == depth);
    const finding& deepest = r.findings.back();
    CHECK(deepest.where.line == depth);
    CHECK(deepest.where.column == 1);
    CHECK(deepest.where.path == repeated("r:e[1]", depth));
    CHECK(r.findings.front().where.path == "/r:e[1]");
}
