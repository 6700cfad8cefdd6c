// The characters of XML names and white space, as the XML and XPath 1.0 recommendations define them (ASCII
// exactly; every byte of a multi-byte UTF-8 character counts as a name character).
#ifndef CASEDOC_XML_XML_CHARS_HPP
#define CASEDOC_XML_XML_CHARS_HPP

#include <string>
#include <string_view>

namespace casedoc::detail {

// The characters that start and continue an NCName (a name without a prefix).
bool is_ncname_start(char c) noexcept;
bool is_ncname_char(char c) noexcept;

// An attribute name that declares a namespace (xmlns, xmlns:prefix): not an attribute in XPath's data model.
inline bool is_namespace_declaration(std::string_view name) noexcept {
    // Byte by byte: asked of every attribute of every document, and a call to memcmp costs more.
    return name.size() >= 5 && name[0] == 'x' && name[1] == 'm' && name[2] == 'l' && name[3] == 'n' && name[4] == 's' &&
           (name.size() == 5 || name[5] == ':');
}

// The local part of a qualified name (r:note -> note; note -> note).
inline std::string_view local_name(std::string_view qualified) noexcept {
    const size_t colon = qualified.find(':');
    return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

// XML white space (space, tab, line feed, carriage return), what normalize-space() strips and collapses.
inline bool is_xml_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// XPath's normalize-space(): leading and trailing white space dropped, each inner run one space. Also how
// template text and messages are tidied.
std::string normalize_space(std::string_view s);

} // namespace casedoc::detail

#endif
