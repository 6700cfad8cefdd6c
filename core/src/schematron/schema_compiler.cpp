#include "schema_compiler.hpp"

#include "compiled_schema.hpp"
#include "schema_loader.hpp"
#include "xpath_rewrite.hpp"

#include <casedoc/base/error.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

namespace casedoc {

using namespace detail;

namespace {

// "name" when `text` is "<sigil>name" with an XML name (QName) after the sigil, else "".
std::string sole_name(const std::string& text, char sigil) {
    if (text.size() < 2 || text[0] != sigil) return {};
    const std::string name = text.substr(1);
    auto start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
    if (!start(name[0])) return {};
    for (char c : name)
        if (!start(c) && !std::isdigit(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != ':') return {};
    return name;
}

bool is(pugi::xml_node n, const char* qname) {
    return n.type() == pugi::node_element && std::strcmp(n.name(), qname) == 0;
}

std::vector<std::string> split_ws(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream ss(s);
    for (std::string w; ss >> w;) out.push_back(w);
    return out;
}

// Thrown when the schema's expressions cannot be compiled with its first namespace as the default.
struct no_default_namespace {};

class compiler {
public:
    // With `default_namespace`, the element names in the namespace of the schema's first sch:ns are compiled
    // unprefixed, and documents are canonicalised with that namespace as their default: a record, which
    // uses it as its default, then needs no renaming (see xml_document::canonicalize()).
    compiler(schema::impl& s, const schema_options& opt, bool default_namespace)
        : s_(s), opt_(opt), default_namespace_(default_namespace) {
        s_.current = s_.vars.add("__current", pugi::xpath_type_node_set);
        scopes_.emplace_back();
        scopes_.back()["__current"] = "__current";
    }

    void compile(pugi::xml_node schema_el) {
        s_.schema_version = schema_el.attribute("schemaVersion").value();
        if (pugi::xml_node t = schema_el.child("sch:title")) s_.title = normalize_space(t.text().get());
        read_metadata(schema_el);
        for (pugi::xml_node n : schema_el.children("sch:ns")) {
            const std::string prefix = n.attribute("prefix").value(), uri = n.attribute("uri").value();
            if (prefix.empty() || uri.empty()) schema_error(n, "sch:ns needs both prefix and uri");
            s_.ns.emplace_back(prefix, uri);
        }
        s_.bindings = s_.ns;
        if (default_namespace_ && !s_.ns.empty()) {
            default_prefix_ = s_.ns.front().first;
            s_.bindings.insert(s_.bindings.begin(), {std::string(), s_.ns.front().second});
        }
        for (pugi::xml_node d : schema_el.children("sch:diagnostics"))
            for (pugi::xml_node x : d.children("sch:diagnostic")) diagnostics_[x.attribute("id").value()] = x;
        for (pugi::xml_node d : schema_el.children("sch:properties"))
            for (pugi::xml_node x : d.children("sch:property")) properties_[x.attribute("id").value()] = x;

        for (pugi::xml_node k : schema_el.children("xsl:key")) compile_key(k);

        // Facts and schema-level lets (parameters).
        for (const std::string& f : opt_.fact_names) {
            const std::string internal = "f" + std::to_string(counter_++);
            s_.facts[f] = s_.vars.add(internal, pugi::xpath_type_string);
            scopes_.back()[f] = internal;
        }
        for (pugi::xml_node l : schema_el.children("sch:let")) s_.schema_lets.push_back(compile_let(l, true));

        // Phase.
        std::string phase = opt_.phase;
        if (phase.empty() || phase == "#DEFAULT") {
            phase = schema_el.attribute("defaultPhase").value();
            if (phase.empty()) phase = "#ALL";
        }
        s_.phase = phase;
        std::set<std::string> active;
        scopes_.emplace_back();
        if (phase != "#ALL") {
            pugi::xml_node ph;
            for (pugi::xml_node x : schema_el.children("sch:phase"))
                if (phase == x.attribute("id").value()) ph = x;
            if (!ph) throw error(s_.meta.file, "no phase named '" + phase + "' in the schema");
            for (pugi::xml_node l : ph.children("sch:let")) s_.phase_lets.push_back(compile_let(l, false));
            for (pugi::xml_node a : ph.children("sch:active")) {
                const std::string id = a.attribute("pattern").value();
                bool found = false;
                for (pugi::xml_node p : schema_el.children("sch:pattern"))
                    if (id == p.attribute("id").value()) found = true;
                if (!found)
                    schema_error(a, "phase '" + phase + "' activates pattern '" + id + "', which does not exist");
                active.insert(id);
            }
        }
        for (pugi::xml_node p : schema_el.children("sch:pattern")) {
            if (phase != "#ALL" && !active.count(p.attribute("id").value())) continue;
            s_.patterns.push_back(compile_pattern(p));
        }
        scopes_.pop_back();
        // Rule ids declared anywhere, whatever the phase, for listings.
        std::set<std::string> seen;
        std::vector<rule_info> unique;
        for (auto& r : s_.rule_list)
            if (r.id.empty() || seen.insert(r.id).second) unique.push_back(r);
        s_.rule_list = std::move(unique);
        std::map<std::string, uint32_t> index;
        for (size_t i = 0; i < s_.rule_list.size(); ++i) index.emplace(s_.rule_list[i].id, static_cast<uint32_t>(i));
        for (pattern_def& p : s_.patterns)
            for (rule_def& r : p.rules)
                for (check_def& c : r.checks)
                    if (!c.id.empty()) c.rule = index.at(c.id);
    }

private:
    void read_metadata(pugi::xml_node schema_el) {
        pugi::xml_node meta = schema_el.child("cd:meta");
        if (!meta) return;
        s_.meta.setting = meta.attribute("setting").value();
        s_.meta.version = meta.attribute("version").value();
        s_.meta.title = meta.attribute("title").value();
        if (s_.meta.title.empty()) s_.meta.title = s_.title;
        s_.meta.document_types = split_ws(meta.attribute("document-types").value());
        auto date = [&](const char* attr) -> std::optional<int64_t> {
            const std::string v = meta.attribute(attr).value();
            if (v.empty()) return std::nullopt;
            auto d = parse_date(v);
            if (!d) schema_error(meta, std::string("cd:meta/@") + attr + " '" + v + "' is not a date (YYYY-MM-DD)");
            return d;
        };
        s_.meta.effective_from = date("effective-from");
        s_.meta.effective_to = date("effective-to");
    }

    // `names_done`: the text's element names are already unprefixed (a rule context's matcher, rewritten before
    // it was translated).
    query compile_xpath(pugi::xml_node at, const char* what, const std::string& source, bool names_done = false) {
        query out;
        out.source = source;
        std::string text;
        try {
            text = rewrite_functions(source, [&](const std::string& uri) { return load_aux(at, uri); });
        } catch (const std::invalid_argument& e) {
            schema_error(at, describe(at, what, source) + ": " + e.what());
        }
        std::string unknown;
        std::vector<std::string> referenced; // (internal names)
        text = replace_variables(text, [&](std::string_view name) -> std::optional<std::string> {
            for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it)
                if (auto f = it->find(std::string(name)); f != it->end()) {
                    referenced.push_back(f->second);
                    return "$" + f->second;
                }
            if (unknown.empty()) unknown = std::string(name);
            return std::nullopt;
        });
        if (!unknown.empty()) schema_error(at, describe(at, what, source) + ": unknown variable $" + unknown);
        if (text.find("key") != std::string::npos) {
            key_declarations unprefixed_keys; // a key's expressions, as a rule context's matcher needs them
            const auto find = [&](const std::string& name) -> const key_declarations* {
                const auto it = keys_.find(name);
                if (it == keys_.end()) return nullptr;
                if (!names_done || default_prefix_.empty()) return &it->second;
                for (const key_declaration& k : it->second)
                    unprefixed_keys.push_back({unprefixed(k.match), unprefixed(k.use)});
                return &unprefixed_keys;
            };
            const auto string_variable = [&](std::string_view name) {
                const pugi::xpath_variable* v = s_.vars.get(std::string(name).c_str());
                return v && v->type() != pugi::xpath_type_node_set;
            };
            try {
                text = rewrite_keys(text, find, string_variable);
            } catch (const std::invalid_argument& e) {
                schema_error(at, describe(at, what, source) + ": " + e.what());
            }
        }
        if (!default_prefix_.empty() && !names_done) text = unprefixed(text);
        out.uses_current = text.find("$__current") != std::string::npos;
        s_.uses_current |= out.uses_current;
        try { // compiled here for its errors and type: each thread compiles its own when it needs it (query.hpp)
            out.type = pugi::xpath_query(text.c_str(), &s_.vars.set()).return_type();
        } catch (const pugi::xpath_exception& e) {
            schema_error(at, describe(at, what, source) + ": XPath error: " + e.what());
        }
        out.id = s_.queries++;
        if (const std::string v = sole_name(text, '$'); !v.empty()) {
            out.variable = s_.vars.number(v);
            out.held = out.variable && s_.vars.holdable(out.variable);
        }
        out.direct = direct_xpath::compile(text, s_.vars, s_.names);
        out.rewritten = std::move(text);
        for (const std::string& v : referenced)
            if (const uint32_t n = s_.vars.number(v); n && s_.vars.holdable(n)) out.reads.push_back(n);
        return out;
    }

    std::string unprefixed(const std::string& text) const {
        auto out = unprefix_element_names(text, default_prefix_);
        if (!out) throw no_default_namespace{};
        return std::move(*out);
    }

    static std::string describe(pugi::xml_node at, const char* what, const std::string& source) {
        std::string name = at.name();
        std::string id = at.attribute("id").value();
        if (id.empty()) id = at.parent().attribute("id").value();
        // A long expression is cut: the file and line say where the rest is.
        size_t cut = std::min<size_t>(source.size(), 300);
        while (cut < source.size() && cut > 0 && (static_cast<unsigned char>(source[cut]) & 0xC0) == 0x80) --cut;
        const std::string shown = cut == source.size() ? source : source.substr(0, cut) + "...";
        return std::string(id.empty() ? "" : "rule '" + id + "', ") + name + "/@" + what + "=\"" + shown + "\"";
    }

    query compile_attr(pugi::xml_node at, const char* attr, bool required) {
        pugi::xml_attribute a = at.attribute(attr);
        if (!a || !*a.value()) {
            if (required) schema_error(at, std::string(at.name()) + " needs a non-empty @" + attr);
            return {};
        }
        return compile_xpath(at, attr, a.value());
    }

    unsigned load_aux(pugi::xml_node at, const std::string& uri) {
        const std::string full = resolve_uri(origin_of(at).file, uri);
        if (auto it = aux_ids_.find(full); it != aux_ids_.end()) return it->second;
        auto text = opt_.loader(full);
        if (!text) schema_error(at, "document('" + uri + "'): cannot read '" + full + "'");
        auto doc = std::make_unique<xml_document>(xml_document::load_string(std::move(*text), full));
        const unsigned id = static_cast<unsigned>(s_.aux_docs.size());
        const std::string name = "__doc_" + std::to_string(id);
        const uint32_t v = s_.vars.add(name, pugi::xpath_type_node_set);
        scopes_.front()[name] = name;
        s_.aux_docs.push_back(std::move(doc));
        aux_ids_[full] = id;
        pending_aux_.push_back({id, v});
        return id;
    }

public:
    // Canonicalises the documents loaded by document() once the sch:ns bindings are known.
    void finish_aux_documents() {
        for (auto& [id, var] : pending_aux_) {
            xml_document& d = *s_.aux_docs[id];
            d.canonicalize(s_.bindings);
            s_.vars.declared(var)->set(single(pugi::xpath_node(d.dom())));
        }
    }

private:
    // xsl:key, which the xslt query binding lets a schema declare (XSLT 1.0, 12.2); key() is rewritten for
    // pugixml (rewrite_keys()). @use may be given as literal content instead (as XSLT 2.0 allows).
    void compile_key(pugi::xml_node k) {
        const std::string name = k.attribute("name").value(), match = k.attribute("match").value();
        if (name.empty() || match.empty()) schema_error(k, "xsl:key needs a @name and a @match");
        std::string use = k.attribute("use").value();
        if (use.empty()) {
            const std::string content = pugi::xpath_query("string(.)").evaluate_string(content_fragment(k, false));
            if (content.empty()) schema_error(k, "xsl:key '" + name + "' needs a @use");
            if (content.find('\'') == std::string::npos) use = "'" + content + "'";
            else if (content.find('"') == std::string::npos) use = '"' + content + '"';
            else schema_error(k, "xsl:key '" + name + "': content with both kinds of quote");
        }
        try {
            if (pugi::xpath_query(use.c_str(), &s_.vars.set()).return_type() != pugi::xpath_type_node_set)
                use = "string(" + use + ")"; // a key value is a string (XSLT 1.0, 12.2)
            pugi::xpath_query(match.c_str(), &s_.vars.set());
        } catch (const pugi::xpath_exception& e) {
            schema_error(k, "xsl:key '" + name + "': XPath error: " + e.what());
        }
        keys_[name].push_back({match, use});
    }

    // ISO/IEC 19757-3:2016 5.4.5: "It is an error for a variable to be multiply defined in the current schema,
    // phase, pattern and rule." A rule's let that hides an outer one is accepted, with a warning, as the ISO
    // skeleton does (a local XSLT variable may shadow a global one); refused when strict.
    void check_collision(pugi::xml_node l, const std::string& name, bool rule_level) {
        for (size_t i = scopes_.size(); i-- > 0;) {
            const auto it = scopes_[i].find(name);
            if (it == scopes_[i].end()) continue;
            const auto first = let_nodes_.find(it->second);
            if (first == let_nodes_.end()) return; // a plugin's fact
            const schema_origin o = origin_of(first->second);
            const std::string what = "variable '" + name + "' is defined twice (first at " + o.file + ':' +
                                     std::to_string(o.line) + ")";
            if (i + 1 == scopes_.size() || !rule_level || opt_.strict)
                schema_error(l, what + "; ISO/IEC 19757-3 5.4.5 forbids a variable multiply defined in the current "
                                       "schema, phase, pattern and rule");
            const schema_origin here = origin_of(l);
            s_.warnings.push_back(here.file + ':' + std::to_string(here.line) + ':' + std::to_string(here.column) +
                                  ": " + what + ": the rule's let hides the outer one, as the ISO skeleton "
                                  "allows (--strict refuses it)");
            return;
        }
    }

    // The content of `el` (a let or key without its value attribute) as an XSLT 1.0 result tree fragment: a root
    // node holding a copy of its content, named as the documents are. A let's content is copied as it is, XSLT
    // elements too (2020: the value is the element content); in a key's, which XSLT runs as instructions,
    // xsl:text gives its text and other instructions would need an XSLT processor.
    pugi::xml_node content_fragment(pugi::xml_node el, bool literal) {
        pugi::xml_document tmp;
        pugi::xml_node wrapper = tmp.append_child("fragment");
        for (pugi::xml_attribute a : el.root().child("sch:schema").attributes())
            if (is_namespace_declaration(a.name())) wrapper.append_attribute(a.name()).set_value(a.value());
        for (pugi::xml_node c : el.children()) {
            if (!literal && is(c, "xsl:text")) {
                wrapper.append_child(pugi::node_pcdata).set_value(c.text().get());
            } else if (!literal && c.type() == pugi::node_element && std::strncmp(c.name(), "xsl:", 4) == 0) {
                schema_error(c, std::string(c.name()) + " in the content of " + el.name() +
                                    ": XSLT instructions are not evaluated; give the value as an XPath attribute");
            } else if (c.type() == pugi::node_element || c.type() == pugi::node_pcdata ||
                       c.type() == pugi::node_cdata) {
                pugi::xml_node copy = wrapper.append_copy(c);
                strip_origins(copy);
            }
        }
        std::ostringstream text;
        tmp.save(text, "", pugi::format_raw | pugi::format_no_declaration);
        s_.aux_docs.push_back(std::make_unique<xml_document>(
            xml_document::load_string(text.str(), origin_of(el).file + "#" + el.attribute("name").value())));
        xml_document& doc = *s_.aux_docs.back();
        doc.canonicalize(s_.bindings);
        pugi::xml_document& d = doc.dom();
        const pugi::xml_node w = d.document_element();
        while (pugi::xml_node c = w.first_child()) d.insert_move_before(c, w);
        d.remove_child(w);
        return d;
    }

    static void strip_origins(pugi::xml_node n) {
        n.remove_attribute(source_attr);
        for (pugi::xml_node c : n.children())
            if (c.type() == pugi::node_element) strip_origins(c);
    }

    let_def compile_let(pugi::xml_node l, bool schema_level, bool rule_level = false) {
        const std::string name = l.attribute("name").value();
        if (name.empty()) schema_error(l, "sch:let needs a @name");
        check_collision(l, name, rule_level);
        const std::string internal = "v" + std::to_string(counter_++);
        let_nodes_[internal] = l;
        let_def def;
        if (schema_level) {
            if (auto it = opt_.params.find(name); it != opt_.params.end()) {
                const std::string& v = it->second;
                char* end = nullptr;
                const double num = std::strtod(v.c_str(), &end);
                const bool numeric = !v.empty() && end && *end == 0;
                def.var = s_.vars.add(internal, numeric ? pugi::xpath_type_number : pugi::xpath_type_string);
                if (numeric) s_.vars.declared(def.var)->set(num);
                else s_.vars.declared(def.var)->set(v.c_str());
                def.fixed = true;
                s_.param_values[name] = v;
                scopes_.back()[name] = internal;
                return def;
            }
        }
        if (!l.attribute("value")) { // its content is its value (2020)
            def.var = s_.vars.add(internal, pugi::xpath_type_node_set);
            const pugi::xml_node fragment = content_fragment(l, true);
            s_.vars.declared(def.var)->set(single(pugi::xpath_node(fragment)));
            def.fixed = true;
            if (schema_level) s_.param_values[name] = pugi::xpath_query("string(.)").evaluate_string(fragment);
            scopes_.back()[name] = internal;
            return def;
        }
        def.value = compile_xpath(l, "value", l.attribute("value").value());
        def.var = s_.vars.add(internal, def.value.return_type());
        if (def.value.return_type() == pugi::xpath_type_node_set && def.value.direct) { // may be held as places
            s_.vars.set_holdable(def.var);
            def.held = true;
        }
        if (schema_level) {
            pugi::xml_document empty;
            try {
                s_.param_values[name] = pugi::xpath_query(def.value.rewritten.c_str(), &s_.vars.set())
                                            .evaluate_string(pugi::xpath_node(empty));
            } catch (...) {
            }
        }
        scopes_.back()[name] = internal;
        return def;
    }

    // A rule's title for listings: its message's first sentence, with computed values shown as "…".
    static std::string message_title(const message& m) {
        std::string text;
        int depth = 0; // parenthesised asides (element and attribute names, examples) are left out
        for (const message_part& part : m) {
            if (part.type != message_part::kind::text) {
                if (depth == 0) text += "…";
                continue;
            }
            for (char c : part.text) {
                if (c == '(') ++depth;
                else if (c == ')' && depth > 0) --depth;
                else if (depth == 0) text += c;
            }
        }
        text = normalize_space(text);
        for (const char* p : {" .", " ,", " :", " ;"})
            for (size_t at; (at = text.find(p)) != std::string::npos;) text.erase(at, 1);
        for (size_t i = 0; i + 1 < text.size(); ++i)
            if ((text[i] == '.' || text[i] == ':' || text[i] == ';') && text[i + 1] == ' ') return text.substr(0, i);
        if (!text.empty() && text.back() == '.') text.pop_back();
        return text;
    }

    message compile_message(pugi::xml_node el) {
        message m;
        append_message(el, m);
        return m;
    }

    void append_message(pugi::xml_node el, message& m) {
        for (pugi::xml_node c : el.children()) {
            if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
                m.push_back({message_part::kind::text, c.value(), {}});
            } else if (is(c, "sch:value-of") || is(c, "xsl:value-of")) {
                m.push_back({message_part::kind::value_of, {}, compile_attr(c, "select", true)});
            } else if (is(c, "sch:name")) {
                m.push_back({message_part::kind::name, {}, compile_attr(c, "path", false)});
            } else if (is(c, "xsl:copy-of")) {
                m.push_back({message_part::kind::copy_of, {}, compile_attr(c, "select", true)});
            } else if (c.type() == pugi::node_element) {
                append_message(c, m);
            }
        }
    }

