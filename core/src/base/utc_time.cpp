#include <casedoc/base/utc_time.hpp>

#include <cstdio>
#include <ctime>

namespace casedoc {

std::string utc_timestamp(std::chrono::system_clock::time_point t, bool milliseconds) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out = buf;
    if (milliseconds) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
        char frac[8];
        std::snprintf(frac, sizeof frac, ".%03d", int(ms));
        out += frac;
    }
    return out + "Z";
}

} // namespace casedoc
