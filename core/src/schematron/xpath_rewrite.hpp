// Textual work on XPath 1.0 expressions and XSLT match patterns, outside string literals: variables and
// functions rewritten for pugixml, prefixes dropped, match patterns translated.
#ifndef CASEDOC_SCHEMATRON_XPATH_REWRITE_HPP
#define CASEDOC_SCHEMATRON_XPATH_REWRITE_HPP

#include <casedoc/xml/xml_chars.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc::detail {

// A character of a (possibly prefixed) name in an expression: letters, digits, _ - . : and non-ASCII.
bool is_name_char(char c) noexcept;

// Replaces each variable reference $name with what `map` returns (kept as is when it returns nullopt).
// The replacement is inserted literally (without the '$').
std::string replace_variables(std::string_view expr,
                              const std::function<std::optional<std::string>(std::string_view)>& map);

// Rewrites current() to $__current and document('uri') to $__doc_N, calling `on_document(uri)` which
// returns N. Throws std::invalid_argument for document() with a non-literal argument.
std::string rewrite_functions(std::string_view expr, const std::function<unsigned(const std::string&)>& on_document);

// An xsl:key declaration (XSLT 1.0, 12.2): the nodes matching `match` are indexed by the string values of `use`
// (an expression giving a node-set, or wrapped in string()).
struct key_declaration {
    std::string match, use;
};
using key_declarations = std::vector<key_declaration>; // the declarations of one name (XSLT: their union)

// Rewrites each key('name', E) as an expression selecting the same nodes, for an XPath 1.0 engine without key():
// ((//m1 | //m2 ...)[use = E']), with " | (...)[...]" for each further declaration of the name, where E' is E
// when its value does not depend on the context node (a literal string, a node-set $variable or a path from one,
// an absolute path), string(E) for a number or a string or number $variable (`string_variable` says which), and
// $__current/E for a relative path when the call is not inside a predicate (its context node is then the
// rule's). Throws std::invalid_argument for another E, a name that is not a literal or a key that is not
// declared (`find` returns nullptr).
std::string rewrite_keys(std::string_view expr, const std::function<const key_declarations*(const std::string&)>& find,
                         const std::function<bool(std::string_view)>& string_variable);

// Rewrites the element name tests in namespace prefix `prefix` as unprefixed names (prefix:local becomes
// local), so that the expression can be evaluated on documents whose elements in that namespace carry no
// prefix (a default namespace). Attribute and namespace name tests, function names, variables and string
// literals are kept. Returns nullopt when no faithful rewriting exists: a prefix:* element test, an
// unprefixed element name test (an element in no namespace, which such a document has to name otherwise),
// or name() (which would give the unprefixed name).
std::optional<std::string> unprefix_element_names(std::string_view expr, std::string_view prefix);

// Splits an expression at top-level occurrences of `sep` (outside strings, brackets and parentheses).
std::vector<std::string> split_top_level(std::string_view expr, char sep);

// One alternative of an XSLT match pattern, translated for evaluation with the candidate node as the
// context. `matcher` is a boolean XPath expression, empty when the index test alone decides.
struct compiled_alternative {
    enum class kind { element, attribute, text, comment, pi, root, any_node } node_kind = kind::element;
    std::string name; // element/attribute/pi name test; "*" or "" for any
    std::string matcher;
};
// Translates one alternative of a match pattern. Throws std::invalid_argument when it is not a pattern.
compiled_alternative translate_pattern_alternative(std::string_view alt);

} // namespace casedoc::detail

#endif
