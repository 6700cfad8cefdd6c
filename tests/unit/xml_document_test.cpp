#include <casedoc/base/error.hpp>
#include <casedoc/xml/record.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace casedoc;

namespace {
const char* record = "<?xml version=\"1.0\"?>\n"
                     "<note xmlns=\"urn:casedoc:record:1\" format-version=\"1.0\" setting=\"child_welfare\"\n"
                     "      type=\"caseworker-visit\" id=\"N-1\" service-at=\"2024-03-05T10:00\">\n"
                     "  <author id=\"u1\"/>\n"
                     "</note>\n";
}

TEST_CASE("elements and attributes keep their line and column after canonicalisation", "[xml]") {
    xml_document d = xml_document::load_string(record, "n.xml");
    d.canonicalize({{"r", "urn:casedoc:record:1"}});
    const pugi::xml_node author = d.root().child("r:author");
    REQUIRE(author);
    CHECK(d.line_column(author) == std::pair<unsigned, unsigned>{4, 3});
    CHECK(d.line_column(d.root().attribute("service-at"), d.root()) == std::pair<unsigned, unsigned>{3, 40});
    const auto loc = d.locate(pugi::xpath_node(author.attribute("id"), author));
    CHECK(loc.path == "/r:note[1]/r:author[1]/@id");
    CHECK(loc.line == 4);
}

TEST_CASE("prefixes follow the schema's bindings whatever the document uses", "[xml]") {
    xml_document d = xml_document::load_string("<x:a xmlns:x=\"urn:one\"><b xmlns=\"urn:two\"/><c/></x:a>", "t.xml");
    d.canonicalize({{"one", "urn:one"}});
    CHECK(std::string(d.root().name()) == "one:a");
    CHECK(d.namespace_of(d.root().first_child()) == "urn:two");
    CHECK(std::string(d.root().last_child().name()) == "c");
    CHECK(pugi::xpath_query("count(/one:a/c)").evaluate_number(d.dom()) == 1);
}

TEST_CASE("a default namespace redeclared on a child applies to its subtree only", "[xml]") {
    xml_document d = xml_document::load_string(
        "<a xmlns=\"urn:one\"><b xmlns=\"urn:two\"><c/></b><d/><e xmlns=\"\"/><f/></a>", "t.xml");
    d.canonicalize({{"one", "urn:one"}, {"two", "urn:two"}});
    CHECK(pugi::xpath_query("count(/one:a/two:b/two:c)").evaluate_number(d.dom()) == 1);
    CHECK(pugi::xpath_query("count(/one:a/one:d)").evaluate_number(d.dom()) == 1);
    CHECK(pugi::xpath_query("count(/one:a/e)").evaluate_number(d.dom()) == 1);
    CHECK(pugi::xpath_query("count(/one:a/one:f)").evaluate_number(d.dom()) == 1);
    // Renamed elements still point into the source.
    CHECK(d.line_column(d.root().child("one:d")) == std::pair<unsigned, unsigned>{1, 47});
}

TEST_CASE("binding the empty prefix keeps a default namespace's elements unprefixed", "[xml]") {
    xml_document d = xml_document::load_string(
        "<a xmlns=\"urn:one\" xmlns:o=\"urn:one\">\n <b o:k=\"1\"/>\n <c xmlns=\"\"/>\n <x:d xmlns:x=\"urn:one\"/></a>", "t.xml");
    d.canonicalize({{"", "urn:one"}, {"one", "urn:one"}});
    CHECK(std::string(d.root().name()) == "a");
    const pugi::xml_node b = d.root().first_child();
    CHECK(std::string(b.name()) == "b");
    CHECK(std::string(b.first_attribute().name()) == "one:k"); // attributes need a prefix
    const pugi::xml_node c = b.next_sibling();
    CHECK(std::string(c.name()) == "ns1:c"); // no namespace, while the default is bound
    CHECK(d.namespace_of(c).empty());
    CHECK(d.namespace_of(b) == "urn:one");
    const pugi::xml_node dd = c.next_sibling();
    CHECK(std::string(dd.name()) == "d");
    CHECK(d.line_column(dd) == std::pair<unsigned, unsigned>{4, 2}); // renamed, still located
    CHECK(std::string(d.root().attribute("xmlns").value()) == "urn:one");
    // Findings name the elements with the namespace's other prefix.
    CHECK(d.display_name(b) == "one:b");
    CHECK(d.locate(pugi::xpath_node(b)).path == "/one:a[1]/one:b[1]");
    CHECK(d.locate(pugi::xpath_node(b)).element == "one:b");
    CHECK(d.locate(pugi::xpath_node(c)).path == "/one:a[1]/c[1]");
    CHECK(pugi::xpath_query("count(/a/b[@one:k]) + count(/a/ns1:c) + count(/a/d)").evaluate_number(d.dom()) == 3);
}

