#include "audit_jobs.hpp"
#include "checker_pool.hpp"
#include "due_route.hpp"
#include "http_transport.hpp"
#include "metrics.hpp"
#include "request_log.hpp"
#include "rules_in_force.hpp"
#include "serve_documents.hpp"
#include "web_page.hpp"

#include <casedoc/audit/audit.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/check/report.hpp>
#include <casedoc/check/validator.hpp>
#include <casedoc/plugin/export.hpp>
#include <casedoc/plugin/plugin_description.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/render/render.hpp>
#include <casedoc/schematron/schema.hpp>
#include <casedoc/schematron/svrl.hpp>
#include <casedoc/serve/plugin_guard.hpp>
#include <casedoc/serve/service.hpp>
#include <casedoc/xml/record.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <atomic>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

namespace casedoc {

namespace {

using http_request = httplib::Request;
using http_response = httplib::Response;

void send_json(http_response& res, int status, const nlohmann::ordered_json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", "application/json");
}

void send_error(http_response& res, int status, const std::string& message) {
    send_json(res, status, {{"error", {{"status", status}, {"message", message}}}});
}

// One record of a request: its name (the uploaded file's, or ?name=) and its text.
struct upload {
    std::string name, text;
};

bool is_xml(const std::string& content_type) {
    const std::string type = content_type.substr(0, content_type.find(';'));
    return type == "application/xml" || type == "text/xml" ||
           (type.size() > 4 && type.compare(type.size() - 4, 4, "+xml") == 0);
}

std::string file_stem(const std::string& name) {
    const size_t slash = name.find_last_of('/');
    std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
    if (const size_t dot = base.rfind('.'); dot != std::string::npos && dot > 0) base.resize(dot);
    return base.empty() ? "record" : base;
}

} // namespace

// The text of every schema file (and include) of a set, read once while the set is loaded; sealed once it is
// loaded, after which it is only read (by the loaders of every validator of the set, on any thread).
struct schema_files {
    std::map<std::string, std::string> text;
    bool sealed = false;

    static resource_loader loader(std::shared_ptr<schema_files> files) {
        return [files = std::move(files)](const std::string& uri) -> std::optional<std::string> {
            if (!files->sealed) {
                auto text = read_file_resource(uri);
                if (text) files->text.emplace(uri, *text);
                return text;
            }
            const auto it = files->text.find(uri);
            if (it == files->text.end()) return std::nullopt;
            return it->second;
        };
    }
};

// A service set in use: its schema files as loaded, its renderers, and its generation (1 for the first, +1
// at each reload).
struct loaded_set {
    std::unique_ptr<const service_set> set;
    std::shared_ptr<schema_files> files;
    uint64_t generation;
    const record_limits limits;
    const renderer final_renderer, draft_renderer;
    // The set's schemas compiled with the service's policy values, once, for every validator of the set.
    const std::shared_ptr<schema_cache> compiled;

    // Validators with the service's policy values, kept for reuse.
    mutable validator_pool validators;

    loaded_set(std::unique_ptr<const service_set> s, std::shared_ptr<schema_files> f, uint64_t g,
               const std::map<std::string, std::string>& params, const std::map<std::string, std::string>& variables,
               const record_limits& lim, std::shared_ptr<schema_cache> c)
        : set(std::move(s)), files(std::move(f)), generation(g), limits(lim), final_renderer(set->templates, options(false, variables)),
          draft_renderer(set->templates, options(true, variables)), compiled(std::move(c)),
          validators([this, params] { return make_validator(params, false, true); }) {}

    static render_options options(bool draft, const std::map<std::string, std::string>& variables) {
        render_options o;
        o.draft = draft;
        o.variables = variables;
        return o;
    }

    // A validator reading this set's schemas as they were loaded; with the service's policy values (`shared`),
    // using the set's compiled schemas, else compiling its own (a request's values are not kept).
    std::unique_ptr<validator> make_validator(std::map<std::string, std::string> params, bool svrl,
                                              bool shared) const {
        validator_options o;
        o.params = std::move(params);
        o.svrl = svrl;
        o.loader = schema_files::loader(files);
        o.limits = limits;
        if (shared) o.compiled_schemas = compiled;
        return std::make_unique<validator>(set->plugins, set->schemas, std::move(o));
    }
};

struct service::impl {
    const service_loader load;
    const service_options options;
    request_log log;
    metrics counters;
    std::mutex current_mutex;
    std::shared_ptr<const loaded_set> current; // a request answers with the set current when it began
    httplib::Server server; // answers in memory what the transport cannot give answer_parsed (see routes())
    std::atomic<unsigned> in_flight{0};
    check_gate checkers;
    // The jobs' directory when the service made its own (no --jobs-dir): removed when it stops.
    struct own_directory {
        std::filesystem::path path;
        ~own_directory() {
            std::error_code ec;
            if (!path.empty()) std::filesystem::remove_all(path, ec);
        }
    } own_jobs_dir;
    audit_jobs jobs;
    std::unique_ptr<plugin_guard> guard; // --isolate-plugins
    std::unique_ptr<http_transport> transport; // the connections, plain or TLS

