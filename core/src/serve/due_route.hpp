// POST /v1/due (docs/service.md): the query it takes and the answer it gives; service.cpp checks the records.
#ifndef CASEDOC_SERVE_DUE_ROUTE_HPP
#define CASEDOC_SERVE_DUE_ROUTE_HPP

#include <casedoc/due/due_list.hpp>

#include <httplib.h>

#include <string>

namespace casedoc {
class template_catalog;
}

namespace casedoc::detail {

struct due_query {
    due_options options;
    std::string format = "json"; // json, csv, ics or pdf
};

// Reads as_of, within, all, worker, office and format; throws casedoc::error saying which one is wrong.
due_query read_due_query(const httplib::Request& req);
// Answers with the list as the format asks (ics: the calendar of the query's worker; pdf: the worklist, with the
// common template of `templates`): 200, or 422 when some record could not be checked (the answer lists them, as
// the command does).
void answer_due(const due_list& list, const due_query& query, const template_catalog& templates,
                httplib::Response& res);

} // namespace casedoc::detail

#endif
