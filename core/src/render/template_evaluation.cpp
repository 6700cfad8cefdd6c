#include "template_evaluation.hpp"

#include <casedoc/base/error.hpp>
#include <casedoc/xml/string_value.hpp>
#include <casedoc/xml/xml_chars.hpp>

#include <algorithm>
#include <string_view>

namespace casedoc::detail {

namespace {

// Narrative text: paragraphs separated by blank lines, white space within a paragraph collapsed.
std::vector<std::string> paragraphs(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    size_t i = 0;
    while (i <= s.size()) {
        const size_t nl = s.find('\n', i);
        const std::string_view line = s.substr(i, nl == std::string_view::npos ? std::string_view::npos : nl - i);
        if (normalize_space(line).empty()) {
            if (!normalize_space(cur).empty()) out.push_back(normalize_space(cur));
            cur.clear();
        } else {
            cur += ' ';
            cur += line;
        }
        if (nl == std::string_view::npos) break;
        i = nl + 1;
    }
    if (!normalize_space(cur).empty()) out.push_back(normalize_space(cur));
    return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

} // namespace

std::string format_value(const std::string& raw, const std::string& fmt) {
    if (fmt == "raw") return raw;
    std::string s = normalize_space(raw);
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

rich_text span(std::string text, font_style style, float size, uint32_t color) {
    return {text_span{std::move(text), {style, size, color}}};
}

para_block para(rich_text t, float after) {
    para_block p;
    p.text = std::move(t);
    p.space_after = after;
    return p;
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

void template_evaluation::fail(const template_location& at, const std::string& msg) const {
    throw error(*at.file, at.line, at.column, msg);
}

std::string template_evaluation::text(const template_text& t, pugi::xml_node ctx) const {
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

bool template_evaluation::when(const template_node& n, pugi::xml_node ctx) const { return !n.when || n.when->evaluate_boolean(ctx); }

bool template_evaluation::withheld(const template_node& n) const { return profile && !n.restricted.empty() && profile->withhold.count(n.restricted); }

std::string template_evaluation::value(const template_node& n, pugi::xml_node ctx, bool& found) const {
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

std::string template_evaluation::masked(const template_node& n, const std::string& v) const {
    if (n.redact == "omit") return {};
    if (n.redact == "last4") return format_value(v, "last4");
    return profile->mask;
}

std::string template_evaluation::lacks(const template_node& n, pugi::xml_node ctx) const {
    if (!findings)
        fail(n.where, "the record lacks what the template names: " + n.select_source + " (record " + record_file +
                          "; mark it optional=\"true\" if records may leave it out)");
    const std::string l = text(n.label, ctx);
    return "MISSING: " + (l.empty() ? n.select_source : l + " (" + n.select_source + ")");
}

void template_evaluation::missing(std::vector<layout_block>& out, const std::string& what) const {
    out.push_back(para(span(what, font_style::bold, body_size, 0xB00020)));
}

const template_node* template_evaluation::block(const std::string& id, const document_template& tpl) const {
    for (const document_template* t : {&tpl, setting, &common})
        if (t) {
            const auto it = t->blocks.find(id);
            if (it != t->blocks.end()) return &it->second;
        }
    return nullptr;
}

std::vector<std::pair<std::string, std::string>> template_evaluation::section_labels(const document_template& tpl) const {
    for (const document_template* t : {&tpl, setting, &common})
        if (t && !t->section_labels.empty()) return t->section_labels;
    return {};
}

void template_evaluation::heading(std::vector<layout_block>& out, const std::string& t, int level) const {
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

void template_evaluation::label(std::vector<layout_block>& out, const std::string& t) const {
    if (t.empty()) return;
    para_block p = para(span(t, font_style::bold, body_size, label_color), 1);
    p.space_before = 3;
    p.keep_with_next = true;
    out.push_back(p);
}

void template_evaluation::withheld_line(std::vector<layout_block>& out, const std::string& what) const {
    out.push_back(para(span((what.empty() ? "" : what + ": ") + profile->mask, font_style::italic, body_size, muted)));
}

void template_evaluation::narrative(std::vector<layout_block>& out, const std::string& raw, const std::string& fmt) const {
    if (fmt != "text" && fmt != "raw") {
        out.push_back(para(span(format_value(raw, fmt))));
        return;
    }
    for (auto& p : paragraphs(raw)) out.push_back(para(span(std::move(p))));
}

void template_evaluation::eval(const std::vector<template_node>& nodes, pugi::xml_node ctx, const document_template& tpl,
          std::vector<layout_block>& out) {
    for (const auto& n : nodes) node(n, ctx, tpl, out);
}

void template_evaluation::node(const template_node& n, pugi::xml_node ctx, const document_template& tpl, std::vector<layout_block>& out) {
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

std::string template_evaluation::notice(const template_node& n) {
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

std::vector<layout_block> template_evaluation::frame(const template_node& f, pugi::xml_node root, const document_template& tpl, bool footer) {
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

} // namespace casedoc::detail
