#include "pdf_layout.hpp"
#include <casedoc/base/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace casedoc {

namespace {

constexpr float line_factor = 1.22f, ascent_factor = 0.93f;

bool combining(char32_t c) {
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
           (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F);
}

// Decodes UTF-8; invalid bytes become U+FFFD.
template <class F>
void for_each_code_point(std::string_view s, F&& f) {
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) {
            f(char32_t(0xFFFD));
            ++i;
            continue;
        }
        char32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        bool ok = true;
        for (size_t j = 1; j < len; ++j) {
            const auto b = static_cast<unsigned char>(s[i + j]);
            if ((b >> 6) != 2) ok = false;
            cp = cp << 6 | (b & 0x3F);
        }
        if (!ok) {
            f(char32_t(0xFFFD));
            ++i;
            continue;
        }
        f(cp);
        i += len;
    }
}

std::string utf8(char32_t cp) {
    std::string out;
    if (cp < 0x80) out += char(cp);
    else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
    return out;
}

// Two decimals at most, trailing zeros dropped: deterministic and much cheaper than printf.
void number(std::string& out, float v) {
    long n = std::lround(double(v) * 100.0);
    if (n < 0) {
        out += '-';
        n = -n;
    }
    const long whole = n / 100, frac = n % 100;
    out += std::to_string(whole);
    if (frac) {
        out += '.';
        out += char('0' + frac / 10);
        if (frac % 10) out += char('0' + frac % 10);
    }
}

void color(std::string& out, uint32_t c, const char* op) {
    for (int shift : {16, 8, 0}) {
        number(out, float((c >> shift) & 0xFF) / 255.0f);
        out += ' ';
    }
    out += op;
    out += '\n';
}

} // namespace

pdf_layout::pdf_layout(const pdf_font_set& fonts, page_geometry geometry) : fonts_(fonts), geo_(geometry) {
    for (size_t s = 0; s < 3; ++s) {
        if (fonts_.styles[s].empty()) fonts_.styles[s] = fonts_.styles[0];
        for (const auto& f : fonts_.styles[s]) {
            const auto it = std::find(faces_.begin(), faces_.end(), f.get());
            style_faces_[s].push_back(uint16_t(it - faces_.begin()));
            if (it == faces_.end()) faces_.push_back(f.get());
        }
    }
    if (faces_.empty()) throw error("", "no font to render with");
}

std::vector<pdf_layout::glyph> pdf_layout::shape(const rich_text& text) {
    std::vector<glyph> out;
    for (const text_span& span : text) {
        const auto& faces = style_faces_[size_t(span.style.style)];
        for_each_code_point(span.text, [&](char32_t cp) {
            if (cp == '\t' || cp == '\r') cp = ' ';
            if (cp == '\n') {
                out.push_back({cp, 0, faces[0], 0, span.style.size, span.style.color});
                return;
            }
            if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return;
            uint16_t face = faces[0], gid = 0;
            for (uint16_t f : faces)
                if (const uint16_t g = faces_[f]->glyph(cp)) {
                    face = f;
                    gid = g;
                    break;
                }
            if (gid == 0) ++missing_;
            const float adv = std::round(float(faces_[face]->advance_1000(gid))) * span.style.size / 1000.0f;
            out.push_back({cp, gid, face, adv, span.style.size, span.style.color});
        });
    }
    return out;
}

