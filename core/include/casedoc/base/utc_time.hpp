// A moment as an RFC 3339 UTC timestamp: 2026-12-07T03:30:57Z, or 2026-12-07T03:30:57.120Z with milliseconds.
#ifndef CASEDOC_BASE_UTC_TIME_HPP
#define CASEDOC_BASE_UTC_TIME_HPP

#include <chrono>
#include <string>

namespace casedoc {

std::string utc_timestamp(std::chrono::system_clock::time_point t, bool milliseconds = false);

} // namespace casedoc

#endif
