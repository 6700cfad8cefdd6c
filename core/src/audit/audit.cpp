#include <casedoc/audit/audit.hpp>
#include "audit_partial_format.hpp"
#include <casedoc/check/batch.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/check/validator.hpp>
#include <casedoc/xml/record.hpp>

#include <casedoc/base/hashing.hpp>

#include <pugixml.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <tuple>
#include <unordered_map>

namespace casedoc {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---- Sampling -----------------------------------------------------------------------------------------

struct root_info : record_root {
    std::string stratum;
};

root_info read_root(const fs::path& file, const std::string& stratify_by) {
    root_info r;
    static_cast<record_root&>(r) = read_record_root(file, stratify_by == "setting" ? std::string() : stratify_by);
    r.stratum = stratify_by == "setting" ? r.setting : r.named;
    return r;
}

struct candidate {
    fs::path file;
    root_info root;
    uint64_t key = 0;
};

bool by_record(const candidate& a, const candidate& b) {
    return std::tie(a.root.id, a.file) < std::tie(b.root.id, b.file);
}

const std::string no_value = "(none)";

std::string or_none(const std::string& s) { return s.empty() ? no_value : s; }

void add_measure(audit_timing& a, const timing_measure& t) {
    ++a.n;
    a.within += t.met;
    a.deadline = t.deadline;
    a.hours = t.hours;
    a.periods += t.periods;
    a.periods_met += t.periods_met;
    if (!t.deadline) return;
    if (!a.have_limit || t.limit < a.limit) a.limit = t.limit;
    a.have_limit = true;
    if (!t.documented) {
        ++a.pending;
        return;
    }
    ++a.elapsed[std::llround(t.elapsed * 10.0)];
    if (t.limit <= 0) return; // a deadline before its anchor ("at least N hours before"): no shares of it
    const double share = t.elapsed / t.limit;
    ++a.shares[share <= 0.25 ? 0 : share <= 0.5 ? 1 : share <= 0.75 ? 2 : share <= 1 ? 3 : share <= 1.25 ? 4 : 5];
}

} // namespace

void audit_timing::add(const audit_timing& o) {
    n += o.n;
    within += o.within;
    pending += o.pending;
    cases += o.cases;
    periods += o.periods;
    periods_met += o.periods_met;
    if (o.have_limit && (!have_limit || o.limit < limit)) limit = o.limit;
    have_limit = have_limit || o.have_limit;
    hours = o.hours;
    deadline = o.deadline;
    for (size_t i = 0; i < shares.size(); ++i) shares[i] += o.shares[i];
    for (const auto& [tenths, count] : o.elapsed) elapsed[tenths] += count;
}

std::pair<int64_t, int64_t> parse_audit_period(const std::string& text) {
    const size_t dots = text.find("..");
    const auto from = dots == std::string::npos ? std::nullopt : parse_date(text.substr(0, dots));
    const auto to = dots == std::string::npos ? std::nullopt : parse_date(text.substr(dots + 2));
    if (!from || !to) throw error("", "--period '" + text + "': expected FROM..TO, two dates YYYY-MM-DD");
    if (*to < *from) throw error("", "--period '" + text + "': the period ends before it starts");
    return {*from, *to};
}

