// Helpers for the end-to-end tests of a setting plugin: run the built program, read the samples'
// expectations, list the rule ids of the setting's schemas and native checks.
//
// Compiled with PLUGIN_ID (the setting), SAMPLES_DIR (plugins/<id>/samples), SCHEMA_DIR
// (schemas/<id>), EXAMPLES_DIR (schemas/record/examples) and CASEDOC_EXE.
#ifndef CASEDOC_TESTS_SETTING_SUPPORT_HPP
#define CASEDOC_TESTS_SETTING_SUPPORT_HPP
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace setting_test {

inline const std::string plugin_id{PLUGIN_ID};
inline const fs::path samples_dir{SAMPLES_DIR};
inline const fs::path schema_dir{SCHEMA_DIR};
inline const fs::path examples_dir{EXAMPLES_DIR};

using casedoc_test::quote;
using casedoc_test::read_file;
using casedoc_test::run_result;

// Runs the casedoc program with `args`; stdout and stderr are captured separately.
inline run_result run_casedoc(const std::vector<std::string> &args) {
    std::string cmd = quote(CASEDOC_EXE);
    for (const auto &a : args)
        cmd += " " + quote(a);
    return casedoc_test::shell(cmd);
}

inline std::vector<fs::path> xml_files(const fs::path &dir) {
    std::vector<fs::path> out;
    for (const auto &e : fs::directory_iterator(dir))
        if (e.path().extension() == ".xml")
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// The ids after "casedoc-expect:", or nothing when the comment is missing.
inline std::optional<std::set<std::string>> expected_ids(const fs::path &file) {
    static const std::regex re(R"(<!--\s*casedoc-expect:\s*([^>]*?)\s*-->)");
    const std::string text = read_file(file);
    std::smatch m;
    if (!std::regex_search(text, m, re))
        return std::nullopt;
    std::set<std::string> ids;
    std::istringstream ss(m[1].str());
    for (std::string id; ss >> id;)
        if (id != "none")
            ids.insert(id);
    return ids;
}

struct checked_record {
    run_result run;
    nlohmann::json json;   // the whole report
    nlohmann::json record; // records[0]
    std::set<std::string> rule_ids, error_ids;
};

inline checked_record validate(const fs::path &file) {
    checked_record c;
    c.run = run_casedoc({"validate", "--format", "json", file.string()});
    INFO("stderr: " << c.run.err);
    INFO("stdout: " << c.run.out);
    REQUIRE_NOTHROW(c.json = nlohmann::json::parse(c.run.out));
    REQUIRE(c.json.contains("records"));
    REQUIRE(c.json["records"].size() == 1);
    c.record = c.json["records"][0];
    for (const auto &f : c.record.value("findings", nlohmann::json::array())) {
        const std::string id = f.value("rule_id", "");
        c.rule_ids.insert(id);
        if (f.value("severity", "") == "error")
            c.error_ids.insert(id);
    }
    return c;
}

inline std::string joined(const std::set<std::string> &ids) {
    std::string out;
    for (const auto &id : ids)
        out += (out.empty() ? "" : " ") + id;
    return out.empty() ? "(none)" : out;
}

// Rule ids of a schema file and the files it includes: the id of every sch:assert, sch:report and
// casedoc extension check (cd:field, cd:deadline, cd:recurrence).
inline void collect_schema_ids(const fs::path &file, std::set<std::string> &ids, std::set<fs::path> &seen) {
    const fs::path canonical = fs::weakly_canonical(file);
    if (!seen.insert(canonical).second)
        return;
    pugi::xml_document doc;
    const pugi::xml_parse_result ok = doc.load_file(file.c_str());
    INFO(file.string() << ": " << ok.description());
    REQUIRE(ok);
    struct walker : pugi::xml_tree_walker {
        std::set<std::string> *ids;
        std::vector<std::string> includes;
        bool for_each(pugi::xml_node &n) override {
            if (n.type() != pugi::node_element)
                return true;
            const std::string name = n.name();
            if (name == "sch:include")
                includes.push_back(n.attribute("href").value());
            const bool check = name == "sch:assert" || name == "sch:report" || name == "cd:field" ||
                               name == "cd:deadline" || name == "cd:recurrence";
            if (check && n.attribute("id"))
                ids->insert(n.attribute("id").value());
            return true;
        }
    } w;
    w.ids = &ids;
    doc.traverse(w);
    for (const auto &href : w.includes)
        collect_schema_ids(file.parent_path() / href, ids, seen);
}

inline std::set<std::string> schema_rule_ids() {
    std::set<std::string> ids;
    std::set<fs::path> seen;
    for (const auto &e : fs::directory_iterator(schema_dir))
        if (e.path().extension() == ".sch")
            collect_schema_ids(e.path(), ids, seen);
    return ids;
}

// The plugin's native check ids, as the program lists them.
inline std::set<std::string> native_rule_ids() {
    const run_result r = run_casedoc({"plugins", "--format", "json"});
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 0);
    const auto list = nlohmann::json::parse(r.out);
    std::set<std::string> ids;
    bool found = false;
    for (const auto &p : list) {
        if (p.value("id", "") != plugin_id)
            continue;
        found = true;
        for (const auto &c : p.value("native_checks", nlohmann::json::array()))
            ids.insert(c.value("rule_id", ""));
    }
    REQUIRE(found);
    return ids;
}

// Record examples (schemas/record/examples) of this setting.
inline std::vector<fs::path> setting_examples() {
    std::vector<fs::path> out;
    for (const auto &f : xml_files(examples_dir)) {
        pugi::xml_document d;
        if (d.load_file(f.c_str()) && d.document_element().attribute("setting").value() == plugin_id)
            out.push_back(f);
    }
    return out;
}

} // namespace setting_test

#endif
