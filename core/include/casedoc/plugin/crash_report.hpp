// What a crash inside plugin code says before the process dies. A plugin's native code runs in the host's
// process, so a segfault there cannot be caught and the process cannot go on (the plugin's state, and maybe
// the host's, is corrupt). What the host can do is name the plugin, the record and the check on standard
// error before it dies:
//   casedoc: plugin 'x' crashed (SIGSEGV) in native check R on record FILE; the process stops here (...)
// The signal's default action then runs as it would have (a core dump where enabled; exit by the signal),
// and a crash outside plugin code is left to the handler that was there before (e.g. a sanitizer's).
#ifndef CASEDOC_PLUGIN_CRASH_REPORT_HPP
#define CASEDOC_PLUGIN_CRASH_REPORT_HPP

namespace casedoc {

// Installs the handler of SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT (once; later calls do nothing).
// For programs: a library never installs signal handlers on its own.
void install_plugin_crash_report();

// While one lives, the calling thread runs plugin code: a crash is reported with these names. The
// strings must outlive it; nothing is copied or allocated (this is on the fast path of every check).
class plugin_call_scope {
public:
    plugin_call_scope(const char* plugin_id, const char* what, const char* record) noexcept;
    ~plugin_call_scope();
    plugin_call_scope(const plugin_call_scope&) = delete;
    plugin_call_scope& operator=(const plugin_call_scope&) = delete;

    const char* const plugin_id;
    const char* const what;
    const char* const record;

private:
    const plugin_call_scope* const previous_;
};

} // namespace casedoc

#endif