    impl(service_loader l, service_options o, std::ostream& log_out)
        : load(std::move(l)), options(std::move(o)), log(log_out), current(load_set(1)),
          checkers(check_slots(options)),
          own_jobs_dir{options.jobs_dir.empty() ? std::filesystem::temp_directory_path() /
                                                      ("casedoc-serve-jobs-" + std::to_string(::getpid()))
                                                : std::filesystem::path()},
          jobs(options.jobs_dir.empty() ? own_jobs_dir.path : std::filesystem::path(options.jobs_dir),
               std::chrono::seconds(options.job_ttl_seconds)) {
        if (options.isolate_plugins) guard = std::make_unique<plugin_guard>(options.plugin_worker_command, check_slots(options));
    }

    // With --isolate-plugins: whether a worker process survived checking the record; when it did not (a plugin
    // crashed on it), answers 500 naming the record and its plugin, and the service goes on.
    bool survived(const loaded_set& l, const upload& u, http_response& res) {
        if (!guard) return true;
        std::optional<std::string> died;
        {
            check_gate::slot slot(checkers);
            died = guard->try_record(u.name, u.text, l.generation);
        }
        if (!died) return true;
        std::string setting = "?";
        try {
            setting = read_record_root(std::string_view(u.text).substr(0, 64 * 1024), u.name).setting;
        } catch (const error&) {
        }
        spdlog::error("plugin '{}' {} while checking record {}: not checked; the worker process was replaced", setting,
                      *died, u.name);
        send_error(res, 500, "plugin '" + setting + "' " + *died + " while checking record " + u.name +
                                 ": the record was not checked (the service goes on; see its log)");
        return false;
    }

    static unsigned check_slots(const service_options& o) {
        return o.check_slots ? o.check_slots : std::max(1u, std::thread::hardware_concurrency());
    }

    // Every template of the set's settings that exists, read and parsed now: a broken one refuses the set, as a bad
    // schema does, and a reload takes the templates as they are at that moment, not at each one's first render.
    static void read_templates(const service_set& set) {
        set.templates.common();
        for (const plugin* p : set.plugins.plugins()) {
            set.templates.setting_common(p->id);
            for (const std::string& type : p->document_types) {
                std::error_code ec;
                const bool exists = std::any_of(set.templates.directories().begin(), set.templates.directories().end(),
                                                [&](const std::filesystem::path& dir) {
                                                    return std::filesystem::is_regular_file(dir / p->id / (type + ".xml"), ec);
                                                });
                if (exists) set.templates.find(p->id, type);
            }
        }
    }

    // Loads a set, compiles every schema of every plugin in it (with the service's policy values) and reads its
    // templates, so that a set with a bad schema or template is refused when it is loaded, not at a record.
    // Throws casedoc::error.
    std::shared_ptr<const loaded_set> load_set(uint64_t generation) const {
        std::unique_ptr<const service_set> set = load();
        auto files = std::make_shared<schema_files>();
        validator_options o;
        o.params = options.params;
        o.loader = schema_files::loader(files);
        o.limits = options.limits;
        o.compiled_schemas = std::make_shared<schema_cache>();
        auto compiled = o.compiled_schemas;
        auto first = std::make_unique<validator>(set->plugins, set->schemas, std::move(o));
        first->compile_all();
        files->sealed = true;
        read_templates(*set);
        auto l = std::make_shared<loaded_set>(std::move(set), std::move(files), generation, options.params,
                                              options.template_variables, options.limits, std::move(compiled));
        l->validators.give_back(std::move(first)); // the set and its schemas stay where they are: it still refers to them
        return l;
    }

    std::shared_ptr<const loaded_set> snapshot() {
        std::lock_guard lock(current_mutex);
        return current;
    }

    // The validators of a request: the set's pooled ones with the service's policy values, or one of its own
    // (compiling its schemas again) for SVRL or a request's own ?param=NAME=VALUE values. Throws casedoc::error
    // for a malformed parameter.
    struct request_validators {
        const loaded_set& set;
        std::unique_ptr<validator> own;
        // Checks one record, waiting for a free slot first.
        template <class F> auto with(check_gate& gate, F&& f) {
            check_gate::slot slot(gate);
            if (own) return f(*own);
            const auto v = set.validators.take();
            return f(*v);
        }
    };
    request_validators validators_for(const loaded_set& l, const http_request& req, bool svrl) const {
        request_validators out{l, nullptr};
        const auto params = request_params(req);
        if (params || svrl) out.own = l.make_validator(params ? *params : options.params, svrl, !params);
        return out;
    }

    // The request's ?param=NAME=VALUE values over the service's; nullopt when it gives none. Throws
    // casedoc::error for a malformed one.
    std::optional<std::map<std::string, std::string>> request_params(const http_request& req) const {
        const size_t n = req.get_param_value_count("param");
        if (n == 0) return std::nullopt;
        std::map<std::string, std::string> params = options.params;
        for (size_t i = 0; i < n; ++i) {
            const std::string p = req.get_param_value("param", i);
            const size_t eq = p.find('=');
            if (eq == std::string::npos || eq == 0) throw error("", "param '" + p + "' is not NAME=VALUE");
            params[p.substr(0, eq)] = p.substr(eq + 1);
        }
        return params;
    }

