// Textual work on XPath 1.0 expressions and XSLT match patterns, outside string literals.
#ifndef CASEDOC_SRC_XPATH_TEXT_HPP
#define CASEDOC_SRC_XPATH_TEXT_HPP

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc::detail {

bool is_name_char(char c) noexcept;
// The characters that start and continue an NCName (a name without a prefix).
bool is_ncname_start(char c) noexcept;
bool is_ncname_char(char c) noexcept;

// An attribute name that declares a namespace (xmlns, xmlns:prefix): not an attribute in XPath's data model.
inline bool is_namespace_declaration(std::string_view name) noexcept {
    // Byte by byte: asked of every attribute of every document, and a call to memcmp costs more.
    return name.size() >= 5 && name[0] == 'x' && name[1] == 'm' && name[2] == 'l' && name[3] == 'n' && name[4] == 's' &&
           (name.size() == 5 || name[5] == ':');
}

// XML white space (space, tab, line feed, carriage return), what normalize-space() strips and collapses.
inline bool is_xml_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// XPath's normalize-space(): leading and trailing white space dropped, each inner run one space. Also how
// template text and messages are tidied.
std::string normalize_space(std::string_view s);

// Replaces each variable reference $name with what `map` returns (kept as is when it returns nullopt).
// The replacement is inserted literally (without the '$').
std::string replace_variables(std::string_view expr,
                              const std::function<std::optional<std::string>(std::string_view)>& map);

// Rewrites current() to $__current and document('uri') to $__doc_N, calling `on_document(uri)` which
// returns N. Throws std::invalid_argument for document() with a non-literal argument.
std::string rewrite_functions(std::string_view expr, const std::function<unsigned(const std::string&)>& on_document);

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
