#include "metrics.hpp"

#include <casedoc/check/report.hpp>
#include <casedoc/check/validator.hpp>

#include <sstream>

namespace casedoc {

void metrics::request(const std::string& route, int status, double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
    latency& l = latency_[route];
    for (size_t i = 0; i < buckets.size(); ++i)
        if (seconds <= buckets[i]) ++l.counts[i];
    ++l.count;
    l.sum += seconds;
}

void metrics::record(const record_result& r) {
    std::lock_guard lock(mutex_);
    ++records_[std::string(to_string(r.status))];
    for (const finding& f : r.findings) ++findings_[std::string(to_string(f.level))];
}

std::string metrics::text(unsigned in_flight, unsigned queued) const {
    std::lock_guard lock(mutex_);
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << "# HELP casedoc_http_requests_total Requests answered, by route and status.\n"
        << "# TYPE casedoc_http_requests_total counter\n";
    for (const auto& [key, n] : requests_)
        out << "casedoc_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << '\n';
    out << "# HELP casedoc_http_request_duration_seconds Time to answer a request, by route.\n"
        << "# TYPE casedoc_http_request_duration_seconds histogram\n";
    for (const auto& [route, l] : latency_) {
        for (size_t i = 0; i < buckets.size(); ++i)
            out << "casedoc_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << buckets[i] << "\"} "
                << l.counts[i] << '\n';
        out << "casedoc_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << l.count << '\n'
            << "casedoc_http_request_duration_seconds_sum{route=\"" << route << "\"} " << l.sum << '\n'
            << "casedoc_http_request_duration_seconds_count{route=\"" << route << "\"} " << l.count << '\n';
    }
    out << "# HELP casedoc_records_total Records checked, by status.\n# TYPE casedoc_records_total counter\n";
    for (const char* status : {"compliant", "not-compliant", "error"}) {
        const auto it = records_.find(status);
        out << "casedoc_records_total{status=\"" << status << "\"} " << (it == records_.end() ? 0 : it->second) << '\n';
    }
    out << "# HELP casedoc_findings_total Findings reported, by severity.\n# TYPE casedoc_findings_total counter\n";
    for (const char* severity : {"error", "warning", "info"}) {
        const auto it = findings_.find(severity);
        out << "casedoc_findings_total{severity=\"" << severity << "\"} " << (it == findings_.end() ? 0 : it->second)
            << '\n';
    }
    out << "# HELP casedoc_http_requests_in_flight Requests being answered now.\n"
        << "# TYPE casedoc_http_requests_in_flight gauge\ncasedoc_http_requests_in_flight " << in_flight << '\n'
        << "# HELP casedoc_check_queue_depth Requests waiting for a check slot (all slots busy).\n"
        << "# TYPE casedoc_check_queue_depth gauge\ncasedoc_check_queue_depth " << queued << '\n';
    return out.str();
}

} // namespace casedoc
