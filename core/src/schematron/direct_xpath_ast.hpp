// The syntax tree of a direct_xpath expression (direct_xpath.hpp): what its parser builds and its evaluator walks.
#ifndef CASEDOC_SCHEMATRON_DIRECT_XPATH_AST_HPP
#define CASEDOC_SCHEMATRON_DIRECT_XPATH_AST_HPP

#include "direct_xpath.hpp"

#include <algorithm>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace casedoc::detail {

// No byte outside ASCII (where bytes and XPath's characters differ).
inline bool all_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

struct direct_xpath::step {
    enum class axis { child, self, parent, attribute, preceding_sibling, following_sibling } on = axis::child;
    uint32_t name_id = name_table::unknown; // unknown: any node ('..', '.')
    std::vector<std::pair<uint32_t, std::string>> attribute_equals; // predicates [@name = 'literal']
    std::vector<std::unique_ptr<direct_xpath::node>> predicates;         // the others
    bool first_only = false; // a final [1]
};

struct direct_xpath::path {
    uint32_t variable = 0; // the path starts at a variable's nodes: its number (variables.hpp); 0: it does not
    pugi::xpath_value_type variable_type = pugi::xpath_type_none;
    bool held = false; // the engine may hold the variable's value as places (xpath_frame::held)
    step filter; // with a variable: its predicates ($v[…][1]), the axis and name unused
    bool filtered = false;
    std::vector<step> steps;
    bool ordered = true; // visits its nodes in document order (no preceding-sibling step but a [1])
    bool distinct = true; // visits each node once (no parent or sibling step after the first)
    bool lone_attribute = false; // just @name, the commonest path by far
    // Child steps alone (at most max_children), named, perhaps then an attribute: walked by a loop instead of a
    // call per step (evaluator::children()).
    static constexpr size_t max_children = 8;
    bool children_only = false;
};

struct direct_xpath::node {
    enum class kind {
        literal, number, path, negation, conjunction, disjunction, equal, not_equal, relation, normalized, string,
        length, constant, to_boolean, text_number, count, sum, product, concat, contains
    };
    enum class relation { equal, not_equal, less, less_equal, greater, greater_equal };
    kind type = kind::literal;
    std::string text;        // literal
    double value = 0;        // number
    bool constant = false;   // true() / false()
    bool normalize = false;  // length: string-length(normalize-space(path))
    size_t prefix = 0;       // text_number: substring(path, 1, prefix) when not 0
    std::bitset<128> deleted; // text_number: the ASCII characters of translate(…, 'chars', '')
    relation op = relation::equal;
    path p;                  // path, normalized, string, length, text_number, count
    std::unique_ptr<node> a, b; // operands; sum and product: a + b, a * b; contains(a, b)
    std::vector<std::unique_ptr<node>> arguments; // concat

    bool is_variable() const { return type == kind::path && p.variable && !p.filtered && p.steps.empty(); }
    bool is_boolean() const {
        return type == kind::negation || type == kind::conjunction || type == kind::disjunction ||
               type == kind::equal || type == kind::not_equal || type == kind::relation || type == kind::constant ||
               type == kind::to_boolean || type == kind::contains;
    }
    bool is_number() const {
        return type == kind::number || type == kind::length || type == kind::text_number || type == kind::count ||
               type == kind::sum || type == kind::product;
    }
};

} // namespace casedoc::detail

#endif