    // The token's grant when it may use `scope`; otherwise answers 401 or 403 and returns null.
    const token_grant* authorize(const loaded_set& l, const http_request& req, http_response& res, const char* scope) {
        const std::string header = req.get_header_value("Authorization");
        constexpr std::string_view bearer = "Bearer ";
        const token_grant* grant = header.compare(0, bearer.size(), bearer) == 0
                                       ? l.set->tokens.verify(std::string_view(header).substr(bearer.size()))
                                       : nullptr;
        if (!grant) {
            res.set_header("WWW-Authenticate", "Bearer realm=\"casedoc\"");
            send_error(res, 401, "a valid token is needed: Authorization: Bearer <token>");
            return nullptr;
        }
        request_log::current().token = grant->name;
        if (scope && !grant->allows_scope(scope)) {
            send_error(res, 403, "token '" + grant->name + "' may not " + scope);
            return nullptr;
        }
        return grant;
    }

    // The records of a request: an XML body, or the files of a multipart/form-data body. Answers 4xx and
    // returns false when there are none, too many, or the content type is neither.
    bool uploads(const http_request& req, http_response& res, std::vector<upload>& out) const {
        if (req.is_multipart_form_data()) {
            for (const auto& [field, file] : req.files)
                out.push_back({file.filename.empty() ? field : file.filename, file.content});
        } else if (is_xml(req.get_header_value("Content-Type"))) {
            if (!req.body.empty())
                out.push_back({req.has_param("name") ? req.get_param_value("name") : "record.xml", req.body});
        } else {
            send_error(res, 415, "send one record as application/xml, or several as multipart/form-data");
            return false;
        }
        if (out.empty()) {
            send_error(res, 400, "the request has no record");
            return false;
        }
        if (out.size() > options.max_records) {
            send_error(res, 413, "the request has " + std::to_string(out.size()) + " records; at most " +
                                     std::to_string(options.max_records) + " are checked in one request");
            return false;
        }
        return true;
    }

    // Answers 403 and returns false when a record's setting is not one the token may use. A record whose
    // root cannot be read is left to the validator, which reports it.
    bool settings_allowed(const token_grant& grant, const std::vector<upload>& records, http_response& res) const {
        for (const auto& u : records) {
            std::string setting;
            try {
                setting = read_record_root(std::string_view(u.text).substr(0, 64 * 1024), u.name).setting;
            } catch (const error&) {
                continue;
            }
            if (!grant.allows_setting(setting)) {
                send_error(res, 403, "token '" + grant.name + "' may not use setting '" + setting + "'");
                return false;
            }
        }
        return true;
    }

    void note_result(const record_result& r) {
        counters.record(r);
        auto& entry = request_log::current();
        if (!r.record_id.empty()) entry.records.push_back(r.record_id);
        for (const finding& f : r.findings) entry.rules.push_back(f.rule_id);
    }

    void validate(const http_request& req, http_response& res) {
        const auto l = snapshot();
        const token_grant* grant = authorize(*l, req, res, "validate");
        if (!grant) return;
        const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
        if (format != "json" && format != "text" && format != "svrl")
            return send_error(res, 400, "format '" + format + "': json, text or svrl");
        std::vector<upload> records;
        if (!uploads(req, res, records) || !settings_allowed(*grant, records, res)) return;
        if (format == "svrl" && records.size() != 1) return send_error(res, 400, "format svrl answers for one record");
        std::optional<request_validators> v;
        try {
            v.emplace(validators_for(*l, req, format == "svrl"));
        } catch (const error& e) {
            return send_error(res, 400, e.what());
        }

        for (const auto& u : records)
            if (!survived(*l, u, res)) return;
        batch_summary summary;
        std::ostringstream body;
        std::unique_ptr<json_report_writer> json;
        if (format == "json") json = std::make_unique<json_report_writer>(body);
        for (auto& u : records) {
            record_result r = v->with(checkers, [&u](validator& c) { return c.check_text(std::move(u.text), u.name); });
            note_result(r);
            summary.add(r);
            if (json) json->add(r);
            else if (format == "svrl" && r.status != record_status::error) write_svrl(r.svrl, body);
            else write_text(r, body);
        }
        if (json) json->finish(summary);
        else if (format == "text") write_text_summary(summary, body);
        res.status = summary.errors ? 422 : 200;
        const char* type = format == "json" ? "application/json" : format == "svrl" ? "application/svrl+xml"
                                                                                     : "text/plain; charset=utf-8";
        res.set_content(body.str(), summary.errors && format == "svrl" ? "text/plain; charset=utf-8" : type);
    }

