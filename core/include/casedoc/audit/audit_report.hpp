// The report of a caseload audit: per-item compliance, roll-ups, timeliness, trend, findings and
// corrective actions, as JSON (docs/audit-report.md) and as CSV of the per-case item ratings. The PDF is
// drawn from the JSON (audit_pdf.hpp), so the three always agree.
#ifndef CASEDOC_AUDIT_AUDIT_REPORT_HPP
#define CASEDOC_AUDIT_AUDIT_REPORT_HPP

#include <casedoc/audit/audit.hpp>

#include <ostream>
#include <string>

namespace casedoc {

struct audit_report_options {
    std::string generator = "casedoc";   // the tool and its version, as printed in the report
    bool pseudonymise_workers = false;   // worker ids become "W-" and 8 hex digits of a keyed hash
    std::string pseudonym_key;           // the hash key; empty: the sampling seed
    std::string previous_file;           // a previous audit.json, for the trend ("" for none)
    std::string previous_text;           // its content
};

// audit.json. Throws casedoc::error when the previous report is not a casedoc audit report.
std::string audit_report_json(const audit_data& data, const audit_report_options& options);

// audit.csv: one row per sampled case and item of its rule set (RFC 4180).
void write_audit_csv(std::ostream& out, const audit_data& data, const audit_report_options& options);

} // namespace casedoc

#endif // CASEDOC_AUDIT_AUDIT_REPORT_HPP
