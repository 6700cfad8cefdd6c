// direct_xpath's evaluator: an expression's syntax tree (direct_xpath_ast.hpp) answered by walking a document's
// view, or nullopt when pugixml has to answer.
#include "direct_xpath_ast.hpp"

#include <casedoc/xml/string_value.hpp>
#include <casedoc/xml/xml_chars.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <limits>

namespace casedoc::detail {

namespace {

using node = direct_xpath::node;
using step = direct_xpath::step;
using path = direct_xpath::path;
using kind = node::kind;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// string-length(x), or string-length(normalize-space(x)) without building either string, counted up to `cap`
// at most; `each_chunk` calls its argument with the pieces of x's string-value (NUL-terminated strings, as
// for_each_chunk does), each read no further than the count needs.
template <class T> size_t text_length(T&& each_chunk, bool normalized, size_t cap) {
    size_t length = 0;
    if (!normalized) {
        each_chunk([&](const char* c) {
            for (; *c && length < cap; ++c) ++length;
            return length >= cap;
        });
        return length;
    }
    bool space = false;
    each_chunk([&](const char* c) {
        for (; *c; ++c) {
            if (is_xml_space(*c)) {
                space = length > 0;
            } else {
                length += space ? 2 : 1;
                space = false;
                if (length >= cap) return true;
            }
        }
        return false;
    });
    return std::min(length, cap);
}

// normalize-space(string(x)) = ''
template <class T> bool is_blank(T&& each_chunk) {
    bool blank = true;
    each_chunk([&](const char* c) {
        for (; *c && blank; ++c) blank = is_xml_space(*c);
        return !blank;
    });
    return blank;
}

using place = document_view::place;
constexpr uint32_t none = document_view::none;

// An attribute's value equals a literal (without measuring the value first).
bool equals(const char* value, const std::string& literal) {
    for (const char c : literal)
        if (*value++ != c) return false;
    return *value == 0;
}

// Evaluates over a document's view; every function's nullopt means "this evaluation needs pugixml".
class evaluator {
public:
    explicit evaluator(const xpath_frame& f) : f_(f), v_(f.view) {}

    // Calls visit(place) for each node the path selects from `ctx` until it returns true: in document order when
    // `in_order` (else in an order of its own), each node once when the path is distinct. Returns false when
    // this evaluation needs pugixml.
    template <class F> bool each(const path& p, place ctx, F&& visit, bool in_order = false) const {
        if (p.lone_attribute) { // walk()'s attribute step, without its set-up
            if (const uint32_t a = own_attribute(p, ctx); a != none) visit(place{ctx.e, a});
            return true;
        }
        if (p.children_only) return children(p, ctx, visit);
        bool stop = false;
        if (!p.variable) return walk(p, 0, ctx, visit, stop);
        if (p.variable_type != pugi::xpath_type_node_set) return false;
        // The variable's nodes: held as places (in document order), or in pugixml's node-set.
        const std::vector<place>* held = held_places(p);
        const pugi::xpath_node_set* set = held ? nullptr : &var(p)->get_node_set();
        const size_t count = held ? held->size() : set->size();
        if (count > 1) {
            // From several nodes the path goes on as it does from one if it meets no node twice (child and
            // attribute steps), and in document order only through attribute steps (a start may hold another).
            if (set && set->type() == pugi::xpath_node_set::type_unsorted) return false;
            for (const step& s : p.steps)
                if (s.on != step::axis::attribute && (s.on != step::axis::child || in_order)) return false;
        }
        const bool reverse = set && set->type() == pugi::xpath_node_set::type_sorted_reverse;
        for (size_t k = 0; k < count && !stop; ++k) {
            const place start = held ? (*held)[k] : v_.place_of((*set)[reverse ? count - 1 - k : k]);
            if (start.e == none) return false;
            if (p.filtered) { // $v[…]: the variable's nodes that pass, in document order; [1] the first of them
                if (start.is_attribute()) return false;
                const std::optional<bool> ok = passes(p.filter, start.e);
                if (!ok) return false;
                if (!*ok) continue;
            }
            if (!walk(p, 0, start, visit, stop)) return false;
            if (p.filter.first_only) break;
        }
        return true;
    }

