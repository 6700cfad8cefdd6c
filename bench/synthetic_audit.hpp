// A deterministic synthetic audit.json (casedoc-audit/1, docs/audit-report.md) of any size, for the audit PDF
// benchmark and the large-report test: two settings, 40 workers, 6 offices, 30 items per setting, about 20%
// of item ratings not met, findings whose evidence rows add up to `evidence` in all.
#ifndef CASEDOC_BENCH_SYNTHETIC_AUDIT_HPP
#define CASEDOC_BENCH_SYNTHETIC_AUDIT_HPP

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <random>
#include <string>

namespace casedoc::bench {

inline std::string synthetic_audit_json(size_t cases, size_t evidence, unsigned seed = 20251231) {
    using json = nlohmann::json;
    std::mt19937_64 rng(seed);
    const char* settings[] = {"child_welfare", "hospital"};
    const char* offices[] = {"Central", "East", "Harbor", "North", "South", "West"};
    const size_t items_per_setting = 30, workers = 40;
    auto rid = [](const char* prefix, size_t n) {
        char b[32];
        std::snprintf(b, sizeof b, "%s-%07zu", prefix, n);
        return std::string(b);
    };
    json doc;
    doc["format"] = "casedoc-audit/1";
    doc["generator"] = "casedoc 0.4.0";
    doc["scope"] = {{"title", "Statewide caseload review"},
                    {"period", {{"from", "2025-01-01"}, {"to", "2025-12-31"}}},
                    {"reviewer", "Synthetic Reviewer"},
                    {"settings", {"child_welfare", "hospital"}},
                    {"rule_sets", json::array({{{"setting", "child_welfare"}, {"version", "2024.1"}, {"effective_from", "2024-01-01"},
                                                {"effective_to", nullptr}, {"cases", cases / 2}},
                                               {{"setting", "hospital"}, {"version", "2019.2"}, {"effective_from", "2019-11-29"},
                                                {"effective_to", nullptr}, {"cases", cases - cases / 2}}})},
                    {"pseudonymised_workers", true}};
    doc["universe"] = {{"definition", "case records whose as-of date falls in 2025-01-01..2025-12-31"},
                       {"files", cases + 10}, {"in_universe", cases}, {"eliminated", 8}, {"unreadable", 2}};
    doc["sample"] = {{"method", "all"}, {"seed", seed}, {"size", cases}};
    doc["eliminated"] = json::array();
    for (int i = 0; i < 8; ++i)
        doc["eliminated"].push_back({{"file", "in/old-" + std::to_string(i) + ".xml"}, {"record_id", rid("OLD", size_t(i))},
                                     {"reason", "as-of 2024-12-31 is outside the period"}});
    doc["unreadable"] = {{{"file", "in/broken-1.xml"}, {"line", 3}, {"column", 9}, {"message", "malformed XML: unclosed tag"}},
                         {{"file", "in/broken-2.xml"}, {"line", 1}, {"column", 1}, {"message", "not a casedoc record"}}};

    struct tally {
        long long applicable = 0, met = 0, na = 0;
        std::vector<size_t> not_met; // case indexes
    };
    std::vector<tally> items(2 * items_per_setting);
    struct group {
        long long cases = 0, cases_met = 0, applicable = 0, met = 0;
    };
    std::map<std::string, group> by[4];
    json case_list = json::array();
    long long total_ap = 0, total_met = 0, cases_met = 0;
    std::vector<json> case_objs;
    for (size_t c = 0; c < cases; ++c) {
        const size_t s = c % 2;
        char worker[16];
        std::snprintf(worker, sizeof worker, "W-%08llx", (unsigned long long)((c % workers) * 2654435761u & 0xFFFFFFFFu));
        const std::string office = offices[(c / 2) % 6], month = "2025-" + std::string(c % 12 < 9 ? "0" : "") + std::to_string(c % 12 + 1);
        json nm = json::array();
        long long ap = 0, met = 0;
        bool outcome = true;
        for (size_t i = 0; i < items_per_setting; ++i) {
            tally& t = items[s * items_per_setting + i];
            const unsigned x = unsigned(rng() % 100);
            if (x < 15) {
                ++t.na;
                continue;
            }
            ++ap;
            ++t.applicable;
            if (x < 15 + 1 + i % 7) { // items differ: 1..7 % not met
                t.not_met.push_back(c);
                nm.push_back((s ? "HOSP-H" : "CW-W") + std::to_string(i + 1));
                if (i % 5 != 4) outcome = false; // every fifth item is a warning
            } else {
                ++met;
                ++t.met;
            }
        }
        total_ap += ap;
        total_met += met;
        cases_met += outcome;
        const std::string keys[4] = {worker, office, month, settings[s]};
        for (int k = 0; k < 4; ++k) {
            group& g = by[k][keys[k]];
            ++g.cases;
            g.cases_met += outcome;
            g.applicable += ap;
            g.met += met;
        }
        case_list.push_back({{"record_id", rid(s ? "HOSP" : "CW", c)}, {"file", "in/" + rid(s ? "HOSP" : "CW", c) + ".xml"},
                             {"setting", settings[s]}, {"schema_version", s ? "2019.2" : "2024.1"}, {"worker", worker},
                             {"office", office}, {"as_of", month + "-28"}, {"month", month}, {"stratum", "all"},
                             {"outcome", outcome ? "met" : "not_met"}, {"applicable", ap}, {"met", met}, {"not_met", nm}});
    }
    auto rate = [](long long met, long long ap) { return ap ? json(double(met * 10000 / ap) / 10000.0) : json(nullptr); };
    doc["summary"] = {{"cases", cases}, {"cases_met", cases_met}, {"case_rate", rate(cases_met, (long long)cases)},
                      {"items_applicable", total_ap}, {"items_met", total_met}, {"item_rate", rate(total_met, total_ap)}};
    json item_list = json::array(), findings = json::array(), actions = json::array();
    size_t evidence_left = evidence, error_findings = 0, warning_findings = 0;
    for (size_t k = 0; k < items.size(); ++k) {
        const size_t s = k / items_per_setting, i = k % items_per_setting;
        const std::string id = (s ? "HOSP-H" : "CW-W") + std::to_string(i + 1);
        const std::string severity = i % 5 == 4 ? "warning" : "error";
        const std::string title = "Synthetic requirement " + std::to_string(i + 1) + " of the " + settings[s] +
                                  " rule set must be documented in the case record within the time the policy allows.";
        const tally& t = items[k];
        item_list.push_back({{"rule_id", id}, {"setting", settings[s]}, {"title", title}, {"citation", "Synthetic Code § " + std::to_string(100 + i)},
                             {"severity", severity}, {"kind", "assert"}, {"applicable", t.applicable}, {"met", t.met},
                             {"not_met", t.not_met.size()}, {"not_applicable", t.na}, {"rate", rate(t.met, t.applicable)}});
        if (t.not_met.empty()) continue;
        json ev = json::array();
        const size_t share = std::min(t.not_met.size(), evidence / items.size() + (evidence_left > 0 && k == items.size() - 1 ? evidence_left : 0));
        for (size_t e = 0; e < share && evidence_left > 0; ++e, --evidence_left) {
            const json& c = case_list[t.not_met[e]];
            ev.push_back({{"record_id", c["record_id"]}, {"file", c["file"]}, {"line", 10 + e % 400}, {"element", "case-record"},
                          {"worker", c["worker"]}, {"office", c["office"]}, {"as_of", c["as_of"]},
                          {"narrative", "Requirement " + std::to_string(i + 1) + " is not documented: no entry dated on or before " +
                                            c["as_of"].get<std::string>() + " (" + std::to_string(e % 30 + 1) + " days late)."}});
        }
        findings.push_back({{"rule_id", id}, {"setting", settings[s]}, {"title", title}, {"citation", "Synthetic Code § " + std::to_string(100 + i)},
                            {"severity", severity}, {"cases", t.not_met.size()}, {"applicable", t.applicable}, {"evidence", ev}});
        (severity == "error" ? error_findings : warning_findings)++;
    }
    doc["summary"]["findings"] = findings.size();
    doc["summary"]["errors"] = error_findings;
    doc["summary"]["warnings"] = warning_findings;
    int number = 0;
    for (const json& f : findings)
        if (f["severity"] == "error")
            actions.push_back({{"number", ++number}, {"rule_id", f["rule_id"]}, {"citation", f["citation"]}, {"severity", "error"},
                               {"headline", f["rule_id"].get<std::string>() + " is not documented as required"},
                               {"finding", "The agency is not in compliance with " + f["citation"].get<std::string>() + " because " +
                                               std::to_string(f["cases"].get<long long>()) + " of " +
                                               std::to_string(f["applicable"].get<long long>()) + " applicable cases did not meet it."},
                               {"action", ""}, {"owner", ""}, {"due", ""}});
    doc["items"] = std::move(item_list);
    const char* kinds[] = {"worker", "office", "month", "setting"};
    for (int k = 0; k < 4; ++k) {
        json list = json::array();
        for (const auto& [key, g] : by[k])
            list.push_back({{"key", key}, {"cases", g.cases}, {"cases_met", g.cases_met}, {"applicable", g.applicable}, {"met", g.met},
                            {"rate", rate(g.met, g.applicable)}});
        doc["rollups"][kinds[k]] = std::move(list);
    }
    doc["timeliness"] = json::array();
    doc["findings"] = std::move(findings);
    doc["corrective_actions"] = std::move(actions);
    doc["cases"] = std::move(case_list);
    return doc.dump();
}

} // namespace casedoc::bench

#endif
