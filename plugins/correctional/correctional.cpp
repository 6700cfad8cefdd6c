// casedoc_correctional: the correctional case management and reentry setting (federal BOP baseline:
// 28 CFR 524.11, 18 U.S.C. 3624(c) and 3632(a); see docs/settings/correctional.md).
//
// Native checks, for rules whose date arithmetic XPath 1.0 cannot express well:
//   CORR-C2-90     within 12 months (365 days) of the projected release date, a program review at least every
//                  90 days instead of 180 (28 CFR 524.11(a)(2)): after each review the next is due by the
//                  earlier of 180 days later and 90 days after the review or the start of those 12 months,
//                  whichever is later. The 180-day cadence is CORR-C2 in the schema; a gap longer than 180
//                  days is reported there only.
//   CORR-C12-HOME  home confinement under 18 U.S.C. 3624(c)(2): at most the shorter of 10 % of the term
//                  of imprisonment and 6 months.
//   CORR-C12-RRC   prerelease custody under 3624(c)(1) (residential reentry center and home confinement
//                  together): at most 12 months.
// For worklists (casedoc due, ABI 1.3), CORR-C2-90 says when the next program review is due while the person is
// in custody and the 90-day cadence is the stricter.
// Each is not applicable (casedoc audit) to a record where its condition never arises: CORR-C2-90 when the
// period under review (to the release or as-of date) ends before the 12 months before the projected
// release; CORR-C12-HOME without a 3624(c) home confinement placement; CORR-C12-RRC without any 3624(c)
// prerelease custody placement. A record whose dates cannot be read is not "not applicable".
// The plugin derives no facts.
//
// Nothing here logs names, dates or narrative: findings carry record content only through the host's
// report call. No state outlives a call, so calls for different records may run concurrently.
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/plugin_api/casedoc_plugin.hpp>
#include <casedoc/plugin_api/casedoc_record.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using casedoc::sdk::context;
using casedoc::sdk::day_of;
using casedoc::sdk::for_each_note;
using casedoc::sdk::is_case_record;
using casedoc::sdk::node;

std::string days_text(int64_t n) {
    return std::to_string(n) + (n == 1 ? " day" : " days");
}

// ---------------------------------------------------------------------------------------------------
// CORR-C2-90: program reviews every 90 days within 12 months of the projected release date.

constexpr int64_t basic_cadence_days = 180;    // 28 CFR 524.11(a)(2)
constexpr int64_t prerelease_cadence_days = 90; // 28 CFR 524.11(a)(2), within 12 months of release
constexpr int64_t prerelease_window_days = 365; // "within twelve months of the projected release date"

struct review {
    int64_t day;
    node note;
};

void check_prerelease_reviews(const context &cx) {
    const node root = cx.root();
    if (!is_case_record(root))
        return;
    // The last projected-release event listed is the current projection (it is recomputed as good
    // conduct time is earned or lost); the first release event ends the custody episode.
    std::optional<int64_t> projected, release;
    bool released = false;
    for (node event : root.child("events").children("event")) {
        const std::string_view type = event.attr("type");
        if (type == "projected-release") {
            projected = day_of(event.attr("date"));
        } else if (type == "release" && !released) {
            released = true;
            release = day_of(event.attr("date"));
        }
    }
    const std::optional<int64_t> end = released ? release : day_of(root.attr("as-of"));
    if (!projected || !end)
        return; // CORR-DQ-PROJECTED-RELEASE and CORR-DQ-EVENT-DATE report the missing dates
    // The rule applies once the period under review reaches the 12 months before the projected release.
    const int64_t window_start = *projected - prerelease_window_days;
    if (*end < window_start) {
        cx.not_applicable("CORR-C2-90");
        return;
    }

    std::vector<review> reviews;
    for_each_note(root, "classification", [&](const node &note) {
        const auto day = day_of(note.attr("service-at"));
        if (day && *day <= *end)
            reviews.push_back({*day, note}); // an unreadable service-at is X2-SERVICE-AT's finding
    });
    if (reviews.empty())
        return; // CORR-C1 reports a missing initial classification
    std::stable_sort(reviews.begin(), reviews.end(), [](const review &a, const review &b) { return a.day < b.day; });

    // The next review is due by the earlier of the 180-day date and 90 days after the previous review or
    // after the start of the 12-month window, whichever is later. A gap past the 180-day date is
    // CORR-C2's finding, so this check reports only what the shorter cadence adds.
    auto window_text = [&] {
        return "within 12 months of the projected release date " + casedoc::format_date(*projected) + ", that is from " +
               casedoc::format_date(window_start);
    };
    auto prerelease_due = [&](int64_t prev) -> std::optional<int64_t> {
        const int64_t due = std::max(prev, window_start) + prerelease_cadence_days;
        if (due >= prev + basic_cadence_days)
            return std::nullopt; // the 180-day cadence is the stricter one here
        return due;
    };
    auto broken = [&](int64_t prev, int64_t next) {
        const auto due = prerelease_due(prev);
        return due && next > *due && next <= prev + basic_cadence_days;
    };

    // For worklists (casedoc due): still in custody, the next review is due 90 days after the last one when the
    // shorter cadence is the stricter (else CORR-C2's 180 days in the schema apply).
    if (!released)
        if (const auto next = prerelease_due(reviews.back().day))
            cx.due("CORR-C2-90", reviews.back().note, casedoc::format_date(*next),
                   "program review " + casedoc::format_date(reviews.back().day));

    for (size_t i = 1; i < reviews.size(); ++i) {
        const int64_t prev = reviews[i - 1].day, next = reviews[i].day;
        if (!broken(prev, next))
            continue;
        cx.report("CORR-C2-90", reviews[i].note,
                  "This program review (" + casedoc::format_date(next) + ") came " + days_text(next - prev) +
                      " after the previous one (" + casedoc::format_date(prev) + "). Program reviews are due at least every 90 days " +
                      window_text() + ": this one was due by " + casedoc::format_date(*prerelease_due(prev)) + ".");
    }
    const int64_t last = reviews.back().day;
    if (broken(last, *end)) {
        const std::string until = released ? "the release date (" + casedoc::format_date(*end) + ")"
                                            : "the record's as-of date (" + casedoc::format_date(*end) + ")";
        cx.report("CORR-C2-90", root,
                  "No program review since " + casedoc::format_date(last) + ", " + days_text(*end - last) + " before " + until +
                      ". Program reviews are due at least every 90 days " + window_text() + ": one was due by " +
                      casedoc::format_date(*prerelease_due(last)) + ".");
    }
}

