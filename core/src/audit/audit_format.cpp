#include "audit_format.hpp"
#include "json_fields.hpp"

#include <casedoc/base/error.hpp>

namespace casedoc {

namespace {

// json_fields.hpp: ojson, fields and the as_ readers. ojson is ordered_json, which keeps the writer's key order
// (the format's), where json would sort the keys.
using namespace detail;

template <class T> ojson nullable(const std::optional<T>& x) { return x ? ojson(*x) : ojson(nullptr); }

ojson time_json(const std::optional<audit_time>& t) {
    return t ? std::visit([](auto v) { return ojson(v); }, *t) : ojson(nullptr);
}

audit_time as_time(const ojson& j) {
    if (j.is_number_integer()) return j.get<int64_t>();
    if (!j.is_number()) expected("a number", j);
    return j.get<double>();
}

// Eliminated records say why ("reason"); unreadable ones what went wrong ("message").
ojson note_json(const audit_report_note& x, const char* why_key, const std::string& why) {
    ojson j = {{"file", x.file}, {"record_id", x.record_id}};
    if (x.line) j["line"] = *x.line;
    if (x.column) j["column"] = *x.column;
    j[why_key] = why;
    return j;
}
void read_note(const fields& f, audit_report_note& x) {
    f.required("file", x.file, as_string);
    f.optional("record_id", x.record_id, as_string);
    f.optional("line", x.line, as_count);
    f.optional("column", x.column, as_count);
}

// Everything but the cases, which are read as they are parsed.
void read_body(const ojson& j, audit_report& x) {
    const fields f(j);
    std::string format;
    f.required("format", format, as_string);
    if (format != "casedoc-audit/1") throw bad_field{"format", "expected \"casedoc-audit/1\", got \"" + format + "\""};
    f.required("generator", x.generator, as_string);
    f.required("scope", x.scope, as<audit_report_scope>);
    f.required("universe", x.universe, as<audit_report_universe>);
    f.required("sample", x.sample, as<audit_report_sample>);
    f.optional("eliminated", x.eliminated, list_of(as<audit_report_eliminated>));
    f.optional("unreadable", x.unreadable, list_of(as<audit_report_unreadable>));
    f.required("summary", x.summary, as<audit_report_summary>);
    f.required("items", x.items, list_of(as<audit_report_item>));
    f.required("rollups", x.rollups, as<audit_report_rollups>);
    f.required("timeliness", x.timeliness, list_of(as<audit_report_timeliness>));
    f.optional("trend", x.trend, as<audit_report_trend>);
    f.required("findings", x.findings, list_of(as<audit_report_finding>));
    f.required("corrective_actions", x.corrective_actions, list_of(as<audit_report_action>));
}

ojson body_json(const audit_report& x) {
    return {{"format", "casedoc-audit/1"},
            {"generator", x.generator},
            {"scope", x.scope},
            {"universe", x.universe},
            {"sample", x.sample},
            {"eliminated", x.eliminated},
            {"unreadable", x.unreadable},
            {"summary", x.summary},
            {"items", x.items},
            {"rollups", x.rollups},
            {"timeliness", x.timeliness},
            {"trend", nullable(x.trend)},
            {"findings", x.findings},
            {"corrective_actions", x.corrective_actions}};
}

[[noreturn]] void refuse(const bad_field& e) {
    throw error("", "audit JSON (casedoc-audit/1): " + e.path + ": " + e.what);
}

} // namespace

// ---- The parts, in the format's order ---------------------------------------------------------------------------

void to_json(ojson& j, const audit_period& x) { j = {{"from", x.from}, {"to", x.to}}; }
void from_json(const ojson& j, audit_period& x) {
    const fields f(j);
    f.required("from", x.from, as_date);
    f.required("to", x.to, as_date);
}

void to_json(ojson& j, const audit_report_rule_set& x) {
    j = {{"setting", x.setting},
         {"version", x.version},
         {"title", x.title},
         {"effective_from", nullable(x.effective_from)},
         {"effective_to", nullable(x.effective_to)},
         {"schema", x.schema},
         {"cases", nullable(x.cases)}};
}
void from_json(const ojson& j, audit_report_rule_set& x) {
    const fields f(j);
    f.required("setting", x.setting, as_string);
    f.required("version", x.version, as_text);
    f.optional("title", x.title, as_string);
    f.required("effective_from", x.effective_from, or_null(as_string));
    f.required("effective_to", x.effective_to, or_null(as_string));
    f.optional("schema", x.schema, as_string);
    f.optional("cases", x.cases, as_count);
}

void to_json(ojson& j, const audit_report_scope& x) {
    j = {{"title", x.title},         {"period", x.period},
         {"reviewer", x.reviewer},   {"settings", x.settings},
         {"rule_sets", x.rule_sets}, {"params", x.params},
         {"inputs", x.inputs},       {"pseudonymised_workers", x.pseudonymised_workers}};
}
void from_json(const ojson& j, audit_report_scope& x) {
    const fields f(j);
    f.required("title", x.title, as_string);
    f.required("period", x.period, as<audit_period>);
    f.required("reviewer", x.reviewer, as_string);
    f.required("settings", x.settings, list_of(as_string));
    f.required("rule_sets", x.rule_sets, list_of(as<audit_report_rule_set>));
    f.optional("params", x.params, [](const ojson& v) {
        if (!v.is_object()) expected("an object", v);
        std::map<std::string, std::string> params;
        for (const auto& [key, value] : v.items()) params[key] = inside(key, [&value = value] { return as_text(value); });
        return params;
    });
    f.optional("inputs", x.inputs, list_of(as_string));
    f.optional("pseudonymised_workers", x.pseudonymised_workers, as_bool);
}

void to_json(ojson& j, const audit_report_universe& x) {
    j = {{"definition", x.definition},
         {"files", x.files},
         {"in_universe", x.in_universe},
         {"eliminated", x.eliminated},
         {"unreadable", x.unreadable}};
}
void from_json(const ojson& j, audit_report_universe& x) {
    const fields f(j);
    f.required("definition", x.definition, as_string);
    f.required("files", x.files, as_count);
    f.required("in_universe", x.in_universe, as_count);
    f.required("eliminated", x.eliminated, as_count);
    f.required("unreadable", x.unreadable, as_count);
}

void to_json(ojson& j, const audit_report_stratum& x) {
    j = {{"key", x.key}, {"universe", x.universe}, {"requested", x.requested}, {"sampled", x.sampled}};
}
void from_json(const ojson& j, audit_report_stratum& x) {
    const fields f(j);
    f.required("key", x.key, as_text);
    f.required("universe", x.universe, as_count);
    f.required("requested", x.requested, as_count);
    f.required("sampled", x.sampled, as_count);
}

void to_json(ojson& j, const audit_report_sample& x) {
    j = {{"method", x.method}, {"seed", nullable(x.seed)}, {"stratify_by", nullable(x.stratify_by)},
         {"size", x.size},     {"checked", x.checked},     {"strata", x.strata}};
}
void from_json(const ojson& j, audit_report_sample& x) {
    const fields f(j);
    f.required("method", x.method, as_string);
    f.optional("seed", x.seed, as_count);
    f.optional("stratify_by", x.stratify_by, as_string);
    f.required("size", x.size, as_count);
    f.optional("checked", x.checked, as_count);
    f.optional("strata", x.strata, list_of(as<audit_report_stratum>));
}

void to_json(ojson& j, const audit_report_eliminated& x) { j = note_json(x, "reason", x.reason); }
void from_json(const ojson& j, audit_report_eliminated& x) {
    const fields f(j);
    read_note(f, x);
    f.required("reason", x.reason, as_string);
}

void to_json(ojson& j, const audit_report_unreadable& x) { j = note_json(x, "message", x.message); }
void from_json(const ojson& j, audit_report_unreadable& x) {
    const fields f(j);
    read_note(f, x);
    f.required("message", x.message, as_string);
}

void to_json(ojson& j, const audit_report_summary& x) {
    j = {{"cases", x.cases},
         {"cases_met", x.cases_met},
         {"case_rate", nullable(x.case_rate)},
         {"items_applicable", x.items_applicable},
         {"items_met", x.items_met},
         {"item_rate", nullable(x.item_rate)},
         {"findings", x.findings},
         {"errors", x.errors},
         {"warnings", x.warnings}};
}
void from_json(const ojson& j, audit_report_summary& x) {
    const fields f(j);
    f.required("cases", x.cases, as_count);
    f.required("cases_met", x.cases_met, as_count);
    f.required("case_rate", x.case_rate, as_rate);
    f.required("items_applicable", x.items_applicable, as_count);
    f.required("items_met", x.items_met, as_count);
    f.required("item_rate", x.item_rate, as_rate);
    f.required("findings", x.findings, as_count);
    f.required("errors", x.errors, as_count);
    f.required("warnings", x.warnings, as_count);
}

void to_json(ojson& j, const audit_report_item& x) {
    j = {{"rule_id", x.rule_id},       {"setting", x.setting},
         {"title", x.title},           {"citation", x.citation},
         {"severity", x.severity},     {"kind", x.kind},
         {"applicable", x.applicable}, {"met", x.met},
         {"not_met", x.not_met},       {"not_applicable", x.not_applicable},
         {"rate", nullable(x.rate)}};
}
void from_json(const ojson& j, audit_report_item& x) {
    const fields f(j);
    f.required("rule_id", x.rule_id, as_string);
    f.required("setting", x.setting, as_string);
    f.optional("title", x.title, as_string);
    f.optional("citation", x.citation, as_string);
    f.required("severity", x.severity, as_string);
    f.optional("kind", x.kind, as_string);
    f.required("applicable", x.applicable, as_count);
    f.required("met", x.met, as_count);
    f.required("not_met", x.not_met, as_count);
    f.required("not_applicable", x.not_applicable, as_count);
    f.required("rate", x.rate, as_rate);
}

void to_json(ojson& j, const audit_report_group& x) {
    j = {{"key", x.key},
         {"cases", x.cases},
         {"cases_met", x.cases_met},
         {"case_rate", nullable(x.case_rate)},
         {"applicable", x.applicable},
         {"met", x.met},
         {"rate", nullable(x.rate)}};
}
void from_json(const ojson& j, audit_report_group& x) {
    const fields f(j);
    f.required("key", x.key, as_text);
    f.required("cases", x.cases, as_count);
    f.required("cases_met", x.cases_met, as_count);
    f.optional("case_rate", x.case_rate, as_rate);
    f.required("applicable", x.applicable, as_count);
    f.required("met", x.met, as_count);
    f.required("rate", x.rate, as_rate);
}

void to_json(ojson& j, const audit_report_rollups& x) {
    j = {{"worker", x.worker}, {"office", x.office}, {"month", x.month}, {"setting", x.setting}};
}
void from_json(const ojson& j, audit_report_rollups& x) {
    const fields f(j);
    f.required("worker", x.worker, list_of(as<audit_report_group>));
    f.required("office", x.office, list_of(as<audit_report_group>));
    f.required("month", x.month, list_of(as<audit_report_group>));
    f.required("setting", x.setting, list_of(as<audit_report_group>));
}

void to_json(ojson& j, const audit_report_bucket& x) { j = {{"label", x.label}, {"count", x.count}}; }
void from_json(const ojson& j, audit_report_bucket& x) {
    const fields f(j);
    f.required("label", x.label, as_string);
    f.required("count", x.count, as_count);
}

void to_json(ojson& j, const audit_report_timeliness& x) {
    j = {{"rule_id", x.rule_id}, {"setting", x.setting}, {"title", x.title}, {"kind", x.kind}, {"unit", x.unit}};
    if (x.kind == "deadline") {
        j["limit"] = time_json(x.limit);
        j["n"] = x.n;
        j["cases"] = x.cases;
        j["within"] = x.within;
        j["rate"] = nullable(x.rate);
        j["median"] = time_json(x.median);
        j["p90"] = time_json(x.p90);
        j["max"] = time_json(x.max);
        j["pending"] = x.pending;
        j["buckets"] = x.buckets;
    } else {
        j["n"] = x.n;
        j["cases"] = x.cases;
        j["within"] = x.within;
        j["periods"] = x.periods;
        j["periods_met"] = x.periods_met;
        j["rate"] = nullable(x.rate);
    }
}
void from_json(const ojson& j, audit_report_timeliness& x) {
    const fields f(j);
    f.required("rule_id", x.rule_id, as_string);
    f.required("n", x.n, as_count);
    f.required("rate", x.rate, as_rate);
    f.required("kind", x.kind, as_string);
    f.optional("setting", x.setting, as_string);
    f.optional("title", x.title, as_text);
    f.optional("unit", x.unit, as_text);
    f.optional("cases", x.cases, as_count);
    if (x.kind == "deadline") {
        f.required("within", x.within, as_count);
        f.required("pending", x.pending, as_count);
        f.required("buckets", x.buckets, list_of(as<audit_report_bucket>));
        f.optional("limit", x.limit, as_time);
        f.optional("median", x.median, as_time);
        f.optional("p90", x.p90, as_time);
        f.optional("max", x.max, as_time);
    } else if (x.kind == "recurrence") {
        f.optional("within", x.within, as_count);
        f.required("periods", x.periods, as_count);
        f.required("periods_met", x.periods_met, as_count);
    } else {
        throw bad_field{"kind", "expected \"deadline\" or \"recurrence\", got \"" + x.kind + "\""};
    }
}

void to_json(ojson& j, const audit_report_trend_item& x) {
    j = {{"rule_id", x.rule_id},
         {"setting", x.setting},
         {"previous_rate", nullable(x.previous_rate)},
         {"rate", nullable(x.rate)},
         {"change", nullable(x.change)}};
}
void from_json(const ojson& j, audit_report_trend_item& x) {
    const fields f(j);
    f.required("rule_id", x.rule_id, as_string);
    f.optional("setting", x.setting, as_string);
    f.required("previous_rate", x.previous_rate, as_rate);
    f.required("rate", x.rate, as_rate);
    f.optional("change", x.change, as_number);
}

void to_json(ojson& j, const audit_report_trend& x) {
    j = {{"previous", {{"file", x.previous_file}, {"period", nullable(x.previous_period)}}},
         {"overall",
          {{"previous_rate", nullable(x.previous_rate)}, {"rate", nullable(x.rate)}, {"change", nullable(x.change)}}},
         {"items", x.items}};
}
void from_json(const ojson& j, audit_report_trend& x) {
    const fields f(j);
    f.optional_object("previous", [&](const fields& p) {
        p.optional("file", x.previous_file, as_string);
        p.optional("period", x.previous_period, as<audit_period>);
    });
    f.required_object("overall", [&](const fields& o) {
        o.required("previous_rate", x.previous_rate, as_rate);
        o.required("rate", x.rate, as_rate);
        o.optional("change", x.change, as_number);
    });
    f.required("items", x.items, list_of(as<audit_report_trend_item>));
}

void to_json(ojson& j, const audit_report_evidence& x) {
    j = {{"record_id", x.record_id}, {"file", x.file},     {"line", nullable(x.line)}, {"element", x.element},
         {"worker", x.worker},       {"office", x.office}, {"as_of", x.as_of},         {"narrative", x.narrative}};
}
void from_json(const ojson& j, audit_report_evidence& x) {
    const fields f(j);
    f.required("record_id", x.record_id, as_string);
    f.optional("file", x.file, as_string);
    f.optional("line", x.line, as_count);
    f.optional("element", x.element, as_text);
    f.optional("worker", x.worker, as_text);
    f.optional("office", x.office, as_text);
    f.optional("as_of", x.as_of, as_text);
    f.optional("narrative", x.narrative, as_text);
}

void to_json(ojson& j, const audit_report_finding& x) {
    j = {{"rule_id", x.rule_id},   {"setting", x.setting}, {"title", x.title},           {"citation", x.citation},
         {"severity", x.severity}, {"cases", x.cases},     {"applicable", x.applicable}, {"evidence", x.evidence}};
}
void from_json(const ojson& j, audit_report_finding& x) {
    const fields f(j);
    f.required("rule_id", x.rule_id, as_string);
    f.optional("setting", x.setting, as_string);
    f.optional("title", x.title, as_string);
    f.optional("citation", x.citation, as_string);
    f.required("severity", x.severity, as_string);
    f.required("cases", x.cases, as_count);
    f.required("applicable", x.applicable, as_count);
    f.required("evidence", x.evidence, list_of(as<audit_report_evidence>));
}

void to_json(ojson& j, const audit_report_action& x) {
    j = {{"number", x.number},     {"rule_id", x.rule_id},
         {"setting", x.setting},   {"citation", x.citation},
         {"severity", x.severity}, {"headline", x.headline},
         {"finding", x.finding},   {"action", x.action},
         {"owner", x.owner},       {"due", x.due}};
}
void from_json(const ojson& j, audit_report_action& x) {
    const fields f(j);
    f.required("number", x.number, as_count);
    f.required("rule_id", x.rule_id, as_string);
    f.optional("setting", x.setting, as_string);
    f.optional("citation", x.citation, as_text);
    f.optional("severity", x.severity, as_text);
    f.required("headline", x.headline, as_string);
    f.required("finding", x.finding, as_string);
    f.optional("action", x.action, as_text);
    f.optional("owner", x.owner, as_text);
    f.optional("due", x.due, as_text);
}

void to_json(ojson& j, const audit_report_case& x) {
    j = {{"record_id", x.record_id},   {"file", x.file},
         {"setting", x.setting},       {"schema_version", x.schema_version},
         {"worker", x.worker},         {"office", x.office},
         {"as_of", x.as_of},           {"month", x.month},
         {"stratum", x.stratum},       {"outcome", x.outcome},
         {"applicable", x.applicable}, {"met", x.met},
         {"not_met", x.not_met}};
}
void from_json(const ojson& j, audit_report_case& x) {
    const fields f(j);
    f.required("record_id", x.record_id, as_string);
    f.optional("file", x.file, as_string);
    f.optional("setting", x.setting, as_text);
    f.optional("schema_version", x.schema_version, as_text);
    f.optional("worker", x.worker, as_text);
    f.optional("office", x.office, as_text);
    f.optional("as_of", x.as_of, as_text);
    f.optional("month", x.month, as_text);
    f.optional("stratum", x.stratum, as_text);
    f.required("outcome", x.outcome, as_string);
    f.optional("applicable", x.applicable, as_count);
    f.optional("met", x.met, as_count);
    f.required("not_met", x.not_met, list_of(as_string));
}

void to_json(ojson& j, const audit_report& x) {
    j = body_json(x);
    j["cases"] = x.cases;
}
void from_json(const ojson& j, audit_report& x) {
    read_body(j, x);
    fields(j).required("cases", x.cases, list_of(as<audit_report_case>));
}

std::string audit_time_text(const audit_time& t) { return time_json(t).dump(); }

// ---- The file ---------------------------------------------------------------------------------------------------

std::string write_audit_report(const audit_report& report, size_t cases,
                               const std::function<audit_report_case(size_t)>& case_at) {
    std::string text = body_json(report).dump(1, ' ', false, nlohmann::json::error_handler_t::replace);
    text.resize(text.size() - 2); // "\n}"
    text += ",\n \"cases\": [";
    for (size_t i = 0; i < cases; ++i) {
        text += i ? ",\n  " : "\n  ";
        text += ojson(case_at(i)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    text += cases ? "\n ]" : "]";
    text += "\n}\n";
    return text;
}

std::string write_audit_report(const audit_report& report) {
    return write_audit_report(report, report.cases.size(), [&](size_t i) { return report.cases[i]; });
}

audit_report read_audit_report(const std::string& text) {
    audit_report r;
    try {
        // The sampled cases (100,000 in a large audit) are read as they are parsed and dropped from the JSON
        // tree, which would otherwise take several times their size.
        bool in_cases = false;
        const auto keep = [&](int depth, ojson::parse_event_t event, ojson& parsed) {
            if (depth == 1 && event == ojson::parse_event_t::key) {
                in_cases = parsed == "cases";
            } else if (in_cases && depth == 2 && event == ojson::parse_event_t::object_end) {
                r.cases.push_back(inside("cases[" + std::to_string(r.cases.size()) + "]",
                                         [&] { return as<audit_report_case>(parsed); }));
                return false;
            } else if (in_cases && depth == 1 &&
                       (event == ojson::parse_event_t::array_end || event == ojson::parse_event_t::value)) {
                in_cases = false;
            }
            return true;
        };
        ojson doc;
        try {
            doc = ojson::parse(text, keep);
        } catch (const ojson::parse_error& e) {
            throw error("", std::string("audit JSON: not valid JSON: ") + e.what());
        }
        read_body(doc, r);
        std::vector<audit_report_case> rest; // cases that are not objects were kept in the tree
        fields(doc).required("cases", rest, list_of(as<audit_report_case>));
        r.cases.insert(r.cases.end(), rest.begin(), rest.end());
    } catch (const bad_field& e) {
        refuse(e);
    }
    return r;
}

} // namespace casedoc
