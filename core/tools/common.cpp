#include "commands.hpp"

#include <casedoc/base/error.hpp>

namespace casedoc::tools {

void setup(const common_options& c, plugin_host& host, schema_catalog* catalog) {
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
        if (eq == std::string::npos || eq == 0) throw error("", "--param expects NAME=VALUE, got '" + p + "'");
        out[p.substr(0, eq)] = p.substr(eq + 1);
    }
    return out;
}

void add_directory_options(CLI::App& sub, common_options& common, bool schemas) {
    sub.add_option("--plugin-dir", common.plugin_dirs, "Also load plugins from this directory")->type_name("DIR")->allow_extra_args(false);
    if (schemas)
        sub.add_option("--schema-dir", common.schema_dirs, "Also read schemas from DIR/<setting>/")->type_name("DIR")->allow_extra_args(false);
}

} // namespace casedoc::tools
