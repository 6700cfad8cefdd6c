// What the caseload benchmarks measure besides their own figures: the process's peak memory and elapsed time.
#ifndef CASEDOC_BENCH_BENCH_MEASURES_HPP
#define CASEDOC_BENCH_BENCH_MEASURES_HPP

#include <sys/resource.h>

#include <chrono>

namespace casedoc::bench {

using clock_type = std::chrono::steady_clock;

// The process's peak resident memory so far, in MB.
inline double peak_mb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

inline double seconds_since(clock_type::time_point t) {
    return std::chrono::duration<double>(clock_type::now() - t).count();
}

} // namespace casedoc::bench

#endif
