// A count with its noun, as summaries for people say it: "1 record", "2 records", "1 could not be checked".
#ifndef CASEDOC_BASE_COUNTED_HPP
#define CASEDOC_BASE_COUNTED_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace casedoc {

// "1 record", "0 records"; `many` when the plural is not `one` + "s" ("1 entry", "2 entries").
inline std::string counted(size_t n, std::string_view one, std::string_view many = {}) {
    std::string out = std::to_string(n) + ' ';
    if (n == 1) out += one;
    else if (many.empty()) (out += one) += 's';
    else out += many;
    return out;
}

} // namespace casedoc

#endif
