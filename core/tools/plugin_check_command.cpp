// casedoc plugin check PLUGIN.so: the plugin test kit. Loads a plugin and verifies its contract, as plugin
// authors run it in their own CI: descriptor and ABI, id matching the file, a schema and a template for every
// document type, every schema compiling and every template parsing, rule ids unique with citations (none the
// scaffold's placeholder), the schemas linting clean, every sample record triggering exactly the rules its
// casedoc-expect comment names, and every valid sample rendering (in memory, the PDF discarded).
#include "commands.hpp"

#include <casedoc/base/error.hpp>
#include <casedoc/check/batch.hpp>
#include <casedoc/check/sample_check.hpp>
#include <casedoc/check/validator.hpp>
#include <casedoc/render/render.hpp>
#include <casedoc/schematron/schema.hpp>

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <set>

namespace casedoc::tools {

namespace {

namespace fs = std::filesystem;

struct plugin_check_options {
    std::string plugin;
    std::string samples;
    bool load_only = false;
};

class report {
public:
    void item(bool ok, const std::string& what, const std::vector<std::string>& problems = {}) {
        std::cout << (ok ? "ok    " : "FAIL  ") << what << '\n';
        for (const auto& p : problems) std::cout << "        " << p << '\n';
        ok ? ++passed_ : ++failed_;
    }
    void note(const std::string& what) { std::cout << "note  " << what << '\n'; }
    int finish() const {
        std::cout << (failed_ ? "plugin check FAILED: " : "plugin check passed: ") << passed_ << " passed, " << failed_
                  << " failed\n";
        return failed_ ? 1 : 0;
    }

private:
    size_t passed_ = 0, failed_ = 0;
};

int run_plugin_check(const common_options& common, const plugin_check_options& o) {
    report rep;
    std::cout << "casedoc plugin check " << o.plugin << '\n';
    plugin_host host;
    const plugin* p = nullptr;
    try {
        p = &host.load(o.plugin);
    } catch (const error& e) {
        rep.item(false, "loads: descriptor, ABI and id", {e.what()});
        return rep.finish();
    }
    rep.item(true, "loads: " + p->id + " " + p->version + " (ABI " + std::to_string(CASEDOC_PLUGIN_ABI_MAJOR) + "." +
                       std::to_string(p->abi_minor) + "), id matches the file name");
    if (o.load_only) return rep.finish();

    // Schemas: every version compiles, with the plugin's facts declared.
    schema_catalog catalog;
    add_schema_directories(common, catalog);
    std::vector<schema_metadata> metas;
    std::vector<std::string> problems;
    try {
        metas = catalog.schemas_for(p->id);
    } catch (const error& e) {
        problems.push_back(e.what());
    }
    std::map<std::string, std::vector<rule_info>> rules_by_schema;
    for (const auto& m : metas) {
        try {
            schema_options so;
            so.fact_names = p->fact_names;
            so.search_path = catalog.directories();
            rules_by_schema[m.file] = schema::load(m.file, so)->rules();
        } catch (const error& e) {
            problems.push_back(e.what());
        }
    }
    if (metas.empty() && problems.empty()) {
        std::string dirs;
        for (const auto& d : catalog.directories()) dirs += " " + (d / p->id).string();
        problems.push_back("no schema for " + p->id + " (looked in" + dirs + ")");
    }
    rep.item(problems.empty(), std::to_string(metas.size()) + " schema version(s) compile", problems);

    // Every declared document type has a schema and a template.
    problems.clear();
    for (const auto& type : p->document_types) {
        const bool covered = std::any_of(metas.begin(), metas.end(), [&](const schema_metadata& m) {
            return std::find(m.document_types.begin(), m.document_types.end(), type) != m.document_types.end();
        });
        if (!covered) problems.push_back("document type " + type + ": no schema declares it in cd:meta/@document-types");
    }
    for (const auto& m : metas)
        for (const auto& type : m.document_types)
            if (std::find(p->document_types.begin(), p->document_types.end(), type) == p->document_types.end())
                problems.push_back(m.file + ": document type " + type + " is not one the plugin declares");
    rep.item(problems.empty(), "every document type has a schema", problems);

    // Templates: the common one, the setting's common.xml and one per document type, each parsed as render
    // parses it, so that a malformed template is reported here at its file:line, not first by casedoc render.
    problems.clear();
    template_catalog templates;
    add_template_directories(common, templates);
    if (templates.directories().empty())
        problems.push_back("no template directory: --template-dir DIR or --project DIR");
    else {
        auto parse = [&](const std::function<void()>& load) {
            try {
                load();
            } catch (const error& e) {
                problems.push_back(e.what());
            }
        };
        parse([&] { templates.common(); });
        parse([&] { templates.setting_common(p->id); });
        for (const auto& type : p->document_types) parse([&] { templates.find(p->id, type); });
    }
    rep.item(problems.empty(), "every document type has a template, and every template parses", problems);
    const bool templates_ok = problems.empty();

    // Rule ids: every rule has an id and a citation; native ids do not clash with schema ids.
    problems.clear();
    std::set<std::string> schema_ids;
    for (const auto& [file, rules] : rules_by_schema)
        for (const auto& r : rules) {
            const std::string where =
                r.file + ':' + std::to_string(r.line) + ':' + std::to_string(r.column) + ": error: ";
            if (r.id.empty()) problems.push_back(where + "a " + r.kind + " in pattern '" + r.pattern + "' has no id");
            else if (r.citation.empty()) problems.push_back(where + "rule " + r.id + " has no citation");
            schema_ids.insert(r.id);
        }
    for (const auto& c : p->checks) {
        if (schema_ids.count(c.rule_id)) problems.push_back("native check " + c.rule_id + " has the id of a schema rule");
        if (c.citation.empty()) problems.push_back("native check " + c.rule_id + " has no citation");
    }
    rep.item(problems.empty(), std::to_string(schema_ids.size() + p->checks.size()) +
                                   " rule ids (schema and native) are unique and cited", problems);

    // The schema lint, with the names of the plugin's samples known. Placeholder citations (the scaffold's) are
    // refused; so is anything else the lint finds, but for missing citations, refused above.
    std::vector<std::string> sample_files, valid_samples;
    for (const char* kind : {"valid", "invalid"}) {
        std::error_code ec;
        if (const fs::path dir = fs::path(o.samples) / kind; !o.samples.empty() && fs::is_directory(dir, ec)) {
            try {
                const auto files = expand_inputs({dir.string()});
                sample_files.insert(sample_files.end(), files.begin(), files.end());
                if (std::string(kind) == "valid") valid_samples = files;
            } catch (const error&) {
                // An empty folder: the sample check below says so.
            }
        }
    }
    const record_vocabulary names = setting_vocabulary(sample_files, p);
    std::vector<std::string> placeholders;
    std::set<lint_finding> seen; // a file several schemas include is linted once
    problems.clear();
    for (const auto& [file, rules] : rules_by_schema) {
        schema_options so;
        so.fact_names = p->fact_names;
        so.search_path = catalog.directories();
        for (const lint_finding& f : lint_schema(file, names, so)) {
            if (!seen.insert(f).second) continue;
            if (f.type == lint_finding::kind::placeholder_citation) placeholders.push_back(to_string(f, "error"));
            else if (f.type != lint_finding::kind::no_citation) problems.push_back(to_string(f));
        }
    }
    for (const auto& c : p->checks)
        if (c.citation.find(citation_placeholder) != std::string::npos)
            placeholders.push_back("native check " + c.rule_id + " cites the placeholder '" + citation_placeholder +
                                   "': replace it in the plugin's checks table with the regulation or policy it "
                                   "enforces");
    rep.item(placeholders.empty(), std::string("no rule cites the placeholder ") + citation_placeholder, placeholders);
    rep.item(problems.empty(), "the schemas lint clean (casedoc schema lint)", problems);

    // Samples.
    if (o.samples.empty()) {
        rep.note("samples not checked: give --samples DIR (with valid/ and invalid/ record folders)");
        return rep.finish();
    }
    problems.clear();
    plugin_host only;
    only.load(o.plugin);
    validator_options vo;
    vo.warn_uncited = false; // refused above
    validator v(only, catalog, vo);
    size_t count = 0;
    for (const char* kind : {"valid", "invalid"}) {
        const fs::path dir = fs::path(o.samples) / kind;
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) {
            problems.push_back(dir.string() + ": no such folder");
            continue;
        }
        for (const auto& r : check_samples(v, expand_inputs({dir.string()}))) {
            ++count;
            if (std::string(kind) == "valid" && !r.expected.empty())
                problems.push_back(r.file + ": a valid sample must say casedoc-expect: none");
            if (std::string(kind) == "invalid" && r.expected.empty() && r.reason.empty())
                problems.push_back(r.file + ": an invalid sample must name the rules it breaks");
            if (r.result != sample_outcome::verdict::passed)
                problems.push_back(r.file + ": " + r.reason + " (expected " + join_ids(r.expected) + ", found " +
                                   join_ids(r.found) + ")");
        }
    }
    rep.item(problems.empty(), std::to_string(count) + " sample records trigger exactly the rules they name", problems);

