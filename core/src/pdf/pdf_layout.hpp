// Page layout for rendered records: measures text with the embedded fonts, breaks lines (at spaces, and
// inside words longer than a line, never before a combining mark), flows paragraphs, boxes and tables onto
// pages (tables break between rows, or inside a row taller than a page, and repeat their header row), places
// vector drawings (charts), and puts a header and footer on every page once the page count is known ("Page X
// of Y" needs no second pass). Long documents can be streamed: pages are handed over as they are completed.
#ifndef CASEDOC_PDF_PDF_LAYOUT_HPP
#define CASEDOC_PDF_PDF_LAYOUT_HPP

#include "pdf_document.hpp"
#include "pdf_font.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace casedoc {

enum class font_style : uint8_t { regular = 0, bold = 1, italic = 2 };

// The faces of each style, first choice first: a character takes the first face that has a glyph for it.
struct pdf_font_set {
    std::array<std::vector<std::shared_ptr<const pdf_font>>, 3> styles;
};

inline constexpr uint32_t no_color = 0xFFFFFFFFu; // for fills and borders: none

struct text_style {
    font_style style = font_style::regular;
    float size = 9.5f;
    uint32_t color = 0x000000; // 0xRRGGBB
};
struct text_span {
    std::string text; // UTF-8; "\n" breaks the line
    text_style style;
};
using rich_text = std::vector<text_span>;

enum class text_align : uint8_t { left, center, right };

// A paragraph, or a box (fill and/or border) holding one.
struct para_block {
    rich_text text;
    float space_before = 0, space_after = 4, indent = 0, padding = 0;
    text_align align = text_align::left;
    bool keep_with_next = false;
    uint32_t fill = no_color, border = no_color;
};
struct table_block {
    std::vector<float> widths;        // relative column widths
    std::vector<text_align> aligns;   // per column (default left)
    std::vector<rich_text> header;    // empty: no header row
    std::vector<std::vector<rich_text>> rows;
    // Rows made one at a time as they are laid out (long tables), when `rows` is empty: row i is row_source(i).
    size_t row_count = 0;
    std::function<std::vector<rich_text>(size_t)> row_source;
    bool grid = true;
    float padding = 2.5f, space_before = 2, space_after = 6;
    uint32_t header_fill = 0xE6E6E6, grid_color = 0x9A9A9A;
};
struct rule_block {
    float space_before = 2, space_after = 4, width = 0.6f;
    uint32_t color = 0x777777;
};
struct page_break_block {};
// A figure drawn with vector graphics (charts): rectangles, lines and single-line labels placed in a box as
// wide as the text column and `height` tall, coordinates in points from its top left corner (y downwards).
// It is kept on one page.
struct drawing_block {
    struct rect {
        float x, y, w, h;
        uint32_t fill = no_color, stroke = no_color;
        float line_width = 0.5f;
    };
    struct line { // horizontal or vertical
        float x1, y1, x2, y2;
        uint32_t color = 0x000000;
        float width = 0.5f, dash = 0; // dash: length of dashes and gaps, 0 for a solid line
    };
    struct label {
        float x, y;   // the anchor: y is the top of the line of text, x its left, centre or right end
        rich_text text;
        text_align align = text_align::left;
        float max_width = 0; // > 0: text wider than this is shortened with "…"
    };
    float height = 0;
    std::vector<std::variant<rect, line>> shapes; // painted in order, then the labels on top
    std::vector<label> labels;
    float space_before = 2, space_after = 6;
};
using layout_block = std::variant<para_block, table_block, rule_block, page_break_block, drawing_block>;

struct page_geometry {
    float width = 612, height = 792; // US Letter, points
    float top = 40, right = 50, bottom = 36, left = 50;
    float header_gap = 8, footer_gap = 6;
};

// What one page holds, ready to be written.
struct laid_out_page {
    struct glyph_run {
        float x, y, size;
        uint32_t color;
        uint16_t face; // index into the layout's faces()
        std::vector<std::pair<uint16_t, char32_t>> glyphs;
    };
    struct shape {
        float x, y, w, h; // a rectangle (fill == no_color and w or h == 0: a line from x,y to x+w,y+h)
        uint32_t fill, stroke;
        float line_width;
        float dash = 0;   // lines: dash and gap length, 0 for a solid line
    };
    std::vector<shape> shapes;
    std::vector<glyph_run> runs;
};

// Header and footer blocks of a page, given its number and the page count.
using page_frame_fn = std::function<std::vector<layout_block>(int page, int pages)>;

class pdf_layout {
public:
    pdf_layout(const pdf_font_set& fonts, page_geometry geometry);

    // Lays out the body, then the header and footer of every page. Characters no face has are drawn as
    // the missing-glyph box of the first face, and counted in missing_glyphs().
    std::vector<laid_out_page> run(const std::vector<layout_block>& body, const page_frame_fn& header,
                                   const page_frame_fn& footer);
    // The same for long documents, in bounded memory: each page's body goes to `body_sink` as soon as it is
    // complete (one page is held at a time), then each page's header and footer to `frame_sink`, to be painted
    // over it (pdf_document::append_content). Returns the page count.
    using page_sink = std::function<void(int page, laid_out_page&& content)>; // page: 1-based
    int run(const std::vector<layout_block>& body, const page_frame_fn& header, const page_frame_fn& footer,
            const page_sink& body_sink, const page_sink& frame_sink);
    // Width of a single-line text in points.
    float measure(const rich_text& text);
    // The text shortened to at most `width` points, ending in "…" when it had to be cut (at a code point).
    rich_text fit(const rich_text& text, float width);
    // Width of the text column of a page.
    float text_width() const noexcept { return geo_.width - geo_.left - geo_.right; }
    size_t missing_glyphs() const noexcept { return missing_; }

    // The faces that glyph runs refer to by index.
    const std::vector<const pdf_font*>& faces() const noexcept { return faces_; }
    // PDF content stream operators for a page; glyphs are encoded through `doc`.
    std::string content(const laid_out_page& page, pdf_document& doc) const;

    struct glyph {
        char32_t cp;
        uint16_t gid, face;
        float advance, size;
        uint32_t color;
    };
    struct line {
        size_t begin, end; // into the shaped glyphs
        float width, height, ascent;
    };

private:
    std::vector<glyph> shape(const rich_text& text);
    std::vector<line> break_lines(const std::vector<glyph>& g, float width) const;

    struct flow;
    pdf_font_set fonts_;
    page_geometry geo_;
    std::vector<const pdf_font*> faces_;
    std::array<std::vector<uint16_t>, 3> style_faces_;
    size_t missing_ = 0;
};

} // namespace casedoc

#endif
