#include <casedoc/base/error.hpp>
#include <casedoc/schematron/schema.hpp>

#include "xpath_rewrite.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

using namespace casedoc;

namespace {
std::unique_ptr<schema> compile(const std::string& body, schema_options o = {}) {
    return schema::load_text("<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' "
                             "xmlns:cd='urn:casedoc:schema:1'><sch:ns prefix='r' uri='urn:casedoc:record:1'/>" +
                                 body + "</sch:schema>",
                             "t.sch", o);
}
validation_result run(schema& s, const std::string& xml) {
    xml_document d = xml_document::load_string(xml, "d.xml");
    return s.validate(d);
}
} // namespace

TEST_CASE("simple match patterns need no XPath at all, and others become self-axis tests", "[schema][pattern]") {
    CHECK(detail::translate_pattern_alternative("r:note").matcher.empty());
    CHECK(detail::translate_pattern_alternative("r:notes/r:note").matcher == "boolean(self::r:note[parent::r:notes])");
    CHECK(detail::translate_pattern_alternative("/r:a//r:b[@x]").matcher ==
          "boolean(self::r:b[@x][ancestor::r:a[parent::node()[not(parent::node())]]])");
    CHECK_THAT(detail::translate_pattern_alternative("r:note[1]").matcher, Catch::Contains("count("));
}

TEST_CASE("element names of one prefix are rewritten unprefixed, and nothing else is", "[schema][namespaces]") {
    auto un = [](const char* x) { return detail::unprefix_element_names(x, "r"); };
    CHECK(un("r:note[r:author/@id = $r:x]/r:signature") == "note[author/@id = $r:x]/signature");
    CHECK(un("@r:kind | attribute::r:kind | namespace::r") == "@r:kind | attribute::r:kind | namespace::r");
    CHECK(un("child::r:a/descendant-or-self::r:b/..") == "child::a/descendant-or-self::b/..");
    CHECK(un("count(r:a) * 2 div 3 mod 1 and r:b or r:c") == "count(a) * 2 div 3 mod 1 and b or c");
    CHECK(un("r:a[. = 'r:b' or . = \"r:c\"]") == "a[. = 'r:b' or . = \"r:c\"]");
    CHECK(un("x:a/r:b/*/@*/text()/node()") == "x:a/b/*/@*/text()/node()");
    CHECK(un("ancestor::r:a[1]/following-sibling::r:b[last()]") == "ancestor::a[1]/following-sibling::b[last()]");
    CHECK(un("1.5 * .5 - r:a") == "1.5 * .5 - a");
    // Not expressible for a default namespace: an element in no namespace, and r:*.
    CHECK_FALSE(un("r:a/b"));
    CHECK_FALSE(un("self::b"));
    CHECK_FALSE(un("r:a/r:*"));
    CHECK_FALSE(un("name() = 'r:a'"));
    CHECK(un("local-name() = 'a'") == "local-name() = 'a'");
}

TEST_CASE("a document in a default namespace gives what the same document with prefixes gives", "[schema][namespaces]") {
    const std::string body =
        "<sch:pattern id='p'><sch:rule context='r:notes/r:note[@k]'>"
        "<sch:let name='n' value='count(../r:note)'/>"
        "<sch:assert id='signed' test='r:sig[@by = ../r:author/@id]'><sch:name/> of <sch:value-of select='$n'/> "
        "needs <sch:name path='r:author/@id'/>'s signature</sch:assert>"
        "</sch:rule><sch:rule context='r:note'><sch:report id='plain' test='@r:flag'>flagged</sch:report>"
        "</sch:rule></sch:pattern>";
    const std::string plain = "<rec xmlns='urn:casedoc:record:1' xmlns:q='urn:casedoc:record:1'><notes>"
                              "<note k='1'><author id='a'/><sig by='b'/></note>\n<note q:flag='1'/></notes></rec>";
    const std::string prefixed = "<p:rec xmlns:p='urn:casedoc:record:1'><p:notes>"
                                 "<p:note k='1'><p:author id='a'/><p:sig by='b'/></p:note>\n<p:note p:flag='1'/></p:notes></p:rec>";
    auto s = compile(body);
    const auto a = run(*s, plain), b = run(*s, prefixed);
    REQUIRE(a.findings.size() == 2);
    REQUIRE(b.findings.size() == 2);
    for (size_t i = 0; i < 2; ++i) {
        CHECK(a.findings[i].rule_id == b.findings[i].rule_id);
        CHECK(a.findings[i].message == b.findings[i].message);
        CHECK(a.findings[i].where.path == b.findings[i].where.path);
        CHECK(a.findings[i].where.element == b.findings[i].where.element);
    }
    CHECK(a.findings[0].message == "r:note of 2 needs a's signature");
    CHECK(a.findings[0].where.path == "/r:rec[1]/r:notes[1]/r:note[1]");
    CHECK(a.findings[0].where.line == 1);
    CHECK(a.findings[1].rule_id == "plain");
    CHECK(a.findings[1].where.line == 2);
    CHECK(a.namespaces == b.namespaces);
    // The default-namespace document was checked as it is (its elements were not renamed); the prefixed one was
    // renamed to that.
    xml_document d = xml_document::load_string(plain, "d.xml");
    s->validate(d);
    CHECK(std::string(d.root().name()) == "rec");
    xml_document e = xml_document::load_string(prefixed, "e.xml");
    s->validate(e);
    CHECK(std::string(e.root().name()) == "rec");
}

