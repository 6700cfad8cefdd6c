#include "request_log.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace casedoc {

namespace {

thread_local request_log::entry this_request;

std::string utc_now() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[40];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, int(ms));
    return out;
}

} // namespace

void request_log::begin() {
    this_request = entry{};
    this_request.start = std::chrono::steady_clock::now();
}

request_log::entry& request_log::current() { return this_request; }

double request_log::entry::seconds() const {
    if (start == std::chrono::steady_clock::time_point{}) return 0;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void request_log::write(const std::string& method, const std::string& path, int status) {
    entry e = std::move(this_request);
    this_request = entry{};
    std::sort(e.rules.begin(), e.rules.end());
    e.rules.erase(std::unique(e.rules.begin(), e.rules.end()), e.rules.end());
    const double ms = e.seconds() * 1000;
    nlohmann::ordered_json line = {{"time", utc_now()},
                                   {"method", method},
                                   {"route", path},
                                   {"status", status},
                                   {"duration_ms", std::round(ms * 1000) / 1000},
                                   {"token", e.token},
                                   {"records", e.records},
                                   {"rules", e.rules}};
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lock(mutex_);
    out_ << text << std::flush;
}

} // namespace casedoc
