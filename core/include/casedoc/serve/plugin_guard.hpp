// casedoc serve --isolate-plugins: a plugin that crashes on a record must not take the service down. Before
// the service checks a record in its own process, a worker process (the casedoc program started again as
// `serve ... --plugin-worker`, with the same plugins, schemas and policy values) checks it first. A worker
// that dies on it is reported ("plugin crashed (SIGSEGV)"), the record is answered with a 500 naming it and
// its plugin, and the worker is replaced; a record that the worker survived is checked by the service as
// usual. The service's answers do not change; the cost is a second check of every record (docs/service.md).
#ifndef CASEDOC_SERVE_PLUGIN_GUARD_HPP
#define CASEDOC_SERVE_PLUGIN_GUARD_HPP

#include <casedoc/serve/service.hpp>

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc {

class plugin_guard {
public:
    // `worker_command`: the program and its arguments that start a worker (reading requests on its standard
    // input, answering on its standard output). At most `workers` run at once; they are started as needed.
    plugin_guard(std::vector<std::string> worker_command, unsigned workers);
    ~plugin_guard();
    plugin_guard(const plugin_guard&) = delete;
    plugin_guard& operator=(const plugin_guard&) = delete;

    // Checks the record in a worker of set `generation` (workers of an older set are replaced). nullopt when
    // the worker survived it; otherwise how it died ("crashed (SIGSEGV)", "exited with status 2").
    std::optional<std::string> try_record(std::string_view name, std::string_view text, uint64_t generation);

private:
    struct worker {
        pid_t pid = -1;
        int fd = -1; // a socket to the worker (send() with MSG_NOSIGNAL: a dead worker is no SIGPIPE)
        uint64_t generation = 0;
    };
    worker start(uint64_t generation) const;
    static std::string stop(worker& w); // how it ended

    const std::vector<std::string> command_;
    const unsigned max_;
    std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<worker> idle_;
    unsigned running_ = 0;
};

// The worker's side: loads the set with `load`, then checks each record it is sent until its input ends.
// Returns the exit status.
int run_plugin_worker(const service_loader& load, const std::map<std::string, std::string>& params);

} // namespace casedoc

#endif
