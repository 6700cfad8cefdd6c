#include "schema_loader.hpp"

#include <casedoc/base/error.hpp>
#include <casedoc/base/install_layout.hpp>

#include "xpath_rewrite.hpp"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace casedoc {

std::optional<std::string> read_file_resource(const std::string& path) {
    std::string p = path;
    if (p.rfind("file://", 0) == 0) p = p.substr(7);
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return std::move(ss).str();
}

std::string resolve_uri(const std::string& base, const std::string& href) {
    if (href.empty()) return base;
    if (href[0] == '/' || href.find("://") != std::string::npos) return href;
    const size_t slash = base.rfind('/');
    if (slash == std::string::npos) return href;
    return base.substr(0, slash + 1) + href;
}

namespace detail {

namespace {

constexpr const char* xslt_ns = "http://www.w3.org/1999/XSL/Transform";
constexpr const char* schematron15_ns = "http://www.ascc.net/xml/schematron";
constexpr const char* casedoc_scheme = "casedoc:"; // include href="casedoc:common/notes.sch"

bool is(pugi::xml_node n, const char* qname) { return n.type() == pugi::node_element && std::strcmp(n.name(), qname) == 0; }

void stamp(xml_document& d, const std::string& uri) {
    struct walker : pugi::xml_tree_walker {
        xml_document* d;
        const std::string* uri;
        bool for_each(pugi::xml_node& n) override {
            if (n.type() != pugi::node_element || n.attribute(source_attr)) return true;
            const auto [line, col] = d->line_column(n);
            n.append_attribute(source_attr).set_value((*uri + '\t' + std::to_string(line) + '\t' + std::to_string(col)).c_str());
            return true;
        }
    } w;
    w.d = &d;
    w.uri = &uri;
    d.dom().traverse(w);
}

std::string base_of(pugi::xml_node n) { return origin_of(n).file; }

pugi::xml_node find_by_id(pugi::xml_node root, const std::string& id) {
    if (root.attribute("xml:id").value() == id || root.attribute("id").value() == id) return root;
    for (pugi::xml_node c : root.children()) {
        if (c.type() != pugi::node_element) continue;
        if (pugi::xml_node f = find_by_id(c, id)) return f;
    }
    return {};
}

class preprocessor {
public:
    preprocessor(const schema_options& options, std::vector<std::string>* warnings)
        : options_(options), warnings_(warnings) {}

    // Resolves includes and extends/@href below `node`, recursively.
    void expand_references(pugi::xml_node node, int depth) {
        if (depth > 32) schema_error(node, "include/extends nesting deeper than 32 levels (a cycle?)");
        for (pugi::xml_node c = node.first_child(); c;) {
            pugi::xml_node next = c.next_sibling();
            const bool include = is(c, "sch:include");
            const bool extends_href = is(c, "sch:extends") && c.attribute("href");
            if (include || extends_href) {
                pugi::xml_node target = fetch(c, depth);
                pugi::xml_node parent = c.parent();
                if (include) {
                    pugi::xml_node copy = parent.insert_copy_before(target, c);
                    expand_references(copy, depth + 1);
                } else {
                    // extends/@href: the children of the referenced (abstract) rule or schema.
                    pugi::xml_node first_inserted;
                    for (pugi::xml_node t : target.children()) {
                        if (t.type() != pugi::node_element) continue;
                        pugi::xml_node copy = parent.insert_copy_before(t, c);
                        if (!first_inserted) first_inserted = copy;
                        carry_lang(target, copy);
                    }
                    for (pugi::xml_node k = first_inserted; k && k != c; k = k.next_sibling())
                        expand_references(k, depth + 1);
                }
                parent.remove_child(c);
            } else if (c.type() == pugi::node_element) {
                expand_references(c, depth);
            }
            c = next;
        }
    }

