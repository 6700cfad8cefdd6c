#include <casedoc/due/due_formats.hpp>
#include <casedoc/plugin/export.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <optional>
#include <sstream>

namespace casedoc {

namespace {

const std::array<const char*, 15> columns = {"record_id", "client_id", "worker",    "office",   "setting",
                                             "rule_id",   "title",     "citation",  "due",      "days_left",
                                             "status",    "anchor",    "extension", "file",     "line"};

std::string days_text(int64_t d) {
    if (d == 0) return "today";
    const int64_t n = d < 0 ? -d : d;
    const std::string days = std::to_string(n) + (n == 1 ? " day" : " days");
    return d < 0 ? days + " late" : "in " + days;
}

} // namespace

void write_due_text(const due_list& list, std::ostream& out) {
    out << "Due as of " << format_date(list.options.as_of) << " (window " << list.options.within << " days): "
        << list.totals[0] << " overdue, " << list.totals[1] << " due";
    if (list.options.all) out << ", " << list.totals[2] << " upcoming";
    out << " in " << list.records << (list.records == 1 ? " case record" : " case records") << "\n";
    std::optional<std::string> worker;
    list.items.for_each([&](const due_item& i) {
        if (!worker || *worker != i.worker) {
            worker = i.worker;
            out << "\n" << (i.worker.empty() ? "(no worker)" : i.worker) << "\n";
        }
        out << "  " << to_string(i.status) << std::string(9 - to_string(i.status).size(), ' ') << i.due << "  ("
            << days_text(i.days_left) << ")  " << i.record_id << "  " << i.rule_id << ": " << i.title;
        if (!i.anchor.empty()) out << " [from " << i.anchor << "]";
        if (!i.extension.empty()) out << " [extension " << i.extension << "]";
        out << "  " << i.file << ":" << i.line << "\n";
    });
    if (list.items.empty()) out << "\nNothing due.\n";
}

void write_due_json(const due_list& list, std::ostream& out) {
    // One item per line, written as it is made: a list can hold hundreds of thousands of items, and a whole
    // document tree of them would hold several times their size.
    out << "{\"as_of\":\"" << format_date(list.options.as_of) << "\",\"within_days\":" << list.options.within
        << ",\"items\":[";
    const char* sep = "\n";
    list.items.for_each([&](const due_item& i) {
        const nlohmann::ordered_json item = {
            {"record_id", i.record_id}, {"client_id", i.client_id}, {"worker", i.worker},
            {"office", i.office},       {"setting", i.setting},     {"rule_id", i.rule_id},
            {"title", i.title},         {"citation", i.citation},   {"due", i.due},
            {"days_left", i.days_left}, {"status", std::string(to_string(i.status))},
            {"anchor", i.anchor},
            {"extension", i.extension.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(i.extension)},
            {"file", i.file},           {"line", i.line}};
        out << sep << item.dump();
        sep = ",\n";
    });
    nlohmann::ordered_json workers = nlohmann::ordered_json::object();
    for (const auto& [w, c] : list.by_worker) workers[w] = {{"overdue", c[0]}, {"due", c[1]}, {"upcoming", c[2]}};
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const due_problem& p : list.problems)
        problems.push_back({{"file", p.file}, {"line", p.line}, {"column", p.column}, {"message", p.message}});
    const nlohmann::ordered_json summary = {{"case_records", list.records},
                                            {"other_records", list.not_case_records},
                                            {"overdue", list.totals[0]},
                                            {"due", list.totals[1]},
                                            {"upcoming", list.totals[2]},
                                            {"by_worker", std::move(workers)},
                                            {"not_checked", std::move(problems)}};
    out << (list.items.empty() ? "" : "\n") << "],\n\"summary\":" << summary.dump() << "}\n";
}

std::string due_json(const due_list& list) {
    std::ostringstream out;
    write_due_json(list, out);
    return out.str();
}

void write_due_csv(const due_list& list, std::ostream& out) {
    write_delimited_row(out, std::vector<std::string>(columns.begin(), columns.end()), ',');
    list.items.for_each([&](const due_item& i) {
        write_delimited_row(out,
                            {i.record_id, i.client_id, i.worker, i.office, i.setting, i.rule_id, i.title, i.citation,
                             i.due, std::to_string(i.days_left), std::string(to_string(i.status)), i.anchor,
                             i.extension, i.file, std::to_string(i.line)},
                            ',');
    });
}

} // namespace casedoc
