#include <casedoc/base/counted.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/check/validator.hpp>
#include <casedoc/plugin/native_checks.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/xml/record.hpp>
#include <casedoc/xml/xml_chars.hpp>

#include "document_types.hpp"
#include "record_dates.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <iterator>
#include <mutex>
#include <optional>
#include <set>

namespace casedoc {

validator::validator(const plugin_host& plugins, const schema_catalog& schemas, validator_options options)
    : plugins_(plugins), schemas_(schemas), options_(std::move(options)) {
    if (!options_.compiled_schemas) options_.compiled_schemas = std::make_shared<schema_cache>();
}
validator::~validator() = default;

namespace {

// Once per schema file and process (validators run one per thread): the first rule of a casedoc schema that has
// no citation, where it is written, and how many more there are. Plain Schematron schemas cite nothing.
void warn_uncited(const schema& s) {
    if (s.metadata().setting.empty()) return;
    static std::mutex mutex;
    static std::set<std::string> warned;
    const std::lock_guard<std::mutex> lock(mutex);
    if (!warned.insert(s.metadata().file).second) return;
    const rule_info* first = nullptr;
    size_t more = 0;
    for (const rule_info& r : s.rules()) {
        if (!detail::normalize_space(r.citation).empty()) continue;
        if (first) ++more;
        else first = &r;
    }
    if (!first) return;
    spdlog::warn("{}:{}:{}: {} has no citation{}", first->file, first->line, first->column,
                 first->id.empty() ? "a " + first->kind + " without an id" : "rule " + first->id,
                 more ? " (and " + counted(more, "more rule") + ")" : std::string());
}

} // namespace

const schema& validator::compiled(const std::string& file, const plugin* p) {
    const std::string key = file + '\n' + (p ? p->id : std::string());
    auto it = cache_.find(key);
    if (it == cache_.end()) {
        schema_options so;
        so.phase = options_.phase;
        so.params = options_.params;
        so.loader = options_.loader;
        so.strict = options_.strict;
        if (p) so.fact_names = p->fact_names;
        so.search_path = schemas_.directories();
        const auto warn = [&](const schema& s) { // once, by the validator that compiled it
            if (file != options_.schema.string()) // the program reports the warnings of a schema it was given
                for (const std::string& w : s.warnings()) spdlog::warn("{}", w);
            if (options_.warn_uncited) warn_uncited(s);
        };
        it = cache_.emplace(key, options_.compiled_schemas->get(file, so, warn)).first;
    }
    return *it->second;
}

const std::vector<rule_info>& validator::schema_rules(const std::string& schema_file, const plugin& p) {
    return compiled(schema_file, &p).rules();
}

void validator::compile_all() {
    for (const plugin* p : plugins_.plugins())
        for (const auto& m : schemas_.schemas_for(p->id)) compiled(m.file, p);
}

std::shared_ptr<const rule_set> validator::rules_of(const std::string& file, const schema& s, const plugin& p,
                                                   const std::string& document_type) {
    const std::string key = file + '\n' + p.id + '\n' + document_type;
    auto& slot = rule_sets_[key];
    if (!slot) {
        auto set = std::make_shared<rule_set>();
        set->setting = p.id;
        set->document_type = document_type;
        set->schema = s.metadata();
        set->rules = s.rules();
        for (const check_info& c : p.checks)
            if (c.applies_to(document_type))
                set->rules.push_back({c.rule_id, c.citation, "native:" + p.id, c.level, "native", c.title, {}, 0, 0});
        slot = std::move(set);
    }
    return slot;
}

std::string_view to_string(rating r) noexcept {
    switch (r) {
    case rating::met: return "met";
    case rating::not_met: return "not_met";
    default: return "not_applicable";
    }
}

namespace {

// By line, column and rule id, stably. A pattern's findings come in document order, so they often are already;
// else the order is worked out on their numbers and each finding moved once (a finding is a dozen strings).
void sort_findings(std::vector<finding>& findings) {
    const auto before = [&](const finding& a, const finding& b) {
        if (a.where.line != b.where.line) return a.where.line < b.where.line;
        if (a.where.column != b.where.column) return a.where.column < b.where.column;
        return a.rule_id < b.rule_id;
    };
    if (std::is_sorted(findings.begin(), findings.end(), before)) return;
    std::vector<size_t> order(findings.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return before(findings[a], findings[b]); });
    std::vector<finding> sorted;
    sorted.reserve(findings.size());
    for (size_t i : order) sorted.push_back(std::move(findings[i]));
    findings = std::move(sorted);
}

rating rate(const rule_tally& t) {
    return t.evaluated == 0 ? rating::not_applicable : t.failed ? rating::not_met : rating::met;
}

// A record that could not be checked. An error in another file (a schema that does not compile) keeps its
// own place in its message: its line and column are not the record's.
record_result not_checked(const std::string& file, const error& e) {
    record_result r;
    r.file = file;
    if (e.file().empty() || e.file() == file) {
        r.error = e.message();
        r.error_line = e.line();
        r.error_column = e.column();
    } else {
        r.error = e.what();
    }
    spdlog::debug("{}: could not check", file);
    return r;
}

} // namespace

