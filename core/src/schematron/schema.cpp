#include <casedoc/base/error.hpp>
#include <casedoc/schematron/schema.hpp>

#include "direct_xpath.hpp"
#include <casedoc/xml/document_view.hpp>
#include "extension_checks.hpp"
#include <casedoc/base/hashing.hpp>
#include "schema_loader.hpp"
#include "xpath_rewrite.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>
#include <sstream>
#include <unordered_map>

namespace casedoc {

using namespace detail;

namespace {

// A node being checked: its pugixml node, and its place in the view of its document (at.e == none when the
// view does not have it: a text node, a node of a subordinate document).
struct context {
    pugi::xpath_node node; // may be left empty for a node in the view, which finds it when asked
    document_view::place at;

    pugi::xpath_node pugi(const document_view& view) const {
        return node || at.e == document_view::none ? node : view.node(at);
    }
};

// A node-set let the direct evaluator holds as places (held_nodes, direct_xpath.hpp). Its pugixml variable is
// stale until an expression that reads it is given to pugixml: sync() then writes the places into it.
struct held_let {
    held_nodes value;
    pugi::xpath_variable* var = nullptr;
    bool stale = false;

    void sync(const document_view& view) {
        if (!stale) return;
        std::vector<pugi::xpath_node> nodes;
        nodes.reserve(value.places.size());
        for (const document_view::place& p : value.places) nodes.push_back(view.node(p));
        var->set(pugi::xpath_node_set(nodes.data(), nodes.data() + nodes.size(), pugi::xpath_node_set::type_sorted));
        stale = false;
    }
};

// A compiled XPath. The commonest shapes are also compiled for direct evaluation (direct_xpath.hpp), which
// answers them on the schema's view of the document being validated, without the XPath engine's per-call
// set-up; pugixml evaluates the rest.
struct query {
    std::string source;
    std::unique_ptr<pugi::xpath_query> q;
    std::unique_ptr<direct_xpath> direct;
    const document_view* view = nullptr; // the schema's
    std::vector<held_let*> reads;        // the held lets it reads: their pugixml variables synced before pugixml
    const held_let* held = nullptr;      // the whole expression is a node-set $variable that may be held
    bool uses_current = false;
    const pugi::xpath_variable* variable = nullptr; // the whole expression is $variable
    explicit operator bool() const { return q != nullptr; }

    // Whether the direct evaluator may try this context.
    bool walks(const context& c) const { return direct && c.at.e != document_view::none; }
    // pugixml's query, the variables it reads up to date.
    const pugi::xpath_query& pugixml() const {
        sync();
        return *q;
    }
    void sync() const {
        for (held_let* h : reads) h->sync(*view);
    }

