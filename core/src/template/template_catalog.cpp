#include <casedoc/base/error.hpp>
#include <casedoc/base/install_layout.hpp>
#include <casedoc/template/template_catalog.hpp>

#include <cstdlib>
#include <sstream>

namespace casedoc {

namespace fs = std::filesystem;

void template_catalog::add_directory(const fs::path& dir) {
    for (const auto& d : dirs_)
        if (d == dir) return;
    dirs_.push_back(dir);
}

void template_catalog::add_default_directories(defaults which) {
    std::error_code ec;
    const fs::path dir = layout::data_directory("templates");
    if (which == defaults::shared_only) {
        if (fs::is_directory(dir, ec)) shared_dirs_.push_back(dir);
        return;
    }
    if (const char* env = std::getenv("CASEDOC_TEMPLATE_PATH")) {
        std::stringstream ss(env);
        for (std::string d; std::getline(ss, d, ':');)
            if (!d.empty()) add_directory(d);
    }
    if (fs::is_directory(dir, ec)) add_directory(dir);
}

std::shared_ptr<const document_template> template_catalog::lookup(const fs::path& relative, bool required) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (const auto it = cache_.find(relative); it != cache_.end()) {
        if (!it->second && required) {
            // fall through to the error below
        } else return it->second;
    }
    std::vector<fs::path> dirs = dirs_;
    if (*relative.begin() == "common") dirs.insert(dirs.end(), shared_dirs_.begin(), shared_dirs_.end());
    std::error_code ec;
    for (const auto& d : dirs) {
        const fs::path file = d / relative;
        if (fs::is_regular_file(file, ec)) {
            auto t = document_template::load(file);
            cache_[relative] = t;
            return t;
        }
    }
    cache_[relative] = nullptr;
    if (!required) return nullptr;
    std::string looked;
    for (const auto& d : dirs) looked += (looked.empty() ? "" : ", ") + (d / relative).string();
    throw error(relative.string(),
                "no template: looked for " + (looked.empty() ? std::string("it in no directory") : looked) +
                    " (--template-dir DIR, or --project DIR for a plugin project, adds a directory)");
}

std::shared_ptr<const document_template> template_catalog::common() const {
    return lookup(fs::path("common") / "common.xml", true);
}

std::shared_ptr<const document_template> template_catalog::setting_common(const std::string& setting) const {
    return lookup(fs::path(setting) / "common.xml", false);
}

void template_catalog::forget_loaded() {
    const std::lock_guard<std::mutex> lock(mutex_);
    cache_.clear();
}

std::shared_ptr<const document_template> template_catalog::find(const std::string& setting, const std::string& type) const {
    if (setting.empty() || type.empty() || setting.find('/') != std::string::npos || type.find('/') != std::string::npos ||
        setting.find("..") != std::string::npos || type.find("..") != std::string::npos || type == "common")
        throw error("", "no template for setting '" + setting + "' and document type '" + type + "'");
    return lookup(fs::path(setting) / (type + ".xml"), true);
}

} // namespace casedoc
