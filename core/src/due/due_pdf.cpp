#include <casedoc/due/due_pdf.hpp>
#include "pdf_layout.hpp"
#include "pdf_report.hpp"
#include "pdf_resources.hpp"
#include <casedoc/base/sha256.hpp>
#include <casedoc/due/due_formats.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/template/template_catalog.hpp>

#include <algorithm>
#include <array>
#include <map>

namespace casedoc {

namespace {

// The audit report's house style.
constexpr uint32_t heading_color = 0x1F3A5F, muted = 0x555555, accent = 0x1F4E79, accent_light = 0x9DB7D5,
                   grid_color = 0xD9D9D9, axis_color = 0x666666, overdue_color = 0x8B0018;
constexpr float body_size = 9.5f, small_size = 8, table_size = 7.5f;

rich_text span(std::string text, font_style style = font_style::regular, float size = body_size, uint32_t color = 0) {
    return {text_span{std::move(text), {style, size, color}}};
}
rich_text cell(std::string text, uint32_t color = 0) {
    return span(std::move(text), font_style::regular, table_size, color);
}
rich_text bold(std::string text) { return span(std::move(text), font_style::bold, table_size); }

using counts = std::array<uint64_t, 3>; // overdue, due, upcoming

struct builder {
    const due_list& list;
    pdf_layout& L;
    std::vector<layout_block> out;

    void heading(const std::string& text) {
        para_block p;
        p.text = span(text, font_style::bold, 14, heading_color);
        p.keep_with_next = true;
        out.push_back(std::move(p));
        rule_block rb;
        rb.color = heading_color;
        rb.space_before = 0;
        rb.space_after = 6;
        out.push_back(rb);
    }
    void note(const std::string& text) {
        para_block p;
        p.text = span(text, font_style::italic, small_size, muted);
        out.push_back(std::move(p));
    }
    table_block table(std::vector<float> widths, std::vector<std::string> header, std::vector<text_align> aligns) {
        table_block t;
        t.widths = std::move(widths);
        for (auto& h : header) t.header.push_back(bold(std::move(h)));
        t.aligns = std::move(aligns);
        t.padding = 2;
        t.grid_color = 0xB0B0B0;
        return t;
    }

    // Horizontal bars per worker: overdue (accent) then due (light tint), on a common scale.
    void chart(const std::map<std::string, counts>& by_worker) {
        const float W = L.text_width(), pitch = 13, bar_h = 8.5f, label_size = 7.5f, top = 14;
        uint64_t most = 1;
        for (const auto& [w, c] : by_worker) most = std::max(most, c[0] + c[1]);
        const float x0 = 80, plot_w = W - x0 - 40;
        drawing_block d;
        const float bottom = top + pitch * float(by_worker.size());
        d.height = bottom + 6;
        d.shapes.push_back(drawing_block::rect{x0, 2, 8, 7, accent, no_color, 0});
        d.labels.push_back({x0 + 11, 1.5f, span("overdue", font_style::regular, label_size, muted), text_align::left, 0});
        d.shapes.push_back(drawing_block::rect{x0 + 60, 2, 8, 7, accent_light, no_color, 0});
        d.labels.push_back({x0 + 71, 1.5f, span("due", font_style::regular, label_size, muted), text_align::left, 0});
        size_t i = 0;
        for (const auto& [w, c] : by_worker) {
            const float yc = top + pitch * (float(i++) + 0.5f);
            const float over = plot_w * float(c[0]) / float(most), due = plot_w * float(c[1]) / float(most);
            if (over > 0) d.shapes.push_back(drawing_block::rect{x0, yc - bar_h / 2, over, bar_h, accent, no_color, 0});
            if (due > 0)
                d.shapes.push_back(drawing_block::rect{x0 + over, yc - bar_h / 2, due, bar_h, accent_light, no_color, 0});
            d.labels.push_back({x0 - 4, yc - label_size * 0.6f, span(w.empty() ? "(no worker)" : w, font_style::regular,
                                                                     label_size),
                                text_align::right, x0 - 6});
            d.labels.push_back({x0 + over + due + 4, yc - label_size * 0.6f,
                                span(std::to_string(c[0] + c[1]), font_style::bold, label_size), text_align::left, 0});
        }
        d.shapes.push_back(drawing_block::line{x0, top, x0, bottom, axis_color, 0.7f, 0});
        d.shapes.push_back(drawing_block::line{x0, bottom, x0 + plot_w, bottom, grid_color, 0.5f, 0});
        out.push_back(std::move(d));
    }

