// casedoc serve --tokens FILE [--listen HOST:PORT] [--threads N] [limits] [--param NAME=VALUE] [--var NAME=VALUE]:
// the service (docs/service.md). SIGTERM or SIGINT: stop accepting, answer what is in flight, exit 0. SIGHUP: load the
// tokens, plugins, schemas and templates again; a set that does not load is refused and the old one stays.
// casedoc serve token add NAME --settings S,... --scopes validate,render,... --tokens FILE: prints the secret once
// casedoc serve token list --tokens FILE | casedoc serve token revoke NAME --tokens FILE
#include "commands.hpp"

#include <casedoc/base/error.hpp>
#include <casedoc/base/utc_time.hpp>
#include <casedoc/serve/plugin_guard.hpp>
#include <casedoc/serve/service.hpp>
#include <casedoc/serve/token_store.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <pthread.h>
#include <thread>

namespace casedoc::tools {

namespace {

struct serve_command_options {
    std::string listen = "127.0.0.1:8080", tokens_file;
    bool insecure_listen = false;
    bool plugin_worker = false; // --plugin-worker: this process is a worker of --isolate-plugins
    std::vector<std::string> params, variables;
    service_options service;
    size_t max_body_mb = 16;
};

struct token_command_options {
    std::string name, tokens_file;
    std::vector<std::string> settings, scopes;
};

bool is_loopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

int run_serve(const common_options& common, serve_command_options o) {
    const size_t colon = o.listen.rfind(':');
    if (colon == std::string::npos || colon == 0)
        throw error("", "--listen '" + o.listen + "': give HOST:PORT (e.g. 127.0.0.1:8080)");
    o.service.host = o.listen.substr(0, colon);
    if (o.service.host.size() > 2 && o.service.host.front() == '[' && o.service.host.back() == ']')
        o.service.host = o.service.host.substr(1, o.service.host.size() - 2);
    try {
        o.service.port = std::stoi(o.listen.substr(colon + 1));
    } catch (const std::exception&) {
        o.service.port = -1;
    }
    if (o.service.port < 0 || o.service.port > 65535)
        throw error("", "--listen '" + o.listen + "': the port is not a number from 0 to 65535");
    const bool tls = !o.service.tls_cert.empty() || !o.service.tls_key.empty();
    if (!is_loopback(o.service.host) && !o.insecure_listen && !tls)
        throw error("", "--listen " + o.listen + ": plain HTTP outside this machine would carry records unencrypted; "
                        "give --tls-cert and --tls-key, listen on 127.0.0.1 behind a TLS proxy, or give --insecure-listen");
    o.service.params = parse_params(o.params);
    o.service.template_variables = parse_params(o.variables, "--var");
    o.service.max_body_bytes = o.max_body_mb * 1024 * 1024;
    // Loaded when the service starts and again at each SIGHUP: tokens, plugins, schemas, templates.
    const std::string tokens_file = o.tokens_file;
    auto load = [&common, tokens_file] {
        auto set = std::make_unique<service_set>();
        set->tokens = token_store::load(tokens_file);
        if (set->tokens.tokens().empty())
            throw error(tokens_file, "no tokens: make one with casedoc serve token add NAME --settings ... --scopes ...");
        setup(common, set->plugins, &set->schemas);
        add_template_directories(common, set->templates);
        return set;
    };
    if (o.plugin_worker) return run_plugin_worker(load, o.service.params);
    if (o.service.isolate_plugins) {
        std::error_code ec;
        const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
        if (ec) throw error("/proc/self/exe", "--isolate-plugins cannot find the program to start workers: " + ec.message());
        o.service.plugin_worker_command = {self.string()};
        o.service.plugin_worker_command.insert(o.service.plugin_worker_command.end(), program_arguments.begin(),
                                               program_arguments.end());
        o.service.plugin_worker_command.push_back("--plugin-worker");
    }

    // SIGTERM and SIGINT (stop) and SIGHUP (reload) are taken by one thread; every other thread blocks them.
    sigset_t signals;
    sigemptyset(&signals);
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, sig);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    service svc(load, o.service, std::cerr);
    const int port = svc.bind();
    std::thread([&svc, signals] {
        for (int sig = 0; sigwait(&signals, &sig) == 0;) {
            if (sig != SIGHUP) break;
            svc.reload();
        }
        svc.stop();
    }).detach();
    std::cout << "casedoc serve: listening on " << (tls ? "https" : "http") << "://" << o.service.host << ':' << port
              << " (" << svc.current_set().plugins.plugins().size() << " plugins)" << std::endl;
    svc.run();
    std::cout << "casedoc serve: stopped" << std::endl;
    return 0;
}

int run_token(const token_command_options& o, const std::string& action) {
    if (action == "list") {
        const token_store store = token_store::load_or_empty(o.tokens_file);
        if (store.tokens().empty()) std::cout << "no tokens in " << o.tokens_file << '\n';
        for (const auto& t : store.tokens()) {
            std::cout << t.name << "  settings:";
            for (const auto& s : t.settings) std::cout << ' ' << s;
            std::cout << "  scopes:";
            for (const auto& s : t.scopes) std::cout << ' ' << s;
            std::cout << "  created " << t.created << '\n';
        }
        return 0;
    }
    token_store store = token_store::load_or_empty(o.tokens_file);
    if (action == "revoke") {
        store.revoke(o.name);
        store.save(o.tokens_file);
        std::cerr << "casedoc: token '" << o.name << "' revoked (a running service reads its tokens again on SIGHUP)\n";
        return 0;
    }
    const std::string secret = store.add(o.name, o.settings, o.scopes, utc_timestamp(std::chrono::system_clock::now()));
    store.save(o.tokens_file);
    std::cerr << "casedoc: token '" << o.name << "' added to " << o.tokens_file
              << "; its secret is shown this once (only its hash is kept):\n";
    std::cout << secret << '\n';
    return 0;
}

} // namespace

