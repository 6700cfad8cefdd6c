// casedoc plugins [--format json]: the setting plugins, their document types, schemas, checks and exports, and
// the plugins that did not load, with why (exit 2).
#include "commands.hpp"

#include <casedoc/plugin/plugin_description.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace casedoc::tools {

namespace {

int run_plugins(const common_options& common, const std::string& format) {
    plugin_host host;
    schema_catalog catalog;
    setup(common, host, &catalog);
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const plugin* p : host.plugins()) list.push_back(describe_plugin(*p, catalog));
    // Plugins that did not load are listed among the others (by id) with what was wrong, and make the exit
    // status 2; their settings are disabled.
    for (const plugin_failure& f : host.failures())
        list.push_back({{"id", f.id}, {"file", f.file.string()}, {"error", f.message}});
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a["id"] < b["id"]; });
    const int status = host.failures().empty() ? 0 : 2;
    if (format == "json") {
        std::cout << list.dump(2) << '\n';
        return status;
    }
    if (list.empty()) std::cout << "no plugins found\n";
    for (const auto& p : list) {
        if (p.contains("error")) {
            std::cout << p["id"].get<std::string>() << "  did not load: setting disabled\n  file: "
                      << p["file"].get<std::string>() << "\n  error: " << p["error"].get<std::string>() << '\n';
            continue;
        }
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
    return status;
}

} // namespace

void add_plugins_command(CLI::App& app, common_options& common, command_action& action) {
    auto* sub = app.add_subcommand("plugins", "List the setting plugins, their document types and schemas");
    auto format = std::make_shared<std::string>("text");
    sub->add_option("--format", *format, "Output: text or json")->check(CLI::IsMember({"text", "json"}));
    add_directory_options(*sub, common);
    sub->callback([&action, &common, format] { action = [&common, format] { return run_plugins(common, *format); }; });
}

} // namespace casedoc::tools