    void summary() {
        const auto& by_worker = list.by_worker;
        const auto& by_rule = list.by_rule;
        const counts& total = list.totals;
        heading("Due list as of " + format_date(list.options.as_of) + ": supervisor's summary");
        note(std::to_string(list.records) + " case records checked; due means within " +
             std::to_string(list.options.within) + " days" + (list.options.all ? "; upcoming: later" : "") +
             (list.options.worker.empty() ? "" : "; worker " + list.options.worker) +
             (list.options.office.empty() ? "" : "; office " + list.options.office) + ". " +
             std::to_string(total[0]) + " overdue, " + std::to_string(total[1]) + " due" +
             (list.options.all ? ", " + std::to_string(total[2]) + " upcoming" : "") + ".");
        if (!list.problems.empty())
            note(std::to_string(list.problems.size()) + " record(s) could not be checked and are not in this list.");
        if (by_worker.empty()) {
            note("Nothing is due.");
            return;
        }
        chart(by_worker);
        table_block w = table({3, 1, 1, 1}, {"Worker", "Overdue", "Due", "Upcoming"},
                              {text_align::left, text_align::right, text_align::right, text_align::right});
        for (const auto& [worker, c] : by_worker)
            w.rows.push_back({cell(worker.empty() ? "(no worker)" : worker), cell(std::to_string(c[0])),
                              cell(std::to_string(c[1])), cell(std::to_string(c[2]))});
        out.push_back(std::move(w));
        table_block r = table({1.4f, 4, 0.8f, 0.8f, 0.8f}, {"Rule", "Title", "Overdue", "Due", "Upcoming"},
                              {text_align::left, text_align::left, text_align::right, text_align::right, text_align::right});
        for (const auto& [id, tc] : by_rule)
            r.rows.push_back({cell(id), cell(tc.first), cell(std::to_string(tc.second[0])),
                              cell(std::to_string(tc.second[1])), cell(std::to_string(tc.second[2]))});
        out.push_back(std::move(r));
    }

    void worklists() {
        // The items come by worker; each worker's table starts on a new page.
        const std::string* worker = nullptr;
        table_block t;
        const auto close = [&] {
            if (worker) out.push_back(std::move(t));
        };
        list.items.for_each([&](const due_item& d) {
            if (!worker || *worker != d.worker) {
                close();
                worker = &list.by_worker.find(d.worker)->first;
                const counts& c = list.by_worker.find(d.worker)->second;
                const uint64_t n = c[0] + c[1] + c[2];
                out.push_back(page_break_block{});
                heading("Worklist of " + (worker->empty() ? std::string("records without a worker") : *worker) +
                        ": " + std::to_string(n) + (n == 1 ? " item" : " items"));
                t = table({0.9f, 1.1f, 0.6f, 1.2f, 1.1f, 3.2f, 1.6f},
                          {"Status", "Due", "Days", "Record", "Rule", "What", "From"},
                          {text_align::left, text_align::left, text_align::right, text_align::left, text_align::left,
                           text_align::left, text_align::left});
            }
            const uint32_t color = d.status == due_status::overdue ? overdue_color : 0;
            std::string what = d.title + " (" + d.citation + ")";
            if (!d.extension.empty()) what += "; extension " + d.extension;
            t.rows.push_back({cell(std::string(to_string(d.status)), color), cell(d.due, color),
                              cell(std::to_string(d.days_left), color), cell(d.record_id), cell(d.rule_id),
                              cell(what), cell(d.anchor)});
        });
        close();
    }
};


} // namespace

std::string render_due_pdf(const due_list& list, const template_catalog* templates) {
    template_catalog defaults;
    if (!templates) {
        defaults.add_default_directories();
        templates = &defaults;
    }
    const pdf_resources res = pdf_resources::load(templates->common()->pdf_files());
    pdf_layout layout(res.fonts, res.geometry);
    builder b{list, layout, {}};
    b.summary();
    b.worklists();
    const std::string as_of = format_date(list.options.as_of);
    pdf_report report;
    report.head_left = "casedoc due list";
    report.head_right = "As of " + as_of;
    report.foot_left = "Confidential: case management worklist";
    report.kind = "due";
    report.info.title = "Due list as of " + as_of;
    report.info.author = "casedoc";
    report.info.subject = "What each worker must do next, and by when";
    report.info.keywords = "casedoc; due; worklist";
    report.info.creator = "casedoc due";
    report.info.date = as_of; // no clock is read
    report.info.source_sha256 = sha256::hex(sha256::of(due_json(list)));
    return write_report_pdf(b.out, layout, res, std::move(report));
}

} // namespace casedoc
