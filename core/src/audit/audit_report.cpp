#include <casedoc/audit/audit_report.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/plugin/export.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>

#include <casedoc/base/hashing.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace casedoc {

namespace {

using ojson = nlohmann::ordered_json;

double round4(double x) { return std::round(x * 10000.0) / 10000.0; }
ojson rate_of(uint64_t part, uint64_t whole) { return whole ? ojson(round4(static_cast<double>(part) / static_cast<double>(whole))) : ojson(nullptr); }
ojson day_or_null(const std::optional<int64_t>& d) { return d ? ojson(format_date(*d)) : ojson(nullptr); }

// Everything the report says, computed once from the cases.
class report_builder {
public:
    report_builder(const audit_data& d, const audit_report_options& o) : d_(d), o_(o) { index_items(); }

    std::string worker(const std::string& id) const {
        if (!o_.pseudonymise_workers || id == "(none)") return id;
        const std::string key = o_.pseudonym_key.empty() ? std::to_string(d_.options.seed) : o_.pseudonym_key;
        uint64_t h = detail::fnv1a64(key + '\x1f' + id);
        h ^= h >> 33;
        char buf[16];
        std::snprintf(buf, sizeof buf, "W-%08x", static_cast<unsigned>(h & 0xffffffffu));
        return buf;
    }

    ojson build() const; // everything but the cases
    void append_cases(std::string& out) const;
    void csv(std::ostream& out) const;

private:
    struct item {
        std::string setting, rule_id;
        const rule_info* info = nullptr;
        int64_t info_from = INT64_MIN; // effective-from of the rule set `info` comes from
        uint64_t applicable = 0, met = 0, not_met = 0, not_applicable = 0;
    };
    struct tally {
        uint64_t cases = 0, cases_met = 0, applicable = 0, met = 0;
    };

    void index_items();
    bool case_met(const audit_case& c) const {
        const rule_set& rs = d_.rule_sets[c.rule_set];
        for (size_t i = 0; i < c.ratings.size(); ++i)
            if (c.ratings[i] == rating::not_met && rs.rules[i].level == severity::error) return false;
        return true;
    }

