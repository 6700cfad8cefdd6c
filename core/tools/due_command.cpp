// casedoc due CASELOAD|RECORD... [--as-of DATE] [--within 14d] [--all] [--worker ID] [--office NAME]
//              [--format text|json|csv|ics|pdf] [-o FILE|DIR]
// What each worker must do next, and by when (docs/due.md). Exit 0 nothing overdue; 1 something overdue; 2 some
// record could not be checked (listed on standard error, the list written for the others) or bad usage.
#include "commands.hpp"

#include <casedoc/base/atomic_file.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/check/batch.hpp>
#include <casedoc/due/due_calendar.hpp>
#include <casedoc/due/due_formats.hpp>
#include <casedoc/due/due_list.hpp>
#include <casedoc/due/due_pdf.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>

#include <algorithm>
#include <iostream>

namespace casedoc::tools {

namespace {

struct due_command_options {
    std::vector<std::string> inputs, params;
    std::string as_of, within = "14d", worker, office, format = "text", output;
    bool all = false;
    unsigned jobs = 0;
};

int run_due(const common_options& common, const due_command_options& o) {
    due_options d;
    if (o.as_of.empty()) d.as_of = local_today();
    else if (const auto day = parse_date(o.as_of)) d.as_of = *day;
    else throw error("", "--as-of '" + o.as_of + "': expected a date, YYYY-MM-DD");
    d.within = parse_within(o.within);
    d.all = o.all;
    d.worker = o.worker;
    d.office = o.office;
    if (o.format == "ics" && o.output.empty() && o.worker.empty())
        throw error("", "--format ics writes one calendar per worker: give -o DIR, or --worker ID for one on "
                        "standard output");
    if (o.format == "pdf" && o.output.empty()) throw error("", "--format pdf needs -o FILE");
    plugin_host host;
    schema_catalog catalog;
    setup(common, host, &catalog);
    if (std::count(o.inputs.begin(), o.inputs.end(), "-") > 1) throw error("", "standard input (-) can be read only once");
    const due_list list = compute_due(expand_inputs(o.inputs), host, catalog, d, parse_params(o.params), o.jobs);

    for (const due_problem& p : list.problems)
        std::cerr << p.file << (p.line ? ":" + std::to_string(p.line) + ":" + std::to_string(p.column) : "")
                  << ": error: not checked: " << p.message << "\n";
    if (o.format == "ics" && !o.output.empty()) {
        write_due_calendars(list, o.output);
    } else {
        // Written as it is made (a caseload's list can run to hundreds of MB); to a file whole or not at all.
        const auto write = [&](std::ostream& out) {
            if (o.format == "json") write_due_json(list, out);
            else if (o.format == "csv") write_due_csv(list, out);
            else if (o.format == "ics") out << due_calendar(list, o.worker);
            else if (o.format == "pdf") {
                template_catalog templates;
                add_template_directories(common, templates);
                out << render_due_pdf(list, &templates);
            } else write_due_text(list, out);
        };
        if (o.output.empty()) {
            write(std::cout);
        } else {
            atomic_file file(o.output);
            write(file.stream());
            file.commit();
        }
    }
    if (!list.problems.empty()) return 2;
    return list.totals[static_cast<size_t>(due_status::overdue)] > 0 ? 1 : 0;
}

} // namespace

void add_due_command(CLI::App& app, common_options& common, command_action& action) {
    auto* sub = app.add_subcommand("due", "List what each worker must do next, and by when (deadlines and recurrences "
                                          "not yet met)");
    auto o = std::make_shared<due_command_options>();
    sub->add_option("records", o->inputs, "Case records or directories of them (a caseload; - reads standard input)")
        ->required();
    sub->add_option("--as-of", o->as_of, "The review date, YYYY-MM-DD (default: today)");
    sub->add_option("--within", o->within, "List as due what falls due within this many days (14d, 2w; default 14d)");
    sub->add_flag("--all", o->all, "Also list what falls due later (upcoming)");
    sub->add_option("--worker", o->worker, "Only this worker's records (staff id)");
    sub->add_option("--office", o->office, "Only this office's records");
    sub->add_option("--format", o->format,
                    "Output: text, json, csv, ics (iCalendar) or pdf (a worklist per worker and a summary page)")
        ->check(CLI::IsMember({"text", "json", "csv", "ics", "pdf"}));
    sub->add_option("-o,--output", o->output,
                    "Write to FILE (whole or not at all); with --format ics a directory for one WORKER.ics per worker");
    sub->add_option("--param", o->params, "Agency policy value, NAME=VALUE (as validate takes it)")->allow_extra_args(false);
    sub->add_option("-j,--jobs", o->jobs, "Threads (default: all cores)");
    add_directory_options(*sub, common, true, true);
    sub->callback([&action, &common, o] { action = [&common, o] { return run_due(common, *o); }; });
}

} // namespace casedoc::tools
