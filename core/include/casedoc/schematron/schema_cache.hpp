// Compiled schemas shared by the threads of one process: each schema is compiled once, by the first thread that
// asks for it, while the others that ask at the same time wait for it; then every thread validates with that one
// compiled copy (schema::validate is thread-safe).
#ifndef CASEDOC_SCHEMATRON_SCHEMA_CACHE_HPP
#define CASEDOC_SCHEMATRON_SCHEMA_CACHE_HPP

#include <casedoc/schematron/schema.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace casedoc {

class schema_cache {
public:
    // The schema in `file` compiled with `options`, compiled now if it is not yet; `compiled` is called once,
    // after it is (for its warnings). Throws casedoc::error as schema::load does; a schema that failed is tried
    // again at the next call. The options' loader and search path are assumed the same for every call on one
    // cache (the other options are part of what is looked up).
    std::shared_ptr<const schema> get(const std::filesystem::path& file, const schema_options& options,
                                      const std::function<void(const schema&)>& compiled = {});

private:
    struct entry {
        std::mutex mutex; // held while it compiles
        std::shared_ptr<const schema> compiled;
    };
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<entry>> entries_;
};

} // namespace casedoc

#endif