    std::vector<ref_def> compile_refs(pugi::xml_node at, const char* attr, std::map<std::string, pugi::xml_node>& table,
                                      bool property) {
        std::vector<ref_def> out;
        for (const std::string& id : split_ws(at.attribute(attr).value())) {
            auto it = table.find(id);
            if (it == table.end())
                schema_error(at, std::string(property ? "property" : "diagnostic") + " '" + id + "' is not defined");
            ref_def r;
            r.id = id;
            r.role = it->second.attribute("role").value();
            r.scheme = it->second.attribute("scheme").value();
            for (const char* a : {"xml:lang", "fpi", "icon", "see"})
                if (pugi::xml_attribute v = it->second.attribute(a)) r.attributes.emplace_back(a, v.value());
            if (params_.empty()) {
                r.text = compile_message(it->second);
            } else {
                // Inside an instance of an abstract pattern: its parameters apply here too.
                pugi::xml_document tmp;
                pugi::xml_node copy = tmp.append_copy(it->second);
                substitute_params(copy, params_);
                r.text = compile_message(copy);
            }
            out.push_back(std::move(r));
        }
        return out;
    }

    static const char* lang_of(pugi::xml_node n) {
        for (; n; n = n.parent())
            if (pugi::xml_attribute a = n.attribute("xml:lang")) return a.value();
        return "";
    }

