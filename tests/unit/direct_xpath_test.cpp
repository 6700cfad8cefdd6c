// direct_xpath answers the shapes it accepts exactly as pugixml's evaluator does: every expression below is
// evaluated both ways, as a boolean, a string (built and in place) and (for paths) a node-set, at every element
// and attribute of a document built to reach the edge cases (missing and empty attributes, several matches,
// white space, text content, a parent of the root).
#include "direct_xpath.hpp"
#include <casedoc/xml/string_value.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <string>
#include <vector>

using casedoc::detail::direct_xpath;

namespace {

const char* doc_text = R"(<r:rec xmlns:r="u" id="R1" as-of="2024-05-31">
  <r:note id="N1" type="visit" format="DAP" service-at="2024-03-01T10:00" late-entry="true" late-entry-reason="  ">
    <r:author id="u1" role="caseworker" credential=" LBSW "/>
    <r:signature signer="u2" signed-at="2024-03-01T12:00"/>
    <r:signature signer="u1" signed-at="2024-03-02T09:00" method="electronic"/>
    <r:signature signer="u1" signed-at="2024-03-03T09:00"/>
    <r:section code="data">  The child   was seen
      at home. </r:section>
    <r:section code="plan"/>
    <r:section code="assessment"> Chloé   Nguyễn a dit: «oui» </r:section>
    <r:visit face-to-face="true" location="child-residence"><r:topic code="safety"/><r:topic code="wellbeing"/></r:visit>
  </r:note>
  <r:note id="N2" type="court-hearing" format="" service-at="2024-04-01T10:00">
    <?r:author id="pi"?><!-- a processing instruction named like an element: not a child::r:author -->
    <r:author id="u3" role="" credential="JD"/>
    <r:hearing kind="permanency"/>
  </r:note>
  <r:note id="N3" hours=" 12.5 " delta="-3" sci="1e5" dot="." minus="-" half=".5" whole="5." amount="12é" date="2024-02-29" spaced="2024 - 02"/>
  <r:items><r:i n="1"/><r:i n="2"/><r:i n="3"/><r:i n="4"/><r:i n="5"/><r:i n="6"/><r:i n="7"/><r:i n="8"/><r:i n="9"/><r:i n="10"/></r:items>
</r:rec>)";

