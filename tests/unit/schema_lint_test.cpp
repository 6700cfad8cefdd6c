#include <casedoc/base/error.hpp>
#include <casedoc/schematron/schema_lint.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

using namespace casedoc;

namespace {

// A schema in memory, "t.sch", whose body starts on line 4 (one element a line below that, as written).
struct lint_case {
    std::map<std::string, std::string> files;
    schema_options options() const {
        schema_options o;
        o.loader = [files = files](const std::string& uri) -> std::optional<std::string> {
            auto it = files.find(uri);
            if (it == files.end()) return std::nullopt;
            return it->second;
        };
        return o;
    }
};

std::string schema_text(const std::string& body) {
    return "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' xmlns:cd='urn:casedoc:schema:1'>\n"
           "<cd:meta setting='housing' version='1' document-types='case-record progress-note'/>\n"
           "<sch:ns prefix='r' uri='urn:casedoc:record:1'/>\n" +
           body + "\n</sch:schema>\n";
}

std::vector<lint_finding> lint(const std::string& body, const record_vocabulary& known = {}) {
    lint_case c;
    c.files["t.sch"] = schema_text(body);
    return lint_schema("t.sch", known, c.options());
}

std::vector<lint_finding> of_kind(const std::vector<lint_finding>& all, lint_finding::kind k) {
    std::vector<lint_finding> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const lint_finding& f) { return f.type == k; });
    return out;
}

// An assert that is cited, so that only what a test is about is found.
std::string cited(const std::string& id, const std::string& test = "true()") {
    return "<sch:assert id='" + id + "' cd:citation='agency policy' test=\"" + test + "\">m</sch:assert>";
}

} // namespace

TEST_CASE("a rule whose context an earlier rule of its pattern has is found at its line, naming the earlier one",
          "[lint][shadow]") {
    const auto found = lint("<sch:pattern id='p'>\n"
                            "<sch:rule context='r:case-record'>" +
                            cited("A") + "</sch:rule>\n" + "<sch:rule context='r:case-record'>" + cited("B") +
                            "</sch:rule>\n" + "</sch:pattern>");
    const auto shadowed = of_kind(found, lint_finding::kind::shadowed_rule);
    REQUIRE(shadowed.size() == 1);
    CHECK(shadowed[0].file == "t.sch");
    CHECK(shadowed[0].line == 6);
    CHECK_THAT(shadowed[0].message, Catch::Contains("never fires") && Catch::Contains("the rule at line 5") &&
                                        Catch::Contains("pattern 'p'"));
    CHECK_THAT(to_string(shadowed[0]), Catch::StartsWith("t.sch:6:1: warning: "));
}

TEST_CASE("a wider earlier context shadows: *, node(), a bare name before a path to it, a union holding it",
          "[lint][shadow]") {
    const auto [first, second] = GENERATE(table<std::string, std::string>({
        {"*", "r:note"},
        {"node()", "r:notes/r:note[@type = 'x']"},
        {"r:note", "r:notes/r:note[@type = 'x']"},
        {"//r:note", "r:note"},
        {"r:signature | r:note", "r:note"},
        {"@*", "@service-at"},
        {"r:note", "r:case-record | r:note"},
    }));
    CAPTURE(first, second);
    const auto found = lint("<sch:pattern>\n<sch:rule context=\"" + first + "\">" + cited("A") + "</sch:rule>\n" +
                            "<sch:rule context=\"" + second + "\">" + cited("B") + "</sch:rule>\n</sch:pattern>");
    const auto shadowed = of_kind(found, lint_finding::kind::shadowed_rule);
    REQUIRE(shadowed.size() == 1);
    CHECK(shadowed[0].line == 6);
    if (second.find('|') != std::string::npos) CHECK_THAT(shadowed[0].message, Catch::Contains("alternative"));
}

TEST_CASE("a narrower earlier context, or another pattern, shadows nothing", "[lint][shadow]") {
    const auto [first, second, same_pattern] = GENERATE(table<std::string, std::string, bool>({
        {"r:notes/r:note", "r:note", true},
        {"r:note[@type = 'x']", "r:note", true},
        {"@*", "r:note", true},
        {"*", "@type", true},
        {"r:note", "r:note", false},
    }));
    CAPTURE(first, second, same_pattern);
    const std::string rules[] = {"<sch:rule context=\"" + first + "\">" + cited("A") + "</sch:rule>",
                                 "<sch:rule context=\"" + second + "\">" + cited("B") + "</sch:rule>"};
    const std::string body =
        same_pattern ? "<sch:pattern>" + rules[0] + rules[1] + "</sch:pattern>"
                     : "<sch:pattern>" + rules[0] + "</sch:pattern><sch:pattern>" + rules[1] + "</sch:pattern>";
    CHECK(of_kind(lint(body), lint_finding::kind::shadowed_rule).empty());
}

