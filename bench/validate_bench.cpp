// Validation benchmark: generates a deterministic caseload, checks it with one thread and with all cores,
// and prints throughput and peak memory. For child_welfare (the default) the caseload is synthetic case
// records in the format of plugins/child_welfare/samples/valid/case-record-*.xml; for another setting it
// is that setting's sample records (plugins/<id>/samples/{valid,invalid}, notes and case records), taken
// in turn, each copy with its own record id.
//
//   casedoc_bench_validate [--setting ID] [--records N] [--seed S] [--out DIR] [--keep]
#include <casedoc/check/batch.hpp>
#include <casedoc/check/report.hpp>
#include <casedoc/check/validator.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/schematron/schema_catalog.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace std::chrono;

namespace {

// ---- generation -------------------------------------------------------------------------------------

struct person {
    const char* first;
    const char* last;
};

constexpr std::array<const char*, 16> child_first{"José",  "Lucía", "Zoe",   "Mateo", "Amara", "Liam",
                                                  "Sofía", "Noah",  "Imani", "Ethan", "Maya",  "Diego",
                                                  "Aiyana", "Kai",  "Chloé", "Andrés"};
constexpr std::array<const char*, 16> family_last{"Núñez",  "Smith",    "Nguyen", "Okafor",  "García",  "Johnson",
                                                  "Kowalski", "Haddad", "Begay",  "Müller",  "Brown",   "Tanaka",
                                                  "Ortiz",  "Williams", "Dubois", "Castillo"};
constexpr std::array<const char*, 10> parent_first{"María", "Héctor", "Angela", "Marcus", "Thi",
                                                   "Grace", "Samuel", "Renata", "Omar",   "Linda"};
constexpr std::array<person, 8> caregivers{{{"Rosa", "Delgado"},
                                            {"Helen", "Park"},
                                            {"Ibrahim", "Said"},
                                            {"Joan", "Whitfield"},
                                            {"Carmen", "Vidal"},
                                            {"Peter", "Lindqvist"},
                                            {"Ngozi", "Adeyemi"},
                                            {"Ruth", "Blackfeather"}}};
constexpr std::array<person, 6> workers{{{"Dana", "Reyes"},
                                         {"Alex", "Moreau"},
                                         {"Priya", "Raman"},
                                         {"Jordan", "Ellis"},
                                         {"Sam", "Okonkwo"},
                                         {"Taylor", "Brandt"}}};
constexpr std::array<const char*, 4> offices{"North", "South", "East", "West"};
constexpr std::array<const char*, 3> credentials{"LBSW", "LMSW", "BSW"};
constexpr std::array<const char*, 4> reasons{"neglect", "physical-abuse", "neglect", "parental-substance-use"};

struct visit_text {
    const char* data;
    const char* assessment;
    const char* plan;
};
// "@" is replaced by the child's first name, "%" by the caregiver's full name.
constexpr std::array<visit_text, 4> visit_texts{{
    {"@ was at home with % after school. @ showed me the bedroom, which is clean and has a working smoke "
     "detector; the home has food and the medications are locked away.",
     "@ appears settled and says they feel safe with %. No new safety concerns were observed or reported.",
     "Next visit in four weeks; confirm the family-visit schedule with the parent and send the school release "
     "to %."},
    {"@ talked about school and the weekend visit with the parent, which went well according to both @ and %. "
     "@ is sleeping through the night and eating well.",
     "Placement remains stable and meets @'s needs; the visits with the parent are consistent and positive.",
     "Request the visit-supervisor reports; schedule the dental cleaning; next caseworker visit next month."},
    {"Met @ privately for twenty minutes, then with %. @ described an argument with a classmate that the "
     "school handled and did not want to change schools.",
     "No safety concerns. @ is coping; the conflict at school was age-typical and was resolved by staff.",
     "Follow up with the school counselor; continue therapy weekly; next visit in four weeks."},
    {"@ was calm and engaged. % reported one missed therapy appointment because of car trouble; it was "
     "rescheduled. The home was observed to be safe and appropriate.",
     "Therapy attendance is good overall; transportation is a barrier for % on weekdays.",
     "Authorize bus passes for %; confirm the rescheduled appointment; next visit next month."},
}};

std::string substitute(const char* text, const std::string& child, const std::string& caregiver) {
    std::string out;
    for (const char* p = text; *p; ++p) {
        if (*p == '@')
            out += child;
        else if (*p == '%')
            out += caregiver;
        else
            out += *p;
    }
    return out;
}

std::string two(unsigned v) {
    std::string s = std::to_string(v);
    return s.size() < 2 ? "0" + s : s;
}

std::string date_str(sys_days d) {
    year_month_day ymd{d};
    return std::to_string(int(ymd.year())) + "-" + two(unsigned(ymd.month())) + "-" + two(unsigned(ymd.day()));
}

std::string stamp(sys_days d, unsigned hour, unsigned minute) {
    return date_str(d) + "T" + two(hour) + ":" + two(minute);
}

template <class T, size_t N>
const T& pick(std::mt19937_64& rng, const std::array<T, N>& a) {
    return a[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

int uniform(std::mt19937_64& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

enum class defect { none, missing_visit_month, late_case_plan, unsigned_visit, visit_topics_missing };

struct note_writer {
    std::string& out;
    std::string worker_id, worker_name, credential;

    // Opens a note and writes its author; entered three hours after service.
    void open(const char* type, const std::string& id, sys_days day, unsigned hour, unsigned minute,
              const char* format) {
        out += "    <note type=\"";
        out += type;
        out += "\" id=\"" + id + "\" service-at=\"" + stamp(day, hour, minute) + "\" entered-at=\"" +
               stamp(day, hour + 3, minute) + "\" format=\"" + format + "\">\n";
        out += "      <author id=\"" + worker_id + "\" name=\"" + worker_name + "\" role=\"caseworker\" credential=\"" +
               credential + "\"/>\n";
    }
    void sign(sys_days day, unsigned hour, unsigned minute) {
        out += "      <signature signer=\"" + worker_id + "\" name=\"" + worker_name +
               "\" role=\"caseworker\" credential=\"" + credential + "\" signed-at=\"" +
               stamp(day, hour + 3, minute + 6) + "\" method=\"electronic\"/>\n";
    }
    void close() { out += "    </note>\n"; }
};

struct generated {
    std::string xml;
    bool defective = false;
};

generated make_record(std::mt19937_64& rng, size_t index) {
    generated g;
    std::string& x = g.xml;
    x.reserve(32 * 1024);

    // Who.
    const std::string first = pick(rng, child_first);
    const std::string last = pick(rng, family_last);
    const std::string child = first + " " + last;
    const std::string mother = std::string(pick(rng, parent_first)) + " " + last;
    const std::string father = std::string(pick(rng, parent_first)) + " " + last;
    const person& cg = pick(rng, caregivers);
    const std::string caregiver = std::string(cg.first) + " " + cg.last;
    const size_t wi = std::uniform_int_distribution<size_t>(0, workers.size() - 1)(rng);
    const std::string worker_id = "u" + std::to_string(10 + wi);
    const std::string worker_name = std::string(workers[wi].first) + " " + workers[wi].last;
    const std::string credential = pick(rng, credentials);
    const char* office = pick(rng, offices);

    // When: removal on day 1..20 of a month in 2024-2025 (the 2024 schema), as-of at the end of a month
    // 8..11 months later (before the first permanency hearing is due).
    const year_month removal_month = year_month{year{2024}, month{1}} + months{uniform(rng, 0, 17)};
    const sys_days removal = sys_days{removal_month / day(unsigned(uniform(rng, 1, 20)))};
    const int span = uniform(rng, 8, 11);
    const year_month last_month = removal_month + months{span};
    const sys_days as_of = sys_days{last_month / std::chrono::last};
    const year_month_day removal_ymd{removal};
    // Youth 14..16 at removal (born 15..17 years before, any day of the year), so the case plan records a consultation.
    const sys_days birth = sys_days{year_month_day{removal_ymd.year() - years{uniform(rng, 15, 17)},
                                                   month{unsigned(uniform(rng, 1, 12))}, day{unsigned(uniform(rng, 1, 28))}}};

    // What goes wrong in about one record in five.
    defect d = defect::none;
    if (uniform(rng, 0, 99) < 20) {
        d = static_cast<defect>(uniform(rng, 1, 4));
        g.defective = true;
    }

    const std::string n = std::to_string(100000 + index);
    const std::string yy = std::to_string(int(removal_ymd.year()) % 100);
    const std::string record_id = "CR-" + std::to_string(int(removal_ymd.year())) + "-" + n;
    const std::string cause = "D-1-FM-" + yy + "-" + n;
    const char* placement = uniform(rng, 0, 1) ? "relative-foster-home" : "foster-family-home";

    x += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    x += "<case-record xmlns=\"urn:casedoc:record:1\" format-version=\"1.0\" setting=\"child_welfare\" "
         "type=\"case-record\" id=\"" +
         record_id + "\" as-of=\"" + date_str(as_of) + "\" office=\"" + office + "\" worker=\"" + worker_id + "\">\n";
    x += "  <client id=\"C-" + n + "\" name=\"" + child + "\" birth-date=\"" + date_str(birth) + "\"/>\n";
    x += "  <events>\n";
    x += "    <event type=\"removal\" date=\"" + date_str(removal) + "\" reason=\"" + pick(rng, reasons) + "\"/>\n";
    x += "    <event type=\"placement\" date=\"" + date_str(removal) + "\" placement-type=\"" + placement + "\"/>\n";
    x += "  </events>\n";
    x += "  <notes>\n";

    note_writer w{x, worker_id, worker_name, credential};
    const std::string court = "Springfield County District Court";
    const std::string judge = "Hon. Beatriz Salinas";

    // The notes, by day; written in date order below.
    struct planned {
        sys_days day;
        int kind; // 0 shelter, 1 visit, 2 case plan, 3 adjudication, 4 periodic review
        unsigned hour;
    };
    std::vector<planned> plan;
    plan.push_back({removal + days{2}, 0, 9});
    plan.push_back({removal + days{2}, 1, 16});
    const sys_days plan_day = removal + days{d == defect::late_case_plan ? uniform(rng, 62, 80) : uniform(rng, 15, 28)};
    plan.push_back({plan_day, 2, 10});
    const sys_days adjudication = removal + days{uniform(rng, 35, 50)};
    plan.push_back({adjudication, 3, 9});
    plan.push_back({adjudication + days{uniform(rng, 150, 175)}, 4, 13});
    const int skipped = d == defect::missing_visit_month ? uniform(rng, 1, span) : -1;
    for (int m = 1; m <= span; ++m) {
        if (m == skipped) continue;
        const year_month ym = removal_month + months{m};
        plan.push_back({sys_days{ym / day(unsigned(uniform(rng, 1, 26)))}, 1, 16});
        if (uniform(rng, 0, 99) < 30) // a second visit this month
            plan.push_back({sys_days{ym / day(unsigned(uniform(rng, 1, 26)))}, 1, 11});
    }
    std::stable_sort(plan.begin(), plan.end(), [](const planned& a, const planned& b) {
        return a.day != b.day ? a.day < b.day : a.hour < b.hour;
    });
    // Which visit note carries the defect, when the defect is in one note.
    size_t visits = 0;
    for (const planned& p : plan) visits += p.kind == 1;
    const size_t bad_visit = std::uniform_int_distribution<size_t>(0, visits - 1)(rng);

    size_t visit_no = 0, hearing_no = 0;
    for (const planned& p : plan) {
        switch (p.kind) {
        case 0:
        case 3:
        case 4: {
            const std::string id = "N-" + n + "-H" + std::to_string(++hearing_no);
            w.open("court-hearing", id, p.day, p.hour, 0, "narrative");
            if (p.kind == 0) {
                x += "      <section code=\"summary\">Shelter hearing after " + first +
                     "'s removal. The court found continuation in the home contrary to the child's welfare and that "
                     "reasonable efforts to prevent removal were made; temporary managing conservatorship to the "
                     "agency.</section>\n";
                x += "      <hearing kind=\"shelter\" court=\"" + court + "\" judge=\"" + judge + "\" cause-number=\"" +
                     cause + "\">\n";
                x += "        <finding code=\"contrary-to-welfare\"/>\n";
                x += "        <finding code=\"reasonable-efforts-prevent\" determination=\"made\"/>\n";
                x += "      </hearing>\n";
            } else if (p.kind == 3) {
                x += "      <section code=\"summary\">Adjudication: the court found that " + first +
                     " was neglected. Disposition set; family time continues.</section>\n";
                x += "      <hearing kind=\"adjudication\" court=\"" + court + "\" judge=\"" + judge +
                     "\" cause-number=\"" + cause + "\">\n";
                x += "        <finding code=\"abuse-neglect\"/>\n";
                x += "      </hearing>\n";
            } else {
                x += "      <section code=\"summary\">Six-month review. The court reviewed " + first +
                     "'s placement, services and progress and found the agency in compliance with the plan.</section>\n";
                x += "      <hearing kind=\"periodic-review\" court=\"" + court + "\" judge=\"" + judge +
                     "\" cause-number=\"" + cause + "\">\n";
                x += "      </hearing>\n";
            }
            w.sign(p.day, p.hour, 0);
            w.close();
            break;
        }
        case 1: {
            const size_t this_visit = visit_no++;
            const std::string id = "N-" + n + "-V" + two(unsigned(visit_no));
            const unsigned minute = unsigned(uniform(rng, 0, 5)) * 5;
            w.open("caseworker-visit", id, p.day, p.hour, minute, "DAP");
            const visit_text& t = pick(rng, visit_texts);
            const int where = uniform(rng, 0, 9);
            const char* location = where < 8 ? "child-residence" : where == 8 ? "school" : "office";
            x += "      <section code=\"data\">" + substitute(t.data, first, caregiver) + "</section>\n";
            x += "      <section code=\"assessment\">" + substitute(t.assessment, first, caregiver) + "</section>\n";
            x += "      <section code=\"plan\">" + substitute(t.plan, first, caregiver) + "</section>\n";
            x += "      <visit face-to-face=\"true\" location=\"" + std::string(location) +
                 "\" private-contact=\"true\" duration-minutes=\"" + std::to_string(uniform(rng, 30, 75)) + "\">\n";
            if (!(d == defect::visit_topics_missing && this_visit == bad_visit)) {
                x += "        <topic code=\"safety\">Home observed; " + first +
                     " reports feeling safe; no injuries or new concerns.</topic>\n";
                x += "        <topic code=\"permanency\">Reviewed progress toward the permanency goal and the "
                     "family-visit schedule with " +
                     first + ".</topic>\n";
            }
            x += "        <topic code=\"well-being\">Discussed school, health appointments, friends and "
                 "activities.</topic>\n";
            x += "      </visit>\n";
            if (!(d == defect::unsigned_visit && this_visit == bad_visit)) w.sign(p.day, p.hour, minute);
            w.close();
            break;
        }
        case 2: {
            const std::string id = "N-" + n + "-P1";
            w.open("case-plan", id, p.day, p.hour, 0, "narrative");
            x += "      <section code=\"summary\">Initial case plan for " + first +
                 ", developed at a family team meeting with the participants listed.</section>\n";
            x += "      <case-plan kind=\"initial\" goal=\"reunification\" concurrent-goal=\"guardianship\">\n";
            x += "        <child-consultation consulted=\"true\" date=\"" + date_str(p.day - days{3}) +
                 "\" method=\"in-person\">" + first +
                 " asked to stay at the same school and to see their siblings every week.</child-consultation>\n";
            x += "        <participant role=\"parent\" name=\"" + mother + "\" date=\"" + date_str(p.day) + "\"/>\n";
            x += "        <parent-non-participation parent=\"" + father +
                 "\" reason=\"Incarcerated; the plan was mailed and there was no response.\"/>\n";
            x += "        <participant role=\"caregiver\" name=\"" + caregiver + "\" date=\"" + date_str(p.day) + "\"/>\n";
            x += "        <team-member name=\"Tomás Aguilar\" relationship=\"coach\" chosen-by-child=\"true\"/>\n";
            x += "        <team-member name=\"Valeria Ruiz\" relationship=\"cousin\" chosen-by-child=\"true\"/>\n";
            x += "        <team-member name=\"Sofía Herrera\" relationship=\"therapist\" chosen-by-child=\"false\"/>\n";
            x += "        <placement type=\"" + std::string(placement) + "\" since=\"" + date_str(removal) +
                 "\" caregiver=\"" + caregiver + "\">\n";
            x += "          <safety-discussion>" + caregiver +
                 "'s home passed the home assessment and background checks; it is near " + first +
                 "'s school and keeps the siblings together for visits. It is the least restrictive safe "
                 "setting.</safety-discussion>\n";
            x += "        </placement>\n";
            x += "        <services>\n";
            x += "          <service for=\"parent\">Parenting class (12 weeks) and substance-use assessment for the "
                 "mother; supervised family time twice a week.</service>\n";
            x += "          <service for=\"child\">Trauma-focused therapy weekly for " + first +
                 "; tutoring twice a week.</service>\n";
            x += "          <service for=\"foster-parent\">Kinship navigator support and respite for " + caregiver +
                 "; training on trauma-informed care.</service>\n";
            x += "        </services>\n";
            x += "        <health>\n";
            x += "          <provider name=\"Dr. Amélie Fournier\" address=\"1200 Oak Street, Springfield\" "
                 "role=\"primary-care\"/>\n";
            x += "          <immunizations status=\"up-to-date\">Up to date per the state immunization "
                 "registry.</immunizations>\n";
            x += "          <medical-problems>Mild persistent asthma.</medical-problems>\n";
            x += "          <medications>Albuterol inhaler as needed.</medications>\n";
            x += "        </health>\n";
            x += "        <education>\n";
            x += "          <school name=\"Lincoln High School\" address=\"400 Elm Avenue, Springfield\" "
                 "grade-level=\"" +
                 std::to_string(9 + uniform(rng, 0, 2)) + "\"/>\n";
            x += "        </education>\n";
            x += "      </case-plan>\n";
            w.sign(p.day, p.hour, 0);
            x += "      <signature signer=\"u05\" name=\"Renée Château\" role=\"supervisor\" credential=\"LCSW\" "
                 "signed-at=\"" +
                 stamp(p.day + days{1}, 6, 0) + "\" method=\"electronic\"/>\n";
            w.close();
            break;
        }
        }
    }
    x += "  </notes>\n";
    x += "</case-record>\n";
    return g;
}

// ---- measurement ------------------------------------------------------------------------------------

double peak_rss_mb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_maxrss) / 1024.0; // kilobytes on Linux
}

struct pass_result {
    casedoc::batch_summary summary;
    double seconds = 0;
};

pass_result run_pass(const std::vector<std::string>& files, unsigned jobs, const casedoc::plugin_host& host,
                     const casedoc::schema_catalog& cat) {
    pass_result r;
    const auto start = steady_clock::now();
    casedoc::run_batch(files, jobs, host, cat, casedoc::validator_options{},
                       [&](casedoc::record_result&& res) { r.summary.add(res); });
    r.seconds = duration<double>(steady_clock::now() - start).count();
    return r;
}

// Reading and parsing alone (what check_file does before any rule runs), one thread: the ceiling for
// validation on this machine, printed beside it.
double parse_pass(const std::vector<std::string>& files) {
    const auto start = steady_clock::now();
    size_t elements = 0;
    for (const std::string& f : files) elements += !casedoc::xml_document::load_file(f).root().empty();
    if (elements != files.size()) throw std::runtime_error("a generated record did not parse");
    return duration<double>(steady_clock::now() - start).count();
}

[[noreturn]] void usage(const char* argv0) {
    std::cerr << "usage: " << argv0 << " [--setting ID] [--records N] [--seed S] [--out DIR] [--keep]\n";
    std::exit(2);
}

// The sample records of a setting, valid then invalid, sorted; with whether each is a valid one.
std::vector<std::pair<std::string, bool>> setting_samples(const std::string& setting) {
    std::vector<std::pair<std::string, bool>> out;
    for (const char* kind : {"valid", "invalid"}) {
        const fs::path dir = fs::path(CASEDOC_SOURCE_DIR) / "plugins" / setting / "samples" / kind;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".xml") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            std::ifstream in(f, std::ios::binary);
            out.emplace_back(std::string(std::istreambuf_iterator<char>(in), {}), std::string(kind) == "valid");
        }
    }
    if (out.empty()) throw std::runtime_error("no sample records for setting '" + setting + "'");
    return out;
}