    // POST /v1/due: what the records have due on a date (due_route.cpp reads the query and writes the answer).
    void due(const http_request& req, http_response& res) {
        const auto l = snapshot();
        const token_grant* grant = authorize(*l, req, res, "due");
        if (!grant) return;
        std::optional<detail::due_query> query;
        std::optional<request_validators> v;
        try {
            query.emplace(detail::read_due_query(req));
            v.emplace(validators_for(*l, req, false));
        } catch (const error& e) {
            return send_error(res, 400, e.what());
        }
        std::vector<upload> records;
        if (!uploads(req, res, records) || !settings_allowed(*grant, records, res)) return;
        due_list list;
        list.options = query->options;
        const std::string as_of = format_date(query->options.as_of);
        for (auto& u : records) {
            const record_result r =
                v->with(checkers, [&](validator& c) { return c.check_due(std::move(u.text), u.name, as_of); });
            note_result(r);
            list.add(r);
        }
        list.finish();
        detail::answer_due(list, *query, l->set->templates, res);
    }

    void render(const http_request& req, http_response& res) {
        const auto l = snapshot();
        const token_grant* grant = authorize(*l, req, res, "render");
        if (!grant) return;
        std::vector<upload> records;
        if (!uploads(req, res, records) || !settings_allowed(*grant, records, res)) return;
        if (records.size() != 1) return send_error(res, 400, "render answers for one record");
        const std::string draft_value = req.has_param("draft") ? req.get_param_value("draft") : "false";
        if (draft_value != "true" && draft_value != "false")
            return send_error(res, 400, "draft '" + draft_value + "': true or false");
        std::optional<request_validators> v;
        try {
            v.emplace(validators_for(*l, req, false));
        } catch (const error& e) {
            return send_error(res, 400, e.what());
        }
        const renderer& r = draft_value == "true" ? l->draft_renderer : l->final_renderer;
        const upload& u = records.front();
        if (!survived(*l, u, res)) return;
        render_result out = v->with(checkers, [&](validator& c) { return r.render_text(c, u.text, u.name); });
        note_result(out.validation);
        switch (out.status) {
        case render_status::rendered:
        case render_status::draft:
            res.status = 200;
            res.set_header("Content-Disposition", "attachment; filename=\"" + file_stem(u.name) + ".pdf\"");
            res.set_header("X-Casedoc-Status", out.status == render_status::draft ? "draft" : "rendered");
            res.set_content(std::move(out.pdf), "application/pdf");
            return;
        case render_status::refused:
        case render_status::error: {
            // A template that fails is the service's fault (500), unless the record's own type is one its plugin
            // does not declare, so that no template can be for it (a draft of it asked for): then it is the record's.
            const bool undeclared_type =
                std::any_of(out.validation.findings.begin(), out.validation.findings.end(),
                            [](const finding& f) { return f.rule_id == "CASEDOC-DOCUMENT-TYPE"; });
            if (out.status == render_status::error && out.validation.status != record_status::error && !undeclared_type)
                return send_error(res, 500, out.error); // the template, not the record
            batch_summary summary;
            summary.add(out.validation);
            std::ostringstream body;
            json_report_writer json(body);
            json.add(out.validation);
            json.finish(summary);
            res.status = 422;
            res.set_content(body.str(), "application/json");
            return;
        }
        }
    }

    // POST /v1/export/PLUGIN:EXPORT: the export's CSV of the uploaded records, whole or not at all (422 with the
    // records that could not be exported).
    void export_rows(const http_request& req, http_response& res) {
        const auto l = snapshot();
        const token_grant* grant = authorize(*l, req, res, "export");
        if (!grant) return;
        const std::string plugin_id = req.matches[1], export_name = req.matches[2];
        const plugin* p = l->set->plugins.find(plugin_id);
        if (!p) return send_error(res, 404, "no plugin '" + plugin_id + "' is loaded");
        if (!grant->allows_setting(p->id))
            return send_error(res, 403, "token '" + grant->name + "' may not use setting '" + p->id + "'");
        const auto x = std::find_if(p->exports.begin(), p->exports.end(), [&](const auto& e) { return e.name == export_name; });
        if (x == p->exports.end()) {
            std::string known;
            for (const auto& e : p->exports) known += (known.empty() ? "" : ", ") + p->id + ":" + e.name;
            return send_error(res, 404, "plugin " + p->id + " has no export '" + export_name +
                                            "' (exports: " + (known.empty() ? "none" : known) + ")");
        }
        std::vector<upload> records;
        if (!uploads(req, res, records) || !settings_allowed(*grant, records, res)) return;
        std::map<std::string, std::string> params;
        try {
            params = request_params(req).value_or(options.params);
        } catch (const error& e) {
            return send_error(res, 400, e.what());
        }
        const param_lookup lookup = [&params](std::string_view n) -> const char* {
            const auto it = params.find(std::string(n));
            return it == params.end() ? nullptr : it->second.c_str();
        };
        std::vector<export_input> inputs;
        for (const auto& u : records)
            inputs.push_back({u.name, [&u, &l] { return load_record_text(u.text, u.name, l->limits); }});
        std::ostringstream csv;
        export_summary summary;
        {
            check_gate::slot slot(checkers);
            summary = export_records(*p, *x, inputs, lookup, csv, ',');
        }
        nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
        for (const auto& [file, why] : summary.skipped) skipped.push_back({{"file", file}, {"why", why}});
        if (!summary.failed.empty())
            return send_json(res, 422, {{"error", {{"status", 422},
                                                   {"message", std::to_string(summary.failed.size()) +
                                                                   " of the records could not be exported"}}},
                                        {"failed", summary.failed},
                                        {"skipped", skipped}});
        res.status = 200;
        res.set_header("Content-Disposition", "attachment; filename=\"" + p->id + "-" + x->name + ".csv\"");
        res.set_header("X-Casedoc-Rows", std::to_string(summary.rows));
        res.set_header("X-Casedoc-Skipped", std::to_string(summary.skipped.size()));
        res.set_content(csv.str(), "text/csv; charset=utf-8");
    }