    // Whether a path selects a node.
    std::optional<bool> exists(const path& p, place ctx) const {
        bool found = false;
        if (!each(p, ctx, [&](place) { return found = true; })) return std::nullopt;
        return found;
    }

    // The first node of a path in document order (e == none when there is none).
    std::optional<place> first_of(const path& p, place ctx) const {
        if (!p.ordered) return std::nullopt;
        place found;
        if (!each(
                p, ctx,
                [&](place x) {
                    found = x;
                    return true;
                },
                true))
            return std::nullopt;
        return found;
    }

    // The expression's string value (text_of(), as a string of its own).
    std::optional<std::string> string_of(const node& n, place ctx) const {
        std::string buffer;
        const auto t = text_of(n, ctx, buffer);
        if (!t) return std::nullopt;
        return t->data() == buffer.data() ? std::move(buffer) : std::string(*t);
    }

    std::optional<bool> boolean_of(const node& n, place ctx) const {
        switch (n.type) {
        case kind::literal: return !n.text.empty();
        case kind::constant: return n.constant;
        case kind::path: {
            if (n.is_variable()) {
                switch (n.p.variable_type) {
                case pugi::xpath_type_string: return *var(n.p)->get_string() != 0;
                case pugi::xpath_type_boolean: return var(n.p)->get_boolean();
                case pugi::xpath_type_node_set:
                    if (const std::vector<place>* h = held_places(n.p)) return !h->empty();
                    return !var(n.p)->get_node_set().empty();
                case pugi::xpath_type_number: {
                    const double d = var(n.p)->get_number();
                    return d != 0 && !std::isnan(d);
                }
                default: return std::nullopt;
                }
            }
            return exists(n.p, ctx);
        }
        case kind::normalized:
        case kind::string:
        case kind::concat: {
            std::string buffer;
            const auto t = text_of(n, ctx, buffer);
            if (!t) return std::nullopt;
            return !t->empty();
        }
        case kind::negation: {
            const auto a = boolean_of(*n.a, ctx);
            if (!a) return std::nullopt;
            return !*a;
        }
        case kind::conjunction:
        case kind::disjunction: {
            const bool conj = n.type == kind::conjunction;
            const auto a = boolean_of(*n.a, ctx);
            if (!a) return std::nullopt;
            if (*a != conj) return *a; // false and …, true or …
            return boolean_of(*n.b, ctx);
        }
        case kind::equal:
        case kind::not_equal: return compare(n, ctx);
        case kind::relation: return relate(n, ctx);
        case kind::to_boolean: return boolean_of(*n.a, ctx);
        case kind::contains: {
            std::string ba, bb;
            const auto x = text_of(*n.a, ctx, ba), y = text_of(*n.b, ctx, bb);
            if (!x || !y) return std::nullopt;
            return x->find(*y) != std::string_view::npos;
        }
        case kind::number: return n.value != 0 && !std::isnan(n.value);
        case kind::length:
        case kind::text_number:
        case kind::count:
        case kind::sum:
        case kind::product: {
            const auto x = number_of(n, ctx);
            if (!x) return std::nullopt;
            return *x != 0 && !std::isnan(*x);
        }
        }
        return std::nullopt;
    }

    pugi::xpath_node to_pugi(place p) const { return p.e == none ? pugi::xpath_node() : v_.node(p); }

