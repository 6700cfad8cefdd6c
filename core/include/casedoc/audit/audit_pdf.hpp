// The audit report for people: an audit.json (format casedoc-audit/1, docs/audit-report.md) as a PDF with a
// cover and attestation line, summary, per-item results with a bar chart, roll-ups, timeliness tables, trend,
// findings with their evidence, the corrective action list and an appendix of every sampled case. Laid out
// by pdf_layout with the fonts, colour profile and page of the common template, like casedoc render's records.
// Deterministic: the same JSON gives the same bytes (the document date is the end of the period under review).
#ifndef CASEDOC_AUDIT_AUDIT_PDF_HPP
#define CASEDOC_AUDIT_AUDIT_PDF_HPP

#include <string>

namespace casedoc {

class template_catalog;

struct audit_pdf_options {
    // Where templates/common/common.xml is found; null: template_catalog's default directories.
    const template_catalog* templates = nullptr;
    // Reference lines of the charts: the conformity threshold for error-severity items and for the roll-ups
    // (CFSR substantial conformity, ACA mandatory standards), and for warning-severity items (ACA non-mandatory).
    double threshold = 0.95;
    double warning_threshold = 0.90;
};

// The PDF's bytes. Throws casedoc::error when the text is not JSON or does not match casedoc-audit/1 (the
// message names the field, e.g. "summary.item_rate: missing"), or when the common template's fonts or colour
// profile cannot be loaded.
std::string render_audit_pdf(const std::string& audit_json_text, const audit_pdf_options& options = {});

} // namespace casedoc

#endif
