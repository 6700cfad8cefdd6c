#include "pdf_resources.hpp"
#include <casedoc/base/error.hpp>
#include <casedoc/base/sha256.hpp>
#include <casedoc/template/template.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <casedoc/xml/xml_chars.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>

namespace casedoc {

namespace fs = std::filesystem;

bool template_text::uses_variable(const std::string& name) const {
    return std::any_of(parts.begin(), parts.end(),
                       [&](const part& p) { return p.type == part::kind::variable && p.text == name; });
}

namespace {

const std::set<std::string> formats = {"text", "raw", "date", "datetime", "code", "yesno", "upper", "last4"};

struct parser {
    const xml_document& doc;
    std::shared_ptr<const std::string> file;

    template_location loc(pugi::xml_node n) const {
        const auto [line, col] = doc.line_column(n);
        return {file, line, col};
    }
    [[noreturn]] void fail(pugi::xml_node n, const std::string& msg) const {
        const auto [line, col] = doc.line_column(n);
        throw error(*file, line, col, msg);
    }
    static std::string local(const char* name) {
        const char* colon = std::strchr(name, ':');
        return colon ? colon + 1 : name;
    }

    void allow(pugi::xml_node n, std::initializer_list<const char*> names) const {
        for (pugi::xml_attribute a : n.attributes()) {
            const std::string an = a.name();
            if (an == "xmlns" || an.rfind("xmlns:", 0) == 0) continue;
            if (std::none_of(names.begin(), names.end(), [&](const char* x) { return an == x; })) {
                std::string list;
                for (const char* x : names) list += (list.empty() ? "" : ", ") + std::string(x);
                fail(n, "<" + local(n.name()) + "> has no attribute '" + an + "' (it takes: " + (list.empty() ? "none" : list) + ")");
            }
        }
    }
    std::string attr(pugi::xml_node n, const char* name, bool required = false) const {
        const pugi::xml_attribute a = n.attribute(name);
        if (!a && required) fail(n, "<" + local(n.name()) + "> needs a '" + name + "' attribute");
        return a.value();
    }
    bool flag(pugi::xml_node n, const char* name) const {
        const std::string v = attr(n, name);
        if (v.empty() || v == "false") return false;
        if (v == "true") return true;
        fail(n, std::string("'") + name + "' is true or false, got '" + v + "'");
    }
    float num(pugi::xml_node n, const char* name, float def, float lo, float hi) const {
        const std::string v = attr(n, name);
        if (v.empty()) return def;
        char* end = nullptr;
        const float f = std::strtof(v.c_str(), &end);
        if (end == v.c_str() || *end != '\0' || f < lo || f > hi)
            fail(n, std::string("'") + name + "' is a number from " + std::to_string(int(lo)) + " to " +
                        std::to_string(int(hi)) + ", got '" + v + "'");
        return f;
    }
    std::string format(pugi::xml_node n) const {
        const std::string f = attr(n, "format");
        if (f.empty()) return "text";
        if (!formats.count(f)) fail(n, "unknown format '" + f + "' (formats: text, raw, date, datetime, code, yesno, upper, last4)");
        return f;
    }
    std::shared_ptr<const pugi::xpath_query> xpath(pugi::xml_node n, const std::string& src) const {
        try {
            auto q = std::make_shared<pugi::xpath_query>(src.c_str());
            return q;
        } catch (const pugi::xpath_exception& e) {
            fail(n, "bad XPath '" + src + "': " + e.what());
        }
    }
    std::shared_ptr<const pugi::xpath_query> xpath_attr(pugi::xml_node n, const char* name, bool required = false) const {
        const std::string src = attr(n, name, required);
        return src.empty() ? nullptr : xpath(n, src);
    }