const std::vector<std::string> expressions = {
    "@id", "@missing", "@format", "@format = 'DAP'", "@format != 'DAP'", "@format = ''", "@missing = ''",
    "@missing != ''", "r:author/@id", "string(r:author/@id)", "string(r:section)", "r:section",
    "normalize-space(r:section)", "normalize-space(r:section) != ''", "normalize-space(@late-entry-reason) != ''",
    "normalize-space(@missing) = ''", "normalize-space(@credential) != ''", "normalize-space(@id) = ''",
    "normalize-space(r:author/@credential) = 'LBSW'", "'' = normalize-space(@late-entry-reason)",
    "normalize-space(r:section) = ''", "normalize-space(r:missing) = ''", "string(r:author/@credential) = ' LBSW '",
    "string(r:section) != ''", "normalize-space(r:section) = normalize-space(r:section)", "r:section[@code = 'data']",
    "r:section[@code = 'plan']",
    "r:signature[@signer = ../r:author/@id]", "r:signature[@signer = ../r:author/@id][1]/@signed-at",
    "string(r:signature[@signer = ../r:author/@id][1]/@signed-at)", "r:signature/@signer = 'u1'",
    "r:signature/@signer != 'u1'", "r:signature/@signer = r:author/@id", "r:signature/@signer != r:author/@id",
    "r:author[normalize-space(@id) != ''][normalize-space(@role) != ''][normalize-space(@credential) != '']",
    "r:visit/r:topic[@code = 'safety'] and r:visit/r:topic[@code = 'permanency']",
    "not(r:visit/@face-to-face = 'true') or r:visit/r:topic[@code = 'safety']", "r:visit/@face-to-face",
    "@method = 'electronic' or @method = 'digital' or @method = 'handwritten'", "(@late-entry = 'true') and @id",
    "not(@late-entry)", "self::r:note[@format = 'DAP']", "self::r:note", "self::r:signature[@method]",
    // Paths of child steps, walked by a loop: [1] on a step before the last, backing up to the step before.
    "r:note[1]/r:hearing/@kind", "r:note[1]/r:hearing", "string(r:rec/r:note[1]/r:author/@id)",
    "r:note/r:signature[1]/@signer",
    "count(r:note/r:signature)", "r:note/r:visit/r:topic[@code = 'wellbeing']/@code",
    "r:rec/r:note[@type = 'court-hearing'][1]/r:hearing",
    "count(r:rec/r:note/r:author[@id = 'u3'])", "r:note[@format = ''][1]/r:author/@id = 'u3'",
    "r:items/r:i[@n = '7']/@n",
    "r:note/r:signature[@signer = ../r:author/@id]/@signed-at", "r:note[r:hearing]/r:author/@id",
    "count(r:note[r:signature[@method]])",
    "r:rec/r:note[r:visit/@location = 'child-residence'][1]/@id",
    "r:note[not(r:visit)][1]/r:author[normalize-space(@credential) != '']/@id",
    // An attribute compared with a string variable.
    "@signer = $s", "@signer != $s", "$s = @id", "r:signature[@signer = $s][1]/@signed-at",
    "r:signature[$s != @signer]/@signer",
    "r:note/r:signature/@signer = $s", "r:signature/@signer != $s", "../@id = 'R1'",
    "preceding-sibling::r:note/@id = 'N1'",
    "'DAP' = r:note/@format", "r:note/@format != ''",
    // Rule contexts' matchers, tested without the evaluator: boolean(self::name[@a = 'literal']…).
    "boolean(self::r:note[@type = 'court-hearing'])", "boolean(self::r:note[@type = 'visit'][@format = 'DAP'])",
    "boolean(self::r:note)", "boolean(self::r:author[@id = ''])", "self::r:note[@type = 'visit'][@format = 'x']",
    "r:note[@type = 'court-hearing'][r:hearing/@kind = 'permanency']", "r:note[1]/@id", "r:note/@id",
    "string(r:note/@id)", "../@id", "..", "../r:note[@type = 'visit']/@service-at", "true()", "false()",
    "'text'", "''", "'a' = 'a'", "'a' != 'a'", "r:missing/@id = ''", "r:missing/@id != ''", "child::r:author/@role",
    "r:hearing/@kind = 'permanency'", "r:section = 'x'", "r:section != ''", "../../@id", "$s", "$s = 'u1'",
    "r:signature[@signer = $s]", "$set", "$set = 'N2'", "$set != 'N1'", "r:note/@id = $set", "$set/@id", "string($set)",
    "$one/@id",
    "string($one/r:author/@id)", "$one/r:author/@role = ''", "$b", "$n", "$empty", "$empty/@id",
    "r:signature[@signer = $s][1]", ".", "string(.)", "normalize-space(.) != ''", ". = 'u1'", "./r:author/@id",
    "r:section[normalize-space(.) != '']", "string-length(normalize-space(.)) > 3", "r:signature[@method = '']",
    "r:signature[@missing = '']/@signer",
    "r:section['data' = @code]", "r:signature[@signer = 'u1'][@method = 'electronic']/@signed-at",
    "boolean(r:signature)", "boolean(self::r:note[@format = 'DAP'][parent::r:rec])",
    "self::r:note[preceding-sibling::r:note][parent::r:rec]", "preceding-sibling::r:note/@id",
    "preceding-sibling::r:note[1]/@id", "string(preceding-sibling::r:note[1]/@id)", "following-sibling::r:note/@id",
    "string(following-sibling::r:note/@id)", "r:note[$b or 2]/@id", "string-length(normalize-space)",
    "preceding-sibling::r:note/@id = 'N1'", "parent::r:rec/@id", "parent::r:note",
    "string-length(normalize-space(r:section[@code = 'data'])) >= $n", "string-length(r:section[@code = 'assessment'])",
    "string-length(normalize-space(r:section[@code = 'assessment'])) > 20", "string-length(@id) = 2",
    "string-length(normalize-space(r:section[@code = 'plan'])) < 1", "string-length(@missing) != 0", "3 > 2",
    "$n <= 2", "$n >= string-length(@id)", "string-length(normalize-space(r:section)) = $n",
    // More nodes than a node-set's first eight.
    "r:items/r:i", "r:items/r:i/@n", "r:items/r:i[@n != '3']/@n", "r:items/r:i/@n = '10'",
    // Namespace declarations are not attributes in XPath.
    "@xmlns:r", "../@xmlns:r", "string(@xmlns:r) = ''",
    // A processing instruction named r:author is no r:author element.
    "r:author", "string(r:author)", "normalize-space(r:author) = ''", "r:author[1]", "following-sibling::r:author",
    // number() of a path, of substring(path, 1, N) and of translate(…, 'chars', ''): dates compared as numbers,
    // values that are not numbers (NaN), white space, signs and points, a non-ASCII prefix (pugixml's).
    "number(@hours) > 12", "number(@delta) < 0", "number(@sci) = 100000", "number(@dot) = 0", "number(@minus) != 0",
    "number(@half) = 0.5", "number(@whole) = 5", "number(@amount) > 0", "number(@id) = number(@id)", "number(@hours)",
    "number(translate(@date, '-', '')) = 20240229", "number(translate(@spaced, '- ', '')) = 202402",
    "number(translate(substring(@service-at, 1, 10), '-', '')) >= 20240301",
    "not(number(translate(substring(preceding-sibling::r:note[1]/@service-at, 1, 16), '-T:', '')) > "
    "number(translate(substring(@service-at, 1, 16), '-T:', '')))",
    "number(translate(substring(../@as-of, 1, 7), '-', '')) < number(translate(substring(@signed-at, 1, 7), '-', ''))",
    "number(substring(@service-at, 1, 4)) = 2024", "number(substring(r:section, 1, 3)) > 0",
    "number(substring(r:section[@code = 'assessment'], 1, 8)) != 1",
    "number(r:section) = 0", "number(.) >= 0", "number(translate(., ' ', '')) < 13", "$n < number(@hours)",
    // Lengths counted only as far as the comparison needs: at, below and above the limit, fractions, zero.
    "string-length(normalize-space(.)) = 10.5", "string-length(.) <= 0", "string-length(normalize-space(.)) != 7",
    "4 < string-length(.)", "string-length(.) > 0", "$n < string-length(normalize-space(.))",
    "string-length(normalize-space(r:section)) >= 5", "string-length(r:section) = 12", "1 = string-length(@id)",
    // count(), + and *, on paths from the context and from variables.
    "count(r:note)", "count(r:signature)", "count(r:items/r:i) = 10", "count(r:signature[@signer = $s])",
    "count(r:missing)", "count(../r:note/r:signature) * 2", "count(r:signature) + 1 > 3", "$n * 3 = 6",
    "count(r:note) * 2 >= count(r:items/r:i) + $n", "count($set)", "count($empty)", "count($notes/r:signature)",
    "count($notes/@format)", "count(preceding-sibling::r:note)", "count(following-sibling::r:note) = 1",
    // A filter on a variable's nodes, its [1], paths on from them; several nodes through a child step (not in
    // document order: first node and string are pugixml's).
    "$notes[@type = 'visit']", "$notes[@type = 'visit']/@id", "$notes[1]/@id", "string($notes[1]/@id)",
    "$notes[r:author/@role = ''][1]/@id", "count($notes[r:signature])", "not($notes[@format = ''])",
    "$notes[@format = 'DAP' or @format = '']/@service-at", "$set[. = 'N2']", "count($set[. != 'N2'])",
    "$one[@type = 'court-hearing']/@id", "$notes/@id", "string($notes/@id)", "$notes/r:author/@id",
    "$notes/r:author/@id = 'u3'", "string($notes)", "$notes = 'x'", "$set", "string($set)",
    "string($notes[@type = 'court-hearing']/r:hearing/@kind)", "$notes[r:visit]/r:visit/r:topic/@code",
    // Paths that reach a node from two others (N3 follows N1 and N2): as a node-set, each node once.
    "r:note/following-sibling::r:note", "r:note/following-sibling::r:note/@id", "r:note/preceding-sibling::r:note",
    "r:items/r:i/../r:i", "string(r:note/following-sibling::r:note/@id)",
    // concat() and contains() of strings (a number argument is pugixml's to format), string() and
    // normalize-space() of a string variable.
    "concat('a', @id)", "concat(' ', normalize-space(r:author/@credential), ' ')",
    "concat(@id, '-', $s, '-', @missing)",
    "contains(' LBSW JD ', concat(' ', normalize-space(r:author/@credential), ' '))", "contains(@id, 'N')",
    "contains(@missing, '')", "contains('', @id)", "not(contains(@id, '2'))",
    "r:signature[contains(@signed-at, '03-02')]/@signer",
    "contains($s, 'u')", "concat(@id, $b)", "concat(@id, count(r:note))", "concat($set, '|')", "normalize-space($s)",
    "string($s)", "normalize-space($s) = ''",
    "r:author[contains(concat(' ', $s, ' '), concat(' ', normalize-space(@id), ' '))]", "contains(r:section, 'child')",
    "concat(r:section, '!')", "contains(string(r:section[@code = 'assessment']), 'é')",
};

