// A report's PDF (casedoc audit, casedoc due) in the house frame: on every page a head line (the report's title
// in bold, its subject on the right) over a rule, and a foot rule over a line of provenance and "Page N of M";
// pages written as the layout makes them; document information, the sRGB output intent and a document id
// derived from the report's source, so that the same input gives the same bytes.
#ifndef CASEDOC_PDF_PDF_REPORT_HPP
#define CASEDOC_PDF_PDF_REPORT_HPP

#include "pdf_document.hpp"
#include "pdf_layout.hpp"
#include "pdf_resources.hpp"

#include <string>
#include <vector>

namespace casedoc {

struct pdf_report {
    std::string head_left, head_right; // "Caseload review 2025" | "Period under review 2025-07-01 to …"
    std::string foot_left;             // provenance: "casedoc 0.1.0 · casedoc audit · reviewer …"
    std::string kind;                  // "audit", "due": part of the document id
    pdf_info info;                     // source_sha256 is the id's source; producer is set here
};

// Lays `blocks` out in `layout` (made with `res`'s fonts and geometry) and returns the PDF's bytes.
std::string write_report_pdf(const std::vector<layout_block>& blocks, pdf_layout& layout, const pdf_resources& res,
                             pdf_report report);

} // namespace casedoc

#endif