// A copy of a sample with the root element's id made unique.
std::string with_record_id(const std::string& xml, size_t index) {
    size_t root = xml.find("\n<case-record");
    if (root == std::string::npos) root = xml.find("\n<note");
    const size_t id = root == std::string::npos ? std::string::npos : xml.find(" id=\"", root);
    if (id == std::string::npos) return xml;
    const size_t end = xml.find('"', id + 5);
    return xml.substr(0, id + 5) + "BENCH-" + std::to_string(index) + xml.substr(end);
}

} // namespace

int main(int argc, char** argv) try {
    size_t records = 10000;
    uint64_t seed = 20240101;
    fs::path out;
    bool keep = false;
    std::string setting = "child_welfare";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--setting" && i + 1 < argc)
            setting = argv[++i];
        else if (a == "--records" && i + 1 < argc)
            records = std::stoull(argv[++i]);
        else if (a == "--seed" && i + 1 < argc)
            seed = std::stoull(argv[++i]);
        else if (a == "--out" && i + 1 < argc)
            out = argv[++i];
        else if (a == "--keep")
            keep = true;
        else
            usage(argv[0]);
    }
    if (records == 0) usage(argv[0]);
    bool made_dir = false;
    if (out.empty()) {
        out = fs::temp_directory_path() / ("casedoc-bench-" + std::to_string(getpid()));
        fs::remove_all(out);
    }
    if (!fs::exists(out)) made_dir = true;
    fs::create_directories(out);

    // 1. The caseload.
    std::mt19937_64 rng(seed);
    std::vector<std::string> files;
    files.reserve(records);
    uintmax_t bytes = 0;
    size_t defective = 0;
    const auto gen_start = steady_clock::now();
    const auto samples = setting == "child_welfare" ? std::vector<std::pair<std::string, bool>>() : setting_samples(setting);
    for (size_t i = 0; i < records; ++i) {
        generated g;
        if (samples.empty()) {
            g = make_record(rng, i);
        } else {
            const auto& [xml, valid] = samples[i % samples.size()];
            g.xml = with_record_id(xml, i);
            g.defective = !valid;
        }
        defective += g.defective;
        std::string name = std::to_string(i);
        name.insert(0, 6 - std::min<size_t>(6, name.size()), '0');
        fs::path file = out / ("case-record-" + name + ".xml");
        std::ofstream f(file, std::ios::binary);
        f.write(g.xml.data(), std::streamsize(g.xml.size()));
        if (!f) throw std::runtime_error("cannot write " + file.string());
        bytes += g.xml.size();
        files.push_back(file.string());
    }
    const double gen_s = duration<double>(steady_clock::now() - gen_start).count();
    const double mb = double(bytes) / (1024.0 * 1024.0);
    std::cout << "caseload: " << setting << ", " << records << " records ("
              << (samples.empty() ? "synthetic, " : std::to_string(samples.size()) + " sample records in turn, ")
              << defective << (samples.empty() ? " with a planted defect), " : " copies of invalid ones), ") << mb
              << " MB of XML, " << double(bytes) / double(records) / 1024.0 << " KB per record, in " << out.string()
              << " (generated in " << gen_s << " s, seed " << seed << ")\n";

    // 2. Plugins and schemas, as the CLI loads them.
    casedoc::plugin_host host;
    host.add_default_directories();
    host.discover();
    casedoc::schema_catalog cat;
    cat.add_default_directories();
    // Includes the list of input file names (about a hundred bytes per record), which run_batch takes as a vector.
    const double rss_before = peak_rss_mb();
    std::cout << "peak memory before checking (generator, input list, plugins): " << rss_before << " MB\n";

    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const double parse_seconds = parse_pass(files);
    const pass_result one = run_pass(files, 1, host, cat);
    const double rss_one = peak_rss_mb();
    std::cout << "peak memory after 1-thread pass: " << rss_one << " MB\n";
    const pass_result all = run_pass(files, 0, host, cat);
    const double rss_all = peak_rss_mb();
    std::cout << "peak memory after " << cores << "-thread pass: " << rss_all << " MB\n";

    auto rate = [&](const pass_result& p) { return double(records) / p.seconds; };
    std::cout.setf(std::ios::fixed);
    std::cout.precision(0);
    std::cout << "validate: " << records << " records, 1 thread: " << rate(one) << " records/s (" << rate(one)
              << " per core), " << cores << " threads: " << rate(all) << " records/s (" << rate(all) / cores
              << " per core)\n";
    std::cout << "reading and parsing alone (no rules), 1 thread: " << double(records) / parse_seconds
              << " records/s; the rest (index, rules, plugin checks, results) took " << std::setprecision(0)
              << 100 * (1 - parse_seconds / one.seconds) << "% of the 1-thread pass\n";
    std::cout.precision(1);
    std::cout << "throughput: 1 thread: " << mb / one.seconds << " MB/s of XML (" << one.seconds << " s), " << cores
              << " threads: " << mb / all.seconds << " MB/s of XML (" << all.seconds << " s), speed-up "
              << std::setprecision(2) << one.seconds / all.seconds << "x\n";
    std::cout.precision(1);
    int status = 0;
    for (const auto* p : {&one, &all}) {
        const casedoc::batch_summary& s = p->summary;
        std::cout << "results (" << (p == &one ? "1 thread" : "all cores") << "): " << s.compliant << " compliant, "
                  << s.not_compliant << " not compliant, " << s.errors << " errors; findings: " << s.findings_error
                  << " errors, " << s.findings_warning << " warnings, " << s.findings_info << " info\n";
        if (s.errors != 0 || s.records != records) {
            std::cout << "!!!!!!!! WARNING: " << s.errors << " records could not be checked (" << s.records
                      << " results for " << records << " records) !!!!!!!!\n";
            for (size_t i = 0; i < s.unreadable.size() && i < 5; ++i)
                std::cout << "!!!!!!!!   " << s.unreadable[i].first << ": " << s.unreadable[i].second << "\n";
            status = 1;
        }
    }
    if (one.summary.compliant != all.summary.compliant || one.summary.not_compliant != all.summary.not_compliant) {
        std::cout << "!!!!!!!! WARNING: the 1-thread and all-core passes disagree !!!!!!!!\n";
        status = 1;
    }
    std::cout << "peak memory: " << rss_all << " MB (checking added " << rss_all - rss_before << " MB)\n";

    if (!keep && made_dir)
        fs::remove_all(out);
    else if (!keep)
        for (const std::string& f : files) fs::remove(f);
    return status;
} catch (const std::exception& e) {
    std::cerr << "casedoc_bench_validate: " << e.what() << "\n";
    return 2;
}