// Outside the grammar: must not compile (pugixml answers them).
const std::vector<std::string> refused = {
    "r:note[2]", "r:note[last()]", "//r:note", "/r:rec", "r:note | r:author", "@a < 'b'",
    "r:*", "text()", "r:a/.", ".[@a]", "not(@a) = 'x'", "r:note[1][@id]", "@a/r:b",
    "r:a[", "'open", "r:note[2]", "@a > @b", "'a' < 'b'",
    "ancestor::r:a", "parent::node()", "number(substring(@a, 2, 3))", "number(substring(@a, 1))",
    "number(translate(@a, '-', 'x'))", "number(translate(@a, 'é', ''))", "number(substring(@a, 1, 2.5))", "number()",
    // count() of a path that may meet a node twice; arithmetic on what is not a number; a filter that is not
    // [1] or a test, or on a variable that holds no nodes.
    "count(r:note/..)", "count(r:a/following-sibling::r:b)", "count(r:a/parent::r:b)", "@a * 2", "'a' + 1",
    "$s * 2", "$n - 1", "count(r:a) div 2", "$notes[2]", "$s[1]", "$n[. = 1]", "count(r:a) * @b",
    "concat('a')", "contains(@a)", "contains(@a, 'b') = 'true'", "concat(@a, )", "normalize-space(concat(' ', @a))",
    // A boolean variable compared with anything, and a number variable compared with a string or nodes, convert
    // by XPath's rules (boolean('false') is true; '2.0' = 2): pugixml's (found by fuzz: xpath_diff).
    "$b = 'true'", "$b = 'false'", "@id = $b", "r:note[@format = $b]", "$n = '2'", "@id = $n", "count($s)",
    "count($n)", "string($n)", "string-length($b)",
};

} // namespace

