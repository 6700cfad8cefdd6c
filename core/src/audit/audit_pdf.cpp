#include <casedoc/audit/audit_pdf.hpp>
#include <casedoc/base/error.hpp>
#include "pdf_document.hpp"
#include "pdf_layout.hpp"
#include "pdf_resources.hpp"
#include <casedoc/base/sha256.hpp>
#include <casedoc/template/template_catalog.hpp>

#include <hpdf_version.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

namespace casedoc {

namespace {

using json = nlohmann::json;

// ---------------------------------------------------------------------------------------------------------
// Reading the JSON: every access names the field's path, so a report that does not match the schema is
// refused with "audit JSON (casedoc-audit/1): items[3].applicable: expected a number, got a string".

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw error("", "audit JSON (casedoc-audit/1): " + path + ": " + what);
}

const char* type_name(const json& j) {
    switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    default: return "a number";
    }
}

struct field {
    const json& j;
    std::string path;

    field operator[](const char* key) const {
        const std::string p = path.empty() ? key : path + "." + key;
        if (!j.is_object()) fail(path, std::string("expected an object, got ") + type_name(j));
        const auto it = j.find(key);
        if (it == j.end()) fail(p, "missing");
        return {*it, p};
    }
    bool has(const char* key) const { return j.is_object() && j.contains(key) && !j[key].is_null(); }
    field at(size_t i) const { return {j[i], path + "[" + std::to_string(i) + "]"}; }

    const json& object() const {
        if (!j.is_object()) fail(path, std::string("expected an object, got ") + type_name(j));
        return j;
    }
    size_t size() const { // of an array
        if (!j.is_array()) fail(path, std::string("expected an array, got ") + type_name(j));
        return j.size();
    }
    std::string str() const {
        if (!j.is_string()) fail(path, std::string("expected a string, got ") + type_name(j));
        return j.get<std::string>();
    }
    std::string str_or_null() const { return j.is_null() ? std::string() : str(); }
    std::string date() const {
        std::string s = str();
        const bool ok = s.size() == 10 && s[4] == '-' && s[7] == '-' &&
                        std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
        if (!ok) fail(path, "expected a date YYYY-MM-DD, got '" + s + "'");
        return s;
    }
    long long count() const {
        if (!j.is_number_integer() || j.get<long long>() < 0)
            fail(path, std::string("expected a count (an integer ≥ 0), got ") + (j.is_number() ? j.dump() : type_name(j)));
        return j.get<long long>();
    }
    std::optional<double> rate() const { // a number in [0, 1], or null
        if (j.is_null()) return std::nullopt;
        if (!j.is_number() || j.get<double>() < 0 || j.get<double>() > 1)
            fail(path, std::string("expected a rate (a number in [0, 1] or null), got ") + (j.is_number() ? j.dump() : type_name(j)));
        return j.get<double>();
    }
    double number() const {
        if (!j.is_number()) fail(path, std::string("expected a number, got ") + type_name(j));
        return j.get<double>();
    }
    // A value shown as it is: a string, a number, or empty for null.
    std::string text() const {
        if (j.is_null()) return "";
        if (j.is_string()) return j.get<std::string>();
        if (j.is_number_integer()) return std::to_string(j.get<long long>());
        if (j.is_number()) return j.dump();
        if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
        fail(path, std::string("expected a string or a number, got ") + type_name(j));
    }
};

// The report, read and checked before anything is laid out.
struct group_row {
    std::string key;
    long long cases, cases_met, applicable, met;
    std::optional<double> rate;
};
struct item_row {
    std::string rule_id, setting, title, citation, severity, kind;
    long long applicable, met, not_met, not_applicable;
    std::optional<double> rate;
};
struct evidence_row {
    std::string record_id, worker, office, as_of, element, line, narrative;
};
struct case_row {
    std::string record_id, setting, worker, office, month, stratum, outcome, not_met;
};
struct finding_row {
    std::string rule_id, setting, title, citation, severity;
    long long cases, applicable;
    std::vector<evidence_row> evidence;
};
struct report {
    std::string generator, title, from, to, reviewer, definition;
    std::vector<std::string> settings, inputs;
    std::vector<std::pair<std::string, std::string>> params;
    bool pseudonymised = false;
    struct rule_set {
        std::string setting, version, title, from, to, schema, cases;
    };
    std::vector<rule_set> rule_sets;
    long long files = 0, in_universe = 0, eliminated_n = 0, unreadable_n = 0;
    std::string method, seed, stratify_by;
    long long size = 0;
    struct stratum {
        std::string key;
        long long universe, requested, sampled;
    };
    std::vector<stratum> strata;
    struct eliminated_row {
        std::string file, record_id, reason;
    };
    std::vector<eliminated_row> eliminated;
    struct unreadable_row {
        std::string file, line, column, message;
    };
    std::vector<unreadable_row> unreadable;
    long long cases = 0, cases_met = 0, items_applicable = 0, items_met = 0, findings_n = 0, errors = 0, warnings = 0;
    std::optional<double> case_rate, item_rate;
    std::vector<item_row> items;
    std::map<std::string, std::vector<group_row>> rollups;
    json timeliness; // checked below, read where laid out
    std::optional<json> trend;
    std::vector<finding_row> findings;
    struct action_row {
        std::string number, rule_id, citation, severity, headline, finding, action, owner, due;
    };
    std::vector<action_row> actions;
    std::vector<case_row> cases_list;
};

constexpr const char* rollup_kinds[] = {"worker", "office", "month", "setting"};

case_row read_case(const field& c) {
    auto opt = [&](const char* key) { return c.has(key) ? c[key].text() : std::string(); };
    case_row row{c["record_id"].str(), opt("setting"), opt("worker"), opt("office"), opt("month"), opt("stratum"), c["outcome"].str(), {}};
    const field not_met = c["not_met"];
    for (size_t i = 0; i < not_met.size(); ++i) row.not_met += (i ? ", " : "") + not_met.at(i).str();
    return row;
}

