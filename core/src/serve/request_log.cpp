#include "request_log.hpp"

#include <casedoc/base/utc_time.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

namespace casedoc {

namespace {

thread_local request_log::entry this_request;

constexpr size_t write_soon = 64 * 1024;          // this much pending is written now, not at the next tick
constexpr std::chrono::milliseconds tick{50};     // else lines wait at most this long

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
    nlohmann::ordered_json line;
    line["time"] = utc_timestamp(std::chrono::system_clock::now(), true);
    line["method"] = method;
    line["route"] = e.route.empty() ? "(no such route)" : std::move(e.route);
    line["status"] = status;
    line["duration_ms"] = std::round(ms * 1000) / 1000;
    line["token"] = std::move(e.token);
    line["records"] = std::move(e.records);
    line["rules"] = std::move(e.rules);
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text += '\n';
    std::lock_guard lock(mutex_);
    const bool first = pending_.empty();
    pending_ += text;
    if (first || pending_.size() >= write_soon) wake_.notify_one();
}

request_log::request_log(std::ostream& out) : out_(out), writer_([this] { writer(); }) {}

request_log::~request_log() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    writer_.join();
}

void request_log::writer() {
    std::string lines;
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); }); // idle: no wake-ups
        wake_.wait_for(lock, tick, [this] { return stopping_ || pending_.size() >= write_soon; });
        lines.swap(pending_);
        const bool last = stopping_;
        lock.unlock();
        if (!lines.empty()) out_ << lines << std::flush;
        lines.clear();
        lock.lock();
        if (last && pending_.empty()) return;
    }
}

} // namespace casedoc