TEST_CASE("direct evaluation gives pugixml's answers for every accepted shape, at every node", "[xpath]") {
    pugi::xml_document doc;
    REQUIRE(doc.load_string(doc_text, pugi::parse_default | pugi::parse_pi | pugi::parse_comments)); // as casedoc reads
    // Every expression twice: reading the node-set variables from pugixml, and from places held as the rule
    // engine holds a let's value (the variable's nodes, in document order).
    const auto declare = [&](casedoc::detail::variable_table& t, bool holdable) {
        t.declared(t.add("s", pugi::xpath_type_string))->set("u1");
        t.declared(t.add("b", pugi::xpath_type_boolean))->set(true);
        t.declared(t.add("n", pugi::xpath_type_number))->set(2.0);
        for (const auto& [name, path] : {std::pair{"set", "/r:rec/r:note/@id"}, {"one", "/r:rec/r:note[2]"},
                                         {"empty", "/r:rec/r:nothing"}, {"notes", "/r:rec/r:note"}}) {
            const uint32_t v = t.add(name, pugi::xpath_type_node_set);
            t.declared(v)->set(doc.select_nodes(path));
            if (holdable) t.set_holdable(v);
        }
    };
    casedoc::detail::variable_table vars, held_vars;
    declare(vars, false);
    declare(held_vars, true);

    std::vector<pugi::xpath_node> contexts{pugi::xpath_node(doc)};
    for (const pugi::xpath_node& x : doc.select_nodes("//* | //@*")) contexts.push_back(x);
    REQUIRE(contexts.size() > 40);

    casedoc::detail::name_table names;
    std::vector<std::unique_ptr<direct_xpath>> compiled, compiled_held;
    for (const std::string& e : expressions) {
        compiled.push_back(direct_xpath::compile(e, vars, names));
        compiled_held.push_back(direct_xpath::compile(e, held_vars, names));
    }
    // Built after compiling, with the names the expressions use.
    casedoc::detail::xpath_frame frame(vars), held_frame(held_vars);
    frame.view.build(doc, names);
    held_frame.view.build(doc, names);
    const casedoc::detail::document_view& view = frame.view;
    size_t held = 0;
    for (uint32_t v = 1; v < held_vars.size(); ++v) {
        if (!held_vars.holdable(v)) continue;
        pugi::xpath_node_set nodes = held_vars.at(v)->get_node_set();
        nodes.sort();
        casedoc::detail::held_nodes& h = held_frame.held[v];
        for (const pugi::xpath_node& x : nodes) h.places.push_back(view.place_of(x));
        h.valid = true;
        ++held;
    }
    REQUIRE(held == 4);

    size_t answered = 0;
    for (size_t k = 0; k < expressions.size() * 2; ++k) {
        const std::string& e = expressions[k % expressions.size()];
        INFO(e << (k < expressions.size() ? "" : " (variables held as places)"));
        const bool holding = k >= expressions.size();
        const auto& direct = holding ? compiled_held[k - expressions.size()] : compiled[k];
        const casedoc::detail::xpath_frame& f = holding ? held_frame : frame;
        REQUIRE(direct);
        const pugi::xpath_query q(e.c_str(), &vars.set());
        for (const pugi::xpath_node& ctx : contexts) {
            INFO("context " << (ctx.attribute() ? std::string("@") + ctx.attribute().name() : ctx.node().name())
                            << " of " << ctx.parent().attribute("id").value() << ctx.node().attribute("id").value());
            const auto at = view.place_of(ctx);
            REQUIRE(at.e != casedoc::detail::document_view::none);
            REQUIRE(view.node(at) == ctx);
            if (const auto b = direct->boolean(f, at)) {
                CHECK(*b == q.evaluate_boolean(ctx));
                ++answered;
            }
            if (const auto s = direct->string(f, at)) {
                CHECK(*s == q.evaluate_string(ctx));
                ++answered;
            }
            std::string buffer;
            if (const auto t = direct->text(f, at, buffer)) {
                CHECK(*t == q.evaluate_string(ctx));
                ++answered;
            }
            if (const auto x = direct->number(f, at)) {
                const double want = q.evaluate_number(ctx);
                CHECK((*x == want || (std::isnan(*x) && std::isnan(want))));
                ++answered;
            }
            if (q.return_type() == pugi::xpath_type_node_set) {
                const pugi::xpath_node_set want = q.evaluate_node_set(ctx);
                std::vector<casedoc::detail::document_view::place> places;
                const bool listed = direct->places(f, at, places);
                const auto all = direct->nodes(f, at);
                CHECK(listed == all.has_value());
                if (all) {
                    REQUIRE(all->size() == want.size());
                    REQUIRE(places.size() == want.size());
                    pugi::xpath_node_set sorted = want;
                    sorted.sort();
                    for (size_t i = 0; i < want.size(); ++i) {
                        CHECK((*all)[i] == sorted[i]);
                        CHECK(view.node(places[i]) == sorted[i]);
                    }
                    ++answered;
                }
            }
        }
    }
    // Most evaluations are answered directly (a number variable and several-node starts go to pugixml).
    CHECK(answered > expressions.size() * contexts.size() * 4);
}

