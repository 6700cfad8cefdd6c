#include <casedoc/xml/document_view.hpp>

#include <casedoc/xml/xml_chars.hpp>

namespace casedoc::detail {

namespace {

size_t slot_of(const pugi::xml_node_struct* n, size_t mask) {
    return static_cast<size_t>((reinterpret_cast<uintptr_t>(n) >> 4) * 0x9e3779b97f4a7c15ull >> 20) & mask;
}

} // namespace

void document_view::clear() {
    elements_.clear();
    attributes_.clear();
    slots_.clear();
    last_node_ = pugi::xpath_node();
}

void document_view::build(pugi::xml_node document, const name_table& names) {
    clear();
    elements_.push_back({document.internal_object(), name_table::unknown});
    uint32_t parent = 0;
    // Pre-order, without recursion: descend into an element's children, else go on to the next sibling,
    // climbing back up where a subtree ends.
    for (pugi::xml_node n = document.first_child(); n;) {
        const bool is_element = n.type() == pugi::node_element;
        if (is_element) {
            const auto e = static_cast<uint32_t>(elements_.size());
            element x{n.internal_object(), names.find(n.name())};
            x.parent = parent;
            element& up = elements_[parent];
            x.previous = up.last_child;
            if (up.last_child == none) up.first_child = e;
            else elements_[up.last_child].next = e;
            up.last_child = e;
            x.attributes = static_cast<uint32_t>(attributes_.size());
            for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
                const std::string_view name = a.name();
                if (!is_namespace_declaration(name)) attributes_.push_back({a.internal_object(), a.value(), names.find(name)});
            }
            x.attributes_end = static_cast<uint32_t>(attributes_.size());
            elements_.push_back(x);
            if (pugi::xml_node c = n.first_child()) {
                parent = e;
                n = c;
                continue;
            }
        }
        while (!n.next_sibling()) {
            n = n.parent();
            if (n == document) break;
            parent = elements_[parent].parent;
        }
        n = n == document ? pugi::xml_node() : n.next_sibling();
    }
    size_t capacity = 16;
    while (capacity < elements_.size() * 2) capacity *= 2;
    slots_.assign(capacity, {nullptr, none});
    mask_ = capacity - 1;
    for (uint32_t e = 0; e < elements_.size(); ++e) {
        size_t i = slot_of(elements_[e].node, mask_);
        while (slots_[i].first) i = (i + 1) & mask_;
        slots_[i] = {elements_[e].node, e};
    }
}

uint32_t document_view::element_of(const pugi::xml_node_struct* n) const {
    if (slots_.empty() || !n) return none;
    for (size_t i = slot_of(n, mask_);; i = (i + 1) & mask_) {
        if (slots_[i].first == n) return slots_[i].second;
        if (!slots_[i].first) return none;
    }
}

document_view::place document_view::place_of(const pugi::xpath_node& x) const {
    if (x == last_node_ && !slots_.empty()) return last_place_;
    last_place_ = find(x);
    last_node_ = x;
    return last_place_;
}

document_view::place document_view::find(const pugi::xpath_node& x) const {
    if (const pugi::xml_attribute a = x.attribute()) {
        const uint32_t e = element_of(x.parent().internal_object());
        if (e == none) return {};
        const element& el = elements_[e];
        for (uint32_t i = el.attributes; i < el.attributes_end; ++i)
            if (attributes_[i].attr == a.internal_object()) return {e, i};
        return {}; // a namespace declaration
    }
    return {element_of(x.node().internal_object()), none};
}

pugi::xpath_node document_view::node(place p) const {
    const pugi::xml_node n(elements_[p.e].node);
    if (p.is_attribute()) return pugi::xpath_node(pugi::xml_attribute(attributes_[p.a].attr), n);
    return pugi::xpath_node(n);
}

} // namespace casedoc::detail
