#include <casedoc/base/atomic_file.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/base/sha256.hpp>
#include <casedoc/due/due_calendar.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>

#include <libical/ical.h>

#include <memory>
#include <optional>

namespace casedoc {

namespace {

struct component_deleter {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using component = std::unique_ptr<icalcomponent, component_deleter>;

icaltimetype date_of(int64_t day) {
    const civil_date c = civil_from_days(day);
    icaltimetype t = icaltime_null_date();
    t.year = c.year;
    t.month = static_cast<int>(c.month);
    t.day = static_cast<int>(c.day);
    return t;
}

// DUE: a date, or a date-time (floating local time as the record wrote it, or UTC when it gave an offset).
icaltimetype due_of(const due_item& i) {
    const auto t = parse_timestamp(i.due.back() == 'Z' ? i.due.substr(0, i.due.size() - 1) : i.due);
    if (!t || !t->has_time) return date_of(t ? t->day() : 0);
    icaltimetype out = icaltime_null_time();
    const civil_date c = civil_from_days(t->day());
    const int64_t minutes = t->minutes - t->day() * 1440;
    out.year = c.year;
    out.month = static_cast<int>(c.month);
    out.day = static_cast<int>(c.day);
    out.hour = static_cast<int>(minutes / 60);
    out.minute = static_cast<int>(minutes % 60);
    out.second = 0;
    out.is_date = 0;
    if (i.due.back() == 'Z') out.zone = icaltimezone_get_utc_timezone();
    return out;
}

// Stable across runs: what the to-do is (setting, record, rule and what it is counted from), not when it is due,
// which an agreed extension moves.
std::string uid_of(const due_item& i) {
    return sha256::hex(sha256::of(i.setting + '\n' + i.record_id + '\n' + i.rule_id + '\n' + i.anchor + '\n' +
                                  std::to_string(i.line)))
               .substr(0, 32) +
           "@casedoc";
}

// One worker's calendar, a VTODO at a time.
class calendar {
public:
    explicit calendar(int64_t as_of) : as_of_(as_of), cal_(icalcomponent_new_vcalendar()) {
        icalcomponent_add_property(cal_.get(), icalproperty_new_prodid("-//casedoc//due list//EN"));
        icalcomponent_add_property(cal_.get(), icalproperty_new_version("2.0"));
        icalcomponent_add_property(cal_.get(), icalproperty_new_calscale("GREGORIAN"));
        // DTSTAMP is required; the as-of date (midnight UTC) keeps the same input giving the same bytes.
        stamp_ = date_of(as_of);
        stamp_.is_date = 0;
        stamp_.hour = stamp_.minute = stamp_.second = 0;
        stamp_.zone = icaltimezone_get_utc_timezone();
    }

    void add(const due_item& i) {
        icalcomponent* todo = icalcomponent_new_vtodo();
        icalcomponent_add_property(todo, icalproperty_new_uid(uid_of(i).c_str()));
        icalcomponent_add_property(todo, icalproperty_new_dtstamp(stamp_));
        icalcomponent_add_property(todo, icalproperty_new_due(due_of(i)));
        icalcomponent_add_property(todo, icalproperty_new_summary((i.rule_id + " " + i.record_id).c_str()));
        std::string description = i.title + "\n" + i.citation;
        if (!i.anchor.empty()) description += "\nfrom " + i.anchor;
        if (!i.extension.empty()) description += "\nextension " + i.extension;
        description += "\n" + std::string(to_string(i.status)) + " as of " + format_date(as_of_);
        icalcomponent_add_property(todo, icalproperty_new_description(description.c_str()));
        icalcomponent_add_property(todo, icalproperty_new_status(ICAL_STATUS_NEEDSACTION));
        if (i.status == due_status::overdue) icalcomponent_add_property(todo, icalproperty_new_priority(1));
        icalcomponent_add_component(cal_.get(), todo);
    }

    std::string text() const {
        char* text = icalcomponent_as_ical_string_r(cal_.get());
        std::string out(text);
        icalmemory_free_buffer(text);
        return out;
    }

private:
    int64_t as_of_;
    component cal_;
    icaltimetype stamp_;
};

} // namespace

std::vector<std::string> due_workers(const due_list& list) {
    std::vector<std::string> workers;
    for (const auto& [w, c] : list.by_worker) workers.push_back(w);
    return workers;
}

std::string due_calendar_file(const std::string& worker) {
    if (worker.empty()) return "no-worker.ics";
    if (worker.find_first_of("/\\") != std::string::npos || worker[0] == '.')
        throw error("", "worker id '" + worker + "' cannot name a calendar file");
    return worker + ".ics";
}

std::string due_calendar(const due_list& list, const std::string& worker) {
    calendar cal(list.options.as_of);
    list.items.for_each([&](const due_item& i) {
        if (i.worker == worker) cal.add(i);
    });
    return cal.text();
}

std::vector<std::filesystem::path> write_due_calendars(const due_list& list, const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw error(dir.string(), "cannot create the directory: " + ec.message());
    for (const std::string& w : due_workers(list)) due_calendar_file(w); // every name checked before anything is written
    // The items come by worker: each worker's calendar is written when the next worker's items begin.
    std::vector<std::filesystem::path> written;
    std::optional<std::string> worker;
    std::optional<calendar> cal;
    const auto write = [&] {
        atomic_file file(dir / due_calendar_file(*worker));
        file.stream() << cal->text();
        file.commit();
        written.push_back(dir / due_calendar_file(*worker));
    };
    list.items.for_each([&](const due_item& i) {
        if (!worker || *worker != i.worker) {
            if (worker) write();
            worker = i.worker;
            cal.emplace(list.options.as_of);
        }
        cal->add(i);
    });
    if (worker) write();
    return written;
}

} // namespace casedoc
