// casedoc schema lint SCHEMA...: what compiles but cannot be what the author meant (schema_lint.hpp), each finding
// at its place in the schema. Also run by `schema test` and `plugin check` (lint_schema_file).
#include "commands.hpp"

#include <casedoc/base/counted.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/check/batch.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <iostream>

namespace casedoc::tools {

namespace fs = std::filesystem;

record_vocabulary setting_vocabulary(const std::vector<std::string>& records, const plugin* p) {
    record_vocabulary v;
    if (p) v.add_types(p->document_types);
    for (const std::string& r : records) {
        try {
            v.add_record(xml_document::load_file(r));
        } catch (const error&) {
            // A record that does not parse adds no names; the command that reads it says why.
        }
    }
    return v;
}

std::vector<lint_finding> lint_schema_file(const std::string& schema, const record_vocabulary& known,
                                           const schema_options& options, std::set<lint_finding>& shown) {
    std::vector<lint_finding> found;
    for (lint_finding& f : lint_schema(schema, known, options)) {
        if (!shown.insert(f).second) continue;
        std::cout << to_string(f) << '\n';
        found.push_back(std::move(f));
    }
    return found;
}

namespace {

struct schema_lint_options {
    std::vector<std::string> schemas, samples;
};

// The records beside a schema: its examples/ folder, or the samples/ of the plugin project it is in
// (PROJECT/schemas/<id>/x.sch, PROJECT/samples).
std::vector<std::string> default_samples(const std::string& schema) {
    const fs::path dir = fs::absolute(schema).parent_path();
    std::error_code ec;
    for (const fs::path& d : {dir / "examples", dir.parent_path().parent_path() / "samples"})
        if (fs::is_directory(d, ec)) return expand_inputs({d.string()});
    return {};
}

int run_schema_lint(const common_options& common, const schema_lint_options& o) {
    plugin_host host;
    schema_catalog catalog;
    setup(common, host, &catalog);
    const std::vector<std::string> given = o.samples.empty() ? std::vector<std::string>{} : expand_inputs(o.samples);
    std::set<lint_finding> shown;
    bool broken = false;
    for (const std::string& file : o.schemas) {
        try {
            std::string setting; // a plain Schematron schema has no cd:meta, and is linted all the same
            try {
                setting = read_schema_metadata(file).setting;
            } catch (const error&) {
            }
            std::vector<std::string> samples = given;
            if (o.samples.empty()) samples = default_samples(file);
            const plugin* p = setting.empty() ? nullptr : host.find(setting);
            schema_options so;
            if (p) so.fact_names = p->fact_names;
            so.search_path = catalog.directories();
            lint_schema_file(file, setting_vocabulary(samples, p), so, shown);
        } catch (const error& e) {
            std::cerr << "casedoc: error: " << e.what() << '\n';
            broken = true;
        }
    }
    std::cout << "schema lint: " << counted(o.schemas.size(), "schema") << ", " << counted(shown.size(), "warning")
              << (broken ? "; some did not compile" : "") << '\n';
    return broken ? 2 : shown.empty() ? 0 : 1;
}

} // namespace

void add_schema_lint_command(CLI::App& schema, common_options& common, command_action& action) {
    auto* lint = schema.add_subcommand(
        "lint", "Find what compiles but cannot be meant: rules that never fire, unknown names, missing citations");
    auto o = std::make_shared<schema_lint_options>();
    lint->add_option("schemas", o->schemas, "The schema files (.sch)")->required()->check(CLI::ExistingFile);
    lint->add_option("--samples", o->samples,
                     "Records or directories whose names are known (default: the examples/ folder beside each "
                     "schema, or the samples/ folder of its plugin project)")
        ->type_name("PATH")
        ->allow_extra_args(false);
    add_directory_options(*lint, common);
    lint->callback([&action, &common, o] { action = [&common, o] { return run_schema_lint(common, *o); }; });
}

} // namespace casedoc::tools
