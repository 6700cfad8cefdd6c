// What every casedoc PDF takes from the common template (templates/common/common.xml): the font faces of each
// style, the colour profile of the PDF/A output intent and the page geometry. Loaded once, shared read-only by
// every document and thread (casedoc render's records and the audit report alike).
#ifndef CASEDOC_PDF_PDF_RESOURCES_HPP
#define CASEDOC_PDF_PDF_RESOURCES_HPP

#include "pdf_layout.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace casedoc {

// Where a resource is named (a template's file, line and column), for error messages.
struct pdf_source {
    std::string file;
    unsigned line = 0, column = 0;
};

// The files a document's fonts and colour profile are read from, and its page, as a template names them.
struct pdf_resource_files {
    struct font {
        std::string style; // regular, bold, italic
        std::vector<std::string> files;
        pdf_source where;
    };
    std::filesystem::path base_dir;     // relative names resolve against it
    std::vector<std::string> font_dirs; // searched in order; relative ones against base_dir
    std::vector<font> fonts;
    std::string color_profile, color_profile_id;
    pdf_source color_profile_where, where;
    std::optional<page_geometry> page;  // margins and size; the rest of page_geometry keeps its defaults
};

struct pdf_resources {
    pdf_font_set fonts;
    std::string icc_deflated, icc_id; // the ICC profile, compressed with pdf_document::deflate
    page_geometry geometry;
    std::string font_digest;          // SHA-256 of the font files' content (part of a document id)

    // Throws casedoc::error naming the template file (and line) when a font or the profile cannot be read.
    static pdf_resources load(const pdf_resource_files& files);
};

} // namespace casedoc

#endif
