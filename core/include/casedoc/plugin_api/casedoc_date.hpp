// Calendar arithmetic shared by the host and plugins (header-only, no dependencies).
// Dates are proleptic Gregorian; a date-time without a UTC offset is local time, taken as given.
#ifndef CASEDOC_DATE_HPP
#define CASEDOC_DATE_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace casedoc {

// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
constexpr int64_t days_from_civil(int y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct civil_date {
    int year = 1970;
    unsigned month = 1;
    unsigned day = 1;
};

constexpr civil_date civil_from_days(int64_t z) noexcept {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int y = static_cast<int>(yoe) + static_cast<int>(era) * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
}

constexpr bool is_leap_year(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr unsigned days_in_month(int y, unsigned m) noexcept {
    constexpr unsigned len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap_year(y) ? 29 : len[m - 1];
}

// A point in time in minutes since 1970-01-01T00:00 (local, or UTC when an offset was given).
// A plain date is its midnight; `has_time` says whether a time of day was given.
struct timestamp {
    int64_t minutes = 0;
    bool has_time = false;

    int64_t day() const noexcept { return minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440; }
    friend bool operator==(const timestamp&, const timestamp&) = default;
};

namespace detail {
inline bool read_digits(std::string_view s, size_t pos, size_t n, int& out) noexcept {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}
} // namespace detail

// Parses YYYY-MM-DD. Rejects impossible dates (2024-02-30).
inline std::optional<int64_t> parse_date(std::string_view s) noexcept {
    int y, m, d;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    if (!detail::read_digits(s, 0, 4, y) || !detail::read_digits(s, 5, 2, m) || !detail::read_digits(s, 8, 2, d))
        return std::nullopt;
    if (m < 1 || m > 12 || d < 1 || d > static_cast<int>(days_in_month(y, static_cast<unsigned>(m))))
        return std::nullopt;
    return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

// Parses YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh:mm]. With an offset the result is UTC.
inline std::optional<timestamp> parse_date_time(std::string_view s) noexcept {
    if (s.size() < 16 || s[10] != 'T' || s[13] != ':') return std::nullopt;
    auto day = parse_date(s.substr(0, 10));
    int hh, mm, ss = 0;
    if (!day || !detail::read_digits(s, 11, 2, hh) || !detail::read_digits(s, 14, 2, mm)) return std::nullopt;
    size_t pos = 16;
    if (pos < s.size() && s[pos] == ':') {
        if (!detail::read_digits(s, pos + 1, 2, ss)) return std::nullopt;
        pos += 3;
        if (pos < s.size() && s[pos] == '.') {
            ++pos;
            size_t digits = 0;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos, ++digits;
            if (digits == 0) return std::nullopt;
        }
    }
    if (hh > 24 || mm > 59 || ss > 60 || (hh == 24 && (mm != 0 || ss != 0))) return std::nullopt;
    int64_t minutes = *day * 1440 + hh * 60 + mm;
    if (pos < s.size()) {
        if (s[pos] == 'Z' && pos + 1 == s.size()) {
        } else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
            int oh, om;
            if (!detail::read_digits(s, pos + 1, 2, oh) || !detail::read_digits(s, pos + 4, 2, om) || oh > 14 ||
                om > 59)
                return std::nullopt;
            const int offset = oh * 60 + om;
            minutes += s[pos] == '+' ? -offset : offset;
        } else {
            return std::nullopt;
        }
    }
    return timestamp{minutes, true};
}

// A date or a date-time, whichever the text is.
inline std::optional<timestamp> parse_timestamp(std::string_view s) noexcept {
    if (s.size() == 10) {
        if (auto d = parse_date(s)) return timestamp{*d * 1440, false};
        return std::nullopt;
    }
    return parse_date_time(s);
}

// Whether a date-time is written with Z or an offset (+hh:mm, -hh:mm), so that parse_date_time counted it in UTC
// rather than as local wall-clock time.
inline bool written_in_utc(std::string_view s) noexcept {
    return s.size() > 16 && (s.back() == 'Z' || s[s.size() - 6] == '+' || s[s.size() - 6] == '-');
}

inline std::string format_date(int64_t days) {
    const civil_date c = civil_from_days(days);
    char buf[16];
    const int y = c.year < 0 ? 0 : (c.year > 9999 ? 9999 : c.year);
    buf[0] = static_cast<char>('0' + y / 1000);
    buf[1] = static_cast<char>('0' + y / 100 % 10);
    buf[2] = static_cast<char>('0' + y / 10 % 10);
    buf[3] = static_cast<char>('0' + y % 10);
    buf[4] = '-';
    buf[5] = static_cast<char>('0' + c.month / 10);
    buf[6] = static_cast<char>('0' + c.month % 10);
    buf[7] = '-';
    buf[8] = static_cast<char>('0' + c.day / 10);
    buf[9] = static_cast<char>('0' + c.day % 10);
    return std::string(buf, 10);
}

inline std::string format_timestamp(timestamp t) {
    std::string out = format_date(t.day());
    if (t.has_time) {
        const int64_t m = t.minutes - t.day() * 1440;
        out += 'T';
        out += static_cast<char>('0' + m / 600);
        out += static_cast<char>('0' + m / 60 % 10);
        out += ':';
        out += static_cast<char>('0' + m % 60 / 10);
        out += static_cast<char>('0' + m % 10);
    }
    return out;
}

// 0 = Monday … 6 = Sunday.
constexpr int weekday(int64_t days) noexcept { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

// Adds n business days (Monday to Friday) to a date; the anchor day itself does not count.
constexpr int64_t add_business_days(int64_t days, int64_t n) noexcept {
    while (n > 0) {
        ++days;
        if (weekday(days) < 5) --n;
    }
    return days;
}

// Adds n calendar months, clamping the day to the month's length (2024-01-31 + 1 month = 2024-02-29).
constexpr int64_t add_months(int64_t days, int n) noexcept {
    const civil_date c = civil_from_days(days);
    int64_t months = static_cast<int64_t>(c.year) * 12 + (c.month - 1) + n;
    const int y = static_cast<int>(months >= 0 ? months / 12 : (months - 11) / 12);
    const unsigned m = static_cast<unsigned>(months - static_cast<int64_t>(y) * 12) + 1;
    const unsigned d = c.day > days_in_month(y, m) ? days_in_month(y, m) : c.day;
    return days_from_civil(y, m, d);
}

// Whole years from birth to a date (an age on that date).
constexpr int years_between(int64_t birth, int64_t on) noexcept {
    const civil_date b = civil_from_days(birth), o = civil_from_days(on);
    int years = o.year - b.year;
    if (o.month < b.month || (o.month == b.month && o.day < b.day)) --years;
    return years;
}

} // namespace casedoc

#endif // CASEDOC_DATE_HPP
