// What validating one document against one schema produced: findings for people, and the SVRL
// events (active patterns, fired rules, failed asserts, successful reports) for machines.
#ifndef CASEDOC_SCHEMATRON_VALIDATION_RESULT_HPP
#define CASEDOC_SCHEMATRON_VALIDATION_RESULT_HPP

#include <casedoc/base/finding.hpp>
#include <casedoc/base/location_path.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace casedoc {

// The content of an svrl:text: text, attributes copied onto it (xsl:copy-of of attributes), copied
// elements (serialized XML), and the attributes Schematron carries over (xml:lang, fpi, icon, see).
struct svrl_text {
    std::string text;
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string copied_xml;
};

struct svrl_reference {
    std::string ref; // diagnostic or property id
    std::string role, scheme;
    svrl_text text;
};

struct svrl_event {
    enum class kind { active_pattern, fired_rule, failed_assert, successful_report } type = kind::failed_assert;
    std::string id, name, role, flag, lang;
    std::string context, documents, document; // fired-rule / active-pattern
    std::string test;                         // failed-assert / successful-report
    location_path location;                   // failed-assert / successful-report
    svrl_text text;
    std::vector<svrl_reference> diagnostics, properties;
};

// How one rule fared on one document (validate_options::tally): the number of times one of its checks
// applied to a node, and the number of those that failed. A rule never evaluated did not apply.
struct rule_tally {
    uint32_t evaluated = 0, failed = 0;
};

// What a cd:deadline or cd:recurrence measured on one document, for an audit's timeliness tables.
struct timing_measure {
    uint32_t rule = 0;        // index into schema::rules()
    bool met = true;          // the check passed
    bool documented = true;   // deadline: the target date is in the record
    bool hours = false;       // deadline: elapsed and limit in hours, else in days
    double elapsed = 0;       // deadline: anchor to target
    double limit = 0;         // deadline: the time allowed (agreed extensions not included)
    uint32_t periods = 0, periods_met = 0; // calendar-month recurrence: months checked, months met
    bool deadline = true;     // false: a recurrence
};

// When a cd:deadline or cd:recurrence is due on one document (validate_options::due), for worklists: every
// check that failed (validation reports it) or is still pending (not done, not yet due on its as-of date).
struct due_measure {
    std::string rule_id, citation, title;
    uint32_t rule = UINT32_MAX; // index into schema::rules(); UINT32_MAX: a check without an id
    bool deadline = true;       // false: a recurrence
    bool failed = false;        // validation reports it (else pending)
    bool hours = false;         // `due` is in minutes since 1970-01-01, else a day
    bool utc = false;           // hours: the anchor had a UTC offset, so `due` is UTC (else local, as written)
    int64_t due = 0;
    std::string anchor;    // "removal 2024-01-10", "month 2025-12", "last event 2025-06-01"
    std::string extension; // the agreed extension applied ("agreed 2024-02-01, until 2024-02-29"), or empty
    std::string ends;      // the rule's own end: a deadline's as-of, a recurrence's to (raw); empty: none
    unsigned line = 0;     // of the node the rule fired on
};

struct validation_result {
    std::vector<finding> findings;
    std::vector<rule_tally> tally;       // parallel to schema::rules(), filled only with validate_options::tally
    std::vector<timing_measure> timings; // filled only with validate_options::tally
    std::vector<due_measure> due;        // filled only with validate_options::due
    std::vector<svrl_event> svrl; // filled only when asked for (validate_options::svrl)
    std::string phase;
    std::string title, schema_version;
    namespace_bindings namespaces;
};

} // namespace casedoc

#endif
