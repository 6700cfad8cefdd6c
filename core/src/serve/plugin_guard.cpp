#include <casedoc/base/error.hpp>
#include <casedoc/check/validator.hpp>
#include <casedoc/serve/plugin_guard.hpp>

#include <spdlog/spdlog.h>

#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace casedoc {

namespace {

// A request: the name's length and the text's length (4 bytes each, host order: both ends are this program
// on this machine), the name, the text. The answer: one byte, 'k', when the worker checked it.
bool send_all(int fd, const void* data, size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

bool read_all(int fd, void* data, size_t size) {
    char* p = static_cast<char*>(data);
    while (size > 0) {
        const ssize_t n = ::read(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

bool write_all(int fd, const void* data, size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

} // namespace

plugin_guard::plugin_guard(std::vector<std::string> worker_command, unsigned workers)
    : command_(std::move(worker_command)), max_(std::max(1u, workers)) {}

plugin_guard::~plugin_guard() {
    std::lock_guard lock(mutex_);
    for (worker& w : idle_) stop(w);
}

plugin_guard::worker plugin_guard::start(uint64_t generation) const {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        throw error("", std::string("cannot start a plugin worker: ") + std::strerror(errno));
    std::vector<char*> argv;
    for (const std::string& a : command_) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) { // only async-signal-safe calls from here to exec: the service has other threads
        ::dup2(fds[1], STDIN_FILENO);
        ::dup2(fds[1], STDOUT_FILENO);
        // Nothing else of the service's: a client's connection held open here would not close when it ends.
        if (::close_range(3, ~0u, 0) != 0)
            for (int fd = 3; fd < 4096; ++fd) ::close(fd);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    if (pid < 0) {
        ::close(fds[0]);
        throw error("", std::string("cannot start a plugin worker: ") + std::strerror(errno));
    }
    return worker{pid, fds[0], generation};
}

std::string plugin_guard::stop(worker& w) {
    ::close(w.fd);
    int status = 0;
    while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
    }
    w = worker{};
    if (WIFSIGNALED(status)) {
        const char* abbrev = ::sigabbrev_np(WTERMSIG(status));
        return std::string("crashed (SIG") + (abbrev ? abbrev : std::to_string(WTERMSIG(status)).c_str()) + ")";
    }
    return "exited with status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

std::optional<std::string> plugin_guard::try_record(std::string_view name, std::string_view text, uint64_t generation) {
    worker w;
    {
        std::unique_lock lock(mutex_);
        freed_.wait(lock, [&] { return !idle_.empty() || running_ < max_; });
        if (!idle_.empty()) {
            w = idle_.back();
            idle_.pop_back();
        } else {
            ++running_;
        }
    }
    try {
        if (w.pid > 0 && w.generation != generation) stop(w); // a worker of a set since reloaded
        if (w.pid < 0) w = start(generation);
    } catch (...) {
        std::lock_guard lock(mutex_);
        --running_;
        freed_.notify_one();
        throw;
    }
    const uint32_t sizes[2] = {static_cast<uint32_t>(name.size()), static_cast<uint32_t>(text.size())};
    char answer = 0;
    const bool ok = send_all(w.fd, sizes, sizeof sizes) && send_all(w.fd, name.data(), name.size()) &&
                    send_all(w.fd, text.data(), text.size()) && read_all(w.fd, &answer, 1) && answer == 'k';
    std::optional<std::string> died;
    if (!ok) died = stop(w); // replaced by the next request that needs a worker
    std::lock_guard lock(mutex_);
    if (ok) idle_.push_back(w);
    else --running_;
    freed_.notify_one();
    return died;
}

int run_plugin_worker(const service_loader& load, const std::map<std::string, std::string>& params) {
    const std::unique_ptr<service_set> set = load();
    validator_options o;
    o.params = params;
    o.warn_uncited = false; // the service has said it
    validator v(set->plugins, set->schemas, std::move(o));
    v.compile_all();
    std::string name, text;
    for (uint32_t sizes[2]; read_all(STDIN_FILENO, sizes, sizeof sizes);) {
        name.resize(sizes[0]);
        text.resize(sizes[1]);
        if (!read_all(STDIN_FILENO, name.data(), name.size()) || !read_all(STDIN_FILENO, text.data(), text.size())) break;
        try {
            v.check_text(std::move(text), name); // what it found is the service's to say: only surviving counts
        } catch (const std::exception& e) {
            spdlog::debug("plugin worker: {}: {}", name, e.what());
        }
        text.clear();
        if (!write_all(STDOUT_FILENO, "k", 1)) break;
    }
    return 0;
}

} // namespace casedoc
