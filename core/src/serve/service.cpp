#include "metrics.hpp"
#include "request_log.hpp"

#include <casedoc/base/error.hpp>
#include <casedoc/check/report.hpp>
#include <casedoc/check/validator.hpp>
#include <casedoc/plugin/plugin_description.hpp>
#include <casedoc/render/render.hpp>
#include <casedoc/schematron/schema.hpp>
#include <casedoc/schematron/svrl.hpp>
#include <casedoc/serve/service.hpp>
#include <casedoc/xml/record.hpp>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
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
    res.set_content(body.dump() + "\n", "application/json");
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

// The text of every schema file (and include) of a set, read once when the set is loaded.
using schema_files = std::map<std::string, std::string>;

// Compiles every schema of every loaded plugin (with the plugin's facts and the service's policy values), so
// that a set with a bad schema is refused when it is loaded, not at a record, and returns the files read.
// Throws casedoc::error.
std::shared_ptr<const schema_files> compile_every_schema(const service_set& set,
                                                         const std::map<std::string, std::string>& params) {
    auto files = std::make_shared<schema_files>();
    const resource_loader recording = [&files](const std::string& uri) {
        auto text = read_file_resource(uri);
        if (text) files->emplace(uri, *text);
        return text;
    };
    schema_options o;
    o.params = params;
    o.loader = recording;
    o.search_path = set.schemas.directories();
    for (const plugin* p : set.plugins.plugins())
        for (const auto& m : set.schemas.schemas_for(p->id)) {
            o.fact_names = p->fact_names;
            schema::load(m.file, o);
        }
    return files;
}

// A service set in use: its schema files as loaded, its renderers, and its generation (1 for the first, +1
// at each reload).
struct loaded_set {
    std::unique_ptr<const service_set> set;
    std::shared_ptr<const schema_files> files;
    uint64_t generation;
    const renderer final_renderer, draft_renderer;

    loaded_set(std::unique_ptr<const service_set> s, std::shared_ptr<const schema_files> f, uint64_t g,
               const std::map<std::string, std::string>& variables)
        : set(std::move(s)), files(std::move(f)), generation(g), final_renderer(set->templates, options(false, variables)),
          draft_renderer(set->templates, options(true, variables)) {}

    static render_options options(bool draft, const std::map<std::string, std::string>& variables) {
        render_options o;
        o.draft = draft;
        o.variables = variables;
        return o;
    }