    std::string string(const context& c) const {
        if (walks(c))
            if (auto s = direct->string(*view, c.at)) return std::move(*s);
        return pugixml().evaluate_string(c.pugi(*view));
    }
    // string(), in place where it can be, else built in `buffer`.
    std::string_view text(const context& c, std::string& buffer) const {
        if (walks(c))
            if (auto s = direct->text(*view, c.at, buffer)) return *s;
        buffer = pugixml().evaluate_string(c.pugi(*view));
        return buffer;
    }
    double number(const context& c) const {
        if (variable && variable->type() == pugi::xpath_type_number) return variable->get_number();
        if (walks(c))
            if (auto x = direct->number(*view, c.at)) return *x;
        return pugixml().evaluate_number(c.pugi(*view));
    }
    bool boolean(const context& c) const {
        if (walks(c))
            if (auto b = direct->boolean(*view, c.at)) return *b;
        return pugixml().evaluate_boolean(c.pugi(*view));
    }
    pugi::xpath_node_set nodes(const context& c) const {
        if (variable && variable->type() == pugi::xpath_type_node_set) {
            sync();
            return variable->get_node_set();
        }
        if (walks(c))
            if (auto x = direct->nodes(*view, c.at)) return std::move(*x);
        return pugixml().evaluate_node_set(c.pugi(*view));
    }
    // The nodes as places in the view, into `out`; false when some are not in it (or pugixml has to say).
    bool places(const context& c, std::vector<document_view::place>& out) const {
        if (held && held->value.valid) {
            out = held->value.places;
            return true;
        }
        return walks(c) && direct->places(*view, c.at, out);
    }
};

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

struct message_part {
    enum class kind { text, value_of, name, copy_of } type = kind::text;
    std::string text;
    query q;
};
using message = std::vector<message_part>;

struct let_def {
    pugi::xpath_variable* var = nullptr;
    query value;
    bool fixed = false;        // a parameter overridden by the agency
    held_let* held = nullptr;  // a node-set let: its value as places when evaluated directly
};

struct ref_def {
    std::string id, role, scheme;
    std::vector<std::pair<std::string, std::string>> attributes;
    message text;
};

enum class check_kind { assertion, field, deadline, recurrence };

struct check_def {
    check_kind kind = check_kind::assertion;
    bool report = false;
    std::string id, role, flag, lang, test_source, citation;
    severity level = severity::error;
    query test;
    message text;
    std::vector<ref_def> diagnostics, properties;
    query applies; // cd:when on an assert or report: when false, the check does not apply to the node
    uint32_t rule = UINT32_MAX; // index into the schema's rule list (for tallies); UINT32_MAX: no id
    // Extension checks.
    query when, path, anchor, target, within, extension, as_of, excused_by, from, to, events, date;
    field_spec field;
    deadline_spec deadline;
    recurrence_spec recurrence;
};

struct rule_def {
    std::string id, context, role, flag;
    std::vector<let_def> lets;
    std::vector<check_def> checks;
    std::vector<query> matchers; // one per alternative of the context; empty query: the index decides
};

struct index_entry {
    uint32_t rule, alt;
    friend bool operator<(const index_entry& a, const index_entry& b) {
        return a.rule != b.rule ? a.rule < b.rule : a.alt < b.alt;
    }
};

// Element and attribute names: short, hashed once per node of a document walked without its view (subordinate
// documents, schemas with rules for text, comments or PIs), so inline FNV-1a rather than std::hash's
// out-of-line _Hash_bytes.
struct string_hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return static_cast<size_t>(detail::fnv1a64(s)); }
};

struct name_index {
    std::unordered_map<std::string, std::vector<index_entry>, string_hash, std::equal_to<>> by_name;
    std::vector<index_entry> any;
    bool empty() const { return by_name.empty() && any.empty(); }
    const std::vector<index_entry>& lookup(std::string_view name) const {
        if (by_name.empty()) return any;
        auto it = by_name.find(name);
        return it == by_name.end() ? any : it->second;
    }
};

struct pattern_def {
    std::string id, name, lang;
    query documents;
    std::vector<let_def> lets;
    std::vector<rule_def> rules;
    name_index elements, attributes;
    std::vector<index_entry> text, comment, pi, root;
};

bool is(pugi::xml_node n, const char* qname) { return n.type() == pugi::node_element && std::strcmp(n.name(), qname) == 0; }

pugi::xpath_node_set single(const pugi::xpath_node& n) { return pugi::xpath_node_set(&n, &n + 1); }

std::vector<std::string> split_ws(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream ss(s);
    for (std::string w; ss >> w;) out.push_back(w);
    return out;
}

} // namespace

struct schema::impl {
    schema_metadata meta;
    namespace_bindings ns;       // the schema's sch:ns
    namespace_bindings bindings; // what documents are canonicalised to: ns, or ns with its first namespace
                                 // as the default (its element names compiled unprefixed)
    std::vector<rule_info> rule_list;
    std::string phase, title, schema_version;
    pugi::xpath_variable_set vars;
    pugi::xpath_variable* current = nullptr;
    bool uses_current = false; // some expression of the schema calls current()
    std::vector<let_def> schema_lets, phase_lets;
    std::vector<pattern_def> patterns;
    std::vector<std::unique_ptr<xml_document>> aux_docs;
    std::map<std::string, pugi::xpath_variable*> facts;
    std::map<std::string, std::string> param_values;
    // The document being validated, as the direct evaluator and the rule index read it; its names are the ones
    // the schema's expressions and rule contexts use.
    name_table names;
    document_view view;
    // The node-set lets that may be held (their values cleared after each document).
    std::vector<std::unique_ptr<held_let>> held_lets;

    // One walk of a document serves every pattern: per node name, each pattern's candidate rules
    // (nullptr: none), and per pattern the nodes that have candidates, in document order.
    using candidates = const std::vector<index_entry>*;
    struct pending {
        context node;
        candidates rules;
    };
    // For a node: the patterns that have rules for it, each with its candidate rules (patterns without any
    // are left out, so queuing a node costs what it matches).
    using slots = std::vector<std::pair<size_t, candidates>>;
    std::unordered_map<std::string, slots, string_hash, std::equal_to<>> element_rules, attribute_rules;
    std::vector<const slots*> element_rules_by_id, attribute_rules_by_id; // by name_table number; nullptr: any
    slots any_element_rules, any_attribute_rules, text_rules, comment_rules, pi_rules, root_rules;
    bool has_attribute_rules = false;
    std::vector<std::vector<pending>> queues;

