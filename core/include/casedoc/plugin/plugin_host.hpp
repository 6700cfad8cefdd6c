// Finds and loads setting plugins (casedoc_<id>.so), checking each against the C contract of
// plugin_api/casedoc_plugin.h before any of its code runs. Plugins stay loaded for the life of the process.
#ifndef CASEDOC_PLUGIN_PLUGIN_HOST_HPP
#define CASEDOC_PLUGIN_PLUGIN_HOST_HPP

#include <casedoc/base/finding.hpp>
#include <casedoc/plugin_api/casedoc_plugin.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc {

// A native check as the plugin declared it.
struct check_info {
    std::string rule_id;
    severity level = severity::error;
    std::string citation, title;
    std::vector<std::string> document_types; // empty: every document type

    bool applies_to(std::string_view document_type) const;
};

// An export (ABI 1.1) as the plugin declared it.
struct export_info {
    std::string name, title, version;
    std::vector<std::string> columns;
    std::vector<std::string> document_types; // empty: every document type

    bool applies_to(std::string_view document_type) const;
};

// A loaded, validated plugin. The descriptor points into the plugin's static storage.
struct plugin {
    std::filesystem::path file; // absolute
    const casedoc_plugin_descriptor* descriptor = nullptr;
    std::string id, name, version;
    std::vector<std::string> document_types, fact_names;
    std::vector<check_info> checks; // in declaration order, parallel to descriptor->checks
    std::vector<export_info> exports; // in declaration order, parallel to descriptor->exports (ABI 1.1)
    uint32_t abi_minor = 0;
};

// A plugin file that discover() could not load. Its id (from its file name) is disabled: no plugin of the
// host provides it, so records of that setting cannot be checked, while the other settings work.
struct plugin_failure {
    std::filesystem::path file; // absolute
    std::string id;             // the id its file name claims: casedoc_<id>.so
    std::string message;        // what was wrong, naming the file (the error load() throws)
    bool duplicate = false;     // another file claims the same id (every file of that id is disabled)

    // Why a record of this setting cannot be checked: "setting 'x' is disabled: its plugin did not load: ..."
    std::string reason() const;
};

// What discover() does with a plugin that fails to load (wrong ABI, missing entry point, id that is not its
// file name, duplicate id, entry point that throws...).
enum class bad_plugins {
    fail,    // throw casedoc::error naming the file: no plugin is usable
    disable, // record it in failures() and disable its id only; load the others
};

// Not thread-safe: load and discover before checking records. A moved-from host may only be destroyed or
// assigned to.
class plugin_host {
public:
    plugin_host();
    ~plugin_host();
    plugin_host(plugin_host&&) noexcept;
    plugin_host& operator=(plugin_host&&) noexcept;

    // Directories are searched in the order added; adding one twice keeps the first.
    void add_search_directory(const std::filesystem::path& dir);
    // Adds, when they exist: the build tree's plugin folder (a program in the build tree) or
    // <prefix>/lib/casedoc/plugins (an installed one; see install_layout.hpp), then each folder of
    // CASEDOC_PLUGIN_PATH (colon separated). Call after the --plugin-dir folders were added.
    void add_default_directories();
    const std::vector<std::filesystem::path>& search_directories() const;

    // Loads every casedoc_*.so of the search directories (by file name within a directory). A broken plugin,
    // or two files with one id: with bad_plugins::fail, throws casedoc::error naming the file (both files for a
    // duplicate id); with bad_plugins::disable, records it in failures() and disables that id (every file of
    // a duplicate id), so the other plugins still work. A missing or unreadable directory always throws.
    void discover(bad_plugins policy = bad_plugins::fail);
    // Loads one plugin file (a file already loaded is returned as is). Throws casedoc::error naming the file.
    const plugin& load(const std::filesystem::path& file);

    const plugin* find(std::string_view id) const; // null for an unknown or disabled id
    std::vector<const plugin*> plugins() const; // sorted by id; disabled ones are not among them
    // The plugins discover() could not load, in the order met; failure(id): why id is disabled, or null.
    const std::vector<plugin_failure>& failures() const;
    const plugin_failure* failure(std::string_view id) const;

private:
    struct state;
    std::unique_ptr<state> state_;
};

} // namespace casedoc

#endif // CASEDOC_PLUGIN_PLUGIN_HOST_HPP