    // POST /v1/audit?period=FROM..TO[&sample=…]: starts an audit job of the uploaded caseload; 202 with its URL.
    void start_audit(const http_request& req, http_response& res) {
        const auto l = snapshot();
        const token_grant* grant = authorize(*l, req, res, "audit");
        if (!grant) return;
        audit_options o;
        try {
            const auto one = [&req](const char* name, const std::string& fallback = "") {
                return req.has_param(name) ? req.get_param_value(name) : fallback;
            };
            const auto number = [&one](const char* name) -> uint64_t {
                const std::string v = one(name, "0");
                char* end = nullptr;
                const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
                if (v.empty() || *end || v[0] == '-') throw error("", std::string(name) + " '" + v + "' is not a number");
                return n;
            };
            if (!req.has_param("period")) throw error("", "give the period under review: ?period=FROM..TO (YYYY-MM-DD..YYYY-MM-DD)");
            std::tie(o.from, o.to) = parse_audit_period(one("period"));
            o.method = one("sample", "all");
            if (o.method != "all" && o.method != "random" && o.method != "stratified")
                throw error("", "sample '" + o.method + "': all, random or stratified");
            o.size = number("size");
            o.seed = number("seed");
            o.stratify_by = one("stratify_by");
            o.reviewer = one("reviewer");
            o.title = one("title");
            for (size_t i = 0; i < req.get_param_value_count("setting"); ++i) {
                o.settings.push_back(req.get_param_value("setting", i));
                if (!grant->allows_setting(o.settings.back()))
                    return send_error(res, 403, "token '" + grant->name + "' may not use setting '" + o.settings.back() + "'");
            }
            o.params = request_params(req).value_or(options.params);
            o.limits = options.limits;
        } catch (const error& e) {
            return send_error(res, 400, e.what());
        }
        std::vector<upload> records;
        if (!uploads(req, res, records) || !settings_allowed(*grant, records, res)) return;
        std::vector<std::pair<std::string, std::string>> named;
        for (auto& u : records) named.emplace_back(std::move(u.name), std::move(u.text));
        std::string id;
        try {
            id = jobs.start(grant->name, std::move(o), named, {&l->set->plugins, &l->set->schemas, l});
        } catch (const error& e) {
            spdlog::error("audit job not started: {}", e.what());
            return send_error(res, 507, "the audit's records cannot be stored now");
        }
        const std::string url = "/v1/audit/" + id;
        res.set_header("Location", url);
        send_json(res, 202, {{"job", id}, {"state", "queued"}, {"records", named.size()}, {"url", url}});
    }

    // GET /v1/audit/ID: the job's state and progress, and its reports' URLs once done.
    void audit_status(const http_request& req, http_response& res) {
        const auto l = snapshot();
        const token_grant* grant = authorize(*l, req, res, "audit");
        if (!grant) return;
        const auto v = jobs.find(req.matches[1], grant->name);
        if (!v) return send_error(res, 404, "no such audit job (it may have expired)");
        nlohmann::ordered_json body = {{"job", v->id}, {"state", v->state}, {"done", v->done}, {"total", v->total}};
        if (v->state == "failed") body["error"] = v->error;
        if (v->state == "done") {
            const std::string base = "/v1/audit/" + v->id + "/";
            body["checked"] = v->checked;
            nlohmann::ordered_json problems = nlohmann::ordered_json::array();
            for (const audit_note& n : v->problems)
                problems.push_back({{"file", n.file}, {"line", n.line}, {"reason", n.reason}});
            body["not_checked"] = problems;
            body["reports"] = {{"pdf", base + "audit.pdf"}, {"json", base + "audit.json"}, {"csv", base + "audit.csv"}};
        }
        if (v->state == "done" || v->state == "failed") body["expires_in_seconds"] = std::lround(v->expires_in);
        send_json(res, 200, body);
    }

    // GET /v1/audit/ID/audit.(pdf|json|csv): a report of a done job.
    void audit_report(const http_request& req, http_response& res) {
        const auto l = snapshot();
        const token_grant* grant = authorize(*l, req, res, "audit");
        if (!grant) return;
        const std::string id = req.matches[1], name = req.matches[2];
        const auto v = jobs.find(id, grant->name);
        if (!v) return send_error(res, 404, "no such audit job (it may have expired)");
        if (v->state != "done") return send_error(res, 409, "the audit job is " + v->state + ": no report yet");
        auto text = jobs.report(id, grant->name, name);
        if (!text) return send_error(res, 404, "no such audit job (it may have expired)");
        const char* type = name == "audit.pdf" ? "application/pdf" : name == "audit.json" ? "application/json"
                                                                                          : "text/csv; charset=utf-8";
        res.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        res.set_content(std::move(*text), type);
    }

