#include <casedoc/base/error.hpp>
#include "pdf_document.hpp"
#include "pdf_layout.hpp"
#include "pdf_resources.hpp"
#include <casedoc/base/sha256.hpp>
#include <casedoc/xml/record.hpp>
#include <casedoc/render/render.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <casedoc/xml/string_value.hpp>
#include <casedoc/xml/xml_chars.hpp>

#include <hpdf_version.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>

namespace casedoc {

namespace fs = std::filesystem;

namespace {

constexpr const char* page_marker = "\x01P\x01";
constexpr const char* pages_marker = "\x01N\x01";

// Colours and sizes of the house style (templates choose content and order, not typography).
constexpr uint32_t heading_color = 0x1F3A5F, label_color = 0x333333, muted = 0x555555;
constexpr float body_size = 9.5f, small_size = 8.5f;

// Narrative text: paragraphs separated by blank lines, white space within a paragraph collapsed.
std::vector<std::string> paragraphs(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    size_t i = 0;
    while (i <= s.size()) {
        const size_t nl = s.find('\n', i);
        const std::string_view line = s.substr(i, nl == std::string_view::npos ? std::string_view::npos : nl - i);
        if (detail::normalize_space(line).empty()) {
            if (!detail::normalize_space(cur).empty()) out.push_back(detail::normalize_space(cur));
            cur.clear();
        } else {
            cur += ' ';
            cur += line;
        }
        if (nl == std::string_view::npos) break;
        i = nl + 1;
    }
    if (!detail::normalize_space(cur).empty()) out.push_back(detail::normalize_space(cur));
    return out;
}

using detail::string_value;

std::string format_value(const std::string& raw, const std::string& fmt) {
    if (fmt == "raw") return raw;
    std::string s = detail::normalize_space(raw);
    if (fmt == "text" || s.empty()) return s;
    if (fmt == "date") return s.size() >= 10 && s[4] == '-' && s[7] == '-' ? s.substr(0, 10) : s;
    if (fmt == "datetime") {
        if (s.size() >= 16 && s[10] == 'T') {
            std::string out = s.substr(0, 10) + " " + s.substr(11, 5);
            const size_t z = s.find_first_of("Z+-", 16);
            if (z != std::string::npos) out += (s[z] == 'Z' ? " UTC" : " " + s.substr(z));
            return out;
        }
        return s;
    }
    if (fmt == "code") {
        for (char& c : s)
            if (c == '-' || c == '_') c = ' ';
        if (s[0] >= 'a' && s[0] <= 'z') s[0] = char(s[0] - 'a' + 'A');
        return s;
    }
    if (fmt == "yesno") return s == "true" ? "Yes" : s == "false" ? "No" : s;
    if (fmt == "upper") {
        for (char& c : s)
            if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
        return s;
    }
    if (fmt == "last4") {
        // Keep the last four characters (code points), mask the rest.
        size_t count = 0, cut = s.size();
        for (size_t i = s.size(); i > 0; --i)
            if ((static_cast<unsigned char>(s[i - 1]) & 0xC0) != 0x80 && ++count == 4) {
                cut = i - 1;
                break;
            }
        if (count < 4) return "••••";
        return "••••" + s.substr(cut);
    }
    return s;
}

rich_text span(std::string text, font_style style = font_style::regular, float size = body_size, uint32_t color = 0) {
    return {text_span{std::move(text), {style, size, color}}};
}

para_block para(rich_text t, float after = 4) {
    para_block p;
    p.text = std::move(t);
    p.space_after = after;
    return p;
}

std::string today_less_date(const std::string& dt) { return dt.substr(0, std::min<size_t>(10, dt.size())); }

} // namespace

struct renderer::impl {
    const template_catalog& templates;
    render_options options;
    std::shared_ptr<const document_template> common;
    pdf_resources res;
    const template_profile* profile = nullptr;

