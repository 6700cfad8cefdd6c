// A due list for people on paper: a supervisor's summary page (counts of overdue and due items by worker and by
// rule, and a chart of them by worker), then one worklist per worker, each starting on a new page. Laid out by
// pdf_layout with the common template's fonts, colour profile and page, like the audit report. Deterministic:
// the same list gives the same bytes (the document date is the review date). No client names.
#ifndef CASEDOC_DUE_DUE_PDF_HPP
#define CASEDOC_DUE_DUE_PDF_HPP

#include <casedoc/due/due_list.hpp>

#include <string>

namespace casedoc {

class template_catalog;

// The PDF's bytes. `templates`: where templates/common/common.xml is found (null: the default directories).
// Throws casedoc::error when the common template's fonts or colour profile cannot be loaded.
std::string render_due_pdf(const due_list& list, const template_catalog* templates = nullptr);

} // namespace casedoc

#endif
