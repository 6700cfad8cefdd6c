// The commonest shapes of the XPath expressions in documentation schemas, answered by walking the document
// directly. Most of a schema's tests are of this kind (an attribute, a child's attribute compared with a
// literal, a note's matching signature), and for them pugixml's general evaluator costs several times what
// the walk does: its per-call set-up, node-set buffers and string copies.
//
//   expr  := and ('or' and)*
//   and   := cmp ('and' cmp)*
//   cmp   := sum (('=' | '!=' | '<' | '<=' | '>' | '>=') sum)?
//   sum   := product ('+' product)*          (arithmetic on numbers only)
//   product := value ('*' value)*
//   value := 'literal' | "literal" | number | path | not(expr) | boolean(expr) | true() | false()
//            | normalize-space(path) | string(path) | string-length(path) | string-length(normalize-space(path))
//            | number(text) | number(translate(text, 'ASCII characters', '')) | count(path) | '(' expr ')'
//   text  := path | substring(path, 1, N)
//   path  := start ('/' step)* ('/' '@' name)? | '@' name
//   start := step | '..' | '.' | $variable ('[' expr ']')* ('[1]')?
//   step  := (axis '::')? name ('[' expr ']')* ('[1]')?   axis: child, self (first step only), parent,
//            preceding-sibling, following-sibling
//
// Comparisons follow XPath 1.0 (a node-set equals a string when one of its nodes does, two node-sets when
// a pair does; a number compares with a number); an operand of boolean type, and an order comparison of
// anything but numbers, are not accepted. count() takes a path that meets each node once (no parent or
// sibling step after its first). What is outside the grammar is not compiled, and what a variable holds at
// run time may send one evaluation back to pugixml (a number where a string is compared, a node-set of several
// nodes starting a path through other than child and attribute steps, or through a child step where document
// order matters), as does asking for the first node or the string of a path through preceding siblings (they
// are visited nearest first).
#ifndef CASEDOC_SCHEMATRON_DIRECT_XPATH_HPP
#define CASEDOC_SCHEMATRON_DIRECT_XPATH_HPP

#include "variables.hpp"

#include <casedoc/xml/document_view.hpp>

#include <pugixml.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc::detail {

class direct_xpath {
public:
    // nullptr when `text` (an XPath 1.0 expression, its variables declared in `vars`) is outside the grammar.
    // The names of its steps are added to `names`, the table the documents' views are built with.
    static std::unique_ptr<direct_xpath> compile(std::string_view text, const variable_table& vars,
                                                 name_table& names);
    ~direct_xpath();

    using place = document_view::place;

    // Evaluation walks the frame's view from `at`, a place in it, with the frame's values of the variables; a
    // context that is not in the view (a text node, another document) is the caller's to give to pugixml.
    //
    // The expression's value converted as XPath's boolean() / string() would; nullopt when this evaluation
    // needs pugixml.
    std::optional<bool> boolean(const xpath_frame& f, place at) const;
    std::optional<std::string> string(const xpath_frame& f, place at) const;
    // The same string, in place where it can be (an attribute's value, a literal), else built in `buffer`.
    std::optional<std::string_view> text(const xpath_frame& f, place at, std::string& buffer) const;
    // For a number (a literal, count(), string-length(), number(), + and * of them): its value.
    std::optional<double> number(const xpath_frame& f, place at) const;
    // For a path: its nodes in document order; nullopt for other expressions or when this evaluation needs
    // pugixml.
    std::optional<pugi::xpath_node_set> nodes(const xpath_frame& f, place at) const;
    // The same nodes as places, into `out` (replacing what it held); false when nodes() would give nullopt.
    bool places(const xpath_frame& f, place at, std::vector<place>& out) const;

    // Its syntax tree (direct_xpath_ast.hpp).
    struct node;
    struct step;
    struct path;

private:
    explicit direct_xpath(std::unique_ptr<node> root);
    bool listable() const;
    std::unique_ptr<node> root_;
    // When the expression is [boolean(]self::name[@a = 'literal']…[)], the shape a rule context such as
    // r:note[@type = 'x'] is matched with: its one step tested without the evaluator's set-up.
    bool self_test_ = false;
};

} // namespace casedoc::detail

#endif