std::vector<pdf_layout::line> pdf_layout::break_lines(const std::vector<glyph>& g, float width) const {
    std::vector<line> lines;
    const size_t n = g.size();
    auto finish = [&](size_t b, size_t e) {
        while (e > b && g[e - 1].cp == ' ') --e;
        line l{b, e, 0, 0, 0};
        float size = 0;
        for (size_t i = b; i < e; ++i) {
            l.width += g[i].advance;
            size = std::max(size, g[i].size);
        }
        if (size == 0) size = b < n ? g[b].size : (n ? g[n - 1].size : 9.5f);
        l.height = size * line_factor;
        l.ascent = size * ascent_factor;
        lines.push_back(l);
    };
    size_t start = 0;
    while (start < n) {
        float w = 0;
        size_t last_space = SIZE_MAX, last_hyphen = SIZE_MAX, i = start;
        bool overflow = false;
        for (; i < n; ++i) {
            if (g[i].cp == '\n') break;
            if (g[i].cp == ' ') last_space = i;
            if (g[i].cp == '-' && i > start) last_hyphen = i;
            if (w + g[i].advance > width && i > start && g[i].cp != ' ' && !combining(g[i].cp)) {
                overflow = true;
                break;
            }
            w += g[i].advance;
        }
        if (!overflow) {
            finish(start, i);
            start = i + 1; // past the line break (or the end)
            continue;
        }
        size_t end, next;
        if (last_space != SIZE_MAX && last_space > start) {
            end = last_space;
            next = last_space + 1;
        } else if (last_hyphen != SIZE_MAX) { // a word wider than the line (a rule id): after a hyphen
            end = last_hyphen + 1;
            next = end;
        } else {
            end = i;
            while (end > start + 1 && combining(g[end].cp)) --end;
            next = end;
        }
        finish(start, end);
        start = next;
        while (start < n && g[start].cp == ' ') ++start;
    }
    if (lines.empty()) finish(0, 0);
    return lines;
}

float pdf_layout::measure(const rich_text& text) {
    float w = 0;
    for (const glyph& g : shape(text)) w += g.advance;
    return w;
}

rich_text pdf_layout::fit(const rich_text& text, float width) {
    if (measure(text) <= width) return text;
    const float ellipsis = text.empty() ? 0 : measure({text_span{"…", text.back().style}});
    rich_text out;
    float used = 0;
    for (const text_span& span : text) {
        text_span part{"", span.style};
        bool full = false;
        for_each_code_point(span.text, [&](char32_t cp) {
            if (full) return;
            const std::vector<glyph> g = shape({text_span{utf8(cp), span.style}});
            const float adv = g.empty() ? 0 : g[0].advance;
            if (used + adv + ellipsis > width && !combining(cp)) {
                full = true;
                return;
            }
            used += adv;
            part.text += utf8(cp);
        });
        while (full && !part.text.empty() && part.text.back() == ' ') part.text.pop_back();
        if (full) part.text += "…";
        out.push_back(std::move(part));
        if (full) break;
    }
    return out;
}

// Places blocks in a region of the current page, starting new pages when allowed.
struct pdf_layout::flow {
    pdf_layout& L;
    float left, width, top, bottom;
    bool can_break;
    std::vector<laid_out_page>* pages;
    const page_sink* sink = nullptr; // streaming: finished pages go here instead of staying in `pages`
    int emitted = 0;
    float y = 0;
    bool at_top = true;

    laid_out_page& page() { return pages->back(); }
    float H() const { return L.geo_.height; }

    void emit() {
        (*sink)(++emitted, std::move(pages->back()));
        pages->clear();
    }
    void new_page() {
        if (!can_break) return;
        if (sink) emit();
        pages->emplace_back();
        y = top;
        at_top = true;
    }
    bool fits(float h) const { return y + h <= bottom + 0.01f; }

    void rect(float x, float yt, float w, float h, uint32_t fill, uint32_t stroke, float lw) {
        page().shapes.push_back({x, H() - yt - h, w, h, fill, stroke, lw, 0});
    }
    void hline(float x, float yt, float w, float lw, uint32_t c) {
        page().shapes.push_back({x, H() - yt, w, 0, no_color, c, lw, 0});
    }

