// casedoc export PLUGIN:EXPORT RECORD|DIR... -o FILE: a plugin's delimited export (e.g. vocational:rsa911),
// written whole or not at all.
#include "commands.hpp"

#include <casedoc/base/atomic_file.hpp>
#include <casedoc/base/counted.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/check/batch.hpp>
#include <casedoc/plugin/export.hpp>

#include <algorithm>
#include <iostream>

namespace casedoc::tools {

namespace {

struct export_options {
    std::string name, output, delimiter = ",";
    std::vector<std::string> inputs, params;
    record_limits limits;
};

int run_export(const common_options& common, const export_options& o) {
    const auto& [name, output, delimiter, inputs, params, limits] = o;
    char delim = ',';
    if (delimiter == "tab" || delimiter == "\\t") delim = '\t';
    else if (delimiter.size() == 1 && delimiter != "\"" && delimiter != "\r" && delimiter != "\n") delim = delimiter[0];
    else throw error("", "--delimiter expects one character or 'tab', got '" + delimiter + "'");
    const size_t colon = name.find(':');
    if (colon == std::string::npos) throw error("", "name the export as PLUGIN:EXPORT (e.g. vocational:rsa911), got '" + name + "'");
    plugin_host host;
    setup(common, host, nullptr);
    const plugin* p = host.find(name.substr(0, colon));
    if (!p) {
        if (const plugin_failure* f = host.failure(name.substr(0, colon))) throw error("", f->reason());
        throw error("", "no plugin '" + name.substr(0, colon) + "' is loaded (see casedoc plugins)");
    }
    const std::string export_name = name.substr(colon + 1);
    const auto x = std::find_if(p->exports.begin(), p->exports.end(), [&](const auto& e) { return e.name == export_name; });
    if (x == p->exports.end()) {
        std::string known;
        for (const auto& e : p->exports) known += (known.empty() ? "" : ", ") + p->id + ":" + e.name;
        throw error("", "plugin " + p->id + " has no export '" + export_name + "' (exports: " +
                                     (known.empty() ? "none" : known) + ")");
    }
    const auto values = parse_params(params);
    const param_lookup lookup = [&values](std::string_view n) -> const char* {
        auto it = values.find(std::string(n));
        return it == values.end() ? nullptr : it->second.c_str();
    };
    const auto files = export_inputs(expand_inputs(inputs), limits);
    export_summary s;
    if (output == "-") {
        s = export_records(*p, *x, files, lookup, std::cout, delim);
    } else {
        atomic_file out(output);
        s = export_records(*p, *x, files, lookup, out.stream(), delim);
        if (s.failed.empty()) out.commit(); // otherwise nothing is written
    }
    for (const auto& [file, why] : s.skipped) std::cerr << "casedoc: skipped: " << file << ": " << why << '\n';
    for (const auto& f : s.failed) std::cerr << "casedoc: not exported: " << f << '\n';
    std::cerr << "casedoc: export " << p->id << ':' << x->name << " (" << x->version << "): " << counted(s.rows, "row")
              << " from " << counted(s.records, "record") << ", " << s.skipped.size() << " skipped, " << s.failed.size()
              << " could not be exported";
    if (!s.failed.empty() && output != "-") std::cerr << "; nothing written to " << output;
    std::cerr << '\n';
    return s.failed.empty() ? 0 : 2;
}

} // namespace

void add_export_command(CLI::App& app, common_options& common, command_action& action) {
    auto* sub = app.add_subcommand("export", "Write a plugin's export (e.g. vocational:rsa911) as a delimited file");
    auto o = std::make_shared<export_options>();
    sub->add_option("export", o->name, "PLUGIN:EXPORT, e.g. vocational:rsa911 (casedoc plugins lists them)")->required();
    sub->add_option("records", o->inputs, "Record files or directories of records")->required();
    sub->add_option("-o,--output", o->output, "Output file, written whole or not at all ('-': standard output)")->required();
    sub->add_option("--delimiter", o->delimiter, "Field delimiter: one character, or 'tab' (default ',')");
    sub->add_option("--param", o->params, "A value the export asks for, NAME=VALUE")->allow_extra_args(false);
    add_limit_options(*sub, o->limits, false);
    add_directory_options(*sub, common, false);
    sub->callback([&action, &common, o] { action = [&common, o] { return run_export(common, *o); }; });
}

} // namespace casedoc::tools