    impl(const template_catalog& t, render_options o) : templates(t), options(std::move(o)) {
        common = templates.common();
        res = pdf_resources::load(common->pdf_files());
        if (!options.profile.empty()) {
            for (const auto& pr : common->profiles)
                if (pr.name == options.profile) profile = &pr;
            if (!profile) {
                std::string known;
                for (const auto& pr : common->profiles) known += (known.empty() ? "" : ", ") + pr.name;
                throw error(common->file.string(), "no render profile '" + options.profile + "' (profiles: " +
                                                       (known.empty() ? "none" : known) + ")");
            }
        }
        if (!options.disclosure_date.empty()) {
            const std::string& d = options.disclosure_date;
            if (d.size() != 10 || d[4] != '-' || d[7] != '-')
                throw error("", "--disclosure-date expects YYYY-MM-DD, got '" + d + "'");
        }
    }

    render_result render(validator& v, const std::string& text, const std::string& name) const;
};

namespace {

// Evaluates templates against one record, producing layout blocks.
struct evaluation {
    evaluation(const template_catalog& t, const document_template& c, const document_template* s, const std::string& file,
               const std::string& setting_id, pugi::xml_node root, const template_profile* p, std::string date,
               std::vector<std::string>& w)
        : templates(t), common(c), setting(s), record_file(file), record_setting(setting_id), record_root(root), profile(p),
          disclosure_date(std::move(date)), warnings(w) {}

    const template_catalog& templates;
    const document_template& common;
    const document_template* setting; // templates/<setting>/common.xml, or null
    const std::string& record_file;
    const std::string& record_setting;
    pugi::xml_node record_root;
    const template_profile* profile;
    std::string disclosure_date;
    std::map<std::string, std::string> vars;
    std::vector<std::string>& warnings;
    const std::vector<finding>* findings = nullptr; // drafts
    std::vector<std::string> digests;               // templates used
    int depth = 0;

    [[noreturn]] void fail(const template_location& at, const std::string& msg) const {
        throw error(*at.file, at.line, at.column, msg);
    }

    std::string text(const template_text& t, pugi::xml_node ctx) const {
        std::string out;
        for (const auto& p : t.parts) {
            switch (p.type) {
            case template_text::part::kind::literal: out += p.text; break;
            case template_text::part::kind::variable: {
                const auto it = vars.find(p.text);
                if (it != vars.end()) out += it->second;
                break;
            }
            case template_text::part::kind::query: {
                if (p.query->return_type() == pugi::xpath_type_node_set) {
                    const pugi::xpath_node_set ns = p.query->evaluate_node_set(ctx);
                    if (!ns.empty()) out += format_value(string_value(ns.first()), p.format);
                } else out += format_value(p.query->evaluate_string(ctx), p.format);
                break;
            }
            }
        }
        return out;
    }

    bool when(const template_node& n, pugi::xml_node ctx) const { return !n.when || n.when->evaluate_boolean(ctx); }
    bool withheld(const template_node& n) const { return profile && !n.restricted.empty() && profile->withhold.count(n.restricted); }

    // The formatted values of select="…" (joined with ", "), or of value="…"; `found` says whether anything was selected.
    std::string value(const template_node& n, pugi::xml_node ctx, bool& found) const {
        if (!n.select) {
            found = true;
            return text(n.content, ctx);
        }
        if (n.select->return_type() != pugi::xpath_type_node_set) {
            found = true;
            return format_value(n.select->evaluate_string(ctx), n.format);
        }
        const pugi::xpath_node_set ns = n.select->evaluate_node_set(ctx);
        found = !ns.empty();
        std::string out;
        for (const auto& x : ns) {
            const std::string v = format_value(string_value(x), n.format);
            if (v.empty()) continue;
            if (!out.empty()) out += ", ";
            out += v;
        }
        return out;
    }
    std::string masked(const template_node& n, const std::string& v) const {
        if (n.redact == "omit") return {};
        if (n.redact == "last4") return format_value(v, "last4");
        return profile->mask;
    }