    // DELETE /v1/audit/ID: the job and every file of it, now.
    void delete_audit(const http_request& req, http_response& res) {
        const auto l = snapshot();
        const token_grant* grant = authorize(*l, req, res, "audit");
        if (!grant) return;
        if (!jobs.remove(req.matches[1], grant->name)) return send_error(res, 404, "no such audit job (it may have expired)");
        res.status = 204;
    }

    void list_plugins(const http_request& req, http_response& res) {
        const auto l = snapshot();
        const token_grant* grant = authorize(*l, req, res, nullptr);
        if (!grant) return;
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const plugin* p : l->set->plugins.plugins())
            if (grant->allows_setting(p->id)) list.push_back(describe_plugin(*p, l->set->schemas));
        send_json(res, 200, list);
    }

    void list_schemas(const http_request& req, http_response& res) {
        const auto l = snapshot();
        const token_grant* grant = authorize(*l, req, res, nullptr);
        if (!grant) return;
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const plugin* p : l->set->plugins.plugins()) {
            if (!grant->allows_setting(p->id)) continue;
            const nlohmann::ordered_json description = describe_plugin(*p, l->set->schemas);
            for (const auto& s : description["schemas"]) {
                nlohmann::ordered_json entry = {{"setting", p->id}};
                entry.update(s);
                list.push_back(std::move(entry));
            }
        }
        send_json(res, 200, list);
    }

    // GET /v1/rules[?setting=ID]: the rules of the token's settings, version by version (rules_in_force.hpp).
    void list_rules(const http_request& req, http_response& res) {
        const auto l = snapshot();
        const token_grant* grant = authorize(*l, req, res, nullptr);
        if (!grant) return;
        const std::string only = req.has_param("setting") ? req.get_param_value("setting") : "";
        if (!only.empty() && !l->set->plugins.find(only)) return send_error(res, 404, "no plugin '" + only + "' is loaded");
        if (!only.empty() && !grant->allows_setting(only))
            return send_error(res, 403, "token '" + grant->name + "' may not use setting '" + only + "'");
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        const auto v = l->validators.take();
        for (const plugin* p : l->set->plugins.plugins())
            if (grant->allows_setting(p->id) && (only.empty() || p->id == only))
                list.push_back(describe_rules(*p, l->set->schemas, *v));
        send_json(res, 200, list);
    }

    // A handler that names its route in /metrics and in the request log (never the path, which a client makes up).
    static httplib::Server::Handler named(const char* route, httplib::Server::Handler handler) {
        return [route, handler = std::move(handler)](const http_request& req, http_response& res) {
            request_log::current().route = route;
            handler(req, res);
        };
    }

    // A /v1/ handler, refused with 503 beyond max_in_flight requests at once.
    httplib::Server::Handler limited(const char* route, void (impl::*handler)(const http_request&, http_response&)) {
        return named(route, [this, handler](const http_request& req, http_response& res) {
            struct counted {
                std::atomic<unsigned>& n;
                ~counted() { --n; }
            } guard{in_flight};
            if (++in_flight > options.max_in_flight) {
                res.set_header("Retry-After", "1");
                return send_error(res, 503, "busy: try again shortly");
            }
            (this->*handler)(req, res);
        });
    }

    // A document compiled into the program (docs/openapi.json, the record XSD): no token, no client data.
    static httplib::Server::Handler document(const char* route, std::string_view text, const char* type) {
        return named(route, [text, type](const http_request&, http_response& res) {
            res.set_content(text.data(), text.size(), type);
        });
    }

    // The service's routes, each registered with cpp-httplib (which answers a request from its bytes: a multipart
    // body, and the fuzzer's requests) and kept here for a request the transport has parsed (answer_parsed).
    struct route_entry {
        std::string method;
        std::string path;                 // a path taken as it is, or
        std::optional<std::regex> pattern; // one with parts (regular expression groups, in req.matches)
        httplib::Server::Handler handler;

        bool takes(httplib::Request& req) const {
            if (method != req.method) return false;
            if (!pattern) return path == req.path;
            return std::regex_match(req.path, req.matches, *pattern);
        }
    };
    std::vector<route_entry> table;

    void route(const std::string& method, const std::string& pattern, httplib::Server::Handler handler) {
        const bool plain = pattern.find_first_of("()[]{}\\.*+?|^$") == std::string::npos;
        table.push_back({method, pattern, plain ? std::nullopt : std::optional<std::regex>(pattern), handler});
        if (method == "GET") server.Get(pattern, std::move(handler));
        else if (method == "POST") server.Post(pattern, std::move(handler));
        else server.Delete(pattern, std::move(handler));
    }

    // A request answered, in /metrics under its route ("other": none took it).
    void count(int status) {
        const request_log::entry& e = request_log::current();
        counters.request(e.route.empty() ? "other" : e.route, status, e.seconds());
    }

    // Headers of every answer.
    static const httplib::Headers& default_headers() {
        static const httplib::Headers headers{{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "no-store"}};
        return headers;
    }

    // Statuses answered without a body (the library's own 404, 413, 400..., a handler's bare status) get one.
    static void fill_error(http_response& res) {
        if (res.body.empty() && res.status >= 400) {
            const char* what = res.status == 404   ? "no such route"
                               : res.status == 405 ? "method not allowed"
                               : res.status == 413 ? "the request body is too large"
                               : res.status == 400 ? "malformed request"
                                                   : "request not answered";
            send_error(res, res.status, what);
        }
    }

    // The longest request target taken (cpp-httplib's own limit): longer is 414, whatever the route.
    static constexpr size_t max_target_bytes = 8192;

    // A request the transport has parsed, answered by its route as cpp-httplib would (the same handler, error
    // body, counters and log line), without parsing it again. None when cpp-httplib must answer its bytes: a
    // multipart or compressed body, a Range, a method other than GET, POST and DELETE, or a path no route here
    // takes (the library's 404 and its web page routes).
    std::optional<plain_answer> answer_parsed(parsed_request& parsed) {
        if (parsed.target.size() > max_target_bytes) { // before any route's regular expression sees it
            http_response res;
            res.headers = default_headers();
            request_log::begin();
            send_error(res, 414, "the request target is longer than " + std::to_string(max_target_bytes) + " bytes");
            return finish(std::string(parsed.method), res);
        }
        if (parsed.method != "GET" && parsed.method != "POST" && parsed.method != "DELETE") return std::nullopt;
        httplib::Request req;
        for (const auto& [name, value] : parsed.headers) req.headers.emplace(name, value);
        // A multipart body (its parts), a compressed body (cpp-httplib inflates it, within --max-body-mb) and a
        // range of an answer are cpp-httplib's.
        if (req.is_multipart_form_data() || req.has_header("Content-Encoding") || req.has_header("Range"))
            return std::nullopt;
        const size_t query = parsed.target.find('?');
        req.method = parsed.method;
        req.target = parsed.target;
        req.path = httplib::detail::decode_url(std::string(parsed.target.substr(0, query)), false);
        if (query != std::string_view::npos)
            httplib::detail::parse_query_text(std::string(parsed.target.substr(query + 1)), req.params);
        const route_entry* found = nullptr;
        for (const route_entry& r : table)
            if (r.takes(req)) {
                found = &r;
                break;
            }
        if (!found) return std::nullopt;
        req.body = std::move(parsed.body);
        http_response res;
        res.headers = default_headers();
        request_log::begin();
        try {
            found->handler(req, res);
        } catch (...) {
            send_error(res, 500, "internal error");
        }
        if (res.status == -1) res.status = 200;
        fill_error(res);
        return finish(req.method, res);
    }

    // An answer of answer_parsed, counted and logged as cpp-httplib's post-routing handler and logger do.
    plain_answer finish(const std::string& method, http_response& res) {
        count(res.status);
        log.write(method, res.status);
        return plain_answer{res.status, {res.headers.begin(), res.headers.end()}, std::move(res.body)};
    }

    void routes() {
        route("GET", "/healthz", named("/healthz", [](const http_request&, http_response& res) {
                  send_json(res, 200, {{"status", "ok"}});
              }));
        route("GET", "/readyz", named("/readyz", [this](const http_request&, http_response& res) {
                  const auto l = snapshot();
                  const size_t n = l->set->plugins.plugins().size(); // no plugin: nothing could be checked
                  send_json(res, n ? 200 : 503,
                            {{"status", n ? "ready" : "no plugins loaded"}, {"plugins", n}, {"generation", l->generation}});
              }));
        route("GET", "/metrics", named("/metrics", [this](const http_request&, http_response& res) {
                  res.set_content(counters.text(in_flight, checkers.waiting()), "text/plain; version=0.0.4");
              }));
        route("GET", "/v1/openapi.json", document("/v1/openapi.json", openapi_json, "application/json"));
        route("GET", "/v1/record.xsd", document("/v1/record.xsd", record_xsd, "application/xml"));
        route("GET", "/v1/plugins", limited("/v1/plugins", &impl::list_plugins));
        route("GET", "/v1/schemas", limited("/v1/schemas", &impl::list_schemas));
        route("GET", "/v1/rules", limited("/v1/rules", &impl::list_rules));
        add_web_page_routes(server);
        route("POST", "/v1/validate", limited("/v1/validate", &impl::validate));
        route("POST", "/v1/render", limited("/v1/render", &impl::render));
        route("POST", "/v1/due", limited("/v1/due", &impl::due));
        route("POST", R"(/v1/export/([^/:]+):([^/:]+))", limited("/v1/export", &impl::export_rows));
        route("POST", "/v1/audit", limited("/v1/audit", &impl::start_audit));
        route("GET", "/v1/audit/([0-9a-f]{32})", limited("/v1/audit/{job}", &impl::audit_status));
        route("GET", R"(/v1/audit/([0-9a-f]{32})/(audit\.(?:pdf|json|csv)))", limited("/v1/audit/{job}/{report}", &impl::audit_report));
        route("DELETE", "/v1/audit/([0-9a-f]{32})", limited("/v1/audit/{job}", &impl::delete_audit));
        server.set_pre_routing_handler([](const http_request&, http_response&) {
            request_log::begin();
            return httplib::Server::HandlerResponse::Unhandled;
        });
        server.set_error_handler([](const http_request&, http_response& res) { fill_error(res); });
        server.set_exception_handler([](const http_request&, http_response& res, std::exception_ptr) {
            send_error(res, 500, "internal error");
        });
        // Counted before the answer is sent (a client that reads /metrics next sees its request counted);
        // logged once it is sent.
        server.set_post_routing_handler([this](const http_request&, http_response& res) { count(res.status); });
        server.set_logger([this](const http_request& req, const http_response& res) { log.write(req.method, res.status); });
    }
};