    // The expression's string value, in place where it can be (a literal, a string variable, an attribute),
    // else built in `buffer`.
    std::optional<std::string_view> text_of(const node& n, place ctx, std::string& buffer) const {
        if (n.type == kind::literal) return std::string_view(n.text);
        if (n.is_variable()) {
            switch (n.p.variable_type) {
            case pugi::xpath_type_string: return std::string_view(var(n.p)->get_string());
            case pugi::xpath_type_boolean: return boolean_text(var(n.p)->get_boolean());
            case pugi::xpath_type_node_set: break; // its first node's value, as for a path
            default: return std::nullopt; // a number: pugixml formats it
            }
        }
        if ((n.type == kind::string || n.type == kind::normalized) && n.p.variable && !n.p.filtered &&
            n.p.steps.empty() && n.p.variable_type == pugi::xpath_type_string) { // string($s), normalize-space($s)
            const std::string_view v = var(n.p)->get_string();
            if (n.type == kind::string) return v;
            buffer = normalize_space(v);
            return std::string_view(buffer);
        }
        if (n.type == kind::concat) {
            buffer.clear();
            std::string piece; // an argument's own buffer: what it gives is appended before the next is asked
            for (const auto& argument : n.arguments) {
                const auto t = text_of(*argument, ctx, piece);
                if (!t) return std::nullopt;
                buffer += *t;
            }
            return std::string_view(buffer);
        }
        if (n.type == kind::string || n.type == kind::normalized || n.type == kind::path) { // a path: string(path)
            const auto first = first_of(n.p, ctx);
            if (!first) return std::nullopt;
            if (first->e == none) return std::string_view();
            if (n.type != kind::normalized) return value_of(*first, buffer);
            std::string raw;
            buffer = normalize_space(value_of(*first, raw));
            return std::string_view(buffer);
        }
        if (n.is_number()) return std::nullopt; // number formatting: pugixml
        const auto b = boolean_of(n, ctx);
        if (!b) return std::nullopt;
        return boolean_text(*b);
    }

private:
    static std::string_view boolean_text(bool b) { return b ? "true" : "false"; }

    // The attribute of element e with this name, or none.
    uint32_t attribute(uint32_t e, uint32_t name) const {
        const document_view::element& el = v_.at(e);
        for (uint32_t a = el.attributes; a < el.attributes_end; ++a)
            if (v_.attribute_at(a).name == name) return a;
        return none;
    }
    // A lone_attribute path's attribute of the context (an attribute has none), or none.
    uint32_t own_attribute(const path& p, place ctx) const {
        return ctx.is_attribute() ? none : attribute(ctx.e, p.steps.front().name_id);
    }

    std::string string_value(place p) const { return p.e == none ? std::string() : detail::string_value(v_.node(p)); }

    // The pieces of a node's string-value, given to a function as for_each_chunk() does: an attribute's value
    // from the view, an element's text from pugixml; none for no node.
    auto texts(place p) const {
        return [this, p](auto&& text) {
            if (p.e == none) return;
            if (p.is_attribute()) return void(text(v_.attribute_at(p.a).value));
            for_each_chunk(pugi::xpath_node(pugi::xml_node(v_.at(p.e).node)), text);
        };
    }

    // A node's string-value, in place for an attribute (the common case), else built in `buffer`.
    std::string_view value_of(place p, std::string& buffer) const {
        if (p.is_attribute()) return v_.attribute_at(p.a).value;
        buffer = string_value(p);
        return buffer;
    }

    // Whether element c passes a step's predicates (its [1] aside).
    std::optional<bool> passes(const step& s, uint32_t c) const {
        if (!attributes_equal(s, c)) return false;
        return predicates_pass(s, c);
    }
    // Whether element c passes a step's other predicates.
    std::optional<bool> predicates_pass(const step& s, uint32_t c) const {
        for (const auto& pred : s.predicates) {
            if (pred->is_variable() && pred->p.variable_type == pugi::xpath_type_number) return std::nullopt; // [$n]
            const std::optional<bool> r = boolean_of(*pred, place{c});
            if (!r || !*r) return r;
        }
        return true;
    }

