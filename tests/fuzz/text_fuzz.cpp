// Target 7, the text readers: dates, date-times and timestamps (plugin_api/casedoc_date.hpp) with their
// formatting, the typed fields, deadlines and recurrences of the casedoc extension (durations, integers, booleans,
// "N days"), the audit period, --param NAME=VALUE and a record's root read from a file's head. The input's lines
// are the values. Guarantees: no crash and no exception but casedoc::error where one is documented; a date that
// parses formats back to itself, and a formatted date parses back to the same day.
#include "fuzz_support.hpp"

#include "../../core/tools/commands.hpp"
#include "extension_checks.hpp"

#include <casedoc/audit/audit.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/xml/record.hpp>

#include <vector>

namespace {

void dates(std::string_view s) {
    if (const auto d = casedoc::parse_date(s)) {
        if (casedoc::format_date(*d) != s) casedoc_fuzz::broken("a date formats differently", s);
    }
    // (An offset may move a date-time out of the years 0000 to 9999 that dates are written in.)
    constexpr int64_t first = casedoc::days_from_civil(0, 1, 1), last = casedoc::days_from_civil(9999, 12, 31);
    if (const auto t = casedoc::parse_timestamp(s); t && t->day() >= first && t->day() <= last) {
        const std::string again = casedoc::format_timestamp(*t);
        const auto back = casedoc::parse_timestamp(again);
        if (!back || back->day() != t->day()) casedoc_fuzz::broken("a timestamp formats to another day", again);
    }
    (void)casedoc::parse_date_time(s);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const bool quiet = (spdlog::set_level(spdlog::level::off), true);
    (void)quiet;
    const std::string_view input = casedoc_fuzz::as_text(data, size);
    std::vector<std::string_view> lines;
    for (size_t start = 0; start <= input.size() && lines.size() < 8;) {
        const size_t end = std::min(input.find('\n', start), input.size());
        lines.push_back(input.substr(start, end - start));
        start = end + 1;
    }
    while (lines.size() < 4) lines.emplace_back();
    for (std::string_view l : lines) dates(l);

    using namespace casedoc::detail;
    for (const char* type : {"date", "date-time", "duration", "integer", "boolean", "enum", "string"}) {
        field_spec spec;
        spec.type = type;
        spec.values = {std::string(lines[1])};
        spec.required = true;
        (void)check_field(spec, !lines[0].empty(), lines[0]);
    }
    for (const char* unit : {"calendar-days", "business-days", "hours", "calendar-months"}) {
        deadline_spec spec;
        spec.unit = unit;
        spec.within = static_cast<double>(lines[3].size() % 400);
        const std::vector<extension_window> extensions{{std::string(lines[2]), std::string(lines[3])}};
        (void)check_deadline(spec, lines[0], lines[1], extensions, lines[2], true);
        (void)check_deadline(spec, lines[0], lines[1], {}, {}, false);
    }
    recurrence_spec every;
    int n = 0;
    std::string unit;
    every.every = std::string(lines[3]);
    if (parse_every(every.every, n, unit)) {
        every.min = 1 + static_cast<int>(lines[2].size() % 3);
        (void)check_recurrence(every, lines[0], lines[1], std::vector<std::string_view>(lines.begin() + 2, lines.end()));
    }
    try {
        (void)casedoc::parse_audit_period(std::string(lines[0]));
    } catch (const casedoc::error&) {
    }
    try {
        (void)casedoc::tools::parse_params({std::string(lines[0]), std::string(lines[1])});
    } catch (const casedoc::error&) {
    }
    try {
        (void)casedoc::read_record_root(input, "fuzz.xml", std::string(lines[0].substr(0, 40)));
    } catch (const casedoc::error&) {
    }
    return 0;
}
