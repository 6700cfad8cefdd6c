// A compact, read-only index of a parsed document's elements and attributes, built once per document before
// its rules run: names as numbers (name_table.hpp), element-only child and sibling links, and each element's
// attributes (namespace declarations left out, as XPath leaves them out) in one array. The direct evaluator
// (direct_xpath.hpp) walks it instead of pugixml's tree, whose lookups by name are out-of-line calls that
// compare every name they pass with strcmp.
#ifndef CASEDOC_XML_DOCUMENT_VIEW_HPP
#define CASEDOC_XML_DOCUMENT_VIEW_HPP

#include <casedoc/xml/name_table.hpp>

#include <pugixml.hpp>

#include <cstdint>
#include <vector>

namespace casedoc::detail {

class document_view {
public:
    static constexpr uint32_t none = UINT32_MAX;

    struct element { // element 0 is the document node
        pugi::xml_node_struct* node;
        uint32_t name; // name_table::unknown for the document node and names the schema does not use
        uint32_t parent = none, first_child = none, last_child = none, next = none, previous = none;
        uint32_t attributes = 0, attributes_end = 0; // [attributes, attributes_end) of attribute()
    };
    struct attribute {
        pugi::xml_attribute_struct* attr;
        const char* value;
        uint32_t name;
    };
    // An element (or the document), or one of its attributes.
    struct place {
        uint32_t e = none, a = none;
        bool is_attribute() const { return a != none; }
    };

    // Indexes `document` (a pugixml document node) with the names in `names`; replaces what was there.
    void build(pugi::xml_node document, const name_table& names);
    void clear();

    size_t elements() const { return elements_.size(); }
    const element& at(uint32_t e) const { return elements_[e]; }
    const element* element_array() const { return elements_.data(); }
    const attribute& attribute_at(uint32_t a) const { return attributes_[a]; }

    // Where a pugixml node is in this view; e == none when it is not here (a text node, another document).
    place place_of(const pugi::xpath_node& x) const;
    pugi::xpath_node node(place p) const;

private:
    uint32_t element_of(const pugi::xml_node_struct* n) const;
    place find(const pugi::xpath_node& x) const;

    std::vector<element> elements_;
    std::vector<attribute> attributes_;
    // pugixml node → element, open addressing on the node's address.
    std::vector<std::pair<const pugi::xml_node_struct*, uint32_t>> slots_;
    size_t mask_ = 0;
    // The last place_of() answer: a rule's checks ask about one node after another.
    mutable pugi::xpath_node last_node_;
    mutable place last_place_;
};

} // namespace casedoc::detail

#endif