report read_report(const std::string& text) {
    report r;
    // The sampled cases (100,000 in a large audit) are read into rows as they are parsed and dropped from
    // the JSON tree, which would otherwise take several times their size.
    json doc;
    bool in_cases = false;
    const auto keep = [&](int depth, json::parse_event_t event, json& parsed) {
        if (depth == 1 && event == json::parse_event_t::key) {
            in_cases = parsed == "cases";
        } else if (in_cases && depth == 2 && event == json::parse_event_t::object_end) {
            r.cases_list.push_back(read_case({parsed, "cases[" + std::to_string(r.cases_list.size()) + "]"}));
            return false;
        } else if (in_cases && depth == 1 && (event == json::parse_event_t::array_end || event == json::parse_event_t::value))
            in_cases = false;
        return true;
    };
    try {
        doc = json::parse(text, keep);
    } catch (const json::parse_error& e) {
        throw error("", std::string("audit JSON: not valid JSON: ") + e.what());
    }
    const field root{doc, ""};
    root.object();
    if (const std::string f = root["format"].str(); f != "casedoc-audit/1")
        fail("format", "expected \"casedoc-audit/1\", got \"" + f + "\"");
    r.generator = root["generator"].str();

    const field scope = root["scope"];
    r.title = scope["title"].str();
    r.from = scope["period"]["from"].date();
    r.to = scope["period"]["to"].date();
    r.reviewer = scope["reviewer"].str();
    const field settings = scope["settings"];
    for (size_t i = 0; i < settings.size(); ++i) r.settings.push_back(settings.at(i).str());
    const field rule_sets = scope["rule_sets"];
    for (size_t i = 0; i < rule_sets.size(); ++i) {
        const field s = rule_sets.at(i);
        r.rule_sets.push_back({s["setting"].str(), s["version"].text(), s.has("title") ? s["title"].str() : "",
                               s["effective_from"].str_or_null(), s["effective_to"].str_or_null(),
                               s.has("schema") ? s["schema"].str() : "", s.has("cases") ? std::to_string(s["cases"].count()) : ""});
    }
    if (scope.has("params"))
        for (const auto& [k, v] : scope["params"].object().items()) r.params.emplace_back(k, field{v, "scope.params." + k}.text());
    if (scope.has("inputs")) {
        const field inputs = scope["inputs"];
        for (size_t i = 0; i < inputs.size(); ++i) r.inputs.push_back(inputs.at(i).str());
    }
    if (scope.has("pseudonymised_workers")) {
        const field p = scope["pseudonymised_workers"];
        if (!p.j.is_boolean()) fail(p.path, std::string("expected a boolean, got ") + type_name(p.j));
        r.pseudonymised = p.j.get<bool>();
    }

    const field universe = root["universe"];
    r.definition = universe["definition"].str();
    r.files = universe["files"].count();
    r.in_universe = universe["in_universe"].count();
    r.eliminated_n = universe["eliminated"].count();
    r.unreadable_n = universe["unreadable"].count();

    const field sample = root["sample"];
    r.method = sample["method"].str();
    r.seed = sample.has("seed") ? sample["seed"].text() : "";
    r.stratify_by = sample.has("stratify_by") ? sample["stratify_by"].str() : "";
    r.size = sample["size"].count();
    if (sample.has("strata")) {
        const field strata = sample["strata"];
        for (size_t i = 0; i < strata.size(); ++i) {
            const field s = strata.at(i);
            r.strata.push_back({s["key"].text(), s["universe"].count(), s["requested"].count(), s["sampled"].count()});
        }
    }
    if (root.has("eliminated")) {
        const field el = root["eliminated"];
        for (size_t i = 0; i < el.size(); ++i) {
            const field e = el.at(i);
            r.eliminated.push_back({e["file"].str(), e.has("record_id") ? e["record_id"].str() : "", e["reason"].str()});
        }
    }
    if (root.has("unreadable")) {
        const field un = root["unreadable"];
        for (size_t i = 0; i < un.size(); ++i) {
            const field u = un.at(i);
            r.unreadable.push_back({u["file"].str(), u.has("line") ? u["line"].text() : "", u.has("column") ? u["column"].text() : "",
                                    u["message"].str()});
        }
    }

    const field summary = root["summary"];
    r.cases = summary["cases"].count();
    r.cases_met = summary["cases_met"].count();
    r.case_rate = summary["case_rate"].rate();
    r.items_applicable = summary["items_applicable"].count();
    r.items_met = summary["items_met"].count();
    r.item_rate = summary["item_rate"].rate();
    r.findings_n = summary["findings"].count();
    r.errors = summary["errors"].count();
    r.warnings = summary["warnings"].count();

    const field items = root["items"];
    for (size_t i = 0; i < items.size(); ++i) {
        const field it = items.at(i);
        r.items.push_back({it["rule_id"].str(), it["setting"].str(), it.has("title") ? it["title"].str() : "",
                           it.has("citation") ? it["citation"].str() : "", it["severity"].str(), it.has("kind") ? it["kind"].str() : "",
                           it["applicable"].count(), it["met"].count(), it["not_met"].count(), it["not_applicable"].count(),
                           it["rate"].rate()});
    }
    const field rollups = root["rollups"];
    for (const char* kind : rollup_kinds) {
        const field list = rollups[kind];
        auto& rows = r.rollups[kind];
        for (size_t i = 0; i < list.size(); ++i) {
            const field g = list.at(i);
            rows.push_back({g["key"].text(), g["cases"].count(), g["cases_met"].count(), g["applicable"].count(), g["met"].count(),
                            g["rate"].rate()});
        }
    }

    const field timeliness = root["timeliness"];
    for (size_t i = 0; i < timeliness.size(); ++i) {
        const field t = timeliness.at(i);
        t["rule_id"].str();
        t["n"].count();
        t["rate"].rate();
        const std::string kind = t["kind"].str();
        if (kind == "deadline") {
            t["within"].count();
            t["pending"].count();
            const field buckets = t["buckets"];
            for (size_t b = 0; b < buckets.size(); ++b) {
                buckets.at(b)["label"].str();
                buckets.at(b)["count"].count();
            }
        } else if (kind == "recurrence") {
            t["periods"].count();
            t["periods_met"].count();
        } else fail(t["kind"].path, "expected \"deadline\" or \"recurrence\", got \"" + kind + "\"");
    }
    r.timeliness = timeliness.j;

    if (root.has("trend")) {
        const field trend = root["trend"];
        trend["overall"]["previous_rate"].rate();
        trend["overall"]["rate"].rate();
        const field ti = trend["items"];
        for (size_t i = 0; i < ti.size(); ++i) {
            ti.at(i)["rule_id"].str();
            ti.at(i)["previous_rate"].rate();
            ti.at(i)["rate"].rate();
        }
        r.trend = trend.j;
    }

    const field findings = root["findings"];
    for (size_t i = 0; i < findings.size(); ++i) {
        const field f = findings.at(i);
        finding_row fr{f["rule_id"].str(), f.has("setting") ? f["setting"].str() : "", f.has("title") ? f["title"].str() : "",
                       f.has("citation") ? f["citation"].str() : "", f["severity"].str(), f["cases"].count(), f["applicable"].count(), {}};
        const field ev = f["evidence"];
        fr.evidence.reserve(ev.size());
        for (size_t k = 0; k < ev.size(); ++k) {
            const field e = ev.at(k);
            auto opt = [&](const char* key) { return e.has(key) ? e[key].text() : std::string(); };
            fr.evidence.push_back({e["record_id"].str(), opt("worker"), opt("office"), opt("as_of"), opt("element"), opt("line"),
                                   opt("narrative")});
        }
        r.findings.push_back(std::move(fr));
    }
    const field actions = root["corrective_actions"];
    for (size_t i = 0; i < actions.size(); ++i) {
        const field a = actions.at(i);
        auto opt = [&](const char* key) { return a.has(key) ? a[key].text() : std::string(); };
        r.actions.push_back({a["number"].text(), a["rule_id"].str(), opt("citation"), opt("severity"), a["headline"].str(),
                             a["finding"].str(), opt("action"), opt("owner"), opt("due")});
    }
    const field cases = root["cases"];
    for (size_t i = 0; i < cases.size(); ++i) // cases that are not objects were kept in the tree
        r.cases_list.push_back(read_case(cases.at(i)));
    return r;
}

