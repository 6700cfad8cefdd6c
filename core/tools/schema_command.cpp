// casedoc schema test SCHEMA.sch [EXAMPLES...]: runs a schema's own examples, records that say which rule ids
// they must trigger (<!-- casedoc-expect: ... -->), so rule writers work test-first without C++; lints the
// schema and says how well the examples cover its rules. `schema lint` is in schema_lint_command.cpp.
#include "commands.hpp"

#include <casedoc/base/counted.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/check/batch.hpp>
#include <casedoc/check/sample_check.hpp>
#include <casedoc/check/validator.hpp>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>

namespace casedoc::tools {

namespace {

namespace fs = std::filesystem;

struct schema_test_options {
    std::string schema;
    std::vector<std::string> examples, params;
    bool strict = false;
};

// Per rule: in how many samples it applied (its context matched and its condition held), failed and passed.
// Returns how many rules no sample tested: never applicable, so never failing either.
size_t print_coverage(const std::vector<rule_info>& rules, const std::vector<sample_outcome>& outcomes) {
    struct counts {
        size_t applicable = 0, failed = 0, passed = 0;
    };
    std::map<std::string, counts> by_id;
    for (const rule_info& r : rules)
        if (!r.id.empty()) by_id[r.id];
    for (const sample_outcome& s : outcomes) {
        if (!s.rating.rules) continue;
        for (size_t i = 0; i < s.rating.ratings.size(); ++i) {
            auto it = by_id.find(s.rating.rules->rules[i].id);
            if (it == by_id.end() || s.rating.ratings[i] == rating::not_applicable) continue;
            ++it->second.applicable;
            ++(s.rating.ratings[i] == rating::not_met ? it->second.failed : it->second.passed);
        }
    }
    size_t width = 4;
    for (const auto& [id, c] : by_id) width = std::max(width, id.size());
    std::cout << "coverage: in how many samples each rule applied, failed and passed\n"
              << "  " << std::string(width, ' ') << " applied  failed  passed\n";
    size_t untested = 0;
    for (const auto& [id, c] : by_id) {
        std::cout << "  " << id << std::string(width - id.size(), ' ') << std::setw(8) << c.applicable
                  << std::setw(8) << c.failed << std::setw(8) << c.passed;
        if (c.applicable == 0) {
            ++untested;
            std::cout << "  never applicable: no sample tests it";
        }
        std::cout << '\n';
    }
    return untested;
}

int run_schema_test(const common_options& common, const schema_test_options& o) {
    const schema_metadata meta = read_schema_metadata(o.schema);
    std::vector<std::string> inputs = o.examples;
    if (inputs.empty()) inputs.push_back((fs::path(o.schema).parent_path() / "examples").string());
    const auto files = expand_inputs(inputs);

    plugin_host host;
    schema_catalog catalog;
    setup(common, host, &catalog);
    validator_options vo;
    vo.schema = o.schema;
    vo.params = parse_params(o.params);
    vo.strict = o.strict;
    schema_options so; // a schema that does not compile is exit 2 before any example runs
    so.params = vo.params;
    so.strict = o.strict;
    so.search_path = catalog.directories();
    if (const plugin* p = host.find(meta.setting)) so.fact_names = p->fact_names;
    const auto loaded = schema::load(o.schema, so);
    log_warnings(*loaded);
    const std::vector<rule_info> rules = loaded->rules();
    std::set<lint_finding> shown;
    const size_t warnings =
        lint_schema_file(o.schema, setting_vocabulary(files, host.find(meta.setting)), so, shown).size();

    vo.rate = true; // for coverage: which rules applied to which samples
    vo.warn_uncited = false; // the lint says so
    validator v(host, catalog, vo);
    const auto outcomes = check_samples(v, files, [&](const std::string&, int64_t day) { return meta.in_force_on(day); });
    size_t passed = 0, failed = 0, skipped = 0;
    for (const auto& r : outcomes) {
        switch (r.result) {
        case sample_outcome::verdict::passed:
            ++passed;
            std::cout << "pass  " << r.file << "  [" << join_ids(r.expected) << "]\n";
            break;
        case sample_outcome::verdict::skipped:
            ++skipped;
            std::cout << "skip  " << r.file << "  (" << r.reason << ")\n";
            break;
        case sample_outcome::verdict::failed:
            ++failed;
            std::cout << "FAIL  " << r.file << "  " << r.reason << "\n      expected: " << join_ids(r.expected)
                      << "\n      found:    " << join_ids(r.found) << '\n';
            break;
        }
    }
    const size_t untested = print_coverage(rules, outcomes);
    std::cout << "schema test " << o.schema << " (" << meta.setting << " " << meta.version << "): " << passed
              << " passed, " << failed << " failed, " << skipped << " skipped (not in force on their date); "
              << counted(untested, "rule") << " never applicable; " << counted(warnings, "lint warning") << '\n';
    if (passed + failed == 0) throw error(o.schema, "no example record is dated within the schema's effective dates");
    return failed ? 1 : 0;
}

} // namespace

void add_schema_command(CLI::App& app, common_options& common, command_action& action) {
    auto* schema = app.add_subcommand("schema", "Work on documentation schemas");
    schema->require_subcommand(1);
    auto* test = schema->add_subcommand(
        "test", "Run a schema's example records: each must trigger exactly the rule ids its casedoc-expect comment names");
    auto o = std::make_shared<schema_test_options>();
    test->add_option("schema", o->schema, "The schema file (.sch) with cd:meta")->required()->check(CLI::ExistingFile);
    test->add_option("examples", o->examples,
                     "Example records or directories (default: the examples/ folder beside the schema)");
    test->add_option("--param", o->params, "Agency policy value, NAME=VALUE")->allow_extra_args(false);
    add_strict_flag(*test, o->strict);
    add_directory_options(*test, common);
    test->callback([&action, &common, o] { action = [&common, o] { return run_schema_test(common, *o); }; });
    add_schema_lint_command(*schema, common, action);
}

} // namespace casedoc::tools