    void instantiate_abstract_patterns(pugi::xml_node schema) {
        std::map<std::string, pugi::xml_node> abstract;
        for (pugi::xml_node p : schema.children("sch:pattern"))
            if (std::strcmp(p.attribute("abstract").value(), "true") == 0) abstract[p.attribute("id").value()] = p;
        for (pugi::xml_node p = schema.first_child(); p;) {
            pugi::xml_node next = p.next_sibling();
            if (is(p, "sch:pattern") && p.attribute("is-a")) {
                auto it = abstract.find(p.attribute("is-a").value());
                if (it == abstract.end())
                    schema_error(p, std::string("pattern is-a='") + p.attribute("is-a").value() +
                                        "' names no abstract pattern");
                std::map<std::string, std::string> params;
                for (pugi::xml_node d : it->second.children("sch:param"))
                    params[d.attribute("name").value()] = d.attribute("value").value();
                for (pugi::xml_node d : p.children("sch:param")) params[d.attribute("name").value()] = d.attribute("value").value();
                pugi::xml_node inst = schema.insert_child_before("sch:pattern", p);
                for (pugi::xml_attribute a : p.attributes())
                    if (std::strcmp(a.name(), "is-a") != 0) inst.append_attribute(a.name()).set_value(a.value());
                for (pugi::xml_attribute a : it->second.attributes()) {
                    const std::string n = a.name();
                    if (n == "documents" && !inst.attribute("documents"))
                        inst.append_attribute("documents").set_value(substitute_params(a.value(), params).c_str());
                }
                if (!inst.attribute("xml:lang")) {
                    if (const char* lang = lang_in_scope(it->second)) inst.append_attribute("xml:lang").set_value(lang);
                }
                for (pugi::xml_node c : it->second.children()) {
                    if (is(c, "sch:param") || c.type() != pugi::node_element) continue;
                    pugi::xml_node copy = inst.append_copy(c);
                    substitute_params(copy, params);
                }
                pugi::xml_node keep = inst.append_child(params_element);
                for (const auto& [name, value] : params) keep.append_attribute(name.c_str()).set_value(value.c_str());
                schema.remove_child(p);
            }
            p = next;
        }
        for (auto& [id, p] : abstract) schema.remove_child(p);
    }

    // Abstract rules are looked up in the extending rule's pattern, as ISO/IEC 19757-3 (5.4.3) requires; else,
    // as the ISO skeleton does (//sch:rule[@id=...]), anywhere in the schema: accepted with a warning, refused
    // when strict.
    void expand_abstract_rules(pugi::xml_node schema) {
        for (pugi::xml_node pattern : schema.children("sch:pattern"))
            for (pugi::xml_node r : pattern.children("sch:rule"))
                if (is_abstract(r)) all_abstract_.emplace(r.attribute("id").value(), r); // the first of an id
        for (pugi::xml_node pattern : schema.children("sch:pattern"))
            for (pugi::xml_node r : pattern.children("sch:rule")) {
                if (is_abstract(r)) continue;
                std::set<std::string> active;
                expand_extends_range(r, r.first_child(), pugi::xml_node(), pattern, active);
            }
        for (pugi::xml_node pattern : schema.children("sch:pattern"))
            for (pugi::xml_node r = pattern.first_child(); r;) {
                pugi::xml_node next = r.next_sibling();
                if (is(r, "sch:rule") && is_abstract(r)) pattern.remove_child(r);
                r = next;
            }
    }

private:
    pugi::xml_node fetch(pugi::xml_node ref, int depth) {
        std::string href = ref.attribute("href").value();
        std::string fragment;
        if (const size_t hash = href.find('#'); hash != std::string::npos) {
            fragment = href.substr(hash + 1);
            href = href.substr(0, hash);
        }
        std::string uri = resolve_uri(base_of(ref), href);
        if (href.rfind(casedoc_scheme, 0) == 0) {
            std::string looked;
            uri = resolve_casedoc_name(href.substr(std::strlen(casedoc_scheme)), options_, looked);
            if (uri.empty())
                schema_error(ref, "cannot find the schema '" + href + "' it refers to (looked in " + looked + ")");
        }
        auto it = cache_.find(uri);
        if (it == cache_.end()) {
            std::optional<std::string> text = options_.loader(uri);
            if (!text) schema_error(ref, "cannot read the schema file '" + uri + "' it refers to");
            xml_document doc = [&] {
                try {
                    return xml_document::load_string(std::move(*text), uri);
                } catch (const error& e) {
                    throw error(e.file(), e.line(), e.column(), e.message());
                }
            }();
            doc.canonicalize(schema_dom_bindings());
            stamp(doc, uri);
            it = cache_.emplace(uri, std::make_unique<xml_document>(std::move(doc))).first;
            expand_references(it->second->root(), depth + 1);
        }
        pugi::xml_node target = it->second->root();
        if (!fragment.empty()) {
            target = find_by_id(target, fragment);
            if (!target) schema_error(ref, "no element with id '" + fragment + "' in '" + uri + "'");
        }
        return target;
    }

