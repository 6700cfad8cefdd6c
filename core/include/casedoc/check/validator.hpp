// Checks records end to end: read the record, pick its plugin and the schema in force on its service
// date, run the plugin's facts, the schema and the plugin's native checks. One validator per thread; the
// validators of a batch share the compiled schemas (validator_options::compiled_schemas).
#ifndef CASEDOC_CHECK_VALIDATOR_HPP
#define CASEDOC_CHECK_VALIDATOR_HPP

#include <casedoc/base/finding.hpp>
#include <casedoc/check/rating.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema.hpp>
#include <casedoc/schematron/schema_cache.hpp>
#include <casedoc/schematron/schema_catalog.hpp>
#include <casedoc/schematron/validation_result.hpp>
#include <casedoc/xml/record_limits.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace casedoc {

enum class record_status { compliant, not_compliant, error };

struct record_result {
    std::string file;
    std::string record_id, setting, document_type;
    std::string schema_file, schema_version;
    record_status status = record_status::error;
    std::vector<finding> findings; // sorted by line, column, rule id
    std::map<std::string, std::string> params; // the policy values applied (name -> value)
    std::string error;             // when status is error: what went wrong
    unsigned error_line = 0, error_column = 0;
    validation_result svrl;        // SVRL events, when asked for
    record_rating rating;          // every rule rated, with validator_options::rate (casedoc records only)
    // With validator_options::due (case records): what is due, and for whom.
    std::vector<due_measure> due;
    std::string client_id, worker, office, as_of;
};

struct validator_options {
    std::map<std::string, std::string> params; // policy overrides (--param name=value)
    std::string phase;
    bool strict = false; // schema_options::strict
    bool svrl = false;
    bool rate = false; // rate every rule of the record's rule set (record_result::rating), for audits
    // This schema instead of the one the catalog picks: a casedoc record of a loaded plugin still gets the
    // plugin's facts and native checks; any other XML document is checked as plain ISO Schematron.
    std::filesystem::path schema;
    // Reads the schema files (and their includes): a service answers from the files as they were when it
    // loaded them, not as they are on disk now.
    resource_loader loader = read_file_resource;
    // Warn (once per schema file) about rules without a citation; schema test and plugin check lint instead.
    bool warn_uncited = true;
    // Seconds a record's rules may run (0: no limit); a record that runs longer is not checked (status error).
    double timeout_per_record = 0;
    // The review date (YYYY-MM-DD) of every case record, instead of its own as-of: the date its rules are
    // checked on (validate --as-of, casedoc due). Empty: the record's own.
    std::string as_of;
    // Collect what is due (record_result::due). Only the deadlines and recurrences of the schema run: the findings
    // are theirs alone, and the status says nothing about the record's other rules.
    bool due = false;
    // A record over one of these is not checked (status error, naming the file and the option).
    record_limits limits;
    // The compiled schemas, shared by the validators given the same cache (one per thread of a batch or a
    // service, with the same options): each schema compiled once. Null: the validator compiles its own.
    std::shared_ptr<schema_cache> compiled_schemas;
};

class validator {
public:
    validator(const plugin_host& plugins, const schema_catalog& schemas, validator_options options);
    ~validator();
    // Compiles every schema of every loaded plugin now, as a record of each would (a service refuses a set
    // with a bad schema when it loads it, not at a record). Throws casedoc::error naming the schema's file and
    // line for the first that does not compile.
    void compile_all();
    // Never throws for a bad record: failures become a result with status error.
    record_result check_file(const std::filesystem::path& file); // "-": standard input, named <stdin>
    record_result check_text(std::string text, const std::string& name);
    // The same on the review date `as_of` (validator_options::as_of) collecting what is due (validator_options::due),
    // for this record only: how a service's pooled validators answer a worklist.
    record_result check_due(std::string text, const std::string& name, const std::string& as_of);
    // The rules of one of the catalog's schemas as compiled for plugin p (for listing what is checked: the
    // service's GET /v1/rules). Throws casedoc::error naming the file and line when it does not compile.
    const std::vector<rule_info>& schema_rules(const std::string& schema_file, const plugin& p);

private:
    record_result check(xml_document& doc);
    const schema& compiled(const std::string& file, const plugin* p); // with p's facts declared
    std::shared_ptr<const rule_set> rules_of(const std::string& file, const schema& s, const plugin& p,
                                             const std::string& document_type);

    const plugin_host& plugins_;
    const schema_catalog& schemas_;
    validator_options options_;
    std::map<std::string, std::shared_ptr<const schema>> cache_; // those this validator used, from the shared cache
    std::map<std::string, std::shared_ptr<const rule_set>> rule_sets_;
};

} // namespace casedoc

#endif