    // What the template names and the record lacks: an error, except in a draft (a record known not to be
    // compliant), which shows the gap instead.
    std::string lacks(const template_node& n, pugi::xml_node ctx) const {
        if (!findings)
            fail(n.where, "the record lacks what the template names: " + n.select_source + " (record " + record_file +
                              "; mark it optional=\"true\" if records may leave it out)");
        const std::string l = text(n.label, ctx);
        return "MISSING: " + (l.empty() ? n.select_source : l + " (" + n.select_source + ")");
    }
    void missing(std::vector<layout_block>& out, const std::string& what) const {
        out.push_back(para(span(what, font_style::bold, body_size, 0xB00020)));
    }

    const template_node* block(const std::string& id, const document_template& tpl) const {
        for (const document_template* t : {&tpl, setting, &common})
            if (t) {
                const auto it = t->blocks.find(id);
                if (it != t->blocks.end()) return &it->second;
            }
        return nullptr;
    }

    std::vector<std::pair<std::string, std::string>> section_labels(const document_template& tpl) const {
        for (const document_template* t : {&tpl, setting, &common})
            if (t && !t->section_labels.empty()) return t->section_labels;
        return {};
    }

    void heading(std::vector<layout_block>& out, const std::string& t, int level) const {
        para_block p;
        const float size = level == 1 ? 12.5f : level == 2 ? 11 : body_size;
        p.text = span(t, font_style::bold, size, heading_color);
        p.space_before = level == 1 ? 10 : level == 2 ? 8 : 5;
        p.space_after = level == 3 ? 1.5f : 3;
        p.keep_with_next = true;
        out.push_back(p);
        if (level == 1) {
            rule_block r;
            r.space_before = 0;
            r.space_after = 4;
            r.color = heading_color;
            out.push_back(r);
        }
    }
    void label(std::vector<layout_block>& out, const std::string& t) const {
        if (t.empty()) return;
        para_block p = para(span(t, font_style::bold, body_size, label_color), 1);
        p.space_before = 3;
        p.keep_with_next = true;
        out.push_back(p);
    }
    void withheld_line(std::vector<layout_block>& out, const std::string& what) const {
        out.push_back(para(span((what.empty() ? "" : what + ": ") + profile->mask, font_style::italic, body_size, muted)));
    }
    void narrative(std::vector<layout_block>& out, const std::string& raw, const std::string& fmt) const {
        if (fmt != "text" && fmt != "raw") {
            out.push_back(para(span(format_value(raw, fmt))));
            return;
        }
        for (auto& p : paragraphs(raw)) out.push_back(para(span(std::move(p))));
    }

    void eval(const std::vector<template_node>& nodes, pugi::xml_node ctx, const document_template& tpl,
              std::vector<layout_block>& out) {
        for (const auto& n : nodes) node(n, ctx, tpl, out);
    }

