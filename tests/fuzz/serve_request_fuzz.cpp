// Target 8, casedoc serve: a fuzzed HTTP request answered in-process by service::answer(), which runs the bytes
// through the same request parsing (Boost.Beast's; cpp-httplib's for a multipart body), routing, token check, body handling (one record, multipart
// uploads, query parameters) and handlers as a connection, without a socket. The service has every plugin,
// schema and template of the build tree and one token, "Bearer cdt_fuzz", allowed every setting and scope. An
// audit the request starts is waited for (GET of its status, also in-process), so that what it does belongs
// to this input. Guarantees: every request gets an HTTP response, never a crash, a hang or a leak; a request
// that is not understood gets a 4xx, never a 5xx (but 503 busy and 507, which need the machine's help).
#include "fuzz_support.hpp"

#include <casedoc/base/sha256.hpp>
#include <casedoc/serve/service.hpp>
#include <casedoc/serve/token_store.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;

const fs::path& scratch() {
    static const fs::path dir = [] {
        const fs::path d = fs::temp_directory_path() / ("casedoc-fuzz-serve-" + std::to_string(::getpid()));
        fs::create_directories(d);
        return d;
    }();
    return dir;
}

casedoc::service& the_service() {
    static casedoc::service* const svc = [] {
        (void)casedoc_fuzz::production_set(); // logs off
        const fs::path tokens = scratch() / "tokens.json";
        nlohmann::json grant = {{"name", "fuzz"},
                                {"settings", {"*"}},
                                {"scopes", casedoc::token_scopes()},
                                {"created", "2026-01-01T00:00:00Z"},
                                {"sha256", casedoc::sha256::hex(casedoc::sha256::of("cdt_fuzz"))}};
        std::ofstream(tokens) << nlohmann::json{{"format", "casedoc-tokens/1"}, {"tokens", nlohmann::json::array({grant})}}.dump();
        casedoc::service_options o;
        o.port = 0;
        o.check_slots = 1;
        o.threads = 1;
        o.jobs_dir = (scratch() / "jobs").string();
        o.job_ttl_seconds = 0;
        o.max_body_bytes = 1 << 20;
        // The request log: off stderr, kept nowhere (a stream without a buffer), and never destroyed, since its
        // writer thread outlives the statics of this never-destroyed service.
        static std::ostream* const request_log = new std::ostream(nullptr);
        auto load = [tokens] {
            auto set = std::make_unique<casedoc::service_set>();
            set->tokens = casedoc::token_store::load(tokens);
            set->plugins.add_default_directories();
            set->plugins.discover(casedoc::bad_plugins::fail);
            set->schemas.add_default_directories();
            set->templates.add_default_directories();
            return set;
        };
        auto* s = new casedoc::service(load, o, *request_log);
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(scratch(), ec);
        });
        return s;
    }();
    return *svc;
}

int status_of(const std::string& response) {
    // "HTTP/1.1 200 OK\r\n..."
    if (response.compare(0, 9, "HTTP/1.1 ") != 0 || response.size() < 12) return 0;
    return std::atoi(response.substr(9, 3).c_str());
}

std::string header(const std::string& response, const std::string& name) {
    const size_t at = response.find("\r\n" + name + ": ");
    if (at == std::string::npos) return {};
    const size_t start = at + name.size() + 4;
    return response.substr(start, response.find("\r\n", start) - start);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    casedoc::service& svc = the_service();
    const std::string response = svc.answer(casedoc_fuzz::as_text(data, size));
    if (response.empty()) return 0; // bytes that do not end a request: a connection would wait for more
    const int status = status_of(response);
    if (status == 0) casedoc_fuzz::broken("a response that is not HTTP/1.1", response.substr(0, 80));
    if (status >= 500 && status != 503 && status != 507) casedoc_fuzz::broken("a server error", response);
    if (status == 202) { // an audit job: wait for it, so that its work belongs to this input
        const std::string job = header(response, "Location");
        for (int i = 0; i < 3000; ++i) {
            const std::string poll =
                svc.answer("GET " + job + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer cdt_fuzz\r\n\r\n");
            if (poll.find("\"running\"") == std::string::npos && poll.find("\"queued\"") == std::string::npos) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    return 0;
}
