// ISO Schematron (ISO/IEC 19757-3:2016 and 2020) where a schema as published meets the standard: cross-pattern
// abstract rules as the ISO skeleton accepts them, variables' scopes, xsl:key. The conformance cases
// (tests/conformance/cases) cover the rest of these clauses on SVRL.
#include <casedoc/base/error.hpp>
#include <casedoc/schematron/schema.hpp>

#include "xpath_rewrite.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

using namespace casedoc;

namespace {

std::unique_ptr<schema> compile(const std::string& body, bool strict = false) {
    schema_options o;
    o.strict = strict;
    return schema::load_text("<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>\n" + body + "</sch:schema>",
                             "t.sch", o);
}

// Each finding as (rule id, path, line, message), in order.
std::vector<std::tuple<std::string, std::string, unsigned, std::string>> findings(schema& s, const std::string& xml) {
    xml_document d = xml_document::load_string(xml, "d.xml");
    std::vector<std::tuple<std::string, std::string, unsigned, std::string>> out;
    for (const finding& f : s.validate(d).findings) out.emplace_back(f.rule_id, f.where.path.str(), f.where.line, f.message);
    return out;
}

const std::string abstract_rules = "<sch:rule abstract='true' id='has-code'>\n"
                                   "<sch:extends rule='has-kind'/>\n"
                                   "<sch:assert id='code' test='@code'>code of <sch:name/></sch:assert>\n"
                                   "</sch:rule>\n"
                                   "<sch:rule abstract='true' id='has-kind'>\n"
                                   "<sch:let name='k' value='@kind'/>\n"
                                   "<sch:report id='kind' test=\"$k = 'x'\">kind <sch:value-of select='$k'/></sch:report>\n"
                                   "</sch:rule>\n";
const std::string document = "<doc>\n<a kind='x'/>\n<b code='1'/>\n<a code='2' kind='y'/>\n<b kind='x'/>\n</doc>";

} // namespace

TEST_CASE("ISO/IEC 19757-3:2016 5.4.3: an abstract rule of another pattern gives what its content written in place "
          "gives, as in the ISO skeleton",
          "[schema][iso][extends]") {
    // Line 1 is <sch:schema>; the extends of pattern 'uses' are on lines 15 and 19.
    const std::string across = "<sch:pattern id='library'>\n" + abstract_rules + "<sch:rule context='b'><sch:extends "
                               "rule='has-code'/></sch:rule>\n</sch:pattern>\n<sch:pattern id='uses'>\n<sch:rule "
                               "context='a'>\n<sch:extends rule='has-code'/>\n<sch:assert id='own' test='@kind'/>\n"
                               "</sch:rule>\n<sch:rule context='b'>\n<sch:extends rule='has-kind'/>\n</sch:rule>\n"
                               "</sch:pattern>\n";
    // The skeleton's reading: each extends replaced by the content it names (the abstract rules' own extends too).
    const std::string inline_content = "<sch:pattern id='library'>\n<sch:rule context='b'>"
                                       "<sch:let name='k' value='@kind'/><sch:report id='kind' test=\"$k = 'x'\">kind "
                                       "<sch:value-of select='$k'/></sch:report><sch:assert id='code' test='@code'>"
                                       "code of <sch:name/></sch:assert></sch:rule>\n</sch:pattern>\n"
                                       "<sch:pattern id='uses'>\n<sch:rule context='a'>\n<sch:let name='k' "
                                       "value='@kind'/><sch:report id='kind' test=\"$k = 'x'\">kind <sch:value-of "
                                       "select='$k'/></sch:report><sch:assert id='code' test='@code'>code of "
                                       "<sch:name/></sch:assert>\n<sch:assert id='own' test='@kind'/>\n</sch:rule>\n"
                                       "<sch:rule context='b'>\n<sch:let name='k' value='@kind'/><sch:report id='kind' "
                                       "test=\"$k = 'x'\">kind <sch:value-of select='$k'/></sch:report>\n</sch:rule>\n"
                                       "</sch:pattern>\n";
    auto s = compile(across);
    auto expected = compile(inline_content);
    CHECK(expected->warnings().empty());
    const auto got = findings(*s, document);
    CHECK(got == findings(*expected, document));
    // Worked out by hand: pattern library fires on b[1] (no finding) and b[2] (kind x, no code); pattern uses on
    // a[1] (kind x, no code), a[2] (fine), b[1] and b[2] (has-kind alone: kind x on b[2]).
    using f = std::tuple<std::string, std::string, unsigned, std::string>;
    CHECK(got == std::vector<f>{{"kind", "/doc[1]/b[2]", 5, "kind x"},
                                {"code", "/doc[1]/b[2]", 5, "code of b"},
                                {"kind", "/doc[1]/a[1]", 2, "kind x"},
                                {"code", "/doc[1]/a[1]", 2, "code of a"},
                                {"kind", "/doc[1]/b[2]", 5, "kind x"}});

    // One warning per extends that leaves its pattern, naming the rule and where; has-kind, reached from
    // has-code in its own pattern, is not one.
    REQUIRE(s->warnings().size() == 2);
    CHECK_THAT(s->warnings()[0], Catch::StartsWith("t.sch:15:1: extends rule='has-code' names an abstract rule of "
                                                   "another pattern 'library' (t.sch:3)"));
    CHECK_THAT(s->warnings()[1], Catch::StartsWith("t.sch:19:1: extends rule='has-kind'"));

    try {
        compile(across, true);
        FAIL("--strict accepted an extends naming another pattern's abstract rule");
    } catch (const error& e) {
        CHECK(e.file() == "t.sch");
        CHECK(e.line() == 15);
        CHECK_THAT(std::string(e.what()), Catch::Contains("another pattern 'library'"));
    }
    CHECK_NOTHROW(compile(inline_content, true));
}

