// Runs a plugin's native code on one record: its derive_facts function and its checks, through the host API
// of plugin_api/casedoc_plugin.h implemented over the record's pugixml tree.
#ifndef CASEDOC_PLUGIN_NATIVE_CHECKS_HPP
#define CASEDOC_PLUGIN_NATIVE_CHECKS_HPP

#include <casedoc/base/finding.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/validation_result.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc {

// Derived facts by name, exposed to the setting's schemas as XPath string variables.
using fact_map = std::map<std::string, std::string>;
// A policy parameter's value, or nullptr when the schema does not define it. The pointer must stay valid
// until the native call that asked for it returns.
using param_lookup = std::function<const char*(std::string_view name)>;

// Runs the plugin's derive_facts (when it has one) on `doc`. Every declared fact is in the result, "" when
// the plugin did not set it. Throws casedoc::error naming the plugin file when the plugin fails, throws
// or breaks the contract (sets an undeclared fact, reports a finding).
fact_map derive_facts(const plugin& p, const xml_document& doc, const param_lookup& params);

// When a native check says its rule is next due on a record (host API 1.3, casedoc_host_api::due).
struct native_due {
    std::string rule_id, citation, title;
    std::string due;    // YYYY-MM-DD or a date-time, as the plugin gave it (checked to be one)
    std::string anchor; // what it is counted from
    unsigned line = 0;  // of the node it named
    bool failed = false; // the check also reported a finding on the record: overdue
};

// Runs every check of `p` that applies to `document_type` and appends their findings to `out` (nothing is
// appended when one fails). Findings take severity and citation from the check's declaration, location
// from doc.locate(), pattern "native:<id>" and the root's @id. Throws casedoc::error naming the plugin file
// when a check fails, throws or breaks the contract (reports an undeclared rule, sets a fact).
// With `tally`, it is set to one entry per check of `p` (in declaration order): evaluated 1 when the check
// ran and did not say its rule does not apply, failed 1 when it reported a finding. With `due`, what the checks
// say is next due is appended to it (a due date that is not a date or date-time is a contract breach).
void run_checks(const plugin& p, const xml_document& doc, std::string_view document_type,
                const param_lookup& params, std::vector<finding>& out, std::vector<rule_tally>* tally = nullptr,
                std::vector<native_due>* due = nullptr);

// Runs export number `index` of `p` on `doc` and returns the rows it wrote, each with one value per
// declared column. Throws casedoc::error naming the plugin file when the export fails, throws, writes a row
// of the wrong width or breaks the contract (reports a finding, sets a fact).
std::vector<std::vector<std::string>> run_export(const plugin& p, size_t index, const xml_document& doc,
                                                 const param_lookup& params);

} // namespace casedoc

#endif // CASEDOC_PLUGIN_NATIVE_CHECKS_HPP
