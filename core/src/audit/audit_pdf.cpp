#include <casedoc/audit/audit_pdf.hpp>
#include "audit_format.hpp"
#include "pdf_layout.hpp"
#include "pdf_report.hpp"
#include "pdf_resources.hpp"
#include <casedoc/base/sha256.hpp>
#include <casedoc/template/template_catalog.hpp>


#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

namespace casedoc {

namespace {

// ---------------------------------------------------------------------------------------------------------
// House style: the colours and sizes of casedoc render, one accent colour for the charts.

constexpr uint32_t heading_color = 0x1F3A5F, muted = 0x555555, accent = 0x1F4E79, accent_light = 0x9DB7D5,
                   grid_color = 0xD9D9D9, axis_color = 0x666666, alert_fill = 0xFBE9EB, alert_text = 0x8B0018;
constexpr float body_size = 9.5f, small_size = 8, table_size = 7.5f, tiny_size = 7;

rich_text span(std::string text, font_style style = font_style::regular, float size = body_size, uint32_t color = 0) {
    return {text_span{std::move(text), {style, size, color}}};
}
rich_text cell(std::string text, float size = table_size) { return span(std::move(text), font_style::regular, size); }
rich_text bold(std::string text, float size = table_size) { return span(std::move(text), font_style::bold, size); }

para_block para(rich_text t, float after = 4) {
    para_block p;
    p.text = std::move(t);
    p.space_after = after;
    return p;
}

std::string thousands(uint64_t n) {
    std::string s = std::to_string(n), out;
    const size_t lead = s.size() % 3;
    for (size_t i = 0; i < s.size(); ++i) {
        if (i > 0 && i >= lead && (i - lead) % 3 == 0) out += ',';
        out += s[i];
    }
    return out;
}

std::string percent(std::optional<double> r) {
    if (!r) return "—";
    char b[32];
    std::snprintf(b, sizeof b, "%.1f%%", *r * 100.0);
    return b;
}

std::string percent_plain(double r) { // thresholds: "95%"
    char b[32];
    std::snprintf(b, sizeof b, "%g%%", r * 100.0);
    return b;
}

std::string change_points(std::optional<double> c) {
    if (!c) return "—";
    char b[32];
    std::snprintf(b, sizeof b, "%+.1f pts", *c * 100.0);
    return std::string(b).replace(0, 1, *c < 0 ? "−" : "+");
}

// A change against the previous review: as the report gives it, else from the two rates.
std::optional<double> change_of(std::optional<double> before, std::optional<double> now, std::optional<double> change) {
    if (change) return change;
    return before && now ? std::optional(*now - *before) : std::nullopt;
}

std::string words(std::string s) { // "not_met" → "not met"
    std::replace(s.begin(), s.end(), '_', ' ');
    return s;
}

// At most `max` code points, cut at a space when there is one in the last third, with "…".
std::string shorten(const std::string& s, size_t max) {
    size_t count = 0, cut = std::string::npos;
    for (size_t i = 0; i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++count == max + 1) {
            cut = i;
            break;
        }
    if (cut == std::string::npos) return s;
    std::string head = s.substr(0, cut);
    const size_t space = head.rfind(' ');
    if (space != std::string::npos && space > head.size() * 2 / 3) head.resize(space);
    while (!head.empty() && (head.back() == ' ' || head.back() == ',' || head.back() == ';')) head.pop_back();
    return head + "…";
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

std::string time_text(const std::optional<audit_time>& t) { return t ? audit_time_text(*t) : ""; }

struct builder {
    const audit_report& r;
    const audit_pdf_options& options;
    pdf_layout& L;
    std::vector<layout_block> out;
    int section = 0;

    void heading(const std::string& text) {
        para_block p = para(span(std::to_string(++section) + "  " + text, font_style::bold, 14, heading_color), 4);
        p.space_before = 4;
        p.keep_with_next = true;
        out.push_back(std::move(p));
        rule_block rb;
        rb.color = heading_color;
        rb.space_before = 0;
        rb.space_after = 6;
        out.push_back(rb);
    }
    void subheading(const std::string& text) {
        para_block p = para(span(text, font_style::bold, 10.5f, heading_color), 3);
        p.space_before = 8;
        p.keep_with_next = true;
        out.push_back(std::move(p));
    }
    void note(const std::string& text) { out.push_back(para(span(text, font_style::italic, small_size, muted), 4)); }

    table_block table(std::vector<float> widths, std::vector<std::string> header, std::vector<text_align> aligns = {}) {
        table_block t;
        t.widths = std::move(widths);
        for (auto& h : header) t.header.push_back(bold(std::move(h)));
        t.aligns = std::move(aligns);
        t.padding = 2;
        t.grid_color = 0xB0B0B0;
        return t;
    }
    // Label and value pairs, labels bold.
    table_block key_values(const std::vector<std::pair<std::string, std::string>>& rows) {
        table_block t;
        t.widths = {1.3f, 4};
        t.grid_color = 0xC8C8C8;
        t.padding = 3;
        for (const auto& [k, v] : rows) t.rows.push_back({bold(k, small_size), cell(v, small_size)});
        return t;
    }

    // ---- charts ---------------------------------------------------------------------------------------
    struct bar {
        std::string label;
        double value;
        std::string note;
        double threshold;
    };
    // Horizontal bars of a rate each, 0–100 % axis with a grey grid, dashed reference lines at the thresholds;
    // bars below their threshold in the accent colour, the others in its light tint. Split into figures that
    // fit a page.
    void bar_chart(const std::vector<bar>& bars, const std::string& legend) {
        if (bars.empty()) return;
        const float W = L.text_width(), pitch = 13, bar_h = 8.5f, label_size = 7.5f, tick_size = 6.5f;
        float label_w = 0;
        for (const auto& b : bars)
            label_w = std::max(label_w, L.measure(span(b.label, font_style::regular, label_size)));
        label_w = std::min(label_w, W * 0.3f) + 4;
        const float x0 = label_w + 4, note_w = 84, plot_w = W - x0 - note_w;
        std::set<double> refs;
        for (const auto& b : bars) refs.insert(b.threshold);
        const float top = 12.0f * float(refs.size()) + 2, per_figure = 40;
        for (size_t first = 0; first < bars.size(); first += size_t(per_figure)) {
            const size_t n = std::min(bars.size() - first, size_t(per_figure));
            drawing_block d;
            const float plot_h = pitch * float(n), bottom = top + plot_h;
            d.height = bottom + 12;
            for (int t = 0; t <= 10; ++t) {
                const float x = x0 + plot_w * float(t) / 10;
                if (t > 0)
                    d.shapes.push_back(drawing_block::line{x, top, x, bottom, t % 2 ? 0xEEEEEE : grid_color, 0.4f, 0});
                if (t % 2 == 0)
                    d.labels.push_back({x, bottom + 2.5f,
                                        span(std::to_string(t * 10) + "%", font_style::regular, tick_size, muted),
                                        text_align::center, 0});
            }
            for (size_t i = 0; i < n; ++i) {
                const bar& b = bars[first + i];
                const float yc = top + pitch * (float(i) + 0.5f);
                const float w = plot_w * float(std::clamp(b.value, 0.0, 1.0));
                if (w > 0)
                    d.shapes.push_back(drawing_block::rect{x0, yc - bar_h / 2, w, bar_h,
                                                           b.value < b.threshold ? accent : accent_light, no_color, 0});
                d.labels.push_back({label_w, yc - label_size * 0.6f, span(b.label, font_style::regular, label_size),
                                    text_align::right, label_w - 2});
                rich_text value = span(percent(b.value), font_style::bold, label_size);
                value.push_back({"  " + b.note, {font_style::regular, tick_size, muted}});
                d.labels.push_back(
                    {x0 + plot_w + 8, yc - label_size * 0.6f, std::move(value), text_align::left, note_w - 8});
            }
            d.shapes.push_back(drawing_block::line{x0, top, x0, bottom, axis_color, 0.7f, 0});
            d.shapes.push_back(drawing_block::line{x0, bottom, x0 + plot_w, bottom, axis_color, 0.7f, 0});
            int level = 0;
            for (auto it = refs.rbegin(); it != refs.rend(); ++it, ++level) {
                const float x = x0 + plot_w * float(*it);
                d.shapes.push_back(
                    drawing_block::line{x, top - 12.0f * float(level) - 3, x, bottom, 0x333333, 0.8f, 2.5f});
                d.labels.push_back({x + 3, top - 12.0f * float(level) - 11,
                                    span(percent_plain(*it) + " threshold", font_style::regular, tick_size, 0x333333),
                                    text_align::left, 0});
            }
            out.push_back(std::move(d));
        }
        note(legend);
    }

    // ---- sections ---------------------------------------------------------------------------------------
    void cover() {
        const audit_report_scope& scope = r.scope;
        const std::string period = scope.period.from + " to " + scope.period.to;
        const std::string stratify_by = r.sample.stratify_by.value_or("");
        para_block t = para(span(scope.title, font_style::bold, 24, heading_color), 4);
        t.space_before = 24;
        out.push_back(std::move(t));
        out.push_back(para(span("Case-file compliance review · " + period, font_style::regular, 13, muted), 14));
        std::vector<std::pair<std::string, std::string>> kv = {
            {"Setting" + std::string(scope.settings.size() == 1 ? "" : "s"), join(scope.settings, ", ")},
            {"Period under review", period},
            {"Reviewer", scope.reviewer},
            {"Universe", r.universe.definition},
        };
        const std::string& method = r.sample.method;
        std::string sampling =
            method == "all" ? "all case records" : method == "random" ? "simple random sample" : method;
        if (!stratify_by.empty()) sampling += " by " + stratify_by;
        if (r.sample.seed) sampling += "; seed " + std::to_string(*r.sample.seed);
        sampling += "; " + thousands(r.sample.size) + " of " + thousands(r.universe.in_universe) +
                    " case records in the universe";
        kv.emplace_back("Sampling", sampling);
        if (!scope.params.empty()) {
            std::vector<std::string> p;
            for (const auto& [k, v] : scope.params) p.push_back(k + " = " + v);
            kv.emplace_back("Parameters", join(p, "; "));
        }
        if (!scope.inputs.empty()) kv.emplace_back("Inputs", join(scope.inputs, "; "));
        kv.emplace_back("Generated by", r.generator + " (casedoc audit), from audit.json format casedoc-audit/1");
        if (scope.pseudonymised_workers)
            kv.emplace_back("Workers", "worker ids are pseudonymised (W- and a keyed hash)");
        out.push_back(key_values(kv));

        subheading("Rule sets applied");
        table_block rs = table({1.2f, 0.8f, 3, 1.1f, 1.1f, 0.6f},
                               {"Setting", "Version", "Title", "Effective from", "Effective to", "Cases"},
                               {text_align::left, text_align::left, text_align::left, text_align::left,
                                text_align::left, text_align::right});
        for (const auto& s : scope.rule_sets)
            rs.rows.push_back({cell(s.setting), cell(s.version), cell(s.title.empty() ? s.schema : s.title),
                               cell(s.effective_from.value_or("")), cell(s.effective_to.value_or("in force")),
                               cell(s.cases ? std::to_string(*s.cases) : "")});
        out.push_back(std::move(rs));

        if (!r.sample.strata.empty()) {
            subheading("Sample strata" + (stratify_by.empty() ? std::string() : " (by " + stratify_by + ")"));
            table_block st = table({3, 1, 1, 1}, {"Stratum", "Universe", "Requested", "Sampled"},
                                   {text_align::left, text_align::right, text_align::right, text_align::right});
            for (const auto& s : r.sample.strata)
                st.rows.push_back({cell(s.key), cell(thousands(s.universe)), cell(thousands(s.requested)),
                                   cell(thousands(s.sampled))});
            out.push_back(std::move(st));
        }

        para_block attest = para(span("Attestation", font_style::bold, 10.5f, heading_color), 8);
        attest.space_before = 14;
        attest.keep_with_next = true;
        out.push_back(std::move(attest));
        para_block line = para(
            {text_span{"Reviewed by  ", {font_style::regular, 10, 0}},
             text_span{scope.reviewer, {font_style::bold, 10, 0}},
             text_span{"      ____________________________      Date  ______________", {font_style::regular, 10, 0}}},
            3);
        line.keep_with_next = true;
        out.push_back(std::move(line));
        out.push_back(para(span("I reviewed the case records listed in the appendix against the rule sets above, "
                                "for the period under review.",
                                font_style::italic, small_size, muted),
                           10));
        para_block privacy = para(span("Client names are not in this report: cases are identified by record id only.",
                                       font_style::regular, small_size, 0x333333),
                                  4);
        privacy.fill = 0xF2F2F2;
        privacy.padding = 4;
        out.push_back(std::move(privacy));
        out.push_back(page_break_block{});
    }

    void unreadable_alert(size_t limit) {
        if (r.universe.unreadable == 0 && r.unreadable.empty()) return;
        const uint64_t n = std::max<uint64_t>(r.universe.unreadable, r.unreadable.size());
        std::string text =
            thousands(n) + (n == 1 ? " record could not be read or checked" : " records could not be read or checked");
        para_block p = para(span(text, font_style::bold, 10.5f, alert_text), 0);
        p.fill = alert_fill;
        p.border = alert_text;
        p.padding = 5;
        for (size_t i = 0; i < r.unreadable.size() && i < limit; ++i) {
            const auto& u = r.unreadable[i];
            const std::string where = u.line ? ":" + std::to_string(*u.line) +
                                                   (u.column ? ":" + std::to_string(*u.column) : std::string())
                                             : std::string();
            p.text.push_back({"\n" + u.file + where + ": " + u.message, {font_style::regular, small_size, 0x333333}});
        }
        if (r.unreadable.size() > limit)
            p.text.push_back({"\n… and " + thousands(r.unreadable.size() - limit) + " more, listed in the appendix",
                              {font_style::italic, small_size, 0x333333}});
        p.space_after = 8;
        out.push_back(std::move(p));
    }

    void summary() {
        heading("Summary");
        unreadable_alert(10);
        table_block t = table({3, 1.3f, 1.3f, 1.3f}, {"Measure", "Met", "Of", "Rate"},
                              {text_align::left, text_align::right, text_align::right, text_align::right});
        const audit_report_summary& s = r.summary;
        t.rows.push_back({cell("Case outcome (every applicable error-severity item met)", small_size),
                          cell(thousands(s.cases_met), small_size), cell(thousands(s.cases), small_size),
                          bold(percent(s.case_rate), small_size)});
        t.rows.push_back({cell("Item compliance (item ratings met of applicable)", small_size),
                          cell(thousands(s.items_met), small_size), cell(thousands(s.items_applicable), small_size),
                          bold(percent(s.item_rate), small_size)});
        out.push_back(std::move(t));
        const audit_report_universe& u = r.universe;
        out.push_back(key_values({
            {"Cases reviewed", thousands(s.cases)},
            {"Findings", thousands(s.findings) + " (" + thousands(s.errors) + " error" + (s.errors == 1 ? "" : "s") +
                             ", " + thousands(s.warnings) + " warning" + (s.warnings == 1 ? "" : "s") + ")"},
            {"Corrective actions", thousands(r.corrective_actions.size())},
            {"Input files", thousands(u.files)},
            {"In the universe", thousands(u.in_universe)},
            {"Eliminated", thousands(u.eliminated) + (u.eliminated ? " (reasons in the appendix)" : "")},
            {"Unreadable", thousands(u.unreadable)},
        }));
        if (r.trend) {
            const audit_report_trend& o = *r.trend;
            out.push_back(para(span("Item compliance " + percent(o.rate) + " against " + percent(o.previous_rate) +
                                        " in the previous review (" +
                                        change_points(change_of(o.previous_rate, o.rate, o.change)) + "); see Trend.",
                                    font_style::regular, small_size, 0x333333)));
        }
    }

    std::string item_label(const audit_report_item& it) const {
        const auto same_id = [&](const audit_report_item& o) { return o.rule_id == it.rule_id; };
        return r.scope.settings.size() > 1 && std::count_if(r.items.begin(), r.items.end(), same_id) > 1
                   ? it.setting + " " + it.rule_id
                   : it.rule_id;
    }

    void items() {
        heading("Results by review item");
        note("Each rule of the setting's rule set is a review item, rated on every sampled case: met, not met, "
             "or not applicable (N/A).");
        table_block t = table({1.45f, 3.6f, 1.75f, 0.75f, 0.7f, 0.6f, 0.7f, 0.55f},
                              {"Rule", "Item", "Citation", "Severity", "Applic.", "Met", "%", "N/A"},
                              {text_align::left, text_align::left, text_align::left, text_align::left,
                               text_align::right, text_align::right, text_align::right, text_align::right});
        std::string setting;
        for (const auto& it : r.items) {
            if (r.scope.settings.size() > 1 && it.setting != setting) {
                setting = it.setting;
                t.rows.push_back({bold(setting), {}, {}, {}, {}, {}, {}, {}});
            }
            t.rows.push_back(
                {cell(it.rule_id), cell(shorten(it.title, 90)), cell(it.citation), cell(it.severity),
                 cell(thousands(it.applicable)), cell(thousands(it.met)),
                 it.rate && *it.rate < (it.severity == "error" ? options.threshold : options.warning_threshold)
                     ? bold(percent(it.rate))
                     : cell(percent(it.rate)),
                 cell(thousands(it.not_applicable))});
        }
        out.push_back(std::move(t));
        subheading("Compliance by item");
        std::vector<bar> bars;
        for (const auto& it : r.items)
            if (it.applicable > 0)
                bars.push_back({item_label(it), it.rate.value_or(double(it.met) / double(it.applicable)),
                                thousands(it.met) + "/" + thousands(it.applicable),
                                it.severity == "error" ? options.threshold : options.warning_threshold});
        if (bars.empty()) note("No item applied to any sampled case.");
        bar_chart(bars, "Share of applicable cases that met each item (items with no applicable case are not shown). "
                        "Dashed lines: the conformity thresholds (error items " +
                            percent_plain(options.threshold) + ", warnings " +
                            percent_plain(options.warning_threshold) + "); darker bars are below their threshold.");
    }

    void rollups() {
        heading("Roll-ups");
        const std::pair<std::string, const std::vector<audit_report_group>*> kinds[] = {
            {"worker", &r.rollups.worker},
            {"office", &r.rollups.office},
            {"month", &r.rollups.month},
            {"setting", &r.rollups.setting}};
        for (const auto& [kind, list] : kinds) {
            const auto& rows = *list;
            subheading("By " + kind);
            if (rows.empty()) {
                note("None.");
                continue;
            }
            std::string key = kind;
            key[0] = char(key[0] - 'a' + 'A');
            table_block t = table({2.2f, 1, 1, 1, 1.2f, 1.2f, 1},
                                  {key, "Cases", "Cases met", "Case rate", "Items applic.", "Items met", "Item rate"},
                                  {text_align::left, text_align::right, text_align::right, text_align::right,
                                   text_align::right, text_align::right, text_align::right});
            for (const auto& g : rows)
                t.rows.push_back({cell(g.key), cell(thousands(g.cases)), cell(thousands(g.cases_met)),
                                  cell(percent(g.cases ? std::optional<double>(double(g.cases_met) / double(g.cases))
                                                       : std::nullopt)),
                                  cell(thousands(g.applicable)), cell(thousands(g.met)), cell(percent(g.rate))});
            out.push_back(std::move(t));
            if (kind == "worker") {
                std::vector<bar> bars;
                for (const auto& g : rows)
                    if (g.applicable > 0)
                        bars.push_back({g.key, g.rate.value_or(double(g.met) / double(g.applicable)),
                                        thousands(g.met) + "/" + thousands(g.applicable), options.threshold});
                subheading("Item compliance by worker");
                bar_chart(bars, "Item ratings met of applicable, per worker's sampled cases. Dashed line: the " +
                                    percent_plain(options.threshold) + " threshold; darker bars are below it.");
            }
        }
    }

    void timeliness() {
        if (r.timeliness.empty()) return;
        heading("Timeliness");
        std::vector<const audit_report_timeliness*> deadlines, recurrences;
        for (const auto& t : r.timeliness) (t.kind == "deadline" ? deadlines : recurrences).push_back(&t);
        if (!deadlines.empty()) {
            subheading("Deadlines");
            table_block t =
                table({1, 3, 0.9f, 0.6f, 0.7f, 0.7f, 0.75f, 0.7f, 0.7f, 0.7f},
                      {"Rule", "Deadline", "Limit", "N", "Within", "Rate", "Median", "P90", "Max", "Pending"},
                      {text_align::left, text_align::left, text_align::right, text_align::right, text_align::right,
                       text_align::right, text_align::right, text_align::right, text_align::right, text_align::right});
            for (const auto* d : deadlines)
                t.rows.push_back({cell(d->rule_id), cell(shorten(d->title, 80)),
                                  cell(time_text(d->limit) + (d->unit.empty() ? "" : " " + d->unit)),
                                  cell(thousands(d->n)), cell(thousands(d->within)), bold(percent(d->rate)),
                                  cell(time_text(d->median)), cell(time_text(d->p90)), cell(time_text(d->max)),
                                  cell(thousands(d->pending))});
            out.push_back(std::move(t));
            // The distribution: one row per deadline, a column per bucket (labels from the first deadline).
            const auto& first = deadlines[0]->buckets;
            if (!first.empty()) {
                subheading("Elapsed time, share of the limit (cases)");
                std::vector<float> widths{1};
                std::vector<std::string> header{"Rule"};
                std::vector<text_align> aligns{text_align::left};
                for (const auto& b : first) {
                    widths.push_back(0.9f);
                    header.push_back(b.label);
                    aligns.push_back(text_align::right);
                }
                table_block b = table(widths, header, aligns);
                for (const auto* d : deadlines) {
                    std::vector<rich_text> row{cell(d->rule_id)};
                    for (size_t i = 0; i < first.size(); ++i)
                        row.push_back(cell(i < d->buckets.size() ? thousands(d->buckets[i].count) : ""));
                    b.rows.push_back(std::move(row));
                }
                out.push_back(std::move(b));
            }
        }
        if (!recurrences.empty()) {
            subheading("Recurring requirements");
            table_block t = table({1, 3.6f, 0.8f, 0.7f, 0.8f, 0.8f, 0.7f},
                                  {"Rule", "Requirement", "Unit", "Cases", "Periods", "Met", "Rate"},
                                  {text_align::left, text_align::left, text_align::left, text_align::right,
                                   text_align::right, text_align::right, text_align::right});
            for (const auto* d : recurrences)
                t.rows.push_back({cell(d->rule_id), cell(shorten(d->title, 90)), cell(d->unit), cell(thousands(d->n)),
                                  cell(thousands(d->periods)), cell(thousands(d->periods_met)),
                                  bold(percent(d->rate))});
            out.push_back(std::move(t));
        }
    }

    void trend() {
        if (!r.trend) return;
        const audit_report_trend& t = *r.trend;
        heading("Trend");
        std::string prev;
        if (t.previous_period)
            prev = "the previous review (" + t.previous_period->from + " to " + t.previous_period->to + ")";
        if (!t.previous_file.empty()) prev += (prev.empty() ? "" : ", ") + t.previous_file;
        note("Compared with " + (prev.empty() ? std::string("the previous review") : prev) + ".");
        table_block tb = table({1.4f, 3, 1, 1, 1.1f}, {"Rule", "Item", "Previous", "This review", "Change"},
                               {text_align::left, text_align::left, text_align::right, text_align::right,
                                text_align::right});
        tb.rows.push_back({bold("All items"), cell(""), bold(percent(t.previous_rate)), bold(percent(t.rate)),
                           bold(change_points(change_of(t.previous_rate, t.rate, t.change)))});
        std::map<std::string, std::string> titles;
        for (const auto& it : r.items) titles.emplace(it.rule_id, it.title);
        for (const auto& i : t.items)
            tb.rows.push_back({cell(i.rule_id), cell(shorten(titles.count(i.rule_id) ? titles[i.rule_id] : "", 70)),
                               cell(percent(i.previous_rate)), cell(percent(i.rate)),
                               cell(change_points(change_of(i.previous_rate, i.rate, i.change)))});
        out.push_back(std::move(tb));
    }

    void findings() {
        heading("Findings");
        if (r.findings.empty()) {
            note("Every applicable item was met on every sampled case.");
            return;
        }
        note("One finding per item not met on at least one sampled case, errors first, then by the number of cases. "
             "The evidence lists every case not met, with the first finding of the rule in the record.");
        int n = 0;
        for (const auto& f : r.findings) {
            // Heading, item and count in one paragraph, kept with the first rows of the evidence.
            para_block h =
                para({text_span{"F" + std::to_string(++n) + "  " + f.rule_id, {font_style::bold, 11, heading_color}},
                      text_span{"   " + f.severity + (f.citation.empty() ? "" : " · " + f.citation) +
                                    (f.setting.empty() ? "" : " · " + f.setting),
                                {font_style::regular, small_size, muted}}},
                     2);
            if (!f.title.empty()) h.text.push_back({"\n" + f.title, {font_style::regular, small_size, 0}});
            h.text.push_back({"\n" + thousands(f.cases) + " of " + thousands(f.applicable) +
                                  " applicable cases not met (" +
                                  percent(f.applicable ? std::optional<double>(double(f.cases) / double(f.applicable))
                                                       : std::nullopt) +
                                  ")",
                              {font_style::bold, small_size, 0x333333}});
            h.space_before = 10;
            h.keep_with_next = true;
            out.push_back(std::move(h));
            table_block t = table({1.25f, 1.05f, 0.8f, 0.95f, 1.05f, 0.45f, 4.45f},
                                  {"Record", "Worker", "Office", "As of", "Element", "Line", "Narrative"},
                                  {text_align::left, text_align::left, text_align::left, text_align::left,
                                   text_align::left, text_align::right, text_align::left});
            t.rows.reserve(f.evidence.size());
            for (const auto& e : f.evidence)
                t.rows.push_back({cell(e.record_id, tiny_size), cell(e.worker, tiny_size), cell(e.office, tiny_size),
                                  cell(e.as_of, tiny_size), cell(e.element, tiny_size),
                                  cell(e.line ? std::to_string(*e.line) : "", tiny_size),
                                  cell(e.narrative, tiny_size)});
            out.push_back(std::move(t));
        }
    }

    void actions() {
        heading("Corrective action plan");
        if (r.corrective_actions.empty()) {
            note("No error-severity finding: no corrective action is required.");
            return;
        }
        note("One action per error-severity finding. The agency fills in the action, its owner and due date.");
        for (const auto& a : r.corrective_actions) {
            para_block h =
                para({text_span{std::to_string(a.number) + ".  " + a.headline, {font_style::bold, 10, heading_color}},
                      text_span{"\n" + a.rule_id + (a.citation.empty() ? "" : " · " + a.citation) +
                                    (a.severity.empty() ? "" : " · " + a.severity),
                                {font_style::regular, small_size, muted}}},
                     2);
            h.space_before = 8;
            h.keep_with_next = true;
            out.push_back(std::move(h));
            table_block t;
            t.widths = {1, 5};
            t.grid_color = 0xB0B0B0;
            t.padding = 4;
            t.rows.push_back({bold("Finding", small_size), cell(a.finding, small_size)});
            t.rows.push_back({bold("Action", small_size), cell(a.action.empty() ? "\n" : a.action, small_size)});
            t.rows.push_back({bold("Owner", small_size), cell(a.owner, small_size)});
            t.rows.push_back({bold("Due date", small_size), cell(a.due, small_size)});
            t.space_after = 4;
            out.push_back(std::move(t));
        }
    }

    void appendix() {
        out.push_back(page_break_block{});
        heading("Appendix");
        subheading("A  Sampled cases (" + thousands(r.cases.size()) + ")");
        table_block t = table({1.3f, 1.1f, 0.8f, 0.8f, 0.65f, 0.8f, 0.65f, 2.3f},
                              {"Record", "Setting", "Worker", "Office", "Month", "Stratum", "Outcome", "Not met"});
        t.padding = 1.6f;
        t.row_count = r.cases.size();
        t.row_source = [this](size_t i) {
            const audit_report_case& c = r.cases[i];
            return std::vector<rich_text>{cell(c.record_id, tiny_size),
                                          cell(c.setting, tiny_size),
                                          cell(c.worker, tiny_size),
                                          cell(c.office, tiny_size),
                                          cell(c.month, tiny_size),
                                          cell(c.stratum, tiny_size),
                                          c.outcome == "met" ? cell(c.outcome, tiny_size)
                                                             : bold(words(c.outcome), tiny_size),
                                          cell(join(c.not_met, ", "), tiny_size)};
        };
        if (t.row_count == 0) note("No case was sampled.");
        else out.push_back(std::move(t));

        subheading("B  Eliminated records (" + thousands(r.eliminated.size()) + ")");
        if (r.eliminated.empty()) note("None.");
        else {
            table_block e = table({3, 1.3f, 3}, {"File", "Record", "Reason"});
            for (const auto& x : r.eliminated)
                e.rows.push_back({cell(x.file, tiny_size), cell(x.record_id, tiny_size), cell(x.reason, tiny_size)});
            out.push_back(std::move(e));
        }
        subheading("C  Records that could not be read or checked (" + thousands(r.unreadable.size()) + ")");
        if (r.unreadable.empty()) note("None.");
        else {
            table_block u = table({3, 0.6f, 0.6f, 3.5f}, {"File", "Line", "Column", "Message"},
                                  {text_align::left, text_align::right, text_align::right, text_align::left});
            for (const auto& x : r.unreadable)
                u.rows.push_back({cell(x.file, tiny_size), cell(x.line ? std::to_string(*x.line) : "", tiny_size),
                                  cell(x.column ? std::to_string(*x.column) : "", tiny_size),
                                  cell(x.message, tiny_size)});
            out.push_back(std::move(u));
        }
    }
};


} // namespace

std::string render_audit_pdf(const std::string& audit_json_text, const audit_pdf_options& options) {
    const audit_report r = read_audit_report(audit_json_text);

    template_catalog defaults;
    const template_catalog* templates = options.templates;
    if (!templates) {
        defaults.add_default_directories();
        templates = &defaults;
    }
    const pdf_resources res = pdf_resources::load(templates->common()->pdf_files());
    pdf_layout layout(res.fonts, res.geometry);

    builder b{r, options, layout, {}, 0};
    b.cover();
    b.summary();
    b.items();
    b.rollups();
    b.timeliness();
    b.trend();
    b.findings();
    b.actions();
    b.appendix();

    const audit_report_scope& scope = r.scope;
    const std::string period = scope.period.from + " to " + scope.period.to;
    pdf_report report;
    report.head_left = scope.title;
    report.head_right = "Period under review " + period;
    report.foot_left = r.generator + " · casedoc audit · reviewer " + scope.reviewer;
    report.kind = "audit";
    report.info.title = scope.title + ", " + period;
    report.info.author = scope.reviewer;
    report.info.subject = "Case-file compliance review of " + join(scope.settings, ", ") + " case records, " + period;
    report.info.keywords = "casedoc; audit; " + join(scope.settings, "; ");
    report.info.creator = "casedoc audit (" + r.generator + ")";
    report.info.date = scope.period.to; // the end of the period: no clock is read
    report.info.source_sha256 = sha256::hex(sha256::of(audit_json_text));
    return write_report_pdf(b.out, layout, res, std::move(report));
}

} // namespace casedoc
