// The subcommands of the casedoc program, one file each (validate_command.cpp, ...). Each add_*_command
// registers its subcommand and options on the app; when the user picks it, `action` is set to run it.
#ifndef CASEDOC_TOOLS_COMMANDS_HPP
#define CASEDOC_TOOLS_COMMANDS_HPP

#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema.hpp>
#include <casedoc/schematron/schema_catalog.hpp>
#include <casedoc/schematron/schema_lint.hpp>
#include <casedoc/template/template_catalog.hpp>
#include <casedoc/xml/record_limits.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace casedoc::tools {

// Options every command shares (they may be given before or after the subcommand).
struct common_options {
    std::vector<std::string> plugin_dirs, schema_dirs, template_dirs;
    std::vector<std::string> projects; // --project DIR: DIR/build/plugins, DIR/schemas, DIR/templates
    bool verbose = false;
    bool isolated = false;       // --isolated (or CASEDOC_ISOLATED=1): only the directories given
    bool strict_plugins = false; // --strict-plugins: a plugin that does not load stops the command
};

// The program's arguments after its name, as given (casedoc serve starts its plugin workers with them).
extern std::vector<std::string> program_arguments;

// What the chosen command does; returns the exit status.
using command_action = std::function<int()>;

// True with --isolated or CASEDOC_ISOLATED=1 (any value but empty or 0): the installed (or build tree's)
// plugins, schemas and setting templates and the CASEDOC_*_PATH variables are ignored; only the directories
// given with --plugin-dir, --schema-dir, --template-dir and --project are used. casedoc's own shared
// templates (templates/common: fonts, page frame) are still found.
bool isolated(const common_options& c);
// Loads the plugins (and, when `catalog` is given, the schema catalog) from the user's and the default
// folders. A plugin that does not load disables its own setting, with a warning naming the file and what was
// wrong; with --strict-plugins it throws instead.
void setup(const common_options& c, plugin_host& host, schema_catalog* catalog);
// The schema and the template directories: the user's, the projects', then the defaults (unless isolated).
void add_schema_directories(const common_options& c, schema_catalog& catalog);
void add_template_directories(const common_options& c, template_catalog& templates);
// NAME=VALUE pairs (--param); throws casedoc::error on a malformed one.
std::map<std::string, std::string> parse_params(const std::vector<std::string>& params,
                                                const std::string& option = "--param");
// Adds the directory options (--plugin-dir, --project, --isolated, --strict-plugins; --schema-dir and
// --template-dir when asked) to a subcommand, so they may follow it.
void add_directory_options(CLI::App& sub, common_options& common, bool schemas = true, bool templates = false);
// --strict: refuse what ISO Schematron forbids but the ISO skeleton accepts (schema_options::strict).
void add_strict_flag(CLI::App& sub, bool& strict);
// --max-record-bytes, --max-depth, --max-attributes, --max-findings: a record over one is not checked (exit 2).
// --max-record-bytes, --max-depth, --max-attributes and (with `findings`: commands that check) --max-findings.
void add_limit_options(CLI::App& sub, record_limits& limits, bool findings = true);
// Logs a schema's warnings (schema::warnings()), one line each.
void log_warnings(const schema& s);

// The names a setting's records use: the record format's, the plugin's document types (when given) and those
// of `records` (a record that does not parse adds none).
record_vocabulary setting_vocabulary(const std::vector<std::string>& records, const plugin* p);
// Lints a schema (throws casedoc::error when it does not compile) and prints to standard output each finding not
// in `shown` (a finding in a file several schemas include is printed once); returns those, adding them to it.
std::vector<lint_finding> lint_schema_file(const std::string& schema, const record_vocabulary& known,
                                           const schema_options& options, std::set<lint_finding>& shown);

void add_validate_command(CLI::App& app, common_options& common, command_action& action);
void add_plugins_command(CLI::App& app, common_options& common, command_action& action);
void add_export_command(CLI::App& app, common_options& common, command_action& action);
void add_schema_command(CLI::App& app, common_options& common, command_action& action); // schema test, lint
void add_schema_lint_command(CLI::App& schema, common_options& common, command_action& action);
void add_plugin_command(CLI::App& app, common_options& common, command_action& action); // plugin new, check
void add_render_command(CLI::App& app, common_options& common, command_action& action);
void add_audit_command(CLI::App& app, common_options& common, command_action& action);
void add_due_command(CLI::App& app, common_options& common, command_action& action);
void add_serve_command(CLI::App& app, common_options& common, command_action& action); // serve, serve token

} // namespace casedoc::tools

#endif
