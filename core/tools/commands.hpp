// The subcommands of the casedoc program, one file each (validate_command.cpp, ...). Each add_*_command
// registers its subcommand and options on the app; when the user picks it, `action` is set to run it.
#ifndef CASEDOC_TOOLS_COMMANDS_HPP
#define CASEDOC_TOOLS_COMMANDS_HPP

#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace casedoc::tools {

// Options every command shares (they may be given before or after the subcommand).
struct common_options {
    std::vector<std::string> plugin_dirs, schema_dirs;
    bool verbose = false;
};

// What the chosen command does; returns the exit status.
using command_action = std::function<int()>;

// Loads the plugins (and, when `catalog` is given, the schema catalog) from the user's and the default folders.
void setup(const common_options& c, plugin_host& host, schema_catalog* catalog);
// NAME=VALUE pairs (--param); throws casedoc::error on a malformed one.
std::map<std::string, std::string> parse_params(const std::vector<std::string>& params);
// Adds --plugin-dir and --schema-dir to a subcommand, so they may follow it.
void add_directory_options(CLI::App& sub, common_options& common, bool schemas = true);

void add_validate_command(CLI::App& app, common_options& common, command_action& action);
void add_plugins_command(CLI::App& app, common_options& common, command_action& action);
void add_export_command(CLI::App& app, common_options& common, command_action& action);
void add_schema_command(CLI::App& app, common_options& common, command_action& action); // schema test
void add_plugin_command(CLI::App& app, common_options& common, command_action& action); // plugin new, check
void add_render_command(CLI::App& app, common_options& common, command_action& action);
void add_audit_command(CLI::App& app, common_options& common, command_action& action);

} // namespace casedoc::tools

#endif
