// A caseload audit (docs/audit-report.md): the universe of case records in a period, a reproducible
// sample, every rule of each sampled record rated met / not met / not applicable, and the partial results
// of a split audit merged into the whole. The report built from it is in audit_report.hpp.
#ifndef CASEDOC_AUDIT_AUDIT_HPP
#define CASEDOC_AUDIT_AUDIT_HPP

#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/check/rating.hpp>
#include <casedoc/schematron/schema_catalog.hpp>
#include <casedoc/xml/record_limits.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace casedoc {

struct audit_options {
    std::vector<std::string> inputs;   // files and directories of case records, as given
    int64_t from = 0, to = 0;          // the period under review, days since 1970-01-01, inclusive
    std::vector<std::string> settings; // the settings reviewed; empty: every setting found
    std::string method = "all";        // "all", "random" or "stratified"
    uint64_t seed = 0;
    uint64_t size = 0;                 // random: the sample size; stratified: the size of each stratum
    std::string stratify_by;           // stratified: "setting", "office", "worker" or a root attribute
    std::map<std::string, uint64_t> stratum_sizes; // stratified: sizes of named strata (others: size)
    std::map<std::string, std::string> params;     // agency policy values (--param)
    std::string reviewer, title;
    unsigned shard = 1, shards = 1;    // this run checks slice `shard` of `shards` (1-based)
    record_limits limits;              // a record over one is not checked (listed with why)
};

// A record left out, or one that could not be read or checked, and why.
struct audit_note {
    std::string file, record_id;
    unsigned line = 0, column = 0;
    std::string reason;
};

struct audit_stratum {
    std::string key;
    uint64_t universe = 0, requested = 0, sampled = 0;
};

// What one deadline or recurrence rule measured across the cases, as sums, so that shards merge exactly
// and memory does not grow with the caseload: counts, shares of the limit, and a histogram of the elapsed
// times in tenths of the unit (medians and percentiles come from it).
struct audit_timing {
    uint64_t n = 0, within = 0, pending = 0, cases = 0; // measures, met, deadlines with no date documented
    uint64_t periods = 0, periods_met = 0;              // calendar-month recurrence
    double limit = 0;                                   // the smallest limit seen (rule-set versions may differ)
    bool hours = false, deadline = true, have_limit = false;
    std::array<uint64_t, 6> shares{};                   // elapsed / limit: <=25%, <=50%, <=75%, <=100%, <=125%, more
    std::map<int64_t, uint64_t> elapsed;                // tenths of the unit -> measures
    void add(const audit_timing& other);
};

struct audit_evidence {
    uint32_t rule = 0; // index into the case's rule set
    unsigned line = 0;
    std::string element, message; // of the rule's first finding in the record
};

struct audit_case {
    std::string file, record_id, setting, worker, office, as_of, stratum;
    uint32_t rule_set = 0;         // index into audit_data::rule_sets
    std::vector<rating> ratings;   // parallel to the rule set's rules
    std::vector<audit_evidence> evidence; // one per rule not met, in rule order
};

// An audit's results, whole or one shard of it.
struct audit_data {
    audit_options options;
    uint64_t files = 0;                     // input files read
    uint64_t universe = 0;                  // case records in the universe
    std::vector<audit_note> eliminated;     // inputs outside the universe, with the reason
    std::vector<audit_note> unreadable;     // inputs whose root could not be read (every shard lists them)
    std::vector<audit_note> failed;         // sampled records that could not be checked (this shard's)
    std::vector<audit_stratum> strata;      // one ("all") unless stratified
    uint64_t sample_size = 0;
    std::vector<unsigned> shards_merged;    // the shard numbers these results hold
    std::vector<rule_set> rule_sets;        // sorted by setting, document type, version
    std::vector<audit_case> cases;          // sorted by record id, then file
    std::map<std::pair<std::string, std::string>, audit_timing> timings; // by setting and rule id
};

// Called now and then while records are checked: records done, records to check.
using audit_progress = std::function<void(uint64_t done, uint64_t total)>;

// Runs an audit (or one shard of it): reads the root element of every input to find the universe, draws
// the sample, checks this shard's slice of it on `jobs` threads. Throws casedoc::error for bad options or
// inputs that are not there (an empty directory); records that cannot be read are listed, not thrown.
audit_data run_audit(const audit_options& options, unsigned jobs, const plugin_host& plugins,
                     const schema_catalog& schemas, const audit_progress& progress = {});

// The partial results of shards, as JSON (format "casedoc-audit-partial/1"), and back.
std::string audit_partial_json(const audit_data& data);
audit_data read_audit_partial(const std::string& text, const std::string& file); // throws casedoc::error

// Combines the partial results of every shard of one audit into the whole (what an unsplit run gives).
// Throws casedoc::error when they are not shards of one audit, or a shard is missing or given twice.
audit_data merge_audit(std::vector<audit_data> parts, const std::vector<std::string>& names);

// "FROM..TO" (YYYY-MM-DD) to days; throws casedoc::error.
std::pair<int64_t, int64_t> parse_audit_period(const std::string& text);

} // namespace casedoc

#endif // CASEDOC_AUDIT_AUDIT_HPP