service::service(service_loader load, service_options options, std::ostream& request_log)
    : p_(std::make_unique<impl>(std::move(load), std::move(options), request_log)) {
    const service_options& o = p_->options;
    auto& s = p_->server;
    s.set_payload_max_length(o.max_body_bytes);
    s.set_default_headers(impl::default_headers());
    s.set_keep_alive_max_count(o.keep_alive_requests); // what its Keep-Alive header says: the transport's limits
    s.set_keep_alive_timeout(time_t(o.keep_alive_seconds));
    p_->routes();
    if (o.tls_cert.empty() != o.tls_key.empty()) throw error("", "TLS needs both --tls-cert and --tls-key");
    std::optional<tls_files> tls;
    if (!o.tls_cert.empty()) tls = tls_files{o.tls_cert, o.tls_key};
    transport_limits limits;
    limits.max_body_bytes = o.max_body_bytes;
    limits.read_timeout = std::chrono::seconds(o.read_timeout_seconds);
    limits.write_timeout = std::chrono::seconds(o.write_timeout_seconds);
    limits.keep_alive = std::chrono::seconds(o.keep_alive_seconds);
    limits.keep_alive_requests = o.keep_alive_requests;
    p_->transport = std::make_unique<http_transport>(
        limits, tls, [this](std::string_view request, bool last, bool& close) { return answer(request, last, close); },
        [this](parsed_request& request) { return p_->answer_parsed(request); },
        [this](int status, const std::string& message) {
            request_log::begin();
            p_->counters.request("other", status, 0);
            p_->log.write("", status);
            http_response res;
            send_error(res, status, message); // the JSON error body of every other answer
            return std::move(res.body);
        });
}

