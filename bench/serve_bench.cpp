// Service benchmark: the same child welfare records checked in one run four ways, and compared.
//   1. in process: a validator per thread, no HTTP (one thread, then all cores);
//   2. over HTTP: a real `casedoc serve` on loopback, driven by C keep-alive connections (POST /v1/validate),
//      with latency p50/p99 over every request; the client is `wrk` (Debian's, one epoll thread, so that the
//      client takes little of the two cores the server runs on) when it is installed, or this program's own
//      (a thread per connection; always with --requests);
//   3. a process per request: `casedoc validate --format json RECORD`, as a script would do without a service;
//   4. memory: the server's resident set after the first 10 % of the HTTP requests and at the end (it must
//      stay flat), and its peak.
//
//   casedoc_bench_serve [--seconds S] [--connections C] [--requests N] [--threads T] [--client wrk|own]
//                       [--casedoc PATH] [--serve-args 'ARGS']
// --serve-args passes more options to casedoc serve (e.g. '--isolate-plugins', to measure what it costs).
// --requests N sends N requests over HTTP instead of running for S seconds (e.g. 1000000 for the memory
// figure). The records are plugins/child_welfare/samples/valid/*.xml, taken in turn.
#include <casedoc/check/validator.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>

#include <httplib.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

namespace {

struct options {
    double seconds = 10;
    unsigned connections = 64;
    size_t requests = 0;
    unsigned threads = 0;
    std::string client; // wrk or own
    std::string casedoc;
    std::string serve_args;
};

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string run(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return out;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    ::pclose(p);
    return out;
}

// kB of the process's VmRSS or VmHWM.
long status_kb(pid_t pid, const char* field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field) + 1));
    return -1;
}

double in_process(const std::vector<std::string>& records, unsigned threads, double seconds) {
    casedoc::plugin_host host;
    host.add_default_directories();
    host.discover();
    casedoc::schema_catalog catalog;
    catalog.add_default_directories();
    std::atomic<size_t> done{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            casedoc::validator v(host, catalog, {});
            v.check_text(records[0], "warm-up.xml"); // compiles the schema: not counted
            for (size_t i = t; !stop; ++i) {
                v.check_text(records[i % records.size()], "r.xml");
                ++done;
            }
        });
    done = 0;
    const auto start = clock_type::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    const double elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
    const size_t n = done;
    for (auto& w : workers) w.join();
    return double(n) / elapsed;
}

struct http_figures {
    double per_second = 0, p50_ms = 0, p99_ms = 0;
    size_t requests = 0, failures = 0;
    long rss_early_kb = 0, rss_end_kb = 0, peak_kb = 0;
};

// A running `casedoc serve` on a free loopback port, with a token for validation.
struct server {
    fs::path dir;
    pid_t pid = -1;
    int port = 0;
    std::string secret;
};

