#include "pdf_document.hpp"
#include "pdf_layout.hpp"
#include "pdf_resources.hpp"
#include "template_evaluation.hpp"
#include <casedoc/base/error.hpp>
#include <casedoc/base/sha256.hpp>
#include <casedoc/render/render.hpp>
#include <casedoc/xml/record.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <casedoc/xml/string_value.hpp>

#include <hpdf_version.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>

namespace casedoc {

namespace fs = std::filesystem;

namespace {

using detail::format_value;
using detail::number_pages;
using detail::page_marker;
using detail::pages_marker;
using detail::span;
using detail::string_value;
using detail::template_evaluation;

std::string today_less_date(const std::string& dt) { return dt.substr(0, std::min<size_t>(10, dt.size())); }

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
        for (const auto& [name, value] : options.variables) {
            const bool text_var = std::any_of(common->variables.begin(), common->variables.end(),
                                              [&name = name](const template_variable& v) { return v.name == name && !v.select; });
            if (!text_var) {
                std::string known;
                for (const auto& v : common->variables)
                    if (!v.select) known += (known.empty() ? "" : ", ") + v.name;
                throw error(common->file.string(), "--var " + name + ": not a variable this template sets as text (" +
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
        template_evaluation e(templates, *common, setting.get(), name, info.setting, root, profile,
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
        // --var values replace the templates' text variables of their names, before the variables that use them
        // ({$agency} in a case record's author).
        for (const auto& [name, value] : options.variables) e.vars[name] = value;
        for (const document_template* t : {common.get(), setting.get(), tpl.get()}) {
            if (!t) continue;
            e.digests.push_back(t->digest);
            for (const auto& var : t->variables) {
                if (!var.select && options.variables.count(var.name)) continue;
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
        for (const auto& [name, value] : options.variables) id.update("|").update(name).update("=").update(value);
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
        r.validation.error = std::string("cannot read file: ") + std::strerror(errno);
        r.error = record.string() + ": " + r.validation.error;
        return r;
    }
    std::string text(std::istreambuf_iterator<char>(in), {});
    return p_->render(v, text, record.string());
}

} // namespace casedoc
