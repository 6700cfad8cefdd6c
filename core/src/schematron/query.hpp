// A schema's compiled XPath expression (query), answered by the direct evaluator where it can be, else by
// pugixml, and the node it is asked about (context).
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

// A node-set let the direct evaluator holds as places (held_nodes, direct_xpath.hpp). Its pugixml variable is
// stale until an expression that reads it is given to pugixml: sync() then writes the places into it.
struct held_let {
    held_nodes value;
    pugi::xpath_variable* var = nullptr;
    bool stale = false;

    void sync(const document_view& view) {
        if (!stale) return;
        std::vector<pugi::xpath_node> nodes;
        nodes.reserve(value.places.size());
        for (const document_view::place& p : value.places) nodes.push_back(view.node(p));
        var->set(pugi::xpath_node_set(nodes.data(), nodes.data() + nodes.size(), pugi::xpath_node_set::type_sorted));
        stale = false;
    }
};

// A compiled XPath. The commonest shapes are also compiled for direct evaluation (direct_xpath.hpp), which
// answers them on the schema's view of the document being validated, without the XPath engine's per-call
// set-up; pugixml evaluates the rest. pugixml's compiled form of an expression the direct evaluator has is made
// again only when first needed (a node outside the view): each pugixml query keeps an allocator of 4 kB blocks,
// most of a large schema's memory otherwise.
struct query {
    std::string source;
    std::string rewritten;                      // what pugixml compiles (source with its rewrites)
    pugi::xpath_variable_set* vars = nullptr;   // the schema's, which its variables are bound to
    pugi::xpath_value_type type = pugi::xpath_type_none;
    mutable std::unique_ptr<pugi::xpath_query> q; // null until needed when `direct` is set
    std::unique_ptr<direct_xpath> direct;
    const document_view* view = nullptr; // the schema's
    std::vector<held_let*> reads;        // the held lets it reads: their pugixml variables synced before pugixml
    const held_let* held = nullptr;      // the whole expression is a node-set $variable that may be held
    bool uses_current = false;
    const pugi::xpath_variable* variable = nullptr; // the whole expression is $variable
    explicit operator bool() const { return type != pugi::xpath_type_none; }
    pugi::xpath_value_type return_type() const { return type; }

    // Whether the direct evaluator may try this context.
    bool walks(const context& c) const { return direct && c.at.e != document_view::none; }
    // pugixml's query, the variables it reads up to date.
    const pugi::xpath_query& pugixml() const {
        sync();
        if (!q) q = std::make_unique<pugi::xpath_query>(rewritten.c_str(), vars); // compiled once before: no error
        return *q;
    }
    void sync() const {
        for (held_let* h : reads) h->sync(*view);
    }

    std::string string(const context& c) const {
        if (walks(c))
            if (auto s = direct->string(*view, c.at)) return std::move(*s);
        return pugixml().evaluate_string(c.pugi(*view));
    }
    // string(), in place where it can be, else built in `buffer`.
    std::string_view text(const context& c, std::string& buffer) const {
        if (walks(c))
            if (auto s = direct->text(*view, c.at, buffer)) return *s;
        buffer = pugixml().evaluate_string(c.pugi(*view));
        return buffer;
    }
    double number(const context& c) const {
        if (variable && variable->type() == pugi::xpath_type_number) return variable->get_number();
        if (walks(c))
            if (auto x = direct->number(*view, c.at)) return *x;
        return pugixml().evaluate_number(c.pugi(*view));
    }
    bool boolean(const context& c) const {
        if (walks(c))
            if (auto b = direct->boolean(*view, c.at)) return *b;
        return pugixml().evaluate_boolean(c.pugi(*view));
    }
    pugi::xpath_node_set nodes(const context& c) const {
        if (variable && variable->type() == pugi::xpath_type_node_set) {
            sync();
            return variable->get_node_set();
        }
        if (walks(c))
            if (auto x = direct->nodes(*view, c.at)) return std::move(*x);
        return pugixml().evaluate_node_set(c.pugi(*view));
    }
    // The nodes as places in the view, into `out`; false when some are not in it (or pugixml has to say).
    bool places(const context& c, std::vector<document_view::place>& out) const {
        if (held && held->value.valid) {
            out = held->value.places;
            return true;
        }
        return walks(c) && direct->places(*view, c.at, out);
    }
};

} // namespace casedoc::detail

#endif