TEST_CASE("a node that is not in the view has no place in it (pugixml evaluates there)", "[xpath]") {
    pugi::xml_document doc, other;
    REQUIRE(doc.load_string(doc_text, pugi::parse_default | pugi::parse_pi | pugi::parse_comments));
    REQUIRE(other.load_string(doc_text, pugi::parse_default | pugi::parse_pi | pugi::parse_comments));
    const casedoc::detail::variable_table vars;
    casedoc::detail::name_table names;
    const auto direct = direct_xpath::compile("r:author/@id", vars, names);
    REQUIRE(direct);
    casedoc::detail::xpath_frame frame(vars);
    casedoc::detail::document_view& view = frame.view;
    view.build(doc, names);
    constexpr uint32_t none = casedoc::detail::document_view::none;
    const pugi::xpath_node here = doc.select_node("//r:note[1]"), elsewhere = other.select_node("//r:note[1]");
    const auto at = view.place_of(here);
    REQUIRE(at.e != none);
    CHECK(*direct->string(frame, at) == "u1");
    // The same note in another document, a text node, a namespace declaration, and (after clear()) every node.
    const pugi::xpath_node text = doc.select_node("//r:section[1]/text()");
    REQUIRE(text);
    const pugi::xpath_node declaration(doc.document_element().attribute("xmlns:r"), doc.document_element());
    REQUIRE(declaration.attribute());
    for (const pugi::xpath_node& x : {elsewhere, text, declaration}) CHECK(view.place_of(x).e == none);
    view.clear();
    CHECK(view.place_of(here).e == none);
}