    check_def compile_check(pugi::xml_node c, const std::string& pattern_id) {
        check_def d;
        d.id = c.attribute("id").value();
        d.role = c.attribute("role").value();
        d.flag = c.attribute("flag").value();
        d.lang = lang_of(c);
        d.level = severity_from_role(d.role);
        d.citation = c.attribute("cd:citation").value();
        if (d.citation.empty()) d.citation = c.attribute("citation").value();
        d.text = compile_message(c);
        d.diagnostics = compile_refs(c, "diagnostics", diagnostics_, false);
        d.properties = compile_refs(c, "properties", properties_, true);
        d.when = compile_attr(c, "when", false);
        if (is(c, "sch:assert") || is(c, "sch:report")) {
            d.report = is(c, "sch:report");
            d.test = compile_attr(c, "test", true);
            d.test_source = d.test.source;
            d.applies = compile_attr(c, "cd:when", false);
            d.due_on = compile_attr(c, "cd:due", false);
            d.done = compile_attr(c, "cd:done", false);
            d.due_from = compile_attr(c, "cd:due-from", false);
            if (!d.due_on && (d.done || d.due_from)) schema_error(c, "cd:done and cd:due-from need cd:due");
        } else if (is(c, "cd:field")) {
            d.kind = check_kind::field;
            d.path = compile_attr(c, "path", true);
            d.field.type = c.attribute("type").as_string("string");
            static const std::set<std::string> types = {"string", "date",    "date-time", "duration",
                                                        "enum",   "pattern", "integer",   "boolean"};
            if (!types.count(d.field.type)) schema_error(c, "cd:field type '" + d.field.type + "' is not known");
            d.field.values = split_ws(c.attribute("values").value());
            if (d.field.type == "enum" && d.field.values.empty()) schema_error(c, "cd:field type enum needs @values");
            if (d.field.type == "pattern") {
                try {
                    d.field.pattern.emplace(c.attribute("pattern").value(),
                                            std::regex::ECMAScript | std::regex::optimize);
                } catch (const std::regex_error& e) {
                    schema_error(c, std::string("cd:field @pattern is not a regular expression: ") + e.what());
                }
            }
            d.field.required = c.attribute("required").as_bool(false);
            d.test_source =
                "cd:field(" + d.path.source + ", " + d.field.type + (d.field.required ? ", required" : "") + ")";
        } else if (is(c, "cd:deadline")) {
            d.kind = check_kind::deadline;
            d.anchor = compile_attr(c, "anchor", true);
            d.target = compile_attr(c, "target", true);
            d.within = compile_attr(c, "within", true);
            d.extension = compile_attr(c, "extension", false);
            d.as_of = compile_attr(c, "as-of", false);
            d.excused_by = compile_attr(c, "excused-by", false);
            d.deadline.unit = c.attribute("unit").as_string("calendar-days");
            static const std::set<std::string> units = {"calendar-days", "business-days", "hours", "calendar-months"};
            if (!units.count(d.deadline.unit))
                schema_error(c, "cd:deadline unit '" + d.deadline.unit + "' is not known");
            d.test_source = "cd:deadline(" + d.target.source + " within " + d.within.source + " " + d.deadline.unit +
                            " of " + d.anchor.source + ")";
        } else if (is(c, "cd:recurrence")) {
            d.kind = check_kind::recurrence;
            d.from = compile_attr(c, "from", true);
            d.to = compile_attr(c, "to", true);
            d.events = compile_attr(c, "events", true);
            d.as_of = compile_attr(c, "as-of", false);
            if (d.events.return_type() != pugi::xpath_type_node_set)
                schema_error(c, "cd:recurrence/@events must select nodes");
            d.date = c.attribute("date") ? compile_attr(c, "date", true) : compile_xpath(c, "date", "@date");
            d.recurrence.every = c.attribute("every").as_string("calendar-month");
            d.recurrence.min = c.attribute("min").as_int(1);
            int n;
            std::string unit;
            if (!parse_every(d.recurrence.every, n, unit))
                schema_error(c, "cd:recurrence every='" + d.recurrence.every +
                                    "': expected calendar-month, 'N days' or 'N months'");
            d.test_source = "cd:recurrence(" + d.events.source + " every " + d.recurrence.every + " from " +
                            d.from.source + " to " + d.to.source + ")";
        }
        const char* kinds[] = {"assert", "field", "deadline", "recurrence"};
        // The rule's name as a requirement (cd:title on sch:assert/report, title on the cd: checks), else
        // the first sentence of its message.
        std::string title = normalize_space(c.attribute("cd:title").value());
        const schema_origin where = origin_of(c);
        if (title.empty() && !is(c, "sch:assert") && !is(c, "sch:report"))
            title = normalize_space(c.attribute("title").value());
        s_.rule_list.push_back({d.id, d.citation, pattern_id, d.level,
                                d.kind == check_kind::assertion ? (d.report ? "report" : "assert")
                                                                : kinds[static_cast<int>(d.kind)],
                                title.empty() ? message_title(d.text) : title, where.file, where.line, where.column});
        return d;
    }

