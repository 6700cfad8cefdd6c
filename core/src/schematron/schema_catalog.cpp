#include <casedoc/base/error.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/base/install_layout.hpp>
#include <casedoc/schematron/schema_catalog.hpp>

#include <pugixml.hpp>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <unistd.h>

namespace casedoc {

namespace fs = std::filesystem;

void schema_catalog::add_directory(const fs::path& dir) {
    if (std::find(dirs_.begin(), dirs_.end(), dir) == dirs_.end()) dirs_.push_back(dir);
}

void schema_catalog::add_default_directories() {
    std::error_code ec;
    if (const fs::path dir = layout::data_directory("schemas"); fs::is_directory(dir, ec)) add_directory(dir);
    if (const char* env = std::getenv("CASEDOC_SCHEMA_PATH")) {
        std::stringstream ss(env);
        for (std::string d; std::getline(ss, d, ':');)
            if (!d.empty()) add_directory(d);
    }
}

namespace {

std::vector<std::string> split_ws(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream ss(s);
    for (std::string w; ss >> w;) out.push_back(w);
    return out;
}

schema_metadata read_metadata(const fs::path& file, const std::string& setting) {
    schema_metadata m = read_schema_metadata(file);
    if (m.setting != setting)
        throw error(file.string(), "cd:meta/@setting is '" + m.setting + "' but the schema is in the folder of '" +
                                       setting + "'");
    return m;
}

std::string span(const schema_metadata& m) {
    return (m.effective_from ? format_date(*m.effective_from) : std::string("any date")) + " to " +
           (m.effective_to ? format_date(*m.effective_to) : std::string("open"));
}

} // namespace

schema_metadata read_schema_metadata(const fs::path& file) {
    pugi::xml_document d;
    const pugi::xml_parse_result r = d.load_file(file.c_str());
    if (!r) throw error(file.string(), std::string("malformed schema: ") + r.description());
    pugi::xml_node meta;
    for (pugi::xml_node c : d.document_element().children()) {
        const std::string n = c.name();
        if (n.size() >= 5 && n.substr(n.size() - 5) == ":meta") meta = c;
    }
    if (!meta) throw error(file.string(), "the schema has no cd:meta (setting, version, document types, dates)");
    schema_metadata m;
    m.file = file.string();
    m.setting = meta.attribute("setting").value();
    m.version = meta.attribute("version").value();
    m.title = meta.attribute("title").value();
    m.document_types = split_ws(meta.attribute("document-types").value());
    auto date = [&](const char* a) -> std::optional<int64_t> {
        const std::string v = meta.attribute(a).value();
        if (v.empty()) return std::nullopt;
        auto day = parse_date(v);
        if (!day) throw error(file.string(), std::string("cd:meta/@") + a + " '" + v + "' is not a date");
        return day;
    };
    m.effective_from = date("effective-from");
    m.effective_to = date("effective-to");
    return m;
}

const std::vector<schema_metadata>& schema_catalog::schemas_for(const std::string& setting) const {
    const std::lock_guard lock(*cache_mutex_);
    if (auto it = cache_.find(setting); it != cache_.end()) return it->second;
    std::vector<schema_metadata> list;
    std::error_code ec;
    for (const fs::path& dir : dirs_) {
        const fs::path folder = dir / setting;
        if (!fs::is_directory(folder, ec)) continue;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(folder, ec))
            if (e.path().extension() == ".sch") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) list.push_back(read_metadata(f, setting));
    }
    return cache_.emplace(setting, std::move(list)).first->second;
}

const schema_metadata& schema_catalog::select(const std::string& setting, const std::string& type, int64_t day) const {
    const auto& all = schemas_for(setting);
    const schema_metadata* found = nullptr;
    std::string known;
    for (const auto& m : all) {
        if (std::find(m.document_types.begin(), m.document_types.end(), type) == m.document_types.end()) continue;
        known += "\n  " + m.file + " (version " + m.version + ", " + span(m) + ")";
        if (!m.in_force_on(day)) continue;
        if (found)
            throw error(m.file, "two schemas for " + setting + "/" + type + " are in force on " + format_date(day) +
                                    ": this one and " + found->file);
        found = &m;
    }
    if (!found) {
        if (all.empty()) throw error("", "no schemas for the setting '" + setting + "' in the schema directories");
        throw error("", "no schema for " + setting + "/" + type + " is in force on " + format_date(day) +
                            (known.empty() ? std::string(" (no schema covers this document type)")
                                           : "; schemas for this document type:" + known));
    }
    return *found;
}

} // namespace casedoc
