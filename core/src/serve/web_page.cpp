#include "web_page.hpp"

#include "request_log.hpp"
#include "web_assets.hpp"

#include <string>

namespace casedoc {

void set_web_page_headers(httplib::Response& res) {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
                   "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY"); // frame-ancestors for browsers that predate it
    res.set_header("Cross-Origin-Opener-Policy", "same-origin");
    // X-Content-Type-Options: nosniff and Cache-Control: no-store are every answer's default headers.
}

namespace {

const web_asset* find_asset(std::string_view name) {
    for (const web_asset& a : web_assets())
        if (a.name == name) return &a;
    return nullptr;
}

void send_asset(const web_asset& a, httplib::Response& res) {
    set_web_page_headers(res);
    res.set_content(a.text.data(), a.text.size(), std::string(a.content_type).c_str());
}

} // namespace

void add_web_page_routes(httplib::Server& server) {
    server.Get("/", [](const httplib::Request&, httplib::Response& res) {
        request_log::current().route = "/";
        if (const web_asset* a = find_asset("index.html")) send_asset(*a, res);
    });
    // Only the page's own file names: letters, digits, dashes and one dot (no path, nothing else on disk).
    server.Get(R"(/app/([a-z0-9-]+\.[a-z]+))", [](const httplib::Request& req, httplib::Response& res) {
        request_log::current().route = "/app/{file}";
        const web_asset* a = req.matches[1] == "index.html" ? nullptr : find_asset(req.matches.str(1));
        if (!a) {
            res.status = 404; // the error handler writes the JSON error
            return;
        }
        send_asset(*a, res);
    });
}

} // namespace casedoc