// ---------------------------------------------------------------------------------------------------------
// House style: the colours and sizes of casedoc render, one accent colour for the charts.

constexpr uint32_t heading_color = 0x1F3A5F, muted = 0x555555, accent = 0x1F4E79, accent_light = 0x9DB7D5,
                   grid_color = 0xD9D9D9, axis_color = 0x666666, alert_fill = 0xFBE9EB, alert_text = 0x8B0018;
constexpr float body_size = 9.5f, small_size = 8, table_size = 7.5f, tiny_size = 7;

rich_text span(std::string text, font_style style = font_style::regular, float size = body_size, uint32_t color = 0) {
    return {text_span{std::move(text), {style, size, color}}};
}
rich_text cell(std::string text, float size = table_size) { return span(std::move(text), font_style::regular, size); }
rich_text bold(std::string text, float size = table_size) { return span(std::move(text), font_style::bold, size); }

para_block para(rich_text t, float after = 4) {
    para_block p;
    p.text = std::move(t);
    p.space_after = after;
    return p;
}

std::string thousands(long long n) {
    std::string s = std::to_string(n), out;
    const size_t lead = s.size() % 3;
    for (size_t i = 0; i < s.size(); ++i) {
        if (i > 0 && i >= lead && (i - lead) % 3 == 0) out += ',';
        out += s[i];
    }
    return out;
}

std::string percent(std::optional<double> r) {
    if (!r) return "—";
    char b[32];
    std::snprintf(b, sizeof b, "%.1f%%", *r * 100.0);
    return b;
}

std::string percent_plain(double r) { // thresholds: "95%"
    char b[32];
    std::snprintf(b, sizeof b, "%g%%", r * 100.0);
    return b;
}

std::string change_points(std::optional<double> c) {
    if (!c) return "—";
    char b[32];
    std::snprintf(b, sizeof b, "%+.1f pts", *c * 100.0);
    return std::string(b).replace(0, 1, *c < 0 ? "−" : "+");
}

std::string words(std::string s) { // "not_met" → "not met"
    std::replace(s.begin(), s.end(), '_', ' ');
    return s;
}