server start_server(const options& o) {
    server s;
    s.dir = fs::temp_directory_path() / ("casedoc-bench-serve-" + std::to_string(::getpid()));
    fs::create_directories(s.dir);
    const fs::path tokens = s.dir / "tokens.json", out = s.dir / "out", log = s.dir / "log";
    s.secret = run(o.casedoc + " serve token add bench --settings '*' --scopes validate --tokens " +
                   tokens.string() + " 2>/dev/null");
    s.secret = s.secret.substr(0, s.secret.find('\n'));
    s.pid = ::fork();
    if (s.pid == 0) {
        const std::string cmd = "exec " + o.casedoc + " serve --listen 127.0.0.1:0 --tokens " + tokens.string() +
                                (o.threads ? " --threads " + std::to_string(o.threads) : std::string()) +
                                " --max-in-flight 100000 " + o.serve_args + " >" + out.string() + " 2>" + log.string();
        ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    const std::regex listening(R"(listening on http://127\.0\.0\.1:([0-9]+))");
    for (int i = 0; i < 300 && !s.port; ++i) {
        std::smatch m;
        const std::string text = read_file(out);
        if (std::regex_search(text, m, listening)) s.port = std::stoi(m[1]);
        else std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!s.port) std::cerr << "casedoc serve did not start: " << read_file(log) << '\n';
    return s;
}

void stop_server(const server& s, http_figures& f) {
    f.rss_end_kb = status_kb(s.pid, "VmRSS:");
    f.peak_kb = status_kb(s.pid, "VmHWM:");
    ::kill(s.pid, s.port ? SIGTERM : SIGKILL);
    ::waitpid(s.pid, nullptr, 0);
    fs::remove_all(s.dir);
}

// wrk with a Lua script that posts the records in turn; its latency distribution gives p50 and p99.
http_figures wrk_client(const server& s, const std::vector<std::string>& records, const options& o) {
    http_figures f;
    std::ostringstream lua;
    lua << "local bodies = {\n";
    for (const auto& r : records) lua << "[==[" << r << "]==],\n";
    lua << "}\nlocal headers = {[\"Content-Type\"] = \"application/xml\", [\"Authorization\"] = \"Bearer "
        << s.secret << "\"}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
        << "  return wrk.format(\"POST\", \"/v1/validate\", headers, bodies[(i % #bodies) + 1])\nend\n";
    const fs::path script = s.dir / "post.lua";
    std::ofstream(script) << lua.str();
    std::atomic<long> rss_early{0};
    std::thread sampler([&] {
        std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds / 10));
        rss_early = status_kb(s.pid, "VmRSS:");
    });
    const std::string text = run("wrk -t1 -c" + std::to_string(o.connections) + " -d" +
                                 std::to_string(std::max(1, int(o.seconds + 0.5))) + "s --latency -s " +
                                 script.string() + " http://127.0.0.1:" + std::to_string(s.port) + "/v1/validate");
    sampler.join();
    f.rss_early_kb = rss_early;
    const auto number = [&](const std::string& pattern) -> std::optional<std::smatch> {
        std::smatch m;
        if (std::regex_search(text, m, std::regex(pattern))) return m;
        return std::nullopt;
    };
    const auto ms = [](const std::smatch& m) {
        const double v = std::stod(m[1]);
        return m[2] == "us" ? v / 1000 : m[2] == "s" ? v * 1000 : v;
    };
    if (auto m = number(R"(Requests/sec:\s+([0-9.]+))")) f.per_second = std::stod((*m)[1]);
    else std::cerr << "wrk gave no figures:\n" << text << '\n';
    if (auto m = number(R"(([0-9]+) requests in)")) f.requests = std::stoul((*m)[1]);
    if (auto m = number(R"(\b50%\s+([0-9.]+)(us|ms|s)\b)")) f.p50_ms = ms(*m);
    if (auto m = number(R"(\b99%\s+([0-9.]+)(us|ms|s)\b)")) f.p99_ms = ms(*m);
    if (auto m = number(R"(Non-2xx or 3xx responses:\s+([0-9]+))")) f.failures += std::stoul((*m)[1]);
    if (auto m = number(R"(Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+))"))
        for (int k = 1; k <= 4; ++k) f.failures += std::stoul((*m)[k]);
    return f;
}

// This program's own client: a thread per keep-alive connection (httplib), every latency kept.
http_figures own_client(const server& s, const std::vector<std::string>& records, const options& o) {
    http_figures f;
    const pid_t pid = s.pid;
    const int port = s.port;
    const std::string& secret = s.secret;
    const httplib::Headers auth{{"Authorization", "Bearer " + secret}};
    std::atomic<size_t> sent{0}, failures{0};
    std::atomic<bool> stop{false};
    std::vector<std::vector<float>> latencies(o.connections);
    const size_t early_mark = o.requests ? o.requests / 10 : 0;
    std::atomic<long> rss_early{0};
    std::vector<std::thread> clients;
    const auto start = clock_type::now();
    for (unsigned c = 0; c < o.connections; ++c)
        clients.emplace_back([&, c] {
            httplib::Client client("127.0.0.1", port);
            client.set_keep_alive(true);
            client.set_tcp_nodelay(true);
            client.set_read_timeout(60, 0);
            for (size_t i = c; !stop; i += o.connections) {
                const size_t k = sent++;
                if (o.requests && k >= o.requests) break;
                if (early_mark && k == early_mark) rss_early = status_kb(pid, "VmRSS:");
                const auto t0 = clock_type::now();
                const auto r = client.Post("/v1/validate", auth, records[i % records.size()], "application/xml");
                latencies[c].push_back(std::chrono::duration<float, std::milli>(clock_type::now() - t0).count());
                if (!r || r->status != 200) ++failures;
            }
        });
    if (!o.requests) {
        std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds / 10));
        rss_early = status_kb(pid, "VmRSS:");
        std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds * 9 / 10));
        stop = true;
    }
    for (auto& t : clients) t.join();
    const double elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
    std::vector<float> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    f.requests = all.size();
    f.failures = failures;
    f.per_second = double(all.size()) / elapsed;
    if (!all.empty()) {
        f.p50_ms = all[all.size() / 2];
        f.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
    }
    f.rss_early_kb = rss_early;
    return f;
}