TEST_CASE("counts, sums, filters on a variable's nodes, concat and contains are answered directly", "[xpath]") {
    // The differential test above shows the answers right where given; this one that they are given (not left
    // to pugixml) for the shapes the schemas use: count($visits[…]), $n * 2 >= count(…), not($chosen[…]),
    // contains(' HHA SNF ', concat(' ', normalize-space(…), ' ')).
    pugi::xml_document doc;
    REQUIRE(doc.load_string(doc_text, pugi::parse_default | pugi::parse_pi | pugi::parse_comments));
    casedoc::detail::variable_table vars;
    vars.declared(vars.add("n", pugi::xpath_type_number))->set(2.0);
    vars.declared(vars.add("words", pugi::xpath_type_string))->set(" LBSW JD MSW");
    vars.declared(vars.add("notes", pugi::xpath_type_node_set))->set(doc.select_nodes("/r:rec/r:note"));
    casedoc::detail::name_table names;
    const std::vector<std::pair<std::string, double>> numbers = {
        {"count($notes[r:signature])", 1}, {"count($notes/r:signature)", 3}, {"$n * 2 + count($notes)", 7},
        {"count($notes[@type = 'court-hearing'][1]/r:hearing)", 1}, {"count(r:note[@format])", 2}};
    const std::vector<std::pair<std::string, bool>> booleans = {
        {"not($notes[@format = 'SOAP'])", true}, {"$n * 2 >= count($notes)", true}, {"$notes[1]/@id = 'N1'", true},
        {"$notes/r:author/@role = ''", true}, {"count($notes) = 0 or $n * 2 >= count($notes)", true},
        {"contains(' DAP SOAP ', concat(' ', normalize-space($notes[1]/@format), ' '))", true},
        {"$notes[contains(concat(' ', $words, ' '), concat(' ', normalize-space(r:author/@credential), ' '))]", true},
        {"contains($words, 'JD')", true}, {"not(contains(concat($words, '!'), 'MSW!'))", false}};
    std::vector<std::unique_ptr<direct_xpath>> compiled;
    for (const auto& [e, value] : numbers) compiled.push_back(direct_xpath::compile(e, vars, names));
    for (const auto& [e, value] : booleans) compiled.push_back(direct_xpath::compile(e, vars, names));
    casedoc::detail::xpath_frame frame(vars);
    frame.view.build(doc, names);
    const auto root = frame.view.place_of(doc.select_node("/r:rec"));
    for (size_t k = 0; k < compiled.size(); ++k) {
        const bool is_number = k < numbers.size();
        INFO((is_number ? numbers[k].first : booleans[k - numbers.size()].first));
        REQUIRE(compiled[k]);
        if (is_number) CHECK(compiled[k]->number(frame, root) == std::optional<double>(numbers[k].second));
        else CHECK(compiled[k]->boolean(frame, root) == std::optional<bool>(booleans[k - numbers.size()].second));
    }
}