    void index_patterns();
    void collect(xml_document& doc);
    void try_rules(pattern_def& p, const std::vector<index_entry>& rules, const context& n, xml_document& doc,
                   const validate_options& o, validation_result& r);

    // A node with its place in the view (none when it is not there).
    context in_view(const pugi::xpath_node& x) const { return {x, view.place_of(x)}; }

    void eval_let(let_def& l, const context& ctx) {
        if (l.fixed) return;
        switch (l.var->type()) {
        case pugi::xpath_type_node_set:
            if (l.held) {
                held_let& h = *l.held;
                h.value.valid = l.value.places(ctx, h.value.places);
                h.stale = h.value.valid;
                if (h.value.valid) break;
            }
            l.var->set(l.value.nodes(ctx));
            break;
        case pugi::xpath_type_number: l.var->set(l.value.number(ctx)); break;
        case pugi::xpath_type_boolean: l.var->set(l.value.boolean(ctx)); break;
        default: { // pugixml copies a string it is given: not when it already holds it (the same author, note after note)
            const std::string v = l.value.string(ctx);
            if (v != l.var->get_string()) l.var->set(v.c_str());
            break;
        }
        }
    }

    void set_current(const context& c) {
        if (uses_current) current->set(single(c.pugi(view)));
    }

    svrl_text eval_message(const message& m, const pugi::xpath_node& n, const xml_document& doc) const;
    void run_pattern(size_t index, xml_document& doc, const validate_options& o, validation_result& r);
    void walk(pattern_def& p, xml_document& doc, const validate_options& o, validation_result& r);
    void fire(pattern_def& p, rule_def& rule, const context& n, xml_document& doc, const validate_options& o,
              validation_result& r);
    void emit(const pattern_def& p, const check_def& c, const pugi::xpath_node& n, xml_document& doc,
              const validate_options& o, validation_result& r, const std::string& detail, bool report);
};

namespace {

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

        // Facts and schema-level lets (parameters).
        for (const std::string& f : opt_.fact_names) {
            const std::string internal = "f" + std::to_string(counter_++);
            s_.facts[f] = s_.vars.add(internal.c_str(), pugi::xpath_type_string);
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
                if (!found) schema_error(a, "phase '" + phase + "' activates pattern '" + id + "', which does not exist");
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
        if (!default_prefix_.empty() && !names_done) text = unprefixed(text);
        out.uses_current = text.find("$__current") != std::string::npos;
        s_.uses_current |= out.uses_current;
        try {
            out.q = std::make_unique<pugi::xpath_query>(text.c_str(), &s_.vars);
        } catch (const pugi::xpath_exception& e) {
            schema_error(at, describe(at, what, source) + ": XPath error: " + e.what());
        }
        if (const std::string v = sole_name(text, '$'); !v.empty()) {
            out.variable = s_.vars.get(v.c_str());
            if (auto it = held_.find(out.variable); it != held_.end()) out.held = it->second;
        }
        const auto held_value = [&](const pugi::xpath_variable* v) -> const held_nodes* {
            const auto it = held_.find(v);
            return it == held_.end() ? nullptr : &it->second->value;
        };
        out.direct = direct_xpath::compile(text, s_.vars, s_.names, held_value);
        out.view = &s_.view;
        for (const std::string& v : referenced)
            if (auto it = held_.find(s_.vars.get(v.c_str())); it != held_.end()) out.reads.push_back(it->second);
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
        return std::string(id.empty() ? "" : "rule '" + id + "', ") + name + "/@" + what + "=\"" + source + "\"";
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
        pugi::xpath_variable* v = s_.vars.add(name.c_str(), pugi::xpath_type_node_set);
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
            var->set(single(pugi::xpath_node(d.dom())));
        }
    }

