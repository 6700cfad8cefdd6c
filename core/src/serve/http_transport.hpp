// The service's connections, plain HTTP or TLS (OpenSSL), served by a thread per core: each thread serves many
// connections as their bytes arrive (Boost.Asio), so that a slow or idle client costs a socket, not a thread. Boost.Beast's parser finds
// where each request ends (and enforces the header and body limits) and parses it; the service answers the
// parsed request on the thread that read it, or, when its route needs more than the parsed form (a multipart
// body, a method or path it has no direct route for), the request's bytes in memory (service::answer).
#ifndef CASEDOC_SERVE_HTTP_TRANSPORT_HPP
#define CASEDOC_SERVE_HTTP_TRANSPORT_HPP

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace casedoc {

struct transport_limits {
    size_t max_header_bytes = 64 * 1024;
    size_t max_body_bytes = 16 * 1024 * 1024;
    std::chrono::seconds read_timeout{30};  // a request must arrive whole within this
    std::chrono::seconds write_timeout{30}; // an answer must be taken within this
    std::chrono::seconds keep_alive{5};     // an idle connection is closed after this
    unsigned keep_alive_requests = 1000;    // ...and one is closed after this many requests
};

// The certificate (chain) and the private key of TLS, PEM files.
struct tls_files {
    std::string cert, key;
};

// A request as Beast parsed it, and an answer to it, for the service to answer without parsing it again.
struct parsed_request {
    std::string_view method, target;
    std::vector<std::pair<std::string_view, std::string_view>> headers;
    std::string body;
};
struct plain_answer {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

class http_transport {
public:
    // The bytes of one request, whether the connection is to close after it (the last it may carry); returns
    // the answer's bytes and sets `close` when the connection is to close after them.
    using answer_fn = std::function<std::string(std::string_view request, bool last, bool& close)>;
    // The answer to a request from its parsed form, or none when it must be answered from its bytes (answer_fn).
    using answer_parsed_fn = std::function<std::optional<plain_answer>(parsed_request&)>;
    // The JSON body of the answer to a request that cannot be read (400, 413, 431), given its status and what
    // went wrong (counted and logged there).
    using refuse_fn = std::function<std::string(int status, const std::string& message)>;

    // Throws casedoc::error when TLS cannot start with these files.
    http_transport(transport_limits limits, const std::optional<tls_files>& tls, answer_fn answer,
                   answer_parsed_fn answer_parsed, refuse_fn refuse);
    ~http_transport();
    http_transport(const http_transport&) = delete;
    http_transport& operator=(const http_transport&) = delete;

    // Listens on host:port (0: any free port); returns the port, or -1 when it cannot.
    int bind(const std::string& host, int port);
    // Answers the bytes of one request as a connection would (Beast's parse, then the service), in this thread
    // and without a socket, and returns the answer's bytes; none for bytes that do not end a request.
    std::string answer_once(std::string_view request);
    // Serves connections on `threads` threads (this one among them) until stop(), then returns when the
    // requests being answered are answered.
    void run(unsigned threads);
    // Stops accepting and closes the connections once their request in hand is answered. Any thread.
    void stop();

private:
    struct impl;
    std::unique_ptr<impl> p_;
};

} // namespace casedoc

#endif
