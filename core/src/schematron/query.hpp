// A schema's compiled XPath expression (query), answered by the direct evaluator where it can be, else by
// pugixml, the node it is asked about (context), and what a thread evaluates it with (query_state).
#ifndef CASEDOC_SCHEMATRON_QUERY_HPP
#define CASEDOC_SCHEMATRON_QUERY_HPP

#include "direct_xpath.hpp"

#include <casedoc/xml/document_view.hpp>

#include <pugixml.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc::detail {

// A node being checked: its pugixml node, and its place in the view of its document (at.e == none when the
// view does not have it: a text node, a node of a subordinate document).
struct context {
    pugi::xpath_node node; // may be left empty for a node in the view, which finds it when asked
    document_view::place at;

    pugi::xpath_node pugi(const document_view& view) const {
        return node || at.e == document_view::none ? node : view.node(at);
    }
};

// What one thread evaluates queries with: its frame (the variables' values, the view of the document) and
// pugixml's compiled forms of the schema's queries, made the first time this thread needs each (pugixml binds
// a compiled query to one set of variables, so they cannot be shared).
struct query_state : xpath_frame {
    std::vector<std::unique_ptr<pugi::xpath_query>> compiled; // by query number

    query_state(const variable_table& vars, size_t queries) : xpath_frame(vars), compiled(queries) {}
};

// A compiled XPath. The commonest shapes are also compiled for direct evaluation (direct_xpath.hpp), which
// answers them on the view of the document being validated, without the XPath engine's per-call set-up;
// pugixml evaluates the rest, in each thread's own compiled form (query_state). Read-only once compiled: every
// thread validating with the schema shares it.
struct query {
    std::string source;
    std::string rewritten;                      // what pugixml compiles (source with its rewrites)
    pugi::xpath_value_type type = pugi::xpath_type_none;
    uint32_t id = 0;                            // its place in query_state::compiled
    std::unique_ptr<direct_xpath> direct;
    std::vector<uint32_t> reads;                // the held variables it reads: synced before pugixml evaluates it
    uint32_t variable = 0;                      // the whole expression is $variable: its number
    bool held = false;                          // ... a node-set that may be held as places
    bool uses_current = false;
    explicit operator bool() const { return type != pugi::xpath_type_none; }
    pugi::xpath_value_type return_type() const { return type; }

    // Whether the direct evaluator may try this context.
    bool walks(const context& c) const { return direct && c.at.e != document_view::none; }
    // pugixml's query in this thread, the variables it reads up to date.
    const pugi::xpath_query& pugixml(query_state& st) const {
        for (const uint32_t v : reads) st.sync(v);
        std::unique_ptr<pugi::xpath_query>& q = st.compiled[id];
        if (!q) q = std::make_unique<pugi::xpath_query>(rewritten.c_str(), &st.set); // compiled once before: no error
        return *q;
    }

    std::string string(query_state& st, const context& c) const {
        if (walks(c))
            if (auto s = direct->string(st, c.at)) return std::move(*s);
        return pugixml(st).evaluate_string(c.pugi(st.view));
    }
    // string(), in place where it can be, else built in `buffer`.
    std::string_view text(query_state& st, const context& c, std::string& buffer) const {
        if (walks(c))
            if (auto s = direct->text(st, c.at, buffer)) return *s;
        buffer = pugixml(st).evaluate_string(c.pugi(st.view));
        return buffer;
    }
    double number(query_state& st, const context& c) const {
        if (variable && type == pugi::xpath_type_number) return st.variables[variable]->get_number();
        if (walks(c))
            if (auto x = direct->number(st, c.at)) return *x;
        return pugixml(st).evaluate_number(c.pugi(st.view));
    }
    bool boolean(query_state& st, const context& c) const {
        if (walks(c))
            if (auto b = direct->boolean(st, c.at)) return *b;
        return pugixml(st).evaluate_boolean(c.pugi(st.view));
    }
    pugi::xpath_node_set nodes(query_state& st, const context& c) const {
        if (variable && type == pugi::xpath_type_node_set) {
            st.sync(variable);
            return st.variables[variable]->get_node_set();
        }
        if (walks(c))
            if (auto x = direct->nodes(st, c.at)) return std::move(*x);
        return pugixml(st).evaluate_node_set(c.pugi(st.view));
    }
    // The nodes as places in the view, into `out`; false when some are not in it (or pugixml has to say).
    bool places(query_state& st, const context& c, std::vector<document_view::place>& out) const {
        if (held && st.held[variable].valid) {
            out = st.held[variable].places;
            return true;
        }
        return walks(c) && direct->places(st, c.at, out);
    }
};

} // namespace casedoc::detail

#endif
