// casedoc_vocational: the vocational rehabilitation (State VR program, 34 CFR part 361) setting.
//
// Fact for the schemas (schemas/vocational/):
//   ipe-date  the date the first IPE of a case record was agreed: the later of the individual's (or
//             representative's) agreement and the VR counselor's signature, or the IPE note's service
//             date when one of them is missing (VR-V3 reports that). "" outside a case record.
//
// Native checks, for what the schemas cannot say well:
//   VR-V12        every trial work experience has progress assessments at least every
//                 $trial-work-progress-days days (a parameter of the schema in force), from its start to
//                 its end; there may be several experiences, each with its own period. For worklists
//                 (casedoc due, ABI 1.3) a running experience's next assessment is due an interval after
//                 its last one (or its start);
//   VR-V13        a case closed with an employment outcome was closed only after the employment had
//                 lasted at least 90 days (closure date - employment start >= 90);
//   VR-V15-DATES  the case dates are in order: eligibility not before application (RSA-911 E38 >= E7),
//                 IPE not before eligibility, exit not before application.
// Each is not applicable (casedoc audit) to a record where its condition never arises: VR-V12 without a
// trial-work event, VR-V13 without a closure with an employment outcome, VR-V15-DATES without any of the
// pairs of dates it compares (application and eligibility, eligible determination and IPE, application
// and exit). A record whose dates cannot be read is not "not applicable".
//
// Export rsa911 (ABI 1.1): one row per case record with the RSA-911 fields the record can fill, under
// the PD 19-03 element numbers (RULES.md §6 trap 4; docs/settings/vocational.md has the mapping).
//
// Nothing here logs names, birth dates or narrative: findings carry the record's text only through
// the host's report call. No mutable state outside a call: records are checked concurrently.
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/plugin_api/casedoc_plugin.hpp>
#include <casedoc/plugin_api/casedoc_record.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using casedoc::sdk::context;
using casedoc::sdk::day_of;
using casedoc::sdk::first_event;
using casedoc::sdk::first_event_date;
using casedoc::sdk::first_note;
using casedoc::sdk::for_each_note;
using casedoc::sdk::is_case_record;
using casedoc::sdk::node;

constexpr int64_t employment_days_before_closure = 90; // 34 CFR 361.56
constexpr int64_t default_trial_work_progress_days = 90;

std::string days_text(int64_t n) {
    return std::to_string(n) + (n == 1 ? " day" : " days");
}

node first_eligible_event(const node &record) {
    for (node event : record.child("events").children("event"))
        if (event.attr("type") == "eligibility" && event.attr("decision") == "eligible")
            return event;
    return {};
}

// The date an IPE was agreed: the later of the individual's (or representative's) agreement and the
// VR counselor's signature; the note's service date when either is missing or unreadable.
std::optional<int64_t> ipe_agreed(const node &note) {
    std::optional<int64_t> individual, counselor;
    for (node agreement : note.child("ipe").children("agreement")) {
        const std::string_view party = agreement.attr("party");
        if (party == "individual" || party == "representative") {
            individual = day_of(agreement.attr("signed-at"));
            break;
        }
    }
    for (node signature : note.children("signature")) {
        if (signature.attr("role") == "vr-counselor") {
            counselor = day_of(signature.attr("signed-at"));
            break;
        }
    }
    if (individual && counselor)
        return std::max(*individual, *counselor);
    return day_of(note.attr("service-at"));
}

std::optional<int64_t> first_ipe_date(const node &record) {
    const node ipe = first_note(record, "ipe");
    return ipe ? ipe_agreed(ipe) : std::nullopt;
}

// The end of the case period under review: the exit date, or the record's as-of date.
std::optional<int64_t> end_of_case(const node &record) {
    if (const auto exit = first_event_date(record, "exit"))
        return exit;
    return day_of(record.attr("as-of"));
}

std::string date_text(const std::optional<int64_t> &day) {
    return day ? casedoc::format_date(*day) : std::string();
}

void derive_facts(const context &cx) {
    const node root = cx.root();
    cx.set_fact("ipe-date", is_case_record(root) ? date_text(first_ipe_date(root)) : std::string());
}

// --- VR-V12: trial work progress ----------------------------------------------------------------------

