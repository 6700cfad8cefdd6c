// casedoc_hospital: hospital discharge planning and discharge records (42 CFR 482.43, 482.24(c),
// 405.1205).
//
// Facts for the schemas (schemas/hospital/), all "" when the record is not a case record or lacks
// the dates they need:
//   admitted-at       the first admission event's date and time (YYYY-MM-DDThh:mm); without a valid
//                     time, the start of the admission day;
//   discharged-at     the first discharge event's date and time; without a valid time, the end of the
//                     discharge day (23:59);
//   im-followup-from  for a Medicare beneficiary (admission payer medicare or medicare-advantage) whose
//                     first Important Message was delivered more than 2 calendar days before the
//                     discharge date: the first date (discharge date - 2 days) on which the follow-up
//                     copy may be delivered. A follow-up copy is not required when the first notice
//                     falls within 2 calendar days of discharge.
//
// Native check HOSP-H6: after each condition-change event, the discharge plan is re-evaluated and
// updated before discharge: a discharge-plan note, or a progress note with a plan-update (outcome
// revised or confirmed), whose service-at is at or after the change and at or before discharge. In an
// episode that is still open the update is due by the record's as-of date; a change on the as-of day
// itself is not yet due. Dates are compared as written (local time). Not applicable (casedoc audit) to a
// record without a condition-change event, or whose only changes are on the as-of day (not yet due).
//
// Nothing here logs: findings carry the record's dates only through the host's report call.
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/plugin_api/casedoc_plugin.hpp>
#include <casedoc/plugin_api/casedoc_record.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace {

using casedoc::sdk::context;
using casedoc::sdk::first_event;
using casedoc::sdk::is_case_record;
using casedoc::sdk::node;

constexpr int64_t minutes_per_day = 1440;

// hh:mm as minutes after midnight.
std::optional<int64_t> time_of_day(std::string_view hhmm) {
    if (hhmm.size() != 5 || hhmm[2] != ':')
        return std::nullopt;
    for (size_t i : {0u, 1u, 3u, 4u})
        if (hhmm[i] < '0' || hhmm[i] > '9')
            return std::nullopt;
    const int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
    const int m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
    if (h > 23 || m > 59)
        return std::nullopt;
    return h * 60 + m;
}

// An event's moment: its date plus its time when it has a valid one, otherwise the start or the end
// of the day.
std::optional<casedoc::timestamp> event_moment(const node &event, bool end_of_day_default) {
    const auto day = casedoc::parse_date(event.attr("date"));
    if (!day)
        return std::nullopt;
    if (const auto t = time_of_day(event.attr("time")))
        return casedoc::timestamp{*day * minutes_per_day + *t, true};
    return casedoc::timestamp{*day * minutes_per_day + (end_of_day_default ? minutes_per_day - 1 : 0), true};
}

bool is_medicare(const node &admission) {
    const std::string_view payer = admission.attr("payer");
    return payer == "medicare" || payer == "medicare-advantage";
}

void derive_facts(const context &cx) {
    const node root = cx.root();
    std::string admitted, discharged, followup_from;
    if (is_case_record(root)) {
        const node admission = first_event(root, "admission");
        const node discharge = first_event(root, "discharge");
        if (admission)
            if (const auto at = event_moment(admission, false))
                admitted = casedoc::format_timestamp(*at);
        if (discharge)
            if (const auto at = event_moment(discharge, true))
                discharged = casedoc::format_timestamp(*at);
        const node notice = first_event(root, "im-notice");
        if (admission && discharge && notice && is_medicare(admission)) {
            const auto delivered = casedoc::parse_date(notice.attr("date"));
            const auto left = casedoc::parse_date(discharge.attr("date"));
            if (delivered && left && *left - *delivered > 2)
                followup_from = casedoc::format_date(*left - 2);
        }
    }
    cx.set_fact("admitted-at", admitted);
    cx.set_fact("discharged-at", discharged);
    cx.set_fact("im-followup-from", followup_from);
}

// A note that documents a re-evaluation of the discharge plan.
bool updates_plan(const node &note) {
    const std::string_view type = note.attr("type");
    if (type == "discharge-plan")
        return true;
    if (type != "progress-note")
        return false;
    for (node update : note.children("plan-update")) {
        const std::string_view outcome = update.attr("outcome");
        if (outcome == "revised" || outcome == "confirmed")
            return true;
    }
    return false;
}

