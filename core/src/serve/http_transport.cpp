#include "http_transport.hpp"

#include <utility> // before Boost 1.74 Asio, which uses std::exchange without it under C++20

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <casedoc/base/error.hpp>

#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <type_traits>
#include <vector>

namespace casedoc {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

// A connection, as the transport knows it to close it at stop().
class connection {
public:
    virtual ~connection() = default;
    virtual void close_when_idle() = 0;
};

// What the sessions share: the limits, the answering, and the open connections (closed at stop()).
struct shared_state {
    transport_limits limits;
    http_transport::answer_fn answer;
    http_transport::answer_parsed_fn answer_parsed;
    http_transport::refuse_fn refuse;
    std::atomic<bool> stopping{false};
    std::mutex mutex;
    std::set<std::shared_ptr<connection>> open;
};

using request_parser = http::request_parser<http::string_body>;
using response = http::response<http::string_body>;

request_parser& limit(request_parser& parser, const transport_limits& limits) {
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
    parser.eager(true);
    return parser;
}

// An answer: a response for Beast to write, or the bytes cpp-httplib wrote; whether the connection closes after.
struct reply {
    std::optional<response> message;
    std::string bytes;
    bool close = false;
};

// The answer to a request parsed whole (`raw`: its bytes): the service's from the parse, or from the bytes.
// `last`: the connection closes after it.
reply answer_request(shared_state& shared, request_parser& parser, std::string_view raw, bool last) {
    reply r;
    auto& req = parser.get();
    const auto view = [](beast::string_view v) { return std::string_view(v.data(), v.size()); };
    parsed_request parsed{view(req.method_string()), view(req.target()), {}, {}};
    for (const auto& field : req) parsed.headers.emplace_back(view(field.name_string()), view(field.value()));
    parsed.body = std::move(req.body());
    if (auto a = shared.answer_parsed(parsed)) {
        response& res = r.message.emplace(static_cast<http::status>(a->status), 11);
        for (auto& [name, value] : a->headers) res.insert(name, value);
        res.keep_alive(!last && req.keep_alive());
        res.body() = std::move(a->body);
        res.prepare_payload();
        r.close = !res.keep_alive();
    } else {
        r.close = last;
        r.bytes = shared.answer(raw, last, r.close);
        r.close = r.close || !req.keep_alive();
        // cpp-httplib answers a request with Expect: 100-continue "100 Continue" first; the client has been
        // told already (session::send_continue), or has sent its body without waiting: one is enough.
        constexpr std::string_view told = "HTTP/1.1 100 Continue\r\n\r\n";
        if (r.bytes.compare(0, told.size(), told) == 0) r.bytes.erase(0, told.size());
    }
    return r;
}

// The answer to bytes that are no request Beast can read: 413 (a body over the limit), 431 (a header over
// it) or 400; the connection closes after it.
reply refusal(shared_state& shared, beast::error_code ec) {
    const auto [status, message] = ec == http::error::body_limit     ? std::pair{413, "the request body is too large"}
                                   : ec == http::error::header_limit ? std::pair{431, "the request header is too large"}
                                                                     : std::pair{400, "malformed request"};
    reply r;
    response& res = r.message.emplace(static_cast<http::status>(status), 11);
    res.set(http::field::content_type, "application/json");
    res.set(http::field::connection, "close");
    res.set("X-Content-Type-Options", "nosniff");
    res.set(http::field::cache_control, "no-store");
    res.body() = shared.refuse(status, message);
    res.prepare_payload();
    r.close = true;
    return r;
}

// One connection (Stream: beast::tcp_stream, or beast::ssl_stream of one for TLS): reads a request's bytes
// until Beast's parser says it is whole, has it answered, writes the answer, and again while the connection is
// kept alive. Its handlers run on its strand, one at a time.
template <class Stream>
class session final : public connection, public std::enable_shared_from_this<session<Stream>> {
public:
    static constexpr bool tls = !std::is_same_v<Stream, beast::tcp_stream>;

    template <class... Args>
    session(shared_state& shared, Args&&... args) : stream_(std::forward<Args>(args)...), shared_(shared) {}

    void start() {
        if constexpr (tls) {
            socket().expires_after(shared_.limits.read_timeout);
            stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
                if (ec) return self->close();
                self->next_request();
            });
        } else {
            next_request();
        }
    }

    // At stop(): a connection waiting for a request closes now; one whose request has begun to arrive, or is
    // being answered, closes after its answer.
    void close_when_idle() override {
        asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
            if (!self->started_ && !self->answering_) self->socket().cancel();
        });
    }

    auto executor() { return stream_.get_executor(); }