int64_t trial_work_progress_days(const context &cx) {
    const std::string_view text = cx.param("trial-work-progress-days");
    int64_t days = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || days <= 0) {
        cx.log(CASEDOC_LOG_WARNING, "parameter trial-work-progress-days is not a positive whole number; using " +
                                        std::to_string(default_trial_work_progress_days));
        return default_trial_work_progress_days;
    }
    return days;
}

void check_v12_trial_work(const context &cx) {
    const node root = cx.root();
    if (!is_case_record(root))
        return;
    std::vector<int64_t> assessments;
    for (node note : root.child("notes").children("note"))
        if (note.attr("type") == "progress-note" && note.child("progress").attr("purpose") == "trial-work-assessment")
            if (const auto day = day_of(note.attr("service-at")))
                assessments.push_back(*day);
    std::sort(assessments.begin(), assessments.end());
    const auto case_end = end_of_case(root);
    std::optional<int64_t> interval;

    bool applies = false; // a trial-work event, readable or not
    for (node event : root.child("events").children("event")) {
        if (event.attr("type") != "trial-work")
            continue;
        applies = true;
        const auto start = day_of(event.attr("date"));
        const auto end = event.has("end-date") ? day_of(event.attr("end-date")) : case_end;
        if (!start || !end || *end < *start)
            continue; // VR-V15-EVENT-DATE and VR-V15-DATES report unreadable or inverted dates
        if (!interval)
            interval = trial_work_progress_days(cx);
        std::string gaps;
        int64_t previous = *start;
        auto gap = [&](int64_t to, const char *note) {
            if (to - previous > *interval)
                gaps += (gaps.empty() ? "" : "; ") + casedoc::format_date(previous) + " to " + casedoc::format_date(to) +
                        " (" + days_text(to - previous) + note + ")";
        };
        for (int64_t day : assessments) {
            if (day < *start || day > *end)
                continue;
            gap(day, "");
            previous = day;
        }
        // Still running (no end date, the case not exited): the next assessment is due an interval after the last.
        if (!event.has("end-date") && !first_event_date(root, "exit"))
            cx.due("VR-V12", event, casedoc::format_date(previous + *interval),
                   (previous == *start ? "trial work start " : "progress assessment ") + casedoc::format_date(previous));
        gap(*end, ", none since");
        if (gaps.empty())
            continue;
        cx.report("VR-V12", event,
                  "The trial work experience from " + casedoc::format_date(*start) + " to " + casedoc::format_date(*end) +
                      " must have its progress assessed at least every " + std::to_string(*interval) +
                      " days (agency policy, trial-work-progress-days=" + std::to_string(*interval) +
                      "): add progress notes with purpose=\"trial-work-assessment\". Gaps longer than " +
                      std::to_string(*interval) + " days: " + gaps + ".");
    }
    if (!applies)
        cx.not_applicable("VR-V12");
}

// --- VR-V13: employment maintained 90 days before closure ------------------------------------------------

// The employment start of a closure: the closure's own start-date, or in a case record the last
// employment-start event on or before the closure date.
std::optional<int64_t> employment_start(const node &closure, const node &record, int64_t closed) {
    if (const auto start = day_of(closure.child("employment").attr("start-date")))
        return start;
    std::optional<int64_t> start;
    if (is_case_record(record))
        for (node event : record.child("events").children("event"))
            if (event.attr("type") == "employment-start")
                if (const auto day = day_of(event.attr("date")); day && *day <= closed && (!start || *day > *start))
                    start = day;
    return start;
}

// Checks one closure note; returns whether VR-V13 applies to it: a closure with an employment outcome.
bool check_closure(const context &cx, const node &note, const node &root) {
    const node closure = note.child("closure");
    if (closure.attr("kind") != "employment-outcome")
        return false;
    const auto closed = day_of(note.attr("service-at"));
    if (!closed)
        return true; // X2-SERVICE-AT reports it
    const auto start = employment_start(closure, root, *closed);
    if (!start) {
        cx.report("VR-V13", closure,
                  "The case was closed with an employment outcome on " + casedoc::format_date(*closed) +
                      ", but no employment start date is recorded (closure employment start-date, or an "
                      "employment-start event), so it cannot be shown that the employment lasted at least 90 days.");
        return true;
    }
    const int64_t days = *closed - *start;
    if (days >= employment_days_before_closure)
        return true;
    cx.report("VR-V13", closure,
              "The case was closed with an employment outcome on " + casedoc::format_date(*closed) + ", after " +
                  days_text(days) + " of employment (started " + casedoc::format_date(*start) +
                  "): the individual must have maintained the employment for at least 90 days, so the case may be "
                  "closed on " + casedoc::format_date(*start + employment_days_before_closure) + " at the earliest.");
    return true;
}