private:
    let_def compile_let(pugi::xml_node l, bool schema_level) {
        const std::string name = l.attribute("name").value();
        if (name.empty()) schema_error(l, "sch:let needs a @name");
        const std::string internal = "v" + std::to_string(counter_++);
        let_def def;
        if (schema_level) {
            if (auto it = opt_.params.find(name); it != opt_.params.end()) {
                const std::string& v = it->second;
                char* end = nullptr;
                const double num = std::strtod(v.c_str(), &end);
                const bool numeric = !v.empty() && end && *end == 0;
                def.var = s_.vars.add(internal.c_str(), numeric ? pugi::xpath_type_number : pugi::xpath_type_string);
                if (numeric) def.var->set(num);
                else def.var->set(v.c_str());
                def.fixed = true;
                s_.param_values[name] = v;
                scopes_.back()[name] = internal;
                return def;
            }
        }
        if (!l.attribute("value"))
            schema_error(l, "sch:let '" + name + "' has no @value (element content needs XSLT 3.0, not supported)");
        def.value = compile_xpath(l, "value", l.attribute("value").value());
        def.var = s_.vars.add(internal.c_str(), def.value.q->return_type());
        if (def.var->type() == pugi::xpath_type_node_set && def.value.direct) { // may be held as places
            s_.held_lets.push_back(std::make_unique<held_let>());
            def.held = s_.held_lets.back().get();
            def.held->var = def.var;
            held_[def.var] = def.held;
        }
        if (schema_level) {
            pugi::xml_document empty;
            try {
                s_.param_values[name] = def.value.q->evaluate_string(pugi::xpath_node(empty));
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
                    d.field.pattern.emplace(c.attribute("pattern").value(), std::regex::ECMAScript | std::regex::optimize);
                } catch (const std::regex_error& e) {
                    schema_error(c, std::string("cd:field @pattern is not a regular expression: ") + e.what());
                }
            }
            d.field.required = c.attribute("required").as_bool(false);
            d.test_source = "cd:field(" + d.path.source + ", " + d.field.type + (d.field.required ? ", required" : "") + ")";
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
            if (!units.count(d.deadline.unit)) schema_error(c, "cd:deadline unit '" + d.deadline.unit + "' is not known");
            d.test_source = "cd:deadline(" + d.target.source + " within " + d.within.source + " " + d.deadline.unit +
                            " of " + d.anchor.source + ")";
        } else if (is(c, "cd:recurrence")) {
            d.kind = check_kind::recurrence;
            d.from = compile_attr(c, "from", true);
            d.to = compile_attr(c, "to", true);
            d.events = compile_attr(c, "events", true);
            if (d.events.q->return_type() != pugi::xpath_type_node_set)
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
        if (title.empty() && !is(c, "sch:assert") && !is(c, "sch:report")) title = normalize_space(c.attribute("title").value());
        s_.rule_list.push_back({d.id, d.citation, pattern_id, d.level,
                                d.kind == check_kind::assertion ? (d.report ? "report" : "assert")
                                                                : kinds[static_cast<int>(d.kind)],
                                title.empty() ? message_title(d.text) : title});
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
        def.documents = compile_attr(p, "documents", false);
        for (pugi::xml_node l : p.children("sch:let")) def.lets.push_back(compile_let(l, false));

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
                if (wildcard && name.find(":*") != std::string::npos && rule.matchers.back().q == nullptr)
                    rule.matchers.back() = compile_xpath(r, "context", "boolean(self::" + name + ")", true);
            }
            scopes_.emplace_back();
            for (pugi::xml_node c : r.children()) {
                if (is(c, "sch:let")) rule.lets.push_back(compile_let(c, false));
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
    std::vector<std::pair<unsigned, pugi::xpath_variable*>> pending_aux_;
    std::map<const pugi::xpath_variable*, held_let*> held_; // node-set lets that may be held as places
    std::map<std::string, std::string> params_; // of the abstract pattern instance being compiled
    bool default_namespace_;
    std::string default_prefix_; // the prefix whose element names are compiled unprefixed
    unsigned counter_ = 0;
};

} // namespace

// --- evaluation -------------------------------------------------------------------------------

svrl_text schema::impl::eval_message(const message& m, const pugi::xpath_node& n, const xml_document& doc) const {
    svrl_text t;
    for (const message_part& part : m) {
        switch (part.type) {
        case message_part::kind::text: t.text += part.text; break;
        case message_part::kind::value_of: t.text += part.q.pugixml().evaluate_string(n); break;
        case message_part::kind::name:
            if (!part.q) {
                t.text += n.attribute() ? n.attribute().name() : doc.display_name(n.node());
            } else {
                t.text += part.q.pugixml().evaluate_string(n); // as SchXslt: the value the path selects
            }
            break;
        case message_part::kind::copy_of:
            if (part.q.q->return_type() != pugi::xpath_type_node_set) {
                t.text += part.q.pugixml().evaluate_string(n);
                break;
            }
            for (const pugi::xpath_node& x : part.q.pugixml().evaluate_node_set(n)) {
                if (x.attribute()) {
                    t.attributes.emplace_back(x.attribute().name(), x.attribute().value());
                } else if (x.node().type() == pugi::node_element) {
                    std::ostringstream ss;
                    x.node().print(ss, "", pugi::format_raw);
                    t.copied_xml += ss.str();
                } else {
                    t.text += x.node().value();
                }
            }
            break;
        }
    }
    return t;
}

