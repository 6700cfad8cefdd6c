#include <casedoc/base/error.hpp>
#include <casedoc/plugin/crash_report.hpp>
#include <casedoc/plugin/native_checks.hpp>

#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/xml/xml_chars.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <iterator>
#include <memory>
#include <mutex>

// The opaque context of the C contract: one record, one plugin, one native call at a time.
struct casedoc_check_context {
    const casedoc::plugin* plugin = nullptr;
    const casedoc::xml_document* doc = nullptr;
    const casedoc::param_lookup* params = nullptr;
    casedoc::fact_map* facts = nullptr;                // set during derive_facts only
    std::vector<casedoc::finding>* findings = nullptr; // set during checks only
    std::string running_rule;                          // the check running, during checks only
    bool not_applicable = false;                       // it said its rule does not apply
    std::vector<casedoc::native_due>* due = nullptr;   // set during checks when a worklist is asked for
    const casedoc::export_info* export_def = nullptr;  // set during an export only
    std::vector<std::vector<std::string>>* rows = nullptr;
    std::string record_id;
    std::string last_error; // the last error-level message the plugin logged during the current call
    std::string violation;  // the first breach of the contract during the current call
    std::exception_ptr host_failure; // a failure of the host's own code inside a callback
};

namespace {

using casedoc::plugin;

pugi::xml_node to_node(const casedoc_node* n) {
    return pugi::xml_node(reinterpret_cast<pugi::xml_node_struct*>(const_cast<casedoc_node*>(n)));
}

const casedoc_node* to_handle(pugi::xml_node n) {
    return reinterpret_cast<const casedoc_node*>(n.internal_object());
}

// After canonicalize() names carry prefixes (r:note); the plugin asks by local name (note).
bool is_element_named(pugi::xml_node n, const char* name) {
    return n.type() == pugi::node_element && (!name || casedoc::detail::local_name(n.name()) == name);
}

const char* attribute_value(pugi::xml_node n, const char* name) {
    for (pugi::xml_attribute a : n.attributes())
        if (const char* an = a.name(); casedoc::detail::local_name(an) == name && !casedoc::detail::is_namespace_declaration(an))
            return a.value();
    return nullptr;
}

// Each plugin logs under "casedoc.<id>", to the sinks and level of the default logger.
std::shared_ptr<spdlog::logger> plugin_logger(const plugin& p) {
    static std::mutex creating;
    const std::string name = "casedoc." + p.id;
    const std::lock_guard<std::mutex> lock(creating);
    if (auto existing = spdlog::get(name)) return existing;
    const auto& fallback = spdlog::default_logger();
    auto logger = std::make_shared<spdlog::logger>(name, fallback->sinks().begin(), fallback->sinks().end());
    spdlog::initialize_logger(logger);
    logger->set_level(fallback->level());
    return logger;
}

void record_host_failure(const casedoc_check_context* ctx) {
    auto* c = const_cast<casedoc_check_context*>(ctx);
    if (!c->host_failure) c->host_failure = std::current_exception();
}

void record_violation(const casedoc_check_context* ctx, std::string what) {
    auto* c = const_cast<casedoc_check_context*>(ctx);
    if (c->violation.empty()) c->violation = std::move(what);
}

} // namespace