    template <class F> bool walk(const path& p, size_t i, place n, F& visit, bool& stop) const {
        if (i == p.steps.size()) {
            stop = visit(n);
            return true;
        }
        const step& s = p.steps[i];
        switch (s.on) {
        case step::axis::parent: {
            const uint32_t up = n.is_attribute() ? n.e : v_.at(n.e).parent;
            if (up == none) return true;
            if (s.name_id != name_table::unknown) { // the document node's name is unknown: it is no named step's
                if (v_.at(up).name != s.name_id) return true;
                const std::optional<bool> ok = passes(s, up);
                if (!ok) return false;
                if (!*ok) return true;
            }
            return walk(p, i + 1, place{up}, visit, stop);
        }
        case step::axis::preceding_sibling: // nearest first
            return n.is_attribute() || along<true>(p, i, v_.at(n.e).previous, visit, stop);
        case step::axis::following_sibling: return n.is_attribute() || along<false>(p, i, v_.at(n.e).next, visit, stop);
        case step::axis::attribute: {
            if (n.is_attribute()) return true;
            const uint32_t a = attribute(n.e, s.name_id);
            return a == none || walk(p, i + 1, place{n.e, a}, visit, stop);
        }
        case step::axis::self: {
            if (s.name_id == name_table::unknown) return walk(p, i + 1, n, visit, stop); // '.'
            if (n.is_attribute() || v_.at(n.e).name != s.name_id) return true;
            const std::optional<bool> ok = passes(s, n.e);
            if (!ok) return false;
            return !*ok || walk(p, i + 1, n, visit, stop);
        }
        case step::axis::child: return n.is_attribute() || along<false>(p, i, v_.at(n.e).first_child, visit, stop);
        }
        return false;
    }

    // A children_only path, depth first in document order: at[d] is the candidate at child step d, and a step
    // whose candidates run out goes back to the step before (on to its next candidate, none after a [1]).
    template <class F> bool children(const path& p, place ctx, F& visit) const {
        if (ctx.is_attribute()) return true; // an attribute has no children
        const document_view::element* const elements = v_.element_array();
        const bool attribute_last = p.steps.back().on == step::axis::attribute;
        const size_t last = p.steps.size() - (attribute_last ? 2 : 1); // the last child step
        uint32_t at[path::max_children];
        size_t d = 0;
        at[0] = elements[ctx.e].first_child;
        for (;;) {
            const step& s = p.steps[d];
            uint32_t c = at[d];
            for (; c != none; c = elements[c].next) {
                if (elements[c].name != s.name_id || !attributes_equal(s, c)) continue;
                if (s.predicates.empty()) break;
                const std::optional<bool> ok = predicates_pass(s, c);
                if (!ok) return false;
                if (*ok) break;
            }
            if (c == none) {
                if (d == 0) return true;
                --d;
                at[d] = p.steps[d].first_only ? none : elements[at[d]].next;
                continue;
            }
            at[d] = c;
            if (d < last) {
                at[++d] = elements[c].first_child;
                continue;
            }
            if (attribute_last) {
                const uint32_t a = attribute(c, p.steps.back().name_id);
                if (a != none && visit(place{c, a})) return true;
            } else if (visit(place{c})) {
                return true;
            }
            at[d] = s.first_only ? none : elements[c].next;
        }
    }

public:
    // Whether element c has the attribute values a step's @name = 'literal' predicates ask for.
    bool attributes_equal(const step& s, uint32_t c) const {
        for (const auto& [name, literal] : s.attribute_equals) {
            const uint32_t a = attribute(c, name);
            if (a == none || !equals(v_.attribute_at(a).value, literal)) return false;
        }
        return true;
    }

private:
    // The elements from `c` on (siblings, forwards or backwards) that pass step i, each followed down the rest
    // of the path. The commonest loop of all: the elements' array and the step's name in registers.
    template <bool backwards, class F>
    bool along(const path& p, size_t i, uint32_t c, F& visit, bool& stop) const {
        const step& s = p.steps[i];
        const document_view::element* const elements = v_.element_array();
        const uint32_t name = s.name_id;
        const bool tested = !s.attribute_equals.empty() || !s.predicates.empty();
        for (; c != none; c = backwards ? elements[c].previous : elements[c].next) {
            if (elements[c].name != name) continue;
            if (tested) {
                const std::optional<bool> ok = passes(s, c);
                if (!ok) return false;
                if (!*ok) continue;
            }
            if (!walk(p, i + 1, place{c}, visit, stop)) return false;
            if (stop || s.first_only) break;
        }
        return true;
    }

