// casedoc_child_welfare: the child welfare (title IV-B/IV-E) setting.
//
// Facts for the schemas (schemas/child_welfare/):
//   entered-care    the date the child is considered to have entered foster care: the earlier of the
//                   first court finding of abuse or neglect and 60 days after removal (YYYY-MM-DD);
//   months-in-care  whole months in care within the 22 months that end on the discharge or as-of date,
//                   counted from entered-care;
//   tpr-due         the day the child completes 15 months in foster care (entered-care + 15 months), by which a
//                   petition to terminate parental rights or a documented exception is due (CW-W12,
//                   45 CFR 1356.21(i)(1)(i)); "" when the child left care before it.
// Both are "" when the record is not a case record or lacks the dates they need.
//
// Native check CW-W7-CONSULT: a child aged 14 or older on a case plan's date is consulted on the plan.
// The age differs from plan to plan, so it is computed here for each plan rather than as one fact.
// Not applicable (casedoc audit) to a record without a case plan for a child aged 14 or older.
//
// Nothing here logs names, birth dates or narrative: findings carry the record's text only through
// the host's report call.
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/plugin_api/casedoc_plugin.hpp>
#include <casedoc/plugin_api/casedoc_record.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

namespace {

using casedoc::sdk::context;
using casedoc::sdk::day_of;
using casedoc::sdk::first_event_date;
using casedoc::sdk::for_each_note;
using casedoc::sdk::is_case_record;
using casedoc::sdk::node;

// The earliest court-hearing note that records a finding of abuse or neglect.
std::optional<int64_t> first_abuse_neglect_finding(const node &record) {
    std::optional<int64_t> first;
    for (node note : record.child("notes").children("note")) {
        if (note.attr("type") != "court-hearing")
            continue;
        bool found = false;
        for (node finding : note.child("hearing").children("finding"))
            if (finding.attr("code") == "abuse-neglect")
                found = true;
        if (!found)
            continue;
        const auto day = day_of(note.attr("service-at"));
        if (day && (!first || *day < *first))
            first = day;
    }
    return first;
}

std::optional<int64_t> entered_care(const node &record) {
    const auto removal = first_event_date(record, "removal");
    const auto finding = first_abuse_neglect_finding(record);
    std::optional<int64_t> entered;
    if (removal)
        entered = *removal + 60;
    if (finding && (!entered || *finding < *entered))
        entered = finding;
    return entered;
}

// The end of the period in care under review: the discharge date, or the record's as-of date.
std::optional<int64_t> end_of_care(const node &record) {
    if (const auto discharge = first_event_date(record, "discharge"))
        return discharge;
    return day_of(record.attr("as-of"));
}

// Whole calendar months from `from` to `to`, from <= to (2024-01-20 to 2024-03-19 is 1 month): the months
// between their calendar months, less one when the day of `from` has not come round again by `to`.
int whole_months(int64_t from, int64_t to) {
    const casedoc::civil_date f = casedoc::civil_from_days(from), t = casedoc::civil_from_days(to);
    const int months = (t.year - f.year) * 12 + (static_cast<int>(t.month) - static_cast<int>(f.month));
    return casedoc::add_months(from, months) <= to ? months : months - 1;
}

void derive_facts(const context &cx) {
    const node root = cx.root();
    std::string entered, months, tpr_due;
    if (is_case_record(root)) {
        const auto start = entered_care(root);
        const auto end = end_of_care(root);
        if (start)
            entered = casedoc::format_date(*start);
        if (start && end) {
            const int64_t window_start = casedoc::add_months(*end, -22);
            const int64_t from = std::max(*start, window_start);
            months = std::to_string(from > *end ? 0 : std::min(whole_months(from, *end), 22));
        }
        // One episode in care (the record has one removal): 15 of the most recent 22 months are reached 15 months
        // after entering care, unless the child was discharged first.
        if (start) {
            const int64_t due = casedoc::add_months(*start, 15);
            const auto discharge = first_event_date(root, "discharge");
            if (!discharge || due <= *discharge)
                tpr_due = casedoc::format_date(due);
        }
    }
    cx.set_fact("entered-care", entered);
    cx.set_fact("months-in-care", months);
    cx.set_fact("tpr-due", tpr_due);
}

// Checks one case plan; returns whether CW-W7-CONSULT applies to it: a plan for a child aged 14 or older
// on the plan date, or one whose age cannot be told (unreadable dates, reported by other rules).
bool check_plan_consultation(const context &cx, const node &note, const node &record_client) {
    node client = note.child("client");
    if (!client)
        client = record_client;
    const auto birth = casedoc::parse_date(client.attr("birth-date"));
    const auto on = day_of(note.attr("service-at"));
    if (!birth || !on)
        return true; // CW-W15-BIRTH-DATE and X2-SERVICE-AT report bad dates
    if (casedoc::years_between(*birth, *on) < 14)
        return false;
    const node plan = note.child("case-plan");
    if (!plan)
        return true; // CW-W5-WRITTEN reports a plan without content
    const node consultation = plan.child("child-consultation");
    if (consultation && consultation.attr("consulted") == "true")
        return true;
    cx.report("CW-W7-CONSULT", consultation ? consultation : plan,
              "The child was 14 or older on the case plan date (" + casedoc::format_date(*on) +
                  ") but is not documented as consulted on the plan (child-consultation consulted=\"true\").");
    return true;
}

// Not applicable to a record without a case plan for a child aged 14 or older on the plan date.
void check_w7_consult(const context &cx) {
    const node root = cx.root();
    const node record_client = root.child("client");
    bool applies = false;
    for_each_note(root, "case-plan",
                  [&](const node &note) { applies = check_plan_consultation(cx, note, record_client) || applies; });
    if (!applies)
        cx.not_applicable("CW-W7-CONSULT");
}

} // namespace

CASEDOC_CHECK_FUNCTION(casedoc_child_welfare_derive_facts, derive_facts)
CASEDOC_CHECK_FUNCTION(casedoc_child_welfare_check_w7_consult, check_w7_consult)

namespace {

constexpr const char *document_types[] = {"case-record", "caseworker-visit", "case-plan", "court-hearing", nullptr};
constexpr const char *fact_names[] = {"entered-care", "months-in-care", "tpr-due", nullptr};
constexpr const char *w7_document_types[] = {"case-record", "case-plan", nullptr};

constexpr casedoc_check checks[] = {
    {"CW-W7-CONSULT", CASEDOC_SEVERITY_ERROR, "42 U.S.C. 675(1)(B)",
     "Child aged 14 or older consulted on the case plan", w7_document_types,
     &casedoc_child_welfare_check_w7_consult},
};

constexpr casedoc_plugin_descriptor descriptor = {
    .struct_size = sizeof(casedoc_plugin_descriptor),
    .abi_major = CASEDOC_PLUGIN_ABI_MAJOR,
    .abi_minor = CASEDOC_PLUGIN_ABI_MINOR,
    .id = "child_welfare",
    .name = "Child welfare (title IV-B/IV-E)",
    .version = "1.0.0",
    .document_types = document_types,
    .fact_names = fact_names,
    .derive_facts = &casedoc_child_welfare_derive_facts,
    .checks = checks,
    .check_count = sizeof(checks) / sizeof(checks[0]),
    .exports = nullptr, // ABI 1.1: the setting has no export
    .export_count = 0,
};

} // namespace

CASEDOC_PLUGIN_DEFINE(descriptor)
