// One JSON line per request: time, method, route, status, duration, token name, record ids, rule ids.
// Never a body, a query string, a client's name or note text: only what this entry holds is written.
// A request's thread only appends its line to what is pending; a thread of the log's own writes what is
// pending every 50 ms (or sooner when much is), so that a busy service makes a write per batch of lines, not
// one per request. What is pending is written when the log is destroyed (at a stop, SIGTERM included); a
// process killed outright loses at most the last 50 ms of lines.
#ifndef CASEDOC_SERVE_REQUEST_LOG_HPP
#define CASEDOC_SERVE_REQUEST_LOG_HPP

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace casedoc {

class request_log {
public:
    // What the handler answering a request adds to its line (the request is answered on one thread).
    struct entry {
        std::chrono::steady_clock::time_point start{};
        std::string route; // the route that answered ("/v1/export" for every export); empty: none did
        std::string token;
        std::vector<std::string> records, rules;
        // Since begin(); 0 when the request was refused before it began (a malformed request line).
        double seconds() const;
    };

    explicit request_log(std::ostream& out);
    ~request_log();
    request_log(const request_log&) = delete;
    request_log& operator=(const request_log&) = delete;

    // Starts the entry of the request this thread answers now.
    static void begin();
    static entry& current();
    // Writes the line of the current entry, then clears it. A request no route answered is logged as
    // "(no such route)": its path is not logged, since a client may put anything in a URL.
    void write(const std::string& method, int status);

private:
    void writer();

    std::ostream& out_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::string pending_; // lines not yet written
    bool stopping_ = false;
    std::thread writer_;
};

} // namespace casedoc

#endif
