// casedoc audit CASELOAD... --period FROM..TO -o DIR: a funder-style caseload review (docs/audit-report.md),
// written as DIR/audit.json, audit.csv and audit.pdf, each whole or not at all.
// casedoc audit ... --shard K/N --partial FILE: one slice of it; casedoc audit merge FILE... -o DIR: the whole.
// Exit 0 every record in the sample checked; 2 some could not be read or checked (the report lists them), or
// the audit could not run (nothing written).
#include "commands.hpp"

#include <casedoc/audit/audit.hpp>
#include <casedoc/audit/audit_files.hpp>
#include <casedoc/base/atomic_file.hpp>
#include <casedoc/base/counted.hpp>
#include <casedoc/base/error.hpp>

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace casedoc::tools {

namespace {

namespace fs = std::filesystem;

struct audit_command_options {
    audit_options audit;
    std::string period, shard, partial, output, previous, pseudonym_key;
    std::vector<std::string> strata, params, merge_inputs;
    bool pseudonymise = false, no_progress = false;
    unsigned jobs = 0;
};

// A progress bar on standard error when it is a terminal, redrawn at most ten times a second.
class progress_bar {
public:
    explicit progress_bar(bool enabled) : enabled_(enabled && ::isatty(STDERR_FILENO)) {}
    void operator()(uint64_t done, uint64_t total) {
        if (!enabled_) return;
        const auto now = std::chrono::steady_clock::now();
        if (done != total && now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        const int width = 40, filled = total ? static_cast<int>(width * done / total) : width;
        std::fprintf(stderr, "\rchecking [%s%s] %llu/%llu records", std::string(static_cast<size_t>(filled), '=').c_str(),
                     std::string(static_cast<size_t>(width - filled), ' ').c_str(), static_cast<unsigned long long>(done),
                     static_cast<unsigned long long>(total));
        if (done == total) std::fputc('\n', stderr);
        std::fflush(stderr);
    }

private:
    bool enabled_;
    std::chrono::steady_clock::time_point last_{};
};

std::string read_text(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw error(file, std::string("cannot read file: ") + std::strerror(errno));
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Writes audit.json, audit.csv and audit.pdf into the output directory, and says what the audit covered.
int write_report(audit_data data, const audit_command_options& o) {
    audit_report_options ro;
    ro.generator = std::string("casedoc ") + CASEDOC_VERSION;
    ro.pseudonymise_workers = o.pseudonymise;
    ro.pseudonym_key = o.pseudonym_key;
    if (!o.previous.empty()) {
        ro.previous_file = o.previous;
        ro.previous_text = read_text(o.previous);
    }
    std::ostringstream summary;
    const uint64_t lost = data.unreadable.size() + data.failed.size();
    summary << "audit: " << counted(data.files, "file") << ", " << counted(data.universe, "case record")
            << " in the period, " << data.eliminated.size()
            << " eliminated, sample " << data.sample_size << " (" << data.options.method << ", seed " << data.options.seed
            << "), " << data.cases.size() << " checked, " << lost << " could not be read or checked\n";
    std::vector<audit_note> problems = data.unreadable;
    problems.insert(problems.end(), data.failed.begin(), data.failed.end());
    write_audit_files(std::move(data), ro, o.output);
    std::cout << summary.str() << "report: " << (fs::path(o.output) / "audit.pdf").string() << ", audit.json, audit.csv\n";
    for (const audit_note& n : problems)
        std::cerr << "casedoc: could not check: " << n.file << (n.line ? ":" + std::to_string(n.line) : std::string()) << ": "
                  << n.reason << '\n';
    return lost ? 2 : 0;
}

int run_audit_command(const common_options& common, audit_command_options o) {
    std::tie(o.audit.from, o.audit.to) = parse_audit_period(o.period);
    o.audit.params = parse_params(o.params);
    for (const std::string& s : o.strata) {
        const size_t eq = s.rfind('=');
        char* end = nullptr;
        const unsigned long long n = eq == std::string::npos ? 0 : std::strtoull(s.c_str() + eq + 1, &end, 10);
        if (eq == std::string::npos || eq == 0 || !end || *end || end == s.c_str() + eq + 1)
            throw error("", "--stratum '" + s + "': expected KEY=N");
        o.audit.stratum_sizes[s.substr(0, eq)] = n;
    }
    if (!o.shard.empty()) {
        unsigned k = 0, n = 0;
        char tail = 0;
        if (std::sscanf(o.shard.c_str(), "%u/%u%c", &k, &n, &tail) != 2 || k == 0 || k > n)
            throw error("", "--shard '" + o.shard + "': expected K/N with 1 <= K <= N");
        o.audit.shard = k;
        o.audit.shards = n;
        if (o.partial.empty()) throw error("", "--shard needs --partial FILE (merge the partial results with casedoc audit merge)");
    }
    if (o.partial.empty() && o.output.empty()) throw error("", "audit needs -o DIR (or --shard K/N --partial FILE)");
    plugin_host host;
    schema_catalog catalog;
    setup(common, host, &catalog);
    progress_bar bar(!o.no_progress);
    audit_data data = run_audit(o.audit, o.jobs, host, catalog, [&](uint64_t d, uint64_t t) { bar(d, t); });
    if (!o.partial.empty()) {
        atomic_file out(o.partial);
        out.stream() << audit_partial_json(data);
        out.commit();
        std::cout << "audit shard " << o.audit.shard << "/" << o.audit.shards << ": " << data.cases.size() << " of "
                  << counted(data.sample_size, "sampled record") << " checked, " << data.failed.size()
                  << " could not be checked; partial result: " << o.partial << '\n';
        return data.failed.empty() && data.unreadable.empty() ? 0 : 2;
    }
    return write_report(std::move(data), o);
}

int run_merge_command(const audit_command_options& o) {
    std::vector<audit_data> parts;
    for (const std::string& f : o.merge_inputs) parts.push_back(read_audit_partial(read_text(f), f));
    return write_report(merge_audit(std::move(parts), o.merge_inputs), o);
}

void add_report_options(CLI::App& sub, audit_command_options& o) {
    sub.add_option("--previous", o.previous, "A previous audit.json: adds the trend of every item's rate against it");
    sub.add_flag("--pseudonymise-workers", o.pseudonymise,
                 "Replace worker ids by W- and 8 hex digits of a keyed hash (key: --pseudonym-key, else the seed)");
    sub.add_option("--pseudonym-key", o.pseudonym_key, "Secret key for --pseudonymise-workers");
}

} // namespace

void add_audit_command(CLI::App& app, common_options& common, command_action& action) {
    auto* sub = app.add_subcommand("audit", "Audit a caseload for a funder: sample, rate every rule per case, roll up, report "
                                            "as PDF, JSON and CSV (docs/audit-report.md)");
    auto o = std::make_shared<audit_command_options>();
    sub->add_option("caseload", o->audit.inputs, "Case record files or directories of them");
    add_limit_options(*sub, o->audit.limits);
    sub->add_option("--period", o->period, "Period under review, FROM..TO (YYYY-MM-DD..YYYY-MM-DD): records whose as-of falls in it");
    sub->add_option("-o,--output", o->output, "Directory for audit.json, audit.csv and audit.pdf (created if needed)");
    sub->add_option("--setting", o->audit.settings, "Review only this setting (repeat for several; default: every setting found)")
        ->allow_extra_args(false);
    sub->add_option("--sample", o->audit.method, "Sampling: all (default), random or stratified")
        ->check(CLI::IsMember({"all", "random", "stratified"}));
    sub->add_option("--size", o->audit.size, "random: sample size; stratified: size of each stratum not named by --stratum");
    sub->add_option("--seed", o->audit.seed, "Sampling seed (default 0); the same seed and records give the same sample");
    sub->add_option("--stratify-by", o->audit.stratify_by,
                    "stratified: setting, office, worker or another attribute of the case record's root element");
    sub->add_option("--stratum", o->strata, "stratified: size of one stratum, KEY=N (repeat)")->allow_extra_args(false);
    sub->add_option("--reviewer", o->audit.reviewer, "The reviewer's name, printed in the scope and attestation");
    sub->add_option("--title", o->audit.title, "Report title (default: Caseload review)");
    sub->add_option("--param", o->params, "Agency policy value, NAME=VALUE")->allow_extra_args(false);
    sub->add_option("--shard", o->shard, "Check only slice K of N of the sample (K/N), for array jobs; needs --partial");
    sub->add_option("--partial", o->partial, "With --shard: write the partial result here, for casedoc audit merge");
    sub->add_flag("--no-progress", o->no_progress, "No progress bar (it is shown only on a terminal anyway)");
    sub->add_option("-j,--jobs", o->jobs, "Threads (default: all cores)");
    add_report_options(*sub, *o);
    add_directory_options(*sub, common);

    auto* merge = sub->add_subcommand("merge", "Merge the partial results of every shard into the report the unsplit audit gives");
    merge->add_option("partials", o->merge_inputs, "Partial results written by --shard K/N --partial FILE")->required();
    merge->add_option("-o,--output", o->output, "Directory for audit.json, audit.csv and audit.pdf")->required();
    add_report_options(*merge, *o);

    sub->callback([&action, &common, o, merge] {
        if (merge->parsed()) {
            action = [o] { return run_merge_command(*o); };
            return;
        }
        if (o->audit.inputs.empty()) throw CLI::RequiredError("caseload");
        if (o->period.empty()) throw CLI::RequiredError("--period");
        action = [&common, o] { return run_audit_command(common, *o); };
    });
}

} // namespace casedoc::tools