void schema::impl::emit(const pattern_def& p, const check_def& c, const pugi::xpath_node& n, xml_document& doc,
                        const validate_options& o, validation_result& r, const std::string& detail, bool report) {
    svrl_text text = eval_message(c.text, n, doc);
    source_location where = doc.locate(n);
    if (o.svrl) {
        svrl_event e;
        e.type = report ? svrl_event::kind::successful_report : svrl_event::kind::failed_assert;
        e.id = c.id;
        e.role = c.role;
        e.flag = c.flag;
        e.lang = c.lang;
        e.test = c.test_source;
        e.location = where.path;
        e.text = text;
        if (!detail.empty()) e.text.text += (e.text.text.empty() ? "" : " ") + std::string("(") + detail + ")";
        for (const ref_def& d : c.diagnostics) e.diagnostics.push_back({d.id, d.role, d.scheme, eval_message(d.text, n, doc)});
        for (const ref_def& d : c.properties) e.properties.push_back({d.id, d.role, d.scheme, eval_message(d.text, n, doc)});
        for (size_t i = 0; i < c.diagnostics.size(); ++i)
            e.diagnostics[i].text.attributes.insert(e.diagnostics[i].text.attributes.begin(), c.diagnostics[i].attributes.begin(),
                                                    c.diagnostics[i].attributes.end());
        for (size_t i = 0; i < c.properties.size(); ++i)
            e.properties[i].text.attributes.insert(e.properties[i].text.attributes.begin(), c.properties[i].attributes.begin(),
                                                   c.properties[i].attributes.end());
        r.svrl.push_back(std::move(e));
    }
    finding f;
    f.rule_id = c.id;
    f.level = c.level;
    f.message = normalize_space(text.text);
    if (f.message.empty()) f.message = (report ? "report: " : "assertion failed: ") + c.test_source;
    if (!detail.empty()) f.message += " (" + detail + ")";
    f.citation = c.citation;
    f.where = std::move(where);
    f.pattern = p.id;
    f.record_id = o.record_id;
    r.findings.push_back(std::move(f));
}