    const audit_data& d_;
    const audit_report_options& o_;
    std::vector<item> items_;                     // sorted by setting, rule id
    std::vector<std::vector<uint32_t>> item_of_;  // per rule set: rule index -> item index
    std::map<std::pair<std::string, std::string>, uint32_t> item_index_; // (setting, rule id) -> item index
};

void report_builder::index_items() {
    std::map<std::pair<std::string, std::string>, item> by_key;
    for (const rule_set& rs : d_.rule_sets) {
        const int64_t from = rs.schema.effective_from.value_or(INT64_MIN);
        for (const rule_info& r : rs.rules) {
            item& it = by_key[{rs.setting, r.id}];
            it.setting = rs.setting;
            it.rule_id = r.id;
            if (!it.info || from >= it.info_from) { // the newest rule set's wording
                it.info = &r;
                it.info_from = from;
            }
        }
    }
    for (auto& [key, it] : by_key) {
        item_index_[key] = static_cast<uint32_t>(items_.size());
        items_.push_back(std::move(it));
    }
    for (const rule_set& rs : d_.rule_sets) {
        item_of_.emplace_back();
        for (const rule_info& r : rs.rules) item_of_.back().push_back(item_index_.at({rs.setting, r.id}));
    }
    std::vector<item>& items = items_;
    for (const audit_case& c : d_.cases)
        for (size_t i = 0; i < c.ratings.size(); ++i) {
            item& it = items[item_of_[c.rule_set][i]];
            switch (c.ratings[i]) {
            case rating::met: ++it.applicable, ++it.met; break;
            case rating::not_met: ++it.applicable, ++it.not_met; break;
            default: ++it.not_applicable;
            }
        }
}

// Eliminated records say why ("reason"); unreadable ones what went wrong ("message", with line and column).
ojson notes_json(std::vector<audit_note> notes, const char* why) {
    std::sort(notes.begin(), notes.end(), [](const audit_note& a, const audit_note& b) { return a.file < b.file; });
    ojson out = ojson::array();
    for (const audit_note& n : notes) {
        ojson j = {{"file", n.file}, {"record_id", n.record_id}};
        if (n.line) j["line"] = n.line;
        if (n.column) j["column"] = n.column;
        j[why] = n.reason;
        out.push_back(std::move(j));
    }
    return out;
}

double round1(double x) { return std::round(x * 10.0) / 10.0; }

ojson report_builder::build() const {
    const audit_options& o = d_.options;
    ojson j;
    j["format"] = "casedoc-audit/1";
    j["generator"] = o_.generator;

    // Scope.
    std::set<std::string> settings(o.settings.begin(), o.settings.end());
    for (const audit_case& c : d_.cases) settings.insert(c.setting);
    ojson scope;
    scope["title"] = o.title.empty() ? "Caseload review" : o.title;
    scope["period"] = {{"from", format_date(o.from)}, {"to", format_date(o.to)}};
    scope["reviewer"] = o.reviewer;
    scope["settings"] = std::vector<std::string>(settings.begin(), settings.end());
    ojson sets = ojson::array();
    for (uint32_t s = 0; s < d_.rule_sets.size(); ++s) {
        const rule_set& rs = d_.rule_sets[s];
        const auto n = std::count_if(d_.cases.begin(), d_.cases.end(), [&](const audit_case& c) { return c.rule_set == s; });
        sets.push_back({{"setting", rs.setting},
                        {"version", rs.schema.version},
                        {"title", rs.schema.title},
                        {"effective_from", day_or_null(rs.schema.effective_from)},
                        {"effective_to", day_or_null(rs.schema.effective_to)},
                        {"schema", rs.schema.file},
                        {"cases", n}});
    }
    scope["rule_sets"] = sets;
    scope["params"] = o.params;
    scope["inputs"] = o.inputs;
    scope["pseudonymised_workers"] = o_.pseudonymise_workers;
    j["scope"] = scope;

    // Universe and sample.
    std::string settings_text;
    for (const auto& s : settings) settings_text += (settings_text.empty() ? "" : ", ") + s;
    j["universe"] = {{"definition", "case records whose as-of date falls in " + format_date(o.from) + ".." + format_date(o.to) +
                                        (o.settings.empty() ? std::string(", any setting") : ", settings: " + settings_text)},
                     {"files", d_.files},
                     {"in_universe", d_.universe},
                     {"eliminated", d_.eliminated.size()},
                     {"unreadable", d_.unreadable.size() + d_.failed.size()}};
    ojson strata = ojson::array();
    for (const audit_stratum& s : d_.strata)
        strata.push_back({{"key", s.key}, {"universe", s.universe}, {"requested", s.requested}, {"sampled", s.sampled}});
    j["sample"] = {{"method", o.method}, {"seed", o.seed}, {"stratify_by", o.method == "stratified" ? ojson(o.stratify_by) : ojson(nullptr)},
                   {"size", d_.sample_size}, {"checked", d_.cases.size()}, {"strata", strata}};
    j["eliminated"] = notes_json(d_.eliminated, "reason");
    std::vector<audit_note> unreadable = d_.unreadable;
    unreadable.insert(unreadable.end(), d_.failed.begin(), d_.failed.end());
    j["unreadable"] = notes_json(std::move(unreadable), "message");

    // Items and summary.
    uint64_t applicable = 0, met = 0, errors = 0, warnings = 0, findings = 0, cases_met = 0;
    ojson items = ojson::array();
    for (const item& it : items_) {
        applicable += it.applicable;
        met += it.met;
        if (it.not_met) {
            ++findings;
            (it.info->level == severity::error ? errors : warnings) += 1;
        }
        items.push_back({{"rule_id", it.rule_id},
                         {"setting", it.setting},
                         {"title", it.info->title},
                         {"citation", it.info->citation},
                         {"severity", to_string(it.info->level)},
                         {"kind", it.info->kind},
                         {"applicable", it.applicable},
                         {"met", it.met},
                         {"not_met", it.not_met},
                         {"not_applicable", it.not_applicable},
                         {"rate", rate_of(it.met, it.applicable)}});
    }
    for (const audit_case& c : d_.cases) cases_met += case_met(c);
    j["summary"] = {{"cases", d_.cases.size()}, {"cases_met", cases_met},  {"case_rate", rate_of(cases_met, d_.cases.size())},
                    {"items_applicable", applicable}, {"items_met", met}, {"item_rate", rate_of(met, applicable)},
                    {"findings", findings},        {"errors", errors},      {"warnings", warnings}};
    j["items"] = items;

    // Roll-ups.
    std::map<std::string, tally> by[4];
    for (const audit_case& c : d_.cases) {
        const std::string keys[4] = {worker(c.worker), c.office, c.as_of.substr(0, 7), c.setting};
        const bool ok = case_met(c);
        uint64_t a = 0, m = 0;
        for (rating r : c.ratings) {
            a += r != rating::not_applicable;
            m += r == rating::met;
        }
        for (int k = 0; k < 4; ++k) {
            tally& t = by[k][keys[k]];
            ++t.cases;
            t.cases_met += ok;
            t.applicable += a;
            t.met += m;
        }
    }
    const char* names[4] = {"worker", "office", "month", "setting"};
    ojson rollups;
    for (int k = 0; k < 4; ++k) {
        ojson rows = ojson::array();
        for (const auto& [key, t] : by[k])
            rows.push_back({{"key", key}, {"cases", t.cases}, {"cases_met", t.cases_met}, {"case_rate", rate_of(t.cases_met, t.cases)},
                            {"applicable", t.applicable}, {"met", t.met}, {"rate", rate_of(t.met, t.applicable)}});
        rollups[names[k]] = rows;
    }
    j["rollups"] = rollups;

    // Timeliness: every deadline and recurrence item that measured something.
    ojson timeliness = ojson::array();
    static const char* bucket_names[7] = {"0–25% of limit", "25–50%", "50–75%", "75–100%", "late by up to 25%", "later", "not documented"};
    for (const auto& [key, m] : d_.timings) {
        const auto found = item_index_.find(key);
        if (found == item_index_.end()) continue;
        const item& it = items_[found->second];
        ojson t = {{"rule_id", it.rule_id}, {"setting", it.setting}, {"title", it.info->title},
                   {"kind", m.deadline ? "deadline" : "recurrence"}};
        if (m.deadline) {
            // Nearest-rank percentiles over the histogram of elapsed times (tenths of the unit).
            uint64_t documented = 0;
            for (const auto& [tenths, count] : m.elapsed) documented += count;
            auto percentile = [&](double p) -> ojson {
                if (!documented) return nullptr;
                const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(p * static_cast<double>(documented))));
                uint64_t seen = 0;
                for (const auto& [tenths, count] : m.elapsed)
                    if ((seen += count) >= rank) return static_cast<double>(tenths) / 10.0;
                return static_cast<double>(m.elapsed.rbegin()->first) / 10.0;
            };
            t["unit"] = m.hours ? "hours" : "days";
            t["limit"] = round1(m.limit);
            t["n"] = m.n;
            t["cases"] = m.cases;
            t["within"] = m.within;
            t["rate"] = rate_of(m.within, m.n);
            t["median"] = percentile(0.5);
            t["p90"] = percentile(0.9);
            t["max"] = documented ? ojson(static_cast<double>(m.elapsed.rbegin()->first) / 10.0) : ojson(nullptr);
            t["pending"] = m.pending;
            ojson buckets = ojson::array();
            if (m.limit > 0) {
                for (size_t b = 0; b < m.shares.size(); ++b) buckets.push_back({{"label", bucket_names[b]}, {"count", m.shares[b]}});
                buckets.push_back({{"label", bucket_names[6]}, {"count", m.pending}});
            }
            t["buckets"] = buckets;
        } else {
            t["unit"] = m.periods ? "months" : "windows";
            t["n"] = m.n;
            t["cases"] = m.cases;
            t["within"] = m.within;
            t["periods"] = m.periods;
            t["periods_met"] = m.periods_met;
            t["rate"] = m.periods ? rate_of(m.periods_met, m.periods) : rate_of(m.within, m.n);
        }
        timeliness.push_back(std::move(t));
    }
    j["timeliness"] = timeliness;

    // Trend against a previous audit.
    if (!o_.previous_file.empty()) {
        ojson prev;
        try {
            prev = ojson::parse(o_.previous_text);
            if (prev.at("format") != "casedoc-audit/1") throw error(o_.previous_file, "not a casedoc audit report (format is not casedoc-audit/1)");
            std::map<std::pair<std::string, std::string>, ojson> prev_rates;
            for (const auto& it : prev.at("items"))
                prev_rates[{it.at("setting").get<std::string>(), it.at("rule_id").get<std::string>()}] = it.at("rate");
            auto change = [](const ojson& before, const ojson& now) {
                return before.is_number() && now.is_number() ? ojson(round4(now.get<double>() - before.get<double>())) : ojson(nullptr);
            };
            const ojson before = prev.at("summary").at("item_rate"), now = j["summary"]["item_rate"];
            ojson trend_items = ojson::array();
            for (const auto& it : j["items"]) {
                auto p = prev_rates.find({it["setting"].get<std::string>(), it["rule_id"].get<std::string>()});
                const ojson pr = p == prev_rates.end() ? ojson(nullptr) : p->second;
                trend_items.push_back({{"rule_id", it["rule_id"]}, {"setting", it["setting"]}, {"previous_rate", pr},
                                       {"rate", it["rate"]}, {"change", change(pr, it["rate"])}});
            }
            j["trend"] = {{"previous", {{"file", o_.previous_file}, {"period", prev.at("scope").at("period")}}},
                          {"overall", {{"previous_rate", before}, {"rate", now}, {"change", change(before, now)}}},
                          {"items", trend_items}};
        } catch (const nlohmann::json::exception& e) {
            throw error(o_.previous_file, std::string("not a casedoc audit report (") + e.what() + ")");
        }
    } else {
        j["trend"] = nullptr;
    }

    // Findings: each item not met, errors first, most cases first; with every case's evidence.
    std::vector<uint32_t> order;
    for (uint32_t i = 0; i < items_.size(); ++i)
        if (items_[i].not_met) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        const item &x = items_[a], &y = items_[b];
        if (x.info->level != y.info->level) return x.info->level > y.info->level;
        if (x.not_met != y.not_met) return x.not_met > y.not_met;
        return std::tie(x.rule_id, x.setting) < std::tie(y.rule_id, y.setting);
    });
    std::map<uint32_t, ojson> evidence;
    for (const audit_case& c : d_.cases)
        for (const audit_evidence& e : c.evidence) {
            ojson row = {{"record_id", c.record_id}, {"file", c.file}, {"line", e.line}, {"element", e.element},
                         {"worker", worker(c.worker)}, {"office", c.office}, {"as_of", c.as_of}, {"narrative", e.message}};
            evidence[item_of_[c.rule_set][e.rule]].push_back(std::move(row));
        }
    ojson finding_list = ojson::array(), actions = ojson::array();
    for (uint32_t i : order) {
        const item& it = items_[i];
        finding_list.push_back({{"rule_id", it.rule_id}, {"setting", it.setting}, {"title", it.info->title},
                                {"citation", it.info->citation}, {"severity", to_string(it.info->level)},
                                {"cases", it.not_met}, {"applicable", it.applicable}, {"evidence", evidence[i]}});
        if (it.info->level != severity::error) continue;
        char pct[32];
        std::snprintf(pct, sizeof pct, "%.1f%%", 100.0 * static_cast<double>(it.not_met) / static_cast<double>(it.applicable));
        const std::string cite = it.info->citation.empty() ? "rule " + it.rule_id : it.info->citation;
        actions.push_back({{"number", actions.size() + 1},
                           {"rule_id", it.rule_id},
                           {"setting", it.setting},
                           {"citation", it.info->citation},
                           {"severity", to_string(it.info->level)},
                           {"headline", it.rule_id + ": " + it.info->title},
                           {"finding", "The agency is not in compliance with " + cite + " because " + std::to_string(it.not_met) +
                                           " of " + std::to_string(it.applicable) + " applicable cases (" + pct +
                                           ") reviewed did not meet it: " + it.info->title + "."},
                           {"action", ""},
                           {"owner", ""},
                           {"due", ""}});
    }
    j["findings"] = finding_list;
    j["corrective_actions"] = actions;

    return j;
}