TEST_CASE("direct evaluation refuses what is outside its grammar", "[xpath]") {
    casedoc::detail::variable_table vars; // of each type, so that a refusal is not for want of a variable
    vars.add("b", pugi::xpath_type_boolean);
    vars.add("s", pugi::xpath_type_string);
    vars.add("n", pugi::xpath_type_number);
    vars.add("notes", pugi::xpath_type_node_set);
    casedoc::detail::name_table names;
    for (const std::string& e : refused) {
        INFO(e);
        CHECK_FALSE(direct_xpath::compile(e, vars, names));
    }
    // Nesting past 100 levels is left to pugixml instead of recursing until the stack runs out.
    const auto nested = [](size_t depth, const std::string& open, const std::string& inner) {
        std::string e;
        for (size_t i = 0; i < depth; ++i) e += open;
        return e + inner + std::string(depth, ')');
    };
    CHECK(direct_xpath::compile(nested(50, "(", "@id = 'u1'"), vars, names));
    CHECK(direct_xpath::compile(nested(50, "not(", "@id"), vars, names));
    CHECK_FALSE(direct_xpath::compile(nested(101, "(", "@id = 'u1'"), vars, names));
    CHECK_FALSE(direct_xpath::compile(nested(200000, "(", "1"), vars, names));
    CHECK_FALSE(direct_xpath::compile(nested(100000, "not(", "@id"), vars, names));
}

TEST_CASE("string_value is XPath's string() for every kind of node", "[xpath]") {
    // The direct evaluator, the casedoc checks and the renderer read string-values through it.
    pugi::xml_document doc;
    REQUIRE(doc.load_string(doc_text, pugi::parse_default | pugi::parse_pi | pugi::parse_comments));
    const pugi::xpath_query string_of_context("string(.)");
    std::vector<pugi::xpath_node> nodes{pugi::xpath_node(doc)};
    for (const pugi::xpath_node& x : doc.select_nodes("//node() | //@*")) nodes.push_back(x);
    size_t comments = 0, instructions = 0;
    for (const pugi::xpath_node& x : nodes) {
        INFO("node type " << x.node().type() << " " << x.node().name() << x.attribute().name());
        CHECK(casedoc::detail::string_value(x) == string_of_context.evaluate_string(x));
        comments += x.node().type() == pugi::node_comment;
        instructions += x.node().type() == pugi::node_pi;
    }
    CHECK(comments == 1);
    CHECK(instructions == 1);
}

TEST_CASE("the name table tells apart names that differ in any one byte, at every length", "[xpath]") {
    // Its comparison reads words that overlap (lengths 4-7, 9-15, …): a byte missed at any position would
    // make two names one.
    casedoc::detail::name_table names;
    std::vector<std::string> added;
    for (size_t length = 1; length <= 24; ++length) {
        std::string name(length, 'a');
        for (size_t i = 0; i < length; ++i) name[i] = static_cast<char>('a' + (i * 7 + length) % 26);
        added.push_back(name);
        REQUIRE(names.add(name) == added.size());
    }
    for (size_t k = 0; k < added.size(); ++k) {
        const std::string& name = added[k];
        INFO(name);
        CHECK(names.find(name) == k + 1);
        CHECK(names.find(std::string(name) + "x") != k + 1);
        for (size_t i = 0; i < name.size(); ++i) {
            std::string other = name;
            other[i] = other[i] == 'z' ? 'y' : static_cast<char>(other[i] + 1);
            CHECK(names.find(other) == casedoc::detail::name_table::unknown);
        }
    }
}
