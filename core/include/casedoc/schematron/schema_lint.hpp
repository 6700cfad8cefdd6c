// The schema lint: what compiles but cannot be what the author meant. Rules that never fire because an earlier
// rule of their pattern matches the same nodes; names in XPaths that no record uses (a typo: "did you mean
// 'referral'?"); rules without a citation, or with the scaffold's placeholder one; a citation attribute spelled
// the other way. Each finding at its place in the schema's own files.
#ifndef CASEDOC_SCHEMATRON_SCHEMA_LINT_HPP
#define CASEDOC_SCHEMATRON_SCHEMA_LINT_HPP

#include <casedoc/schematron/schema.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc {

// What `casedoc plugin new` writes as every rule's citation, and `plugin check` refuses until replaced.
inline constexpr const char* citation_placeholder = "CITATION-NEEDED";

struct lint_finding {
    enum class kind { shadowed_rule, unknown_name, no_citation, placeholder_citation, citation_form } type;
    std::string file;
    unsigned line = 0, column = 0;
    std::string message;
    friend bool operator<(const lint_finding& a, const lint_finding& b);
};
// "file:line:column: warning: message" (`level`: "warning", or "error" where a command refuses it)
std::string to_string(const lint_finding& f, std::string_view level = "warning");

// The names records use: the record format's own (record_format.hpp), and what a setting adds, read from its
// records (element and attribute names in the record namespace, the types of notes, events and case records)
// and its declared document types.
struct record_vocabulary {
    std::set<std::string> elements, attributes, types;
    record_vocabulary(); // the record format's names
    void add_record(const xml_document& record);
    void add_types(const std::vector<std::string>& document_types);
};

// A name an XPath tests that `known` lacks, with the known name it most likely meant: how the lint finds a typo,
// and how a required value found missing says what its path may have meant.
struct unknown_name {
    std::string what;  // "element", "attribute" or "type"
    std::string shown; // as the schema writes it: "r:visit", "@face-to-fase", "outreach-note"
    std::string guess; // the nearest known name, written the same way; "" when none is near
};
// The element names with prefix `record_prefix` (none when it is empty), the unprefixed attribute names and the
// compared @type literals of `expr` that `known` lacks, in the order written.
std::vector<unknown_name> unknown_names(std::string_view expr, const std::string& record_prefix,
                                        const record_vocabulary& known);

// Lints a schema file (compiling it first: a schema that does not compile throws casedoc::error, as
// schema::load does). Names are measured against `known` and the schema's own cd:meta document types.
// Findings sorted by file, line and column.
std::vector<lint_finding> lint_schema(const std::filesystem::path& file, const record_vocabulary& known,
                                      const schema_options& options = {});

} // namespace casedoc

#endif
