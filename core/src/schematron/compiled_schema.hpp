// A schema once compiled (schema::impl) and its parts: patterns, rules, their checks and the messages those emit,
// each holding its compiled queries; per pattern, the index from a node's name to its candidate rules. And what
// each validation with it keeps of its own (validation_state).
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
#include <mutex>
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
    uint32_t var = 0; // its number (variables.hpp)
    query value;
    bool fixed = false; // a parameter overridden by the agency, or a let whose value is its element content
    bool held = false;  // a node-set let: its value held as places when evaluated directly
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

// What one validation at a time needs of its own: the variables' values, the view of the document, pugixml's
// compiled queries (query_state), and the nodes queued for each pattern. A schema keeps those its validations
// have finished with, one per thread that validated at once.
struct validation_state : detail::query_state {
    // One walk of a document serves every pattern: per pattern the nodes that have candidate rules, in document
    // order, each with its candidates.
    struct pending {
        detail::context node;
        const std::vector<detail::index_entry>* rules;
    };
    std::vector<std::vector<pending>> queues;
    // The names the record being validated and the record format use, gathered at its first missing required
    // value (most records have none) to say what a mistyped path may have meant; reset after each validation.
    std::unique_ptr<record_vocabulary> vocabulary;

    validation_state(const detail::variable_table& vars, size_t queries, size_t patterns)
        : query_state(vars, queries), queues(patterns) {}
};

// The compiled schema: read-only once compiled, and shared by every thread that validates with it; what a
// validation changes is in its validation_state.
struct schema::impl {
    schema_metadata meta;
    namespace_bindings ns;       // the schema's sch:ns
    namespace_bindings bindings; // what documents are canonicalised to: ns, or ns with its first namespace
                                 // as the default (its element names compiled unprefixed)
    std::vector<rule_info> rule_list;
    std::string phase, title, schema_version;
    std::vector<std::string> warnings; // schema::warnings()
    detail::variable_table vars;
    uint32_t current = 0;      // the variable current() reads
    bool uses_current = false; // some expression of the schema calls current()
    uint32_t queries = 0;      // how many queries were compiled (their ids are below it)
    std::vector<detail::let_def> schema_lets, phase_lets;
    std::vector<detail::pattern_def> patterns;
    std::vector<std::unique_ptr<xml_document>> aux_docs;
    std::map<std::string, uint32_t> facts; // the plugin's facts: their variables
    std::map<std::string, std::string> param_values;
    // The names the schema's expressions and rule contexts use: what the views of documents are built with.
    detail::name_table names;

    // For a node name: the patterns that have rules for it, each with its candidate rules (patterns without any
    // are left out, so queuing a node costs what it matches).
    using candidates = const std::vector<detail::index_entry>*;
    using slots = std::vector<std::pair<size_t, candidates>>;
    std::unordered_map<std::string, slots, detail::string_hash, std::equal_to<>> element_rules, attribute_rules;
    std::vector<const slots*> element_rules_by_id, attribute_rules_by_id; // by name_table number; nullptr: any
    slots any_element_rules, any_attribute_rules, text_rules, comment_rules, pi_rules, root_rules;
    bool has_attribute_rules = false;

    // The states of validations that have finished, for the next ones (validate() takes one or makes one).
    mutable std::mutex idle_mutex;
    mutable std::vector<std::unique_ptr<validation_state>> idle;

    validation_result validate(xml_document& doc, const validate_options& options) const;

    void index_patterns();

private:
    using state = validation_state;
    void run(state& st, xml_document& doc, const validate_options& options, validation_result& r) const;
    void collect(state& st, xml_document& doc) const;
    void try_rules(state& st, const detail::pattern_def& p, const std::vector<detail::index_entry>& rules,
                   const detail::context& n, xml_document& doc, const validate_options& o,
                   validation_result& r) const;

    // A node with its place in the view (none when it is not there).
    static detail::context in_view(const state& st, const pugi::xpath_node& x) { return {x, st.view.place_of(x)}; }

    void set_current(state& st, const detail::context& c) const;
    void eval_let(state& st, const detail::let_def& l, const detail::context& ctx) const;
    svrl_text eval_message(state& st, const detail::message& m, const pugi::xpath_node& n,
                           const xml_document& doc) const;
    void run_pattern(state& st, size_t index, xml_document& doc, const validate_options& o,
                     validation_result& r) const;
    void walk(state& st, const detail::pattern_def& p, xml_document& doc, const validate_options& o,
              validation_result& r) const;
    void fire(state& st, const detail::pattern_def& p, const detail::rule_def& rule, const detail::context& n,
              xml_document& doc, const validate_options& o, validation_result& r) const;
    std::string missing_value(state& st, const detail::check_def& c, const xml_document& doc) const;
    due_measure due_measure_of(const state& st, const detail::check_def& c, const detail::context& n,
                               const xml_document& doc) const;
    void due_assertion(state& st, const detail::check_def& c, const detail::context& n, xml_document& doc,
                       validation_result& r) const;
    void emit(state& st, const detail::pattern_def& p, const detail::check_def& c, const pugi::xpath_node& n,
              xml_document& doc, const validate_options& o, validation_result& r, const std::string& detail,
              bool report, const pugi::xpath_node& at = {}) const; // `at`: where the finding points, when not at `n`
};

} // namespace casedoc

#endif