    pattern_def compile_pattern(pugi::xml_node p) {
        pattern_def def;
        def.id = p.attribute("id").value();
        def.name = p.attribute("name").value();
        if (def.name.empty())
            if (pugi::xml_node t = p.child("sch:title")) def.name = normalize_space(t.text().get());
        def.lang = lang_of(p);
        params_.clear();
        if (pugi::xml_node pe = p.child(params_element))
            for (pugi::xml_attribute a : pe.attributes())
                if (std::strcmp(a.name(), source_attr) != 0) params_[a.name()] = a.value();
        scopes_.emplace_back();
        for (pugi::xml_node l : p.children("sch:let")) def.lets.push_back(compile_let(l, false));
        def.documents = compile_attr(p, "documents", false); // in the scope of the pattern's lets

        std::vector<std::pair<std::string, index_entry>> named_elements, named_attributes;
        std::vector<index_entry> any_element, any_attribute, any_node;
        for (pugi::xml_node r : p.children("sch:rule")) {
            rule_def rule;
            rule.id = r.attribute("id").value();
            rule.role = r.attribute("role").value();
            rule.flag = r.attribute("flag").value();
            rule.context = r.attribute("context").value();
            if (rule.context.empty()) schema_error(r, "sch:rule needs a @context");
            const uint32_t ri = static_cast<uint32_t>(def.rules.size());
            const std::vector<std::string> alts = split_top_level(rule.context, '|');
            for (uint32_t ai = 0; ai < alts.size(); ++ai) {
                compiled_alternative ca;
                try {
                    ca = translate_pattern_alternative(default_prefix_.empty() ? alts[ai] : unprefixed(alts[ai]));
                } catch (const std::invalid_argument& e) {
                    schema_error(r, "rule context \"" + rule.context + "\": " + e.what());
                }
                rule.matchers.push_back(ca.matcher.empty() ? query{} : compile_xpath(r, "context", ca.matcher, true));
                if (!ca.matcher.empty()) rule.matchers.back().source = alts[ai];
                const index_entry e{ri, ai};
                std::string name = ca.name;
                const bool wildcard = name.empty() || name == "*" || name.find(":*") != std::string::npos;
                using k = compiled_alternative::kind;
                switch (ca.node_kind) {
                case k::element:
                    if (wildcard) any_element.push_back(e);
                    else named_elements.emplace_back(name, e);
                    break;
                case k::attribute:
                    if (wildcard) any_attribute.push_back(e);
                    else named_attributes.emplace_back(name, e);
                    break;
                case k::text: def.text.push_back(e); break;
                case k::comment: def.comment.push_back(e); break;
                case k::pi: def.pi.push_back(e); break;
                case k::root: def.root.push_back(e); break;
                case k::any_node: any_node.push_back(e); break;
                }
                if (wildcard && name.find(":*") != std::string::npos && !rule.matchers.back())
                    rule.matchers.back() = compile_xpath(r, "context", "boolean(self::" + name + ")", true);
            }
            scopes_.emplace_back();
            for (pugi::xml_node c : r.children()) {
                if (is(c, "sch:let")) rule.lets.push_back(compile_let(c, false, true));
                else if (is(c, "sch:assert") || is(c, "sch:report") || is(c, "cd:field") || is(c, "cd:deadline") ||
                         is(c, "cd:recurrence"))
                    rule.checks.push_back(compile_check(c, def.id));
                else if (c.type() == pugi::node_element && std::strncmp(c.name(), "cd:", 3) == 0)
                    schema_error(c, std::string("unknown casedoc extension element ") + c.name());
            }
            scopes_.pop_back();
            def.rules.push_back(std::move(rule));
        }
        scopes_.pop_back();

        // Index: per name, the named entries plus the wildcards, in rule order.
        auto build = [](name_index& idx, const std::vector<std::pair<std::string, index_entry>>& named,
                        std::vector<index_entry> wild) {
            std::sort(wild.begin(), wild.end());
            idx.any = wild;
            for (const auto& [name, e] : named) idx.by_name[name].push_back(e);
            for (auto& [name, list] : idx.by_name) {
                list.insert(list.end(), wild.begin(), wild.end());
                std::sort(list.begin(), list.end());
            }
        };
        std::vector<index_entry> elements_wild = any_element;
        elements_wild.insert(elements_wild.end(), any_node.begin(), any_node.end());
        build(def.elements, named_elements, elements_wild);
        build(def.attributes, named_attributes, any_attribute);
        for (auto* list : {&def.text, &def.comment, &def.pi}) {
            list->insert(list->end(), any_node.begin(), any_node.end());
            std::sort(list->begin(), list->end());
        }
        return def;
    }

