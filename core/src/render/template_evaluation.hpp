// The template interpreter: a record's templates evaluated against the record, node by node, into the layout
// blocks that pdf_layout sets on pages (headings, paragraphs, boxes, field grids, tables, notices). Values
// are formatted as the template asks, withheld under a profile, and shown as missing in a draft.
#ifndef CASEDOC_RENDER_TEMPLATE_EVALUATION_HPP
#define CASEDOC_RENDER_TEMPLATE_EVALUATION_HPP

#include "pdf_layout.hpp"
#include <casedoc/base/finding.hpp>
#include <casedoc/template/template_catalog.hpp>

#include <pugixml.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace casedoc::detail {

// Stand-ins for {$page} and {$pages} in headers and footers, replaced once the pages are counted.
inline constexpr const char* page_marker = "\x01P\x01";
inline constexpr const char* pages_marker = "\x01N\x01";

// Colours and sizes of the house style (templates choose content and order, not typography).
inline constexpr uint32_t heading_color = 0x1F3A5F, label_color = 0x333333, muted = 0x555555;
inline constexpr float body_size = 9.5f, small_size = 8.5f;

// A record's value as a template's format="…" shows it (text, raw, date, datetime, code, yesno, upper, last4).
std::string format_value(const std::string& raw, const std::string& fmt);
rich_text span(std::string text, font_style style = font_style::regular, float size = body_size, uint32_t color = 0);
para_block para(rich_text t, float after = 4);
// Header or footer blocks with the page markers replaced by page `page` of `pages`.
std::vector<layout_block> number_pages(std::vector<layout_block> blocks, int page, int pages);

// Evaluates templates against one record, producing layout blocks.
struct template_evaluation {
    template_evaluation(const template_catalog& t, const document_template& c, const document_template* s, const std::string& file,
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

    [[noreturn]] void fail(const template_location& at, const std::string& msg) const;

    std::string text(const template_text& t, pugi::xml_node ctx) const;

    bool when(const template_node& n, pugi::xml_node ctx) const;
    bool withheld(const template_node& n) const;

    // The formatted values of select="…" (joined with ", "), or of value="…"; `found` says whether anything was selected.
    std::string value(const template_node& n, pugi::xml_node ctx, bool& found) const;
    std::string masked(const template_node& n, const std::string& v) const;

    // What the template names and the record lacks: an error, except in a draft (a record known not to be
    // compliant), which shows the gap instead.
    std::string lacks(const template_node& n, pugi::xml_node ctx) const;
    void missing(std::vector<layout_block>& out, const std::string& what) const;

    const template_node* block(const std::string& id, const document_template& tpl) const;

    std::vector<std::pair<std::string, std::string>> section_labels(const document_template& tpl) const;

    void heading(std::vector<layout_block>& out, const std::string& t, int level) const;
    void label(std::vector<layout_block>& out, const std::string& t) const;
    void withheld_line(std::vector<layout_block>& out, const std::string& what) const;
    void narrative(std::vector<layout_block>& out, const std::string& raw, const std::string& fmt) const;

    void eval(const std::vector<template_node>& nodes, pugi::xml_node ctx, const document_template& tpl,
              std::vector<layout_block>& out);

    void node(const template_node& n, pugi::xml_node ctx, const document_template& tpl, std::vector<layout_block>& out);

    // The text of the notice `n.name` in force on the disclosure date, or "" when none applies.
    std::string notice(const template_node& n);

    // Header or footer blocks, with page markers in place of {$page} and {$pages}.
    std::vector<layout_block> frame(const template_node& f, pugi::xml_node root, const document_template& tpl, bool footer);
};

} // namespace casedoc::detail

#endif
