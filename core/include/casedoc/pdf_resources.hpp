// What every casedoc PDF takes from the common template (templates/common/common.xml): the font faces of each
// style, the colour profile of the PDF/A output intent and the page geometry. Loaded once, shared read-only by
// every document and thread (casedoc render's records and the audit report alike).
#ifndef CASEDOC_PDF_RESOURCES_HPP
#define CASEDOC_PDF_RESOURCES_HPP

#include <casedoc/pdf_layout.hpp>
#include <casedoc/template.hpp>

#include <string>

namespace casedoc {

struct pdf_resources {
    pdf_font_set fonts;
    std::string icc_deflated, icc_id; // the ICC profile, compressed with pdf_document::deflate
    page_geometry geometry;
    std::string font_digest;          // SHA-256 of the font files' content (part of a document id)

    // Throws casedoc::error naming the template file (and line) when a font or the profile cannot be read.
    static pdf_resources load(const document_template& common);
};

} // namespace casedoc

#endif