TEST_CASE("a schema that names elements in no namespace still sees a default-namespace document rightly",
          "[schema][namespaces]") {
    // 'b' is an element in no namespace: the document's b is not one, e is.
    auto s = compile("<sch:pattern><sch:rule context='r:*'><sch:report id='any' test='b or e'>"
                     "<sch:name/></sch:report></sch:rule></sch:pattern>");
    const auto r = run(*s, "<a xmlns='urn:casedoc:record:1'><b/><c><e xmlns=''/></c></a>");
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].message == "r:c");
    xml_document d = xml_document::load_string("<a xmlns='urn:casedoc:record:1'/>", "d.xml");
    s->validate(d);
    CHECK(std::string(d.root().name()) == "r:a"); // renamed: the schema's r:* has no unprefixed form
}

TEST_CASE("the first matching rule of a pattern wins, and patterns are independent", "[schema]") {
    auto s = compile("<sch:pattern id='p'><sch:rule context='r:n[@k]'><sch:report id='first' test='true()'/></sch:rule>"
                     "<sch:rule context='r:n'><sch:report id='second' test='true()'/></sch:rule></sch:pattern>");
    const auto r = run(*s, "<a xmlns='urn:casedoc:record:1'><n k='1'/><n/></a>");
    REQUIRE(r.findings.size() == 2);
    CHECK(r.findings[0].rule_id == "first");
    CHECK(r.findings[1].rule_id == "second");
}

TEST_CASE("current() in a predicate is the rule's context node", "[schema]") {
    auto s = compile("<sch:pattern><sch:rule context='r:ref'>"
                     "<sch:assert id='target' test='//r:item[@id = current()/@to]'>dangling</sch:assert>"
                     "</sch:rule></sch:pattern>");
    const auto r = run(*s, "<a xmlns='urn:casedoc:record:1'><item id='x'/><ref to='x'/><ref to='y'/></a>");
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].where.path == "/r:a[1]/r:ref[2]");
}

// A node-set let the direct evaluator answers is held as places in the document's view; pugixml, which
// evaluates what the direct evaluator does not ($v[last()], messages), must still see each rule firing's nodes.
TEST_CASE("a node-set let reads the same to the direct evaluator, to pugixml and to messages", "[schema][let]") {
    auto s = compile("<sch:pattern><sch:rule context='r:note'>"
                     "<sch:let name='sigs' value=\"r:signature[@signer = 'a']\"/>"
                     "<sch:let name='first' value='$sigs[1]'/>"
                     "<sch:let name='n' value='count($sigs)'/>"
                     "<sch:report id='held' test=\"$sigs[last()]/@at != '' and count($first) = 1\">"
                     "<sch:value-of select='$n'/>/<sch:value-of select='count($sigs)'/> from "
                     "<sch:value-of select='$first/@at'/> to <sch:value-of select='$sigs[last()]/@at'/></sch:report>"
                     "<sch:assert id='direct' test='$sigs/@at'>none</sch:assert>"
                     "</sch:rule></sch:pattern>");
    const std::string first = "<a xmlns='urn:casedoc:record:1'>"
                              "<note><signature signer='a' at='1'/><signature signer='b' at='x'/>"
                              "<signature signer='a' at='2'/></note>"
                              "<note><signature signer='a' at='3'/></note><note/></a>";
    for (int pass = 0; pass < 2; ++pass) { // a second document: nothing of the first is held over
        const std::string second =
            "<a xmlns='urn:casedoc:record:1'><note/><note><signature signer='a' at='4'/></note></a>";
        const auto r = run(*s, pass == 0 ? first : second);
        std::vector<std::string> got;
        for (const finding& f : r.findings) got.push_back(f.rule_id + ": " + f.message);
        if (pass == 0)
            CHECK(got == std::vector<std::string>{"held: 2/2 from 1 to 2", "held: 1/1 from 3 to 3", "direct: none"});
        else
            CHECK(got == std::vector<std::string>{"direct: none", "held: 1/1 from 4 to 4"});
    }
}