TEST_CASE("ISO/IEC 19757-3:2016 5.4.3: an extends naming no abstract rule anywhere is still an error",
          "[schema][iso][extends]") {
    CHECK_THROWS_WITH(compile("<sch:pattern><sch:rule context='a'><sch:extends rule='nowhere'/></sch:rule>"
                              "</sch:pattern>"),
                      Catch::Contains("extends rule='nowhere' names no abstract rule"));
    CHECK_THROWS_WITH(compile("<sch:pattern><sch:rule id='r' context='b'/><sch:rule context='a'><sch:extends "
                              "rule='r'/></sch:rule></sch:pattern>"),
                      Catch::Contains("names a rule that is not abstract"));
}

TEST_CASE("ISO/IEC 19757-3:2016 5.4.5: a variable defined twice is a schema error naming both places",
          "[schema][iso][let]") {
    try {
        compile("<sch:pattern>\n<sch:rule context='a'>\n<sch:let name='v' value='1'/>\n<sch:let name='v' value='2'/>\n"
                "<sch:report test='$v'/></sch:rule></sch:pattern>");
        FAIL("accepted");
    } catch (const error& e) {
        CHECK(e.file() == "t.sch");
        CHECK(e.line() == 5);
        CHECK_THAT(std::string(e.what()), Catch::Contains("variable 'v' is defined twice (first at t.sch:4)"));
    }
    // A rule's let hiding a schema's: the skeleton's XSLT accepts it (a local variable hides a global one).
    const std::string hides = "<sch:let name='v' value='1'/>\n<sch:pattern><sch:rule context='a'><sch:let name='v' "
                              "value='2'/><sch:report id='two' test='$v = 2'/></sch:rule></sch:pattern>";
    auto s = compile(hides);
    REQUIRE(s->warnings().size() == 1);
    CHECK_THAT(s->warnings()[0], Catch::StartsWith("t.sch:3:"));
    CHECK(findings(*s, "<a/>").size() == 1);
    CHECK_THROWS_AS(compile(hides, true), error);
}

TEST_CASE("key() becomes the nodes of the key's pattern whose use value equals its value (XSLT 1.0 12.2)",
          "[schema][iso][key]") {
    const detail::key_declarations k{{"p | q/r", "@id"}}, two{{"a", "@x"}, {"b", "c"}};
    const auto find = [&](const std::string& name) { return name == "k" ? &k : name == "two" ? &two : nullptr; };
    const auto string_variable = [](std::string_view v) { return v == "s"; };
    auto rw = [&](const char* x) { return detail::rewrite_keys(x, find, string_variable); };
    CHECK(rw("key('k', @ref)") == "((//p | //q/r)[(@id) = $__current/@ref])");
    CHECK(rw("count(key(\"k\", 'a')) = 1") == "count(((//p | //q/r)[(@id) = 'a'])) = 1");
    CHECK(rw("key('k', $s)/@x") == "((//p | //q/r)[(@id) = string($s)])/@x");
    CHECK(rw("key('k', $n)") == "((//p | //q/r)[(@id) = $n])");
    CHECK(rw("key('k', 12)") == "((//p | //q/r)[(@id) = string(12)])");
    CHECK(rw("x[key('k', /a/@b)]") == "x[((//p | //q/r)[(@id) = /a/@b])]");
    CHECK(rw("monkey('k') or a/key or 'key(1)'") == "monkey('k') or a/key or 'key(1)'");
    // Two declarations of one name: a node has the key by either (XSLT 1.0 12.2).
    CHECK(rw("key('two', 'v')") == "((//a)[(@x) = 'v'] | (//b)[(c) = 'v'])");
    CHECK_THROWS_WITH(rw("x[key('k', @ref)]"), Catch::Contains("relative path inside a predicate"));
    CHECK_THROWS_WITH(rw("key('k', concat(@a, @b))"), Catch::Contains("may depend on the context node"));
    CHECK_THROWS_WITH(rw("key('nope', 'a')"), Catch::Contains("no xsl:key"));
    CHECK_THROWS_WITH(rw("key($name, 'a')"), Catch::Contains("literal"));
}

TEST_CASE("key() in a rule context's predicate reads the key's names as the schema's sch:ns bind them",
          "[schema][iso][key]") {
    // Compiled with the record namespace unprefixed (documents in it as their default): the key's own match
    // and use are rewritten alike, else they would name nothing.
    const std::string keyed = "<sch:ns prefix='r' uri='urn:r'/><xsl:key xmlns:xsl='http://www.w3.org/1999/XSL/"
                              "Transform' name='by-id' match='r:person' use='r:id'/>\n";
    auto s = compile(keyed + "<sch:pattern><sch:rule context=\"r:ref[key('by-id', 'p1')/@role = @role]\">"
                             "<sch:report id='same-role' test='true()'/></sch:rule></sch:pattern>");
    const auto got = findings(*s, "<doc xmlns='urn:r'><person role='a'><id>p1</id></person><ref role='b'/>\n"
                                  "<ref role='a'/></doc>");
    REQUIRE(got.size() == 1);
    CHECK(std::get<1>(got[0]) == "/r:doc[1]/r:ref[2]");
    CHECK_THROWS_AS(compile(keyed + "<sch:pattern><sch:rule context=\"key('by-id', 'p1')\"><sch:report "
                                    "test='true()'/></sch:rule></sch:pattern>"),
                    error);
}