// At most `max` code points, cut at a space when there is one in the last third, with "…".
std::string shorten(const std::string& s, size_t max) {
    size_t count = 0, cut = std::string::npos;
    for (size_t i = 0; i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++count == max + 1) {
            cut = i;
            break;
        }
    if (cut == std::string::npos) return s;
    std::string head = s.substr(0, cut);
    const size_t space = head.rfind(' ');
    if (space != std::string::npos && space > head.size() * 2 / 3) head.resize(space);
    while (!head.empty() && (head.back() == ' ' || head.back() == ',' || head.back() == ';')) head.pop_back();
    return head + "…";
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

struct builder {
    const report& r;
    const audit_pdf_options& options;
    pdf_layout& L;
    std::vector<layout_block> out;
    int section = 0;

    void heading(const std::string& text) {
        para_block p = para(span(std::to_string(++section) + "  " + text, font_style::bold, 14, heading_color), 4);
        p.space_before = 4;
        p.keep_with_next = true;
        out.push_back(std::move(p));
        rule_block rb;
        rb.color = heading_color;
        rb.space_before = 0;
        rb.space_after = 6;
        out.push_back(rb);
    }
    void subheading(const std::string& text) {
        para_block p = para(span(text, font_style::bold, 10.5f, heading_color), 3);
        p.space_before = 8;
        p.keep_with_next = true;
        out.push_back(std::move(p));
    }
    void note(const std::string& text) { out.push_back(para(span(text, font_style::italic, small_size, muted), 4)); }

    table_block table(std::vector<float> widths, std::vector<std::string> header, std::vector<text_align> aligns = {}) {
        table_block t;
        t.widths = std::move(widths);
        for (auto& h : header) t.header.push_back(bold(std::move(h)));
        t.aligns = std::move(aligns);
        t.padding = 2;
        t.grid_color = 0xB0B0B0;
        return t;
    }
    // Label and value pairs, labels bold.
    table_block key_values(const std::vector<std::pair<std::string, std::string>>& rows) {
        table_block t;
        t.widths = {1.3f, 4};
        t.grid_color = 0xC8C8C8;
        t.padding = 3;
        for (const auto& [k, v] : rows) t.rows.push_back({bold(k, small_size), cell(v, small_size)});
        return t;
    }

    // ---- charts ---------------------------------------------------------------------------------------
    struct bar {
        std::string label;
        double value;
        std::string note;
        double threshold;
    };
    // Horizontal bars of a rate each, 0–100 % axis with a grey grid, dashed reference lines at the thresholds;
    // bars below their threshold in the accent colour, the others in its light tint. Split into figures that
    // fit a page.
    void bar_chart(const std::vector<bar>& bars, const std::string& legend) {
        if (bars.empty()) return;
        const float W = L.text_width(), pitch = 13, bar_h = 8.5f, label_size = 7.5f, tick_size = 6.5f;
        float label_w = 0;
        for (const auto& b : bars) label_w = std::max(label_w, L.measure(span(b.label, font_style::regular, label_size)));
        label_w = std::min(label_w, W * 0.3f) + 4;
        const float x0 = label_w + 4, note_w = 84, plot_w = W - x0 - note_w;
        std::set<double> refs;
        for (const auto& b : bars) refs.insert(b.threshold);
        const float top = 12.0f * float(refs.size()) + 2, per_figure = 40;
        for (size_t first = 0; first < bars.size(); first += size_t(per_figure)) {
            const size_t n = std::min(bars.size() - first, size_t(per_figure));
            drawing_block d;
            const float plot_h = pitch * float(n), bottom = top + plot_h;
            d.height = bottom + 12;
            for (int t = 0; t <= 10; ++t) {
                const float x = x0 + plot_w * float(t) / 10;
                if (t > 0) d.shapes.push_back(drawing_block::line{x, top, x, bottom, t % 2 ? 0xEEEEEE : grid_color, 0.4f, 0});
                if (t % 2 == 0)
                    d.labels.push_back({x, bottom + 2.5f, span(std::to_string(t * 10) + "%", font_style::regular, tick_size, muted),
                                        text_align::center, 0});
            }
            for (size_t i = 0; i < n; ++i) {
                const bar& b = bars[first + i];
                const float yc = top + pitch * (float(i) + 0.5f);
                const float w = plot_w * float(std::clamp(b.value, 0.0, 1.0));
                if (w > 0) d.shapes.push_back(drawing_block::rect{x0, yc - bar_h / 2, w, bar_h, b.value < b.threshold ? accent : accent_light, no_color, 0});
                d.labels.push_back({label_w, yc - label_size * 0.6f, span(b.label, font_style::regular, label_size), text_align::right,
                                    label_w - 2});
                rich_text value = span(percent(b.value), font_style::bold, label_size);
                value.push_back({"  " + b.note, {font_style::regular, tick_size, muted}});
                d.labels.push_back({x0 + plot_w + 8, yc - label_size * 0.6f, std::move(value), text_align::left, note_w - 8});
            }
            d.shapes.push_back(drawing_block::line{x0, top, x0, bottom, axis_color, 0.7f, 0});
            d.shapes.push_back(drawing_block::line{x0, bottom, x0 + plot_w, bottom, axis_color, 0.7f, 0});
            int level = 0;
            for (auto it = refs.rbegin(); it != refs.rend(); ++it, ++level) {
                const float x = x0 + plot_w * float(*it);
                d.shapes.push_back(drawing_block::line{x, top - 12.0f * float(level) - 3, x, bottom, 0x333333, 0.8f, 2.5f});
                d.labels.push_back({x + 3, top - 12.0f * float(level) - 11,
                                    span(percent_plain(*it) + " threshold", font_style::regular, tick_size, 0x333333),
                                    text_align::left, 0});
            }
            out.push_back(std::move(d));
        }
        note(legend);
    }

    // ---- sections ---------------------------------------------------------------------------------------
    void cover() {
        para_block t = para(span(r.title, font_style::bold, 24, heading_color), 4);
        t.space_before = 24;
        out.push_back(std::move(t));
        out.push_back(para(span("Case-file compliance review · " + r.from + " to " + r.to, font_style::regular, 13, muted), 14));
        std::vector<std::pair<std::string, std::string>> kv = {
            {"Setting" + std::string(r.settings.size() == 1 ? "" : "s"), join(r.settings, ", ")},
            {"Period under review", r.from + " to " + r.to},
            {"Reviewer", r.reviewer},
            {"Universe", r.definition},
        };
        std::string sampling = r.method == "all" ? "all case records" : r.method == "random" ? "simple random sample" : r.method;
        if (!r.stratify_by.empty()) sampling += " by " + r.stratify_by;
        if (!r.seed.empty()) sampling += "; seed " + r.seed;
        sampling += "; " + thousands(r.size) + " of " + thousands(r.in_universe) + " case records in the universe";
        kv.emplace_back("Sampling", sampling);
        if (!r.params.empty()) {
            std::vector<std::string> p;
            for (const auto& [k, v] : r.params) p.push_back(k + " = " + v);
            kv.emplace_back("Parameters", join(p, "; "));
        }
        if (!r.inputs.empty()) kv.emplace_back("Inputs", join(r.inputs, "; "));
        kv.emplace_back("Generated by", r.generator + " (casedoc audit), from audit.json format casedoc-audit/1");
        if (r.pseudonymised) kv.emplace_back("Workers", "worker ids are pseudonymised (W- and a keyed hash)");
        out.push_back(key_values(kv));

        subheading("Rule sets applied");
        table_block rs = table({1.2f, 0.8f, 3, 1.1f, 1.1f, 0.6f}, {"Setting", "Version", "Title", "Effective from", "Effective to", "Cases"},
                               {text_align::left, text_align::left, text_align::left, text_align::left, text_align::left, text_align::right});
        for (const auto& s : r.rule_sets)
            rs.rows.push_back({cell(s.setting), cell(s.version), cell(s.title.empty() ? s.schema : s.title), cell(s.from),
                               cell(s.to.empty() ? "in force" : s.to), cell(s.cases)});
        out.push_back(std::move(rs));

        if (!r.strata.empty()) {
            subheading("Sample strata" + (r.stratify_by.empty() ? std::string() : " (by " + r.stratify_by + ")"));
            table_block st = table({3, 1, 1, 1}, {"Stratum", "Universe", "Requested", "Sampled"},
                                   {text_align::left, text_align::right, text_align::right, text_align::right});
            for (const auto& s : r.strata)
                st.rows.push_back({cell(s.key), cell(thousands(s.universe)), cell(thousands(s.requested)), cell(thousands(s.sampled))});
            out.push_back(std::move(st));
        }

        para_block attest = para(span("Attestation", font_style::bold, 10.5f, heading_color), 8);
        attest.space_before = 14;
        attest.keep_with_next = true;
        out.push_back(std::move(attest));
        para_block line = para({text_span{"Reviewed by  ", {font_style::regular, 10, 0}},
                                text_span{r.reviewer, {font_style::bold, 10, 0}},
                                text_span{"      ____________________________      Date  ______________", {font_style::regular, 10, 0}}},
                               3);
        line.keep_with_next = true;
        out.push_back(std::move(line));
        out.push_back(para(span("I reviewed the case records listed in the appendix against the rule sets above, for the period under review.",
                                font_style::italic, small_size, muted),
                           10));
        para_block privacy = para(span("Client names are not in this report: cases are identified by record id only.", font_style::regular,
                                       small_size, 0x333333),
                                  4);
        privacy.fill = 0xF2F2F2;
        privacy.padding = 4;
        out.push_back(std::move(privacy));
        out.push_back(page_break_block{});
    }

    void unreadable_alert(size_t limit) {
        if (r.unreadable_n == 0 && r.unreadable.empty()) return;
        const long long n = std::max<long long>(r.unreadable_n, (long long)r.unreadable.size());
        std::string text = thousands(n) + (n == 1 ? " record could not be read or checked" : " records could not be read or checked");
        para_block p = para(span(text, font_style::bold, 10.5f, alert_text), 0);
        p.fill = alert_fill;
        p.border = alert_text;
        p.padding = 5;
        for (size_t i = 0; i < r.unreadable.size() && i < limit; ++i) {
            const auto& u = r.unreadable[i];
            p.text.push_back({"\n" + u.file + (u.line.empty() ? "" : ":" + u.line + (u.column.empty() ? "" : ":" + u.column)) + ": " +
                                  u.message,
                              {font_style::regular, small_size, 0x333333}});
        }
        if (r.unreadable.size() > limit)
            p.text.push_back({"\n… and " + thousands(static_cast<long long>(r.unreadable.size() - limit)) + " more, listed in the appendix",
                              {font_style::italic, small_size, 0x333333}});
        p.space_after = 8;
        out.push_back(std::move(p));
    }

    void summary() {
        heading("Summary");
        unreadable_alert(10);
        table_block t = table({3, 1.3f, 1.3f, 1.3f}, {"Measure", "Met", "Of", "Rate"},
                              {text_align::left, text_align::right, text_align::right, text_align::right});
        t.rows.push_back({cell("Case outcome (every applicable error-severity item met)", small_size), cell(thousands(r.cases_met), small_size),
                          cell(thousands(r.cases), small_size), bold(percent(r.case_rate), small_size)});
        t.rows.push_back({cell("Item compliance (item ratings met of applicable)", small_size), cell(thousands(r.items_met), small_size),
                          cell(thousands(r.items_applicable), small_size), bold(percent(r.item_rate), small_size)});
        out.push_back(std::move(t));
        out.push_back(key_values({
            {"Cases reviewed", thousands(r.cases)},
            {"Findings", thousands(r.findings_n) + " (" + thousands(r.errors) + " error" + (r.errors == 1 ? "" : "s") + ", " +
                             thousands(r.warnings) + " warning" + (r.warnings == 1 ? "" : "s") + ")"},
            {"Corrective actions", thousands(static_cast<long long>(r.actions.size()))},
            {"Input files", thousands(r.files)},
            {"In the universe", thousands(r.in_universe)},
            {"Eliminated", thousands(r.eliminated_n) + (r.eliminated_n ? " (reasons in the appendix)" : "")},
            {"Unreadable", thousands(r.unreadable_n)},
        }));
        if (r.trend) {
            const field o{(*r.trend)["overall"], "trend.overall"};
            const auto prev = o["previous_rate"].rate(), now = o["rate"].rate();
            std::optional<double> change;
            if (o.has("change")) change = o["change"].number();
            else if (prev && now) change = *now - *prev;
            out.push_back(para(span("Item compliance " + percent(now) + " against " + percent(prev) + " in the previous review (" +
                                        change_points(change) + "); see Trend.",
                                    font_style::regular, small_size, 0x333333)));
        }
    }

    std::string item_label(const item_row& it) const {
        return r.settings.size() > 1 && std::count_if(r.items.begin(), r.items.end(), [&](const item_row& o) { return o.rule_id == it.rule_id; }) > 1
                   ? it.setting + " " + it.rule_id
                   : it.rule_id;
    }

    void items() {
        heading("Results by review item");
        note("Each rule of the setting's rule set is a review item, rated on every sampled case: met, not met, or not applicable (N/A).");
        table_block t = table({1.45f, 3.6f, 1.75f, 0.75f, 0.7f, 0.6f, 0.7f, 0.55f},
                              {"Rule", "Item", "Citation", "Severity", "Applic.", "Met", "%", "N/A"},
                              {text_align::left, text_align::left, text_align::left, text_align::left, text_align::right, text_align::right,
                               text_align::right, text_align::right});
        std::string setting;
        for (const auto& it : r.items) {
            if (r.settings.size() > 1 && it.setting != setting) {
                setting = it.setting;
                t.rows.push_back({bold(setting), {}, {}, {}, {}, {}, {}, {}});
            }
            t.rows.push_back({cell(it.rule_id), cell(shorten(it.title, 90)), cell(it.citation), cell(it.severity),
                              cell(thousands(it.applicable)), cell(thousands(it.met)),
                              it.rate && *it.rate < (it.severity == "error" ? options.threshold : options.warning_threshold) ? bold(percent(it.rate))
                                                                                                                          : cell(percent(it.rate)),
                              cell(thousands(it.not_applicable))});
        }
        out.push_back(std::move(t));
        subheading("Compliance by item");
        std::vector<bar> bars;
        for (const auto& it : r.items)
            if (it.applicable > 0)
                bars.push_back({item_label(it), it.rate.value_or(double(it.met) / double(it.applicable)),
                                thousands(it.met) + "/" + thousands(it.applicable),
                                it.severity == "error" ? options.threshold : options.warning_threshold});
        if (bars.empty()) note("No item applied to any sampled case.");
        bar_chart(bars, "Share of applicable cases that met each item (items with no applicable case are not shown). Dashed lines: the "
                        "conformity thresholds (error items " + percent_plain(options.threshold) + ", warnings " + percent_plain(options.warning_threshold) +
                            "); darker bars are below their threshold.");
    }

    void rollups() {
        heading("Roll-ups");
        const std::map<std::string, std::string> titles = {
            {"worker", "By worker"}, {"office", "By office"}, {"month", "By month"}, {"setting", "By setting"}};
        for (const char* kind : rollup_kinds) {
            const auto& rows = r.rollups.at(kind);
            subheading(titles.at(kind));
            if (rows.empty()) {
                note("None.");
                continue;
            }
            std::string key = kind;
            key[0] = char(key[0] - 'a' + 'A');
            table_block t = table({2.2f, 1, 1, 1, 1.2f, 1.2f, 1}, {key, "Cases", "Cases met", "Case rate", "Items applic.", "Items met", "Item rate"},
                                  {text_align::left, text_align::right, text_align::right, text_align::right, text_align::right,
                                   text_align::right, text_align::right});
            for (const auto& g : rows)
                t.rows.push_back({cell(g.key), cell(thousands(g.cases)), cell(thousands(g.cases_met)),
                                  cell(percent(g.cases ? std::optional<double>(double(g.cases_met) / double(g.cases)) : std::nullopt)),
                                  cell(thousands(g.applicable)), cell(thousands(g.met)), cell(percent(g.rate))});
            out.push_back(std::move(t));
            if (std::string(kind) == "worker") {
                std::vector<bar> bars;
                for (const auto& g : rows)
                    if (g.applicable > 0)
                        bars.push_back({g.key, g.rate.value_or(double(g.met) / double(g.applicable)),
                                        thousands(g.met) + "/" + thousands(g.applicable), options.threshold});
                subheading("Item compliance by worker");
                bar_chart(bars, "Item ratings met of applicable, per worker's sampled cases. Dashed line: the " + percent_plain(options.threshold) +
                                    " threshold; darker bars are below it.");
            }
        }
    }

    void timeliness() {
        const json& list = r.timeliness;
        if (list.empty()) return;
        heading("Timeliness");
        std::vector<const json*> deadlines, recurrences;
        for (const json& t : list) (t["kind"] == "deadline" ? deadlines : recurrences).push_back(&t);
        auto opt_text = [](const json& t, const char* key) {
            return t.contains(key) ? field{t[key], key}.text() : std::string();
        };
        auto count = [](const json& t, const char* key) { return thousands(t[key].get<long long>()); };
        auto rate = [](const json& t) { return percent(t["rate"].is_null() ? std::nullopt : std::optional<double>(t["rate"].get<double>())); };
        if (!deadlines.empty()) {
            subheading("Deadlines");
            table_block t = table({1, 3, 0.9f, 0.6f, 0.7f, 0.7f, 0.75f, 0.7f, 0.7f, 0.7f},
                                  {"Rule", "Deadline", "Limit", "N", "Within", "Rate", "Median", "P90", "Max", "Pending"},
                                  {text_align::left, text_align::left, text_align::right, text_align::right, text_align::right,
                                   text_align::right, text_align::right, text_align::right, text_align::right, text_align::right});
            for (const json* d : deadlines) {
                const std::string unit = opt_text(*d, "unit");
                t.rows.push_back({cell((*d)["rule_id"].get<std::string>()), cell(shorten(opt_text(*d, "title"), 80)),
                                  cell(opt_text(*d, "limit") + (unit.empty() ? "" : " " + unit)), cell(count(*d, "n")),
                                  cell(count(*d, "within")), bold(rate(*d)), cell(opt_text(*d, "median")), cell(opt_text(*d, "p90")),
                                  cell(opt_text(*d, "max")), cell(count(*d, "pending"))});
            }
            out.push_back(std::move(t));
            // The distribution: one row per deadline, a column per bucket (labels from the first deadline).
            std::vector<std::string> labels;
            for (const json& b : (*deadlines[0])["buckets"]) labels.push_back(b["label"].get<std::string>());
            if (!labels.empty()) {
                subheading("Elapsed time, share of the limit (cases)");
                std::vector<float> widths{1};
                std::vector<std::string> header{"Rule"};
                std::vector<text_align> aligns{text_align::left};
                for (const auto& l : labels) {
                    widths.push_back(0.9f);
                    header.push_back(l);
                    aligns.push_back(text_align::right);
                }
                table_block b = table(widths, header, aligns);
                for (const json* d : deadlines) {
                    std::vector<rich_text> row{cell((*d)["rule_id"].get<std::string>())};
                    for (size_t i = 0; i < labels.size(); ++i) {
                        const json& bs = (*d)["buckets"];
                        row.push_back(cell(i < bs.size() ? thousands(bs[i]["count"].get<long long>()) : ""));
                    }
                    b.rows.push_back(std::move(row));
                }
                out.push_back(std::move(b));
            }
        }
        if (!recurrences.empty()) {
            subheading("Recurring requirements");
            table_block t = table({1, 3.6f, 0.8f, 0.7f, 0.8f, 0.8f, 0.7f}, {"Rule", "Requirement", "Unit", "Cases", "Periods", "Met", "Rate"},
                                  {text_align::left, text_align::left, text_align::left, text_align::right, text_align::right,
                                   text_align::right, text_align::right});
            for (const json* d : recurrences)
                t.rows.push_back({cell((*d)["rule_id"].get<std::string>()), cell(shorten(opt_text(*d, "title"), 90)),
                                  cell(opt_text(*d, "unit")), cell(count(*d, "n")), cell(count(*d, "periods")),
                                  cell(count(*d, "periods_met")), bold(rate(*d))});
            out.push_back(std::move(t));
        }
    }

    void trend() {
        if (!r.trend) return;
        const json& t = *r.trend;
        heading("Trend");
        std::string prev;
        if (t.contains("previous") && t["previous"].is_object()) {
            const json& p = t["previous"];
            if (p.contains("period") && p["period"].is_object())
                prev = "the previous review (" + p["period"].value("from", std::string("?")) + " to " + p["period"].value("to", std::string("?")) + ")";
            if (p.contains("file") && p["file"].is_string()) prev += (prev.empty() ? "" : ", ") + p["file"].get<std::string>();
        }
        note("Compared with " + (prev.empty() ? std::string("the previous review") : prev) + ".");
        auto rate = [](const json& j, const char* key) {
            return j.contains(key) && j[key].is_number() ? std::optional<double>(j[key].get<double>()) : std::nullopt;
        };
        auto change = [&](const json& j) {
            if (auto c = rate(j, "change")) return c;
            const auto a = rate(j, "previous_rate"), b = rate(j, "rate");
            return a && b ? std::optional<double>(*b - *a) : std::nullopt;
        };
        table_block tb = table({1.4f, 3, 1, 1, 1.1f}, {"Rule", "Item", "Previous", "This review", "Change"},
                               {text_align::left, text_align::left, text_align::right, text_align::right, text_align::right});
        const json& o = t["overall"];
        tb.rows.push_back({bold("All items"), cell(""), bold(percent(rate(o, "previous_rate"))), bold(percent(rate(o, "rate"))),
                           bold(change_points(change(o)))});
        std::map<std::string, std::string> titles;
        for (const auto& it : r.items) titles.emplace(it.rule_id, it.title);
        for (const json& i : t["items"]) {
            const std::string id = i["rule_id"].get<std::string>();
            tb.rows.push_back({cell(id), cell(shorten(titles.count(id) ? titles[id] : "", 70)), cell(percent(rate(i, "previous_rate"))),
                               cell(percent(rate(i, "rate"))), cell(change_points(change(i)))});
        }
        out.push_back(std::move(tb));
    }

    void findings() {
        heading("Findings");
        if (r.findings.empty()) {
            note("Every applicable item was met on every sampled case.");
            return;
        }
        note("One finding per item not met on at least one sampled case, errors first, then by the number of cases. The evidence lists "
             "every case not met, with the first finding of the rule in the record.");
        int n = 0;
        for (const auto& f : r.findings) {
            // Heading, item and count in one paragraph, kept with the first rows of the evidence.
            para_block h = para({text_span{"F" + std::to_string(++n) + "  " + f.rule_id, {font_style::bold, 11, heading_color}},
                                 text_span{"   " + f.severity + (f.citation.empty() ? "" : " · " + f.citation) +
                                               (f.setting.empty() ? "" : " · " + f.setting),
                                           {font_style::regular, small_size, muted}}},
                                2);
            if (!f.title.empty()) h.text.push_back({"\n" + f.title, {font_style::regular, small_size, 0}});
            h.text.push_back({"\n" + thousands(f.cases) + " of " + thousands(f.applicable) + " applicable cases not met (" +
                                  percent(f.applicable ? std::optional<double>(double(f.cases) / double(f.applicable)) : std::nullopt) + ")",
                              {font_style::bold, small_size, 0x333333}});
            h.space_before = 10;
            h.keep_with_next = true;
            out.push_back(std::move(h));
            table_block t = table({1.25f, 1.05f, 0.8f, 0.95f, 1.05f, 0.45f, 4.45f},
                                  {"Record", "Worker", "Office", "As of", "Element", "Line", "Narrative"},
                                  {text_align::left, text_align::left, text_align::left, text_align::left, text_align::left, text_align::right,
                                   text_align::left});
            t.rows.reserve(f.evidence.size());
            for (const auto& e : f.evidence)
                t.rows.push_back({cell(e.record_id, tiny_size), cell(e.worker, tiny_size), cell(e.office, tiny_size), cell(e.as_of, tiny_size),
                                  cell(e.element, tiny_size), cell(e.line, tiny_size), cell(e.narrative, tiny_size)});
            out.push_back(std::move(t));
        }
    }

    void actions() {
        heading("Corrective action plan");
        if (r.actions.empty()) {
            note("No error-severity finding: no corrective action is required.");
            return;
        }
        note("One action per error-severity finding. The agency fills in the action, its owner and due date.");
        for (const auto& a : r.actions) {
            para_block h = para({text_span{a.number + ".  " + a.headline, {font_style::bold, 10, heading_color}},
                                 text_span{"\n" + a.rule_id + (a.citation.empty() ? "" : " · " + a.citation) +
                                               (a.severity.empty() ? "" : " · " + a.severity),
                                           {font_style::regular, small_size, muted}}},
                                2);
            h.space_before = 8;
            h.keep_with_next = true;
            out.push_back(std::move(h));
            table_block t;
            t.widths = {1, 5};
            t.grid_color = 0xB0B0B0;
            t.padding = 4;
            t.rows.push_back({bold("Finding", small_size), cell(a.finding, small_size)});
            t.rows.push_back({bold("Action", small_size), cell(a.action.empty() ? "\n" : a.action, small_size)});
            t.rows.push_back({bold("Owner", small_size), cell(a.owner, small_size)});
            t.rows.push_back({bold("Due date", small_size), cell(a.due, small_size)});
            t.space_after = 4;
            out.push_back(std::move(t));
        }
    }

    void appendix() {
        out.push_back(page_break_block{});
        heading("Appendix");
        subheading("A  Sampled cases (" + thousands(static_cast<long long>(r.cases_list.size())) + ")");
        table_block t = table({1.3f, 1.1f, 0.8f, 0.8f, 0.65f, 0.8f, 0.65f, 2.3f},
                              {"Record", "Setting", "Worker", "Office", "Month", "Stratum", "Outcome", "Not met"});
        t.padding = 1.6f;
        t.row_count = r.cases_list.size();
        t.row_source = [this](size_t i) {
            const case_row& c = r.cases_list[i];
            return std::vector<rich_text>{cell(c.record_id, tiny_size), cell(c.setting, tiny_size), cell(c.worker, tiny_size),
                                          cell(c.office, tiny_size), cell(c.month, tiny_size), cell(c.stratum, tiny_size),
                                          c.outcome == "met" ? cell(c.outcome, tiny_size) : bold(words(c.outcome), tiny_size),
                                          cell(c.not_met, tiny_size)};
        };
        if (t.row_count == 0) note("No case was sampled.");
        else out.push_back(std::move(t));

        subheading("B  Eliminated records (" + thousands(static_cast<long long>(r.eliminated.size())) + ")");
        if (r.eliminated.empty()) note("None.");
        else {
            table_block e = table({3, 1.3f, 3}, {"File", "Record", "Reason"});
            for (const auto& x : r.eliminated) e.rows.push_back({cell(x.file, tiny_size), cell(x.record_id, tiny_size), cell(x.reason, tiny_size)});
            out.push_back(std::move(e));
        }
        subheading("C  Records that could not be read or checked (" + thousands(static_cast<long long>(r.unreadable.size())) + ")");
        if (r.unreadable.empty()) note("None.");
        else {
            table_block u = table({3, 0.6f, 0.6f, 3.5f}, {"File", "Line", "Column", "Message"},
                                  {text_align::left, text_align::right, text_align::right, text_align::left});
            for (const auto& x : r.unreadable)
                u.rows.push_back({cell(x.file, tiny_size), cell(x.line, tiny_size), cell(x.column, tiny_size), cell(x.message, tiny_size)});
            out.push_back(std::move(u));
        }
    }
};

std::vector<layout_block> frame_row(const std::string& left, const std::string& right, float size, uint32_t color, bool left_bold) {
    table_block t;
    t.widths = {3, 2};
    t.aligns = {text_align::left, text_align::right};
    t.grid = false;
    t.padding = 0;
    t.space_before = 0;
    t.space_after = 0;
    t.rows.push_back({span(left, left_bold ? font_style::bold : font_style::regular, size, color), span(right, font_style::regular, size, color)});
    return {t};
}

} // namespace