// Applies to a record with a condition-change that is due (or whose date cannot be read); not applicable
// to one without any.
void check_h6_plan_updated(const context &cx) {
    const node root = cx.root();
    if (!is_case_record(root))
        return;
    bool any_change = false;
    for (node event : root.child("events").children("event"))
        if (event.attr("type") == "condition-change")
            any_change = true;
    if (!any_change) {
        cx.not_applicable("HOSP-H6");
        return;
    }
    const node discharge = first_event(root, "discharge");
    std::optional<casedoc::timestamp> end;
    std::string end_text;
    if (discharge) {
        end = event_moment(discharge, true);
        if (!end)
            return; // HOSP-DQ-EVENT-DATE reports the discharge date
        end_text = "before discharge (" + casedoc::format_timestamp(*end) + ")";
    } else {
        const auto as_of = casedoc::parse_date(root.attr("as-of"));
        if (!as_of)
            return;
        end = casedoc::timestamp{*as_of * minutes_per_day + minutes_per_day - 1, true};
        end_text = "by the review date (" + casedoc::format_date(*as_of) + ") of this open episode";
    }
    const node notes = root.child("notes");
    bool due = false;
    for (node event : root.child("events").children("event")) {
        if (event.attr("type") != "condition-change")
            continue;
        const auto changed = event_moment(event, false);
        if (!changed) {
            due = true; // it may be due: HOSP-DQ-EVENT-DATE reports the unreadable date
            continue;
        }
        if (!discharge && changed->day() >= end->day())
            continue; // a change on the review day is not yet due
        due = true;
        bool updated = false;
        for (node note : notes.children("note")) {
            if (!updates_plan(note))
                continue;
            const auto at = casedoc::parse_date_time(note.attr("service-at"));
            if (at && at->minutes >= changed->minutes && at->minutes <= end->minutes) {
                updated = true;
                break;
            }
        }
        if (!updated)
            cx.report("HOSP-H6", event,
                      "The patient's condition changed on " + casedoc::format_timestamp(*changed) +
                          " but the discharge plan was not re-evaluated and updated after the change " + end_text +
                          ": document the re-evaluation in a discharge-plan note (kind=\"update\") or in a progress note "
                          "with a plan-update (outcome=\"revised\" or \"confirmed\") dated after the change.");
    }
    if (!due)
        cx.not_applicable("HOSP-H6");
}

} // namespace

CASEDOC_CHECK_FUNCTION(casedoc_hospital_derive_facts, derive_facts)
CASEDOC_CHECK_FUNCTION(casedoc_hospital_check_h6, check_h6_plan_updated)

namespace {

constexpr const char *document_types[] = {"case-record",     "discharge-planning-evaluation", "discharge-plan",
                                          "discharge-summary", "progress-note",               nullptr};
constexpr const char *fact_names[] = {"admitted-at", "discharged-at", "im-followup-from", nullptr};
constexpr const char *h6_document_types[] = {"case-record", nullptr};

constexpr casedoc_check checks[] = {
    {"HOSP-H6", CASEDOC_SEVERITY_ERROR, "42 CFR 482.43(a)(6) (before 2019-11-29: 482.43(c)(4), unverified)",
     "Discharge plan updated after each change in condition, before discharge",
     h6_document_types, &casedoc_hospital_check_h6},
};

constexpr casedoc_plugin_descriptor descriptor = {
    .struct_size = sizeof(casedoc_plugin_descriptor),
    .abi_major = CASEDOC_PLUGIN_ABI_MAJOR,
    .abi_minor = CASEDOC_PLUGIN_ABI_MINOR,
    .id = "hospital",
    .name = "Hospital discharge planning (42 CFR 482.43, 482.24)",
    .version = "1.0.0",
    .document_types = document_types,
    .fact_names = fact_names,
    .derive_facts = &casedoc_hospital_derive_facts,
    .checks = checks,
    .check_count = sizeof(checks) / sizeof(checks[0]),
    .exports = nullptr, // ABI 1.1: the setting has no export
    .export_count = 0,
};

} // namespace

CASEDOC_PLUGIN_DEFINE(descriptor)
