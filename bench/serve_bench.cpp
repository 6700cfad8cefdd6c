// Service benchmark: the same child welfare records checked in one run three ways, and compared.
//   1. in process: a validator per thread, no HTTP (one thread, then all cores);
//   2. over HTTP: a real `casedoc serve` on loopback, driven by C keep-alive connections (POST /v1/validate),
//      with latency p50/p99 over every request; the client is `wrk` (Debian's, one epoll thread, so that the
//      client takes little of the two cores the server runs on) when it is installed, or this program's own
//      (a thread per connection; always with --requests). Phases of in process on all cores and of HTTP
//      alternate in R rounds (this VM's speed swings within minutes; a round compares two phases seconds
//      apart), each round with its share of records/s and of CPU a record (the server's and the client's CPU
//      a request against the in-process CPU a record); the medians of the rounds are the figures;
//   3. a process per request: `casedoc validate --format json RECORD`, as a script would do without a service;
//   and the server's memory after the first 10 % of the first round's requests and at the end (it must stay
//   flat), and its peak.
//
//   casedoc_bench_serve [--seconds S] [--rounds R] [--connections C] [--requests N] [--threads T]
//                       [--client wrk|own] [--casedoc PATH] [--serve-args 'ARGS']
// --seconds S: of in process and of HTTP each, over all rounds (default 10, 3 rounds).
// --serve-args passes more options to casedoc serve (e.g. '--isolate-plugins', to measure what it costs).
// --requests N sends N requests over HTTP (one round) instead of running for S seconds (e.g. 1000000 for the
// memory figure). The records are plugins/child_welfare/samples/valid/*.xml, taken in turn.
#include <casedoc/check/validator.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>

#include <httplib.h>

#include <signal.h>
#include <sys/resource.h>
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
    double seconds = 10; // of in-process and of HTTP phases each, over all rounds
    unsigned rounds = 3;
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

// CPU seconds a process has used (utime + stime of /proc/PID/stat).
double cpu_seconds_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    std::istringstream fields(text.substr(text.rfind(')') + 2)); // after the command name, which may hold spaces
    std::string f;
    double ticks = 0;
    for (int k = 3; fields >> f && k <= 15; ++k)
        if (k == 14 || k == 15) ticks += std::stod(f);
    return ticks / double(::sysconf(_SC_CLK_TCK));
}

// kB of the process's VmRSS or VmHWM.
long status_kb(pid_t pid, const char* field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field) + 1));
    return -1;
}

// CPU seconds this process has used, all threads.
double process_cpu_seconds(int who = RUSAGE_SELF) {
    rusage u{};
    ::getrusage(who, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct in_process_figures {
    double per_second = 0, cpu_us = 0; // records/s; CPU µs a record
};

in_process_figures in_process(const std::vector<std::string>& records, unsigned threads, double seconds) {
    casedoc::plugin_host host;
    host.add_default_directories();
    host.discover();
    casedoc::schema_catalog catalog;
    catalog.add_default_directories();
    std::atomic<size_t> done{0};
    std::atomic<unsigned> ready{0};
    std::atomic<bool> go{false}, stop{false};
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            casedoc::validator v(host, catalog, {});
            v.check_text(records[0], "warm-up.xml"); // compiles the schema: not counted
            ++ready;
            while (!go) std::this_thread::yield();
            for (size_t i = t; !stop; ++i) {
                v.check_text(records[i % records.size()], "r.xml");
                ++done;
            }
        });
    while (ready < threads) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const double cpu_start = process_cpu_seconds();
    const auto start = clock_type::now();
    go = true;
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const size_t n = done;
    const double elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
    const double cpu = process_cpu_seconds() - cpu_start;
    stop = true;
    for (auto& w : workers) w.join();
    return {double(n) / elapsed, n ? cpu * 1e6 / double(n) : 0};
}

