// Target 4, differential: the direct XPath evaluator (schematron/direct_xpath.hpp) against pugixml's on a fuzzed
// expression (the input's first line) and document (the rest; a fixed document when there is none), at every
// element and attribute, with string, boolean, number and node-set variables as the rule engine has them.
// Guarantees: what the direct evaluator compiles pugixml compiles too, and every answer it gives (boolean,
// string, text, number, node-set) is pugixml's; where it cannot answer it declines (nullopt).
#include "fuzz_support.hpp"

#include "direct_xpath.hpp"

#include <cmath>
#include <optional>
#include <string>

namespace {

using casedoc::detail::direct_xpath;
using casedoc::detail::document_view;

const char* default_document = R"(<r:rec xmlns:r="u" id="R1" as-of="2024-05-31">
  <r:note id="N1" type="visit" format="DAP" service-at="2024-03-01T10:00" late-entry="true">
    <r:author id="u1" role="caseworker" credential=" LBSW "/>
    <r:signature signer="u2" signed-at="2024-03-01T12:00"/>
    <r:signature signer="u1" signed-at="2024-03-02T09:00" method="electronic"/>
    <r:section code="data">  The child   was seen at home. </r:section>
    <r:section code="plan"/>
  </r:note>
  <r:note id="N2" type="court-hearing" format="" service-at="2024-04-01T10:00" hours=" 12.5 ">
    <?r:author id="pi"?><!-- c --><r:author id="u3" role="" credential="JD"/>
  </r:note>
</r:rec>)";

bool same_number(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input = casedoc_fuzz::as_text(data, size);
    const size_t eol = input.find('\n');
    const std::string expression(input.substr(0, eol));
    if (expression.find('\0') != std::string::npos) return 0; // pugixml takes a C string
    const std::string text = eol == std::string_view::npos ? std::string(default_document) : std::string(input.substr(eol + 1));

    pugi::xml_document doc;
    if (!doc.load_buffer(text.data(), text.size(), pugi::parse_default | pugi::parse_pi | pugi::parse_comments))
        return 0;
    casedoc::detail::variable_table vars;
    vars.declared(vars.add("s", pugi::xpath_type_string))->set("u1");
    vars.declared(vars.add("b", pugi::xpath_type_boolean))->set(true);
    vars.declared(vars.add("n", pugi::xpath_type_number))->set(2.0);
    try {
        vars.declared(vars.add("set", pugi::xpath_type_node_set))->set(doc.select_nodes("//@id"));
        vars.declared(vars.add("notes", pugi::xpath_type_node_set))->set(doc.select_nodes("/*/*"));
        vars.add("empty", pugi::xpath_type_node_set);
    } catch (const pugi::xpath_exception&) {
        return 0;
    }

    casedoc::detail::name_table names;
    const auto direct = direct_xpath::compile(expression, vars, names);
    if (!direct) return 0; // declined: pugixml answers it
    std::optional<pugi::xpath_query> query;
    try {
        query.emplace(expression.c_str(), &vars.set());
    } catch (const pugi::xpath_exception&) {
        casedoc_fuzz::broken("the direct evaluator compiles what pugixml refuses", expression);
    }
    const pugi::xpath_query& q = *query;
    casedoc::detail::xpath_frame frame(vars);
    const document_view& view = frame.view;
    frame.view.build(doc, names);

    std::vector<pugi::xpath_node> contexts{pugi::xpath_node(doc)};
    for (const pugi::xpath_node& x : doc.select_nodes("//* | //@*")) {
        if (contexts.size() >= 64) break; // enough places; keeps an execution short
        contexts.push_back(x);
    }
    for (const pugi::xpath_node& ctx : contexts) {
        const auto at = view.place_of(ctx);
        if (at.e == document_view::none) continue;
        if (const auto b = direct->boolean(frame, at); b && *b != q.evaluate_boolean(ctx))
            casedoc_fuzz::broken("boolean differs", expression);
        if (const auto s = direct->string(frame, at); s && *s != q.evaluate_string(ctx))
            casedoc_fuzz::broken("string differs", expression);
        std::string buffer;
        if (const auto t = direct->text(frame, at, buffer); t && *t != q.evaluate_string(ctx))
            casedoc_fuzz::broken("text differs", expression);
        if (const auto x = direct->number(frame, at); x && !same_number(*x, q.evaluate_number(ctx)))
            casedoc_fuzz::broken("number differs", expression);
        if (q.return_type() == pugi::xpath_type_node_set) {
            std::vector<document_view::place> places;
            const bool listed = direct->places(frame, at, places);
            const auto all = direct->nodes(frame, at);
            if (listed != all.has_value()) casedoc_fuzz::broken("places() and nodes() disagree", expression);
            if (!all) continue;
            pugi::xpath_node_set want = q.evaluate_node_set(ctx);
            want.sort();
            if (all->size() != want.size() || places.size() != want.size())
                casedoc_fuzz::broken("node-set size differs", expression);
            for (size_t i = 0; i < want.size(); ++i)
                if ((*all)[i] != want[i] || view.node(places[i]) != want[i])
                    casedoc_fuzz::broken("node-set differs", expression);
        }
    }
    return 0;
}
