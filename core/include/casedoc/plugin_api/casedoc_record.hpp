// Reading a casedoc record (docs/record-format.md) in a plugin: whether it is a case record or a note, its
// events and notes, and the day of a date or date-time. Header-only and compiled into the plugin, like
// casedoc_plugin.hpp: nothing here crosses the boundary.
#ifndef CASEDOC_RECORD_HPP
#define CASEDOC_RECORD_HPP

#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/plugin_api/casedoc_plugin.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace casedoc::sdk {

// The day (days since 1970-01-01) of a date or a date-time, as the host reads a record's dates for its
// deadlines, recurrences and the schema in force, so that a plugin and the schemas agree on every day: a
// date-time with a UTC offset falls on its day in UTC. nullopt when the value is neither (2024-02-30,
// 2024-03-05T10, 2024-03-05 10:00).
inline std::optional<int64_t> day_of(std::string_view value) noexcept {
    if (const auto t = casedoc::parse_timestamp(value)) return t->day();
    return std::nullopt;
}

// Whether the record is a case record (one client's episode: events and notes) rather than one note.
inline bool is_case_record(const node& root) { return root.name() == "case-record"; }

// The first event of `type` in a case record, or a null node.
inline node first_event(const node& record, std::string_view type) {
    for (node event : record.child("events").children("event"))
        if (event.attr("type") == type) return event;
    return {};
}

// The day of the first event of `type`: nullopt when there is none, or when its date cannot be read (a
// later event of the type does not stand in for it).
inline std::optional<int64_t> first_event_date(const node& record, std::string_view type) {
    const node event = first_event(record, type);
    return event ? day_of(event.attr("date")) : std::nullopt;
}

// The first note of `type` in a case record (its notes are in order of service), or a null node.
inline node first_note(const node& record, std::string_view type) {
    for (node note : record.child("notes").children("note"))
        if (note.attr("type") == type) return note;
    return {};
}

// Calls fn(note) for each note of `type` in the record: the record itself when it is such a note, or the
// notes of a case record.
template <typename Fn> void for_each_note(const node& root, std::string_view type, Fn&& fn) {
    if (is_case_record(root)) {
        for (node note : root.child("notes").children("note"))
            if (note.attr("type") == type) fn(note);
    } else if (root.attr("type") == type) {
        fn(root);
    }
}

// Calls fn(note) for each note in the record, whatever its type: the record itself when it is a note, or
// the notes of a case record.
template <typename Fn> void for_each_note(const node& root, Fn&& fn) {
    if (is_case_record(root)) {
        for (node note : root.child("notes").children("note")) fn(note);
    } else {
        fn(root);
    }
}

} // namespace casedoc::sdk

#endif // CASEDOC_RECORD_HPP
