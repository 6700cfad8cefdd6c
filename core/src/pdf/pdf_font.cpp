#include "pdf_font.hpp"
#include <casedoc/base/error.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>

namespace casedoc {

namespace fs = std::filesystem;

namespace {

// Big-endian reads, bounds-checked against the view.
struct reader {
    std::string_view d;
    const fs::path* file;
    void need(size_t off, size_t n) const {
        if (off > d.size() || d.size() - off < n) throw error(file->string(), "malformed TrueType font: a table is cut short");
    }
    uint8_t u8(size_t off) const {
        need(off, 1);
        return uint8_t(d[off]);
    }
    uint16_t u16(size_t off) const {
        need(off, 2);
        return uint16_t(uint8_t(d[off]) << 8 | uint8_t(d[off + 1]));
    }
    int16_t s16(size_t off) const { return int16_t(u16(off)); }
    uint32_t u32(size_t off) const { return uint32_t(u16(off)) << 16 | u16(off + 2); }
};

void put16(std::string& s, uint16_t v) {
    s += char(v >> 8);
    s += char(v & 0xff);
}
void put32(std::string& s, uint32_t v) {
    put16(s, uint16_t(v >> 16));
    put16(s, uint16_t(v & 0xffff));
}
void set16(std::string& s, size_t off, uint16_t v) {
    s[off] = char(v >> 8);
    s[off + 1] = char(v & 0xff);
}
void set32(std::string& s, size_t off, uint32_t v) {
    set16(s, off, uint16_t(v >> 16));
    set16(s, off + 2, uint16_t(v & 0xffff));
}

uint32_t checksum(std::string_view t) {
    uint32_t sum = 0;
    for (size_t i = 0; i < t.size(); i += 4) {
        uint32_t v = 0;
        for (size_t j = 0; j < 4; ++j) v = v << 8 | (i + j < t.size() ? uint8_t(t[i + j]) : 0);
        sum += v;
    }
    return sum;
}

// Composite glyph flags.
constexpr uint16_t arg_words = 0x0001, have_scale = 0x0008, more_components = 0x0020, have_xy_scale = 0x0040,
                   have_2x2 = 0x0080;

// Calls f(offset of the glyph index within `g`) for each component of a composite glyph.
template <class F>
void for_each_component(std::string_view g, const fs::path& file, F&& f) {
    const reader r{g, &file};
    if (g.size() < 10 || r.s16(0) >= 0) return;
    size_t p = 10;
    for (;;) {
        const uint16_t flags = r.u16(p);
        f(p + 2);
        p += 4 + ((flags & arg_words) ? 4 : 2);
        if (flags & have_scale) p += 2;
        else if (flags & have_xy_scale) p += 4;
        else if (flags & have_2x2) p += 8;
        if (!(flags & more_components)) break;
    }
}

} // namespace

std::string_view pdf_font::table(const char* tag) const {
    const auto it = tables_.find(tag);
    if (it == tables_.end()) return {};
    return std::string_view(data_).substr(it->second.first, it->second.second);
}

std::string_view pdf_font::glyph_data(uint16_t gid) const {
    const std::string_view glyf = table("glyf");
    if (gid >= num_glyphs_) return {};
    const uint32_t a = loca_[gid], b = loca_[gid + 1];
    if (b <= a || b > glyf.size()) return {};
    return glyf.substr(a, b - a);
}

std::shared_ptr<const pdf_font> pdf_font::load(const fs::path& file) {
    std::shared_ptr<pdf_font> f(new pdf_font);
    f->file_ = file;
    {
        std::ifstream in(file, std::ios::binary);
        if (!in) throw error(file.string(), "cannot load font: the file cannot be read");
        f->data_.assign(std::istreambuf_iterator<char>(in), {});
        if (in.bad()) throw error(file.string(), "cannot load font: the file cannot be read");
    }
    const reader r{f->data_, &f->file_};
    if (f->data_.size() < 12) throw error(file.string(), "cannot load font: not a TrueType font (too short)");
    const uint32_t version = r.u32(0);
    if (version == 0x4f54544f) // 'OTTO'
        throw error(file.string(), "cannot load font: CFF (PostScript) outlines; a TrueType (glyf) font is needed");
    if (version == 0x74746366) throw error(file.string(), "cannot load font: a font collection (.ttc); give one .ttf");
    if (version != 0x00010000 && version != 0x74727565) throw error(file.string(), "cannot load font: not a TrueType font");
    const uint16_t n = r.u16(4);
    for (uint16_t i = 0; i < n; ++i) {
        const size_t rec = 12 + 16 * size_t(i);
        const std::string tag(f->data_.substr(rec, 4));
        const uint32_t off = r.u32(rec + 8), len = r.u32(rec + 12);
        r.need(off, len);
        f->tables_[tag] = {off, len};
    }
    for (const char* t : {"head", "hhea", "hmtx", "maxp", "loca", "glyf", "cmap"})
        if (!f->tables_.count(t)) throw error(file.string(), std::string("cannot load font: no '") + t + "' table");
    auto sub = [&](const char* tag) { return reader{f->table(tag), &f->file_}; };

    const reader head = sub("head"), hhea = sub("hhea"), maxp = sub("maxp");
    f->units_per_em_ = head.u16(18);
    if (f->units_per_em_ == 0) throw error(file.string(), "cannot load font: unitsPerEm is 0");
    const int16_t loc_format = head.s16(50);
    f->num_glyphs_ = maxp.u16(4);
    if (f->num_glyphs_ == 0) throw error(file.string(), "cannot load font: no glyphs");

    const reader os2 = sub("OS/2");
    if (!os2.d.empty() && os2.d.size() >= 10) {
        const uint16_t fs_type = os2.u16(8);
        if ((fs_type & 0x000f) == 0x0002)
            throw error(file.string(), "cannot load font: its licence forbids embedding (OS/2 fsType restricted)");
        if (fs_type & 0x0200)
            throw error(file.string(), "cannot load font: its licence allows embedding bitmaps only (OS/2 fsType)");
    }

    // loca
    const reader loca = sub("loca");
    f->loca_.resize(size_t(f->num_glyphs_) + 1);
    for (size_t g = 0; g <= f->num_glyphs_; ++g)
        f->loca_[g] = loc_format == 0 ? uint32_t(loca.u16(2 * g)) * 2 : loca.u32(4 * g);

    // hmtx
    const uint16_t n_metrics = hhea.u16(34);
    if (n_metrics == 0 || n_metrics > f->num_glyphs_) throw error(file.string(), "cannot load font: bad numberOfHMetrics");
    const reader hmtx = sub("hmtx");
    f->advances_.resize(f->num_glyphs_);
    f->lsbs_.resize(f->num_glyphs_);
    for (uint16_t g = 0; g < f->num_glyphs_; ++g) {
        if (g < n_metrics) {
            f->advances_[g] = hmtx.u16(4 * size_t(g));
            f->lsbs_[g] = hmtx.u16(4 * size_t(g) + 2);
        } else {
            f->advances_[g] = f->advances_[n_metrics - 1];
            f->lsbs_[g] = hmtx.u16(4 * size_t(n_metrics) + 2 * size_t(g - n_metrics));
        }
    }

    // cmap: a Windows Unicode full-repertoire table (format 12) if there is one, else the BMP one (format 4).
    const reader cmap = sub("cmap");
    size_t best = 0;
    int best_rank = 0;
    for (uint16_t i = 0, count = cmap.u16(2); i < count; ++i) {
        const uint16_t platform = cmap.u16(4 + 8 * size_t(i)), encoding = cmap.u16(6 + 8 * size_t(i));
        const uint32_t off = cmap.u32(8 + 8 * size_t(i));
        const uint16_t format = cmap.u16(off);
        int rank = 0;
        if (format == 12 && ((platform == 3 && encoding == 10) || platform == 0)) rank = 3;
        else if (format == 4 && ((platform == 3 && encoding == 1) || platform == 0)) rank = 2;
        if (rank > best_rank) best_rank = rank, best = off;
    }
    if (best_rank == 0) throw error(file.string(), "cannot load font: no Unicode character map (cmap format 4 or 12)");
    f->bmp_.assign(0x10000, 0);
    auto map = [&](uint32_t cp, uint32_t gid) {
        if (gid >= f->num_glyphs_) return;
        if (cp < 0x10000) f->bmp_[cp] = uint16_t(gid);
        else if (cp <= 0x10ffff) f->astral_[char32_t(cp)] = uint16_t(gid);
    };
    if (cmap.u16(best) == 12) {
        const uint32_t groups = cmap.u32(best + 12);
        cmap.need(best + 16, size_t(groups) * 12);
        for (uint32_t i = 0; i < groups; ++i) {
            const size_t g = best + 16 + 12 * size_t(i);
            const uint32_t start = cmap.u32(g), end = std::min<uint32_t>(cmap.u32(g + 4), 0x10ffff),
                           gid = cmap.u32(g + 8);
            for (uint32_t c = start; c <= end && c >= start; ++c) map(c, gid + (c - start));
        }
    } else {
        const size_t segs = cmap.u16(best + 6) / 2;
        const size_t ends = best + 14, starts = ends + 2 * segs + 2, deltas = starts + 2 * segs,
                     ranges = deltas + 2 * segs;
        for (size_t s = 0; s < segs; ++s) {
            const uint16_t end = cmap.u16(ends + 2 * s), start = cmap.u16(starts + 2 * s);
            const uint16_t delta = cmap.u16(deltas + 2 * s), range = cmap.u16(ranges + 2 * s);
            for (uint32_t c = start; c <= end; ++c) {
                uint32_t gid;
                if (range == 0) gid = uint16_t(c + delta);
                else {
                    const size_t at = ranges + 2 * s + range + 2 * (c - start);
                    gid = cmap.u16(at);
                    if (gid != 0) gid = uint16_t(gid + delta);
                }
                if (c != 0xffff) map(c, gid);
            }
        }
    }

    // name: the PostScript name (id 6).
    const reader name = sub("name");
    if (name.d.size() >= 6) {
        const uint16_t count = name.u16(2), strings = name.u16(4);
        for (uint16_t i = 0; i < count && f->ps_name_.empty(); ++i) {
            const size_t rec = 6 + 12 * size_t(i);
            const uint16_t platform = name.u16(rec), id = name.u16(rec + 6), len = name.u16(rec + 8),
                           off = name.u16(rec + 10);
            if (id != 6) continue;
            name.need(size_t(strings) + off, len);
            const std::string_view raw = name.d.substr(size_t(strings) + off, len);
            std::string s;
            if (platform == 3 || platform == 0)
                for (size_t j = 1; j < raw.size(); j += 2) s += raw[j];
            else s.assign(raw);
            for (char c : s)
                if (c > 32 && c < 127 && !std::strchr("[](){}<>/%", c)) f->ps_name_ += c;
        }
    }
    if (f->ps_name_.empty()) f->ps_name_ = file.stem().string();

    // PDF descriptor metrics.
    const double k = 1000.0 / f->units_per_em_;
    metrics& m = f->metrics_;
    m.bbox = {int(head.s16(36) * k), int(head.s16(38) * k), int(head.s16(40) * k), int(head.s16(42) * k)};
    m.ascent = int(hhea.s16(4) * k);
    m.descent = int(hhea.s16(6) * k);
    m.cap_height = m.ascent * 7 / 10;
    m.x_height = m.ascent / 2;
    uint16_t weight = 400;
    if (os2.d.size() >= 90 && os2.u16(0) >= 2) {
        m.x_height = int(os2.s16(86) * k);
        m.cap_height = int(os2.s16(88) * k);
    }
    if (os2.d.size() >= 6) weight = os2.u16(4);
    m.stem_v = weight >= 600 ? 140 : 80;
    const reader post = sub("post");
    bool fixed = false;
    if (post.d.size() >= 16) {
        m.italic_angle = int32_t(post.u32(4)) / 65536.0;
        fixed = post.u32(12) != 0;
    }
    m.flags = 32 | (fixed ? 1 : 0) | (m.italic_angle != 0 ? 64 : 0);
    return f;
}

std::string pdf_font::subset(const std::vector<uint16_t>& gids, std::vector<uint16_t>& order) const {
    order = gids;
    if (order.empty() || order[0] != 0) order.insert(order.begin(), 0);
    std::map<uint16_t, uint16_t> new_id;
    for (size_t i = 0; i < order.size(); ++i) new_id.emplace(order[i], uint16_t(i));
    // Add composite components (transitively: components may themselves be composite).
    for (size_t i = 0; i < order.size(); ++i) {
        const std::string_view g = glyph_data(order[i]);
        for_each_component(g, file_, [&](size_t at) {
            const uint16_t c = reader{g, &file_}.u16(at);
            if (c < num_glyphs_ && new_id.emplace(c, uint16_t(order.size())).second) order.push_back(c);
        });
    }
    const size_t n = order.size();

    std::string glyf, loca, hmtx;
    for (size_t i = 0; i < n; ++i) {
        put32(loca, uint32_t(glyf.size()));
        std::string g(glyph_data(order[i]));
        for_each_component(g, file_, [&](size_t at) {
            const uint16_t c = reader{g, &file_}.u16(at);
            const auto it = new_id.find(c);
            set16(g, at, it == new_id.end() ? 0 : it->second);
        });
        glyf += g;
        while (glyf.size() % 4) glyf += '\0';
        put16(hmtx, advances_[order[i]]);
        put16(hmtx, lsbs_[order[i]]);
    }
    put32(loca, uint32_t(glyf.size()));

    std::string head(table("head")), hhea(table("hhea")), maxp(table("maxp"));
    set32(head, 8, 0);     // checkSumAdjustment, set below
    set16(head, 50, 1);    // long loca
    set16(hhea, 34, uint16_t(n));
    set16(maxp, 4, uint16_t(n));
    std::string post(table("post").substr(0, 32));
    if (post.size() == 32) set32(post, 0, 0x00030000); // version 3: no glyph names

    std::vector<std::pair<std::string, std::string>> out;
    auto add = [&](const char* tag, std::string body) {
        if (!body.empty()) out.emplace_back(tag, std::move(body));
    };
    add("OS/2", std::string(table("OS/2")));
    add("cvt ", std::string(table("cvt ")));
    add("fpgm", std::string(table("fpgm")));
    add("glyf", std::move(glyf));
    add("head", std::move(head));
    add("hhea", std::move(hhea));
    add("hmtx", std::move(hmtx));
    add("loca", std::move(loca));
    add("maxp", std::move(maxp));
    add("post", std::move(post));
    add("prep", std::string(table("prep")));
    std::sort(out.begin(), out.end());

    const uint16_t count = uint16_t(out.size());
    uint16_t pow2 = 1, log2 = 0;
    while (pow2 * 2 <= count) pow2 *= 2, ++log2;
    std::string font;
    put32(font, 0x00010000);
    put16(font, count);
    put16(font, uint16_t(pow2 * 16));
    put16(font, log2);
    put16(font, uint16_t(count * 16 - pow2 * 16));
    size_t offset = 12 + 16 * size_t(count), head_at = 0;
    for (const auto& [tag, body] : out) {
        font += tag;
        put32(font, checksum(body));
        put32(font, uint32_t(offset));
        put32(font, uint32_t(body.size()));
        if (tag == "head") head_at = offset;
        offset += (body.size() + 3) & ~size_t(3);
    }
    for (const auto& [tag, body] : out) {
        font += body;
        while (font.size() % 4) font += '\0';
    }
    set32(font, head_at + 8, 0xB1B0AFBA - checksum(font));
    return font;
}

} // namespace casedoc