struct http_figures {
    double per_second = 0, p50_ms = 0, p99_ms = 0;
    double server_cpu_us = 0, client_cpu_us = 0; // CPU µs a request, of the server and of the client
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
http_figures wrk_client(const server& s, const std::vector<std::string>& records, const options& o, double seconds) {
    http_figures f;
    std::ostringstream lua;
    lua << "local bodies = {\n";
    for (const auto& r : records) lua << "[==[" << r << "]==],\n";
    lua << "}\nlocal headers = {[\"Content-Type\"] = \"application/xml\", [\"Authorization\"] = \"Bearer "
        << s.secret << "\"}\nlocal requests = {}\nlocal i = 0\n"
        // The requests are formatted once per thread, not per request: the client shares the cores.
        << "init = function(args)\n  for k, b in ipairs(bodies) do\n"
        << "    requests[k] = wrk.format(\"POST\", \"/v1/validate\", headers, b)\n  end\nend\n"
        << "request = function()\n  i = i + 1\n  return requests[(i % #requests) + 1]\nend\n";
    const fs::path script = s.dir / "post.lua";
    std::ofstream(script) << lua.str();
    std::atomic<long> rss_early{0};
    std::thread sampler([&] {
        std::this_thread::sleep_for(std::chrono::duration<double>(seconds / 10));
        rss_early = status_kb(s.pid, "VmRSS:");
    });
    const double server_cpu = cpu_seconds_of(s.pid), client_cpu = process_cpu_seconds(RUSAGE_CHILDREN);
    const std::string text = run("wrk -t1 -c" + std::to_string(o.connections) + " -d" +
                                 std::to_string(std::max(1, int(seconds + 0.5))) + "s --latency -s " +
                                 script.string() + " http://127.0.0.1:" + std::to_string(s.port) + "/v1/validate");
    const double server_used = cpu_seconds_of(s.pid) - server_cpu;
    const double client_used = process_cpu_seconds(RUSAGE_CHILDREN) - client_cpu; // wrk (and its shell), reaped
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
    if (f.requests) {
        f.server_cpu_us = server_used * 1e6 / double(f.requests);
        f.client_cpu_us = client_used * 1e6 / double(f.requests);
    }
    return f;
}

// This program's own client: a thread per keep-alive connection (httplib), every latency kept.
http_figures own_client(const server& s, const std::vector<std::string>& records, const options& o, double seconds) {
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
    const double server_cpu = cpu_seconds_of(pid), client_cpu = process_cpu_seconds();
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
        std::this_thread::sleep_for(std::chrono::duration<double>(seconds / 10));
        rss_early = status_kb(pid, "VmRSS:");
        std::this_thread::sleep_for(std::chrono::duration<double>(seconds * 9 / 10));
        stop = true;
    }
    for (auto& t : clients) t.join();
    const double elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
    const double server_used = cpu_seconds_of(pid) - server_cpu, client_used = process_cpu_seconds() - client_cpu;
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
    if (f.requests) {
        f.server_cpu_us = server_used * 1e6 / double(f.requests);
        f.client_cpu_us = client_used * 1e6 / double(f.requests);
    }
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
        else if (a == "--rounds" && std::stoul(v) > 0) o.rounds = unsigned(std::stoul(v));
        else if (a == "--connections") o.connections = unsigned(std::stoul(v));
        else if (a == "--requests") o.requests = std::stoul(v);
        else if (a == "--threads") o.threads = unsigned(std::stoul(v));
        else if (a == "--casedoc") o.casedoc = v;
        else if (a == "--client" && (v == "wrk" || v == "own")) o.client = v;
        else if (a == "--serve-args") o.serve_args = v;
        else {
            std::cerr << "usage: casedoc_bench_serve [--seconds S] [--rounds R] [--connections C] [--requests N] [--threads T] "
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
    const in_process_figures one = in_process(records, 1, std::min(o.seconds, 5.0));
    std::printf("in process, 1 thread:          %9.0f records/s, %.1f us of CPU a record\n", one.per_second, one.cpu_us);

    // This VM's speed swings by 2x within minutes: the in-process and HTTP phases alternate, round by round, and
    // each round's share compares two phases a few seconds apart.
    const server s = start_server(o);
    if (!s.port) return 1;
    const unsigned rounds = o.requests ? 1 : o.rounds;
    std::vector<double> shares, cpu_shares;
    http_figures h;
    in_process_figures ip;
    for (unsigned r = 1; r <= rounds; ++r) {
        const in_process_figures ip_r = in_process(records, cores, o.seconds / rounds);
        const http_figures h_r = o.client == "wrk" ? wrk_client(s, records, o, o.seconds / rounds)
                                                   : own_client(s, records, o, o.seconds / rounds);
        const double share = h_r.per_second / ip_r.per_second;
        const double cpu_share = ip_r.cpu_us / (h_r.server_cpu_us + h_r.client_cpu_us);
        std::printf("round %u: in process (%u threads) %8.0f records/s, %5.1f us CPU a record | over HTTP %8.0f records/s "
                    "(%2.0f %%), %5.1f us CPU a request in the server + %4.1f in the client (%2.0f %%)\n",
                    r, cores, ip_r.per_second, ip_r.cpu_us, h_r.per_second, 100 * share, h_r.server_cpu_us,
                    h_r.client_cpu_us, 100 * cpu_share);
        shares.push_back(share);
        cpu_shares.push_back(cpu_share);
        if (r == 1) h = h_r; // its early memory figure
        else {
            h.requests += h_r.requests;
            h.failures += h_r.failures;
            h.p50_ms = std::max(h.p50_ms, h_r.p50_ms);
            h.p99_ms = std::max(h.p99_ms, h_r.p99_ms);
        }
        h.per_second = h_r.per_second;
        ip = ip_r;
    }
    stop_server(s, h);
    const auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    };
    std::printf("over HTTP, %u connections: %.0f %% of in process (median of %u rounds; client: %s); "
                "by CPU a record, %.0f %%\n",
                o.connections, 100 * median(shares), rounds, o.client.c_str(), 100 * median(cpu_shares));
    std::printf("  latency p50 %.2f ms, p99 %.2f ms (the worst round) over %zu requests, %zu failed\n", h.p50_ms,
                h.p99_ms, h.requests, h.failures);
    std::printf("  server memory: %.1f MB after 10 %% of the first round, %.1f MB at the end, peak %.1f MB\n",
                h.rss_early_kb / 1024.0, h.rss_end_kb / 1024.0, h.peak_kb / 1024.0);
    const double spawn = process_per_request(files, o.casedoc, std::min(o.seconds, 10.0));
    std::printf("a process per request:         %9.1f records/s  (HTTP, last round, is %.0fx that)\n", spawn,
                h.per_second / spawn);
    return h.failures ? 1 : 0;
}
