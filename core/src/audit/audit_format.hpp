// The audit report's format, casedoc-audit/1 (docs/audit-report.md), as data: what audit.json holds. The report
// writes it (audit_report.cpp), the PDF and a later audit's trend read it back; each part's to_json and from_json
// are here, so that a field is added in one place. Reading refuses a report that does not match, naming the field
// ("items[3].applicable: expected a count ..."); the fields the PDF does without may be absent.
#ifndef CASEDOC_AUDIT_AUDIT_FORMAT_HPP
#define CASEDOC_AUDIT_AUDIT_FORMAT_HPP

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace casedoc {

// Dates are YYYY-MM-DD; a rate is in [0, 1], or null when nothing applied.
struct audit_period {
    std::string from, to;
};

struct audit_report_rule_set {
    std::string setting, version, title;
    std::optional<std::string> effective_from, effective_to;
    std::string schema;
    std::optional<uint64_t> cases;
};

struct audit_report_scope {
    std::string title;
    audit_period period;
    std::string reviewer;
    std::vector<std::string> settings;
    std::vector<audit_report_rule_set> rule_sets;
    std::map<std::string, std::string> params;
    std::vector<std::string> inputs;
    bool pseudonymised_workers = false;
};

struct audit_report_universe {
    std::string definition;
    uint64_t files = 0, in_universe = 0, eliminated = 0, unreadable = 0;
};

struct audit_report_stratum {
    std::string key;
    uint64_t universe = 0, requested = 0, sampled = 0;
};

struct audit_report_sample {
    std::string method;
    std::optional<uint64_t> seed;
    std::optional<std::string> stratify_by; // null unless stratified
    uint64_t size = 0, checked = 0;
    std::vector<audit_report_stratum> strata;
};

// An input left out of the universe, or one that could not be read or checked.
struct audit_report_note {
    std::string file, record_id;
    std::optional<uint64_t> line, column; // written when known
};
struct audit_report_eliminated : audit_report_note {
    std::string reason;
};
struct audit_report_unreadable : audit_report_note {
    std::string message;
};

struct audit_report_summary {
    uint64_t cases = 0, cases_met = 0;
    std::optional<double> case_rate;
    uint64_t items_applicable = 0, items_met = 0;
    std::optional<double> item_rate;
    uint64_t findings = 0, errors = 0, warnings = 0;
};

struct audit_report_item {
    std::string rule_id, setting, title, citation, severity, kind;
    uint64_t applicable = 0, met = 0, not_met = 0, not_applicable = 0;
    std::optional<double> rate;
};

// A row of a roll-up: the cases of one worker, office, month or setting.
struct audit_report_group {
    std::string key;
    uint64_t cases = 0, cases_met = 0;
    std::optional<double> case_rate;
    uint64_t applicable = 0, met = 0;
    std::optional<double> rate;
};

struct audit_report_rollups {
    std::vector<audit_report_group> worker, office, month, setting;
};

// A limit or elapsed time in the rule's unit. casedoc writes it to a tenth, as floating point (60.0, 41.5); a whole
// number given as one (60) stays one, so that a report is shown and written back as it was given.
using audit_time = std::variant<int64_t, double>;
std::string audit_time_text(const audit_time& t); // as audit.json has it: 60, 60.0, 41.5

struct audit_report_bucket {
    std::string label;
    uint64_t count = 0;
};

// One deadline or recurrence item's timeliness; which of the fields are written depends on the kind.
struct audit_report_timeliness {
    std::string rule_id, setting, title, kind, unit; // kind: "deadline" or "recurrence"
    uint64_t n = 0, cases = 0, within = 0;
    std::optional<double> rate;
    std::optional<audit_time> limit, median, p90, max; // deadline
    uint64_t pending = 0;                              // deadline
    std::vector<audit_report_bucket> buckets;          // deadline
    uint64_t periods = 0, periods_met = 0;             // recurrence
};

struct audit_report_trend_item {
    std::string rule_id, setting;
    std::optional<double> previous_rate, rate, change;
};

struct audit_report_trend {
    std::string previous_file;
    std::optional<audit_period> previous_period;
    std::optional<double> previous_rate, rate, change; // of all items
    std::vector<audit_report_trend_item> items;
};

struct audit_report_evidence {
    std::string record_id, file;
    std::optional<uint64_t> line;
    std::string element, worker, office, as_of, narrative;
};

struct audit_report_finding {
    std::string rule_id, setting, title, citation, severity;
    uint64_t cases = 0, applicable = 0;
    std::vector<audit_report_evidence> evidence;
};

struct audit_report_action {
    uint64_t number = 0;
    std::string rule_id, setting, citation, severity, headline, finding, action, owner, due;
};

struct audit_report_case {
    std::string record_id, file, setting, schema_version, worker, office, as_of, month, stratum, outcome;
    uint64_t applicable = 0, met = 0;
    std::vector<std::string> not_met;
};

struct audit_report {
    std::string generator;
    audit_report_scope scope;
    audit_report_universe universe;
    audit_report_sample sample;
    std::vector<audit_report_eliminated> eliminated;
    std::vector<audit_report_unreadable> unreadable;
    audit_report_summary summary;
    std::vector<audit_report_item> items;
    audit_report_rollups rollups;
    std::vector<audit_report_timeliness> timeliness;
    std::optional<audit_report_trend> trend; // null: no previous audit compared
    std::vector<audit_report_finding> findings;
    std::vector<audit_report_action> corrective_actions;
    std::vector<audit_report_case> cases;
};

// audit.json's text: the report one field a line, its cases one compact object a line. The cases are taken from
// `case_at` (0 to cases - 1), one at a time, so that a caseload of millions is written without holding a row for each.
std::string write_audit_report(const audit_report& report, size_t cases,
                               const std::function<audit_report_case(size_t)>& case_at);
std::string write_audit_report(const audit_report& report); // with report.cases

// Reads audit.json. Throws casedoc::error when the text is not JSON or does not match casedoc-audit/1, naming the
// field: "audit JSON (casedoc-audit/1): summary.item_rate: missing".
audit_report read_audit_report(const std::string& text);

void to_json(nlohmann::ordered_json& j, const audit_period& x);
void from_json(const nlohmann::ordered_json& j, audit_period& x);
void to_json(nlohmann::ordered_json& j, const audit_report_rule_set& x);
void from_json(const nlohmann::ordered_json& j, audit_report_rule_set& x);
void to_json(nlohmann::ordered_json& j, const audit_report_scope& x);
void from_json(const nlohmann::ordered_json& j, audit_report_scope& x);
void to_json(nlohmann::ordered_json& j, const audit_report_universe& x);
void from_json(const nlohmann::ordered_json& j, audit_report_universe& x);
void to_json(nlohmann::ordered_json& j, const audit_report_stratum& x);
void from_json(const nlohmann::ordered_json& j, audit_report_stratum& x);
void to_json(nlohmann::ordered_json& j, const audit_report_sample& x);
void from_json(const nlohmann::ordered_json& j, audit_report_sample& x);
void to_json(nlohmann::ordered_json& j, const audit_report_eliminated& x);
void from_json(const nlohmann::ordered_json& j, audit_report_eliminated& x);
void to_json(nlohmann::ordered_json& j, const audit_report_unreadable& x);
void from_json(const nlohmann::ordered_json& j, audit_report_unreadable& x);
void to_json(nlohmann::ordered_json& j, const audit_report_summary& x);
void from_json(const nlohmann::ordered_json& j, audit_report_summary& x);
void to_json(nlohmann::ordered_json& j, const audit_report_item& x);
void from_json(const nlohmann::ordered_json& j, audit_report_item& x);
void to_json(nlohmann::ordered_json& j, const audit_report_group& x);
void from_json(const nlohmann::ordered_json& j, audit_report_group& x);
void to_json(nlohmann::ordered_json& j, const audit_report_rollups& x);
void from_json(const nlohmann::ordered_json& j, audit_report_rollups& x);
void to_json(nlohmann::ordered_json& j, const audit_report_bucket& x);
void from_json(const nlohmann::ordered_json& j, audit_report_bucket& x);
void to_json(nlohmann::ordered_json& j, const audit_report_timeliness& x);
void from_json(const nlohmann::ordered_json& j, audit_report_timeliness& x);
void to_json(nlohmann::ordered_json& j, const audit_report_trend_item& x);
void from_json(const nlohmann::ordered_json& j, audit_report_trend_item& x);
void to_json(nlohmann::ordered_json& j, const audit_report_trend& x);
void from_json(const nlohmann::ordered_json& j, audit_report_trend& x);
void to_json(nlohmann::ordered_json& j, const audit_report_evidence& x);
void from_json(const nlohmann::ordered_json& j, audit_report_evidence& x);
void to_json(nlohmann::ordered_json& j, const audit_report_finding& x);
void from_json(const nlohmann::ordered_json& j, audit_report_finding& x);
void to_json(nlohmann::ordered_json& j, const audit_report_action& x);
void from_json(const nlohmann::ordered_json& j, audit_report_action& x);
void to_json(nlohmann::ordered_json& j, const audit_report_case& x);
void from_json(const nlohmann::ordered_json& j, audit_report_case& x);
void to_json(nlohmann::ordered_json& j, const audit_report& x);
void from_json(const nlohmann::ordered_json& j, audit_report& x);

} // namespace casedoc

#endif // CASEDOC_AUDIT_AUDIT_FORMAT_HPP