record_result validator::check_file(const std::filesystem::path& file) {
    if (file == "-") { // standard input, named as compilers name it
        std::string text(std::istreambuf_iterator<char>(std::cin), {});
        if (std::cin.bad()) {
            record_result r;
            r.file = "<stdin>";
            r.error = "cannot read standard input";
            return r;
        }
        return check_text(std::move(text), "<stdin>");
    }
    try {
        xml_document doc = load_record_file(file, options_.limits);
        return check(doc);
    } catch (const error& e) {
        return not_checked(file.string(), e);
    }
}

record_result validator::check_text(std::string text, const std::string& name) {
    try {
        xml_document doc = load_record_text(std::move(text), name, options_.limits);
        return check(doc);
    } catch (const error& e) {
        return not_checked(name, e);
    }
}

namespace {

// What a native check said is due, as the schema's deadlines say it (plugin_api: a date or a date-time, already
// checked to be one; a date-time with Z or an offset is UTC).
due_measure due_of(native_due d) {
    due_measure m;
    const timestamp t = *parse_timestamp(d.due);
    m.hours = t.has_time;
    m.utc = t.has_time && written_in_utc(d.due);
    m.due = t.has_time ? t.minutes : t.day();
    m.rule_id = std::move(d.rule_id);
    m.citation = std::move(d.citation);
    m.title = std::move(d.title);
    m.anchor = std::move(d.anchor);
    m.failed = d.failed;
    m.line = d.line;
    return m;
}

} // namespace

record_result validator::check_due(std::string text, const std::string& name, const std::string& as_of) {
    struct restore { // the validator's own options again afterwards
        validator_options& o;
        std::string as_of;
        bool due;
        ~restore() { o.as_of = std::move(as_of), o.due = due; }
    } keep{options_, options_.as_of, options_.due};
    options_.as_of = as_of;
    options_.due = true;
    return check_text(std::move(text), name);
}

