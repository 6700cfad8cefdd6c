// An XML file parsed with pugixml that remembers where every node came from (line and column),
// and can rename its nodes' prefixes to a schema's namespace bindings.
#ifndef CASEDOC_XML_XML_DOCUMENT_HPP
#define CASEDOC_XML_XML_DOCUMENT_HPP

#include <casedoc/base/finding.hpp>

#include <pugixml.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace casedoc {

namespace detail {
struct location_index;
}

// Namespace prefix → URI bindings, as declared by sch:ns.
using namespace_bindings = std::vector<std::pair<std::string, std::string>>;

class xml_document {
public:
    // Reads and parses a file; throws casedoc::error naming the file (and line:column of a syntax error or of
    // a namespace prefix that is not declared).
    static xml_document load_file(const std::filesystem::path& path);
    // Parses text; `name` is what errors and findings call it.
    static xml_document load_string(std::string text, std::string name);
    // Wraps an existing DOM (no source text: locations have no line numbers).
    static xml_document from_node(pugi::xml_node root_element, std::string name);

    xml_document(xml_document&&) noexcept = default;
    xml_document& operator=(xml_document&&) noexcept = default;

    const std::string& name() const noexcept { return name_; }
    // The text it was parsed from (empty for from_node()).
    const std::string& source() const noexcept { return source_; }
    pugi::xml_document& dom() noexcept { return *doc_; }
    const pugi::xml_document& dom() const noexcept { return *doc_; }
    pugi::xml_node root() const { return doc_->document_element(); }

    // Namespace URI of the root element, from the original declarations.
    const std::string& root_namespace() const noexcept { return root_ns_; }
    // Local name of the root element.
    std::string root_local_name() const;

    // Renames every element and attribute to prefix:local using `bindings` (the first prefix bound to a
    // node's namespace URI); nodes in namespaces that are not bound get generated prefixes; the
    // declarations are rewritten onto the root element. Idempotent for the same bindings.
    // The empty prefix may be bound: that namespace's elements are then unprefixed (its attributes take
    // the next prefix bound to it, which is also how locate() names its elements), and elements in no
    // namespace get a generated prefix.
    void canonicalize(const namespace_bindings& bindings);
    // A node's name as findings show it: its name, or display-prefix:name for an unprefixed element of a
    // bound default namespace.
    std::string display_name(pugi::xml_node node) const;
    // The namespace URI of a (canonicalised or original) node name.
    std::string namespace_of(pugi::xml_node element) const;
    std::string namespace_of(pugi::xml_attribute attr, pugi::xml_node owner) const;

    // Line and column (1-based) of an element's start tag, or of an attribute within it.
    std::pair<unsigned, unsigned> line_column(pugi::xml_node node) const;
    std::pair<unsigned, unsigned> line_column(pugi::xml_attribute attr, pugi::xml_node owner) const;
    // A complete location for a node: file, line, column, XPath location path and element name. The first call
    // indexes the whole document (location_index.hpp), so that each call after it costs what one node does.
    source_location locate(const pugi::xpath_node& node) const;

private:
    xml_document() = default;
    std::pair<unsigned, unsigned> offset_to_line_column(size_t offset) const;
    size_t node_offset(pugi::xml_node node) const;
    bool nothing_to_rename(const namespace_bindings& bindings) const;
    // Throws casedoc::error at the first element or attribute whose prefix is not declared.
    void check_prefixes() const;

    // Parses `size` bytes at `bytes`, which pugixml keeps and parses in place; source_ is already their copy.
    static xml_document parse(std::unique_ptr<char[]> bytes, size_t size, std::string source, std::string name);

    std::unique_ptr<pugi::xml_document> doc_;
    std::unique_ptr<char[]> parsed_;      // the text pugixml parsed in place (its names and values point here)
    std::string name_;
    std::string source_;                  // original text (for lines and attribute positions)
    mutable std::vector<size_t> line_starts_; // offsets of line starts in source_ (built on first use)
    // (element, offset in source_) of the elements canonicalize() renamed, which pugixml no longer knows,
    // sorted by element for lookup.
    std::vector<std::pair<const void*, ptrdiff_t>> renamed_offsets_;
    std::string root_ns_;
    std::map<std::string, std::string> prefix_to_uri_; // after canonicalize()
    std::string display_prefix_; // how findings name the unprefixed elements of a bound default namespace
    namespace_bindings canonical_for_;
    mutable std::shared_ptr<const detail::location_index> locations_; // built by the first locate()
};

} // namespace casedoc

#endif // CASEDOC_XML_XML_DOCUMENT_HPP