void check_v13_closure(const context &cx) {
    const node root = cx.root();
    bool applies = false;
    for_each_note(root, "closure", [&](const node &note) { applies = check_closure(cx, note, root) || applies; });
    if (!applies)
        cx.not_applicable("VR-V13");
}

// --- VR-V15-DATES: the case dates are in order -------------------------------------------------------------

void check_v15_dates(const context &cx) {
    const node root = cx.root();
    if (!is_case_record(root))
        return;
    const node application = first_event(root, "application");
    const auto applied = application ? day_of(application.attr("date")) : std::nullopt;
    const node eligibility = first_event(root, "eligibility");
    const auto determined = eligibility ? day_of(eligibility.attr("date")) : std::nullopt;
    if (applied && determined && *determined < *applied)
        cx.report("VR-V15-DATES", eligibility,
                  "The eligibility determination (" + casedoc::format_date(*determined) +
                      ") is dated before the application (" + casedoc::format_date(*applied) +
                      "): RSA-911 E38 Eligibility Date must not be earlier than E7 Application Date. Correct the dates.");
    const node eligible = first_eligible_event(root);
    const auto eligible_on = eligible ? day_of(eligible.attr("date")) : std::nullopt;
    const node ipe = first_note(root, "ipe");
    const auto planned = ipe ? ipe_agreed(ipe) : std::nullopt;
    if (eligible_on && planned && *planned < *eligible_on)
        cx.report("VR-V15-DATES", ipe,
                  "The first IPE (agreed " + casedoc::format_date(*planned) +
                      ") is dated before the individual was found eligible (" + casedoc::format_date(*eligible_on) +
                      "): an IPE is developed only for an eligible individual. Correct the dates.");
    const node exit = first_event(root, "exit");
    const auto exited = exit ? day_of(exit.attr("date")) : std::nullopt;
    if (applied && exited && *exited < *applied)
        cx.report("VR-V15-DATES", exit,
                  "The exit (" + casedoc::format_date(*exited) + ") is dated before the application (" +
                      casedoc::format_date(*applied) + "). Correct the dates.");
    // The rule applies when the record has one of the pairs it compares (readable or not).
    if (!(application && eligibility) && !(eligible && ipe) && !(application && exit))
        cx.not_applicable("VR-V15-DATES");
}

// --- Export rsa911 --------------------------------------------------------------------------------------------

// A reporting-period parameter of the export (--param NAME=VALUE), checked for its form; "" when not given.
std::string period_param(const context &cx, const char *name, size_t digits, int low, int high) {
    const std::string_view text = cx.param(name);
    if (text.empty())
        return {};
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.size() != digits || ec != std::errc() || end != text.data() + text.size() || value < low || value > high)
        throw std::invalid_argument(std::string("parameter ") + name + " must be a number from " + std::to_string(low) +
                                    " to " + std::to_string(high));
    return std::string(text);
}

