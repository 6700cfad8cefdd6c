// A real `casedoc serve` for the service tests: started on a free loopback port with a tokens file of its
// own, talked to over a socket (cpp-httplib's client), stopped with SIGTERM.
#ifndef CASEDOC_TESTS_SERVER_PROCESS_HPP
#define CASEDOC_TESTS_SERVER_PROCESS_HPP

#include "test_support.hpp"

#include <httplib.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace casedoc_test {

inline run_result casedoc(const std::string& args) { return shell(std::string(CASEDOC_EXE) + " " + args); }

// A tokens file with the tokens asked for (name -> "--settings ... --scopes ..."), and their secrets.
struct tokens_file {
    temp_dir dir;
    fs::path file = dir.path / "tokens.json";
    std::map<std::string, std::string> secrets;

    explicit tokens_file(const std::map<std::string, std::string>& grants) {
        for (const auto& [name, grant] : grants) {
            const auto r = casedoc("serve token add " + name + " " + grant + " --tokens " + quote(file.string()));
            REQUIRE(r.status == 0);
            secrets[name] = r.out.substr(0, r.out.find('\n'));
        }
    }
};

class server_process {
public:
    // Starts casedoc serve with these arguments (after --listen 127.0.0.1:0 --tokens FILE) and waits until it
    // says where it listens.
    server_process(const fs::path& tokens, const std::string& extra_args = "") {
        const std::string cmd = std::string(CASEDOC_EXE) + " serve --listen 127.0.0.1:0 --tokens " +
                                quote(tokens.string()) + " " + extra_args + " >" + quote(out_.string()) + " 2>" +
                                quote(log_.string());
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        const std::regex listening(R"(listening on https?://127\.0\.0\.1:([0-9]+))");
        for (int i = 0; i < 300 && port_ == 0; ++i) { // up to 30 s (a sanitizer build loads slowly)
            std::smatch m;
            const std::string out = read_file(out_);
            if (std::regex_search(out, m, listening)) port_ = std::stoi(m[1]);
            else if (::waitpid(pid_, &status_, WNOHANG) == pid_) break;
            else std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (port_ == 0) FAIL("casedoc serve did not start: " << read_file(log_));
    }
    ~server_process() {
        if (!stopped_) stop();
        std::error_code ec;
        fs::remove(out_, ec);
        fs::remove(log_, ec);
    }

    int port() const { return port_; }
    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port_);
        c.set_read_timeout(60, 0);
        return c;
    }
    // SIGTERM; returns the exit status (-1 when it did not exit normally within 30 s).
    int stop() {
        stopped_ = true;
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 300; ++i) {
            if (::waitpid(pid_, &status_, WNOHANG) == pid_) return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status_, 0);
        return -1;
    }
    void signal(int sig) const { ::kill(pid_, sig); }
    std::string log() const { return read_file(log_); }
    std::string out() const { return read_file(out_); }

private:
    fs::path out_ = temp_name("serve-out"), log_ = temp_name("serve-log");
    pid_t pid_ = -1;
    int status_ = 0;
    int port_ = 0;
    bool stopped_ = false;
};

inline httplib::Headers bearer(const std::string& secret) { return {{"Authorization", "Bearer " + secret}}; }

} // namespace casedoc_test

#endif