// The sample, case by case: one compact JSON object per line, appended to the report's text without a
// document tree of every case (a caseload can hold millions).
void report_builder::append_cases(std::string& out) const {
    out += "[";
    bool first = true;
    for (const audit_case& c : d_.cases) {
        const rule_set& rs = d_.rule_sets[c.rule_set];
        uint64_t a = 0, m = 0;
        std::vector<std::string> not_met;
        for (size_t i = 0; i < c.ratings.size(); ++i) {
            a += c.ratings[i] != rating::not_applicable;
            m += c.ratings[i] == rating::met;
            if (c.ratings[i] == rating::not_met) not_met.push_back(rs.rules[i].id);
        }
        std::sort(not_met.begin(), not_met.end());
        const ojson row = {{"record_id", c.record_id}, {"file", c.file}, {"setting", c.setting}, {"schema_version", rs.schema.version},
                           {"worker", worker(c.worker)}, {"office", c.office}, {"as_of", c.as_of}, {"month", c.as_of.substr(0, 7)},
                           {"stratum", c.stratum}, {"outcome", case_met(c) ? "met" : "not met"}, {"applicable", a}, {"met", m},
                           {"not_met", not_met}};
        out += first ? "\n  " : ",\n  ";
        out += row.dump();
        first = false;
    }
    out += first ? "]" : "\n ]";
}

