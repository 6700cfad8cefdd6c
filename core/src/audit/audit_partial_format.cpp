#include "audit_partial_format.hpp"

#include <casedoc/base/error.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>

namespace casedoc {

using nlohmann::json;

namespace {

json day_or_null(const std::optional<int64_t>& d) { return d ? json(format_date(*d)) : json(nullptr); }

std::optional<int64_t> day_from(const json& j) {
    if (j.is_null()) return std::nullopt;
    return parse_date(j.get<std::string>());
}

} // namespace

void to_json(json& j, const audit_options& x) {
    j = {{"inputs", x.inputs},     {"from", format_date(x.from)},  {"to", format_date(x.to)},
         {"settings", x.settings}, {"method", x.method},           {"seed", x.seed},
         {"size", x.size},         {"stratify_by", x.stratify_by}, {"stratum_sizes", x.stratum_sizes},
         {"params", x.params},     {"reviewer", x.reviewer},       {"title", x.title},
         {"shards", x.shards}};
}
void from_json(const json& j, audit_options& x) {
    j.at("inputs").get_to(x.inputs);
    std::tie(x.from, x.to) = parse_audit_period(j.at("from").get<std::string>() + ".." + j.at("to").get<std::string>());
    j.at("settings").get_to(x.settings);
    j.at("method").get_to(x.method);
    j.at("seed").get_to(x.seed);
    j.at("size").get_to(x.size);
    j.at("stratify_by").get_to(x.stratify_by);
    j.at("stratum_sizes").get_to(x.stratum_sizes);
    j.at("params").get_to(x.params);
    j.at("reviewer").get_to(x.reviewer);
    j.at("title").get_to(x.title);
    j.at("shards").get_to(x.shards);
}

void to_json(json& j, const rule_info& x) {
    j = {{"id", x.id},     {"citation", x.citation}, {"pattern", x.pattern}, {"severity", to_string(x.level)},
         {"kind", x.kind}, {"title", x.title}};
}
void from_json(const json& j, rule_info& x) {
    j.at("id").get_to(x.id);
    j.at("citation").get_to(x.citation);
    j.at("pattern").get_to(x.pattern);
    x.level = severity_from_role(j.at("severity").get<std::string>());
    j.at("kind").get_to(x.kind);
    j.at("title").get_to(x.title);
}

void to_json(json& j, const rule_set& x) {
    j = {{"setting", x.setting},
         {"document_type", x.document_type},
         {"version", x.schema.version},
         {"title", x.schema.title},
         {"effective_from", day_or_null(x.schema.effective_from)},
         {"effective_to", day_or_null(x.schema.effective_to)},
         {"file", x.schema.file},
         {"rules", x.rules}};
}
void from_json(const json& j, rule_set& x) {
    j.at("setting").get_to(x.setting);
    j.at("document_type").get_to(x.document_type);
    x.schema.setting = x.setting;
    j.at("version").get_to(x.schema.version);
    j.at("title").get_to(x.schema.title);
    x.schema.effective_from = day_from(j.at("effective_from"));
    x.schema.effective_to = day_from(j.at("effective_to"));
    j.at("file").get_to(x.schema.file);
    j.at("rules").get_to(x.rules);
}

void to_json(json& j, const audit_evidence& x) { j = {x.rule, x.line, x.element, x.message}; }
void from_json(const json& j, audit_evidence& x) {
    j.at(0).get_to(x.rule);
    j.at(1).get_to(x.line);
    j.at(2).get_to(x.element);
    j.at(3).get_to(x.message);
}

// The ratings as one character each, parallel to the rule set's rules: m met, x not met, - not applicable.
void to_json(json& j, const audit_case& x) {
    std::string ratings;
    for (rating r : x.ratings) ratings += r == rating::met ? 'm' : r == rating::not_met ? 'x' : '-';
    j = {{"file", x.file},     {"record_id", x.record_id}, {"setting", x.setting}, {"worker", x.worker},
         {"office", x.office}, {"as_of", x.as_of},         {"stratum", x.stratum}, {"rule_set", x.rule_set},
         {"ratings", ratings}, {"evidence", x.evidence}};
}
void from_json(const json& j, audit_case& x) {
    j.at("file").get_to(x.file);
    j.at("record_id").get_to(x.record_id);
    j.at("setting").get_to(x.setting);
    j.at("worker").get_to(x.worker);
    j.at("office").get_to(x.office);
    j.at("as_of").get_to(x.as_of);
    j.at("stratum").get_to(x.stratum);
    j.at("rule_set").get_to(x.rule_set);
    for (char c : j.at("ratings").get<std::string>())
        x.ratings.push_back(c == 'm' ? rating::met : c == 'x' ? rating::not_met : rating::not_applicable);
    j.at("evidence").get_to(x.evidence);
}

void to_json(json& j, const audit_data& x) {
    j = {{"format", "casedoc-audit-partial/1"},
         {"options", x.options},
         {"shards_merged", x.shards_merged},
         {"files", x.files},
         {"universe", x.universe},
         {"sample_size", x.sample_size},
         {"eliminated", x.eliminated},
         {"unreadable", x.unreadable},
         {"failed", x.failed},
         {"strata", x.strata},
         {"rule_sets", x.rule_sets},
         {"cases", x.cases},
         {"timings", json::array()}};
    for (const auto& [key, t] : x.timings) {
        json timing = t;
        timing["setting"] = key.first;
        timing["rule_id"] = key.second;
        j["timings"].push_back(std::move(timing));
    }
}
void from_json(const json& j, audit_data& x) {
    j.at("options").get_to(x.options);
    j.at("shards_merged").get_to(x.shards_merged);
    x.options.shard = x.shards_merged.empty() ? 1 : x.shards_merged.front();
    j.at("files").get_to(x.files);
    j.at("universe").get_to(x.universe);
    j.at("sample_size").get_to(x.sample_size);
    j.at("eliminated").get_to(x.eliminated);
    j.at("unreadable").get_to(x.unreadable);
    j.at("failed").get_to(x.failed);
    j.at("strata").get_to(x.strata);
    j.at("rule_sets").get_to(x.rule_sets);
    j.at("cases").get_to(x.cases);
    for (const json& t : j.at("timings"))
        t.get_to(x.timings[{t.at("setting").get<std::string>(), t.at("rule_id").get<std::string>()}]);
}

std::string audit_partial_json(const audit_data& data) {
    return json(data).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

audit_data read_audit_partial(const std::string& text, const std::string& file) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        throw error(file, std::string("not a casedoc audit partial result (") + e.what() + ")");
    }
    audit_data d;
    try {
        if (j.at("format") != "casedoc-audit-partial/1")
            throw error(file, "not a casedoc audit partial result (format is not casedoc-audit-partial/1)");
        j.get_to(d);
    } catch (const json::exception& e) {
        throw error(file, std::string("a casedoc audit partial result with a missing or wrong field: ") + e.what());
    } catch (const error& e) { // a field's own check (its period), which does not know the file
        if (!e.file().empty()) throw;
        throw error(file, std::string("a casedoc audit partial result with a wrong field: ") + e.what());
    }
    for (const audit_case& c : d.cases) {
        if (c.rule_set >= d.rule_sets.size())
            throw error(file, "case " + c.record_id + " names a rule set that is not there");
        const size_t rules = d.rule_sets[c.rule_set].rules.size();
        if (c.ratings.size() != rules)
            throw error(file, "case " + c.record_id + " has " + std::to_string(c.ratings.size()) +
                                  " ratings for a rule set of " + std::to_string(rules) + " rules");
    }
    return d;
}

} // namespace casedoc
