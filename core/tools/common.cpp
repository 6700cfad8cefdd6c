#include "commands.hpp"

#include <casedoc/base/error.hpp>

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace casedoc::tools {

namespace fs = std::filesystem;

namespace {

// --project DIR: the directories a project made by `casedoc plugin new` has once built.
fs::path project_directory(const std::string& dir, std::string_view what) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw error(dir, "--project: no such directory");
    return fs::path(dir) / what;
}

} // namespace

bool isolated(const common_options& c) {
    const char* env = std::getenv("CASEDOC_ISOLATED");
    return c.isolated || (env && *env && std::string_view(env) != "0");
}

void setup(const common_options& c, plugin_host& host, schema_catalog* catalog) {
    for (const auto& d : c.plugin_dirs) host.add_search_directory(d);
    for (const auto& p : c.projects) {
        const fs::path dir = project_directory(p, "build/plugins");
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            throw error(dir.string(), "--project: no plugin built here (build it first: cmake -S " + p + " -B " +
                                          (fs::path(p) / "build").string() + " && cmake --build " +
                                          (fs::path(p) / "build").string() + ")");
        host.add_search_directory(dir);
    }
    if (!isolated(c)) host.add_default_directories();
    host.discover(c.strict_plugins ? bad_plugins::fail : bad_plugins::disable);
    for (const plugin_failure& f : host.failures())
        spdlog::warn("{}; setting '{}' disabled: its records will not be checked{}", f.message, f.id,
                     f.duplicate && !isolated(c) ? " (--isolated ignores the installed plugins)" : "");
    if (catalog) add_schema_directories(c, *catalog);
}

void add_schema_directories(const common_options& c, schema_catalog& catalog) {
    std::error_code ec;
    for (const auto& d : c.schema_dirs) catalog.add_directory(d);
    for (const auto& p : c.projects)
        if (const fs::path dir = project_directory(p, "schemas"); fs::is_directory(dir, ec)) catalog.add_directory(dir);
    if (!isolated(c)) catalog.add_default_directories();
}

void add_template_directories(const common_options& c, template_catalog& templates) {
    std::error_code ec;
    for (const auto& d : c.template_dirs) templates.add_directory(d);
    for (const auto& p : c.projects)
        if (const fs::path dir = project_directory(p, "templates"); fs::is_directory(dir, ec))
            templates.add_directory(dir);
    templates.add_default_directories(isolated(c) ? template_catalog::defaults::shared_only
                                                  : template_catalog::defaults::all);
}

std::map<std::string, std::string> parse_params(const std::vector<std::string>& params, const std::string& option) {
    std::map<std::string, std::string> out;
    for (const std::string& p : params) {
        const size_t eq = p.find('=');
        if (eq == std::string::npos || eq == 0) throw error("", option + " expects NAME=VALUE, got '" + p + "'");
        out[p.substr(0, eq)] = p.substr(eq + 1);
    }
    return out;
}

void add_directory_options(CLI::App& sub, common_options& common, bool schemas, bool templates) {
    sub.add_option("--plugin-dir", common.plugin_dirs, "Also load plugins from this directory")->type_name("DIR")->allow_extra_args(false);
    if (schemas)
        sub.add_option("--schema-dir", common.schema_dirs, "Also read schemas from DIR/<setting>/")->type_name("DIR")->allow_extra_args(false);
    if (templates)
        sub.add_option("--template-dir", common.template_dirs,
                       "Also read templates from DIR (DIR/common/common.xml, DIR/<setting>/<type>.xml), before the "
                       "defaults")
            ->type_name("DIR")
            ->allow_extra_args(false);
    sub.add_option("--project", common.projects,
                   "A plugin project (casedoc plugin new): its plugin DIR/build/plugins, schemas DIR/schemas and "
                   "templates DIR/templates")
        ->type_name("DIR")
        ->allow_extra_args(false);
    sub.add_flag("--isolated", common.isolated,
                 "Ignore the installed plugins, schemas and templates: only the directories given (also "
                 "CASEDOC_ISOLATED=1)");
    sub.add_flag("--strict-plugins", common.strict_plugins,
                 "Stop at a plugin that does not load (default: warn and disable that plugin's setting only)");
}

void add_strict_flag(CLI::App& sub, bool& strict) {
    sub.add_flag("--strict", strict,
                 "Refuse what ISO Schematron forbids but the ISO skeleton accepts (extends naming an abstract "
                 "rule of another pattern)");
}

void add_limit_options(CLI::App& sub, record_limits& limits, bool findings) {
    sub.add_option("--max-record-bytes", limits.max_bytes, "Largest record checked, in bytes (larger: not checked)")
        ->capture_default_str();
    sub.add_option("--max-depth", limits.max_depth, "Deepest nesting of elements in a record (deeper: not checked)")
        ->capture_default_str()->check(CLI::PositiveNumber);
    sub.add_option("--max-attributes", limits.max_attributes,
                   "Most attributes on one element of a record (more: not checked)")
        ->capture_default_str();
    if (findings)
        sub.add_option("--max-findings", limits.max_findings, "Most findings one record may give (more: not checked)")
            ->capture_default_str();
}

void log_warnings(const schema& s) {
    for (const std::string& w : s.warnings()) spdlog::warn("{}", w);
}

} // namespace casedoc::tools
