#include <casedoc/audit/audit_report.hpp>
#include "audit_format.hpp"
#include <casedoc/base/error.hpp>
#include <casedoc/plugin/export.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>

#include <casedoc/base/hashing.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace casedoc {

namespace {

double round4(double x) { return std::round(x * 10000.0) / 10000.0; }
std::optional<double> rate_of(uint64_t part, uint64_t whole) {
    return whole ? std::optional(round4(static_cast<double>(part) / static_cast<double>(whole))) : std::nullopt;
}
std::optional<std::string> day_or_null(const std::optional<int64_t>& d) {
    return d ? std::optional(format_date(*d)) : std::nullopt;
}

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

    audit_report build() const; // everything but the cases
    audit_report_case case_row(const audit_case& c) const;
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

// Sorted by file; the note's reason goes into `why`: an eliminated record's reason, an unreadable one's message.
template <class Row> std::vector<Row> note_rows(std::vector<audit_note> notes, std::string Row::*why) {
    std::sort(notes.begin(), notes.end(), [](const audit_note& a, const audit_note& b) { return a.file < b.file; });
    std::vector<Row> rows;
    for (const audit_note& n : notes) {
        Row& row = rows.emplace_back();
        row.file = n.file;
        row.record_id = n.record_id;
        if (n.line) row.line = n.line;
        if (n.column) row.column = n.column;
        row.*why = n.reason;
    }
    return rows;
}

double round1(double x) { return std::round(x * 10.0) / 10.0; }

std::optional<double> change(const std::optional<double>& before, const std::optional<double>& now) {
    return before && now ? std::optional(round4(*now - *before)) : std::nullopt;
}

audit_report report_builder::build() const {
    const audit_options& o = d_.options;
    audit_report r;
    r.generator = o_.generator;

    // Scope.
    std::set<std::string> settings(o.settings.begin(), o.settings.end());
    for (const audit_case& c : d_.cases) settings.insert(c.setting);
    audit_report_scope& scope = r.scope;
    scope.title = o.title.empty() ? "Caseload review" : o.title;
    scope.period = {format_date(o.from), format_date(o.to)};
    scope.reviewer = o.reviewer;
    scope.settings.assign(settings.begin(), settings.end());
    for (uint32_t s = 0; s < d_.rule_sets.size(); ++s) {
        const rule_set& rs = d_.rule_sets[s];
        const auto n =
            std::count_if(d_.cases.begin(), d_.cases.end(), [&](const audit_case& c) { return c.rule_set == s; });
        scope.rule_sets.push_back({rs.setting, rs.schema.version, rs.schema.title,
                                   day_or_null(rs.schema.effective_from), day_or_null(rs.schema.effective_to),
                                   rs.schema.file, static_cast<uint64_t>(n)});
    }
    scope.params = o.params;
    scope.inputs = o.inputs;
    scope.pseudonymised_workers = o_.pseudonymise_workers;

    // Universe and sample.
    std::string settings_text;
    for (const auto& s : settings) settings_text += (settings_text.empty() ? "" : ", ") + s;
    r.universe = {"case records whose as-of date falls in " + format_date(o.from) + ".." + format_date(o.to) +
                      (o.settings.empty() ? std::string(", any setting") : ", settings: " + settings_text),
                  d_.files, d_.universe, d_.eliminated.size(), d_.unreadable.size() + d_.failed.size()};
    r.sample.method = o.method;
    r.sample.seed = o.seed;
    if (o.method == "stratified") r.sample.stratify_by = o.stratify_by;
    r.sample.size = d_.sample_size;
    r.sample.checked = d_.cases.size();
    for (const audit_stratum& s : d_.strata) r.sample.strata.push_back({s.key, s.universe, s.requested, s.sampled});
    r.eliminated = note_rows(d_.eliminated, &audit_report_eliminated::reason);
    std::vector<audit_note> unreadable = d_.unreadable;
    unreadable.insert(unreadable.end(), d_.failed.begin(), d_.failed.end());
    r.unreadable = note_rows(std::move(unreadable), &audit_report_unreadable::message);

    // Items and summary.
    audit_report_summary& sum = r.summary;
    for (const item& it : items_) {
        sum.items_applicable += it.applicable;
        sum.items_met += it.met;
        if (it.not_met) {
            ++sum.findings;
            (it.info->level == severity::error ? sum.errors : sum.warnings) += 1;
        }
        r.items.push_back({it.rule_id, it.setting, it.info->title, it.info->citation,
                           std::string(to_string(it.info->level)), it.info->kind, it.applicable, it.met, it.not_met,
                           it.not_applicable, rate_of(it.met, it.applicable)});
    }
    sum.cases = d_.cases.size();
    for (const audit_case& c : d_.cases) sum.cases_met += case_met(c);
    sum.case_rate = rate_of(sum.cases_met, sum.cases);
    sum.item_rate = rate_of(sum.items_met, sum.items_applicable);

    // Roll-ups.
    std::map<std::string, tally> by[4];
    for (const audit_case& c : d_.cases) {
        const std::string keys[4] = {worker(c.worker), c.office, c.as_of.substr(0, 7), c.setting};
        const bool ok = case_met(c);
        uint64_t a = 0, m = 0;
        for (rating x : c.ratings) {
            a += x != rating::not_applicable;
            m += x == rating::met;
        }
        for (int k = 0; k < 4; ++k) {
            tally& t = by[k][keys[k]];
            ++t.cases;
            t.cases_met += ok;
            t.applicable += a;
            t.met += m;
        }
    }
    std::vector<audit_report_group>* rollups[4] = {&r.rollups.worker, &r.rollups.office, &r.rollups.month,
                                                   &r.rollups.setting};
    for (int k = 0; k < 4; ++k)
        for (const auto& [key, t] : by[k])
            rollups[k]->push_back({key, t.cases, t.cases_met, rate_of(t.cases_met, t.cases), t.applicable, t.met,
                                   rate_of(t.met, t.applicable)});

    // Timeliness: every deadline and recurrence item that measured something.
    static const char* bucket_names[7] = {"0–25% of limit",    "25–50%", "50–75%",        "75–100%",
                                          "late by up to 25%", "later",  "not documented"};
    for (const auto& [key, m] : d_.timings) {
        const auto found = item_index_.find(key);
        if (found == item_index_.end()) continue;
        const item& it = items_[found->second];
        audit_report_timeliness t;
        t.rule_id = it.rule_id;
        t.setting = it.setting;
        t.title = it.info->title;
        t.kind = m.deadline ? "deadline" : "recurrence";
        t.n = m.n;
        t.cases = m.cases;
        t.within = m.within;
        if (m.deadline) {
            // Nearest-rank percentiles over the histogram of elapsed times (tenths of the unit).
            uint64_t documented = 0;
            for (const auto& [tenths, count] : m.elapsed) documented += count;
            auto percentile = [&, &m = m](double p) -> std::optional<audit_time> {
                if (!documented) return std::nullopt;
                const uint64_t rank =
                    std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(p * static_cast<double>(documented))));
                uint64_t seen = 0;
                for (const auto& [tenths, count] : m.elapsed)
                    if ((seen += count) >= rank) return static_cast<double>(tenths) / 10.0;
                return static_cast<double>(m.elapsed.rbegin()->first) / 10.0;
            };
            t.unit = m.hours ? "hours" : "days";
            t.limit = round1(m.limit);
            t.rate = rate_of(m.within, m.n);
            t.median = percentile(0.5);
            t.p90 = percentile(0.9);
            if (documented) t.max = static_cast<double>(m.elapsed.rbegin()->first) / 10.0;
            t.pending = m.pending;
            if (m.limit > 0) {
                for (size_t b = 0; b < m.shares.size(); ++b) t.buckets.push_back({bucket_names[b], m.shares[b]});
                t.buckets.push_back({bucket_names[6], m.pending});
            }
        } else {
            t.unit = m.periods ? "months" : "windows";
            t.periods = m.periods;
            t.periods_met = m.periods_met;
            t.rate = m.periods ? rate_of(m.periods_met, m.periods) : rate_of(m.within, m.n);
        }
        r.timeliness.push_back(std::move(t));
    }

    // Trend against a previous audit.
    if (!o_.previous_file.empty()) {
        audit_report prev;
        try {
            prev = read_audit_report(o_.previous_text);
        } catch (const error& e) {
            throw error(o_.previous_file, "not a casedoc audit report (" + e.message() + ")");
        }
        std::map<std::pair<std::string, std::string>, std::optional<double>> prev_rates;
        for (const audit_report_item& it : prev.items) prev_rates[{it.setting, it.rule_id}] = it.rate;
        audit_report_trend& trend = r.trend.emplace();
        trend.previous_file = o_.previous_file;
        trend.previous_period = prev.scope.period;
        trend.previous_rate = prev.summary.item_rate;
        trend.rate = sum.item_rate;
        trend.change = change(trend.previous_rate, trend.rate);
        for (const audit_report_item& it : r.items) {
            const auto p = prev_rates.find({it.setting, it.rule_id});
            const std::optional<double> before = p == prev_rates.end() ? std::nullopt : p->second;
            trend.items.push_back({it.rule_id, it.setting, before, it.rate, change(before, it.rate)});
        }
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
    std::map<uint32_t, std::vector<audit_report_evidence>> evidence;
    for (const audit_case& c : d_.cases)
        for (const audit_evidence& e : c.evidence)
            evidence[item_of_[c.rule_set][e.rule]].push_back(
                {c.record_id, c.file, e.line, e.element, worker(c.worker), c.office, c.as_of, e.message});
    for (uint32_t i : order) {
        const item& it = items_[i];
        const std::string level(to_string(it.info->level));
        r.findings.push_back({it.rule_id, it.setting, it.info->title, it.info->citation, level, it.not_met,
                              it.applicable, std::move(evidence[i])});
        if (it.info->level != severity::error) continue;
        char pct[32];
        std::snprintf(pct, sizeof pct, "%.1f%%",
                      100.0 * static_cast<double>(it.not_met) / static_cast<double>(it.applicable));
        const std::string cite = it.info->citation.empty() ? "rule " + it.rule_id : it.info->citation;
        r.corrective_actions.push_back(
            {r.corrective_actions.size() + 1, it.rule_id, it.setting, it.info->citation, level,
             it.rule_id + ": " + it.info->title,
             "The agency is not in compliance with " + cite + " because " + std::to_string(it.not_met) + " of " +
                 std::to_string(it.applicable) + " applicable cases (" + pct +
                 ") reviewed did not meet it: " + it.info->title + ".",
             "", "", ""});
    }
    return r;
}

