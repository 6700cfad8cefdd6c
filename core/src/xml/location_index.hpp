// The location paths of a document's nodes, built in one walk the first time a node is located: each node's
// step (its name and its position among the siblings of its kind) in a tree that the paths share, and each
// node's place in that tree. Locating a node then costs a lookup, not a walk up the tree with a count of
// preceding siblings at every level.
#ifndef CASEDOC_XML_LOCATION_INDEX_HPP
#define CASEDOC_XML_LOCATION_INDEX_HPP

#include <casedoc/base/location_path.hpp>

#include <pugixml.hpp>

#include <memory>
#include <unordered_map>

namespace casedoc {
class xml_document;
}

namespace casedoc::detail {

struct location_index {
    std::shared_ptr<const location_tree> tree;
    std::unordered_map<const void*, uint32_t> nodes; // pugixml node (internal_object) -> node of tree

    // Indexes every element, text, comment and PI of `doc`, named as doc.display_name() and doc.namespace_of()
    // name them now. Iterative: documents nested 100,000 deep do not exhaust the stack.
    static location_index build(const xml_document& doc);
    // The path of a node of the indexed document (its element, for an attribute, with "/@name" after it).
    location_path path_of(const pugi::xpath_node& node) const;
};

} // namespace casedoc::detail

#endif
