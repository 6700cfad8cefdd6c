#include "due_route.hpp"

#include <casedoc/base/error.hpp>
#include <casedoc/due/due_calendar.hpp>
#include <casedoc/due/due_formats.hpp>
#include <casedoc/due/due_pdf.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>

#include <sstream>

namespace casedoc::detail {

namespace {

std::string param(const httplib::Request& req, const char* name, const char* fallback = "") {
    return req.has_param(name) ? req.get_param_value(name) : fallback;
}

} // namespace

due_query read_due_query(const httplib::Request& req) {
    due_query q;
    const std::string as_of = param(req, "as_of");
    if (as_of.empty()) q.options.as_of = local_today();
    else if (const auto day = parse_date(as_of)) q.options.as_of = *day;
    else throw error("", "as_of '" + as_of + "': expected a date, YYYY-MM-DD");
    try {
        q.options.within = parse_within(param(req, "within", "14d"));
    } catch (const error&) {
        throw error("", "within '" + param(req, "within") + "': expected days (14d, 14) or weeks (2w)");
    }
    const std::string all = param(req, "all", "false");
    if (all != "true" && all != "false") throw error("", "all '" + all + "': true or false");
    q.options.all = all == "true";
    q.options.worker = param(req, "worker");
    q.options.office = param(req, "office");
    q.format = param(req, "format", "json");
    if (q.format != "json" && q.format != "csv" && q.format != "ics" && q.format != "pdf")
        throw error("", "format '" + q.format + "': json, csv, ics or pdf");
    if (q.format == "ics" && q.options.worker.empty())
        throw error("", "format ics answers one worker's calendar: give worker=ID");
    return q;
}

void answer_due(const due_list& list, const due_query& query, const template_catalog& templates,
                httplib::Response& res) {
    res.status = list.problems.empty() ? 200 : 422;
    if (query.format == "pdf") {
        res.set_content(render_due_pdf(list, &templates), "application/pdf");
        res.set_header("Content-Disposition", "attachment; filename=\"due.pdf\"");
    } else if (query.format == "ics") {
        res.set_content(due_calendar(list, query.options.worker), "text/calendar; charset=utf-8");
    } else if (query.format == "csv") {
        std::ostringstream out;
        write_due_csv(list, out);
        res.set_content(out.str(), "text/csv; charset=utf-8");
    } else {
        res.set_content(due_json(list), "application/json");
    }
}

} // namespace casedoc::detail