    // Every valid sample renders (in memory; the PDF is discarded), through the templates parsed above.
    if (!templates_ok) {
        rep.note("valid samples not rendered: a template is missing or does not parse (above)");
        return rep.finish();
    }
    problems.clear();
    size_t rendered = 0;
    try {
        const renderer r(templates, render_options{});
        for (const auto& file : valid_samples) {
            const render_result res = r.render_file(v, file);
            if (res.status == render_status::rendered) ++rendered;
            else if (res.status == render_status::error) problems.push_back(file + ": not rendered: " + res.error);
            else problems.push_back(file + ": not rendered: the record is not compliant");
        }
    } catch (const error& e) {
        problems.push_back(e.what()); // the common template's fonts or colour profile
    }
    rep.item(problems.empty(),
             std::to_string(rendered) + " of " + std::to_string(valid_samples.size()) +
                 " valid samples render as PDF (casedoc render, in memory)",
             problems);
    return rep.finish();
}

} // namespace

void add_plugin_check_command(CLI::App& plugin, common_options& common, command_action& action) {
    auto* check = plugin.add_subcommand("check", "Verify a plugin's contract (the plugin test kit): exit 0 when it holds");
    auto o = std::make_shared<plugin_check_options>();
    check->add_option("plugin", o->plugin, "The plugin file, casedoc_<id>.so")->required()->check(CLI::ExistingFile);
    check->add_option("--samples", o->samples, "Sample records: DIR/valid and DIR/invalid, with casedoc-expect comments");
    check->add_flag("--load-only", o->load_only,
                    "Only load the plugin: ABI, descriptor and id matching the file name (casedoc_add_plugin runs this "
                    "after every build)");
    add_directory_options(*check, common, true, true);
    check->callback([&action, &common, o] { action = [&common, o] { return run_plugin_check(common, *o); }; });
}

} // namespace casedoc::tools
