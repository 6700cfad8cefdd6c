// The web page for people (docs/service.md, "The web page"): GET / and its files under /app/, served from the
// program itself with a Content-Security-Policy that allows nothing but the page's own files (no inline script or
// style, no remote source, no framing). The page uses only the public /v1/ API with the token the user pastes.
#ifndef CASEDOC_SERVE_WEB_PAGE_HPP
#define CASEDOC_SERVE_WEB_PAGE_HPP

#include <httplib.h>

namespace casedoc {

// The headers of every answer of the page's routes (also in docs/service.md).
void set_web_page_headers(httplib::Response& res);

// Adds GET / and GET /app/NAME (the files of core/src/serve/web/) to the server.
void add_web_page_routes(httplib::Server& server);

} // namespace casedoc

#endif