TEST_CASE("names no record uses are found with the nearest known one", "[lint][names]") {
    record_vocabulary known;
    known.add_record(xml_document::load_string(
        "<case-record xmlns='urn:casedoc:record:1' type='case-record'><events><event type='referral' "
        "date='2025-01-02' housing-status='homeless'/></events></case-record>",
        "sample.xml"));
    SECTION("an element of the record namespace") {
        const auto found = lint("<sch:pattern><sch:rule context='r:case-record'>" + cited("A", "r:notse/r:note") +
                                    "</sch:rule></sch:pattern>",
                                known);
        const auto names = of_kind(found, lint_finding::kind::unknown_name);
        REQUIRE(names.size() == 1);
        CHECK(names[0].line == 4);
        CHECK_THAT(names[0].message, Catch::Contains("'r:notse'") && Catch::Contains("did you mean 'r:notes'?"));
    }
    SECTION("an attribute, also one a setting's records add") {
        const auto found = lint("<sch:pattern><sch:rule context='r:note'>" + cited("A", "@enterd-at") +
                                    cited("B", "../r:events/r:event/@housing-staus") + "</sch:rule></sch:pattern>",
                                known);
        const auto names = of_kind(found, lint_finding::kind::unknown_name);
        REQUIRE(names.size() == 2);
        CHECK_THAT(names[0].message + names[1].message, Catch::Contains("did you mean '@entered-at'?") &&
                                                            Catch::Contains("did you mean '@housing-status'?"));
    }
    SECTION("a type compared with @type, in an assert and in a deadline's anchor") {
        const auto found = lint(
            "<sch:pattern><sch:rule context='r:case-record'>" + cited("A", "r:notes/r:note[@type = 'progres-note']") +
                "\n<cd:deadline id='D' citation='agency policy' within='14' "
                "anchor=\"r:events/r:event[@type='referal'][1]/@date\" target='@as-of'>m</cd:deadline>"
                "</sch:rule></sch:pattern>",
            known);
        const auto names = of_kind(found, lint_finding::kind::unknown_name);
        REQUIRE(names.size() == 2);
        CHECK_THAT(names[0].message, Catch::Contains("did you mean 'progress-note'?"));
        CHECK(names[1].line == 5);
        CHECK_THAT(names[1].message, Catch::Contains("type 'referal' in cd:deadline/@anchor") &&
                                         Catch::Contains("did you mean 'referral'?"));
    }
    SECTION("known names, names in string literals and variables, and names far from every known one pass") {
        const auto found = lint("<sch:pattern><sch:rule context='r:case-record'>" +
                                    cited("A", "r:events/r:event[@type = 'referral']/@date and "
                                               "contains('r:notse @enterd-at', 'x') and r:housing-plan/@goal-count") +
                                    "</sch:rule></sch:pattern>",
                                known);
        CHECK(of_kind(found, lint_finding::kind::unknown_name).empty());
    }
}

TEST_CASE("rules without a citation, with the placeholder, or with the other spelling are found at their line",
          "[lint][citation]") {
    const auto found = lint("<sch:pattern><sch:rule context='r:note'>\n"
                            "<sch:assert id='NONE' test='true()'>m</sch:assert>\n"
                            "<cd:field id='HOLD' path='@x' citation='CITATION-NEEDED'>m</cd:field>\n"
                            "<sch:assert id='PLAIN' citation='agency policy' test='true()'>m</sch:assert>\n"
                            "<cd:recurrence id='PREFIXED' cd:citation='agency policy' from='@a' to='@b' events='r:x'>"
                            "m</cd:recurrence>\n"
                            "<cd:deadline id='CITED' citation='45 CFR 1356.21' within='1' anchor='@a' target='@b'>"
                            "m</cd:deadline>\n"
                            "</sch:rule></sch:pattern>");
    const auto none = of_kind(found, lint_finding::kind::no_citation);
    REQUIRE(none.size() == 1);
    CHECK(none[0].line == 5);
    CHECK_THAT(none[0].message, Catch::StartsWith("rule NONE has no citation"));
    const auto placeholder = of_kind(found, lint_finding::kind::placeholder_citation);
    REQUIRE(placeholder.size() == 1);
    CHECK(placeholder[0].line == 6);
    CHECK_THAT(placeholder[0].message, Catch::Contains("rule HOLD cites the placeholder 'CITATION-NEEDED'"));
    const auto form = of_kind(found, lint_finding::kind::citation_form);
    REQUIRE(form.size() == 2);
    CHECK(form[0].line == 7);
    CHECK_THAT(form[0].message, Catch::Contains("rule PLAIN: write its citation as cd:citation on sch:assert"));
    CHECK(form[1].line == 8);
    CHECK_THAT(form[1].message, Catch::Contains("as citation on cd:recurrence"));
    CHECK(found.size() == 4);
}

TEST_CASE("findings in an included file are at that file's line", "[lint][include]") {
    lint_case c;
    c.files["t.sch"] = schema_text("<sch:include href='inc.sch'/>");
    c.files["inc.sch"] = "<sch:pattern xmlns:sch='http://purl.oclc.org/dsdl/schematron'>\n"
                         "<sch:rule context='r:note'><sch:assert id='A' test='true()'>m</sch:assert></sch:rule>\n"
                         "</sch:pattern>";
    const auto found = lint_schema("t.sch", {}, c.options());
    REQUIRE(found.size() == 1);
    CHECK(to_string(found[0]).rfind("inc.sch:2:", 0) == 0);
}

TEST_CASE("a schema that does not compile is an error, not a lint", "[lint][bad-schema]") {
    CHECK_THROWS_AS(lint("<sch:pattern><sch:rule context='r:note'><sch:assert test='r:x['>m</sch:assert>"
                         "</sch:rule></sch:pattern>"),
                    error);
}
