#include <casedoc/base/error.hpp>
#include <casedoc/base/install_layout.hpp>
#include <casedoc/plugin/plugin_host.hpp>

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <dlfcn.h>
#include <iterator>
#include <set>

namespace fs = std::filesystem;

namespace casedoc {

namespace {

constexpr std::string_view file_prefix = "casedoc_";
constexpr std::string_view file_suffix = ".so";

// The descriptor size each minor version of ABI 1 defined: the end of its last field (padding after it is
// not part of the contract). A plugin must have every field of its minor; one built for a newer minor than
// this host must have every field this host reads.
constexpr size_t descriptor_size_by_minor[] = {
    offsetof(casedoc_plugin_descriptor, check_count) + sizeof(uint32_t),  // 1.0
    offsetof(casedoc_plugin_descriptor, export_count) + sizeof(uint32_t), // 1.1: exports
    offsetof(casedoc_plugin_descriptor, export_count) + sizeof(uint32_t), // 1.2: host not_applicable only
    offsetof(casedoc_plugin_descriptor, export_count) + sizeof(uint32_t), // 1.3: host due only
};
static_assert(std::size(descriptor_size_by_minor) == CASEDOC_PLUGIN_ABI_MINOR + 1);

size_t required_descriptor_size(uint32_t minor) {
    return descriptor_size_by_minor[std::min<size_t>(minor, std::size(descriptor_size_by_minor) - 1)];
}

bool is_plugin_file_name(const std::string& name) {
    return name.size() > file_prefix.size() + file_suffix.size() && name.starts_with(file_prefix) &&
           name.ends_with(file_suffix);
}

std::string id_from_file_name(const fs::path& file) {
    const std::string stem = file.stem().string();
    return stem.starts_with(file_prefix) ? stem.substr(file_prefix.size()) : std::string();
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// NULL-terminated C string list -> vector; `what` names the list in the error.
std::vector<std::string> string_list(const char* const* list, const fs::path& file, const std::string& what) {
    std::vector<std::string> out;
    if (!list) return out;
    for (size_t i = 0; list[i]; ++i) {
        if (*list[i] == '\0') throw error(file.string(), what + " has an empty entry at index " + std::to_string(i));
        out.emplace_back(list[i]);
    }
    return out;
}

std::string required_string(const char* s, const fs::path& file, const char* field) {
    if (!s || *s == '\0')
        throw error(file.string(), std::string("plugin descriptor has no ") + field + ": got " +
                                       (s ? "an empty string" : "NULL") + ", expected a non-empty string");
    return s;
}

severity severity_of(casedoc_severity s, const fs::path& file, const std::string& rule_id) {
    switch (s) {
    case CASEDOC_SEVERITY_INFO: return severity::info;
    case CASEDOC_SEVERITY_WARNING: return severity::warning;
    case CASEDOC_SEVERITY_ERROR: return severity::error;
    }
    throw error(file.string(), "native check " + rule_id + " has an unknown severity: got " +
                                   std::to_string(static_cast<int>(s)) + ", expected 0 (info), 1 (warning) or 2 (error)");
}

// Copies and checks what the descriptor declares; never calls plugin code.
plugin describe(const fs::path& file, const casedoc_plugin_descriptor* d) {
    plugin p;
    p.file = file;
    p.descriptor = d;
    p.abi_minor = d->abi_minor;

    const std::string expected_id = id_from_file_name(file);
    p.id = required_string(d->id, file, "id");
    if (p.id != expected_id)
        throw error(file.string(),
                    "plugin id '" + p.id + "' does not match its file name (expected '" + expected_id + "')");
    p.name = required_string(d->name, file, "name");
    p.version = required_string(d->version, file, "version");
    p.document_types = string_list(d->document_types, file, "document_types");
    p.fact_names = string_list(d->fact_names, file, "fact_names");

    if (d->check_count > 0 && !d->checks)
        throw error(file.string(), "plugin descriptor declares " + std::to_string(d->check_count) +
                                       " checks but its checks pointer is NULL");
    std::set<std::string, std::less<>> rule_ids;
    for (uint32_t i = 0; i < d->check_count; ++i) {
        const casedoc_check& c = d->checks[i];
        if (!c.rule_id || *c.rule_id == '\0')
            throw error(file.string(), "native check at index " + std::to_string(i) + " has no rule_id");
        check_info info;
        info.rule_id = c.rule_id;
        if (!rule_ids.insert(info.rule_id).second)
            throw error(file.string(), "native check " + info.rule_id + " is declared twice");
        if (!c.run) throw error(file.string(), "native check " + info.rule_id + " has no run function");
        info.level = severity_of(c.severity, file, info.rule_id);
        info.citation = c.citation ? c.citation : "";
        info.title = c.title ? c.title : "";
        info.document_types = string_list(c.document_types, file, "document_types of native check " + info.rule_id);
        p.checks.push_back(std::move(info));
    }

    // ABI 1.1: exports, read only when the plugin was built with them.
    if (p.abi_minor < 1) return p;
    if (d->export_count > 0 && !d->exports)
        throw error(file.string(), "plugin descriptor declares " + std::to_string(d->export_count) +
                                       " exports but its exports pointer is NULL");
    std::set<std::string, std::less<>> export_names;
    for (uint32_t i = 0; i < d->export_count; ++i) {
        const casedoc_export& x = d->exports[i];
        if (!x.name || *x.name == '\0')
            throw error(file.string(), "export at index " + std::to_string(i) + " has no name");
        export_info info;
        info.name = x.name;
        if (!export_names.insert(info.name).second)
            throw error(file.string(), "export " + info.name + " is declared twice");
        if (!x.run) throw error(file.string(), "export " + info.name + " has no run function");
        info.title = x.title ? x.title : "";
        info.version = x.version ? x.version : "";
        info.columns = string_list(x.columns, file, "columns of export " + info.name);
        if (info.columns.empty()) throw error(file.string(), "export " + info.name + " declares no columns");
        info.document_types = string_list(x.document_types, file, "document_types of export " + info.name);
        p.exports.push_back(std::move(info));
    }
    return p;
}

} // namespace

bool check_info::applies_to(std::string_view document_type) const {
    return document_types.empty() ||
           std::find(document_types.begin(), document_types.end(), document_type) != document_types.end();
}

bool export_info::applies_to(std::string_view document_type) const {
    return document_types.empty() ||
           std::find(document_types.begin(), document_types.end(), document_type) != document_types.end();
}

std::string plugin_failure::reason() const {
    return "setting '" + id + "' is disabled: its plugin did not load: " + message;
}

struct plugin_host::state {
    std::vector<fs::path> directories;
    std::vector<std::unique_ptr<plugin>> plugins; // stable addresses for find()/plugins()
    std::vector<std::unique_ptr<plugin>> disabled; // loaded, then disabled by a later file with the same id
    std::vector<plugin_failure> failures;
    // Never unloaded (RTLD_NODELETE keeps the code mapped even after these handles close at exit).
    std::vector<boost::dll::shared_library> libraries;
};

plugin_host::plugin_host() : state_(std::make_unique<state>()) {}
plugin_host::~plugin_host() = default;
plugin_host::plugin_host(plugin_host&&) noexcept = default;
plugin_host& plugin_host::operator=(plugin_host&&) noexcept = default;

void plugin_host::add_search_directory(const fs::path& dir) {
    const fs::path normal = fs::absolute(dir).lexically_normal();
    auto& dirs = state_->directories;
    if (std::find(dirs.begin(), dirs.end(), normal) == dirs.end()) dirs.push_back(normal);
}

void plugin_host::add_default_directories() {
    std::error_code ec;
    if (const fs::path dir = layout::plugin_directory(); fs::is_directory(dir, ec)) add_search_directory(dir);
    if (const char* env = std::getenv("CASEDOC_PLUGIN_PATH")) {
        std::string_view rest = env;
        while (!rest.empty()) {
            const size_t colon = rest.find(':');
            const std::string_view entry = rest.substr(0, colon);
            rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
            if (entry.empty()) continue;
            if (fs::is_directory(entry, ec))
                add_search_directory(entry);
            else
                spdlog::warn("CASEDOC_PLUGIN_PATH: '{}' is not a directory; ignored", entry);
        }
    }
}

const std::vector<fs::path>& plugin_host::search_directories() const { return state_->directories; }

void plugin_host::discover(bad_plugins policy) {
    // Every file's id, loaded or not: a second file claiming an id is refused even when the first was broken.
    // Files met before (by load() or an earlier discover()) are not tried again.
    std::vector<std::pair<std::string, fs::path>> claimed;
    for (const auto& p : state_->plugins) claimed.emplace_back(p->id, p->file);
    for (const auto& p : state_->disabled) claimed.emplace_back(p->id, p->file);
    for (const auto& f : state_->failures) claimed.emplace_back(f.id, f.file);
    const auto disable = [&](const fs::path& file, const std::string& id, const std::string& message, bool duplicate) {
        state_->failures.push_back({file, id, message, duplicate});
        auto& loaded = state_->plugins;
        const auto it = std::find_if(loaded.begin(), loaded.end(), [&](const auto& p) { return p->id == id; });
        if (it == loaded.end()) return;
        state_->disabled.push_back(std::move(*it));
        loaded.erase(it);
    };
    for (const fs::path& dir : state_->directories) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            throw error(dir.string(), "plugin directory does not exist or is not a directory");
        std::vector<fs::path> files;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            std::error_code type_ec;
            if (is_plugin_file_name(it->path().filename().string()) && it->is_regular_file(type_ec))
                files.push_back(it->path());
        }
        if (ec) throw error(dir.string(), "cannot read plugin directory: " + ec.message());
        std::sort(files.begin(), files.end(),
                  [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
        for (const fs::path& f : files) {
            const fs::path file = fs::absolute(f).lexically_normal();
            const std::string id = id_from_file_name(file);
            const auto seen = [&](const auto& c) {
                std::error_code same_ec;
                return fs::equivalent(c.second, file, same_ec);
            };
            if (std::any_of(claimed.begin(), claimed.end(), seen)) continue;
            const auto first =
                std::find_if(claimed.begin(), claimed.end(), [&](const auto& c) { return c.first == id; });
            const bool duplicate = first != claimed.end();
            try {
                if (duplicate)
                    throw error(file.string(),
                                "plugin id '" + id + "' is already provided by " + quoted(first->second));
                claimed.emplace_back(id, file);
                load(file);
            } catch (const error& e) {
                if (policy == bad_plugins::fail) throw;
                disable(file, id, e.what(), duplicate);
            }
        }
    }
}

const plugin& plugin_host::load(const fs::path& requested) {
    const fs::path file = fs::absolute(requested).lexically_normal();
    const std::string where = file.string();

    // Already loaded, or another file claiming the same id: decided from file names alone, before loading.
    const std::string expected_id = id_from_file_name(file);
    if (expected_id.empty() || file.extension().string() != file_suffix)
        throw error(where, "not a plugin file name: expected casedoc_<id>.so");
    for (const auto& p : state_->plugins) {
        std::error_code ec;
        if (fs::equivalent(p->file, file, ec)) return *p;
        if (p->id == expected_id)
            throw error(where, "plugin id '" + expected_id + "' is already provided by " + quoted(p->file));
    }

    // RTLD_NOW: an unresolved symbol fails here, not mid-run. RTLD_LOCAL: plugins do not interpose on each
    // other. RTLD_NODELETE: code stays mapped for the process's life (objects of a plugin may outlive handles).
    const auto mode = static_cast<boost::dll::load_mode::type>(
        static_cast<unsigned>(boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local) | RTLD_NODELETE);
    boost::dll::shared_library lib;
    boost::dll::fs::error_code ec;
    dlerror(); // clear a stale message
    lib.load(file, ec, mode);
    if (ec || !lib.is_loaded()) {
        const char* why = dlerror();
        throw error(where, std::string("cannot load plugin: ") + (why ? why : ec.message()));
    }

    // The major version comes from a data symbol, so it is checked before any plugin function runs.
    if (!lib.has(CASEDOC_PLUGIN_ABI_SYMBOL))
        throw error(where, "not a casedoc plugin: missing symbol '" CASEDOC_PLUGIN_ABI_SYMBOL "'");
    if (!lib.has(CASEDOC_PLUGIN_ENTRY_SYMBOL))
        throw error(where, "not a casedoc plugin: missing symbol '" CASEDOC_PLUGIN_ENTRY_SYMBOL "'");
    const uint32_t abi_major = lib.get<const uint32_t>(CASEDOC_PLUGIN_ABI_SYMBOL);
    if (abi_major != CASEDOC_PLUGIN_ABI_MAJOR)
        throw error(where, "wrong plugin ABI version: got " + std::to_string(abi_major) + ", this casedoc supports " +
                               std::to_string(CASEDOC_PLUGIN_ABI_MAJOR));

    const auto entry = lib.get<const casedoc_plugin_descriptor*()>(CASEDOC_PLUGIN_ENTRY_SYMBOL);
    const casedoc_plugin_descriptor* d = nullptr;
    try {
        d = entry();
    } catch (const std::exception& e) {
        throw error(where, std::string("plugin entry point threw an exception: ") + e.what());
    } catch (...) {
        throw error(where, "plugin entry point threw an exception");
    }
    if (!d) throw error(where, "plugin entry point returned no descriptor (NULL)");
    if (d->abi_major != CASEDOC_PLUGIN_ABI_MAJOR)
        throw error(where, "wrong plugin ABI version in descriptor: got " + std::to_string(d->abi_major) +
                               ", this casedoc supports " + std::to_string(CASEDOC_PLUGIN_ABI_MAJOR));
    const size_t needed = required_descriptor_size(d->abi_minor);
    if (d->struct_size < needed)
        throw error(where, "plugin descriptor is too small: got struct_size " + std::to_string(d->struct_size) +
                               " for ABI " + std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor) +
                               ", expected at least " + std::to_string(needed));

    auto p = std::make_unique<plugin>(describe(file, d));
    spdlog::debug("loaded plugin {} {} (ABI {}.{}) from {}", p->id, p->version, d->abi_major, d->abi_minor, where);
    state_->libraries.push_back(std::move(lib));
    state_->plugins.push_back(std::move(p));
    return *state_->plugins.back();
}

const plugin* plugin_host::find(std::string_view id) const {
    for (const auto& p : state_->plugins)
        if (p->id == id) return p.get();
    return nullptr;
}

const std::vector<plugin_failure>& plugin_host::failures() const { return state_->failures; }

const plugin_failure* plugin_host::failure(std::string_view id) const {
    for (const auto& f : state_->failures)
        if (f.id == id) return &f;
    return nullptr;
}

std::vector<const plugin*> plugin_host::plugins() const {
    std::vector<const plugin*> out;
    for (const auto& p : state_->plugins) out.push_back(p.get());
    std::sort(out.begin(), out.end(), [](const plugin* a, const plugin* b) { return a->id < b->id; });
    return out;
}

} // namespace casedoc