std::string render_audit_pdf(const std::string& audit_json_text, const audit_pdf_options& options) {
    const report r = read_report(audit_json_text);

    template_catalog defaults;
    const template_catalog* templates = options.templates;
    if (!templates) {
        defaults.add_default_directories();
        templates = &defaults;
    }
    const pdf_resources res = pdf_resources::load(templates->common()->pdf_files());
    pdf_layout layout(res.fonts, res.geometry);

    builder b{r, options, layout, {}, 0};
    b.cover();
    b.summary();
    b.items();
    b.rollups();
    b.timeliness();
    b.trend();
    b.findings();
    b.actions();
    b.appendix();

    const std::string period = r.from + " to " + r.to;
    const auto header = [&](int, int) {
        auto blocks = frame_row(r.title, "Period under review " + period, 7.5f, 0x222222, true);
        rule_block rb;
        rb.space_before = 2;
        rb.space_after = 0;
        rb.width = 0.5f;
        blocks.push_back(rb);
        return blocks;
    };
    const auto footer = [&](int page, int pages) {
        rule_block rb;
        rb.space_before = 0;
        rb.space_after = 2;
        rb.width = 0.5f;
        std::vector<layout_block> blocks{rb};
        auto row = frame_row(r.generator + " · casedoc audit · reviewer " + r.reviewer, "Page " + std::to_string(page) + " of " + std::to_string(pages),
                             6.5f, 0x333333, false);
        blocks.insert(blocks.end(), row.begin(), row.end());
        return blocks;
    };
    // Pages are written as they are laid out, their headers and footers ("Page N of M") once M is known.
    pdf_document pdf;
    layout.run(
        b.out, header, footer,
        [&](int, laid_out_page&& page) { pdf.add_page(res.geometry.width, res.geometry.height, layout.content(page, pdf)); },
        [&](int page, laid_out_page&& frame) { pdf.append_content(size_t(page - 1), layout.content(frame, pdf)); });
    const std::string digest = sha256::hex(sha256::of(audit_json_text));
    pdf_info pi;
    pi.title = r.title + ", " + period;
    pi.author = r.reviewer;
    pi.subject = "Case-file compliance review of " + join(r.settings, ", ") + " case records, " + period;
    pi.keywords = "casedoc; audit; " + join(r.settings, "; ");
    pi.creator = "casedoc audit (" + r.generator + ")";
    pi.producer = std::string("casedoc ") + CASEDOC_VERSION + " with libharu " + HPDF_VERSION_TEXT;
    pi.date = r.to; // the end of the period: no clock is read
    pi.source_sha256 = digest;
    pdf.set_info(pi);
    pdf.set_output_intent(res.icc_deflated, res.icc_id);
    sha256 id;
    id.update(digest).update("|audit|").update(res.font_digest).update("|").update(CASEDOC_VERSION);
    const auto full = id.finish();
    std::array<uint8_t, 16> file_id{};
    std::copy(full.begin(), full.begin() + 16, file_id.begin());
    pdf.set_id(file_id);
    return pdf.save();
}

} // namespace casedoc
