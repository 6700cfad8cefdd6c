// casedoc validate [options] RECORD|DIR|-...   exit 0 compliant, 1 not compliant, 2 could not check
// casedoc validate --schema S.sch --format svrl DOCUMENT   plain ISO Schematron, SVRL out
// casedoc validate --format svrl --out DIR RECORD|DIR...     one SVRL file per document in DIR
#include "commands.hpp"

#include <casedoc/base/atomic_file.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/check/batch.hpp>
#include <casedoc/check/report.hpp>
#include <casedoc/check/validator.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/schematron/svrl.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>

namespace casedoc::tools {

namespace {

struct validate_options {
    std::vector<std::string> inputs, params;
    std::string format = "text", schema_file, phase, out, as_of;
    unsigned jobs = 0;
    bool strict = false;
    double timeout = 0;
    record_limits limits;
};

namespace fs = std::filesystem;

// Where --out puts each document's SVRL: DIR/<file name without .xml>.svrl (standard input: stdin.svrl).
// Throws casedoc::error before anything is checked when two documents would share a name.
std::vector<fs::path> svrl_targets(const std::vector<std::string>& files, const fs::path& dir) {
    std::vector<fs::path> out;
    std::map<fs::path, fs::path> taken; // target -> the document that takes it
    for (const std::string& file : files) {
        const fs::path f(file);
        fs::path name = f == "-" ? fs::path("stdin") : f.filename();
        if (name.extension() == ".xml") name.replace_extension();
        fs::path target = dir / name;
        target += ".svrl";
        if (auto [it, fresh] = taken.emplace(target, f); !fresh)
            throw error(f.string(), "its SVRL would overwrite that of " + it->second.string() + " (" +
                                        target.string() + "): give documents with different file names");
        out.push_back(std::move(target));
    }
    return out;
}

// One SVRL file per document, written whole or not at all; a document that could not be checked gets none
// and is reported on standard error.
int write_svrl_files(const std::vector<std::string>& files, const fs::path& dir, unsigned jobs, const plugin_host& host,
                     const schema_catalog& catalog, const validator_options& vo) {
    const std::vector<fs::path> targets = svrl_targets(files, dir);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw error(dir.string(), "cannot create the directory: " + ec.message());
    batch_summary summary;
    std::vector<std::string> unwritten;
    size_t next = 0; // results arrive in input order
    run_batch(files, jobs, host, catalog, vo, [&](record_result&& r) {
        const fs::path& target = targets[next++];
        summary.add(r);
        if (r.status == record_status::error) {
            write_text(r, std::cerr);
            return;
        }
        try {
            atomic_file file(target);
            write_svrl(r.svrl, file.stream());
            file.commit();
        } catch (const error& e) { // checked but not written (a full disk, no permission): said, and the batch goes on
            std::cerr << "casedoc: error: " << e.what() << '\n';
            unwritten.push_back(target.string());
        }
    });
    std::cout.flush();
    write_text_summary(summary, std::cerr);
    for (const std::string& f : unwritten) std::cerr << "casedoc: not written: " << f << '\n';
    if (!unwritten.empty()) std::cerr << "casedoc: " << unwritten.size() << " of " << files.size() << " SVRL files could not be written\n";
    return unwritten.empty() ? summary.exit_status() : 2;
}

int run_validate(const common_options& common, const validate_options& o) {
    const auto& [inputs, params, format, schema_file, phase, out, as_of, jobs, strict, timeout, limits] = o;
    if (!as_of.empty() && !parse_date(as_of)) throw error("", "--as-of '" + as_of + "': expected a date, YYYY-MM-DD");
    validator_options vo;
    vo.phase = phase;
    vo.strict = strict;
    vo.schema = schema_file;
    vo.svrl = format == "svrl";
    vo.params = parse_params(params);
    vo.timeout_per_record = timeout;
    vo.as_of = as_of;
    vo.limits = limits;
    plugin_host host;
    schema_catalog catalog;
    if (schema_file.empty()) setup(common, host, &catalog);
    else {
        schema_options so; // a bad schema is exit 2 before any record is read
        so.phase = phase;
        so.params = vo.params;
        so.strict = strict;
        log_warnings(*schema::load(schema_file, so));
    }
    if (std::count(inputs.begin(), inputs.end(), "-") > 1) throw error("", "standard input (-) can be read only once");
    const auto files = expand_inputs(inputs);
    if (!out.empty() && format != "svrl") throw error("", "--out is for --format svrl (one SVRL file per document)");
    if (format == "svrl" && files.size() != 1 && out.empty())
        throw error("", "--format svrl writes one report to standard output: give one document, or --out DIR for "
                        "one SVRL file per document");
    if (!out.empty()) return write_svrl_files(files, out, jobs, host, catalog, vo);

    batch_summary summary;
    if (format == "svrl") {
        validator v(host, catalog, vo);
        record_result r = v.check_file(files.front());
        summary.add(r);
        if (r.status == record_status::error) {
            write_text(r, std::cerr);
            return 2;
        }
        write_svrl(r.svrl, std::cout);
        return summary.exit_status();
    }
    std::unique_ptr<json_report_writer> json;
    if (format == "json") json = std::make_unique<json_report_writer>(std::cout);
    run_batch(files, jobs, host, catalog, vo, [&](record_result&& r) {
        summary.add(r);
        if (json) json->add(r);
        else write_text(r, r.status == record_status::error ? std::cerr : std::cout);
    });
    if (json) json->finish(summary);
    else if (files.size() > 1 || summary.errors || summary.findings_error + summary.findings_warning) {
        std::cout.flush();
        write_text_summary(summary, std::cerr);
    }
    return summary.exit_status();
}

} // namespace

void add_validate_command(CLI::App& app, common_options& common, command_action& action) {
    auto* sub = app.add_subcommand("validate", "Check records against the documentation rules of their setting");
    auto o = std::make_shared<validate_options>();
    sub->add_option("records", o->inputs, "Record files or directories of records (- reads standard input)")
        ->required();
    sub->add_option("--format", o->format, "Output: text, json or svrl")->check(CLI::IsMember({"text", "json", "svrl"}));
    sub->add_option("--schema", o->schema_file, "Validate any XML document against this ISO Schematron schema");
    sub->add_option("--phase", o->phase, "Schematron phase (#ALL, #DEFAULT or a phase id)");
    sub->add_option("--param", o->params, "Agency policy value, NAME=VALUE (e.g. note-sign-hours=48)")->allow_extra_args(false);
    sub->add_option("-o,--out", o->out, "With --format svrl: a directory for one SVRL file per document "
                                        "(<name>.svrl, written whole or not at all)");
    sub->add_option("--as-of", o->as_of,
                    "Review every case record on this date (YYYY-MM-DD) instead of its own as-of: the deadlines and "
                    "periods it closes, and the schema in force on it");
    sub->add_option("-j,--jobs", o->jobs, "Threads (default: all cores)");
    add_strict_flag(*sub, o->strict);
    sub->add_option("--timeout-per-record", o->timeout,
                    "Seconds a record's rules may run; one that runs longer is not checked (exit 2), the batch goes on")
        ->check(CLI::NonNegativeNumber);
    add_limit_options(*sub, o->limits);
    add_directory_options(*sub, common);
    sub->callback([&action, &common, o] { action = [&common, o] { return run_validate(common, *o); }; });
}

} // namespace casedoc::tools