void schema::impl::fire(pattern_def& p, rule_def& rule, const context& n, xml_document& doc,
                        const validate_options& o, validation_result& r) {
    set_current(n);
    for (let_def& l : rule.lets) eval_let(l, n);
    if (o.svrl) {
        svrl_event e;
        e.type = svrl_event::kind::fired_rule;
        e.id = rule.id;
        e.role = rule.role;
        e.flag = rule.flag;
        e.context = rule.context;
        e.document = doc.name();
        r.svrl.push_back(std::move(e));
    }
    // With tallies, every check that applies to the node counts for its rule, and each failure.
    auto tally = [&](const check_def& c, bool failed) {
        if (!o.tally || c.rule == UINT32_MAX) return;
        rule_tally& t = r.tally[c.rule];
        ++t.evaluated;
        t.failed += failed;
    };
    for (const check_def& c : rule.checks) {
        if (c.kind == check_kind::assertion) {
            if (c.applies && !c.applies.boolean(n)) continue;
            const bool failed = c.report == c.test.boolean(n);
            tally(c, failed);
            if (failed) emit(p, c, n.pugi(view), doc, o, r, {}, c.report);
            continue;
        }
        if (c.when && !c.when.boolean(n)) continue;
        check_outcome out;
        if (c.kind == check_kind::field) {
            std::string buffer; // the value of an attribute is read in place
            const std::string_view value = c.path.text(n, buffer);
            out = check_field(c.field, !value.empty(), value);
        } else if (c.kind == check_kind::deadline) {
            std::string anchor_buffer, target_buffer, as_of_buffer;
            const std::string_view anchor = c.anchor.text(n, anchor_buffer);
            if (anchor.empty()) continue; // no anchor event: not applicable
            std::vector<extension_window> ext;
            if (c.extension)
                for (const pugi::xpath_node& x : c.extension.nodes(n))
                    ext.push_back({x.node().attribute("agreed-at").value(), x.node().attribute("until").value()});
            deadline_spec spec = c.deadline;
            spec.within = c.within.number(n);
            const auto excused = [&] { return c.excused_by && c.excused_by.boolean(n); };
            out = check_deadline(spec, anchor, c.target.text(n, target_buffer), ext,
                                 c.as_of ? c.as_of.text(n, as_of_buffer) : std::string_view(), excused);
        } else {
            std::string from_buffer, to_buffer;
            const std::string_view from = c.from.text(n, from_buffer);
            if (from.empty()) continue;
            std::vector<context> events;
            if (std::vector<document_view::place> at; c.events.places(n, at))
                for (const document_view::place& x : at) events.push_back({{}, x});
            else
                for (const pugi::xpath_node& x : c.events.nodes(n)) events.push_back(in_view(x));
            std::vector<std::string> buffers(events.size()); // for dates that are not read in place
            std::vector<std::string_view> dates;
            dates.reserve(events.size());
            for (size_t i = 0; i < events.size(); ++i) dates.push_back(c.date.text(events[i], buffers[i]));
            out = check_recurrence(c.recurrence, from, c.to.text(n, to_buffer), dates);
        }
        if (!out.applicable) continue;
        tally(c, out.failed);
        if (o.tally && out.measured && c.rule != UINT32_MAX) {
            timing_measure m;
            m.rule = c.rule;
            m.met = !out.failed;
            m.documented = out.documented;
            m.hours = out.hours;
            m.elapsed = out.elapsed;
            m.limit = out.limit;
            m.periods = out.periods;
            m.periods_met = out.periods_met;
            m.deadline = c.kind == check_kind::deadline;
            r.timings.push_back(m);
        }
        if (out.failed) emit(p, c, n.pugi(view), doc, o, r, out.detail, false);
    }
}

void schema::impl::try_rules(pattern_def& p, const std::vector<index_entry>& rules, const context& n,
                             xml_document& doc, const validate_options& o, validation_result& r) {
    for (const index_entry& e : rules) {
        rule_def& rule = p.rules[e.rule];
        const query& m = rule.matchers[e.alt];
        if (m.q) {
            if (m.uses_current) set_current(n);
            if (!m.boolean(n)) continue;
        }
        fire(p, rule, n, doc, o, r);
        return; // the first matching rule of a pattern wins
    }
}

namespace {

// Calls visit(node) for the document's descendants in document order (pre-order), without recursion.
template <class F> void for_each_descendant(pugi::xml_node document, F&& visit) {
    pugi::xml_node n = document.first_child();
    while (n) {
        visit(n);
        if (n.first_child()) {
            n = n.first_child();
            continue;
        }
        while (n && !n.next_sibling()) {
            n = n.parent();
            if (n == document) n = pugi::xml_node();
        }
        if (n) n = n.next_sibling();
    }
}

} // namespace

// The subordinate documents of a pattern with @documents are walked for that pattern alone.
void schema::impl::walk(pattern_def& p, xml_document& doc, const validate_options& o, validation_result& r) {
    const pugi::xml_node document = doc.dom();
    // Not in the view (it indexes the document being validated): pugixml evaluates every expression here.
    auto at = [](const pugi::xpath_node& x) { return context{x, {}}; };
    if (!p.root.empty()) try_rules(p, p.root, at(pugi::xpath_node(document)), doc, o, r);
    const bool attrs = !p.attributes.empty();
    for_each_descendant(document, [&](pugi::xml_node n) {
        switch (n.type()) {
        case pugi::node_element:
            if (const auto& c = p.elements.lookup(n.name()); !c.empty()) try_rules(p, c, at(pugi::xpath_node(n)), doc, o, r);
            if (attrs)
                for (pugi::xml_attribute a : n.attributes()) {
                    if (is_namespace_declaration(a.name())) continue;
                    if (const auto& c = p.attributes.lookup(a.name()); !c.empty())
                        try_rules(p, c, at(pugi::xpath_node(a, n)), doc, o, r);
                }
            break;
        case pugi::node_pcdata:
        case pugi::node_cdata:
            if (!p.text.empty()) try_rules(p, p.text, at(pugi::xpath_node(n)), doc, o, r);
            break;
        case pugi::node_comment:
            if (!p.comment.empty()) try_rules(p, p.comment, at(pugi::xpath_node(n)), doc, o, r);
            break;
        case pugi::node_pi:
            if (!p.pi.empty()) try_rules(p, p.pi, at(pugi::xpath_node(n)), doc, o, r);
            break;
        default: break;
        }
    });
}