http_figures over_http(const std::vector<std::string>& records, const options& o) {
    const server s = start_server(o);
    http_figures f;
    if (s.port) f = o.client == "wrk" ? wrk_client(s, records, o) : own_client(s, records, o);
    stop_server(s, f);
    return f;
}

double process_per_request(const std::vector<fs::path>& files, const std::string& casedoc, double seconds) {
    size_t n = 0;
    const auto start = clock_type::now();
    double elapsed = 0;
    while (elapsed < seconds) {
        run(casedoc + " validate --format json " + files[n % files.size()].string() + " >/dev/null 2>&1");
        ++n;
        elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
    }
    return double(n) / elapsed;
}

} // namespace

int main(int argc, char** argv) {
    options o;
    o.casedoc = (fs::canonical("/proc/self/exe").parent_path() / "casedoc").string();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--seconds") o.seconds = std::stod(v);
        else if (a == "--connections") o.connections = unsigned(std::stoul(v));
        else if (a == "--requests") o.requests = std::stoul(v);
        else if (a == "--threads") o.threads = unsigned(std::stoul(v));
        else if (a == "--casedoc") o.casedoc = v;
        else if (a == "--client" && (v == "wrk" || v == "own")) o.client = v;
        else if (a == "--serve-args") o.serve_args = v;
        else {
            std::cerr << "usage: casedoc_bench_serve [--seconds S] [--connections C] [--requests N] [--threads T] "
                         "[--client wrk|own] [--casedoc PATH] [--serve-args 'ARGS']\n";
            return 2;
        }
    }
    if (o.client.empty()) o.client = !o.requests && std::system("command -v wrk >/dev/null 2>&1") == 0 ? "wrk" : "own";
    if (o.client == "wrk" && o.requests) {
        std::cerr << "casedoc_bench_serve: --requests needs --client own (wrk runs for a time)\n";
        return 2;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(fs::path(CASEDOC_SOURCE_DIR) / "plugins/child_welfare/samples/valid"))
        if (e.path().extension() == ".xml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<std::string> records;
    for (const auto& f : files) records.push_back(read_file(f));
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());

    std::printf("casedoc serve benchmark: %zu child welfare sample records in turn, %u cores\n", records.size(), cores);
    const double one = in_process(records, 1, o.seconds);
    const double all_cores = in_process(records, cores, o.seconds);
    std::printf("in process, 1 thread:          %9.0f records/s\n", one);
    std::printf("in process, %u threads:         %9.0f records/s\n", cores, all_cores);
    const http_figures h = over_http(records, o);
    std::printf("over HTTP, %u connections:     %9.0f records/s  (%.0f %% of in process on %u threads; client: %s)\n",
                o.connections, h.per_second, 100 * h.per_second / all_cores, cores, o.client.c_str());
    std::printf("  latency p50 %.2f ms, p99 %.2f ms over %zu requests, %zu failed\n", h.p50_ms, h.p99_ms, h.requests,
                h.failures);
    std::printf("  server memory: %.1f MB after 10 %% of the requests, %.1f MB at the end, peak %.1f MB\n",
                h.rss_early_kb / 1024.0, h.rss_end_kb / 1024.0, h.peak_kb / 1024.0);
    const double spawn = process_per_request(files, o.casedoc, std::min(o.seconds, 10.0));
    std::printf("a process per request:         %9.1f records/s  (HTTP is %.0fx that)\n", spawn, h.per_second / spawn);
    return h.failures ? 1 : 0;
}