    template_text text(pugi::xml_node n, std::string_view src) const {
        template_text t;
        std::string lit;
        auto flush = [&] {
            if (!lit.empty()) t.parts.push_back({template_text::part::kind::literal, lit, "", nullptr});
            lit.clear();
        };
        for (size_t i = 0; i < src.size(); ++i) {
            const char c = src[i];
            if ((c == '{' || c == '}') && i + 1 < src.size() && src[i + 1] == c) {
                lit += c;
                ++i;
                continue;
            }
            if (c == '}') fail(n, "a '}' without its '{' in \"" + std::string(src) + "\" (write }} for a brace)");
            if (c != '{') {
                lit += c;
                continue;
            }
            const size_t end = src.find('}', i);
            if (end == std::string_view::npos) fail(n, "a '{' without its '}' in \"" + std::string(src) + "\"");
            std::string expr(src.substr(i + 1, end - i - 1));
            i = end;
            flush();
            if (!expr.empty() && expr[0] == '$') {
                const std::string name = expr.substr(1);
                if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
                                        std::string::npos)
                    fail(n, "bad variable reference '{" + expr + "}'");
                t.parts.push_back({template_text::part::kind::variable, name, "", nullptr});
                continue;
            }
            std::string fmt = "text";
            const size_t colon = expr.find(':');
            if (colon != std::string::npos && formats.count(expr.substr(0, colon))) {
                fmt = expr.substr(0, colon);
                expr = expr.substr(colon + 1);
            }
            if (expr.empty()) fail(n, "an empty '{}' in \"" + std::string(src) + "\"");
            t.parts.push_back({template_text::part::kind::query, expr, fmt, xpath(n, expr)});
        }
        flush();
        return t;
    }
    template_text body_text(pugi::xml_node n) const {
        for (pugi::xml_node c : n.children())
            if (c.type() == pugi::node_element) fail(c, "<" + local(n.name()) + "> holds text only, not <" + local(c.name()) + ">");
        return text(n, detail::normalize_space(n.text().get()));
    }

    void common_restriction(pugi::xml_node n, template_node& t) const {
        t.restricted = attr(n, "restricted");
        t.redact = attr(n, "redact");
        if (!t.redact.empty() && t.redact != "mask" && t.redact != "last4" && t.redact != "omit")
            fail(n, "'redact' is mask, last4 or omit, got '" + t.redact + "'");
        if (!t.redact.empty() && t.restricted.empty()) fail(n, "'redact' needs 'restricted' (the class of information withheld)");
    }

