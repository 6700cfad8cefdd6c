// A compiled documentation schema: ISO Schematron (XPath 1.0 binding) plus the casedoc extension
// (typed fields, deadlines, recurrence, metadata). Every XPath is compiled once, when the schema is.
#ifndef CASEDOC_SCHEMATRON_SCHEMA_HPP
#define CASEDOC_SCHEMATRON_SCHEMA_HPP

#include <casedoc/base/finding.hpp>
#include <casedoc/schematron/validation_result.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace casedoc {

inline constexpr const char* schematron_ns = "http://purl.oclc.org/dsdl/schematron";
inline constexpr const char* svrl_ns = "http://purl.oclc.org/dsdl/svrl";
inline constexpr const char* extension_ns = "urn:casedoc:schema:1";

struct schema_metadata {
    std::string setting, version, title;
    std::vector<std::string> document_types;
    std::optional<int64_t> effective_from, effective_to; // days since 1970-01-01, inclusive
    std::string file;
    // True when the schema is in force on `day`.
    bool in_force_on(int64_t day) const {
        return (!effective_from || day >= *effective_from) && (!effective_to || day <= *effective_to);
    }
};

struct rule_info {
    std::string id, citation, pattern;
    severity level = severity::error;
    std::string kind;  // "assert", "report", "field", "deadline", "recurrence"
    std::string title; // cd:title (title on cd: checks), else its message's first sentence, values shown as "…"
    std::string file;  // where the rule is written (schema file or included file); empty for a native check
    unsigned line = 0, column = 0;
};

// Reads a resource by URI (absolute path or URI resolved against a base). Returns nullopt when absent.
using resource_loader = std::function<std::optional<std::string>(const std::string& uri)>;
// The default: reads files.
std::optional<std::string> read_file_resource(const std::string& path);
// Resolves `href` against the URI or path `base` (a file or directory name ending in '/').
std::string resolve_uri(const std::string& base, const std::string& href);

struct schema_options {
    std::string phase;                         // "" or "#DEFAULT": the schema's defaultPhase, else #ALL
    std::map<std::string, std::string> params; // agency overrides of schema-level lets
    std::vector<std::string> fact_names;       // string variables a plugin sets per record
    resource_loader loader = read_file_resource;
    bool strict = false; // refuse what ISO/IEC 19757-3 forbids but the ISO skeleton accepts (see warnings())
    // Where <sch:include href="casedoc:NAME"/> looks for NAME, in order (the schema directories); casedoc's own
    // schemas are looked in last for common/ (schemas/common/notes.sch), whatever this says.
    std::vector<std::filesystem::path> search_path;
};

struct validate_options {
    bool svrl = false;                                     // record SVRL events
    bool tally = false;                                    // rate every rule (validation_result::tally, timings)
    // What is due (validation_result::due): only the cd:deadline and cd:recurrence checks run (their findings
    // are the only ones), each reporting its due point.
    bool due = false;
    const std::map<std::string, std::string>* facts = nullptr; // values of the declared facts
    resource_loader loader = read_file_resource;           // for pattern/@documents
    std::string record_id;                                 // copied into findings
    // Past this time validation stops with casedoc::error (checked between the nodes rules fire on; one XPath
    // evaluation is not interrupted). The default: never.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

class schema {
public:
    // Loads and compiles a schema file. Throws casedoc::error naming the file, line and rule.
    static std::unique_ptr<schema> load(const std::filesystem::path& file, const schema_options& options = {});
    // Compiles schema text; `uri` names it and is the base for include/document().
    static std::unique_ptr<schema> load_text(std::string text, const std::string& uri,
                                             const schema_options& options = {});
    ~schema();
    schema(const schema&) = delete;
    schema& operator=(const schema&) = delete;

    const schema_metadata& metadata() const noexcept;
    const namespace_bindings& namespaces() const noexcept;
    const std::vector<rule_info>& rules() const noexcept;
    // What the schema does that ISO/IEC 19757-3 forbids but the ISO skeleton accepts (refused with
    // schema_options::strict), one line each, "file:line:col: ...". The library does not log them.
    const std::vector<std::string>& warnings() const noexcept;
    // The value a schema-level parameter has (after overrides), or nullopt.
    std::optional<std::string> param(const std::string& name) const;

    // Validates a document (canonicalising its prefixes to this schema's). Thread-safe: one compiled schema
    // serves any number of threads at once, each validation with state of its own (the variables' values, the
    // view of the document), kept for the next validation when it ends.
    validation_result validate(xml_document& doc, const validate_options& options = {}) const;

    struct impl;

private:
    explicit schema(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

} // namespace casedoc

#endif
