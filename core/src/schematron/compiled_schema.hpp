// A schema once compiled (schema::impl), and its parts: patterns, rules, their checks and the messages those
// emit, each holding its compiled queries; per pattern, the index from a node's name to its candidate rules.
#ifndef CASEDOC_SCHEMATRON_COMPILED_SCHEMA_HPP
#define CASEDOC_SCHEMATRON_COMPILED_SCHEMA_HPP

#include <casedoc/schematron/schema.hpp>
#include <casedoc/schematron/schema_lint.hpp>

#include "extension_checks.hpp"
#include "query.hpp"

#include <casedoc/base/hashing.hpp>
#include <casedoc/xml/document_view.hpp>

#include <pugixml.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace casedoc::detail {

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
    // cd:due, cd:done and cd:due-from on an assert or report whose obligation falls due on a date (worklists):
    // the date, whether it is met already, and what the date is counted from.
    query due_on, done, due_from;
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

// A node-set of one node.
inline pugi::xpath_node_set single(const pugi::xpath_node& n) { return pugi::xpath_node_set(&n, &n + 1); }

} // namespace casedoc::detail

namespace casedoc {

// The compiled schema: read-only once compiled, but for the values of its variables and its view of the
// document being validated (one validation at a time).
struct schema::impl {
    schema_metadata meta;
    namespace_bindings ns;       // the schema's sch:ns
    namespace_bindings bindings; // what documents are canonicalised to: ns, or ns with its first namespace
                                 // as the default (its element names compiled unprefixed)
    std::vector<rule_info> rule_list;
    std::string phase, title, schema_version;
    std::vector<std::string> warnings; // schema::warnings()
    pugi::xpath_variable_set vars;
    pugi::xpath_variable* current = nullptr;
    bool uses_current = false; // some expression of the schema calls current()
    std::vector<detail::let_def> schema_lets, phase_lets;
    std::vector<detail::pattern_def> patterns;
    std::vector<std::unique_ptr<xml_document>> aux_docs;
    std::map<std::string, pugi::xpath_variable*> facts;
    std::map<std::string, std::string> param_values;
    // The document being validated, as the direct evaluator and the rule index read it; its names are the ones
    // the schema's expressions and rule contexts use.
    detail::name_table names;
    // The names the record being validated and the record format use, gathered at its first missing required
    // value (most records have none) to say what a mistyped path may have meant; reset after each validation.
    std::unique_ptr<record_vocabulary> vocabulary;
    detail::document_view view;
    // The node-set lets that may be held (their values cleared after each document).
    std::vector<std::unique_ptr<detail::held_let>> held_lets;

    // One walk of a document serves every pattern: per node name, each pattern's candidate rules
    // (nullptr: none), and per pattern the nodes that have candidates, in document order.
    using candidates = const std::vector<detail::index_entry>*;
    struct pending {
        detail::context node;
        candidates rules;
    };
    // For a node: the patterns that have rules for it, each with its candidate rules (patterns without any
    // are left out, so queuing a node costs what it matches).
    using slots = std::vector<std::pair<size_t, candidates>>;
    std::unordered_map<std::string, slots, detail::string_hash, std::equal_to<>> element_rules, attribute_rules;
    std::vector<const slots*> element_rules_by_id, attribute_rules_by_id; // by name_table number; nullptr: any
    slots any_element_rules, any_attribute_rules, text_rules, comment_rules, pi_rules, root_rules;
    bool has_attribute_rules = false;
    std::vector<std::vector<pending>> queues;

    validation_result validate(xml_document& doc, const validate_options& options);

    void index_patterns();
    void collect(xml_document& doc);
    void try_rules(detail::pattern_def& p, const std::vector<detail::index_entry>& rules, const detail::context& n,
                   xml_document& doc, const validate_options& o, validation_result& r);

    // A node with its place in the view (none when it is not there).
    detail::context in_view(const pugi::xpath_node& x) const { return {x, view.place_of(x)}; }

    void set_current(const detail::context& c);
    void eval_let(detail::let_def& l, const detail::context& ctx);
    svrl_text eval_message(const detail::message& m, const pugi::xpath_node& n, const xml_document& doc) const;
    void run_pattern(size_t index, xml_document& doc, const validate_options& o, validation_result& r);
    void walk(detail::pattern_def& p, xml_document& doc, const validate_options& o, validation_result& r);
    void fire(detail::pattern_def& p, detail::rule_def& rule, const detail::context& n, xml_document& doc,
              const validate_options& o, validation_result& r);
    std::string missing_value(const detail::check_def& c, const xml_document& doc);
    due_measure due_measure_of(const detail::check_def& c, const detail::context& n, const xml_document& doc) const;
    void due_assertion(const detail::check_def& c, const detail::context& n, xml_document& doc, validation_result& r);
    void emit(const detail::pattern_def& p, const detail::check_def& c, const pugi::xpath_node& n, xml_document& doc,
              const validate_options& o, validation_result& r, const std::string& detail, bool report,
              const pugi::xpath_node& at = {}); // `at`: where the finding points, when not at `n`
};

} // namespace casedoc

#endif