    void draw_line(const std::vector<glyph>& g, const line& l, float x0, float w, text_align a, float yt) {
        float x = x0;
        if (a == text_align::right) x = x0 + w - l.width;
        else if (a == text_align::center) x = x0 + (w - l.width) / 2;
        const float baseline = H() - (yt + l.ascent);
        laid_out_page::glyph_run* run = nullptr;
        for (size_t i = l.begin; i < l.end; ++i) {
            const glyph& c = g[i];
            if (!run || run->face != c.face || run->size != c.size || run->color != c.color) {
                page().runs.push_back({x, baseline, c.size, c.color, c.face, {}});
                run = &page().runs.back();
            }
            run->glyphs.emplace_back(c.gid, c.cp);
            x += c.advance;
        }
    }

    float min_height(const layout_block& b) {
        if (const auto* p = std::get_if<para_block>(&b)) {
            const float size = p->text.empty() ? 9.5f : p->text.front().style.size;
            return p->space_before + 2 * size * line_factor + 2 * p->padding;
        }
        if (const auto* t = std::get_if<table_block>(&b)) return t->space_before + 4 * (9 * line_factor + 2 * t->padding);
        if (const auto* d = std::get_if<drawing_block>(&b)) return d->space_before + d->height;
        return 0;
    }

    void paragraph(const para_block& p, const layout_block* next) {
        if (!at_top) y += p.space_before;
        const std::vector<glyph> g = L.shape(p.text);
        const float inner = width - p.indent - 2 * p.padding;
        const std::vector<line> lines = L.break_lines(g, inner);
        float total = 2 * p.padding;
        for (const line& l : lines) total += l.height;
        if (p.keep_with_next && next && !at_top && !fits(total + min_height(*next))) new_page();
        const bool boxed = p.fill != no_color || p.border != no_color;
        if (!boxed) {
            for (const line& l : lines) {
                if (!fits(l.height) && !at_top) new_page();
                draw_line(g, l, left + p.indent, inner, p.align, y);
                y += l.height;
                at_top = false;
            }
        } else {
            if (!fits(total) && !at_top && total <= bottom - top) new_page();
            size_t i = 0;
            while (i < lines.size()) {
                float h = 2 * p.padding;
                size_t j = i;
                while (j < lines.size() && (fits(h + lines[j].height) || j == i)) h += lines[j++].height;
                if (!fits(h) && !at_top && can_break) {
                    new_page();
                    continue;
                }
                rect(left + p.indent, y, width - p.indent, h, p.fill, p.border, 0.8f);
                float yy = y + p.padding;
                for (size_t k = i; k < j; ++k) {
                    draw_line(g, lines[k], left + p.indent + p.padding, inner, p.align, yy);
                    yy += lines[k].height;
                }
                y += h;
                at_top = false;
                i = j;
                if (i < lines.size()) new_page();
            }
        }
        y += p.space_after;
    }

    struct cell {
        std::vector<glyph> g;
        std::vector<line> lines;
    };

