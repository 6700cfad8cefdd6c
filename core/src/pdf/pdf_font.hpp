// A TrueType font file read once and shared, read-only, by every document and thread: character to glyph
// lookup, advance widths, the metrics a PDF font descriptor needs, and subsets for embedding (only the glyphs
// a document uses, plus the components of composite glyphs, renumbered from 0).
#ifndef CASEDOC_PDF_PDF_FONT_HPP
#define CASEDOC_PDF_PDF_FONT_HPP

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace casedoc {

class pdf_font {
public:
    // Reads a TrueType (glyf outline) font. Throws casedoc::error naming the file when it cannot be read,
    // is not a TrueType font (CFF outlines, collections), lacks a table, or forbids embedding.
    static std::shared_ptr<const pdf_font> load(const std::filesystem::path& file);

    const std::filesystem::path& file() const noexcept { return file_; }
    const std::string& postscript_name() const noexcept { return ps_name_; }

    // The glyph for a code point, 0 (.notdef) when the font has none.
    uint16_t glyph(char32_t cp) const {
        if (cp < 0x10000) return bmp_[cp];
        const auto it = astral_.find(cp);
        return it == astral_.end() ? 0 : it->second;
    }
    uint16_t advance(uint16_t gid) const { return advances_[gid < advances_.size() ? gid : advances_.size() - 1]; }
    // Width in thousandths of the font size (PDF glyph space).
    double advance_1000(uint16_t gid) const { return advance(gid) * 1000.0 / units_per_em_; }
    uint16_t glyph_count() const noexcept { return num_glyphs_; }

    // PDF font descriptor values, in thousandths of the font size.
    struct metrics {
        int ascent = 0, descent = 0, cap_height = 0, x_height = 0, stem_v = 80, flags = 32;
        double italic_angle = 0;
        std::array<int, 4> bbox{};
    };
    const metrics& pdf_metrics() const noexcept { return metrics_; }

    // A font program holding `gids` (in that order, new glyph i = gids[i]; gids[0] must be 0) followed by
    // the components their composite glyphs need. `order` receives the old glyph id of every new glyph.
    std::string subset(const std::vector<uint16_t>& gids, std::vector<uint16_t>& order) const;

private:
    pdf_font() = default;
    std::string_view table(const char* tag) const;
    std::string_view glyph_data(uint16_t gid) const;

    std::filesystem::path file_;
    std::string data_;
    std::unordered_map<std::string, std::pair<uint32_t, uint32_t>> tables_; // tag -> offset, length
    std::string ps_name_;
    std::vector<uint16_t> bmp_;
    std::unordered_map<char32_t, uint16_t> astral_;
    std::vector<uint16_t> advances_, lsbs_;
    std::vector<uint32_t> loca_; // num_glyphs + 1 offsets into glyf
    uint16_t num_glyphs_ = 0, units_per_em_ = 1000;
    metrics metrics_;
};

} // namespace casedoc

#endif
