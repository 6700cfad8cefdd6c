// The service's counters, in the Prometheus text exposition format (GET /metrics): requests by route and
// status, a latency histogram by route, records checked by status, findings by severity, requests in flight and
// requests waiting for a check slot (the queue).
#ifndef CASEDOC_SERVE_METRICS_HPP
#define CASEDOC_SERVE_METRICS_HPP

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace casedoc {

struct record_result;

class metrics {
public:
    // One answered request: `route` is a route of the service or "other" (never a path a client made up).
    void request(const std::string& route, int status, double seconds);
    void record(const record_result& r);
    std::string text(unsigned in_flight, unsigned queued) const;

    // Upper bounds of the latency buckets, in seconds.
    static constexpr std::array<double, 12> buckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                    0.1,   0.25,   0.5,   1,    2.5,   10};

private:
    struct latency {
        std::array<uint64_t, buckets.size()> counts{};
        uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, uint64_t> requests_;
    std::map<std::string, latency> latency_;
    std::map<std::string, uint64_t> records_;  // by status
    std::map<std::string, uint64_t> findings_; // by severity
};

} // namespace casedoc

#endif