void report_builder::csv(std::ostream& out) const {
    write_delimited_row(out, {"record_id", "setting", "worker", "office", "month", "stratum", "rule_id", "severity", "rating"}, ',');
    std::vector<std::vector<uint32_t>> by_id; // per rule set: rule indexes in rule id order
    for (const rule_set& rs : d_.rule_sets) {
        std::vector<uint32_t> idx(rs.rules.size());
        for (uint32_t i = 0; i < idx.size(); ++i) idx[i] = i;
        std::sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) { return rs.rules[a].id < rs.rules[b].id; });
        by_id.push_back(std::move(idx));
    }
    for (const audit_case& c : d_.cases) {
        const rule_set& rs = d_.rule_sets[c.rule_set];
        const std::string w = worker(c.worker), month = c.as_of.substr(0, 7);
        for (uint32_t i : by_id[c.rule_set])
            write_delimited_row(out, {c.record_id, c.setting, w, c.office, month, c.stratum, rs.rules[i].id,
                                      std::string(to_string(rs.rules[i].level)), std::string(to_string(c.ratings[i]))}, ',');
    }
}

} // namespace

std::string audit_report_json(const audit_data& data, const audit_report_options& options) {
    const report_builder b(data, options);
    std::string text = b.build().dump(1);
    text.resize(text.size() - 2); // "\n}"
    text += ",\n \"cases\": ";
    b.append_cases(text);
    text += "\n}\n";
    return text;
}

void write_audit_csv(std::ostream& out, const audit_data& data, const audit_report_options& options) {
    report_builder(data, options).csv(out);
}

} // namespace casedoc
