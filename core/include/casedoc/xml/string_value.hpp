// XPath's string-value of a node, for the code that reads nodes without the XPath engine (the direct
// evaluator, the renderer, the casedoc checks).
#ifndef CASEDOC_XML_STRING_VALUE_HPP
#define CASEDOC_XML_STRING_VALUE_HPP

#include <pugixml.hpp>

#include <string>
#include <string_view>
#include <type_traits>

namespace casedoc::detail {

// Calls give(chunk) for the pieces of a node's string-value in order, each a NUL-terminated string: an
// attribute's value, the value of a text, comment or processing-instruction node, or each text node below an
// element (or the document). give() returns true to stop the walk.
template <class F> void for_each_chunk(const pugi::xpath_node& n, F&& give) {
    if (n.attribute()) return void(give(n.attribute().value()));
    const pugi::xml_node top = n.node();
    if (!top) return;
    if (top.type() != pugi::node_element && top.type() != pugi::node_document) return void(give(top.value()));
    for (pugi::xml_node d = top.first_child(); d;) {
        if ((d.type() == pugi::node_pcdata || d.type() == pugi::node_cdata) && give(d.value())) return;
        if (d.first_child()) {
            d = d.first_child();
        } else {
            while (d && !d.next_sibling() && d != top) d = d.parent();
            if (!d || d == top) break;
            d = d.next_sibling();
        }
    }
}

// The same pieces as string views; a text() that returns bool stops the walk by returning true.
template <class F> void for_each_text(const pugi::xpath_node& n, F&& text) {
    for_each_chunk(n, [&](const char* chunk) {
        if constexpr (std::is_same_v<decltype(text(std::string_view())), bool>)
            return text(std::string_view(chunk));
        else
            return text(std::string_view(chunk)), false;
    });
}

inline std::string string_value(const pugi::xpath_node& n) {
    std::string out;
    for_each_text(n, [&](std::string_view t) { out += t; });
    return out;
}

} // namespace casedoc::detail

#endif