    std::optional<bool> compare(const node& n, place ctx) const {
        const bool equal = n.type == kind::equal;
        const node& a = *n.a;
        const node& b = *n.b;
        // An attribute (@name, r:visit/@location) = 'literal' or $string (or !=), the commonest comparisons: the
        // values compared in place, no buffers.
        auto attributes = [](const node& x) {
            return x.type == kind::path && !x.p.variable && x.p.steps.back().on == step::axis::attribute;
        };
        if (const node* path = attributes(a) ? &a : attributes(b) ? &b : nullptr) {
            const node& other = path == &a ? b : a;
            const bool literal = other.type == kind::literal;
            if (literal || (other.is_variable() && other.p.variable_type == pugi::xpath_type_string)) {
                const char* const text = literal ? nullptr : var(other.p)->get_string();
                auto same = [&](place x) {
                    const char* value = v_.attribute_at(x.a).value;
                    return (literal ? equals(value, other.text) : std::strcmp(value, text) == 0) == equal;
                };
                if (path->p.lone_attribute) { // without each()'s set-up
                    const uint32_t at = own_attribute(path->p, ctx);
                    return at != none && same(place{ctx.e, at});
                }
                bool found = false;
                if (!each(path->p, ctx, [&](place x) { return found = same(x); })) return std::nullopt;
                return found;
            }
        }
        // normalize-space(…) = '' (or !=), the usual test for a blank value: no string built.
        const node* blank = a.type == kind::normalized && b.type == kind::literal && b.text.empty() ? &a
                            : b.type == kind::normalized && a.type == kind::literal && a.text.empty() ? &b
                                                                                                     : nullptr;
        if (blank && (!blank->p.variable || blank->p.variable_type == pugi::xpath_type_node_set)) {
            if (blank->p.lone_attribute) { // normalize-space(@name): the value read in place
                const uint32_t at = own_attribute(blank->p, ctx);
                bool empty = true;
                if (at != none)
                    for (const char* c = v_.attribute_at(at).value; *c && empty; ++c) empty = is_xml_space(*c);
                return empty == equal;
            }
            const auto first = first_of(blank->p, ctx);
            if (!first) return std::nullopt;
            return is_blank(texts(*first)) == equal;
        }
        return compare_strings(n, ctx);
    }