    template_node node(pugi::xml_node n, bool frame) const {
        const std::string name = local(n.name());
        template_node t;
        t.where = loc(n);
        if (name == "heading") {
            allow(n, {"level", "when"});
            t.kind = template_kind::heading;
            t.number = num(n, "level", 2, 1, 3);
            t.content = body_text(n);
        } else if (name == "paragraph") {
            allow(n, {"when", "style", "size"});
            t.kind = template_kind::paragraph;
            t.name = attr(n, "style");
            t.number = num(n, "size", 0, 4, 40);
            t.content = body_text(n);
        } else if (name == "box") {
            allow(n, {"when", "tone"});
            t.kind = template_kind::box;
            t.name = attr(n, "tone");
            if (t.name.empty()) t.name = "note";
            if (t.name != "note" && t.name != "warning" && t.name != "notice") fail(n, "'tone' is note, warning or notice");
            t.content = body_text(n);
        } else if (name == "text" || name == "section") {
            allow(n, {"select", "code", "label", "optional", "restricted", "redact", "format", "when"});
            t.kind = name == "text" ? template_kind::text : template_kind::section;
            if (name == "section") {
                t.name = attr(n, "code", true);
                if (n.attribute("select")) fail(n, "<section> names its section by 'code', not 'select'");
                t.select_source = "section[@code='" + t.name + "']";
            } else {
                if (n.attribute("code")) fail(n, "<text> takes 'select', not 'code'");
                t.select_source = attr(n, "select", true);
            }
            t.select = xpath(n, t.select_source);
            t.label = text(n, attr(n, "label"));
            t.optional = flag(n, "optional");
            t.format = format(n);
            common_restriction(n, t);
        } else if (name == "sections") {
            allow(n, {"when", "except"});
            t.kind = template_kind::sections;
            t.name = attr(n, "except");
            for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
                if (c.type() != pugi::node_element) continue;
                if (local(c.name()) != "label") fail(c, "<sections> holds <label code=\"…\"> elements only");
                allow(c, {"code"});
                template_node l;
                l.kind = template_kind::label;
                l.where = loc(c);
                l.name = attr(c, "code", true);
                l.content = body_text(c);
                t.children.push_back(std::move(l));
            }
        } else if (name == "fields") {
            allow(n, {"when", "columns", "label"});
            t.kind = template_kind::fields;
            t.number = num(n, "columns", 1, 1, 2);
            t.label = text(n, attr(n, "label"));
            for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
                if (c.type() != pugi::node_element) continue;
                if (local(c.name()) != "field") fail(c, "<fields> holds <field> elements only");
                t.children.push_back(value_node(c, template_kind::field));
            }
        } else if (name == "table") {
            allow(n, {"select", "label", "empty", "required", "restricted", "redact", "when"});
            t.kind = template_kind::table;
            t.select_source = attr(n, "select", true);
            t.select = xpath(n, t.select_source);
            t.label = text(n, attr(n, "label"));
            t.empty_text = attr(n, "empty");
            t.required = flag(n, "required");
            common_restriction(n, t);
            for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
                if (c.type() != pugi::node_element) continue;
                if (local(c.name()) != "column") fail(c, "<table> holds <column> elements only");
                t.children.push_back(value_node(c, template_kind::column));
            }
            if (t.children.empty()) fail(n, "<table> needs at least one <column>");
        } else if (name == "group") {
            allow(n, {"select", "heading", "required", "restricted", "redact", "when"});
            t.kind = template_kind::group;
            t.select_source = attr(n, "select", true);
            t.select = xpath(n, t.select_source);
            t.label = text(n, attr(n, "heading"));
            t.required = flag(n, "required");
            common_restriction(n, t);
            t.children = content(n, frame);
        } else if (name == "apply") {
            allow(n, {"select", "heading", "when"});
            t.kind = template_kind::apply;
            t.select_source = attr(n, "select", true);
            t.select = xpath(n, t.select_source);
            t.label = text(n, attr(n, "heading"));
        } else if (name == "notes") { // shorthand for a case record's notes
            allow(n, {"heading", "when"});
            t.kind = template_kind::apply;
            t.select_source = "notes/note";
            t.select = xpath(n, t.select_source);
            t.label = text(n, attr(n, "heading"));
        } else if (name == "use") {
            allow(n, {"block", "when"});
            t.kind = template_kind::use;
            t.name = attr(n, "block", true);
        } else if (name == "if") {
            allow(n, {"test"});
            t.kind = template_kind::if_;
            t.when = xpath_attr(n, "test", true);
            t.children = content(n, frame);
        } else if (name == "rule") {
            allow(n, {"when"});
            t.kind = template_kind::rule;
        } else if (name == "space") {
            allow(n, {"when", "height"});
            t.kind = template_kind::space;
            t.number = num(n, "height", 6, 0, 200);
        } else if (name == "page-break") {
            allow(n, {"when"});
            t.kind = template_kind::page_break;
        } else if (name == "findings") {
            allow(n, {"when", "label"});
            t.kind = template_kind::findings;
            t.label = text(n, attr(n, "label"));
        } else if (name == "notice") {
            allow(n, {"ref", "when"});
            t.kind = template_kind::notice;
            t.name = attr(n, "ref", true);
        } else if (name == "row" && frame) {
            allow(n, {"when"});
            t.kind = template_kind::row;
            for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
                if (c.type() != pugi::node_element) continue;
                const std::string side = local(c.name());
                if (side != "left" && side != "center" && side != "right")
                    fail(c, "<row> holds <left>, <center> and <right> only");
                allow(c, {"style", "size"});
                template_node cell;
                cell.kind = template_kind::cell;
                cell.where = loc(c);
                cell.name = side;
                cell.format = attr(c, "style");
                if (!cell.format.empty() && cell.format != "bold" && cell.format != "italic" && cell.format != "regular")
                    fail(c, "'style' is regular, bold or italic");
                cell.number = num(c, "size", 0, 4, 40);
                cell.content = body_text(c);
                t.children.push_back(std::move(cell));
            }
        } else {
            fail(n, "unknown template element <" + name + ">" + (name == "row" ? " (rows belong in <header> and <footer>)" : ""));
        }
        if (t.kind != template_kind::if_ && n.attribute("when")) t.when = xpath_attr(n, "when");
        if (t.kind == template_kind::paragraph && !t.name.empty() && t.name != "bold" && t.name != "italic" && t.name != "regular")
            fail(n, "'style' is regular, bold or italic");
        return t;
    }

    // <field> and <column>: a label and a value (select="…" or value="…").
    template_node value_node(pugi::xml_node c, template_kind kind) const {
        if (kind == template_kind::field)
            allow(c, {"label", "select", "value", "format", "optional", "restricted", "redact", "when"});
        else
            allow(c, {"label", "select", "value", "format", "width", "align", "restricted", "redact"});
        template_node f;
        f.kind = kind;
        f.where = loc(c);
        f.label = text(c, attr(c, "label", true));
        f.select_source = attr(c, "select");
        if (!f.select_source.empty()) f.select = xpath(c, f.select_source);
        const std::string value = attr(c, "value");
        if (!value.empty()) f.content = text(c, value);
        if (f.select_source.empty() == value.empty()) fail(c, "<" + local(c.name()) + "> needs either 'select' or 'value'");
        f.format = format(c);
        f.optional = kind == template_kind::field && flag(c, "optional");
        if (kind == template_kind::column) {
            f.number = num(c, "width", 1, 0.01f, 1000);
            f.name = attr(c, "align");
            if (!f.name.empty() && f.name != "left" && f.name != "right" && f.name != "center")
                fail(c, "'align' is left, center or right");
        }
        if (kind == template_kind::field && c.attribute("when")) f.when = xpath_attr(c, "when");
        common_restriction(c, f);
        return f;
    }

    std::vector<template_node> content(pugi::xml_node parent, bool frame) const {
        std::vector<template_node> out;
        for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
            if (c.type() == pugi::node_pcdata && !detail::normalize_space(c.value()).empty())
                fail(parent, "<" + local(parent.name()) + "> holds elements, not text (put text in <paragraph>)");
            if (c.type() == pugi::node_element) out.push_back(node(c, frame));
        }
        return out;
    }

    template_node container(pugi::xml_node n, bool frame) const {
        template_node t;
        t.kind = template_kind::group;
        t.where = loc(n);
        t.children = content(n, frame);
        return t;
    }

    bool is_date(const std::string& s) const {
        return s.size() == 10 && s[4] == '-' && s[7] == '-' &&
               std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
    }
};

} // namespace