    void table(const table_block& t) {
        const size_t cols = t.widths.size();
        if (cols == 0) return;
        if (!at_top) y += t.space_before;
        float sum = 0;
        for (float w : t.widths) sum += w;
        std::vector<float> x(cols), w(cols);
        float acc = left;
        for (size_t c = 0; c < cols; ++c) {
            x[c] = acc;
            w[c] = t.widths[c] / sum * width;
            acc += w[c];
        }
        const float pad = t.padding;
        auto make_row = [&](const std::vector<rich_text>& texts) {
            std::vector<cell> r(cols);
            for (size_t c = 0; c < cols; ++c) {
                r[c].g = L.shape(c < texts.size() ? texts[c] : rich_text{});
                r[c].lines = L.break_lines(r[c].g, std::max(1.0f, w[c] - 2 * pad));
                if (r[c].g.empty() && c < texts.size() && !texts[c].empty()) { // an empty cell is one line of its own size
                    r[c].lines[0].height = texts[c].front().style.size * line_factor;
                    r[c].lines[0].ascent = texts[c].front().style.size * ascent_factor;
                }
            }
            return r;
        };
        auto align = [&](size_t c) { return c < t.aligns.size() ? t.aligns[c] : text_align::left; };
        // Height of the lines [from[c], to[c]) of each cell, plus padding.
        auto height = [&](const std::vector<cell>& r, const std::vector<size_t>& from) {
            float h = 0;
            for (size_t c = 0; c < cols; ++c) {
                float ch = 0;
                for (size_t k = from[c]; k < r[c].lines.size(); ++k) ch += r[c].lines[k].height;
                h = std::max(h, ch);
            }
            return h + 2 * pad;
        };
        auto draw_segment = [&](const std::vector<cell>& r, const std::vector<size_t>& from, const std::vector<size_t>& to,
                                float h, uint32_t fill) {
            for (size_t c = 0; c < cols; ++c) {
                if (fill != no_color || t.grid) rect(x[c], y, w[c], h, fill, t.grid ? t.grid_color : no_color, 0.5f);
                float yy = y + pad;
                for (size_t k = from[c]; k < to[c]; ++k) {
                    draw_line(r[c].g, r[c].lines[k], x[c] + pad, w[c] - 2 * pad, align(c), yy);
                    yy += r[c].lines[k].height;
                }
            }
            y += h;
            at_top = false;
        };
        std::vector<cell> header;
        float header_h = 0;
        const std::vector<size_t> zero(cols, 0);
        if (!t.header.empty()) {
            header = make_row(t.header);
            header_h = height(header, zero);
        }
        auto draw_header = [&] {
            if (header.empty()) return;
            std::vector<size_t> to(cols);
            for (size_t c = 0; c < cols; ++c) to[c] = header[c].lines.size();
            draw_segment(header, zero, to, header_h, t.header_fill);
        };
        // Rows are shaped one at a time, so a table of 100,000 rows holds one row's glyphs, not all of them.
        const bool given = !t.rows.empty();
        const size_t count = given ? t.rows.size() : t.row_source ? t.row_count : 0;
        auto row_at = [&](size_t i) { return given ? make_row(t.rows[i]) : make_row(t.row_source(i)); };
        std::vector<cell> r;
        if (count > 0) r = row_at(0);
        const float first = count == 0 ? 0 : std::min(height(r, zero), 2 * pad + 3 * 9.5f * line_factor);
        if (!at_top && !fits(header_h + first)) new_page();
        draw_header();
        int rows_on_page = 0;
        for (size_t ri = 0; ri < count; ++ri) {
            if (ri > 0) r = row_at(ri);
            std::vector<size_t> from(cols, 0);
            for (;;) {
                const float h = height(r, from);
                if (fits(h)) {
                    std::vector<size_t> to(cols);
                    for (size_t c = 0; c < cols; ++c) to[c] = r[c].lines.size();
                    draw_segment(r, from, to, h, no_color);
                    ++rows_on_page;
                    break;
                }
                if (!can_break) { // header and footer: no page to move to
                    std::vector<size_t> to(cols);
                    for (size_t c = 0; c < cols; ++c) to[c] = r[c].lines.size();
                    draw_segment(r, from, to, h, no_color);
                    break;
                }
                const bool moved = std::any_of(from.begin(), from.end(), [](size_t f) { return f > 0; });
                if (!moved && rows_on_page > 0 && h <= bottom - top - header_h) {
                    new_page();
                    draw_header();
                    rows_on_page = 0;
                    continue;
                }
                // Split the row: as many lines of each cell as fit here, the rest on the next page.
                const float avail = bottom - y - 2 * pad;
                std::vector<size_t> to(from);
                float used = 0;
                bool any = false;
                for (size_t c = 0; c < cols; ++c) {
                    float ch = 0;
                    while (to[c] < r[c].lines.size() && ch + r[c].lines[to[c]].height <= avail) ch += r[c].lines[to[c]++].height;
                    used = std::max(used, ch);
                    any = any || to[c] > from[c];
                }
                if (!any) {
                    if (rows_on_page > 0 || !at_top) {
                        new_page();
                        draw_header();
                        rows_on_page = 0;
                        continue;
                    }
                    for (size_t c = 0; c < cols; ++c) // a line taller than a page: place it anyway
                        if (to[c] < r[c].lines.size()) used = std::max(used, r[c].lines[to[c]++].height);
                }
                draw_segment(r, from, to, used + 2 * pad, no_color);
                from = to;
                new_page();
                draw_header();
                rows_on_page = 0;
            }
        }
        y += t.space_after;
    }