    void node(const template_node& n, pugi::xml_node ctx, const document_template& tpl, std::vector<layout_block>& out) {
        if (n.kind != template_kind::if_ && !when(n, ctx)) return;
        switch (n.kind) {
        case template_kind::heading: heading(out, text(n.content, ctx), int(n.number)); break;
        case template_kind::paragraph: {
            const font_style st = n.name == "bold" ? font_style::bold : n.name == "italic" ? font_style::italic : font_style::regular;
            out.push_back(para(span(text(n.content, ctx), st, n.number > 0 ? n.number : body_size)));
            break;
        }
        case template_kind::box: {
            para_block p = para(span(text(n.content, ctx), font_style::bold, body_size, n.name == "warning" ? 0x6B3A00 : 0x222222));
            p.padding = 4;
            p.space_before = 4;
            p.space_after = 6;
            p.fill = n.name == "warning" ? 0xFFF1D6 : n.name == "note" ? 0xF0F0F0 : no_color;
            p.border = n.name == "warning" ? 0xC77700 : 0x777777;
            out.push_back(p);
            break;
        }
        case template_kind::text:
        case template_kind::section: {
            const pugi::xpath_node_set ns = n.select->evaluate_node_set(ctx);
            if (ns.empty()) {
                if (!n.optional) missing(out, lacks(n, ctx));
                break;
            }
            const std::string l = text(n.label, ctx);
            if (withheld(n)) {
                if (n.redact != "omit") withheld_line(out, l);
                break;
            }
            label(out, l);
            for (const auto& x : ns) narrative(out, string_value(x), n.format);
            break;
        }
        case template_kind::sections: {
            std::vector<std::pair<std::string, std::string>> labels;
            for (const auto& c : n.children) labels.emplace_back(c.name, text(c.content, ctx));
            if (labels.empty()) labels = section_labels(tpl);
            std::vector<std::string> except;
            for (size_t i = 0; i < n.name.size();) {
                const size_t sp = n.name.find(' ', i);
                except.push_back(n.name.substr(i, sp == std::string::npos ? std::string::npos : sp - i));
                if (sp == std::string::npos) break;
                i = sp + 1;
            }
            std::vector<std::pair<int, pugi::xml_node>> order;
            int seq = 0;
            for (pugi::xml_node s = ctx.child("section"); s; s = s.next_sibling("section")) {
                const std::string code = s.attribute("code").value();
                if (std::find(except.begin(), except.end(), code) != except.end()) continue;
                int rank = int(labels.size()) + seq++;
                for (size_t i = 0; i < labels.size(); ++i)
                    if (labels[i].first == code) rank = int(i);
                order.emplace_back(rank, s);
            }
            std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            for (const auto& [rank, s] : order) {
                const std::string code = s.attribute("code").value();
                std::string l = format_value(code, "code");
                for (const auto& [c, t] : labels)
                    if (c == code) l = t;
                label(out, l);
                narrative(out, string_value(pugi::xpath_node(s)), "text");
            }
            break;
        }
        case template_kind::fields: {
            table_block t;
            t.grid = false;
            t.padding = 1.5f;
            t.space_before = 2;
            t.space_after = 4;
            const int cols = int(n.number);
            t.widths = cols == 2 ? std::vector<float>{1.1f, 2, 1.1f, 2} : std::vector<float>{1.1f, 5.1f};
            std::vector<rich_text> row;
            for (const auto& f : n.children) {
                if (!when(f, ctx)) continue;
                bool found = false;
                std::string v = value(f, ctx, found);
                if (!found) {
                    if (f.optional) continue;
                    v = lacks(f, ctx);
                }
                if (withheld(f)) {
                    if (f.redact == "omit") continue;
                    v = masked(f, v);
                }
                if (v.empty() && f.optional) continue;
                row.push_back(span(text(f.label, ctx), font_style::bold, small_size, label_color));
                row.push_back(span(v.empty() ? "—" : v, font_style::regular, body_size));
                if (int(row.size()) == 2 * cols) t.rows.push_back(std::move(row)), row.clear();
            }
            if (!row.empty()) {
                row.resize(size_t(2 * cols));
                t.rows.push_back(std::move(row));
            }
            if (t.rows.empty()) break;
            label(out, text(n.label, ctx));
            out.push_back(std::move(t));
            break;
        }
        case template_kind::table: {
            const pugi::xpath_node_set rows = n.select->evaluate_node_set(ctx);
            const std::string l = text(n.label, ctx);
            if (rows.empty()) {
                if (n.required) {
                    missing(out, lacks(n, ctx));
                    break;
                }
                if (!n.empty_text.empty()) {
                    label(out, l);
                    out.push_back(para(span(n.empty_text, font_style::italic, body_size, muted)));
                }
                break;
            }
            if (withheld(n)) {
                if (n.redact != "omit") withheld_line(out, l);
                break;
            }
            table_block t;
            for (const auto& c : n.children) {
                t.widths.push_back(c.number);
                t.aligns.push_back(c.name == "right" ? text_align::right : c.name == "center" ? text_align::center : text_align::left);
                t.header.push_back(span(text(c.label, ctx), font_style::bold, small_size));
            }
            for (const auto& r : rows) {
                std::vector<rich_text> cells;
                for (const auto& c : n.children) {
                    bool found = false;
                    std::string v = value(c, r.node(), found);
                    if (withheld(c)) v = masked(c, v);
                    cells.push_back(span(v, font_style::regular, small_size));
                }
                t.rows.push_back(std::move(cells));
            }
            label(out, l);
            out.push_back(std::move(t));
            break;
        }
        case template_kind::group: {
            const pugi::xpath_node_set items = n.select->evaluate_node_set(ctx);
            if (items.empty() && n.required) missing(out, lacks(n, ctx));
            if (!items.empty() && withheld(n)) {
                if (n.redact != "omit") withheld_line(out, text(n.label, ctx));
                break;
            }
            for (const auto& item : items) {
                if (!n.label.empty()) heading(out, text(n.label, item.node()), 3);
                eval(n.children, item.node(), tpl, out);
            }
            break;
        }
        case template_kind::apply: {
            if (depth >= 4) fail(n.where, "templates apply each other more than 4 deep");
            for (const auto& item : n.select->evaluate_node_set(ctx)) {
                const pugi::xml_node note = item.node();
                const std::string type = note.attribute("type").value();
                std::shared_ptr<const document_template> t;
                try {
                    t = templates.find(record_setting, type);
                } catch (const error& e) {
                    if (!findings)
                        fail(n.where, std::string("cannot apply a template to a ") + note.name() + " of type '" + type + "': " + e.what());
                    heading(out, format_value(type, "code") + " · " + note.attribute("id").value(), 2);
                    missing(out, "NO TEMPLATE for document type '" + type + "': this note is not shown");
                    continue;
                }
                if (!t->body) fail(t->where, "the template has no <body>");
                digests.push_back(t->digest);
                std::string h = n.label.empty() ? std::string() : text(n.label, note);
                if (h.empty()) {
                    h = t->title.empty() ? format_value(type, "code") : t->title;
                    const std::string when = note.attribute("service-at").value();
                    if (!when.empty()) h += " — " + format_value(when, "date");
                    h += " · " + std::string(note.attribute("id").value());
                }
                heading(out, h, 2);
                ++depth;
                eval(t->body->children, note, *t, out);
                --depth;
            }
            break;
        }
        case template_kind::use: {
            const template_node* b = block(n.name, tpl);
            if (!b) fail(n.where, "no block '" + n.name + "' in this template, its setting's common.xml or the common template");
            if (++depth > 8) fail(n.where, "blocks use each other more than 8 deep");
            eval(b->children, ctx, tpl, out);
            --depth;
            break;
        }
        case template_kind::if_:
            if (n.when->evaluate_boolean(ctx)) eval(n.children, ctx, tpl, out);
            break;
        case template_kind::rule: out.push_back(rule_block{}); break;
        case template_kind::space: {
            para_block p;
            p.space_after = n.number;
            p.text = span("", font_style::regular, 1);
            out.push_back(p);
            break;
        }
        case template_kind::page_break: out.push_back(page_break_block{}); break;
        case template_kind::findings: {
            if (!findings || findings->empty()) break;
            const std::string l = text(n.label, ctx);
            heading(out, l.empty() ? "Validation findings" : l, 1);
            out.push_back(para(span("This record did not pass validation. It is a draft, not a compliant record; "
                                    "each finding below names the rule, where it applies and what is missing.",
                                    font_style::italic, body_size, muted)));
            table_block t;
            t.widths = {0.9f, 1.7f, 5.4f, 2.2f, 0.6f};
            t.aligns = {text_align::left, text_align::left, text_align::left, text_align::left, text_align::right};
            for (const char* h : {"Severity", "Rule", "Finding", "Citation", "Line"})
                t.header.push_back(span(h, font_style::bold, small_size));
            for (const finding& f : *findings) {
                t.rows.push_back({span(std::string(to_string(f.level)), font_style::bold, small_size,
                                       f.level == severity::error ? 0xB00020 : 0x6B3A00),
                                  span(f.rule_id, font_style::regular, small_size), span(f.message, font_style::regular, small_size),
                                  span(f.citation, font_style::regular, small_size),
                                  span(f.where.line ? std::to_string(f.where.line) : "", font_style::regular, small_size)});
            }
            out.push_back(std::move(t));
            break;
        }
        case template_kind::notice: {
            const std::string t = notice(n);
            if (!t.empty()) out.push_back(para(span(t, font_style::regular, body_size), 4));
            break;
        }
        case template_kind::row:
        case template_kind::cell:
        case template_kind::column:
        case template_kind::field:
        case template_kind::label: break;
        }
    }

