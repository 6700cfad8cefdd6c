// casedoc: validate case notes and case records against documentation schemas.
//   casedoc validate [options] RECORD|DIR...     exit 0 compliant, 1 not compliant, 2 could not check
//   casedoc validate --schema S.sch --format svrl DOCUMENT   plain ISO Schematron, SVRL out
//   casedoc plugins [--format json]
//   casedoc export PLUGIN:EXPORT RECORD|DIR... -o FILE      a plugin's delimited export (e.g. vocational:rsa911)
#include <casedoc/atomic_file.hpp>
#include <casedoc/batch.hpp>
#include <casedoc/error.hpp>
#include <casedoc/export.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/plugin_host.hpp>
#include <casedoc/report.hpp>
#include <casedoc/schema_catalog.hpp>
#include <casedoc/svrl.hpp>
#include <casedoc/validator.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <map>

namespace {

struct common_options {
    std::vector<std::string> plugin_dirs, schema_dirs;
    bool verbose = false;
};

void setup(const common_options& c, casedoc::plugin_host& host, casedoc::schema_catalog* catalog) {
    for (const auto& d : c.plugin_dirs) host.add_search_directory(d);
    host.add_default_directories();
    host.discover();
    if (catalog) {
        for (const auto& d : c.schema_dirs) catalog->add_directory(d);
        catalog->add_default_directories();
    }
}

std::map<std::string, std::string> parse_params(const std::vector<std::string>& params) {
    std::map<std::string, std::string> out;
    for (const std::string& p : params) {
        const size_t eq = p.find('=');
        if (eq == std::string::npos || eq == 0) throw casedoc::error("", "--param expects NAME=VALUE, got '" + p + "'");
        out[p.substr(0, eq)] = p.substr(eq + 1);
    }
    return out;
}

int run_validate(const common_options& common, const std::vector<std::string>& inputs, const std::string& format,
                 const std::string& schema_file, const std::string& phase, const std::vector<std::string>& params,
                 unsigned jobs) {
    casedoc::validator_options vo;
    vo.phase = phase;
    vo.schema = schema_file;
    vo.svrl = format == "svrl";
    vo.params = parse_params(params);
    casedoc::plugin_host host;
    casedoc::schema_catalog catalog;
    if (schema_file.empty()) setup(common, host, &catalog);
    else {
        casedoc::schema_options so; // a bad schema is exit 2 before any record is read
        so.phase = phase;
        so.params = vo.params;
        casedoc::schema::load(schema_file, so);
    }
    const auto files = casedoc::expand_inputs(inputs);
    if (format == "svrl" && files.size() != 1) throw casedoc::error("", "--format svrl writes one report: give one document");

    casedoc::batch_summary summary;
    if (format == "svrl") {
        casedoc::validator v(host, catalog, vo);
        casedoc::record_result r = v.check_file(files.front());
        summary.add(r);
        if (r.status == casedoc::record_status::error) {
            casedoc::write_text(r, std::cerr);
            return 2;
        }
        casedoc::write_svrl(r.svrl, std::cout);
        return summary.exit_status();
    }
    std::unique_ptr<casedoc::json_report_writer> json;
    if (format == "json") json = std::make_unique<casedoc::json_report_writer>(std::cout);
    casedoc::run_batch(files, jobs, host, catalog, vo, [&](casedoc::record_result&& r) {
        summary.add(r);
        if (json) json->add(r);
        else casedoc::write_text(r, r.status == casedoc::record_status::error ? std::cerr : std::cout);
    });
    if (json) json->finish(summary);
    else if (files.size() > 1 || summary.errors || summary.findings_error + summary.findings_warning) {
        std::cout.flush();
        casedoc::write_text_summary(summary, std::cerr);
    }
    return summary.exit_status();
}

int run_export(const common_options& common, const std::string& name, const std::vector<std::string>& inputs,
               const std::string& output, const std::string& delimiter, const std::vector<std::string>& params) {
    char delim = ',';
    if (delimiter == "tab" || delimiter == "\\t") delim = '\t';
    else if (delimiter.size() == 1 && delimiter != "\"" && delimiter != "\r" && delimiter != "\n") delim = delimiter[0];
    else throw casedoc::error("", "--delimiter expects one character or 'tab', got '" + delimiter + "'");
    const size_t colon = name.find(':');
    if (colon == std::string::npos) throw casedoc::error("", "name the export as PLUGIN:EXPORT (e.g. vocational:rsa911), got '" + name + "'");
    casedoc::plugin_host host;
    setup(common, host, nullptr);
    const casedoc::plugin* p = host.find(name.substr(0, colon));
    if (!p) throw casedoc::error("", "no plugin '" + name.substr(0, colon) + "' is loaded (see casedoc plugins)");
    const std::string export_name = name.substr(colon + 1);
    const auto x = std::find_if(p->exports.begin(), p->exports.end(), [&](const auto& e) { return e.name == export_name; });
    if (x == p->exports.end()) {
        std::string known;
        for (const auto& e : p->exports) known += (known.empty() ? "" : ", ") + p->id + ":" + e.name;
        throw casedoc::error("", "plugin " + p->id + " has no export '" + export_name + "' (exports: " +
                                     (known.empty() ? "none" : known) + ")");
    }
    const auto values = parse_params(params);
    const casedoc::param_lookup lookup = [&values](std::string_view n) -> const char* {
        auto it = values.find(std::string(n));
        return it == values.end() ? nullptr : it->second.c_str();
    };
    const auto files = casedoc::expand_inputs(inputs);
    casedoc::export_summary s;
    if (output == "-") {
        s = casedoc::export_records(*p, *x, files, lookup, std::cout, delim);
    } else {
        casedoc::atomic_file out(output);
        s = casedoc::export_records(*p, *x, files, lookup, out.stream(), delim);
        if (s.failed.empty()) out.commit(); // otherwise nothing is written
    }
    for (const auto& [file, why] : s.skipped) std::cerr << "casedoc: skipped: " << file << ": " << why << '\n';
    for (const auto& f : s.failed) std::cerr << "casedoc: not exported: " << f << '\n';
    std::cerr << "casedoc: export " << p->id << ':' << x->name << " (" << x->version << "): " << s.rows << " rows from "
              << s.records << " records, " << s.skipped.size() << " skipped, " << s.failed.size() << " could not be exported";
    if (!s.failed.empty() && output != "-") std::cerr << "; nothing written to " << output;
    std::cerr << '\n';
    return s.failed.empty() ? 0 : 2;
}

int run_plugins(const common_options& common, const std::string& format) {
    casedoc::plugin_host host;
    casedoc::schema_catalog catalog;
    setup(common, host, &catalog);
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const casedoc::plugin* p : host.plugins()) {
        nlohmann::ordered_json schemas = nlohmann::ordered_json::array();
        for (const auto& m : catalog.schemas_for(p->id)) {
            nlohmann::ordered_json s;
            s["file"] = m.file;
            s["version"] = m.version;
            s["document_types"] = m.document_types;
            s["effective_from"] = m.effective_from ? casedoc::format_date(*m.effective_from) : std::string();
            s["effective_to"] = m.effective_to ? casedoc::format_date(*m.effective_to) : std::string();
            schemas.push_back(std::move(s));
        }
        nlohmann::ordered_json checks = nlohmann::ordered_json::array();
        for (const auto& c : p->checks)
            checks.push_back({{"rule_id", c.rule_id}, {"severity", casedoc::to_string(c.level)}, {"citation", c.citation},
                              {"title", c.title}});
        nlohmann::ordered_json exports = nlohmann::ordered_json::array();
        for (const auto& x : p->exports)
            exports.push_back({{"name", p->id + ":" + x.name}, {"title", x.title}, {"version", x.version},
                               {"columns", x.columns}, {"document_types", x.document_types}});
        list.push_back({{"id", p->id},
                        {"name", p->name},
                        {"version", p->version},
                        {"file", p->file.string()},
                        {"document_types", p->document_types},
                        {"native_checks", checks},
                        {"exports", exports},
                        {"schemas", schemas}});
    }
    if (format == "json") {
        std::cout << list.dump(2) << '\n';
        return 0;
    }
    if (list.empty()) std::cout << "no plugins found\n";
    for (const auto& p : list) {
        std::cout << p["id"].get<std::string>() << "  " << p["name"].get<std::string>() << "  version "
                  << p["version"].get<std::string>() << "\n  file: " << p["file"].get<std::string>()
                  << "\n  document types:";
        for (const auto& t : p["document_types"]) std::cout << ' ' << t.get<std::string>();
        std::cout << "\n  schemas:\n";
        for (const auto& s : p["schemas"])
            std::cout << "    " << s["version"].get<std::string>() << "  " << s["effective_from"].get<std::string>()
                      << " .. " << (s["effective_to"].get<std::string>().empty() ? "open" : s["effective_to"].get<std::string>())
                      << "  " << s["file"].get<std::string>() << '\n';
        std::cout << "  native checks:";
        for (const auto& c : p["native_checks"]) std::cout << ' ' << c["rule_id"].get<std::string>();
        std::cout << '\n';
        for (const auto& x : p["exports"])
            std::cout << "  export: " << x["name"].get<std::string>() << " (" << x["version"].get<std::string>() << ")  "
                      << x["title"].get<std::string>() << '\n';
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    auto logger = spdlog::stderr_color_mt("casedoc");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("casedoc: %l: %v");
    spdlog::set_level(spdlog::level::warn);

    CLI::App app{"casedoc: documentation compliance for case management"};
    app.set_version_flag("--version", std::string("casedoc ") + CASEDOC_VERSION);
    app.require_subcommand(1);
    common_options common;
    app.add_option("--plugin-dir", common.plugin_dirs, "Also load plugins from this directory")->type_name("DIR");
    app.add_option("--schema-dir", common.schema_dirs, "Also read schemas from DIR/<setting>/")->type_name("DIR");
    app.add_flag("-v,--verbose", common.verbose, "Log progress (file paths and record ids only)");

    auto* validate = app.add_subcommand("validate", "Check records against the documentation rules of their setting");
    std::vector<std::string> inputs, params;
    std::string format = "text", schema_file, phase;
    unsigned jobs = 0;
    validate->add_option("records", inputs, "Record files or directories of records")->required();
    validate->add_option("--format", format, "Output: text, json or svrl")->check(CLI::IsMember({"text", "json", "svrl"}));
    validate->add_option("--schema", schema_file, "Validate any XML document against this ISO Schematron schema");
    validate->add_option("--phase", phase, "Schematron phase (#ALL, #DEFAULT or a phase id)");
    validate->add_option("--param", params, "Agency policy value, NAME=VALUE (e.g. note-sign-hours=48)");
    validate->add_option("-j,--jobs", jobs, "Threads (default: all cores)");
    // The subcommand options may also be given before the subcommand.
    validate->add_option("--plugin-dir", common.plugin_dirs, "Also load plugins from this directory");
    validate->add_option("--schema-dir", common.schema_dirs, "Also read schemas from DIR/<setting>/");

    auto* plugins = app.add_subcommand("plugins", "List the setting plugins, their document types and schemas");
    std::string plugins_format = "text";
    plugins->add_option("--format", plugins_format, "Output: text or json")->check(CLI::IsMember({"text", "json"}));
    plugins->add_option("--plugin-dir", common.plugin_dirs, "Also load plugins from this directory");
    plugins->add_option("--schema-dir", common.schema_dirs, "Also read schemas from DIR/<setting>/");

    auto* exporter = app.add_subcommand("export", "Write a plugin's export (e.g. vocational:rsa911) as a delimited file");
    std::string export_name, output, delimiter = ",";
    std::vector<std::string> export_inputs, export_params;
    exporter->add_option("export", export_name, "PLUGIN:EXPORT, e.g. vocational:rsa911 (casedoc plugins lists them)")->required();
    exporter->add_option("records", export_inputs, "Record files or directories of records")->required();
    exporter->add_option("-o,--output", output, "Output file, written whole or not at all ('-': standard output)")->required();
    exporter->add_option("--delimiter", delimiter, "Field delimiter: one character, or 'tab' (default ',')");
    exporter->add_option("--param", export_params, "A value the export asks for, NAME=VALUE");
    exporter->add_option("--plugin-dir", common.plugin_dirs, "Also load plugins from this directory");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    if (common.verbose) spdlog::set_level(spdlog::level::debug);
    try {
        if (*validate) return run_validate(common, inputs, format, schema_file, phase, params, jobs);
        if (*plugins) return run_plugins(common, plugins_format);
        if (*exporter) return run_export(common, export_name, export_inputs, output, delimiter, export_params);
    } catch (const casedoc::error& e) {
        std::cerr << "casedoc: error: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "casedoc: error: " << e.what() << '\n';
        return 2;
    }
    return 2;
}