private:
    beast::tcp_stream& socket() { return beast::get_lowest_layer(stream_); }

    void next_request() {
        limit(parser_.emplace(), shared_.limits);
        parsed_ = 0;
        started_ = !buffer_.empty(); // a pipelined request already began
        if (shared_.stopping && !started_) return close(); // stopping: no new request on this connection
        socket().expires_after(started_ ? shared_.limits.read_timeout : shared_.limits.keep_alive);
        continued_ = false;
        parse();
    }

    // Gives the parser what has arrived; answers when the request is whole, else reads more.
    void parse() {
        while (parsed_ < buffer_.size()) {
            beast::error_code ec;
            const size_t used = parser_->put(asio::buffer(buffer_.data() + parsed_, buffer_.size() - parsed_), ec);
            parsed_ += used;
            if (ec == http::error::need_more) break;
            if (ec) return refuse(ec);
            if (parser_->is_done()) return answer();
            if (used == 0) break;
        }
        if (parser_->is_done()) return answer(); // a request without a body may be done before any byte
        if (parser_->is_header_done() && !continued_ && beast::iequals(parser_->get()[http::field::expect], "100-continue"))
            return send_continue();
        read_more();
    }

    // A client that asked to be told before sending its body (curl does for a body over 1 MB) is told now; a
    // body too large has been refused already (413, from its Content-Length).
    void send_continue() {
        continued_ = true;
        continue_ = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
        http::async_write(stream_, *continue_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
            self->continue_.reset();
            if (ec) return self->close();
            self->read_more();
        });
    }

    void read_more() {
        constexpr size_t chunk = 16 * 1024;
        const size_t had = buffer_.size();
        // What the parser has not taken yet (a chunk line that does not end, say) stays here: bounded too.
        if (had > shared_.limits.max_header_bytes + shared_.limits.max_body_bytes + chunk)
            return refuse(http::error::body_limit);
        buffer_.resize(had + chunk);
        stream_.async_read_some(asio::buffer(buffer_.data() + had, chunk),
                                [self = this->shared_from_this(), had](beast::error_code ec, size_t n) {
                                    self->buffer_.resize(had + n);
                                    if (ec) return self->close();
                                    if (!self->started_) { // its first bytes: the whole request has this long
                                        self->started_ = true;
                                        self->socket().expires_after(self->shared_.limits.read_timeout);
                                    }
                                    self->parse();
                                });
    }

    void answer() {
        answering_ = true;
        ++served_;
        const bool last = shared_.stopping || served_ >= shared_.limits.keep_alive_requests;
        reply_ = answer_request(shared_, *parser_, std::string_view(buffer_.data(), parsed_), last);
        buffer_.erase(0, parsed_);
        write();
    }

    void refuse(beast::error_code ec) {
        answering_ = true;
        reply_ = refusal(shared_, ec);
        buffer_.clear();
        write();
    }

    void write() {
        socket().expires_after(shared_.limits.write_timeout);
        auto written = [self = this->shared_from_this()](beast::error_code ec, size_t) {
            self->answering_ = false;
            const bool then_close = self->reply_.close;
            self->reply_ = {};
            if (ec) return self->close();
            if (then_close || self->shared_.stopping) return self->linger();
            self->next_request();
        };
        if (reply_.message) http::async_write(stream_, *reply_.message, std::move(written));
        else asio::async_write(stream_, asio::buffer(reply_.bytes), std::move(written));
    }

    // After the last answer: no more to send, and what the client still sends (the rest of a body too large)
    // is read and dropped until it closes, so that closing does not reset the connection before the client has
    // read the answer. A client that neither sends nor closes is closed after the read timeout. Under TLS, the
    // TLS close is sent first.
    void linger() {
        socket().expires_after(shared_.limits.read_timeout);
        if constexpr (tls) {
            stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->close(); });
        } else {
            beast::error_code ec;
            socket().socket().shutdown(tcp::socket::shutdown_send, ec);
            buffer_.resize(16 * 1024);
            drain();
        }
    }
    void drain() {
        socket().async_read_some(asio::buffer(buffer_), [self = this->shared_from_this()](beast::error_code e, size_t) {
            if (e) return self->close();
            self->drain();
        });
    }

    void close() {
        socket().close();
        const std::lock_guard lock(shared_.mutex);
        shared_.open.erase(this->shared_from_this());
    }

    Stream stream_;
    shared_state& shared_;
    std::string buffer_; // bytes read and not yet answered (a request, perhaps the start of the next)
    size_t parsed_ = 0;  // how many of them the parser took
    std::optional<request_parser> parser_;
    reply reply_; // the answer being written
    std::shared_ptr<http::response<http::empty_body>> continue_; // "100 Continue", being written
    bool continued_ = false; // this request was told to go on
    unsigned served_ = 0;
    bool started_ = false;   // some of the request has arrived (its read timeout runs)
    bool answering_ = false; // a request is being answered or its answer written
};

} // namespace