// A sampled case as the report lists it.
audit_report_case report_builder::case_row(const audit_case& c) const {
    const rule_set& rs = d_.rule_sets[c.rule_set];
    audit_report_case row{c.record_id, c.file,  c.setting, rs.schema.version, worker(c.worker), c.office, c.as_of,
                          c.as_of.substr(0, 7), c.stratum, case_met(c) ? "met" : "not met", 0, 0, {}};
    for (size_t i = 0; i < c.ratings.size(); ++i) {
        row.applicable += c.ratings[i] != rating::not_applicable;
        row.met += c.ratings[i] == rating::met;
        if (c.ratings[i] == rating::not_met) row.not_met.push_back(rs.rules[i].id);
    }
    std::sort(row.not_met.begin(), row.not_met.end());
    return row;
}

void report_builder::csv(std::ostream& out) const {
    write_delimited_row(
        out, {"record_id", "setting", "worker", "office", "month", "stratum", "rule_id", "severity", "rating"}, ',');
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
            write_delimited_row(out,
                                {c.record_id, c.setting, w, c.office, month, c.stratum, rs.rules[i].id,
                                 std::string(to_string(rs.rules[i].level)), std::string(to_string(c.ratings[i]))},
                                ',');
    }
}

} // namespace

std::string audit_report_json(const audit_data& data, const audit_report_options& options) {
    const report_builder b(data, options);
    // The cases are made one at a time as they are written: a caseload can hold millions.
    return write_audit_report(b.build(), data.cases.size(), [&](size_t i) { return b.case_row(data.cases[i]); });
}

void write_audit_csv(std::ostream& out, const audit_data& data, const audit_report_options& options) {
    report_builder(data, options).csv(out);
}

} // namespace casedoc