service::~service() = default;

int service::bind() {
    const auto& o = p_->options;
    const int port = p_->transport->bind(o.host, o.port);
    if (port <= 0) throw error("", "cannot listen on " + o.host + ":" + std::to_string(o.port) + " (in use, or not an address of this machine)");
    return port;
}

const service_set& service::current_set() const { return *p_->snapshot()->set; }

bool service::reload() {
    uint64_t generation = 0;
    {
        std::lock_guard lock(p_->current_mutex);
        generation = p_->current->generation + 1;
    }
    try {
        auto next = p_->load_set(generation);
        std::lock_guard lock(p_->current_mutex);
        p_->current = std::move(next);
    } catch (const std::exception& e) {
        spdlog::error("reload refused, the plugins, schemas, templates and tokens in force stay: {}", e.what());
        return false;
    }
    spdlog::warn("reloaded: plugins, schemas, templates and tokens of generation {} in force", generation);
    return true;
}

namespace {

// One connection's two directions in memory: the request's bytes to read, the response's bytes written.
class memory_stream final : public httplib::Stream {
public:
    explicit memory_stream(std::string_view in) : in_(in) {}
    bool is_readable() const override { return true; }
    bool is_writable() const override { return true; }
    ssize_t read(char* ptr, size_t size) override {
        size = std::min(size, in_.size());
        std::memcpy(ptr, in_.data(), size);
        in_.remove_prefix(size);
        return static_cast<ssize_t>(size);
    }
    ssize_t write(const char* ptr, size_t size) override {
        out.append(ptr, size);
        return static_cast<ssize_t>(size);
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        ip = "127.0.0.1";
        port = 0;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        ip = "127.0.0.1";
        port = 0;
    }
    socket_t socket() const override { return INVALID_SOCKET; }
    std::string out;

private:
    std::string_view in_;
};

// Server::process_request (parse, route, answer, log) is protected: reached as a pointer to the member, named
// through a class derived from Server.
struct request_processor : httplib::Server {
    // `last`: the connection closes after this request (the answer says so); `closed` is set when it does.
    static void process(httplib::Server& server, httplib::Stream& stream, bool last, bool& closed) {
        (server.*&request_processor::process_request)(stream, last, closed, [](httplib::Request&) {});
    }
};

} // namespace

std::string service::answer(std::string_view request) { return p_->transport->answer_once(request); }

std::string service::answer(std::string_view request, bool last, bool& close) {
    memory_stream stream(request);
    request_processor::process(p_->server, stream, last, close);
    return std::move(stream.out);
}

void service::run() {
    p_->transport->run(p_->options.threads ? p_->options.threads : std::max(1u, std::thread::hardware_concurrency()));
}

void service::stop() { p_->transport->stop(); }

} // namespace casedoc