audit_data run_audit(const audit_options& o, unsigned jobs, const plugin_host& plugins, const schema_catalog& schemas,
                     const audit_progress& progress) {
    if (o.shards == 0 || o.shard == 0 || o.shard > o.shards) throw error("", "--shard K/N needs 1 <= K <= N");
    if (o.method != "all" && o.method != "random" && o.method != "stratified")
        throw error("", "--sample '" + o.method + "': expected all, random or stratified");
    if (o.method == "random" && o.size == 0) throw error("", "--sample random needs --size N (N >= 1)");
    if (o.method == "stratified" && o.stratify_by.empty()) throw error("", "--sample stratified needs --stratify-by");
    if (o.method == "stratified" && o.size == 0 && o.stratum_sizes.empty())
        throw error("", "--sample stratified needs --size N (per stratum) or --stratum KEY=N");
    for (const auto& s : o.settings)
        if (!plugins.find(s)) {
            const plugin_failure* failed = plugins.failure(s);
            throw error("", "--setting '" + s + "': " +
                                (failed ? failed->reason() : std::string("no plugin with that id is loaded")));
        }

    audit_data d;
    d.options = o;
    d.shards_merged = {o.shard};
    std::vector<std::string> files = expand_inputs(o.inputs);
    d.files = files.size();

    // 1. The universe, from each file's root element; everything else is eliminated or unreadable.
    std::vector<candidate> universe;
    const std::set<std::string> wanted(o.settings.begin(), o.settings.end());
    for (std::string& f : files) {
        root_info r;
        try {
            r = read_root(f, o.method == "stratified" ? o.stratify_by : std::string());
        } catch (const error& e) {
            d.unreadable.push_back({f, "", e.line(), e.column(), e.message()});
            continue;
        }
        auto eliminate = [&](const std::string& why) { d.eliminated.push_back({f, r.id, 0, 0, why}); };
        if (r.type != "case-record") {
            eliminate("not a case record (document type " + r.type + ")");
            continue;
        }
        if (!wanted.empty() && !wanted.count(r.setting)) {
            eliminate("setting " + r.setting + " is not under review");
            continue;
        }
        if (!plugins.find(r.setting)) {
            const plugin_failure* failed = plugins.failure(r.setting);
            d.unreadable.push_back({f, r.id, 0, 0,
                                    failed ? failed->reason()
                                           : "unknown setting '" + r.setting + "' (no plugin loaded for it)"});
            continue;
        }
        const auto as_of = parse_date(r.as_of);
        if (!as_of) {
            d.unreadable.push_back({f, r.id, 0, 0,
                                    "the case record has no as-of date (YYYY-MM-DD), so its service date is unknown"});
            continue;
        }
        if (*as_of < o.from || *as_of > o.to) {
            eliminate("as-of " + r.as_of + " is outside the period");
            continue;
        }
        candidate c{fs::path(std::move(f)), std::move(r), 0};
        c.key = detail::splitmix64(o.seed ^ detail::fnv1a64(c.root.id));
        universe.push_back(std::move(c));
    }
    d.universe = universe.size();
    std::vector<std::string>().swap(files); // memory: what is kept per record is the candidate

    // 2. The sample: the records with the smallest keys, overall or per stratum.
    std::map<std::string, std::vector<candidate>> strata;
    for (candidate& c : universe)
        strata[o.method == "stratified" ? or_none(c.root.stratum) : "all"].push_back(std::move(c));
    for (const auto& [key, n] : o.stratum_sizes)
        if (!strata.count(key)) strata[key]; // a stratum asked for but empty: listed with 0
    std::vector<candidate> sample;
    for (auto& [key, members] : strata) {
        audit_stratum s;
        s.key = key;
        s.universe = members.size();
        if (o.method == "all") s.requested = members.size();
        else if (auto it = o.stratum_sizes.find(key); it != o.stratum_sizes.end()) s.requested = it->second;
        else s.requested = o.size;
        std::sort(members.begin(), members.end(), [](const candidate& a, const candidate& b) {
            return std::tie(a.key, a.file) < std::tie(b.key, b.file);
        });
        s.sampled = std::min<uint64_t>(s.requested, members.size());
        for (uint64_t i = 0; i < s.sampled; ++i) sample.push_back(std::move(members[i]));
        d.strata.push_back(s);
    }
    d.sample_size = sample.size();
    std::sort(sample.begin(), sample.end(), by_record);

    // 3. This shard's slice, checked with every rule rated.
    std::vector<std::string> mine;
    std::vector<root_info> mine_info;
    for (size_t i = 0; i < sample.size(); ++i)
        if (i % o.shards == o.shard - 1) {
            mine.push_back(sample[i].file.string());
            mine_info.push_back(std::move(sample[i].root));
        }
    std::vector<candidate>().swap(sample);
    validator_options vo;
    vo.params = o.params;
    vo.rate = true;
    vo.limits = o.limits;
    std::map<std::tuple<std::string, std::string, std::string>, uint32_t> set_index;
    size_t done = 0;
    run_batch(mine, jobs, plugins, schemas, vo, [&](record_result&& r) {
        const root_info& root = mine_info[done++];
        if (progress) progress(done, mine.size());
        if (r.status == record_status::error || !r.rating.rules) {
            if (r.status != record_status::error && !r.findings.empty()) { // of a document type no schema is for
                const finding& f = r.findings.front();
                d.failed.push_back({r.file, root.id, f.where.line, f.where.column, f.message});
                return;
            }
            d.failed.push_back({r.file, root.id, r.error_line, r.error_column, r.error});
            return;
        }
        const rule_set& rs = *r.rating.rules;
        const auto key = std::make_tuple(rs.setting, rs.document_type, rs.schema.file);
        auto [it, added] = set_index.emplace(key, static_cast<uint32_t>(d.rule_sets.size()));
        if (added) d.rule_sets.push_back(rs);
        audit_case k;
        k.file = r.file;
        k.record_id = root.id;
        k.setting = root.setting;
        k.worker = or_none(root.worker);
        k.office = or_none(root.office);
        k.as_of = root.as_of;
        k.stratum = o.method == "stratified" ? or_none(root.stratum) : "all";
        k.rule_set = it->second;
        // Copied, not moved: what is kept is allocated by this thread, so the workers' arenas, which churn
        // through parse trees, are not pinned by small long-lived blocks (fragmentation grew memory 3 KB/record).
        k.ratings.assign(r.rating.ratings.begin(), r.rating.ratings.end());
        for (uint32_t i = 0; i < k.ratings.size(); ++i) {
            if (k.ratings[i] != rating::not_met) continue;
            const std::string& id = rs.rules[i].id;
            const auto f =
                std::find_if(r.findings.begin(), r.findings.end(), [&](const finding& x) { return x.rule_id == id; });
            if (f == r.findings.end()) k.evidence.push_back({i, 0, {}, {}});
            else k.evidence.push_back({i, f->where.line, f->where.element, f->message});
        }
        std::set<uint32_t> timed;
        for (const timing_measure& t : r.rating.timings) {
            audit_timing& a = d.timings[{rs.setting, rs.rules[t.rule].id}];
            a.cases += timed.insert(t.rule).second;
            add_measure(a, t);
        }
        d.cases.push_back(std::move(k));
    });

    // Rule sets in a fixed order, so the results do not depend on which thread met which schema first.
    std::vector<uint32_t> order(d.rule_sets.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        const rule_set &x = d.rule_sets[a], &y = d.rule_sets[b];
        return std::tie(x.setting, x.document_type, x.schema.file) <
               std::tie(y.setting, y.document_type, y.schema.file);
    });
    std::vector<uint32_t> new_index(order.size());
    std::vector<rule_set> sorted;
    for (uint32_t i = 0; i < order.size(); ++i) {
        new_index[order[i]] = i;
        sorted.push_back(std::move(d.rule_sets[order[i]]));
    }
    d.rule_sets = std::move(sorted);
    for (audit_case& k : d.cases) k.rule_set = new_index[k.rule_set];
    spdlog::debug("audit shard {}/{}: {} files, universe {}, sample {}, checked {}, failed {}", o.shard, o.shards,
                  d.files, d.universe, d.sample_size, d.cases.size(), d.failed.size());
    return d;
}

