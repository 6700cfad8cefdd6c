// Turns a Schematron schema file into one self-contained DOM: includes and extends/@href resolved,
// abstract patterns instantiated, abstract rules expanded in place. Every element keeps where it came
// from (file, line, column) in a private attribute, for error messages.
#ifndef CASEDOC_SCHEMATRON_SCHEMA_LOADER_HPP
#define CASEDOC_SCHEMATRON_SCHEMA_LOADER_HPP

#include <casedoc/schematron/schema.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <pugixml.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc::detail {

inline constexpr const char* source_attr = "__casedoc_src";
// Child of an instantiated abstract pattern holding its parameters as attributes.
inline constexpr const char* params_element = "__casedoc_params";

// Replaces $param placeholders in a text, or in every attribute value below `n`.
std::string substitute_params(std::string_view text, const std::map<std::string, std::string>& params);
void substitute_params(pugi::xml_node n, const std::map<std::string, std::string>& params);

struct schema_origin {
    std::string file;
    unsigned line = 0, column = 0;
};

// The origin stamped on an element (or its nearest stamped ancestor).
schema_origin origin_of(pugi::xml_node n);
[[noreturn]] void schema_error(pugi::xml_node at, const std::string& message);

// Loads `text` (named `uri`) and preprocesses it, reading what it includes with options.loader. The result's
// root is an sch:schema element; all Schematron elements carry the prefix "sch", XSLT "xsl" and the casedoc
// extension "cd".
// What is accepted only for compatibility with the ISO skeleton (refused with options.strict) is added to
// `warnings` (when given), file:line:col first.
xml_document load_schema_document(std::string text, const std::string& uri, const schema_options& options,
                                  std::vector<std::string>* warnings = nullptr);

// Where an include's href "casedoc:NAME" points: NAME in the first folder of options.search_path that has it,
// else, for NAME under common/, in casedoc's own schemas (even when the search path leaves them out). Empty when
// none has it; `looked` lists the places tried.
std::string resolve_casedoc_name(const std::string& name, const schema_options& options, std::string& looked);

// Canonical prefixes used inside the preprocessed schema DOM.
const namespace_bindings& schema_dom_bindings();

} // namespace casedoc::detail

#endif
