#include <casedoc/plugin/crash_report.hpp>

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace casedoc {

namespace {

// Initial-exec TLS in the program (casedoc_core is linked statically), so reading it in a signal handler
// allocates nothing.
thread_local const plugin_call_scope* current = nullptr;

constexpr int signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
struct sigaction previous_actions[sizeof signals / sizeof signals[0]];

const char* signal_name(int sig) {
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    default: return "a signal";
    }
}

// Async-signal-safe: strlen and write only, into a buffer on the stack.
void say(const plugin_call_scope& c, int sig) {
    char line[1024];
    size_t n = 0;
    auto add = [&](const char* s) {
        const size_t k = s ? std::strlen(s) : 0;
        const size_t room = sizeof line - 1 - n;
        std::memcpy(line + n, s ? s : "", k < room ? k : room);
        n += k < room ? k : room;
    };
    add("casedoc: plugin '");
    add(c.plugin_id);
    add("' crashed (");
    add(signal_name(sig));
    add(") in ");
    add(c.what);
    add(" on record ");
    add(c.record);
    add("; the process stops here (see docs/reliability.md)\n");
    for (size_t off = 0; off < n;) {
        const ssize_t w = ::write(STDERR_FILENO, line + off, n - off);
        if (w <= 0) break;
        off += static_cast<size_t>(w);
    }
}

void on_crash(int sig, siginfo_t* info, void*) {
    const int saved_errno = errno;
    if (const plugin_call_scope* c = current) say(*c, sig);
    // Hand the signal to whoever had it before (the default action, or a sanitizer's report).
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; ++i)
        if (signals[i] == sig) ::sigaction(sig, &previous_actions[i], nullptr);
    errno = saved_errno;
    // A fault raised by the hardware recurs when the instruction runs again; one sent (kill, abort) is re-sent.
    if (info && info->si_code <= 0) ::raise(sig);
}

// A stack overflow leaves no stack to run the handler on: each thread that runs plugin code gets a signal stack
// of its own (SA_ONSTACK), unless one is already there (a sanitizer's). Freed when the thread ends.
class signal_stack {
public:
    void ensure() noexcept {
        if (tried_) return;
        tried_ = true;
        stack_t old{};
        if (::sigaltstack(nullptr, &old) == 0 && !(old.ss_flags & SS_DISABLE)) return;
        const size_t size = 64 * 1024;
        void* memory = std::malloc(size);
        if (!memory) return; // then a stack overflow dies without the message, as before
        stack_t s{};
        s.ss_sp = memory;
        s.ss_size = size;
        if (::sigaltstack(&s, nullptr) == 0) memory_ = memory;
        else std::free(memory);
    }
    ~signal_stack() {
        if (!memory_) return;
        stack_t off{};
        off.ss_flags = SS_DISABLE;
        ::sigaltstack(&off, nullptr);
        std::free(memory_);
    }

private:
    bool tried_ = false;
    void* memory_ = nullptr;
};

thread_local signal_stack thread_signal_stack;

} // namespace

void install_plugin_crash_report() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (size_t i = 0; i < sizeof signals / sizeof signals[0]; ++i) {
            struct sigaction a {};
            a.sa_sigaction = on_crash;
            a.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
            sigemptyset(&a.sa_mask);
            ::sigaction(signals[i], &a, &previous_actions[i]);
        }
    });
}

plugin_call_scope::plugin_call_scope(const char* plugin_id_, const char* what_, const char* record_) noexcept
    : plugin_id(plugin_id_), what(what_), record(record_), previous_(current) {
    thread_signal_stack.ensure();
    current = this;
}

plugin_call_scope::~plugin_call_scope() { current = previous_; }

} // namespace casedoc
