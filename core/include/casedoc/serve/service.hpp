// casedoc serve: the validation engine over HTTP/1.1 and JSON, versioned under /v1 (docs/service.md).
// The routes answer exactly what the commands write for the same input: POST /v1/validate the JSON of
// `casedoc validate --format json`, POST /v1/render the PDF of `casedoc render`. Every /v1/ route needs a
// bearer token of the token store, limited to its settings and scopes. One JSON line per request is logged
// (route, status, time, token name, record ids, rule ids): never a body, a name or note text.
#ifndef CASEDOC_SERVE_SERVICE_HPP
#define CASEDOC_SERVE_SERVICE_HPP

#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>
#include <casedoc/serve/token_store.hpp>
#include <casedoc/xml/record_limits.hpp>
#include <casedoc/template/template_catalog.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc {

struct service_options {
    std::string host = "127.0.0.1";
    int port = 8080; // 0: any free port (run() reports the one bound)
    unsigned threads = 0;     // threads serving connections (each many, as their bytes arrive); 0: one per core
    unsigned check_slots = 0; // records checked or rendered at once (others wait their turn); 0: one per core
    size_t max_body_bytes = 16 * 1024 * 1024; // larger: 413
    size_t max_records = 1000;                // records in one request; more: 413
    unsigned max_in_flight = 64;              // /v1/ requests being answered at once; more: 503 with Retry-After
    unsigned read_timeout_seconds = 30;       // a request must arrive whole within this (from its first byte)
    unsigned write_timeout_seconds = 30;      // an answer must be taken whole within this
    unsigned keep_alive_seconds = 5;     // an idle keep-alive connection is closed after this
    unsigned keep_alive_requests = 1000; // ...and one is closed after this many requests
    std::string jobs_dir;               // audit jobs' files (emptied at start); "": a private temporary directory
    unsigned job_ttl_seconds = 3600;    // an audit job's reports are deleted this long after it ends
    std::map<std::string, std::string> params; // agency policy values for every request (--param)
    std::map<std::string, std::string> template_variables; // the agency's name etc. in every PDF (--var)
    std::string tls_cert, tls_key; // PEM files: HTTPS instead of HTTP
    // Check every record in a worker process first, so that a plugin that crashes on it costs a 500, not the
    // service (plugin_guard.hpp); the command that starts such a worker.
    bool isolate_plugins = false;
    std::vector<std::string> plugin_worker_command;
    record_limits limits; // a record over one is not checked: 422 naming it and the limit
};

// What requests are answered with, loaded together and replaced together (reload()).
struct service_set {
    plugin_host plugins;
    schema_catalog schemas;
    template_catalog templates;
    token_store tokens;
};
// Loads a set from the configured directories and tokens file. Throws casedoc::error naming what failed.
using service_loader = std::function<std::unique_ptr<service_set>()>;

class service {
public:
    // Loads the first set, compiles every schema of every plugin and loads the common template, its fonts and
    // colour profile: throws casedoc::error naming what cannot be loaded.
    service(service_loader load, service_options options, std::ostream& request_log);
    ~service();
    service(const service&) = delete;
    service& operator=(const service&) = delete;

    // Binds the listening socket and returns the port (the one chosen, for port 0). Throws casedoc::error
    // when the address cannot be bound.
    int bind();
    // Answers requests until stop(); returns when the requests in flight are answered.
    void run();
    // Stops accepting connections; may be called from any thread (a signal-handling thread).
    void stop();
    // Loads a new set (SIGHUP). When all of it loads and compiles, requests that begin from now on are answered
    // with it, while those in flight finish with the old one; otherwise the error is logged, the old set stays
    // in force and it returns false. May be called from any thread.
    bool reload();
    const service_set& current_set() const; // the set in force (for the startup message)
    // Answers one request given as the bytes a client sends, in this thread, through the same parsing, routing and
    // handlers as a connection, and returns the response's bytes (none for bytes that do not end a request): how
    // the request fuzzer drives the service, without a socket (tests/fuzz/serve_request_fuzz.cpp).
    std::string answer(std::string_view request);
    // A request's bytes answered by cpp-httplib alone, in memory (what a connection does with a multipart body):
    // `last` when the connection is to close after it; sets `close` when it is (the client asked, or `last`).
    std::string answer(std::string_view request, bool last, bool& close);

private:
    struct impl;
    std::unique_ptr<impl> p_;
};

} // namespace casedoc

#endif
