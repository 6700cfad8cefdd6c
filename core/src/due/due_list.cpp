#include <casedoc/base/error.hpp>
#include <casedoc/check/batch.hpp>
#include <casedoc/due/due_list.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <ctime>

namespace casedoc {

std::string_view to_string(due_status s) noexcept {
    switch (s) {
    case due_status::overdue: return "overdue";
    case due_status::due: return "due";
    default: return "upcoming";
    }
}

int64_t local_today() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return days_from_civil(local.tm_year + 1900, static_cast<unsigned>(local.tm_mon + 1),
                           static_cast<unsigned>(local.tm_mday));
}

int64_t parse_within(const std::string& text) {
    int64_t n = -1;
    const char* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, n);
    const std::string_view unit(p, static_cast<size_t>(end - p));
    if (ec != std::errc() || n < 0 || !(unit.empty() || unit == "d" || unit == "w"))
        throw error("", "--within '" + text + "': expected days (14d, 14) or weeks (2w)");
    return unit == "w" ? n * 7 : n;
}

void due_list::add(const record_result& r) {
    if (r.status == record_status::error) {
        problems.push_back({r.file, r.error_line, r.error_column, r.error});
        return;
    }
    if (r.document_type != "case-record") {
        ++not_case_records;
        return;
    }
    if ((!options.worker.empty() && r.worker != options.worker) ||
        (!options.office.empty() && r.office != options.office))
        return;
    ++records;
    for (const due_measure& m : r.due) {
        // A rule whose own period ended before the review date (the case was closed: discharge, release, exit)
        // has nothing more to do; what it missed is still reported, as validation does.
        const auto ends = parse_timestamp(m.ends);
        const bool closed = !m.ends.empty() && ends && ends->day() < options.as_of;
        if (!m.failed && closed) continue;
        const int64_t day = m.hours ? timestamp{m.due, true}.day() : m.due;
        due_item item;
        item.days_left = day - options.as_of;
        if (m.failed) item.status = due_status::overdue;
        else if (item.days_left <= options.within) item.status = due_status::due;
        else if (options.all) item.status = due_status::upcoming;
        else continue;
        item.record_id = r.record_id;
        item.client_id = r.client_id;
        item.worker = r.worker;
        item.office = r.office;
        item.setting = r.setting;
        item.rule_id = m.rule_id;
        item.title = m.title;
        item.citation = m.citation;
        item.due = m.hours ? format_timestamp({m.due, true}) + (m.utc ? "Z" : "") : format_date(m.due);
        item.anchor = m.anchor;
        item.extension = m.extension;
        item.file = r.file;
        item.line = m.line;
        item.order = m.hours ? m.due : m.due * 1440 + 1439;
        const auto status = static_cast<size_t>(item.status);
        ++totals[status];
        ++by_worker[item.worker][status];
        auto& rule = by_rule[item.rule_id];
        if (rule.first.empty()) rule.first = item.title;
        ++rule.second[status];
        items.add(std::move(item));
    }
}

void due_list::finish() { items.finish(); }

due_list compute_due(const std::vector<std::string>& files, const plugin_host& plugins,
                     const schema_catalog& schemas, const due_options& options,
                     const std::map<std::string, std::string>& params, unsigned jobs) {
    due_list list;
    list.options = options;
    list.items = due_store(options.run_items);
    validator_options vo;
    vo.params = params;
    vo.as_of = format_date(options.as_of);
    vo.due = true;
    run_batch(files, jobs, plugins, schemas, vo, [&](record_result&& r) {
        if (r.status == record_status::error) spdlog::debug("{}: could not check", r.file);
        list.add(r);
    });
    list.finish();
    return list;
}

} // namespace casedoc