    // compare()'s general case, out of line: its strings are not set up for the commoner comparisons.
    [[gnu::noinline]] std::optional<bool> compare_strings(const node& n, place ctx) const {
        const bool equal = n.type == kind::equal;
        const node& a = *n.a;
        const node& b = *n.b;
        std::string ba, bb;
        if (!is_node_set(a) && !is_node_set(b)) {
            const auto x = text_of(a, ctx, ba), y = text_of(b, ctx, bb);
            if (!x || !y) return std::nullopt;
            return (*x == *y) == equal;
        }
        const node& nodes = is_node_set(a) ? a : b;
        const node& other = is_node_set(a) ? b : a;
        bool found = false;
        if (!is_node_set(other)) { // a node whose string-value compares so with the string
            const auto text = text_of(other, ctx, ba);
            if (!text) return std::nullopt;
            if (!each(nodes.p, ctx, [&](place x) { return found = (value_of(x, bb) == *text) == equal; }))
                return std::nullopt;
            return found;
        }
        std::vector<std::string> others; // two node-sets: a pair of nodes whose string-values compare so
        if (!each(other.p, ctx, [&](place x) {
                others.push_back(string_value(x));
                return false;
            }))
            return std::nullopt;
        if (!each(nodes.p, ctx, [&](place x) {
                const std::string_view s = value_of(x, bb);
                for (const std::string& o : others)
                    if ((s == o) == equal) return found = true;
                return false;
            }))
            return std::nullopt;
        return found;
    }

public:
    // A number operand. A string length is counted up to `cap`: enough to compare it with a number below cap.
    std::optional<double> number_of(const node& n, place ctx, size_t cap = std::numeric_limits<size_t>::max()) const {
        if (n.type == kind::number) return n.value;
        if (n.is_variable()) {
            if (n.p.variable_type != pugi::xpath_type_number) return std::nullopt;
            return var(n.p)->get_number();
        }
        if (n.type == kind::text_number) return text_number_of(n, ctx);
        if (n.type == kind::count) {
            size_t k = 0;
            if (!each(n.p, ctx, [&](place) { return ++k, false; })) return std::nullopt;
            return static_cast<double>(k);
        }
        if (n.type == kind::sum || n.type == kind::product) {
            const auto a = number_of(*n.a, ctx), b = number_of(*n.b, ctx);
            if (!a || !b) return std::nullopt;
            return n.type == kind::sum ? *a + *b : *a * *b;
        }
        if (n.type != kind::length) return std::nullopt;
        const auto first = first_of(n.p, ctx);
        if (!first) return std::nullopt;
        // In bytes, as pugixml's string-length() counts in its UTF-8 build.
        return static_cast<double>(text_length(texts(*first), n.normalize, cap));
    }

private:
    // number(translate(substring(path, 1, N), 'chars', '')) and its shorter forms, without building strings;
    // nullopt (pugixml) for a prefix that is not ASCII (substring() counts characters) or a long value.
    std::optional<double> text_number_of(const node& n, place ctx) const {
        const auto first = first_of(n.p, ctx);
        if (!first) return std::nullopt;
        std::string buffer;
        std::string_view v = first->e == none ? std::string_view() : value_of(*first, buffer);
        if (n.prefix) v = v.substr(0, n.prefix);
        // The usual case, digits alone once the deleted characters are gone (a date as YYYYMMDD): up to 15 of them
        // are a whole number, exact as strtod would give it.
        uint64_t whole = 0;
        size_t count = 0;
        for (const char c : v) {
            const auto u = static_cast<unsigned char>(c);
            if (u < n.deleted.size() && n.deleted[u]) continue;
            if (!is_digit(c) || ++count > 15) {
                count = 0;
                break;
            }
            whole = whole * 10 + uint64_t(u - '0');
        }
        if (count > 0) return static_cast<double>(whole);
        if (n.prefix && !all_ascii(v)) return std::nullopt;
        char text[64];
        size_t len = 0;
        for (const char c : v) {
            if (static_cast<unsigned char>(c) < n.deleted.size() && n.deleted.test(static_cast<unsigned char>(c)))
                continue;
            if (len + 1 == sizeof text) return std::nullopt;
            text[len++] = c;
        }
        text[len] = 0;
        // XPath's number(): white space, an optional minus, digits with at most one '.' (a digit on either
        // side), white space; anything else is NaN.
        size_t i = 0;
        while (i < len && is_xml_space(text[i])) ++i;
        const size_t start = i;
        if (i < len && text[i] == '-') ++i;
        const size_t digits = i;
        while (i < len && is_digit(text[i])) ++i;
        bool any = i > digits;
        const bool point = i < len && text[i] == '.';
        if (point) {
            const size_t fraction = ++i;
            while (i < len && is_digit(text[i])) ++i;
            any = any || i > fraction;
        }
        const size_t end = i;
        while (i < len && is_xml_space(text[i])) ++i;
        if (!any || i != len) return std::numeric_limits<double>::quiet_NaN();
        if (!point && end - digits <= 15) {
            double value = 0; // up to 15 digits: exact, as strtod gives it
            for (size_t k = digits; k < end; ++k) value = value * 10 + (text[k] - '0');
            return digits > start ? -value : value;
        }
        text[end] = 0;
        return std::strtod(text + start, nullptr);
    }