void add_serve_command(CLI::App& app, common_options& common, command_action& action) {
    auto* sub = app.add_subcommand("serve", "Answer validate and render requests over HTTP (docs/service.md)");
    auto o = std::make_shared<serve_command_options>();
    sub->add_option("--listen", o->listen, "HOST:PORT to listen on (port 0: any free port)")->capture_default_str();
    sub->add_option("--tokens", o->tokens_file, "The tokens file (casedoc serve token add)")->type_name("FILE");
    sub->add_option("--tls-cert", o->service.tls_cert, "Serve HTTPS with this PEM certificate (chain)")->type_name("FILE");
    sub->add_option("--tls-key", o->service.tls_key, "The certificate's PEM private key")->type_name("FILE");
    sub->add_flag("--insecure-listen", o->insecure_listen, "Allow plain HTTP on an address other than loopback");
    sub->add_option("--threads", o->service.threads,
                    "Threads serving the connections, each many at once (default: one per core)");
    sub->add_option("--check-slots", o->service.check_slots,
                    "Records checked or rendered at once; more wait their turn (default: one per core)");
    sub->add_option("--keep-alive-requests", o->service.keep_alive_requests,
                    "Requests on one kept-alive connection before it is closed")
        ->capture_default_str();
    sub->add_option("--max-body-mb", o->max_body_mb, "Largest request body, in MiB (larger: 413)")->capture_default_str();
    sub->add_option("--max-records", o->service.max_records, "Most records in one request (more: 413)")
        ->capture_default_str();
    sub->add_option("--max-in-flight", o->service.max_in_flight, "Most requests answered at once (more: 503)")
        ->capture_default_str();
    sub->add_option("--read-timeout", o->service.read_timeout_seconds, "Seconds a client may take to send a whole request")
        ->capture_default_str();
    sub->add_option("--jobs-dir", o->service.jobs_dir,
                    "Directory for audit jobs' records and reports, emptied of jobs at start (default: a private "
                    "temporary directory, removed at stop)")
        ->type_name("DIR");
    sub->add_option("--job-ttl", o->service.job_ttl_seconds, "Seconds an audit job's reports are kept after it ends")
        ->capture_default_str();
    add_limit_options(*sub, o->service.limits);
    sub->add_option("--param", o->params, "Agency policy value for every request, NAME=VALUE")->allow_extra_args(false);
    sub->add_option("--var", o->variables, "Template text variable in every PDF, NAME=VALUE (e.g. agency=NAME)")
        ->allow_extra_args(false);
    sub->add_flag("--isolate-plugins", o->service.isolate_plugins,
                  "Check every record in a worker process first: a plugin that crashes on a record answers 500 naming "
                  "it, and the service goes on (costs a second check of each record)");
    sub->add_flag("--plugin-worker", o->plugin_worker, "Internal: be a worker of --isolate-plugins")->group("");
    add_directory_options(*sub, common, true, true);

    auto* token = sub->add_subcommand("token", "Make, list and revoke the service's tokens");
    token->require_subcommand(1);
    auto t = std::make_shared<token_command_options>();
    auto* add = token->add_subcommand("add", "Make a token; prints its secret once");
    add->add_option("name", t->name, "The token's name (who uses it)")->required();
    add->add_option("--settings", t->settings, "Settings it may use (plugin ids, or *)")->delimiter(',')->required();
    add->add_option("--scopes", t->scopes, "What it may do: validate, render, export, audit, due")
        ->delimiter(',')
        ->required();
    auto* list = token->add_subcommand("list", "List the tokens (never their secrets)");
    auto* revoke = token->add_subcommand("revoke", "Remove a token");
    revoke->add_option("name", t->name, "The token's name")->required();
    for (auto* c : {add, list, revoke}) {
        c->add_option("--tokens", t->tokens_file, "The tokens file")->type_name("FILE")->required();
        c->callback([&action, t, c] { action = [t, c] { return run_token(*t, c->get_name()); }; });
    }
    sub->callback([&action, &common, o, sub] {
        if (sub->get_subcommands().empty()) {
            if (o->tokens_file.empty()) throw CLI::RequiredError("--tokens");
            action = [&common, o] { return run_serve(common, *o); };
        }
    });
}

} // namespace casedoc::tools
