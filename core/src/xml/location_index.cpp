#include "location_index.hpp"

#include <casedoc/xml/xml_document.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace casedoc::detail {

namespace {

// A step of a location path without its position: name, *[local-name()=…][namespace-uri()=…], text()…
std::string step_name(const xml_document& doc, pugi::xml_node n) {
    switch (n.type()) {
    case pugi::node_element: {
        const std::string uri = doc.namespace_of(n);
        const std::string_view qname = n.name();
        const size_t colon = qname.find(':');
        const std::string_view local = colon == std::string_view::npos ? qname : qname.substr(colon + 1);
        if (uri.empty()) return std::string(local);
        std::string shown = doc.display_name(n);
        if (shown.find(':') != std::string::npos && shown.compare(0, 2, "ns") != 0) return shown;
        return "*[local-name()='" + std::string(local) + "'][namespace-uri()='" + uri + "']";
    }
    case pugi::node_pcdata:
    case pugi::node_cdata: return "text()";
    case pugi::node_comment: return "comment()";
    case pugi::node_pi: return "processing-instruction('" + std::string(n.name()) + "')";
    default: return {};
    }
}

// What a step's position counts: siblings of the same kind, and for elements and PIs the same name.
std::string_view kind_key(pugi::xml_node n) {
    switch (n.type()) {
    case pugi::node_element: return n.name();
    case pugi::node_pcdata:
    case pugi::node_cdata: return "\x01text";
    case pugi::node_comment: return "\x01comment";
    case pugi::node_pi: return "\x01pi";
    default: return {};
    }
}

} // namespace

location_index location_index::build(const xml_document& doc) {
    location_index index;
    auto tree = std::make_shared<location_tree>();
    const pugi::xml_node document = doc.dom();
    index.nodes.emplace(document.internal_object(), 0u);
    // Parents whose children are still to be numbered, each with its node in the tree.
    std::vector<std::pair<pugi::xml_node, uint32_t>> parents{{document, 0u}};
    std::unordered_map<std::string_view, unsigned> positions; // per kind_key, among one parent's children
    std::unordered_map<std::string_view, unsigned> pi_positions;
    while (!parents.empty()) {
        const auto [parent, parent_node] = parents.back();
        parents.pop_back();
        positions.clear();
        pi_positions.clear();
        for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
            const std::string_view key = kind_key(c);
            if (key.empty()) continue;
            const unsigned k = c.type() == pugi::node_pi ? ++pi_positions[c.name()] : ++positions[key];
            std::string step = step_name(doc, c);
            step += '[';
            step += std::to_string(k);
            step += ']';
            const uint32_t node = tree->add(parent_node, step);
            index.nodes.emplace(c.internal_object(), node);
            if (c.first_child()) parents.emplace_back(c, node);
        }
    }
    index.tree = std::move(tree);
    return index;
}

location_path location_index::path_of(const pugi::xpath_node& x) const {
    const pugi::xml_node n = x.attribute() ? x.parent() : x.node();
    const auto it = nodes.find(n.internal_object());
    if (it == nodes.end()) return {};
    return location_path(tree, it->second, x.attribute() ? "/@" + std::string(x.attribute().name()) : std::string());
}

} // namespace casedoc::detail