    // A validator reading this set's schemas as they were loaded.
    std::unique_ptr<validator> make_validator(std::map<std::string, std::string> params, bool svrl) const {
        validator_options o;
        o.params = std::move(params);
        o.svrl = svrl;
        o.loader = [files = files](const std::string& uri) -> std::optional<std::string> {
            const auto it = files->find(uri);
            if (it == files->end()) return std::nullopt;
            return it->second;
        };
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
    std::unique_ptr<httplib::Server> server_ptr; // an SSLServer with TLS
    httplib::Server& server;
    std::atomic<unsigned> in_flight{0};

    impl(service_loader l, service_options o, std::ostream& log_out)
        : load(std::move(l)), options(std::move(o)), log(log_out), current(load_set(1)),
          server_ptr(make_server(options)), server(*server_ptr) {}

    std::shared_ptr<const loaded_set> load_set(uint64_t generation) const {
        std::unique_ptr<const service_set> set = load();
        auto files = compile_every_schema(*set, options.params);
        return std::make_shared<const loaded_set>(std::move(set), std::move(files), generation, options.template_variables);
    }

    std::shared_ptr<const loaded_set> snapshot() {
        std::lock_guard lock(current_mutex);
        return current;
    }

    static std::unique_ptr<httplib::Server> make_server(const service_options& o) {
        if (o.tls_cert.empty() && o.tls_key.empty()) return std::make_unique<httplib::Server>();
        if (o.tls_cert.empty() || o.tls_key.empty()) throw error("", "TLS needs both --tls-cert and --tls-key");
        auto s = std::make_unique<httplib::SSLServer>(o.tls_cert.c_str(), o.tls_key.c_str());
        if (!s->is_valid())
            throw error(o.tls_cert, "cannot start TLS with this certificate and the key " + o.tls_key +
                                        " (unreadable, not PEM, or the key is not the certificate's)");
        return s;
    }

    // The validator for a request: this thread's for the set and the service's policy values, or a new one
    // (in `own`) for SVRL or a request's own ?param=NAME=VALUE values, which compiles its schemas again.
    // Throws casedoc::error for a malformed parameter.
    validator& pick_validator(const std::shared_ptr<const loaded_set>& l, const http_request& req, bool svrl,
                              std::unique_ptr<validator>& own) {
        const auto params = request_params(req);
        if (params || svrl) {
            own = l->make_validator(params ? *params : options.params, svrl);
            return *own;
        }
        // The thread keeps its validator's set alive (its validator refers to it) until it answers with a newer set.
        struct thread_state {
            const impl* owner = nullptr;
            std::shared_ptr<const loaded_set> set;
            std::unique_ptr<validator> v;
        };
        thread_local thread_state mine;
        if (mine.owner != this || mine.set != l) {
            mine.v.reset();
            mine.owner = this;
            mine.set = l;
            mine.v = l->make_validator(options.params, false);
        }
        return *mine.v;
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
        std::unique_ptr<validator> own;
        validator* v = nullptr;
        try {
            v = &pick_validator(l, req, format == "svrl", own);
        } catch (const error& e) {
            return send_error(res, 400, e.what());
        }

        batch_summary summary;
        std::ostringstream body;
        std::unique_ptr<json_report_writer> json;
        if (format == "json") json = std::make_unique<json_report_writer>(body);
        for (auto& u : records) {
            record_result r = v->check_text(std::move(u.text), u.name);
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
        std::unique_ptr<validator> own;
        validator* v = nullptr;
        try {
            v = &pick_validator(l, req, false, own);
        } catch (const error& e) {
            return send_error(res, 400, e.what());
        }
        const renderer& r = draft_value == "true" ? l->draft_renderer : l->final_renderer;
        const upload& u = records.front();
        render_result out = r.render_text(*v, u.text, u.name);
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
            if (out.status == render_status::error && out.validation.status != record_status::error)
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

    static bool is_route(const std::string& path) {
        for (const char* r : {"/healthz", "/readyz", "/metrics", "/v1/plugins", "/v1/schemas", "/v1/validate", "/v1/render"})
            if (path == r) return true;
        return false;
    }

    // A /v1/ handler, refused with 503 beyond max_in_flight requests at once.
    httplib::Server::Handler limited(void (impl::*handler)(const http_request&, http_response&)) {
        return [this, handler](const http_request& req, http_response& res) {
            struct counted {
                std::atomic<unsigned>& n;
                ~counted() { --n; }
            } guard{in_flight};
            if (++in_flight > options.max_in_flight) {
                res.set_header("Retry-After", "1");
                return send_error(res, 503, "busy: try again shortly");
            }
            (this->*handler)(req, res);
        };
    }

    void routes() {
        server.Get("/healthz", [](const http_request&, http_response& res) { send_json(res, 200, {{"status", "ok"}}); });
        server.Get("/readyz", [this](const http_request&, http_response& res) {
            const auto l = snapshot();
            const size_t n = l->set->plugins.plugins().size(); // no plugin: nothing could be checked
            send_json(res, n ? 200 : 503,
                      {{"status", n ? "ready" : "no plugins loaded"}, {"plugins", n}, {"generation", l->generation}});
        });
        server.Get("/metrics", [this](const http_request&, http_response& res) {
            res.set_content(counters.text(in_flight), "text/plain; version=0.0.4");
        });
        server.Get("/v1/plugins", limited(&impl::list_plugins));
        server.Get("/v1/schemas", limited(&impl::list_schemas));
        server.Post("/v1/validate", limited(&impl::validate));
        server.Post("/v1/render", limited(&impl::render));
        server.set_pre_routing_handler([](const http_request&, http_response&) {
            request_log::begin();
            return httplib::Server::HandlerResponse::Unhandled;
        });
        // Statuses the library answers itself (404, 413, 400...) get a JSON body too.
        server.set_error_handler([](const http_request&, http_response& res) {
            if (!res.body.empty()) return;
            const char* what = res.status == 404   ? "no such route"
                               : res.status == 405 ? "method not allowed"
                               : res.status == 413 ? "the request body is too large"
                               : res.status == 400 ? "malformed request"
                                                   : "request not answered";
            send_error(res, res.status, what);
        });
        server.set_exception_handler([](const http_request&, http_response& res, std::exception_ptr) {
            send_error(res, 500, "internal error");
        });
        // Counted before the answer is sent (a client that reads /metrics next sees its request counted);
        // logged once it is sent.
        server.set_post_routing_handler([this](const http_request& req, http_response& res) {
            counters.request(is_route(req.path) ? req.path : "other", res.status, request_log::current().seconds());
        });
        server.set_logger([this](const http_request& req, const http_response& res) {
            // An unknown route is not logged as sent: a client may put anything in a URL.
            log.write(req.method, res.status == 404 ? "(no such route)" : req.path, res.status);
        });
    }
};

service::service(service_loader load, service_options options, std::ostream& request_log)
    : p_(std::make_unique<impl>(std::move(load), std::move(options), request_log)) {
    auto& s = p_->server;
    const service_options& o = p_->options;
    s.set_payload_max_length(o.max_body_bytes);
    s.set_tcp_nodelay(true); // an answer goes out whole at once, not after a delayed ACK
    s.set_read_timeout(time_t(o.read_timeout_seconds), 0);
    s.set_write_timeout(time_t(o.write_timeout_seconds), 0);
    s.set_keep_alive_timeout(time_t(o.keep_alive_seconds));
    // cpp-httplib gives a connection a thread while it is kept alive: the threads are the connections
    // answered at once, so the default is well above the cores.
    const unsigned threads = o.threads ? o.threads : std::max(16u, 4 * std::thread::hardware_concurrency());
    s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    s.set_default_headers({{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "no-store"}});
    p_->routes();
}

service::~service() = default;

int service::bind() {
    auto& o = p_->options;
    const int port = o.port == 0 ? p_->server.bind_to_any_port(o.host) : (p_->server.bind_to_port(o.host, o.port) ? o.port : -1);
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

void service::run() { p_->server.listen_after_bind(); }

void service::stop() { p_->server.stop(); }

} // namespace casedoc