    void drawing(const drawing_block& d) {
        if (!at_top) y += d.space_before;
        if (!fits(d.height) && !at_top) new_page();
        const float x0 = left, y0 = y;
        for (const auto& s : d.shapes) {
            if (const auto* r = std::get_if<drawing_block::rect>(&s)) rect(x0 + r->x, y0 + r->y, r->w, r->h, r->fill, r->stroke, r->line_width);
            else {
                const auto& l = std::get<drawing_block::line>(s);
                page().shapes.push_back({x0 + l.x1, H() - (y0 + l.y1), l.x2 - l.x1, -(l.y2 - l.y1), no_color, l.color, l.width, l.dash});
            }
        }
        for (const auto& lb : d.labels) {
            const std::vector<glyph> g = L.shape(lb.max_width > 0 ? L.fit(lb.text, lb.max_width) : lb.text);
            line l{0, g.size(), 0, 0, 0};
            float size = 0;
            for (const glyph& c : g) {
                if (c.cp == '\n') {
                    l.end = size_t(&c - g.data());
                    break;
                }
                l.width += c.advance;
                size = std::max(size, c.size);
            }
            l.height = size * line_factor;
            l.ascent = size * ascent_factor;
            const float x = lb.align == text_align::right ? lb.x - l.width : lb.align == text_align::center ? lb.x - l.width / 2 : lb.x;
            draw_line(g, l, x0 + x, l.width, text_align::left, y0 + lb.y);
        }
        y += d.height + d.space_after;
        at_top = false;
    }

    void rule(const rule_block& r) {
        if (!at_top) y += r.space_before;
        if (!fits(r.width)) new_page();
        hline(left, y, width, r.width, r.color);
        y += r.width + r.space_after;
        at_top = false;
    }

    void blocks(const std::vector<layout_block>& list) {
        for (size_t i = 0; i < list.size(); ++i) {
            const layout_block* next = i + 1 < list.size() ? &list[i + 1] : nullptr;
            std::visit(
                [&](const auto& b) {
                    using T = std::decay_t<decltype(b)>;
                    if constexpr (std::is_same_v<T, para_block>) paragraph(b, next);
                    else if constexpr (std::is_same_v<T, table_block>) table(b);
                    else if constexpr (std::is_same_v<T, rule_block>) rule(b);
                    else if constexpr (std::is_same_v<T, drawing_block>) drawing(b);
                    else if (!at_top) new_page();
                },
                list[i]);
        }
    }
};

std::vector<laid_out_page> pdf_layout::run(const std::vector<layout_block>& body, const page_frame_fn& header,
                                           const page_frame_fn& footer) {
    std::vector<laid_out_page> pages;
    run(
        body, header, footer, [&](int, laid_out_page&& p) { pages.push_back(std::move(p)); },
        [&](int i, laid_out_page&& frame) {
            auto& p = pages[size_t(i - 1)];
            p.shapes.insert(p.shapes.end(), frame.shapes.begin(), frame.shapes.end());
            p.runs.insert(p.runs.end(), std::make_move_iterator(frame.runs.begin()), std::make_move_iterator(frame.runs.end()));
        });
    return pages;
}