std::shared_ptr<const document_template> document_template::load(const fs::path& path) {
    std::string source;
    {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw error(path.string(), "cannot read the template");
        source.assign(std::istreambuf_iterator<char>(in), {});
    }
    const xml_document doc = xml_document::load_string(source, path.string());
    auto t = std::make_shared<document_template>();
    t->file = path;
    t->digest = sha256::hex(sha256::of(source));
    const parser p{doc, std::make_shared<const std::string>(path.string())};
    const pugi::xml_node root = doc.root();
    t->where = p.loc(root);
    if (parser::local(root.name()) != "template") p.fail(root, "the root element is <template>, got <" + std::string(root.name()) + ">");
    if (doc.root_namespace() != template_namespace)
        p.fail(root, std::string("a template is in the namespace ") + template_namespace + ", got '" + doc.root_namespace() + "'");
    p.allow(root, {"setting", "document-type", "title"});
    t->setting = p.attr(root, "setting");
    t->document_type = p.attr(root, "document-type");
    t->title = p.attr(root, "title");

    std::set<std::string> seen;
    for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        const std::string name = parser::local(c.name());
        const bool single = name == "page" || name == "fonts" || name == "color-profile" || name == "body" ||
                            name == "prologue" || name == "epilogue" || name == "header" || name == "footer" ||
                            name == "profiles" || name == "section-labels";
        if (single && !seen.insert(name).second) p.fail(c, "<" + name + "> appears twice");
        if (name == "page") {
            p.allow(c, {"size", "width", "height", "margin-top", "margin-right", "margin-bottom", "margin-left"});
            template_page pg;
            const std::string size = p.attr(c, "size");
            if (size == "a4") pg.width = 595.28f, pg.height = 841.89f;
            else if (size == "legal") pg.height = 1008;
            else if (!size.empty() && size != "letter") p.fail(c, "'size' is letter, legal or a4 (or give width and height in points)");
            pg.width = p.num(c, "width", pg.width, 144, 3000);
            pg.height = p.num(c, "height", pg.height, 144, 3000);
            pg.top = p.num(c, "margin-top", pg.top, 0, 300);
            pg.right = p.num(c, "margin-right", pg.right, 0, 300);
            pg.bottom = p.num(c, "margin-bottom", pg.bottom, 0, 300);
            pg.left = p.num(c, "margin-left", pg.left, 0, 300);
            t->page = pg;
        } else if (name == "fonts") {
            p.allow(c, {"dirs"});
            std::istringstream ss(p.attr(c, "dirs"));
            for (std::string d; ss >> d;) t->font_dirs.push_back(d);
            for (pugi::xml_node f = c.first_child(); f; f = f.next_sibling()) {
                if (f.type() != pugi::node_element) continue;
                if (parser::local(f.name()) != "font") p.fail(f, "<fonts> holds <font> elements only");
                p.allow(f, {"style", "files"});
                template_font tf;
                tf.where = p.loc(f);
                tf.style = p.attr(f, "style", true);
                if (tf.style != "regular" && tf.style != "bold" && tf.style != "italic") p.fail(f, "'style' is regular, bold or italic");
                std::istringstream fs(p.attr(f, "files", true));
                for (std::string x; fs >> x;) tf.files.push_back(x);
                if (tf.files.empty()) p.fail(f, "<font> needs at least one file");
                t->fonts.push_back(std::move(tf));
            }
        } else if (name == "color-profile") {
            p.allow(c, {"file", "identifier"});
            t->color_profile = p.attr(c, "file", true);
            t->color_profile_id = p.attr(c, "identifier");
            if (t->color_profile_id.empty()) t->color_profile_id = "sRGB IEC61966-2.1";
            t->color_profile_where = p.loc(c);
        } else if (name == "var") {
            p.allow(c, {"name", "select", "format"});
            template_variable v;
            v.name = p.attr(c, "name", true);
            v.format = p.format(c);
            v.select = p.xpath_attr(c, "select");
            if (v.select && !detail::normalize_space(c.text().get()).empty()) p.fail(c, "<var> has either 'select' or text, not both");
            if (!v.select) v.value = p.body_text(c);
            t->variables.push_back(std::move(v));
        } else if (name == "block") {
            p.allow(c, {"id"});
            const std::string id = p.attr(c, "id", true);
            if (t->blocks.count(id)) p.fail(c, "block '" + id + "' is defined twice");
            t->blocks.emplace(id, p.container(c, false));
        } else if (name == "body") {
            p.allow(c, {});
            t->body = p.container(c, false);
        } else if (name == "prologue") {
            p.allow(c, {});
            t->prologue = p.container(c, false);
        } else if (name == "epilogue") {
            p.allow(c, {});
            t->epilogue = p.container(c, false);
        } else if (name == "header") {
            p.allow(c, {});
            t->header = p.container(c, true);
        } else if (name == "footer") {
            p.allow(c, {});
            t->footer = p.container(c, true);
        } else if (name == "notice") {
            p.allow(c, {"id", "from", "until", "when", "verified"});
            template_notice n;
            n.where = p.loc(c);
            n.id = p.attr(c, "id", true);
            n.from = p.attr(c, "from");
            n.until = p.attr(c, "until");
            for (const std::string* d : {&n.from, &n.until})
                if (!d->empty() && !p.is_date(*d)) p.fail(c, "'from' and 'until' are dates (YYYY-MM-DD), got '" + *d + "'");
            n.when = p.xpath_attr(c, "when");
            n.verified = c.attribute("verified") ? p.flag(c, "verified") : true;
            n.text = p.body_text(c);
            t->notices.push_back(std::move(n));
        } else if (name == "profiles") {
            p.allow(c, {});
            for (pugi::xml_node f = c.first_child(); f; f = f.next_sibling()) {
                if (f.type() != pugi::node_element) continue;
                if (parser::local(f.name()) != "profile") p.fail(f, "<profiles> holds <profile> elements only");
                p.allow(f, {"name", "label", "withhold", "mask"});
                template_profile pr;
                pr.name = p.attr(f, "name", true);
                pr.label = p.attr(f, "label");
                if (f.attribute("mask")) pr.mask = p.attr(f, "mask");
                std::istringstream ss(p.attr(f, "withhold"));
                for (std::string w; ss >> w;) pr.withhold.insert(w);
                t->profiles.push_back(std::move(pr));
            }
        } else if (name == "section-labels") {
            p.allow(c, {});
            for (pugi::xml_node f = c.first_child(); f; f = f.next_sibling()) {
                if (f.type() != pugi::node_element) continue;
                if (parser::local(f.name()) != "label") p.fail(f, "<section-labels> holds <label code=\"…\"> elements only");
                p.allow(f, {"code"});
                t->section_labels.emplace_back(p.attr(f, "code", true), detail::normalize_space(f.text().get()));
            }
        } else {
            p.fail(c, "unknown template element <" + name + "> (a template holds page, fonts, color-profile, var, block, "
                      "body, prologue, epilogue, header, footer, notice, profiles, section-labels)");
        }
    }
    if (t->header.has_value() != t->footer.has_value())
        p.fail(root, "a template that sets <header> also sets <footer> (and the other way round)");
    if (t->header) {
        // What every page must show (issue 4: compliant records). A header or footer that leaves one out is refused.
        std::set<std::string> vars, notices;
        std::function<void(const template_node&)> scan = [&](const template_node& n) {
            for (const auto& part : n.content.parts)
                if (part.type == template_text::part::kind::variable) vars.insert(part.text);
            if (n.kind == template_kind::notice) notices.insert(n.name);
            for (const auto& c : n.children) scan(c);
        };
        scan(*t->header);
        scan(*t->footer);
        for (const char* v : {"agency", "program", "title", "client-name", "client-id", "service-date", "page", "pages"})
            if (!vars.count(v))
                p.fail(root, std::string("the header and footer must show {$") + v +
                                 "} on every page (agency, program, title, client name and id, date of service, page X of Y)");
        for (const char* n : {"confidentiality", "part2"})
            if (!notices.count(n))
                p.fail(root, std::string("the header or footer must hold <notice ref=\"") + n + "\"/> (shown on every page)");
    }
    return t;
}

pdf_resource_files document_template::pdf_files() const {
    auto source = [](const template_location& w) { return pdf_source{w.file ? *w.file : std::string(), w.line, w.column}; };
    pdf_resource_files r;
    r.base_dir = file.parent_path();
    r.font_dirs = font_dirs;
    for (const auto& f : fonts) r.fonts.push_back({f.style, f.files, source(f.where)});
    r.color_profile = color_profile;
    r.color_profile_id = color_profile_id;
    r.color_profile_where = source(color_profile_where);
    r.where = {file.string(), where.line, where.column};
    if (page) {
        page_geometry g;
        g.width = page->width;
        g.height = page->height;
        g.top = page->top;
        g.right = page->right;
        g.bottom = page->bottom;
        g.left = page->left;
        r.page = g;
    }
    return r;
}

} // namespace casedoc
