#include "pdf_report.hpp"

#include <casedoc/base/sha256.hpp>

#include <hpdf_version.h>

#include <algorithm>
#include <array>

namespace casedoc {

namespace {

std::vector<layout_block> frame_row(const std::string& left, const std::string& right, float size, uint32_t color,
                                    bool left_bold) {
    table_block t;
    t.widths = {3, 2};
    t.aligns = {text_align::left, text_align::right};
    t.grid = false;
    t.padding = 0;
    t.space_before = 0;
    t.space_after = 0;
    t.rows.push_back({{text_span{left, {left_bold ? font_style::bold : font_style::regular, size, color}}},
                      {text_span{right, {font_style::regular, size, color}}}});
    return {t};
}

rule_block frame_rule(float before, float after) {
    rule_block rb;
    rb.space_before = before;
    rb.space_after = after;
    rb.width = 0.5f;
    return rb;
}

} // namespace

std::string write_report_pdf(const std::vector<layout_block>& blocks, pdf_layout& layout, const pdf_resources& res,
                             pdf_report report) {
    const auto head = [&](int, int) {
        auto out = frame_row(report.head_left, report.head_right, 7.5f, 0x222222, true);
        out.push_back(frame_rule(2, 0));
        return out;
    };
    const auto foot = [&](int page, int pages) {
        std::vector<layout_block> out{frame_rule(0, 2)};
        auto row = frame_row(report.foot_left, "Page " + std::to_string(page) + " of " + std::to_string(pages), 6.5f,
                             0x333333, false);
        out.insert(out.end(), row.begin(), row.end());
        return out;
    };
    // Pages are written as they are laid out, their heads and feet ("Page N of M") once M is known.
    pdf_document pdf;
    layout.run(
        blocks, head, foot,
        [&](int, laid_out_page&& page) {
            pdf.add_page(res.geometry.width, res.geometry.height, layout.content(page, pdf));
        },
        [&](int page, laid_out_page&& frame) { pdf.append_content(size_t(page - 1), layout.content(frame, pdf)); });
    report.info.producer = std::string("casedoc ") + CASEDOC_VERSION + " with libharu " + HPDF_VERSION_TEXT;
    pdf.set_info(report.info);
    pdf.set_output_intent(res.icc_deflated, res.icc_id);
    sha256 id;
    id.update(report.info.source_sha256).update("|" + report.kind + "|").update(res.font_digest).update("|").update(
        CASEDOC_VERSION);
    const auto full = id.finish();
    std::array<uint8_t, 16> file_id{};
    std::copy(full.begin(), full.begin() + 16, file_id.begin());
    pdf.set_id(file_id);
    return pdf.save();
}

} // namespace casedoc