int pdf_layout::run(const std::vector<layout_block>& body, const page_frame_fn& header, const page_frame_fn& footer,
                    const page_sink& body_sink, const page_sink& frame_sink) {
    const float left = geo_.left, width = geo_.width - geo_.left - geo_.right;
    // The header and footer heights, measured with the widest page numbers the document could have.
    std::vector<laid_out_page> scratch(1);
    auto measure_frame = [&](const std::vector<layout_block>& b) {
        flow f{*this, left, width, 0, 1e9f, false, &scratch};
        f.blocks(b);
        scratch.assign(1, {});
        return f.y;
    };
    const float header_h = measure_frame(header(999, 999)), footer_h = measure_frame(footer(999, 999));
    const float body_top = geo_.top + header_h + geo_.header_gap;
    const float body_bottom = geo_.height - geo_.bottom - footer_h - geo_.footer_gap;
    if (body_bottom - body_top < 72)
        throw error("", "the page header and footer leave less than an inch for the content");

    std::vector<laid_out_page> pages(1);
    flow body_flow{*this, left, width, body_top, body_bottom, true, &pages};
    body_flow.sink = &body_sink;
    body_flow.y = body_top;
    body_flow.blocks(body);
    body_flow.emit();

    const int count = body_flow.emitted;
    for (int i = 0; i < count; ++i) {
        std::vector<laid_out_page> one(1);
        flow h{*this, left, width, geo_.top, body_top, false, &one};
        h.y = geo_.top;
        h.blocks(header(i + 1, count));
        flow f{*this, left, width, geo_.height - geo_.bottom - footer_h, geo_.height - geo_.bottom, false, &one};
        f.y = f.top;
        f.blocks(footer(i + 1, count));
        frame_sink(i + 1, std::move(one[0]));
    }
    return count;
}

std::string pdf_layout::content(const laid_out_page& page, pdf_document& doc) const {
    std::string out;
    out.reserve(4096 + page.runs.size() * 64);
    for (const auto& s : page.shapes) {
        if ((s.h == 0 || s.w == 0) && s.fill == no_color) {
            number(out, s.line_width);
            out += " w\n";
            color(out, s.stroke, "RG");
            if (s.dash > 0) {
                out += '[';
                number(out, s.dash);
                out += "] 0 d\n";
            }
            number(out, s.x);
            out += ' ';
            number(out, s.y);
            out += " m ";
            number(out, s.x + s.w);
            out += ' ';
            number(out, s.y + s.h);
            out += " l S\n";
            if (s.dash > 0) out += "[] 0 d\n";
            continue;
        }
        if (s.fill != no_color) color(out, s.fill, "rg");
        if (s.stroke != no_color) {
            color(out, s.stroke, "RG");
            number(out, s.line_width);
            out += " w\n";
        }
        number(out, s.x);
        out += ' ';
        number(out, s.y);
        out += ' ';
        number(out, s.w);
        out += ' ';
        number(out, s.h);
        out += s.fill != no_color && s.stroke != no_color ? " re B\n" : s.fill != no_color ? " re f\n" : " re S\n";
    }
    if (!page.runs.empty()) {
        out += "BT\n";
        int font = -1;
        float size = -1;
        uint32_t col = no_color;
        for (const auto& r : page.runs) {
            const unsigned index = doc.use_font(*faces_[r.face]);
            if (int(index) != font || r.size != size) {
                out += "/F" + std::to_string(index + 1) + ' ';
                number(out, r.size);
                out += " Tf\n";
                font = int(index);
                size = r.size;
            }
            if (r.color != col) {
                color(out, r.color, "rg");
                col = r.color;
            }
            out += "1 0 0 1 ";
            number(out, r.x);
            out += ' ';
            number(out, r.y);
            out += " Tm (";
            for (const auto& [gid, cp] : r.glyphs) doc.encode(index, gid, cp, out);
            out += ") Tj\n";
        }
        out += "ET\n";
    }
    return out;
}

} // namespace casedoc
