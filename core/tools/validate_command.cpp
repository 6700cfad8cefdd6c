// casedoc validate [options] RECORD|DIR|-...   exit 0 compliant, 1 not compliant, 2 could not check
// casedoc validate --schema S.sch --format svrl DOCUMENT   plain ISO Schematron, SVRL out
#include "commands.hpp"

#include <casedoc/base/error.hpp>
#include <casedoc/check/batch.hpp>
#include <casedoc/check/report.hpp>
#include <casedoc/check/validator.hpp>
#include <casedoc/schematron/svrl.hpp>

#include <algorithm>
#include <iostream>

namespace casedoc::tools {

namespace {

struct validate_options {
    std::vector<std::string> inputs, params;
    std::string format = "text", schema_file, phase;
    unsigned jobs = 0;
    bool strict = false;
};

int run_validate(const common_options& common, const validate_options& o) {
    const auto& [inputs, params, format, schema_file, phase, jobs, strict] = o;
    validator_options vo;
    vo.phase = phase;
    vo.strict = strict;
    vo.schema = schema_file;
    vo.svrl = format == "svrl";
    vo.params = parse_params(params);
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
    if (format == "svrl" && files.size() != 1) throw error("", "--format svrl writes one report: give one document");

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
    sub->add_option("-j,--jobs", o->jobs, "Threads (default: all cores)");
    add_strict_flag(*sub, o->strict);
    add_directory_options(*sub, common);
    sub->callback([&action, &common, o] { action = [&common, o] { return run_validate(common, *o); }; });
}

} // namespace casedoc::tools