// ---------------------------------------------------------------------------------------------------
// CORR-C12-HOME and CORR-C12-RRC: prerelease custody limits of 18 U.S.C. 3624(c).

struct span {
    int64_t start, end;
    node at;
};

// Placements made under 3624(c): those without an authority and those with authority="3624(c)".
// Placements under 3624(g) (First Step Act time credits) are not held to 3624(c)'s limits.
bool under_3624c(const node &placement) {
    const std::string_view authority = placement.attr("authority");
    return authority.empty() || authority == "3624(c)";
}

// The 3624(c) placements of `type` ("" for every type) with readable dates, in document order.
// A placement of `report_type` whose dates are unreadable is reported as rule `rule_id`.
std::vector<span> placements(const context &cx, const node &custody, std::string_view type, const char *rule_id,
                             std::string_view report_type) {
    std::vector<span> out;
    for (node p : custody.children("placement")) {
        if (!under_3624c(p) || (!type.empty() && p.attr("type") != type))
            continue;
        const auto start = casedoc::parse_date(p.attr("start"));
        const auto end = casedoc::parse_date(p.attr("end"));
        if (start && end && *end >= *start) {
            out.push_back({*start, *end, p});
        } else if (p.attr("type") == report_type) {
            cx.report(rule_id, p,
                      "The prerelease custody limit cannot be checked: this placement needs a start and an end date "
                      "(start, end: YYYY-MM-DD, the end not before the start).");
        }
    }
    return out;
}

// Whether a reentry plan has a 3624(c) placement of `type` ("" for every type), readable or not: the limits
// of CORR-C12-HOME and CORR-C12-RRC apply to the record only when one of its plans has such a placement.
bool has_3624c_placement(const node &note, std::string_view type) {
    for (node p : note.child("reentry-plan").child("prerelease-custody").children("placement"))
        if (under_3624c(p) && (type.empty() || p.attr("type") == type))
            return true;
    return false;
}

int64_t total_days(const std::vector<span> &spans) {
    int64_t total = 0;
    for (const span &s : spans)
        total += s.end - s.start;
    return total;
}

int64_t first_start(const std::vector<span> &spans) {
    int64_t first = spans.front().start;
    for (const span &s : spans)
        first = std::min(first, s.start);
    return first;
}