audit_data merge_audit(std::vector<audit_data> parts, const std::vector<std::string>& names) {
    if (parts.empty()) throw error("", "audit merge needs the partial results of every shard");
    const json first = parts.front().options; // all but the shard: the same for every shard of one audit
    std::set<unsigned> shards;
    for (size_t i = 0; i < parts.size(); ++i) {
        const std::string name = i < names.size() ? names[i] : "partial " + std::to_string(i + 1);
        if (json(parts[i].options) != first)
            throw error(name, "is a shard of another audit (its period, inputs, sample, settings, "
                              "parameters or reviewer differ from " +
                                  (names.empty() ? std::string("the first") : names.front()) + ")");
        const audit_data& p = parts[i];
        const audit_data& f = parts.front();
        if (p.files != f.files || p.universe != f.universe || p.sample_size != f.sample_size)
            throw error(name, "saw other records than " + (names.empty() ? std::string("the first") : names.front()) +
                                  " (the inputs changed between the shards' runs)");
        for (unsigned s : p.shards_merged)
            if (!shards.insert(s).second)
                throw error(name, "holds shard " + std::to_string(s) + ", which another partial result holds too");
    }
    const unsigned n = parts.front().options.shards;
    for (unsigned s = 1; s <= n; ++s)
        if (!shards.count(s))
            throw error("", "audit merge: the partial result of shard " + std::to_string(s) + "/" + std::to_string(n) +
                                " is missing");
    if (shards.size() != n) throw error("", "audit merge: a partial result names a shard beyond " + std::to_string(n));

    audit_data whole = std::move(parts.front());
    whole.options.shard = 1;
    whole.shards_merged.clear();
    for (unsigned s = 1; s <= n; ++s) whole.shards_merged.push_back(s);
    // Rule sets by key; cases re-pointed.
    auto key_of = [](const rule_set& r) { return std::make_tuple(r.setting, r.document_type, r.schema.file); };
    std::map<std::tuple<std::string, std::string, std::string>, rule_set> sets;
    std::vector<std::vector<audit_case>> case_lists;
    std::vector<audit_data*> all;
    all.push_back(&whole);
    for (size_t i = 1; i < parts.size(); ++i) all.push_back(&parts[i]);
    for (audit_data* p : all) {
        for (const rule_set& r : p->rule_sets) sets.emplace(key_of(r), r);
        if (p == &whole) continue;
        whole.failed.insert(whole.failed.end(), p->failed.begin(), p->failed.end());
        for (const auto& [key, t] : p->timings) whole.timings[key].add(t);
    }
    std::vector<rule_set> merged_sets;
    std::map<std::tuple<std::string, std::string, std::string>, uint32_t> index;
    for (auto& [k, r] : sets) {
        index[k] = static_cast<uint32_t>(merged_sets.size());
        merged_sets.push_back(std::move(r));
    }
    std::vector<audit_case> cases;
    for (audit_data* p : all)
        for (audit_case& c : p->cases) {
            c.rule_set = index.at(key_of(p->rule_sets[c.rule_set]));
            cases.push_back(std::move(c));
        }
    std::sort(cases.begin(), cases.end(), [](const audit_case& a, const audit_case& b) {
        return std::tie(a.record_id, a.file) < std::tie(b.record_id, b.file);
    });
    std::sort(whole.failed.begin(), whole.failed.end(),
              [](const audit_note& a, const audit_note& b) { return a.file < b.file; });
    whole.rule_sets = std::move(merged_sets);
    whole.cases = std::move(cases);
    return whole;
}

} // namespace casedoc