    std::optional<bool> relate(const node& n, place ctx) const {
        const auto a = number_of(*n.a, ctx, length_cap(*n.b)), b = number_of(*n.b, ctx, length_cap(*n.a));
        if (!a || !b) return std::nullopt;
        using rel = node::relation;
        switch (n.op) {
        case rel::equal: return *a == *b;
        case rel::not_equal: return *a != *b;
        case rel::less: return *a < *b;
        case rel::less_equal: return *a <= *b;
        case rel::greater: return *a > *b;
        case rel::greater_equal: return *a >= *b;
        }
        return std::nullopt;
    }

    // A comparison's operand is a node-set (a path, a node-set variable) or a string.
    static bool is_node_set(const node& n) {
        return n.type == kind::path && (!n.is_variable() || n.p.variable_type == pugi::xpath_type_node_set);
    }

    // How far a string length compared with `other` needs counting: a length of at least floor(N) + 1 compares
    // with a number N as any longer one does (greater, not equal).
    size_t length_cap(const node& other) const {
        double x = -1;
        if (other.type == kind::number)
            x = other.value;
        else if (other.is_variable() && other.p.variable_type == pugi::xpath_type_number)
            x = var(other.p)->get_number();
        if (!(x >= 0) || x >= 1e15) return std::numeric_limits<size_t>::max();
        return static_cast<size_t>(x) + 1;
    }

    // A variable's pugixml value, and its value as places when the engine holds it that way (nullptr: it does not).
    const pugi::xpath_variable* var(const path& p) const { return f_.variables[p.variable]; }
    const std::vector<place>* held_places(const path& p) const {
        if (!p.held) return nullptr;
        const held_nodes& h = f_.held[p.variable];
        return h.valid ? &h.places : nullptr;
    }

    const xpath_frame& f_;
    const document_view& v_;
};

} // namespace

std::optional<bool> direct_xpath::boolean(const xpath_frame& f, place at) const {
    if (self_test_) {
        const step& s = (root_->type == kind::to_boolean ? *root_->a : *root_).p.steps[0];
        return !at.is_attribute() && f.view.at(at.e).name == s.name_id && evaluator(f).attributes_equal(s, at.e);
    }
    return evaluator(f).boolean_of(*root_, at);
}

std::optional<std::string> direct_xpath::string(const xpath_frame& f, place at) const {
    return evaluator(f).string_of(*root_, at);
}

std::optional<std::string_view> direct_xpath::text(const xpath_frame& f, place at, std::string& buffer) const {
    return evaluator(f).text_of(*root_, at, buffer);
}

std::optional<double> direct_xpath::number(const xpath_frame& f, place at) const {
    return evaluator(f).number_of(*root_, at);
}

// nodes() and places() take a path that visits its nodes in document order, each once.
bool direct_xpath::listable() const {
    return root_->type == kind::path && !root_->is_variable() && root_->p.ordered && root_->p.distinct;
}

bool direct_xpath::places(const xpath_frame& f, place at, std::vector<place>& out) const {
    out.clear();
    return listable() && evaluator(f).each(root_->p, at, [&](place x) {
        out.push_back(x);
        return false;
    }, true);
}

std::optional<pugi::xpath_node_set> direct_xpath::nodes(const xpath_frame& f, place at) const {
    if (!listable()) return std::nullopt;
    const evaluator e(f);
    pugi::xpath_node few[8]; // most paths select a node or two: no allocation for them
    std::vector<pugi::xpath_node> more;
    size_t count = 0;
    if (!e.each(root_->p, at, [&](place x) {
            if (count < std::size(few)) few[count] = e.to_pugi(x);
            else {
                if (more.empty()) more.assign(few, few + count);
                more.push_back(e.to_pugi(x));
            }
            ++count;
            return false;
        }, true))
        return std::nullopt;
    // An ordered, distinct path walked in order meets its nodes in document order, each once.
    const pugi::xpath_node* begin = more.empty() ? few : more.data();
    return pugi::xpath_node_set(begin, begin + count, pugi::xpath_node_set::type_sorted);
}

} // namespace casedoc::detail
