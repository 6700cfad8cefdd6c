#include <casedoc/xml/xml_chars.hpp>

#include <cctype>

namespace casedoc::detail {

bool is_ncname_start(char c) noexcept {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

bool is_ncname_char(char c) noexcept {
    return is_ncname_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.';
}

std::string normalize_space(std::string_view s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (is_xml_space(c)) {
            space = !out.empty();
        } else {
            if (space) out += ' ';
            space = false;
            out += c;
        }
    }
    return out;
}

} // namespace casedoc::detail
