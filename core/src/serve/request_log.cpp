#include "request_log.hpp"

#include <casedoc/base/utc_time.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace casedoc {

namespace {

thread_local request_log::entry this_request;

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

void request_log::write(const std::string& method, int status) {
    entry e = std::move(this_request);
    this_request = entry{};
    std::sort(e.rules.begin(), e.rules.end());
    e.rules.erase(std::unique(e.rules.begin(), e.rules.end()), e.rules.end());
    const double ms = e.seconds() * 1000;
    nlohmann::ordered_json line = {{"time", utc_timestamp(std::chrono::system_clock::now(), true)},
                                   {"method", method},
                                   {"route", e.route.empty() ? "(no such route)" : e.route},
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
