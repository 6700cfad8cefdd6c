// One PDF file written with libharu 2.3.0: pages whose content streams casedoc composes, embedded subset
// TrueType fonts (pdf_font) written as CIDFontType2 with a CIDSet and a correct ToUnicode map, document
// info with matching XMP metadata, an sRGB output intent and a deterministic file id: the PDF/A-1b
// structure (no validator is available here, so it is not claimed to be certified PDF/A).
// No clock is read: every date comes from the caller. Not thread-safe; one per document.
#ifndef CASEDOC_PDF_PDF_DOCUMENT_HPP
#define CASEDOC_PDF_PDF_DOCUMENT_HPP

#include "pdf_font.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc {

// Document information, written to the Info dictionary and, identically, to the XMP metadata.
struct pdf_info {
    std::string title, author, subject, keywords, creator, producer;
    std::string date;          // YYYY-MM-DDThh:mm[:ss][Z|±hh:mm]: creation and modification date
    std::string source_sha256; // hex digest of the source record, for tamper evidence
    std::string record_id;
};

class pdf_document {
public:
    pdf_document();
    ~pdf_document();
    pdf_document(const pdf_document&) = delete;
    pdf_document& operator=(const pdf_document&) = delete;

    // The index of `font` in this document (its resource is /F<index+1>); registered on first use.
    unsigned use_font(const pdf_font& font);
    // Appends the two bytes that select glyph `gid` of font `index` inside a literal string (...), escaped,
    // remembering the code point the glyph stands for (for text extraction).
    void encode(unsigned index, uint16_t gid, char32_t cp, std::string& out);

    // A page of the given size (points) with its content stream (PDF operators, uncompressed).
    void add_page(double width, double height, const std::string& content);
    // A second content stream for page `index` (0-based), painted after the first: the header and footer of
    // a page written before the page count was known.
    void append_content(size_t index, const std::string& content);
    size_t page_count() const noexcept;

    void set_info(const pdf_info& info);
    // The OutputIntent (GTS_PDFA1) with this ICC profile (ICC v2, 3 components), compressed with deflate().
    void set_output_intent(const std::string& icc_deflated, const std::string& identifier);
    void set_id(const std::array<uint8_t, 16>& id);

    // Embeds the fonts and writes the file. Throws casedoc::error when libharu fails.
    std::string save();

    // zlib (FlateDecode) compression, as every stream of the file is compressed.
    static std::string deflate(std::string_view data);

private:
    struct state;
    std::unique_ptr<state> s_;
};

} // namespace casedoc

#endif