    static const char* lang_in_scope(pugi::xml_node n) {
        for (; n; n = n.parent())
            if (pugi::xml_attribute a = n.attribute("xml:lang")) return a.value();
        return nullptr;
    }

    static void carry_lang(pugi::xml_node source_scope, pugi::xml_node copy) {
        if (copy.attribute("xml:lang")) return;
        if (const char* lang = lang_in_scope(source_scope)) copy.append_attribute("xml:lang").set_value(lang);
    }


    static bool is_abstract(pugi::xml_node rule) {
        return std::strcmp(rule.attribute("abstract").value(), "true") == 0;
    }

    static std::string where(pugi::xml_node n) {
        const schema_origin o = origin_of(n);
        return o.file + ':' + std::to_string(o.line);
    }

    // The abstract rule `ref` (an sch:extends in `home`, the pattern its content came from) names.
    pugi::xml_node abstract_rule(pugi::xml_node ref, pugi::xml_node home) {
        const std::string id = ref.attribute("rule").value();
        for (pugi::xml_node r : home.children("sch:rule"))
            if (is_abstract(r) && id == r.attribute("id").value()) return r;
        auto it = all_abstract_.find(id);
        if (it == all_abstract_.end()) {
            bool concrete = false;
            for (pugi::xml_node r : home.children("sch:rule"))
                if (id == r.attribute("id").value()) concrete = true;
            schema_error(ref, concrete ? "extends rule='" + id + "' names a rule that is not abstract"
                                       : "extends rule='" + id + "' names no abstract rule");
        }
        const pugi::xml_node other = it->second.parent();
        const std::string pattern_id = other.attribute("id").value();
        const std::string in = "pattern " + (pattern_id.empty() ? std::string("without id") : "'" + pattern_id + "'") +
                               " (" + where(it->second) + ")";
        if (options_.strict)
            schema_error(ref, "extends rule='" + id + "' names an abstract rule of another " + in +
                                  "; ISO/IEC 19757-3 5.4.3 allows only one of the same pattern (accepted without "
                                  "--strict, as the ISO skeleton does)");
        if (warnings_) {
            const schema_origin o = origin_of(ref);
            warnings_->push_back(o.file + ':' + std::to_string(o.line) + ':' + std::to_string(o.column) +
                                          ": extends rule='" + id + "' names an abstract rule of another " +
                                          in + "; accepted as the ISO skeleton does (--strict refuses it)");
        }
        return it->second;
    }

    // Replaces each sch:extends[@rule] among the children [from, until) of `rule` by the content of the abstract
    // rule it names, whose own extends are expanded in turn (looked up from the abstract rule's pattern).
    void expand_extends_range(pugi::xml_node rule, pugi::xml_node from, pugi::xml_node until, pugi::xml_node home,
                              std::set<std::string>& active) {
        for (pugi::xml_node c = from; c && c != until;) {
            pugi::xml_node next = c.next_sibling();
            if (is(c, "sch:extends") && c.attribute("rule")) {
                const std::string id = c.attribute("rule").value();
                const pugi::xml_node target = abstract_rule(c, home);
                if (active.count(id)) schema_error(c, "abstract rule '" + id + "' extends itself");
                active.insert(id);
                pugi::xml_node first_inserted;
                for (pugi::xml_node t : target.children()) {
                    if (t.type() != pugi::node_element) continue;
                    pugi::xml_node copy = rule.insert_copy_before(t, c);
                    carry_lang(target, copy);
                    if (!first_inserted) first_inserted = copy;
                }
                rule.remove_child(c);
                expand_extends_range(rule, first_inserted, next, target.parent(), active);
                active.erase(id);
            }
            c = next;
        }
    }