TEST_CASE("a record in its default namespace comes out as the full walk would make it", "[xml]") {
    // The same record read from the text alone, and with a comment that sends it through the walk.
    const std::string body = "<a xmlns=\"urn:one\" id=\"1\">\n <b k=\"x>y\"><c/></b>\n <d xml:lang=\"en\"/></a>";
    const std::string plain = "<a xmlns=\"urn:one\" id=\"1\">\n <b k=\"x>y\"><c/></b>\n <d/></a>";
    auto canonical = [](const std::string& text) {
        xml_document d = xml_document::load_string(text, "t.xml");
        d.canonicalize({{"", "urn:one"}, {"one", "urn:one"}, {"two", "urn:two"}});
        std::ostringstream out;
        d.dom().save(out, "", pugi::format_raw);
        return std::make_pair(out.str(), d.locate(pugi::xpath_node(d.root().first_child().first_child())));
    };
    const auto fast = canonical(plain);
    const auto walked = canonical(plain + "<!-- xmlns -->");
    CHECK(fast.first + "<!-- xmlns -->" == walked.first);
    CHECK(fast.first == "<?xml version=\"1.0\"?><a xmlns=\"urn:one\" xmlns:one=\"urn:one\" xmlns:two=\"urn:two\" id=\"1\">"
                        "<b k=\"x>y\"><c/></b><d/></a>");
    CHECK(fast.second.path == "/one:a[1]/one:b[1]/one:c[1]");
    CHECK(fast.second.line == 2);
    CHECK(fast.second.path == walked.second.path);
    CHECK(fast.second.line == walked.second.line);
    // xml:lang needs no declaration and is kept.
    const auto with_lang = canonical(body);
    CHECK_THAT(with_lang.first, Catch::Contains("<d xml:lang=\"en\"/>"));
}

// pugixml parses the bytes read in place, rewriting them (a name's end, an attribute's line breaks); lines and
// columns are counted in the text as it was read. A file whose size is not known in advance (a pipe) is read
// to its end.
TEST_CASE("a file read from disk or from a pipe keeps its text as read, for lines and columns", "[xml]") {
    const std::string text = "<a x=\"one\ntwo\"\n   y='&amp;'>\n <b/></a>\n";
    const auto dir = std::filesystem::temp_directory_path() / ("casedoc-xml-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "a.xml", pipe = dir / "pipe.xml";
    std::ofstream(file, std::ios::binary) << text;
    REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);
    std::thread writer([&] { std::ofstream(pipe, std::ios::binary) << text; });
    const xml_document from_pipe = xml_document::load_file(pipe);
    writer.join();
    const xml_document from_file = xml_document::load_file(file);
    for (const xml_document* d : {&from_pipe, &from_file}) {
        CHECK(d->source() == text);
        const pugi::xml_node b = d->root().child("b");
        CHECK(d->line_column(b) == std::pair<unsigned, unsigned>{4, 2});
        CHECK(d->line_column(d->root().attribute("y"), d->root()) == std::pair<unsigned, unsigned>{3, 4});
        CHECK(std::string(d->root().attribute("x").value()) == "one two");
        CHECK(std::string(d->root().attribute("y").value()) == "&");
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("malformed XML names the file, line and column", "[xml]") {
    try {
        xml_document::load_string("<a>\n  <b>\n</a>", "bad.xml");
        FAIL("no error");
    } catch (const error& e) {
        CHECK(e.file() == "bad.xml");
        CHECK(e.line() == 3);
        CHECK_THAT(std::string(e.what()), Catch::StartsWith("bad.xml:3:"));
    }
}

TEST_CASE("a namespace prefix that is not declared is malformed XML, at its line and column", "[xml]") {
    auto error_of = [](const std::string& text) -> std::string {
        try {
            xml_document::load_string(text, "ns.xml");
        } catch (const error& e) {
            return e.what();
        }
        return "";
    };
    // An element's prefix, declared nowhere.
    CHECK(error_of("<a xmlns='urn:a'>\n  <x:b/>\n</a>") ==
          "ns.xml:2:3: malformed XML: namespace prefix 'x' is not declared");
    // An attribute's prefix; an end tag's prefix is its start tag's.
    CHECK(error_of("<a xmlns='urn:a'>\n  <b c='1'\n     xsi:type='t'>v</b>\n</a>") ==
          "ns.xml:3:6: malformed XML: namespace prefix 'xsi' is not declared");
    // Declared on a sibling, so not in scope here.
    CHECK(error_of("<a><b xmlns:p='urn:p'><p:c/></b><p:d/></a>") ==
          "ns.xml:1:33: malformed XML: namespace prefix 'p' is not declared");
    // Declared on the element itself, on an ancestor, or xml (always declared): well-formed.
    CHECK(error_of("<p:a xmlns:p='urn:p' p:at='1'><b><p:c xml:lang='en'/></b></p:a>").empty());
    CHECK(error_of("<a xmlns='urn:a' xmlns:q='urn:q'><b q:at='1'><q:c/></b></a>").empty());
    // Colons that are not in names: times, text, a comment and CDATA that only look like names.
    CHECK(error_of("<a at='2024-06-18T13:00:00+05:00'>Note: x:y = 2 <!-- <x:y/> z:w='1' --><![CDATA[<k:l/>]]></a>")
              .empty());
}

TEST_CASE("record info reads setting, type, id and service date", "[record]") {
    xml_document d = xml_document::load_string(record, "n.xml");
    const record_info i = read_record_info(d);
    CHECK(i.setting == "child_welfare");
    CHECK(i.type == "caseworker-visit");
    CHECK(i.id == "N-1");
    CHECK_FALSE(i.case_record);
    xml_document other = xml_document::load_string("<note/>", "o.xml");
    CHECK_THROWS_AS(read_record_info(other), error);
}
