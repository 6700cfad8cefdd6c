// How big a record casedoc agrees to check: its size in bytes, how deeply its elements nest, how many attributes
// one element has, and how many findings it may give. Past a limit the record is not checked (a clear error naming
// the file, exit 2; 413 or 422 from the service) instead of the process running out of memory or stack on input
// from elsewhere. Every limit is an option of the commands and of casedoc serve (docs/reliability.md).
#ifndef CASEDOC_XML_RECORD_LIMITS_HPP
#define CASEDOC_XML_RECORD_LIMITS_HPP

#include <casedoc/xml/xml_document.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace casedoc {

struct record_limits {
    uint64_t max_bytes = 64ull * 1024 * 1024; // --max-record-bytes
    unsigned max_depth = 256;                 // --max-depth: the root element is at depth 1
    unsigned max_attributes = 256;            // --max-attributes: on one element, namespace declarations included
    uint64_t max_findings = 10000;            // --max-findings: of one record (checked by the validator)
};

// Throws casedoc::error naming `name` when a record of `bytes` bytes is over the size limit.
void check_record_size(uint64_t bytes, const std::string& name, const record_limits& limits);
// Throws casedoc::error at the first element (file, line, column) nested deeper than the limit or with more
// attributes than it. One walk of the elements, without recursion.
void check_record_shape(const xml_document& doc, const record_limits& limits);

// A record read and parsed within the limits (size before reading where the file's size is known, then shape):
// what every command that reads records from elsewhere reads them with. Throws casedoc::error naming the file.
xml_document load_record_file(const std::filesystem::path& file, const record_limits& limits);
xml_document load_record_text(std::string text, const std::string& name, const record_limits& limits);

} // namespace casedoc

#endif