struct http_transport::impl {
    asio::io_context io;
    tcp::acceptor acceptor{asio::make_strand(io)}; // its handlers and stop() one at a time
    std::optional<ssl::context> tls;
    shared_state shared;

    asio::steady_timer retry{acceptor.get_executor()};

    template <class Stream, class... Args>
    void start(Args&&... args) {
        auto s = std::make_shared<session<Stream>>(shared, std::forward<Args>(args)...);
        {
            const std::lock_guard lock(shared.mutex);
            shared.open.insert(s);
        }
        asio::dispatch(s->executor(), [s] { s->start(); }); // on its own strand, as every handler of it
    }

    void accept() {
        acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
            if (ec) { // closed at stop(), or out of descriptors: then again shortly (a connection may close)
                if (!acceptor.is_open()) return;
                retry.expires_after(std::chrono::milliseconds(100));
                return retry.async_wait([this](beast::error_code) { accept(); });
            }
            socket.set_option(tcp::no_delay(true), ec); // an answer goes out whole at once
            if (tls) start<beast::ssl_stream<beast::tcp_stream>>(std::move(socket), *tls);
            else start<beast::tcp_stream>(std::move(socket));
            accept();
        });
    }
};

http_transport::http_transport(transport_limits limits, const std::optional<tls_files>& tls, answer_fn answer,
                               answer_parsed_fn answer_parsed, refuse_fn refuse)
    : p_(std::make_unique<impl>()) {
    p_->shared.limits = limits;
    p_->shared.answer = std::move(answer);
    p_->shared.answer_parsed = std::move(answer_parsed);
    p_->shared.refuse = std::move(refuse);
    if (tls) {
        auto& c = p_->tls.emplace(ssl::context::tls_server);
        c.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
        beast::error_code ec;
        c.use_certificate_chain_file(tls->cert, ec);
        if (!ec) c.use_private_key_file(tls->key, ssl::context::pem, ec);
        if (ec || SSL_CTX_check_private_key(c.native_handle()) != 1)
            throw error(tls->cert, "cannot start TLS with this certificate and the key " + tls->key +
                                       " (unreadable, not PEM, or the key is not the certificate's)");
    }
}

http_transport::~http_transport() = default;

int http_transport::bind(const std::string& host, int port) {
    beast::error_code ec;
    const auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
    if (ec) return -1;
    const tcp::endpoint at(address, static_cast<unsigned short>(port));
    auto& a = p_->acceptor;
    a.open(at.protocol(), ec);
    if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) a.bind(at, ec);
    if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        a.close(ec);
        return -1;
    }
    return a.local_endpoint().port();
}

std::string http_transport::answer_once(std::string_view bytes) {
    request_parser parser;
    limit(parser, p_->shared.limits);
    beast::error_code ec;
    size_t used = 0;
    while (!ec && !parser.is_done() && used < bytes.size()) {
        const size_t n = parser.put(asio::buffer(bytes.data() + used, bytes.size() - used), ec);
        used += n;
        if (n == 0 && !ec) break;
    }
    if (ec == http::error::need_more) ec = {};
    if (!ec && !parser.is_done()) return {}; // a request that does not end: a connection would wait, then close
    reply r = ec ? refusal(p_->shared, ec) : answer_request(p_->shared, parser, bytes.substr(0, used), true);
    if (!r.message) return std::move(r.bytes);
    std::ostringstream text;
    text << *r.message;
    return text.str();
}

void http_transport::run(unsigned threads) {
    p_->accept();
    // An exception past the service's own catch (theirs answer 500) is logged, and the thread serves on.
    const auto serve = [this] {
        for (;;) {
            try {
                p_->io.run();
                return;
            } catch (const std::exception& e) {
                spdlog::error("casedoc serve: a connection failed: {}", e.what());
            }
        }
    };
    std::vector<std::thread> others;
    for (unsigned i = 1; i < threads; ++i) others.emplace_back(serve);
    serve();
    for (std::thread& t : others) t.join();
}

void http_transport::stop() {
    // Posted to the io_context's own executor, which holds nothing: a copy of the acceptor's strand made on this
    // thread would be destroyed here after the post, possibly after the last connection closed, run() returned
    // and the io_context was destroyed (ASan saw it, under load). The strand is reached from a serving thread.
    asio::post(p_->io, [this] {
        asio::dispatch(p_->acceptor.get_executor(), [this] {
            p_->shared.stopping = true;
            beast::error_code ec;
            p_->acceptor.close(ec);
            std::vector<std::shared_ptr<connection>> open;
            {
                const std::lock_guard lock(p_->shared.mutex);
                open.assign(p_->shared.open.begin(), p_->shared.open.end());
            }
            for (const auto& s : open) s->close_when_idle();
        });
    });
}

} // namespace casedoc