    schema::impl& s_;
    const schema_options& opt_;
    std::vector<std::map<std::string, std::string>> scopes_;
    std::map<std::string, pugi::xml_node> diagnostics_, properties_;
    std::map<std::string, unsigned> aux_ids_;
    std::vector<std::pair<unsigned, uint32_t>> pending_aux_; // a document, and the variable that holds it
    std::map<std::string, std::string> params_; // of the abstract pattern instance being compiled
    std::map<std::string, pugi::xml_node> let_nodes_; // each let's declaration, by its internal name
    std::map<std::string, key_declarations> keys_;     // xsl:key by name
    bool default_namespace_;
    std::string default_prefix_; // the prefix whose element names are compiled unprefixed
    unsigned counter_ = 0;
};

std::unique_ptr<schema::impl> compile_once(std::string text, const std::string& uri, const schema_options& options,
                                           bool default_namespace) {
    auto p = std::make_unique<schema::impl>();
    p->meta.file = uri;
    xml_document dom = load_schema_document(std::move(text), uri, options, &p->warnings);
    compiler c(*p, options, default_namespace);
    c.compile(dom.root());
    c.finish_aux_documents();
    p->index_patterns();
    return p;
}

} // namespace

// Records name their elements in a default namespace, schemas with a prefix (r:note). Rather than rename every
// element of every record, the schema is compiled with its first namespace's element names unprefixed; only
// when its expressions cannot be (an element in no namespace, prefix:*, name()) is it compiled as written.
std::unique_ptr<schema::impl> detail::compile_schema(std::string text, const std::string& uri,
                                                     const schema_options& options) {
    std::unique_ptr<schema::impl> p;
    try {
        p = compile_once(text, uri, options, true);
    } catch (const no_default_namespace&) {
        p = compile_once(std::move(text), uri, options, false);
    }
    return p;
}

} // namespace casedoc