TEST_CASE("schema-level lets are parameters an agency can override", "[schema][policy]") {
    const std::string body = "<sch:let name='limit' value='3'/><sch:pattern><sch:rule context='r:a'>"
                             "<sch:assert id='few' test='count(r:b) &lt;= $limit'>at most <sch:value-of "
                             "select='$limit'/></sch:assert></sch:rule></sch:pattern>";
    const std::string doc = "<a xmlns='urn:casedoc:record:1'><b/><b/></a>";
    CHECK(run(*compile(body), doc).findings.empty());
    schema_options o;
    o.params["limit"] = "1";
    auto strict = compile(body, o);
    const auto r = run(*strict, doc);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].message == "at most 1");
    CHECK(strict->param("limit") == "1");
}

TEST_CASE("a deadline extension element reports the computed dates in its message", "[schema][deadline]") {
    auto s = compile("<sch:pattern><sch:rule context='r:c'><cd:deadline id='D' citation='cite' within='10' "
                     "anchor='@start' target='@done'>Late.</cd:deadline></sch:rule></sch:pattern>");
    const auto r = run(*s, "<c xmlns='urn:casedoc:record:1' start='2024-01-01' done='2024-01-15'/>");
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].citation == "cite");
    CHECK_THAT(r.findings[0].message, Catch::StartsWith("Late. (within 10 calendar days of 2024-01-01: due 2024-01-11"));
}

TEST_CASE("a bad XPath is a schema error naming the file, line and rule", "[schema][errors]") {
    try {
        compile("<sch:pattern><sch:rule context='r:a'>\n<sch:assert id='bad' test='count('/></sch:rule></sch:pattern>");
        FAIL("no error");
    } catch (const error& e) {
        CHECK(e.file() == "t.sch");
        CHECK(e.line() == 2);
        CHECK_THAT(std::string(e.what()), Catch::Contains("rule 'bad'"));
        CHECK_THAT(std::string(e.what()), Catch::Contains("XPath error"));
    }
    CHECK_THROWS_AS(compile("<sch:pattern><sch:rule context='r:a'><sch:assert test='$nope'/></sch:rule></sch:pattern>"),
                    error);
}

TEST_CASE("a rule's title is its cd:title, else its message's first sentence with values shown as …", "[schema][title]") {
    auto s = compile("<sch:pattern><sch:rule context='r:note'>"
                     "<sch:assert id='named' cd:title='Note signed by its author' test='r:signature'>The note is not "
                     "signed (by <sch:value-of select='@author'/>). Sign it.</sch:assert>"
                     "<sch:assert id='derived' test='@at'>The note needs <sch:value-of select='@kind'/> time. "
                     "See policy.</sch:assert>"
                     "<cd:deadline id='timely' title='  Entered within\n 24 hours ' within='24' unit='hours' "
                     "anchor='@at' target='@entered'>late</cd:deadline>"
                     "</sch:rule></sch:pattern>");
    std::map<std::string, std::string> titles;
    for (const rule_info& r : s->rules()) titles[r.id] = r.title;
    CHECK(titles.at("named") == "Note signed by its author");
    CHECK(titles.at("derived") == "The note needs … time");
    CHECK(titles.at("timely") == "Entered within 24 hours");
}

// casedoc's own schemas/common, found last, is where the program finds it (tests/cli/schema_lint_test.cpp).
TEST_CASE("an include's casedoc: name is looked up in the search path, then for common/ in casedoc's own schemas",
          "[schema][include]") {
    const std::string lets =
        "<sch:let name='note-sign-hours' value='72'/><sch:let name='late-entry-hours' value='24'/>";
    auto ids = [](const schema& s) {
        std::vector<std::string> out;
        for (const rule_info& r : s.rules()) out.push_back(r.id);
        return out;
    };
    SECTION("a folder of the search path first") {
        const std::filesystem::path dir = std::filesystem::temp_directory_path() / "casedoc-unit-search-path";
        std::filesystem::create_directories(dir / "common");
        std::ofstream(dir / "common" / "notes.sch")
            << "<sch:pattern xmlns:sch='http://purl.oclc.org/dsdl/schematron'><sch:rule context='r:note'>"
               "<sch:assert id='LOCAL' test='true()'>m</sch:assert></sch:rule></sch:pattern>";
        schema_options o;
        o.search_path = {dir};
        const auto s = compile("<sch:include href='casedoc:common/notes.sch'/>", o);
        CHECK(ids(*s) == std::vector<std::string>{"LOCAL"});
        std::filesystem::remove_all(dir);
    }
    SECTION("outside common/, only the search path; a name found nowhere is a schema error at the include") {
        try {
            compile(lets + "<sch:include href='casedoc:hospital/hospital-2019.sch'/>");
            FAIL("no error");
        } catch (const error& e) {
            CHECK(e.file() == "t.sch");
            CHECK_THAT(e.message(), Catch::Contains("cannot find the schema 'casedoc:hospital/hospital-2019.sch'") &&
                                        Catch::Contains("(looked in no schema directory)"));
        }
    }
}

