// Rating a sample in-process for the audit tests of a setting plugin: casedoc::validator with
// validator_options::rate, the build tree's plugins (next to CASEDOC_EXE's bin/) and the source tree's
// schemas (the parent of SCHEMA_DIR).
#ifndef CASEDOC_TESTS_RATING_SUPPORT_HPP
#define CASEDOC_TESTS_RATING_SUPPORT_HPP
#include "setting_support.hpp"

#include <casedoc/check/rating.hpp>
#include <casedoc/check/validator.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>

#include <string>

namespace setting_test {

inline const casedoc::plugin_host &build_plugins() {
    static const casedoc::plugin_host host = [] {
        casedoc::plugin_host h;
        h.add_search_directory(fs::path(CASEDOC_EXE).parent_path().parent_path() / "plugins");
        h.discover();
        return h;
    }();
    return host;
}

inline const casedoc::schema_catalog &source_schemas() {
    static const casedoc::schema_catalog catalog = [] {
        casedoc::schema_catalog c;
        c.add_directory(schema_dir.parent_path());
        return c;
    }();
    return catalog;
}

// The rating of the native check `rule_id` on the record of `file`: "met", "not_met" or "not_applicable"
// (casedoc::to_string of casedoc::rating, so that a failed check shows it).
inline std::string native_rating(const fs::path &file, const std::string &rule_id) {
    casedoc::validator_options options;
    options.rate = true;
    casedoc::validator v(build_plugins(), source_schemas(), options);
    const casedoc::record_result r = v.check_file(file);
    INFO(file.string() << ": " << r.error);
    REQUIRE(r.status != casedoc::record_status::error);
    REQUIRE(r.rating.rules);
    const auto &rules = r.rating.rules->rules;
    REQUIRE(r.rating.ratings.size() == rules.size());
    for (size_t i = 0; i < rules.size(); ++i)
        if (rules[i].id == rule_id && rules[i].kind == "native")
            return std::string(casedoc::to_string(r.rating.ratings[i]));
    FAIL("native check " << rule_id << " is not in the rule set of " << file.string());
    return {};
}

} // namespace setting_test

#endif