void export_rsa911(const context &cx) {
    const node root = cx.root();
    if (!is_case_record(root))
        return;
    const std::string year = period_param(cx, "rsa911-year", 4, 1900, 9999);
    const std::string quarter = period_param(cx, "rsa911-quarter", 1, 1, 4);

    const std::string application = date_text(first_event_date(root, "application"));
    const node eligible = first_eligible_event(root);
    const std::string eligibility = eligible ? date_text(day_of(eligible.attr("date"))) : std::string();
    std::string extension;
    if (!eligibility.empty()) {
        extension = "0";
        for (node x : root.child("extensions").children("extension"))
            if (x.attr("rule") == "VR-V1" && x.attr("individual-agreed") == "true")
                extension = "1";
    }
    std::string significance;
    for (node note : root.child("notes").children("note"))
        if (note.attr("type") == "eligibility-determination") {
            const node determination = note.child("eligibility-determination");
            if (determination.attr("decision") == "eligible")
                significance = std::string(determination.child("disability-priority").attr("category"));
        }
    std::string exit_date = date_text(first_event_date(root, "exit"));
    std::string exit_reason;
    for (node note : root.child("notes").children("note"))
        if (note.attr("type") == "closure") {
            exit_reason = std::string(note.child("closure").attr("reason-code"));
            if (exit_date.empty())
                exit_date = date_text(day_of(note.attr("service-at")));
        }
    cx.write_row({root.attr("id"), year, quarter, application, eligibility, extension, significance,
                  date_text(first_ipe_date(root)), exit_date, exit_reason});
}

} // namespace

CASEDOC_CHECK_FUNCTION(casedoc_vocational_derive_facts, derive_facts)
CASEDOC_CHECK_FUNCTION(casedoc_vocational_check_v12, check_v12_trial_work)
CASEDOC_CHECK_FUNCTION(casedoc_vocational_check_v13, check_v13_closure)
CASEDOC_CHECK_FUNCTION(casedoc_vocational_check_v15_dates, check_v15_dates)
CASEDOC_CHECK_FUNCTION(casedoc_vocational_export_rsa911, export_rsa911)

namespace {

constexpr const char *document_types[] = {"case-record", "application", "eligibility-determination", "ipe",
                                          "ipe-amendment", "ipe-review", "progress-note", "closure", nullptr};
constexpr const char *fact_names[] = {"ipe-date", nullptr};
constexpr const char *case_record_only[] = {"case-record", nullptr};
constexpr const char *closure_types[] = {"case-record", "closure", nullptr};

constexpr casedoc_check checks[] = {
    {"VR-V12", CASEDOC_SEVERITY_ERROR,
     "34 CFR 361.42(e); 361.47(a)(5); interval: agency policy (configurable)",
     "Trial work progress assessed within the agency's interval",
     case_record_only, &casedoc_vocational_check_v12},
    {"VR-V13", CASEDOC_SEVERITY_ERROR, "34 CFR 361.56",
     "Employment outcome closure after 90 days of employment", closure_types,
     &casedoc_vocational_check_v13},
    {"VR-V15-DATES", CASEDOC_SEVERITY_ERROR, "RSA PD 19-03 / DCL 23-04 edit checks (rsa.ed.gov RSA-911 page)",
     "Case dates in order: application, eligibility, IPE; exit after application", case_record_only,
     &casedoc_vocational_check_v15_dates},
};

// Column headings carry the PD 19-03 element number where RULES.md confirms it; the other RSA-911 fields
// are named without a number until their element numbers are verified (docs/settings/vocational.md).
constexpr const char *rsa911_columns[] = {"Record ID",
                                          "E1 Year",
                                          "E2 Quarter",
                                          "E7 Application Date",
                                          "E38 Eligibility Date",
                                          "E39 Eligibility Extension",
                                          "E45 Significance of Disability",
                                          "IPE Date",
                                          "Exit Date",
                                          "E355 Reason for Exit",
                                          nullptr};

constexpr casedoc_export exports[] = {
    {"rsa911", "RSA-911 case service report fields filled from VR case records", "PD 19-03", rsa911_columns,
     case_record_only, &casedoc_vocational_export_rsa911},
};

constexpr casedoc_plugin_descriptor descriptor = {
    .struct_size = sizeof(casedoc_plugin_descriptor),
    .abi_major = CASEDOC_PLUGIN_ABI_MAJOR,
    .abi_minor = CASEDOC_PLUGIN_ABI_MINOR,
    .id = "vocational",
    .name = "Vocational rehabilitation (State VR program, 34 CFR 361)",
    .version = "1.0.0",
    .document_types = document_types,
    .fact_names = fact_names,
    .derive_facts = &casedoc_vocational_derive_facts,
    .checks = checks,
    .check_count = sizeof(checks) / sizeof(checks[0]),
    .exports = exports,
    .export_count = sizeof(exports) / sizeof(exports[0]),
};

} // namespace

CASEDOC_PLUGIN_DEFINE(descriptor)