    // The text of the notice `n.name` in force on the disclosure date, or "" when none applies.
    std::string notice(const template_node& n) {
        const pugi::xml_node root = record_root;
        for (const document_template* t : {setting, &common}) {
            if (!t) continue;
            bool defined = false;
            for (const auto& x : t->notices) {
                if (x.id != n.name) continue;
                defined = true;
                if (!x.from.empty() && disclosure_date < x.from) continue;
                if (!x.until.empty() && disclosure_date > x.until) continue;
                if (x.when && !x.when->evaluate_boolean(root)) continue;
                if (!x.verified)
                    warnings.push_back(*x.where.file + ":" + std::to_string(x.where.line) + ": the text of notice '" + x.id +
                                       "' in force on " + disclosure_date + " is marked unverified (verified=\"false\")");
                return text(x.text, root);
            }
            if (defined) return {};
        }
        fail(n.where, "no <notice id=\"" + n.name + "\"> in the setting's common.xml or the common template");
    }

    // Header or footer blocks, with page markers in place of {$page} and {$pages}.
    std::vector<layout_block> frame(const template_node& f, pugi::xml_node root, const document_template& tpl, bool footer) {
        std::vector<layout_block> out;
        for (const auto& n : f.children) {
            if (n.kind != template_kind::if_ && !when(n, root)) continue;
            if (n.kind == template_kind::row) {
                table_block t;
                t.grid = false;
                t.padding = 0.8f;
                t.space_before = 0;
                t.space_after = 0;
                std::vector<rich_text> cells;
                for (const auto& c : n.children) {
                    const float size = c.number > 0 ? c.number : (footer ? 7.5f : 8.5f);
                    const font_style st = c.format == "bold" ? font_style::bold : c.format == "italic" ? font_style::italic : font_style::regular;
                    std::string v = text(c.content, root);
                    // Columns share the width in proportion to their text, so a long left cell does not wrap
                    // beside a short right one.
                    t.widths.push_back(std::max(8.0f, float(v.size()) * size / 8.5f));
                    t.aligns.push_back(c.name == "right" ? text_align::right : c.name == "center" ? text_align::center : text_align::left);
                    cells.push_back(span(std::move(v), st, size, footer ? 0x333333 : 0x000000));
                }
                if (cells.empty()) continue;
                t.rows.push_back(std::move(cells));
                out.push_back(std::move(t));
            } else if (n.kind == template_kind::notice) {
                const std::string t = notice(n);
                if (t.empty()) continue;
                para_block p = para(span(t, font_style::regular, footer ? 6.5f : 7.5f, 0x222222), 2);
                if (n.name != "confidentiality") { // the redisclosure notice stands out
                    p.border = 0x777777;
                    p.padding = 2.5f;
                    p.text = span(t, font_style::bold, footer ? 6.5f : 7.5f, 0x222222);
                }
                out.push_back(p);
            } else if (n.kind == template_kind::rule) {
                rule_block r;
                r.space_before = footer ? 0 : 2;
                r.space_after = footer ? 2 : 0;
                out.push_back(r);
            } else {
                node(n, root, tpl, out);
            }
        }
        return out;
    }
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

std::vector<layout_block> number_pages(std::vector<layout_block> blocks, int page, int pages) {
    const std::string p = std::to_string(page), n = std::to_string(pages);
    auto fix = [&](rich_text& t) {
        for (auto& s : t)
            if (s.text.find('\x01') != std::string::npos) s.text = replace_all(replace_all(s.text, page_marker, p), pages_marker, n);
    };
    for (auto& b : blocks) {
        if (auto* para = std::get_if<para_block>(&b)) fix(para->text);
        else if (auto* t = std::get_if<table_block>(&b))
            for (auto& r : t->rows)
                for (auto& c : r) fix(c);
    }
    return blocks;
}

// The latest date-time the record carries (entered-at, signed-at, as-of): the date of the record's current
// state, used for the document dates (no clock is read) and as the default disclosure date.
std::string record_date(pugi::xml_node root) {
    std::string best = root.attribute("as-of").value();
    for (pugi::xml_node n = root; n;) {
        for (pugi::xml_attribute a : n.attributes()) {
            const std::string name = a.name();
            if (name == "entered-at" || name == "signed-at" || name == "service-at") {
                const std::string v = a.value();
                if (v.size() >= 10 && v.substr(0, 16) > best.substr(0, std::min<size_t>(16, best.size()))) best = v;
            }
        }
        if (n.first_child()) n = n.first_child();
        else {
            while (n && !n.next_sibling()) n = n.parent();
            if (n) n = n.next_sibling();
        }
    }
    return best;
}

} // namespace

render_result renderer::impl::render(validator& v, const std::string& source, const std::string& name) const {
    render_result result;
    result.validation = v.check_text(source, name);
    const record_result& r = result.validation;
    if (r.status == record_status::error) {
        result.error = r.file + (r.error_line ? ":" + std::to_string(r.error_line) + ":" + std::to_string(r.error_column) : "") +
                       ": could not check: " + r.error;
        return result;
    }
    if (r.status == record_status::not_compliant && !options.draft) {
        result.status = render_status::refused;
        return result;
    }
    const bool draft = r.status == record_status::not_compliant;
    try {
        xml_document doc = xml_document::load_string(source, name);
        doc.canonicalize({{"", record_ns}});
        const record_info info = read_record_info(doc);
        const pugi::xml_node root = doc.root();
        const auto setting = templates.setting_common(info.setting);
        const auto tpl = templates.find(info.setting, info.type);
        if (!tpl->body) throw error(tpl->file.string(), tpl->where.line, tpl->where.column, "the template has no <body>");

        const std::string date = record_date(root);
        evaluation e(templates, *common, setting.get(), name, info.setting, root, profile,
                     options.disclosure_date.empty() ? today_less_date(date) : options.disclosure_date, result.warnings);
        if (draft) e.findings = &r.findings;
        e.vars["title"] = tpl->title.empty() ? format_value(info.type, "code") : tpl->title;
        e.vars["setting"] = info.setting;
        e.vars["document-type"] = info.type;
        e.vars["record-id"] = info.id;
        e.vars["record-date"] = format_value(date, "datetime");
        e.vars["disclosure-date"] = e.disclosure_date;
        e.vars["profile"] = profile ? profile->name : "";
        e.vars["profile-label"] = profile ? (profile->label.empty() ? profile->name : profile->label) : "";
        e.vars["page"] = page_marker;
        e.vars["pages"] = pages_marker;
        for (const document_template* t : {common.get(), setting.get(), tpl.get()}) {
            if (!t) continue;
            e.digests.push_back(t->digest);
            for (const auto& var : t->variables) {
                if (var.select) {
                    if (var.select->return_type() == pugi::xpath_type_node_set) {
                        const auto ns = var.select->evaluate_node_set(root);
                        e.vars[var.name] = ns.empty() ? "" : format_value(string_value(ns.first()), var.format);
                    } else e.vars[var.name] = format_value(var.select->evaluate_string(root), var.format);
                } else e.vars[var.name] = e.text(var.value, root);
            }
        }

        std::vector<layout_block> body;
        if (common->prologue) e.eval(common->prologue->children, root, *tpl, body);
        e.eval(tpl->body->children, root, *tpl, body);
        if (common->epilogue) e.eval(common->epilogue->children, root, *tpl, body);

        const document_template& frames = tpl->header ? *tpl : setting && setting->header ? *setting : *common;
        if (!frames.header)
            throw error(common->file.string(), common->where.line, common->where.column, "the common template has no <header> and <footer>");
        std::vector<layout_block> header = e.frame(*frames.header, root, *tpl, false);
        const std::vector<layout_block> footer = e.frame(*frames.footer, root, *tpl, true);
        if (draft) {
            para_block banner;
            const size_t n = r.findings.size();
            banner.text = span("DRAFT — NOT COMPLIANT · " + std::to_string(n) + " validation finding" + (n == 1 ? "" : "s") +
                                   ", listed at the end",
                               font_style::bold, 10, 0xFFFFFF);
            banner.fill = 0xB00020;
            banner.padding = 3;
            banner.align = text_align::center;
            banner.space_after = 3;
            header.insert(header.begin(), banner);
        }

        page_geometry geo = res.geometry;
        for (const document_template* t : {setting.get(), tpl.get()})
            if (t && t->page) {
                geo.width = t->page->width, geo.height = t->page->height, geo.top = t->page->top;
                geo.right = t->page->right, geo.bottom = t->page->bottom, geo.left = t->page->left;
            }
        pdf_layout layout(res.fonts, geo);
        const auto pages = layout.run(
            body, [&](int p, int n) { return number_pages(header, p, n); }, [&](int p, int n) { return number_pages(footer, p, n); });
        if (layout.missing_glyphs() > 0)
            result.warnings.push_back(name + ": " + std::to_string(layout.missing_glyphs()) +
                                      " characters have no glyph in the template's fonts (record " + info.id + ")");

        pdf_document pdf;
        for (const auto& page : pages) pdf.add_page(geo.width, geo.height, layout.content(page, pdf));
        const std::string digest = sha256::hex(sha256::of(source));
        pdf_info pi;
        pi.title = e.vars["title"] + " " + info.id + (draft ? " (DRAFT — NOT COMPLIANT)" : "");
        pi.author = e.vars.count("author") && !e.vars["author"].empty() ? e.vars["author"] : e.vars["agency"];
        pi.subject = e.vars["title"] + " for client " + e.vars["client-id"] + ", " + info.setting + " " + info.type +
                     " record " + info.id + (profile ? ", " + e.vars["profile-label"] : "");
        pi.keywords = "casedoc; " + info.setting + "; " + info.type + "; " + info.id + (draft ? "; draft" : "") +
                      (profile ? "; profile " + profile->name : "");
        pi.creator = "casedoc render (" + info.setting + "/" + info.type + " template)";
        pi.producer = std::string("casedoc ") + CASEDOC_VERSION + " with libharu " + HPDF_VERSION_TEXT;
        pi.date = date;
        pi.source_sha256 = digest;
        pi.record_id = info.id;
        pdf.set_info(pi);
        pdf.set_output_intent(res.icc_deflated, res.icc_id);
        sha256 id;
        id.update(digest).update("|").update(options.draft ? "draft" : "final").update("|").update(profile ? profile->name : "");
        id.update("|").update(e.disclosure_date).update("|").update(res.font_digest).update("|").update(CASEDOC_VERSION);
        for (const auto& d : e.digests) id.update("|").update(d);
        const auto full = id.finish();
        std::array<uint8_t, 16> file_id{};
        std::copy(full.begin(), full.begin() + 16, file_id.begin());
        pdf.set_id(file_id);
        result.pdf = pdf.save();
        std::sort(result.warnings.begin(), result.warnings.end());
        result.warnings.erase(std::unique(result.warnings.begin(), result.warnings.end()), result.warnings.end());
        result.pages = int(pages.size());
        result.status = draft ? render_status::draft : render_status::rendered;
    } catch (const std::exception& ex) {
        result.status = render_status::error;
        result.error = ex.what();
        result.pdf.clear();
    }
    return result;
}

renderer::renderer(const template_catalog& templates, render_options options)
    : p_(std::make_unique<impl>(templates, std::move(options))) {}
renderer::~renderer() = default;

render_result renderer::render_text(validator& v, const std::string& text, const std::string& name) const {
    return p_->render(v, text, name);
}

render_result renderer::render_file(validator& v, const fs::path& record) const {
    std::ifstream in(record, std::ios::binary);
    if (!in) {
        render_result r;
        r.validation.file = record.string();
        r.validation.status = record_status::error;
        r.validation.error = "cannot read the record";
        r.error = record.string() + ": cannot read the record";
        return r;
    }
    std::string text(std::istreambuf_iterator<char>(in), {});
    return p_->render(v, text, record.string());
}

} // namespace casedoc
