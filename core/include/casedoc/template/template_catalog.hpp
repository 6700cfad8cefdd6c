// Where the PDF templates are, and which one renders a record: <dir>/common/common.xml (shared by every
// setting), <dir>/<setting>/common.xml (optional, shared by a setting's documents) and
// <dir>/<setting>/<document-type>.xml. The first directory holding a file wins, file by file, so an agency
// can override one template without copying the rest. Thread-safe; each file is read once.
#ifndef CASEDOC_TEMPLATE_TEMPLATE_CATALOG_HPP
#define CASEDOC_TEMPLATE_TEMPLATE_CATALOG_HPP

#include <casedoc/template/template.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace casedoc {

class template_catalog {
public:
    // Directories are searched in the order added (--template-dir first).
    void add_directory(const std::filesystem::path& dir);
    // Each folder of CASEDOC_TEMPLATE_PATH (colon separated), then the build tree's templates/ or
    // <prefix>/share/casedoc/templates. With shared_only, only casedoc's own common/ templates of the latter
    // (the page frame and fonts every setting uses), none of the settings' templates (casedoc --isolated).
    enum class defaults { all, shared_only };
    void add_default_directories(defaults which = defaults::all);
    // The directories searched for every template (not those searched for common/ only).
    const std::vector<std::filesystem::path>& directories() const noexcept { return dirs_; }

    // Throw casedoc::error naming the file(s) looked for when there is none, or what is wrong in it.
    std::shared_ptr<const document_template> common() const;
    std::shared_ptr<const document_template> setting_common(const std::string& setting) const; // may be null
    std::shared_ptr<const document_template> find(const std::string& setting, const std::string& document_type) const;

    // Forgets the templates read, so that the next lookup of each reads its file again (templates already handed
    // out stay valid). For the template fuzzer, which rewrites one file between renders.
    void forget_loaded();

private:
    std::shared_ptr<const document_template> lookup(const std::filesystem::path& relative, bool required) const;
    std::vector<std::filesystem::path> dirs_;
    std::vector<std::filesystem::path> shared_dirs_; // searched after dirs_, for common/ only
    mutable std::mutex mutex_;
    mutable std::map<std::filesystem::path, std::shared_ptr<const document_template>> cache_;
};

} // namespace casedoc

#endif