// The host API. C linkage, and no exception may leave these: they return into plugin code.
extern "C" {

static void host_log(const casedoc_check_context* ctx, casedoc_log_level level, const char* message) {
    if (!ctx || !message) return;
    try {
        spdlog::level::level_enum l = spdlog::level::warn;
        switch (level) {
        case CASEDOC_LOG_DEBUG: l = spdlog::level::debug; break;
        case CASEDOC_LOG_INFO: l = spdlog::level::info; break;
        case CASEDOC_LOG_WARNING: l = spdlog::level::warn; break;
        case CASEDOC_LOG_ERROR:
            l = spdlog::level::err;
            const_cast<casedoc_check_context*>(ctx)->last_error = message;
            break;
        }
        plugin_logger(*ctx->plugin)->log(l, "{}", message);
    } catch (...) {
        record_host_failure(ctx);
    }
}

static const casedoc_node* host_root(const casedoc_check_context* ctx) {
    return ctx ? to_handle(ctx->doc->root()) : nullptr;
}

static const casedoc_node* host_first_child(const casedoc_node* node, const char* name) {
    if (!node) return nullptr;
    for (pugi::xml_node c = to_node(node).first_child(); c; c = c.next_sibling())
        if (is_element_named(c, name)) return to_handle(c);
    return nullptr;
}

static const casedoc_node* host_next_sibling(const casedoc_node* node, const char* name) {
    if (!node) return nullptr;
    for (pugi::xml_node s = to_node(node).next_sibling(); s; s = s.next_sibling())
        if (is_element_named(s, name)) return to_handle(s);
    return nullptr;
}

// The local name is a suffix of the element's NUL-terminated name, so its data() is a C string.
static const char* host_name(const casedoc_node* node) { return node ? casedoc::detail::local_name(to_node(node).name()).data() : ""; }

static const char* host_attribute(const casedoc_node* node, const char* name) {
    return node && name ? attribute_value(to_node(node), name) : nullptr;
}

static const char* host_text(const casedoc_node* node) { return node ? to_node(node).child_value() : ""; }

static const char* host_param(const casedoc_check_context* ctx, const char* name) {
    if (!ctx || !name || !ctx->params || !*ctx->params) return nullptr;
    try {
        return (*ctx->params)(name);
    } catch (...) {
        record_host_failure(ctx);
        return nullptr;
    }
}

static void host_report(const casedoc_check_context* ctx, const char* rule_id, const casedoc_node* node,
                        const char* message) {
    if (!ctx) return;
    try {
        const std::string rule = rule_id ? rule_id : "";
        if (!ctx->findings) {
            record_violation(ctx, "reported a finding of rule '" + rule + "' outside a check");
            return;
        }
        const auto& checks = ctx->plugin->checks;
        const auto check = std::find_if(checks.begin(), checks.end(), [&](const auto& c) { return c.rule_id == rule; });
        if (check == checks.end()) {
            record_violation(ctx, "reported a finding of rule '" + rule + "', which the plugin does not declare");
            return;
        }
        const pugi::xml_node at = node ? to_node(node) : ctx->doc->root();
        casedoc::finding f;
        f.rule_id = check->rule_id;
        f.level = check->level;
        f.message = message ? message : "";
        f.citation = check->citation;
        f.where = ctx->doc->locate(pugi::xpath_node(at));
        f.pattern = "native:" + ctx->plugin->id;
        f.record_id = ctx->record_id;
        ctx->findings->push_back(std::move(f));
    } catch (...) {
        record_host_failure(ctx);
    }
}

static void host_not_applicable(const casedoc_check_context* ctx, const char* rule_id) {
    if (!ctx) return;
    try {
        const std::string rule = rule_id ? rule_id : "";
        if (!ctx->findings || rule != ctx->running_rule) {
            record_violation(ctx, "said rule '" + rule + "' does not apply outside that rule's check");
            return;
        }
        const_cast<casedoc_check_context*>(ctx)->not_applicable = true;
    } catch (...) {
        record_host_failure(ctx);
    }
}

static void host_due(const casedoc_check_context* ctx, const char* rule_id, const char* due, const char* anchor,
                     const casedoc_node* node) {
    if (!ctx) return;
    try {
        const std::string rule = rule_id ? rule_id : "";
        if (!ctx->findings || rule != ctx->running_rule) {
            record_violation(ctx, "said when rule '" + rule + "' is due outside that rule's check");
            return;
        }
        const std::string when = due ? due : "";
        if (!casedoc::parse_timestamp(when)) {
            record_violation(ctx, "said rule '" + rule + "' is due on '" + when +
                                      "', which is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDThh:mm)");
            return;
        }
        if (!ctx->due) return; // no worklist asked for
        const pugi::xml_node at = node ? to_node(node) : ctx->doc->root();
        casedoc::native_due d;
        d.rule_id = rule;
        d.due = when;
        d.anchor = anchor ? anchor : "";
        d.line = ctx->doc->locate(pugi::xpath_node(at)).line;
        ctx->due->push_back(std::move(d));
    } catch (...) {
        record_host_failure(ctx);
    }
}

static void host_set_fact(const casedoc_check_context* ctx, const char* name, const char* value) {
    if (!ctx) return;
    try {
        const std::string fact = name ? name : "";
        if (!ctx->facts) {
            record_violation(ctx, "set fact '" + fact + "' outside derive_facts");
            return;
        }
        const auto& declared = ctx->plugin->fact_names;
        if (std::find(declared.begin(), declared.end(), fact) == declared.end()) {
            record_violation(ctx, "set fact '" + fact + "', which the plugin does not declare");
            return;
        }
        (*ctx->facts)[fact] = value ? value : "";
    } catch (...) {
        record_host_failure(ctx);
    }
}

static void host_write_row(const casedoc_check_context* ctx, const char* const* values, uint32_t count) {
    if (!ctx) return;
    try {
        if (!ctx->rows) {
            record_violation(ctx, "wrote an export row outside an export");
            return;
        }
        const size_t width = ctx->export_def->columns.size();
        if (count != width || (count > 0 && !values)) {
            record_violation(ctx, "wrote a row of " + std::to_string(count) + " values to export " +
                                      ctx->export_def->name + ", which has " + std::to_string(width) + " columns");
            return;
        }
        std::vector<std::string> row;
        row.reserve(count);
        for (uint32_t i = 0; i < count; ++i) row.emplace_back(values[i] ? values[i] : "");
        ctx->rows->push_back(std::move(row));
    } catch (...) {
        record_host_failure(ctx);
    }
}

} // extern "C"