void schema::impl::index_patterns() {
    const size_t n = patterns.size();
    auto add = [&](slots& out, size_t i, const std::vector<index_entry>& list) {
        if (!patterns[i].documents && !list.empty()) out.emplace_back(i, &list);
    };
    auto merge = [&](auto member, auto& by_name, slots& any) {
        any.clear();
        for (size_t i = 0; i < n; ++i) add(any, i, (patterns[i].*member).any);
        std::set<std::string, std::less<>> names;
        for (size_t i = 0; i < n; ++i)
            for (const auto& entry : (patterns[i].*member).by_name) names.insert(entry.first);
        by_name.clear();
        for (const std::string& name : names) {
            slots& list = by_name[name];
            for (size_t i = 0; i < n; ++i) add(list, i, (patterns[i].*member).lookup(name));
        }
    };
    merge(&pattern_def::elements, element_rules, any_element_rules);
    merge(&pattern_def::attributes, attribute_rules, any_attribute_rules);
    for (auto [map, by_id] : {std::pair{&element_rules, &element_rules_by_id}, std::pair{&attribute_rules, &attribute_rules_by_id}})
        for (const auto& [name, list] : *map) {
            const uint32_t id = names.add(name);
            if (by_id->size() <= id) by_id->resize(id + 1, nullptr);
            (*by_id)[id] = &list;
        }
    for (auto [member, out] : {std::pair{&pattern_def::text, &text_rules}, std::pair{&pattern_def::comment, &comment_rules},
                               std::pair{&pattern_def::pi, &pi_rules}, std::pair{&pattern_def::root, &root_rules}}) {
        out->clear();
        for (size_t i = 0; i < n; ++i) add(*out, i, patterns[i].*member);
    }
    has_attribute_rules = false;
    for (const pattern_def& p : patterns) has_attribute_rules |= !p.documents && !p.attributes.empty();
    queues.resize(n);
}

void schema::impl::collect(xml_document& doc) {
    for (auto& q : queues) q.clear();
    auto add = [&](const slots& lists, const context& x) {
        for (const auto& [pattern, rules] : lists) queues[pattern].push_back({x, rules});
    };
    const pugi::xml_node document = doc.dom();
    add(root_rules, context{pugi::xpath_node(document), {0, document_view::none}});
    if (text_rules.empty() && comment_rules.empty() && pi_rules.empty()) { // elements and attributes: the view has them
        for (uint32_t e = 1; e < view.elements(); ++e) {
            const document_view::element& el = view.at(e);
            const slots* rules = el.name < element_rules_by_id.size() ? element_rules_by_id[el.name] : nullptr;
            add(rules ? *rules : any_element_rules, context{{}, {e, document_view::none}});
            if (has_attribute_rules)
                for (uint32_t a = el.attributes; a < el.attributes_end; ++a) {
                    const document_view::attribute& at = view.attribute_at(a);
                    const slots* list = at.name < attribute_rules_by_id.size() ? attribute_rules_by_id[at.name] : nullptr;
                    add(list ? *list : any_attribute_rules, context{{}, {e, a}});
                }
        }
        return;
    }
    for_each_descendant(document, [&](pugi::xml_node n) {
        switch (n.type()) {
        case pugi::node_element: {
            const auto it = element_rules.find(std::string_view(n.name()));
            add(it == element_rules.end() ? any_element_rules : it->second, in_view(pugi::xpath_node(n)));
            if (has_attribute_rules)
                for (pugi::xml_attribute a : n.attributes()) {
                    if (is_namespace_declaration(a.name())) continue;
                    const auto at = attribute_rules.find(std::string_view(a.name()));
                    add(at == attribute_rules.end() ? any_attribute_rules : at->second, in_view(pugi::xpath_node(a, n)));
                }
            break;
        }
        case pugi::node_pcdata:
        case pugi::node_cdata: add(text_rules, context{pugi::xpath_node(n), {}}); break;
        case pugi::node_comment: add(comment_rules, context{pugi::xpath_node(n), {}}); break;
        case pugi::node_pi: add(pi_rules, context{pugi::xpath_node(n), {}}); break;
        default: break;
        }
    });
}