TEST_CASE("validation past its deadline stops with an error naming the document", "[schema][timeout]") {
    auto s = compile("<sch:pattern id='p'><sch:rule context='r:e'><sch:assert id='a' test='@k'>no k</sch:assert>"
                     "</sch:rule></sch:pattern>");
    std::string xml = "<r:a xmlns:r='urn:casedoc:record:1'>";
    for (int i = 0; i < 100; ++i) xml += "<r:e/>";
    xml += "</r:a>";
    xml_document d = xml_document::load_string(xml, "d.xml");
    validate_options o;
    o.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    CHECK_THROWS_WITH(s->validate(d, o), Catch::Contains("d.xml") && Catch::Contains("time allowed per record"));
    o.deadline = std::chrono::steady_clock::now() + std::chrono::hours(1);
    CHECK(s->validate(d, o).findings.size() == 100); // and the schema is usable after a stopped validation
}

TEST_CASE("one compiled schema validates on several threads at once as it does on one", "[schema][threads]") {
    // Lets of each kind (a node-set held as places, a string from each context, a number), an expression only
    // pugixml evaluates, current(), and messages with values: each thread's variables are its own.
    auto s = compile("<sch:let name='notes' value='//r:note'/>"
                     "<sch:pattern id='p'><sch:let name='n' value='count($notes)'/>"
                     "<sch:rule id='note' context='r:note'><sch:let name='who' value='string(@author)'/>"
                     "<sch:assert id='signed' test='@signed = \"yes\"'>note by <sch:value-of select='$who'/>"
                     " of <sch:value-of select='$n'/> is unsigned</sch:assert>"
                     "<sch:assert id='author' test='//r:worker[@id = current()/@author]'>no worker "
                     "<sch:value-of select='$who'/></sch:assert>"
                     "<sch:assert id='words' test='string-length(substring-before(concat(@text, \" \"), \" \")) &lt; 6'>"
                     "first word of <sch:value-of select='$who'/> too long</sch:assert>"
                     "<sch:report id='many' test='count($notes[@author = $who]) &gt; 2'>"
                     "<sch:value-of select='$who'/> wrote many</sch:report></sch:rule></sch:pattern>");
    const auto document = [](unsigned notes, unsigned seed) {
        std::string x = "<rec xmlns='urn:casedoc:record:1'><worker id='w0'/><worker id='w1'/>";
        for (unsigned i = 0; i < notes; ++i)
            x += "<note author='w" + std::to_string((i * seed) % 4) + "' signed='" + (i % 3 ? "yes" : "no") +
                 "' text='" + std::string(1 + (i + seed) % 9, 'a') + " b'/>";
        return x + "</rec>";
    };
    const std::vector<std::string> docs = {document(7, 1), document(12, 3), document(3, 2), document(20, 5)};
    const auto summary = [](const validation_result& r) {
        std::string out;
        for (const finding& f : r.findings) out += f.rule_id + ' ' + f.where.path.str() + ' ' + f.message + '\n';
        return out;
    };
    std::vector<std::string> want;
    for (const std::string& d : docs) want.push_back(summary(run(*s, d)));
    REQUIRE(want[3].find("wrote many") != std::string::npos);
    REQUIRE(want[0] != want[1]);

    const schema& shared = *s;
    std::vector<std::string> mismatches(4);
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (unsigned i = 0; i < 200; ++i) {
                const size_t k = (i + t) % docs.size();
                xml_document d = xml_document::load_string(docs[k], "d.xml");
                if (summary(shared.validate(d)) != want[k] && mismatches[t].empty())
                    mismatches[t] = "thread " + std::to_string(t) + ", document " + std::to_string(k);
            }
        });
    for (std::thread& t : threads) t.join();
    for (const std::string& m : mismatches) CHECK(m == "");
}