namespace casedoc {

namespace {

const casedoc_host_api host_api = {
    .struct_size = sizeof(casedoc_host_api),
    .log = host_log,
    .root = host_root,
    .first_child = host_first_child,
    .next_sibling = host_next_sibling,
    .name = host_name,
    .attribute = host_attribute,
    .text = host_text,
    .param = host_param,
    .report = host_report,
    .set_fact = host_set_fact,
    .write_row = host_write_row,
    .not_applicable = host_not_applicable,
    .due = host_due,
};

casedoc_check_context make_context(const plugin& p, const xml_document& doc, const param_lookup& params) {
    casedoc_check_context ctx;
    ctx.plugin = &p;
    ctx.doc = &doc;
    ctx.params = &params;
    const char* id = attribute_value(doc.root(), "id");
    ctx.record_id = id ? id : "";
    return ctx;
}

// Calls one plugin function; `what` names it in errors ("native check CW-W9").
void call(casedoc_plugin_fn fn, casedoc_check_context& ctx, const std::string& what) {
    ctx.last_error.clear();
    ctx.violation.clear();
    int status = 0;
    std::string failure;
    try {
        const plugin_call_scope running(ctx.plugin->id.c_str(), what.c_str(), ctx.doc->name().c_str());
        status = fn(&host_api, &ctx);
    } catch (const std::exception& e) {
        failure = std::string("exception escaped the plugin: ") + e.what();
    } catch (...) {
        failure = "exception escaped the plugin";
    }
    if (ctx.host_failure) std::rethrow_exception(ctx.host_failure);
    if (failure.empty() && status != 0)
        failure = ctx.last_error.empty() ? "returned " + std::to_string(status) + " and logged no error"
                                         : ctx.last_error;
    if (failure.empty() && !ctx.violation.empty()) failure = "plugin bug: " + ctx.violation;
    if (!failure.empty()) {
        const std::string record = ctx.record_id.empty() ? ctx.doc->name() : ctx.record_id;
        throw error(ctx.plugin->file.string(), what + " failed on record " + record + ": " + failure);
    }
}

} // namespace

fact_map derive_facts(const plugin& p, const xml_document& doc, const param_lookup& params) {
    fact_map facts;
    for (const std::string& name : p.fact_names) facts.emplace(name, std::string());
    if (!p.descriptor->derive_facts) return facts;
    casedoc_check_context ctx = make_context(p, doc, params);
    ctx.facts = &facts;
    call(p.descriptor->derive_facts, ctx, "native derive_facts");
    return facts;
}

void run_checks(const plugin& p, const xml_document& doc, std::string_view document_type,
                const param_lookup& params, std::vector<finding>& out, std::vector<rule_tally>* tally,
                std::vector<native_due>* due) {
    std::vector<finding> found;
    std::vector<native_due> said;
    casedoc_check_context ctx = make_context(p, doc, params);
    ctx.findings = &found;
    if (due) ctx.due = &said;
    if (tally) tally->assign(p.checks.size(), rule_tally{});
    for (size_t i = 0; i < p.checks.size(); ++i) {
        if (!p.checks[i].applies_to(document_type)) continue;
        ctx.running_rule = p.checks[i].rule_id;
        ctx.not_applicable = false;
        const size_t before = found.size(), said_before = said.size();
        call(p.descriptor->checks[i].run, ctx, "native check " + p.checks[i].rule_id);
        for (size_t k = said_before; k < said.size(); ++k) { // overdue: the check reported its rule there too
            said[k].citation = p.checks[i].citation;
            said[k].title = p.checks[i].title;
            said[k].failed = std::any_of(found.begin() + static_cast<std::ptrdiff_t>(before), found.end(),
                                         [&](const finding& f) { return f.where.line == said[k].line; });
        }
        if (ctx.not_applicable && found.size() > before)
            throw error(p.file.string(), "native check " + p.checks[i].rule_id + " failed on record " + ctx.record_id +
                                             ": plugin bug: it reported a finding and said its rule does not apply");
        if (tally && !ctx.not_applicable) (*tally)[i] = {1, found.size() > before ? 1u : 0u};
    }
    out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    if (due) due->insert(due->end(), std::make_move_iterator(said.begin()), std::make_move_iterator(said.end()));
}

std::vector<std::vector<std::string>> run_export(const plugin& p, size_t index, const xml_document& doc,
                                                 const param_lookup& params) {
    std::vector<std::vector<std::string>> rows;
    casedoc_check_context ctx = make_context(p, doc, params);
    ctx.export_def = &p.exports.at(index);
    ctx.rows = &rows;
    call(p.descriptor->exports[index].run, ctx, "export " + p.exports[index].name);
    return rows;
}

} // namespace casedoc
