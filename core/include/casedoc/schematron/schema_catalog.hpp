// Where the documentation schemas are, and which one is in force for a setting, document type and
// date. Schemas live in <schema dir>/<setting id>/*.sch and describe themselves with cd:meta.
#ifndef CASEDOC_SCHEMATRON_SCHEMA_CATALOG_HPP
#define CASEDOC_SCHEMATRON_SCHEMA_CATALOG_HPP

#include <casedoc/schematron/schema.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace casedoc {

// The cd:meta of a schema file (metadata only; nothing is compiled). Throws casedoc::error naming the file
// when it is malformed or has no cd:meta.
schema_metadata read_schema_metadata(const std::filesystem::path& file);

class schema_catalog {
public:
    // Directories are searched in the order added; a setting's schemas come from every directory.
    void add_directory(const std::filesystem::path& dir);
    // The source tree's schemas/ (a program in the build tree) or <prefix>/share/casedoc/schemas (an
    // installed one; see install_layout.hpp), then each folder of CASEDOC_SCHEMA_PATH.
    void add_default_directories();
    const std::vector<std::filesystem::path>& directories() const noexcept { return dirs_; }

    // Every schema of a setting, read from disk on first use (metadata only). Thread-safe: validators on
    // several threads share one catalog. Throws casedoc::error for a schema file without cd:meta or with a
    // setting that is not its folder's.
    const std::vector<schema_metadata>& schemas_for(const std::string& setting) const;
    // The schema in force for the document type on the day. Throws casedoc::error explaining what
    // exists when there is none, or when two overlap.
    const schema_metadata& select(const std::string& setting, const std::string& document_type, int64_t day) const;

private:
    std::vector<std::filesystem::path> dirs_;
    // Filled on first use from any thread: guarded, and a map so that references handed out stay valid.
    std::unique_ptr<std::mutex> cache_mutex_ = std::make_unique<std::mutex>(); // (a pointer: the catalog moves)
    mutable std::map<std::string, std::vector<schema_metadata>> cache_;
};

} // namespace casedoc

#endif