record_result validator::check(xml_document& doc) {
    record_result r;
    r.file = doc.name();
    validate_options vo;
    vo.svrl = options_.svrl;
    vo.tally = options_.rate;
    vo.due = options_.due;
    pugi::xml_node root = doc.root();
    const bool case_record = detail::local_name(root.name()) == "case-record";
    if (case_record && !options_.as_of.empty()) {
        pugi::xml_attribute a = root.attribute("as-of");
        if (!a) a = root.append_attribute("as-of");
        a.set_value(options_.as_of.c_str());
    }
    if (options_.due && case_record) {
        r.worker = root.attribute("worker").value();
        r.office = root.attribute("office").value();
        r.as_of = root.attribute("as-of").value();
        for (pugi::xml_node c : root.children())
            if (detail::local_name(c.name()) == "client") {
                r.client_id = c.attribute("id").value();
                break;
            }
    }
    if (options_.timeout_per_record > 0) {
        using std::chrono::steady_clock;
        const std::chrono::duration<double> allowed(options_.timeout_per_record);
        vo.deadline = steady_clock::now() + std::chrono::duration_cast<steady_clock::duration>(allowed);
    }
    // With a given schema, a casedoc record whose plugin is loaded still gets the plugin's facts and checks;
    // any other document is plain Schematron.
    std::optional<record_info> record;
    const plugin* p = nullptr;
    if (!options_.schema.empty()) {
        try {
            record = read_record_info(doc);
            p = plugins_.find(record->setting);
        } catch (const error&) {
        }
    }
    if (!options_.schema.empty() && !p) {
        const schema& s = compiled(options_.schema.string(), nullptr);
        r.schema_file = options_.schema.string();
        r.schema_version = s.metadata().version;
        r.svrl = s.validate(doc, vo);
        r.findings = std::move(r.svrl.findings);
    } else {
        const record_info info = record ? *record : read_record_info(doc);
        r.record_id = info.id;
        r.setting = info.setting;
        r.document_type = info.type;
        if (!p) p = plugins_.find(info.setting);
        if (!p) {
            const auto [l, c] = doc.line_column(doc.root());
            if (const plugin_failure* f = plugins_.failure(info.setting)) throw error(doc.name(), l, c, f->reason());
            std::string known;
            for (const plugin* q : plugins_.plugins()) known += (known.empty() ? "" : ", ") + q->id;
            throw error(doc.name(), l, c,
                        "unknown setting '" + info.setting + "' (plugins loaded: " + (known.empty() ? "none" : known) + ")");
        }
        std::vector<finding> undeclared; // document types the plugin does not declare
        if (!detail::check_document_types(doc, *p, undeclared)) { // no schema is for it: nothing else to check
            r.findings = std::move(undeclared);
            for (auto& f : r.findings) f.record_id = info.id;
            r.status = record_status::not_compliant;
            spdlog::debug("{}: record {} is of an undeclared document type", r.file, r.record_id);
            return r;
        }
        const std::string schema_file =
            options_.schema.empty() ? schemas_.select(info.setting, info.type, info.service_day).file : options_.schema.string();
        const schema& s = compiled(schema_file, p);
        r.schema_file = schema_file;
        r.schema_version = s.metadata().version;
        const param_lookup params = [&s, cache = std::map<std::string, std::string>()](std::string_view name) mutable -> const char* {
            auto v = s.param(std::string(name));
            if (!v) return nullptr;
            return cache.insert_or_assign(std::string(name), *v).first->second.c_str();
        };
        const fact_map facts = derive_facts(*p, doc, params);
        vo.facts = &facts;
        vo.record_id = info.id;
        r.svrl = s.validate(doc, vo);
        r.findings = std::move(r.svrl.findings);
        r.due = std::move(r.svrl.due);
        std::vector<rule_tally> native;
        if (!options_.due) { // a due list needs the deadlines and recurrences alone
            run_checks(*p, doc, info.type, params, r.findings, options_.rate ? &native : nullptr);
            r.findings.insert(r.findings.end(), std::make_move_iterator(undeclared.begin()),
                              std::make_move_iterator(undeclared.end()));
            detail::check_record_dates(doc, r.findings);
        } else { // and the native checks that say when their rule is next due (plugin ABI 1.3)
            std::vector<finding> ignored;
            std::vector<native_due> said;
            run_checks(*p, doc, info.type, params, ignored, nullptr, &said);
            for (native_due& d : said) r.due.push_back(due_of(std::move(d)));
        }
        for (auto& f : r.findings) f.record_id = info.id;
        if (options_.rate) {
            record_rating& rr = r.rating;
            rr.rules = rules_of(schema_file, s, *p, info.type);
            rr.ratings.reserve(rr.rules->rules.size());
            for (const rule_tally& t : r.svrl.tally) rr.ratings.push_back(rate(t));
            for (size_t i = 0; i < p->checks.size(); ++i)
                if (p->checks[i].applies_to(info.type)) rr.ratings.push_back(rate(native[i]));
            rr.timings = std::move(r.svrl.timings);
            r.svrl.tally.clear();
        }
    }
    if (r.findings.size() > options_.limits.max_findings)
        throw error(doc.name(), std::to_string(r.findings.size()) + " findings, more than the limit of " +
                                    std::to_string(options_.limits.max_findings) + " (--max-findings)");
    sort_findings(r.findings);
    const bool errors = std::any_of(r.findings.begin(), r.findings.end(),
                                    [](const finding& f) { return f.level == severity::error; });
    r.status = errors ? record_status::not_compliant : record_status::compliant;
    spdlog::debug("{}: record {} checked, {}", r.file, r.record_id, counted(r.findings.size(), "finding"));
    return r;
}

} // namespace casedoc
