// Validation with a compiled schema (compiled_schema.hpp): the nodes each pattern has candidate rules for, found
// in one walk of the document; the first matching rule fired, its checks evaluated and their failures emitted.
#include "compiled_schema.hpp"

#include "extension_checks.hpp"

#include <casedoc/base/error.hpp>
#include <casedoc/xml/record.hpp>
#include <casedoc/xml/xml_chars.hpp>

#include <cctype>
#include <set>
#include <sstream>

namespace casedoc {

using namespace detail;

validation_result schema::impl::validate(xml_document& doc, const validate_options& options) const {
    std::unique_ptr<state> st;
    {
        const std::lock_guard<std::mutex> lock(idle_mutex);
        if (!idle.empty()) {
            st = std::move(idle.back());
            idle.pop_back();
        }
    }
    if (!st) st = std::make_unique<state>(vars, queries, patterns.size());
    struct give_back { // the view, and the lets held in its terms, point into the document: never past this call
        const impl& s;
        std::unique_ptr<state>& st;
        ~give_back() {
            for (held_nodes& h : st->held)
                if (h.valid || h.stale) h = {};
            st->view.clear();
            st->vocabulary.reset();
            const std::lock_guard<std::mutex> lock(s.idle_mutex);
            s.idle.push_back(std::move(st));
        }
    } back{*this, st};
    validation_result r;
    run(*st, doc, options, r);
    return r;
}

void schema::impl::run(state& st, xml_document& doc, const validate_options& options, validation_result& r) const {
    doc.canonicalize(bindings);
    r.phase = phase;
    r.title = title;
    r.schema_version = schema_version;
    r.namespaces = ns;
    if (options.tally) r.tally.assign(rule_list.size(), rule_tally{});
    for (const auto& [name, var] : facts) {
        const char* v = "";
        if (options.facts)
            if (auto it = options.facts->find(name); it != options.facts->end()) v = it->second.c_str();
        st.variables[var]->set(v);
    }
    st.view.build(doc.dom(), names);
    const pugi::xpath_node root(doc.dom());
    set_current(st, in_view(st, root));
    for (const let_def& l : schema_lets) eval_let(st, l, in_view(st, root));
    for (const let_def& l : phase_lets) eval_let(st, l, in_view(st, root));
    collect(st, doc);
    for (size_t i = 0; i < patterns.size(); ++i) run_pattern(st, i, doc, options, r);
}

void schema::impl::set_current(state& st, const context& c) const {
    if (uses_current) st.variables[current]->set(single(c.pugi(st.view)));
}

void schema::impl::eval_let(state& st, const let_def& l, const context& ctx) const {
    if (l.fixed) return;
    pugi::xpath_variable* var = st.variables[l.var];
    switch (var->type()) {
    case pugi::xpath_type_node_set:
        if (l.held) {
            held_nodes& h = st.held[l.var];
            h.valid = l.value.places(st, ctx, h.places);
            h.stale = h.valid;
            if (h.valid) break;
        }
        var->set(l.value.nodes(st, ctx));
        break;
    case pugi::xpath_type_number: var->set(l.value.number(st, ctx)); break;
    case pugi::xpath_type_boolean: var->set(l.value.boolean(st, ctx)); break;
    default: { // pugixml copies a string it is given: not when it already holds it (the same author, note after note)
        const std::string v = l.value.string(st, ctx);
        if (v != var->get_string()) var->set(v.c_str());
        break;
    }
    }
}

svrl_text schema::impl::eval_message(state& st, const message& m, const pugi::xpath_node& n,
                                     const xml_document& doc) const {
    svrl_text t;
    for (const message_part& part : m) {
        switch (part.type) {
        case message_part::kind::text: t.text += part.text; break;
        case message_part::kind::value_of: t.text += part.q.pugixml(st).evaluate_string(n); break;
        case message_part::kind::name:
            if (!part.q) {
                t.text += n.attribute() ? n.attribute().name() : doc.display_name(n.node());
            } else {
                t.text += part.q.pugixml(st).evaluate_string(n); // as SchXslt: the value the path selects
            }
            break;
        case message_part::kind::copy_of:
            if (part.q.return_type() != pugi::xpath_type_node_set) {
                t.text += part.q.pugixml(st).evaluate_string(n);
                break;
            }
            for (const pugi::xpath_node& x : part.q.pugixml(st).evaluate_node_set(n)) {
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

void schema::impl::emit(state& st, const pattern_def& p, const check_def& c, const pugi::xpath_node& n,
                        xml_document& doc, const validate_options& o, validation_result& r, const std::string& detail,
                        bool report, const pugi::xpath_node& at) const {
    svrl_text text = eval_message(st, c.text, n, doc);
    source_location where = doc.locate(at ? at : n);
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
        for (const ref_def& d : c.diagnostics)
            e.diagnostics.push_back({d.id, d.role, d.scheme, eval_message(st, d.text, n, doc)});
        for (const ref_def& d : c.properties)
            e.properties.push_back({d.id, d.role, d.scheme, eval_message(st, d.text, n, doc)});
        for (size_t i = 0; i < c.diagnostics.size(); ++i)
            e.diagnostics[i].text.attributes.insert(e.diagnostics[i].text.attributes.begin(),
                                                    c.diagnostics[i].attributes.begin(),
                                                    c.diagnostics[i].attributes.end());
        for (size_t i = 0; i < c.properties.size(); ++i)
            e.properties[i].text.attributes.insert(e.properties[i].text.attributes.begin(),
                                                   c.properties[i].attributes.begin(),
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

// "required value is missing: nothing at r:visit/@face-to-fase; attribute '@face-to-fase' is not one the record
// format or this record uses: did you mean '@face-to-face'?": the path evaluated, and a name in it that looks
// like a typo of one the record has, with the schema lint's judgement of names.
std::string schema::impl::missing_value(state& st, const check_def& c, const xml_document& doc) const {
    std::string out = "required value is missing: nothing at " + c.path.source;
    std::string prefix;
    for (const auto& [p, uri] : ns)
        if (uri == record_ns && prefix.empty()) prefix = p;
    if (!st.vocabulary) {
        st.vocabulary = std::make_unique<record_vocabulary>();
        st.vocabulary->add_record(doc);
        st.vocabulary->add_types(meta.document_types);
    }
    for (const unknown_name& u : unknown_names(c.path.source, prefix, *st.vocabulary))
        if (!u.guess.empty())
            out += "; " + u.what + " '" + u.shown + "' is not one the record format or this record uses: did you mean '" +
                   u.guess + "'?";
    return out;
}

namespace {

// How a worklist names an anchor: "$removal" is "removal", "@service-at" "service-at"; a path selecting an event
// by its type is that type (r:events/r:event[@type = 'arrival'][1]/@date is "arrival"); anything else "anchor".
std::string anchor_label(const std::string& source) {
    std::string s = normalize_space(source);
    if (!s.empty() && (s[0] == '$' || s[0] == '@')) { // $removal, @service-at
        size_t e = 1;
        while (e < s.size() && (std::isalnum(static_cast<unsigned char>(s[e])) || s[e] == '-' || s[e] == '_')) ++e;
        if (e == s.size()) return s.substr(1);
    }
    if (const size_t t = s.find("@type"); t != std::string::npos) {
        const size_t q = s.find_first_of("'\"", t);
        if (q != std::string::npos) {
            const size_t q2 = s.find(s[q], q + 1);
            if (q2 != std::string::npos) return s.substr(q + 1, q2 - q - 1);
        }
    }
    return "anchor";
}

} // namespace

// What every due item of check `c` at node `n` shares: the rule, its citation and title, and the line.
due_measure schema::impl::due_measure_of(const state& st, const check_def& c, const context& n,
                                         const xml_document& doc) const {
    due_measure m;
    m.rule_id = c.id;
    m.citation = c.citation;
    m.rule = c.rule;
    const pugi::xpath_node at = n.pugi(st.view);
    m.line = doc.line_column(at.attribute() ? at.parent() : at.node()).first;
    if (c.rule != UINT32_MAX) m.title = rule_list[c.rule].title;
    return m;
}

// An assertion with cd:due, in a due list: overdue when it fails (validation reports it, at this node), pending by
// its date when it holds but its obligation is not met yet (cd:done false). A due value that is not a date gives
// nothing (the rule's own facts say why).
void schema::impl::due_assertion(state& st, const check_def& c, const context& n, xml_document& doc,
                                 validation_result& r) const {
    const bool failed = c.report == c.test.boolean(st, n);
    if (!failed && (!c.done || c.done.boolean(st, n))) return;
    std::string buffer;
    const std::string_view when = c.due_on.text(st, n, buffer);
    const auto t = parse_timestamp(when);
    if (!t) return;
    due_measure m = due_measure_of(st, c, n, doc);
    m.failed = failed;
    m.hours = t->has_time;
    m.utc = t->has_time && written_in_utc(when);
    m.due = t->has_time ? t->minutes : t->day();
    if (c.due_from) {
        std::string from_buffer;
        const std::string_view from = c.due_from.text(st, n, from_buffer);
        if (!from.empty()) m.anchor = anchor_label(c.due_from.source) + " " + std::string(from);
    }
    r.due.push_back(std::move(m));
}

void schema::impl::fire(state& st, const pattern_def& p, const rule_def& rule, const context& n, xml_document& doc,
                        const validate_options& o, validation_result& r) const {
    set_current(st, n);
    for (const let_def& l : rule.lets) eval_let(st, l, n);
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
        if (o.due && c.kind == check_kind::assertion && c.due_on) { // an assertion that falls due on a date
            if (c.applies && !c.applies.boolean(st, n)) continue;
            due_assertion(st, c, n, doc, r);
            continue;
        }
        if (o.due && (c.kind == check_kind::assertion || c.kind == check_kind::field)) continue;
        if (c.kind == check_kind::assertion) {
            if (c.applies && !c.applies.boolean(st, n)) continue;
            const bool failed = c.report == c.test.boolean(st, n);
            tally(c, failed);
            if (failed) emit(st, p, c, n.pugi(st.view), doc, o, r, {}, c.report);
            continue;
        }
        if (c.when && !c.when.boolean(st, n)) continue;
        check_outcome out;
        std::string ends_buffer;
        std::string_view ends; // the rule's own end (a deadline's as-of, a recurrence's to), for worklists
        bool utc = false;
        if (c.kind == check_kind::field) {
            std::string buffer; // the value of an attribute is read in place
            const std::string_view value = c.path.text(st, n, buffer);
            out = check_field(c.field, !value.empty(), value);
            if (out.missing) out.detail = missing_value(st, c, doc);
        } else if (c.kind == check_kind::deadline) {
            std::string anchor_buffer, target_buffer;
            const std::string_view anchor = c.anchor.text(st, n, anchor_buffer);
            if (anchor.empty()) continue; // no anchor event: not applicable
            std::vector<extension_window> ext;
            if (c.extension)
                for (const pugi::xpath_node& x : c.extension.nodes(st, n))
                    ext.push_back({x.node().attribute("agreed-at").value(), x.node().attribute("until").value()});
            deadline_spec spec = c.deadline;
            spec.within = c.within.number(st, n);
            const auto excused = [&] { return c.excused_by && c.excused_by.boolean(st, n); };
            ends = c.as_of ? c.as_of.text(st, n, ends_buffer) : std::string_view();
            out = check_deadline(spec, anchor, c.target.text(st, n, target_buffer), ext, ends, excused);
            utc = written_in_utc(anchor);
        } else {
            std::string from_buffer, to_buffer;
            const std::string_view from = c.from.text(st, n, from_buffer);
            if (from.empty()) continue;
            std::vector<context> events;
            if (std::vector<document_view::place> at; c.events.places(st, n, at))
                for (const document_view::place& x : at) events.push_back({{}, x});
            else
                for (const pugi::xpath_node& x : c.events.nodes(st, n)) events.push_back(in_view(st, x));
            std::vector<std::string> buffers(events.size()); // for dates that are not read in place
            std::vector<std::string_view> dates;
            dates.reserve(events.size());
            for (size_t i = 0; i < events.size(); ++i) dates.push_back(c.date.text(st, events[i], buffers[i]));
            std::string as_of_buffer;
            ends = c.to.text(st, n, to_buffer);
            out = check_recurrence(c.recurrence, from, ends, dates, c.as_of ? c.as_of.text(st, n, as_of_buffer) : std::string_view());
        }
        if (o.due && out.has_due && (out.failed || out.pending)) {
            due_measure m = due_measure_of(st, c, n, doc);
            m.deadline = c.kind == check_kind::deadline;
            m.failed = out.failed;
            m.hours = out.hours;
            m.utc = utc;
            m.due = out.due;
            m.anchor = due_from_text(out);
            if (m.deadline) m.anchor = anchor_label(c.anchor.source) + " " + m.anchor;
            m.extension = due_extension_text(out);
            m.ends = std::string(ends);
            if (out.has_next) { // a missed period, and the one now running: two items
                due_measure running = m;
                running.failed = false;
                running.due = out.next_due;
                running.anchor = due_from_text(out.next_from, out.next_from_point);
                running.extension.clear();
                r.due.push_back(std::move(m));
                r.due.push_back(std::move(running));
            } else {
                r.due.push_back(std::move(m));
            }
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
        if (!out.failed) continue;
        // A value of the wrong form is reported where it is written: the attribute, not its element.
        pugi::xpath_node at;
        if (c.kind == check_kind::field && !out.missing && c.path.return_type() == pugi::xpath_type_node_set) {
            const pugi::xpath_node_set selected = c.path.nodes(st, n);
            if (!selected.empty() && selected.first().attribute()) at = selected.first();
        }
        emit(st, p, c, n.pugi(st.view), doc, o, r, out.detail, false, at);
    }
}

void schema::impl::try_rules(state& st, const pattern_def& p, const std::vector<index_entry>& rules,
                             const context& n, xml_document& doc, const validate_options& o,
                             validation_result& r) const {
    for (const index_entry& e : rules) {
        const rule_def& rule = p.rules[e.rule];
        const query& m = rule.matchers[e.alt];
        if (m) {
            if (m.uses_current) set_current(st, n);
            if (!m.boolean(st, n)) continue;
        }
        fire(st, p, rule, n, doc, o, r);
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
void schema::impl::walk(state& st, const pattern_def& p, xml_document& doc, const validate_options& o,
                        validation_result& r) const {
    const pugi::xml_node document = doc.dom();
    // Not in the view (it indexes the document being validated): pugixml evaluates every expression here.
    auto at = [](const pugi::xpath_node& x) { return context{x, {}}; };
    if (!p.root.empty()) try_rules(st, p, p.root, at(pugi::xpath_node(document)), doc, o, r);
    const bool attrs = !p.attributes.empty();
    for_each_descendant(document, [&](pugi::xml_node n) {
        switch (n.type()) {
        case pugi::node_element:
            if (const auto& c = p.elements.lookup(n.name()); !c.empty())
                try_rules(st, p, c, at(pugi::xpath_node(n)), doc, o, r);
            if (attrs)
                for (pugi::xml_attribute a : n.attributes()) {
                    if (is_namespace_declaration(a.name())) continue;
                    if (const auto& c = p.attributes.lookup(a.name()); !c.empty())
                        try_rules(st, p, c, at(pugi::xpath_node(a, n)), doc, o, r);
                }
            break;
        case pugi::node_pcdata:
        case pugi::node_cdata:
            if (!p.text.empty()) try_rules(st, p, p.text, at(pugi::xpath_node(n)), doc, o, r);
            break;
        case pugi::node_comment:
            if (!p.comment.empty()) try_rules(st, p, p.comment, at(pugi::xpath_node(n)), doc, o, r);
            break;
        case pugi::node_pi:
            if (!p.pi.empty()) try_rules(st, p, p.pi, at(pugi::xpath_node(n)), doc, o, r);
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
    for (auto [map, by_id] :
         {std::pair{&element_rules, &element_rules_by_id}, std::pair{&attribute_rules, &attribute_rules_by_id}})
        for (const auto& [name, list] : *map) {
            const uint32_t id = names.add(name);
            if (by_id->size() <= id) by_id->resize(id + 1, nullptr);
            (*by_id)[id] = &list;
        }
    for (auto [member, out] :
         {std::pair{&pattern_def::text, &text_rules}, std::pair{&pattern_def::comment, &comment_rules},
          std::pair{&pattern_def::pi, &pi_rules}, std::pair{&pattern_def::root, &root_rules}}) {
        out->clear();
        for (size_t i = 0; i < n; ++i) add(*out, i, patterns[i].*member);
    }
    has_attribute_rules = false;
    for (const pattern_def& p : patterns) has_attribute_rules |= !p.documents && !p.attributes.empty();
}

void schema::impl::collect(state& st, xml_document& doc) const {
    for (auto& q : st.queues) q.clear();
    auto add = [&](const slots& lists, const context& x) {
        for (const auto& [pattern, rules] : lists) st.queues[pattern].push_back({x, rules});
    };
    const pugi::xml_node document = doc.dom();
    add(root_rules, context{pugi::xpath_node(document), {0, document_view::none}});
    if (text_rules.empty() && comment_rules.empty() && pi_rules.empty()) { // elements and attributes: the view has them
        for (uint32_t e = 1; e < st.view.elements(); ++e) {
            const document_view::element& el = st.view.at(e);
            const slots* rules = el.name < element_rules_by_id.size() ? element_rules_by_id[el.name] : nullptr;
            add(rules ? *rules : any_element_rules, context{{}, {e, document_view::none}});
            if (has_attribute_rules)
                for (uint32_t a = el.attributes; a < el.attributes_end; ++a) {
                    const document_view::attribute& at = st.view.attribute_at(a);
                    const slots* list =
                        at.name < attribute_rules_by_id.size() ? attribute_rules_by_id[at.name] : nullptr;
                    add(list ? *list : any_attribute_rules, context{{}, {e, a}});
                }
        }
        return;
    }
    for_each_descendant(document, [&](pugi::xml_node n) {
        switch (n.type()) {
        case pugi::node_element: {
            const auto it = element_rules.find(std::string_view(n.name()));
            add(it == element_rules.end() ? any_element_rules : it->second, in_view(st, pugi::xpath_node(n)));
            if (has_attribute_rules)
                for (pugi::xml_attribute a : n.attributes()) {
                    if (is_namespace_declaration(a.name())) continue;
                    const auto at = attribute_rules.find(std::string_view(a.name()));
                    add(at == attribute_rules.end() ? any_attribute_rules : at->second,
                        in_view(st, pugi::xpath_node(a, n)));
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

void schema::impl::run_pattern(state& st, size_t index, xml_document& doc, const validate_options& o,
                               validation_result& r) const {
    const pattern_def& p = patterns[index];
    const pugi::xpath_node root(doc.dom());
    set_current(st, in_view(st, root));
    for (const let_def& l : p.lets) eval_let(st, l, in_view(st, root));
    std::vector<std::unique_ptr<xml_document>> subordinate;
    std::string documents;
    if (p.documents) {
        set_current(st, in_view(st, root));
        std::vector<std::string> hrefs; // a node-set's string values, else the one URI a string names
        if (p.documents.return_type() != pugi::xpath_type_node_set)
            hrefs.push_back(p.documents.pugixml(st).evaluate_string(root));
        else
            for (const pugi::xpath_node& x : p.documents.pugixml(st).evaluate_node_set(root))
                hrefs.push_back(x.attribute() ? x.attribute().value() : x.node().text().get());
        for (const std::string& href : hrefs) {
            const std::string uri = resolve_uri(doc.name(), href);
            auto text = o.loader(uri);
            if (!text)
                throw error(doc.name(), "pattern '" + p.id + "': cannot read the subordinate document '" + uri + "'");
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
    if (!p.documents) {
        const bool timed = o.deadline != std::chrono::steady_clock::time_point::max();
        size_t tried = 0;
        for (const state::pending& e : st.queues[index]) {
            try_rules(st, p, *e.rules, e.node, doc, o, r);
            if (timed && ++tried % 16 == 0 && std::chrono::steady_clock::now() > o.deadline)
                throw error(doc.name(), "not checked: it took longer than the time allowed per record");
        }
    }
    for (auto& sub : subordinate) walk(st, p, *sub, o, r);
}

} // namespace casedoc
