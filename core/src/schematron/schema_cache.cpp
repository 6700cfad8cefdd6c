#include <casedoc/schematron/schema_cache.hpp>

namespace casedoc {

namespace {

// What a compiled schema depends on besides its file's text: the phase, the parameters, the facts declared and
// strictness. Each part is followed by a byte no file name or value holds.
std::string key_of(const std::filesystem::path& file, const schema_options& o) {
    std::string key = file.string() + '\0' + o.phase + '\0' + (o.strict ? "strict" : "") + '\0';
    for (const auto& [name, value] : o.params) key += name + '\x01' + value + '\x02';
    key += '\0';
    for (const std::string& f : o.fact_names) key += f + '\x01';
    return key;
}

} // namespace

std::shared_ptr<const schema> schema_cache::get(const std::filesystem::path& file, const schema_options& options,
                                                const std::function<void(const schema&)>& compiled) {
    std::shared_ptr<entry> e;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        auto& slot = entries_[key_of(file, options)];
        if (!slot) slot = std::make_shared<entry>();
        e = slot;
    }
    const std::lock_guard<std::mutex> lock(e->mutex);
    if (!e->compiled) {
        e->compiled = schema::load(file, options);
        if (compiled) compiled(*e->compiled);
    }
    return e->compiled;
}

} // namespace casedoc
