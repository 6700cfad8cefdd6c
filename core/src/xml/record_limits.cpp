#include <casedoc/base/error.hpp>
#include <casedoc/xml/record_limits.hpp>

namespace casedoc {

void check_record_size(uint64_t bytes, const std::string& name, const record_limits& limits) {
    if (bytes > limits.max_bytes)
        throw error(name, "the record is " + std::to_string(bytes) + " bytes, more than the limit of " +
                              std::to_string(limits.max_bytes) + " (--max-record-bytes)");
}

void check_record_shape(const xml_document& doc, const record_limits& limits) {
    unsigned depth = 1;
    for (pugi::xml_node n = doc.root(); n;) {
        if (depth > limits.max_depth) {
            const auto [line, column] = doc.line_column(n);
            throw error(doc.name(), line, column,
                        "elements nested deeper than the limit of " + std::to_string(limits.max_depth) +
                            " (--max-depth)");
        }
        unsigned attributes = 0;
        for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute())
            if (++attributes > limits.max_attributes) {
                const auto [line, column] = doc.line_column(n);
                throw error(doc.name(), line, column,
                            "an element with more attributes than the limit of " +
                                std::to_string(limits.max_attributes) + " (--max-attributes)");
            }
        // Next element in document order: first child element, else the next sibling element of the nearest
        // ancestor-or-self that has one.
        pugi::xml_node next = n.first_child();
        while (next && next.type() != pugi::node_element) next = next.next_sibling();
        if (next) {
            ++depth;
            n = next;
            continue;
        }
        for (;;) {
            if (n == doc.root()) return;
            next = n.next_sibling();
            while (next && next.type() != pugi::node_element) next = next.next_sibling();
            if (next) {
                n = next;
                break;
            }
            n = n.parent();
            --depth;
        }
    }
}

xml_document load_record_file(const std::filesystem::path& file, const record_limits& limits) {
    std::error_code ec; // a file whose size is not known (a pipe) is measured once read
    if (const auto size = std::filesystem::file_size(file, ec); !ec) check_record_size(size, file.string(), limits);
    xml_document doc = xml_document::load_file(file);
    check_record_size(doc.source().size(), file.string(), limits);
    check_record_shape(doc, limits);
    return doc;
}

xml_document load_record_text(std::string text, const std::string& name, const record_limits& limits) {
    check_record_size(text.size(), name, limits);
    xml_document doc = xml_document::load_string(std::move(text), name);
    check_record_shape(doc, limits);
    return doc;
}

} // namespace casedoc
