#include <casedoc/base/finding.hpp>

#include <algorithm>

namespace casedoc {

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        return lower(x) == lower(y);
    });
}

} // namespace

std::string_view to_string(severity s) noexcept {
    switch (s) {
    case severity::info: return "info";
    case severity::warning: return "warning";
    case severity::error: return "error";
    }
    return "error";
}

severity severity_from_role(std::string_view role) noexcept {
    if (equals_ignoring_case(role, "warning") || equals_ignoring_case(role, "warn")) return severity::warning;
    if (equals_ignoring_case(role, "info") || equals_ignoring_case(role, "information")) return severity::info;
    return severity::error; // "error", "fatal", "" and roles casedoc does not know
}

} // namespace casedoc