void check_home_confinement_plan(const context &cx, const node &note) {
    const node plan = note.child("reentry-plan");
    const node custody = plan.child("prerelease-custody");
    if (!custody)
        return;
    const std::vector<span> home = placements(cx, custody, "home-confinement", "CORR-C12-HOME", "home-confinement");
    if (home.empty())
        return;
    const node sentence = plan.child("sentence");
    const auto began = casedoc::parse_date(sentence.attr("computation-began"));
    const auto full_term = casedoc::parse_date(sentence.attr("full-term"));
    if (!began || !full_term || *full_term < *began) {
        cx.report("CORR-C12-HOME", sentence ? sentence : plan,
                  "Home confinement is planned, but the 10 % limit cannot be checked: the plan needs the sentence "
                  "computation dates (sentence computation-began and full-term, YYYY-MM-DD).");
        return;
    }
    const int64_t term = *full_term - *began + 1; // both days count
    const int64_t tenth = term / 10;
    const int64_t start = first_start(home);
    const int64_t six_months = casedoc::add_months(start, 6) - start;
    const int64_t limit = std::min(tenth, six_months);
    const int64_t used = total_days(home);
    if (used <= limit)
        return;
    cx.report("CORR-C12-HOME", home.front().at,
              "Home confinement of " + days_text(used) + " exceeds the limit of " + days_text(limit) +
                  ": the shorter of 10 % of the term of imprisonment (" + days_text(term) + " from " +
                  casedoc::format_date(*began) + " to " + casedoc::format_date(*full_term) + ", so " +
                  days_text(tenth) + ") and 6 months from " + casedoc::format_date(start) + " (" +
                  days_text(six_months) + "). Shorten the placement, or record the authority it is made under if that is not "
                  "3624(c) (authority=\"3624(g)\").");
}

void check_prerelease_plan(const context &cx, const node &note) {
    const node custody = note.child("reentry-plan").child("prerelease-custody");
    if (!custody)
        return;
    const std::vector<span> all = placements(cx, custody, "", "CORR-C12-RRC", "rrc");
    if (all.empty())
        return;
    const int64_t start = first_start(all);
    const int64_t twelve_months = casedoc::add_months(start, 12) - start;
    const int64_t used = total_days(all);
    if (used <= twelve_months)
        return;
    cx.report("CORR-C12-RRC", custody,
              "Prerelease custody (residential reentry center and home confinement together) of " + days_text(used) +
                  " exceeds 12 months (" + days_text(twelve_months) + " from " + casedoc::format_date(start) +
                  "). Shorten the placements, or record the authority they are made under if that is not 3624(c) "
                  "(authority=\"3624(g)\").");
}

void check_home_confinement(const context &cx) {
    bool applies = false;
    for_each_note(cx.root(), "reentry-plan", [&](const node &note) {
        applies = applies || has_3624c_placement(note, "home-confinement");
        check_home_confinement_plan(cx, note);
    });
    if (!applies)
        cx.not_applicable("CORR-C12-HOME");
}

void check_prerelease_custody(const context &cx) {
    bool applies = false;
    for_each_note(cx.root(), "reentry-plan", [&](const node &note) {
        applies = applies || has_3624c_placement(note, "");
        check_prerelease_plan(cx, note);
    });
    if (!applies)
        cx.not_applicable("CORR-C12-RRC");
}

} // namespace

CASEDOC_CHECK_FUNCTION(casedoc_correctional_check_c2_90, check_prerelease_reviews)
CASEDOC_CHECK_FUNCTION(casedoc_correctional_check_c12_home, check_home_confinement)
CASEDOC_CHECK_FUNCTION(casedoc_correctional_check_c12_rrc, check_prerelease_custody)

namespace {

constexpr const char *document_types[] = {"case-record", "classification", "risk-needs-assessment",
                                          "reentry-plan", "contact-note", nullptr};
constexpr const char *case_record_types[] = {"case-record", nullptr};
constexpr const char *reentry_types[] = {"case-record", "reentry-plan", nullptr};

constexpr casedoc_check checks[] = {
    {"CORR-C2-90", CASEDOC_SEVERITY_ERROR, "28 CFR 524.11(a)(2)",
     "Program review every 90 days in the 12 months before projected release", case_record_types,
     &casedoc_correctional_check_c2_90},
    {"CORR-C12-HOME", CASEDOC_SEVERITY_ERROR, "18 U.S.C. 3624(c)(2) (Second Chance Act)",
     "Home confinement at most the shorter of 10% of the term and 6 months", reentry_types,
     &casedoc_correctional_check_c12_home},
    {"CORR-C12-RRC", CASEDOC_SEVERITY_ERROR, "18 U.S.C. 3624(c)(1) (Second Chance Act)",
     "Prerelease custody (RRC and home confinement) at most 12 months", reentry_types,
     &casedoc_correctional_check_c12_rrc},
};

constexpr casedoc_plugin_descriptor descriptor = {
    .struct_size = sizeof(casedoc_plugin_descriptor),
    .abi_major = CASEDOC_PLUGIN_ABI_MAJOR,
    .abi_minor = CASEDOC_PLUGIN_ABI_MINOR,
    .id = "correctional",
    .name = "Correctional case management and reentry",
    .version = "1.0.0",
    .document_types = document_types,
    .fact_names = nullptr,
    .derive_facts = nullptr,
    .checks = checks,
    .check_count = sizeof(checks) / sizeof(checks[0]),
    .exports = nullptr, // ABI 1.1: the setting has no export
    .export_count = 0,
};

} // namespace

CASEDOC_PLUGIN_DEFINE(descriptor)