void schema::impl::run_pattern(size_t index, xml_document& doc, const validate_options& o, validation_result& r) {
    pattern_def& p = patterns[index];
    const pugi::xpath_node root(doc.dom());
    set_current(in_view(root));
    for (let_def& l : p.lets) eval_let(l, in_view(root));
    std::vector<std::unique_ptr<xml_document>> subordinate;
    std::string documents;
    if (p.documents) {
        set_current(in_view(root));
        for (const pugi::xpath_node& x : p.documents.pugixml().evaluate_node_set(root)) {
            const std::string href = x.attribute() ? x.attribute().value() : x.node().text().get();
            const std::string uri = resolve_uri(doc.name(), href);
            auto text = o.loader(uri);
            if (!text) throw error(doc.name(), "pattern '" + p.id + "': cannot read the subordinate document '" + uri + "'");
            auto sub = std::make_unique<xml_document>(xml_document::load_string(std::move(*text), uri));
            sub->canonicalize(bindings);
            documents += (documents.empty() ? "" : " ") + uri;
            subordinate.push_back(std::move(sub));
        }
    } else {
        documents = doc.name();
    }
    if (o.svrl) {
        svrl_event e;
        e.type = svrl_event::kind::active_pattern;
        e.id = p.id;
        e.name = p.name;
        e.documents = documents;
        r.svrl.push_back(std::move(e));
    }
    if (!p.documents)
        for (const pending& e : queues[index]) try_rules(p, *e.rules, e.node, doc, o, r);
    for (auto& sub : subordinate) walk(p, *sub, o, r);
}

// --- schema ----------------------------------------------------------------------------------------

schema::schema(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
schema::~schema() = default;

std::unique_ptr<schema> schema::load(const std::filesystem::path& file, const schema_options& options) {
    auto text = options.loader(file.string());
    if (!text) {
        std::error_code ec;
        throw error(file.string(), std::filesystem::exists(file, ec) ? "cannot read the schema file"
                                                                     : "no such schema file");
    }
    return load_text(std::move(*text), file.string(), options);
}

namespace {

std::unique_ptr<schema::impl> compile_schema(std::string text, const std::string& uri, const schema_options& options,
                                             bool default_namespace) {
    auto p = std::make_unique<schema::impl>();
    p->meta.file = uri;
    xml_document dom = load_schema_document(std::move(text), uri, options.loader);
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
std::unique_ptr<schema> schema::load_text(std::string text, const std::string& uri, const schema_options& options) {
    std::unique_ptr<impl> p;
    try {
        p = compile_schema(text, uri, options, true);
    } catch (const no_default_namespace&) {
        p = compile_schema(std::move(text), uri, options, false);
    }
    return std::unique_ptr<schema>(new schema(std::move(p)));
}

const schema_metadata& schema::metadata() const noexcept { return impl_->meta; }
const namespace_bindings& schema::namespaces() const noexcept { return impl_->ns; }
const std::vector<rule_info>& schema::rules() const noexcept { return impl_->rule_list; }

std::optional<std::string> schema::param(const std::string& name) const {
    auto it = impl_->param_values.find(name);
    if (it == impl_->param_values.end()) return std::nullopt;
    return it->second;
}

validation_result schema::validate(xml_document& doc, const validate_options& options) {
    impl& s = *impl_;
    doc.canonicalize(s.bindings);
    validation_result r;
    r.phase = s.phase;
    r.title = s.title;
    r.schema_version = s.schema_version;
    r.namespaces = s.ns;
    if (options.tally) r.tally.assign(s.rule_list.size(), rule_tally{});
    for (auto& [name, var] : s.facts) {
        const char* v = "";
        if (options.facts)
            if (auto it = options.facts->find(name); it != options.facts->end()) v = it->second.c_str();
        var->set(v);
    }
    s.view.build(doc.dom(), s.names);
    struct forget { // the view, and the lets held in its terms, point into the document: never past this call
        impl& s;
        ~forget() {
            for (const auto& h : s.held_lets) h->value = {}, h->stale = false;
            s.view.clear();
        }
    } forget_view{s};
    const pugi::xpath_node root(doc.dom());
    s.set_current(s.in_view(root));
    for (let_def& l : s.schema_lets) s.eval_let(l, s.in_view(root));
    for (let_def& l : s.phase_lets) s.eval_let(l, s.in_view(root));
    s.collect(doc);
    for (size_t i = 0; i < s.patterns.size(); ++i) s.run_pattern(i, doc, options, r);
    return r;
}

} // namespace casedoc
