// A PDF template: an XML layout file (namespace urn:casedoc:template:1, see docs/templates.md) read once and
// compiled (its XPath expressions included), so that rendering only evaluates it against records.
// templates/common/common.xml holds what every setting shares (page, fonts, colour profile, header, footer,
// notices, profiles, blocks such as the signature block and addenda); templates/<setting>/common.xml what
// a setting's documents share; templates/<setting>/<document-type>.xml the body of one document type.
#ifndef CASEDOC_TEMPLATE_TEMPLATE_HPP
#define CASEDOC_TEMPLATE_TEMPLATE_HPP

#include <pugixml.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace casedoc {

struct pdf_resource_files; // pdf_resources.hpp

inline constexpr const char* template_namespace = "urn:casedoc:template:1";

// Where a template element came from, for error messages.
struct template_location {
    std::shared_ptr<const std::string> file;
    unsigned line = 0, column = 0;
};

// Text with {$variable}, {XPath} and {FORMAT:XPath} parts ({{ and }} are literal braces).
struct template_text {
    struct part {
        enum class kind { literal, variable, query } type = kind::literal;
        std::string text;   // literal text, variable name, or the XPath source
        std::string format; // for queries: text, raw, date, datetime, code, yesno, upper, last4
        std::shared_ptr<const pugi::xpath_query> query;
    };
    std::vector<part> parts;
    bool empty() const noexcept { return parts.empty(); }
    bool uses_variable(const std::string& name) const;
};

enum class template_kind {
    heading, paragraph, box, text, section, sections, fields, field, table, column, group, apply, use, if_,
    rule, space, page_break, findings, notice, row, cell, label
};

struct template_node {
    template_kind kind = template_kind::paragraph;
    template_location where;
    template_text content;  // heading, paragraph, box, cell, label: the text; field/column: value="…"
    template_text label;    // label="…" (field, column, text, section, table, group); heading="…" (apply, group)
    std::shared_ptr<const pugi::xpath_query> select, when; // select="…", when="…" / test="…"
    std::string select_source;
    std::string format = "text";
    std::string restricted; // restriction class ("identifier", "reporter", …); empty: not restricted
    std::string redact;     // how a withheld value shows: mask (default), last4, omit
    std::string name;       // section code, use block id, notice ref, label code, box tone, cell side
    std::string empty_text; // table: text when there are no rows
    bool optional = false, required = false;
    float number = 0;       // heading level, column width, space height, fields columns, text size
    std::vector<template_node> children;
};

struct template_notice {
    std::string id, from, until; // in force from/until (inclusive, YYYY-MM-DD; empty: open)
    std::shared_ptr<const pugi::xpath_query> when;
    template_text text;
    bool verified = true;
    template_location where;
};

struct template_profile {
    std::string name, label, mask = "[withheld]";
    std::set<std::string> withhold;
};

struct template_variable {
    std::string name;
    template_text value;                                  // literal text with interpolation, or
    std::shared_ptr<const pugi::xpath_query> select;      // select="…" with format
    std::string format = "text";
};

struct template_page {
    float width = 612, height = 792, top = 40, right = 50, bottom = 36, left = 50;
};

struct template_font {
    std::string style; // regular, bold, italic
    std::vector<std::string> files;
    template_location where;
};

class document_template {
public:
    // Reads and compiles a template file. Throws casedoc::error naming the file, line and column of what is
    // wrong (malformed XML, an unknown element or attribute value, an XPath expression that does not compile).
    static std::shared_ptr<const document_template> load(const std::filesystem::path& file);

    // The page, fonts and colour profile this (common) template names, for pdf_resources::load.
    pdf_resource_files pdf_files() const;

    std::filesystem::path file;
    std::string digest;                // SHA-256 of the file (part of the PDF's document id)
    std::string setting, document_type; // empty in common templates
    std::string title;
    std::optional<template_page> page;
    std::vector<std::string> font_dirs;
    std::vector<template_font> fonts;
    std::string color_profile, color_profile_id;
    template_location color_profile_where;
    std::vector<template_variable> variables;
    std::map<std::string, template_node> blocks;
    std::optional<template_node> body, prologue, epilogue, header, footer;
    std::vector<template_notice> notices;
    std::vector<template_profile> profiles;
    std::vector<std::pair<std::string, std::string>> section_labels; // code -> label, in template order
    template_location where;            // of the root element
};

} // namespace casedoc

#endif
