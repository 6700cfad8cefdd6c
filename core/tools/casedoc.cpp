// casedoc: validate case notes and case records against documentation schemas, and more; one file per
// subcommand (see commands.hpp).
#include "commands.hpp"

#include <casedoc/base/error.hpp>
#include <casedoc/plugin/crash_report.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

std::vector<std::string> casedoc::tools::program_arguments;

int main(int argc, char** argv) {
    using namespace casedoc::tools;
    program_arguments.assign(argv + 1, argv + argc);
    casedoc::install_plugin_crash_report(); // a plugin that crashes is named, with its record, before the end
    auto logger = spdlog::stderr_color_mt("casedoc");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("casedoc: %l: %v");
    spdlog::set_level(spdlog::level::warn);

    CLI::App app{"casedoc: documentation compliance for case management"};
    app.set_version_flag("--version", std::string("casedoc ") + CASEDOC_VERSION);
    app.require_subcommand(1);
    common_options common;
    add_directory_options(app, common, true, true);
    app.add_flag("-v,--verbose", common.verbose, "Log progress (file paths and record ids only)");

    command_action action;
    add_validate_command(app, common, action);
    add_plugins_command(app, common, action);
    add_export_command(app, common, action);
    add_schema_command(app, common, action);
    add_plugin_command(app, common, action);
    add_render_command(app, common, action);
    add_audit_command(app, common, action);
    add_due_command(app, common, action);
    add_serve_command(app, common, action);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    if (common.verbose) spdlog::set_level(spdlog::level::debug);
    if (!action) return 2;
    try {
        return action();
    } catch (const std::exception& e) { // casedoc::error names the file (and line) itself
        std::cerr << "casedoc: error: " << e.what() << '\n';
        return 2;
    }
}
