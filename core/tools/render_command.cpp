// casedoc render RECORD|DIR... -o OUT [--draft] [--profile NAME] [--disclosure-date YYYY-MM-DD] [--var NAME=VALUE]:
// validated records as PDFs through the templates of their setting, each file written whole or not at all.
// Exit 0 all rendered; 1 some not compliant (refused, or rendered as drafts); 2 some could not be rendered.
#include "commands.hpp"

#include <casedoc/base/atomic_file.hpp>
#include <casedoc/base/counted.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/check/batch.hpp>
#include <casedoc/check/report.hpp>
#include <casedoc/render/render.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

namespace casedoc::tools {

namespace {

namespace fs = std::filesystem;

struct render_command_options {
    std::vector<std::string> inputs, params, variables;
    std::string output, profile, disclosure_date;
    record_limits limits;
    bool draft = false;
    unsigned jobs = 0;
};

struct outcome {
    render_result result; // without the PDF bytes once written
    std::string written;  // output path, when written
    std::string write_error;
};

int run_render(const common_options& common, const render_command_options& o) {
    validator_options vo;
    vo.params = parse_params(o.params);
    vo.limits = o.limits;
    plugin_host host;
    schema_catalog catalog;
    setup(common, host, &catalog);
    template_catalog templates;
    add_template_directories(common, templates);
    render_options ro;
    ro.draft = o.draft;
    ro.profile = o.profile;
    ro.disclosure_date = o.disclosure_date;
    ro.variables = parse_params(o.variables, "--var");
    const renderer r(templates, ro); // a bad common template, font or colour profile: exit 2 before any record

    const auto files = expand_inputs(o.inputs);
    // One record file and an OUT that is not a directory: OUT is the file. Otherwise OUT is a directory of
    // <record file name>.pdf, created if needed.
    std::error_code ec;
    const bool dir_input = std::any_of(o.inputs.begin(), o.inputs.end(), [&](const std::string& i) { return fs::is_directory(i, ec); });
    const bool to_dir = files.size() > 1 || dir_input || fs::is_directory(o.output, ec) ||
                        (!o.output.empty() && (o.output.back() == '/' || o.output.back() == fs::path::preferred_separator));
    std::vector<fs::path> targets;
    if (!to_dir) targets.push_back(o.output);
    else {
        if (!fs::is_directory(o.output, ec) && !fs::create_directories(o.output, ec))
            throw error(o.output, "cannot write: cannot create the output directory (" + ec.message() + ")");
        std::map<std::string, std::string> seen;
        for (const auto& f : files) {
            const std::string name = fs::path(f).stem().string() + ".pdf";
            if (auto [it, added] = seen.emplace(name, f); !added)
                throw error(o.output, "two records would both be written to " + name + ": " + it->second + " and " +
                                          f + " (render them to different directories)");
            targets.push_back(fs::path(o.output) / name);
        }
    }

    std::vector<outcome> outcomes(files.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
        validator v(host, catalog, vo);
        for (size_t i = next++; i < files.size(); i = next++) {
            outcome& out = outcomes[i];
            out.result = r.render_file(v, files[i]);
            if (out.result.status == render_status::rendered || out.result.status == render_status::draft) {
                try {
                    atomic_file f(targets[i]);
                    f.stream().write(out.result.pdf.data(), std::streamsize(out.result.pdf.size()));
                    f.commit();
                    out.written = targets[i].string();
                } catch (const std::exception& e) {
                    out.write_error = e.what();
                }
            }
            out.result.pdf.clear();
            out.result.pdf.shrink_to_fit();
        }
    };
    unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
    jobs = unsigned(std::min<size_t>(jobs, files.size()));
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();

    size_t rendered = 0, drafts = 0, refused = 0, failed = 0;
    for (size_t i = 0; i < files.size(); ++i) {
        const outcome& out = outcomes[i];
        const render_result& res = out.result;
        for (const auto& w : res.warnings) std::cerr << "casedoc: warning: " << w << '\n';
        switch (res.status) {
        case render_status::error:
            ++failed;
            if (res.validation.status == record_status::error) write_text(res.validation, std::cerr);
            else std::cerr << "casedoc: error: " << res.error << '\n';
            std::cerr << "casedoc: not rendered: " << files[i] << '\n';
            break;
        case render_status::refused:
            ++refused;
            write_text(res.validation, std::cout);
            std::cout.flush();
            std::cerr << "casedoc: not rendered: " << files[i]
                      << " is not compliant; --draft renders it marked DRAFT with its findings\n";
            break;
        case render_status::rendered:
        case render_status::draft:
            if (!out.write_error.empty()) {
                ++failed;
                std::cerr << "casedoc: error: " << out.write_error << "\ncasedoc: not rendered: " << files[i] << '\n';
                break;
            }
            if (res.status == render_status::draft) {
                ++drafts;
                write_text(res.validation, std::cout);
                std::cout.flush();
            } else ++rendered;
            spdlog::debug("rendered {} ({}, {}) to {}", files[i], res.validation.record_id,
                          counted(static_cast<size_t>(res.pages), "page"), out.written);
            break;
        }
    }
    if (files.size() > 1 || failed || refused || drafts)
        std::cerr << "casedoc: render: " << rendered << " rendered, " << counted(drafts, "draft")
                  << " (not compliant, marked DRAFT), " << refused << " refused (not compliant), " << failed
                  << " could not be rendered\n";
    return failed ? 2 : (refused || drafts) ? 1 : 0;
}

} // namespace

void add_render_command(CLI::App& app, common_options& common, command_action& action) {
    auto* sub = app.add_subcommand("render", "Render validated records as PDF/A-1b-structured PDFs through their templates");
    auto o = std::make_shared<render_command_options>();
    sub->add_option("records", o->inputs, "Record files or directories of records")->required();
    sub->add_option("-o,--output", o->output,
                    "Output: a PDF file for one record; a directory (created if needed) for several records, a directory "
                    "input or an OUT ending in '/', which gets <record file name>.pdf per record")
        ->required();
    sub->add_flag("--draft", o->draft,
                  "Render records that are not compliant, marked DRAFT - NOT COMPLIANT on every page with the findings "
                  "appended (exit status 1)");
    sub->add_option("--profile", o->profile,
                    "Render profile of the common template, e.g. 'disclosure' (withholds what the templates mark "
                    "restricted: minimum necessary)");
    sub->add_option("--disclosure-date", o->disclosure_date,
                    "Date of the disclosure, YYYY-MM-DD: picks the 42 CFR Part 2 notice text in force (default: the "
                    "record's own date, its latest entered-at/signed-at/as-of, so output never depends on the clock)");
    sub->add_option("--var", o->variables,
                    "Template text variable for every record, NAME=VALUE, e.g. agency=\"Acme Housing Services\" (the "
                    "header's agency name; also program, service-date-label)")
        ->allow_extra_args(false);
    sub->add_option("--param", o->params, "Agency policy value for validation, NAME=VALUE")->allow_extra_args(false);
    sub->add_option("-j,--jobs", o->jobs, "Threads (default: all cores)");
    add_limit_options(*sub, o->limits);
    add_directory_options(*sub, common, true, true);
    sub->callback([&action, &common, o] { action = [&common, o] { return run_render(common, *o); }; });
}

} // namespace casedoc::tools