    const schema_options& options_;
    std::vector<std::string>* warnings_;
    std::map<std::string, std::unique_ptr<xml_document>> cache_;
    std::map<std::string, pugi::xml_node> all_abstract_; // every abstract rule of the schema by id
};

} // namespace

const namespace_bindings& schema_dom_bindings() {
    static const namespace_bindings b = {
        {"sch", schematron_ns}, {"sch", schematron15_ns}, {"xsl", xslt_ns}, {"cd", extension_ns}};
    return b;
}

std::string substitute_params(std::string_view text, const std::map<std::string, std::string>& params) {
    return replace_variables(text, [&](std::string_view name) -> std::optional<std::string> {
        auto it = params.find(std::string(name));
        if (it == params.end()) return std::nullopt;
        return it->second;
    });
}

void substitute_params(pugi::xml_node n, const std::map<std::string, std::string>& params) {
    for (pugi::xml_attribute a : n.attributes()) {
        if (std::strcmp(a.name(), source_attr) == 0) continue;
        a.set_value(substitute_params(a.value(), params).c_str());
    }
    for (pugi::xml_node c : n.children())
        if (c.type() == pugi::node_element) substitute_params(c, params);
}

schema_origin origin_of(pugi::xml_node n) {
    for (; n; n = n.parent()) {
        if (pugi::xml_attribute a = n.attribute(source_attr)) {
            const std::string v = a.value();
            const size_t t1 = v.find('\t'), t2 = v.find('\t', t1 + 1);
            schema_origin o;
            o.file = v.substr(0, t1);
            o.line = static_cast<unsigned>(std::stoul(v.substr(t1 + 1, t2 - t1 - 1)));
            o.column = static_cast<unsigned>(std::stoul(v.substr(t2 + 1)));
            return o;
        }
    }
    return {};
}

void schema_error(pugi::xml_node at, const std::string& message) {
    const schema_origin o = origin_of(at);
    throw error(o.file, o.line, o.column, "bad schema: " + message);
}

std::string resolve_casedoc_name(const std::string& name, const schema_options& options, std::string& looked) {
    namespace fs = std::filesystem;
    std::vector<fs::path> dirs = options.search_path;
    if (name.rfind("common/", 0) == 0) dirs.push_back(layout::data_directory("schemas"));
    std::error_code ec;
    for (const fs::path& d : dirs) {
        looked += (looked.empty() ? "" : ", ") + d.string();
        if (name.find("..") == std::string::npos && fs::is_regular_file(d / name, ec)) return (d / name).string();
    }
    if (looked.empty()) looked = "no schema directory";
    return {};
}

xml_document load_schema_document(std::string text, const std::string& uri, const schema_options& options,
                                  std::vector<std::string>* warnings) {
    xml_document doc = xml_document::load_string(std::move(text), uri);
    doc.canonicalize(schema_dom_bindings());
    stamp(doc, uri);
    pugi::xml_node root = doc.root();
    if (!is(root, "sch:schema")) {
        throw error(uri, 0, 0,
                    "not an ISO Schematron schema: the root element is '" + std::string(root.name()) +
                        "', expected schema in the namespace " + schematron_ns);
    }
    preprocessor pre(options, warnings);
    pre.expand_references(root, 0);
    pre.instantiate_abstract_patterns(root);
    pre.expand_abstract_rules(root);
    return doc;
}

} // namespace detail
} // namespace casedoc
