// casedoc plugin new|check: for plugin authors (plugin_new_command.cpp, plugin_check_command.cpp).
#include "commands.hpp"

namespace casedoc::tools {

void add_plugin_new_command(CLI::App& plugin, command_action& action);
void add_plugin_check_command(CLI::App& plugin, common_options& common, command_action& action);

void add_plugin_command(CLI::App& app, common_options& common, command_action& action) {
    auto* plugin = app.add_subcommand("plugin", "For plugin authors: scaffold a plugin, check a plugin's contract");
    plugin->require_subcommand(1);
    add_plugin_new_command(*plugin, action);
    add_plugin_check_command(*plugin, common, action);
}

} // namespace casedoc::tools
