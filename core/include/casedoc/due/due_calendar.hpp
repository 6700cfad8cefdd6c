// A due list as iCalendar (RFC 5545, written by libical): one calendar per worker, a VTODO per item (DUE,
// SUMMARY with the rule and record id, DESCRIPTION with the title and citation), with a UID that stays the same
// from run to run so that a calendar program updates its to-do instead of adding another. No client name or id.
#ifndef CASEDOC_DUE_DUE_CALENDAR_HPP
#define CASEDOC_DUE_DUE_CALENDAR_HPP

#include <casedoc/due/due_list.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace casedoc {

// The calendar of one worker's items ("" for the items without a worker).
std::string due_calendar(const due_list& list, const std::string& worker);
// The workers that have items, sorted ("" for items without a worker).
std::vector<std::string> due_workers(const due_list& list);
// The file name of a worker's calendar: WORKER.ics ("no-worker.ics" for ""); throws casedoc::error for a worker id
// that cannot be a file name (a slash, or a leading dot).
std::string due_calendar_file(const std::string& worker);
// Writes DIR/WORKER.ics for every worker with items, each whole or not at all; returns the files written.
std::vector<std::filesystem::path> write_due_calendars(const due_list& list, const std::filesystem::path& dir);

} // namespace casedoc

#endif
