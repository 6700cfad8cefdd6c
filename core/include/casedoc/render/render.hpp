// casedoc render: a validated record as a PDF, laid out by its templates (template_catalog). A record with
// validation errors is refused unless a draft is asked for; a draft is marked DRAFT — NOT COMPLIANT on every
// page and lists its findings at the end. Fonts, the colour profile and templates are loaded once and shared
// by every document and thread.
#ifndef CASEDOC_RENDER_RENDER_HPP
#define CASEDOC_RENDER_RENDER_HPP

#include <casedoc/check/validator.hpp>
#include <casedoc/template/template_catalog.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace casedoc {

struct render_options {
    bool draft = false;          // render a record that is not compliant, marked as a draft
    std::string profile;         // a profile of the common template (e.g. "disclosure"); empty: the full record
    std::string disclosure_date; // YYYY-MM-DD: picks the 42 CFR Part 2 notice in force; empty: the record's date
    // Values for the common template's text variables (agency, program, service-date-label), replacing what any
    // template sets: the agency's name without editing a template. A name the common template does not set as
    // text (a typo, or a value read from the record such as client-name) is refused by the renderer.
    std::map<std::string, std::string> variables;
};

enum class render_status { rendered, draft, refused, error };

struct render_result {
    record_result validation;    // what validating the record found
    render_status status = render_status::error;
    std::string error;           // status error: what went wrong, naming the file (and line)
    std::string pdf;             // rendered and draft: the file's bytes
    int pages = 0;
    std::vector<std::string> warnings; // file paths, record ids and template lines only (no client data)
};

class renderer {
public:
    // Loads the common template, its fonts and colour profile. Throws casedoc::error naming the file (and line).
    renderer(const template_catalog& templates, render_options options);
    ~renderer();
    renderer(const renderer&) = delete;
    renderer& operator=(const renderer&) = delete;

    // Validates and renders one record. Never throws for a bad record or template: the result says what
    // went wrong. Thread-safe; give each thread its own validator.
    render_result render_file(validator& v, const std::filesystem::path& record) const;
    render_result render_text(validator& v, const std::string& text, const std::string& name) const;

private:
    struct impl;
    std::unique_ptr<impl> p_;
};

} // namespace casedoc

#endif
