// The due list's item store: sorted runs spilled to an unnamed temporary file and merged give exactly the order of
// one in-memory sort, a whole caseload's due list is the same bytes however small the runs, and nothing with
// client data is left under a name in the temporary directory.
#include <casedoc/base/error.hpp>
#include <casedoc/check/batch.hpp>
#include <casedoc/due/due_calendar.hpp>
#include <casedoc/due/due_formats.hpp>
#include <casedoc/due/due_list.hpp>
#include <casedoc/due/due_pdf.hpp>
#include <casedoc/due/due_store.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/schematron/schema_catalog.hpp>
#include <casedoc/template/template_catalog.hpp>

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <sstream>

using namespace casedoc;
namespace fs = std::filesystem;

namespace {

due_item random_item(std::mt19937& rng, unsigned n) {
    due_item i;
    i.worker = "w" + std::to_string(rng() % 4);
    i.status = static_cast<due_status>(rng() % 3);
    i.order = static_cast<int64_t>(rng() % 50);
    i.record_id = "R-" + std::to_string(rng() % 20);
    i.rule_id = "X-" + std::to_string(rng() % 3);
    i.line = rng() % 5;
    i.file = "f" + std::to_string(rng() % 2) + ".xml";
    i.title = std::string(rng() % 200, 't'); // some longer than a short string
    i.citation = "45 CFR 1356.21(g)";
    i.days_left = static_cast<int64_t>(rng() % 100) - 50;
    i.extension = n % 7 == 0 ? "" : "30 days";
    i.anchor = "item " + std::to_string(n); // tells equal keys apart
    return i;
}

std::vector<std::string> anchors(const due_store& s) {
    std::vector<std::string> out;
    s.for_each([&](const due_item& i) { out.push_back(i.anchor); });
    return out;
}

struct temp_dir_env {
    fs::path dir = fs::temp_directory_path() / ("casedoc-due-store-" + std::to_string(::getpid()));
    std::string old;
    bool had = false;
    temp_dir_env() {
        fs::create_directories(dir);
        if (const char* t = std::getenv("TMPDIR")) {
            old = t;
            had = true;
        }
        ::setenv("TMPDIR", dir.c_str(), 1);
    }
    ~temp_dir_env() {
        if (had) ::setenv("TMPDIR", old.c_str(), 1);
        else ::unsetenv("TMPDIR");
        fs::remove_all(dir);
    }
};

} // namespace

TEST_CASE("the due store's merged runs give the order of one stable sort, equal keys in arrival order",
          "[due][store]") {
    temp_dir_env tmp;
    for (const size_t run : {size_t{1}, size_t{2}, size_t{7}, size_t{64}, size_t{100000}}) {
        std::mt19937 rng(42);
        due_store store(run);
        std::vector<due_item> all;
        for (unsigned n = 0; n < 1000; ++n) {
            all.push_back(random_item(rng, n));
            store.add(all.back());
        }
        store.finish();
        std::stable_sort(all.begin(), all.end(), due_item_before);
        std::vector<std::string> expected;
        for (const due_item& i : all) expected.push_back(i.anchor);
        INFO("run of " << run << " items");
        CHECK(store.size() == 1000);
        CHECK(store.runs() == (run >= 1000 ? 0 : 1000 / run));
        CHECK(anchors(store) == expected);
        CHECK(anchors(store) == expected); // read twice: the runs are read, not used up
        // Every field comes back as it went in.
        size_t at = 0;
        bool same = true;
        store.for_each([&](const due_item& i) {
            const due_item& e = all[at++];
            same = same && i.record_id == e.record_id && i.client_id == e.client_id && i.worker == e.worker &&
                   i.office == e.office && i.setting == e.setting && i.rule_id == e.rule_id && i.title == e.title &&
                   i.citation == e.citation && i.due == e.due && i.days_left == e.days_left &&
                   i.status == e.status && i.anchor == e.anchor && i.extension == e.extension && i.file == e.file &&
                   i.line == e.line && i.order == e.order;
        });
        CHECK(same);
        // The temporary file has no name: nothing with client data is left in TMPDIR, even while it is open.
        CHECK(fs::is_empty(tmp.dir));
    }
}

TEST_CASE("a caseload's due list is the same bytes in every format however small the sorted runs",
          "[due][store]") {
    temp_dir_env tmp;
    plugin_host host;
    host.add_search_directory(CASEDOC_TEST_PLUGIN_DIR);
    host.discover();
    schema_catalog catalog;
    catalog.add_directory(fs::path(CASEDOC_SOURCE_DIR) / "schemas");
    std::vector<fs::path> inputs;
    for (const char* setting : {"child_welfare", "correctional", "hospital", "vocational"})
        inputs.push_back(fs::path(CASEDOC_SOURCE_DIR) / "plugins" / setting / "samples" / "caseload");
    const auto files = expand_inputs({inputs[0].string(), inputs[1].string(), inputs[2].string(), inputs[3].string()});
    due_options o;
    o.as_of = *parse_date("2025-12-10");
    o.all = true;
    const due_list whole = compute_due(files, host, catalog, o, {}, 2);
    REQUIRE(whole.items.runs() == 0);
    REQUIRE(whole.items.size() > 20);
    o.run_items = 3;
    const due_list spilled = compute_due(files, host, catalog, o, {}, 2);
    CHECK(spilled.items.runs() == whole.items.size() / 3);
    CHECK(due_json(spilled) == due_json(whole));
    std::ostringstream a, b, c, d;
    write_due_text(whole, a);
    write_due_text(spilled, b);
    CHECK(b.str() == a.str());
    write_due_csv(whole, c);
    write_due_csv(spilled, d);
    CHECK(d.str() == c.str());
    CHECK(due_workers(spilled) == due_workers(whole));
    for (const std::string& w : due_workers(whole)) CHECK(due_calendar(spilled, w) == due_calendar(whole, w));
    template_catalog templates;
    templates.add_directory(fs::path(CASEDOC_SOURCE_DIR) / "templates");
    CHECK(render_due_pdf(spilled, &templates) == render_due_pdf(whole, &templates));
    CHECK(fs::is_empty(tmp.dir));
}

TEST_CASE("a due store that cannot write its run says so, naming the temporary directory", "[due][store]") {
    temp_dir_env tmp;
    const std::string missing = (tmp.dir / "no-such-dir").string();
    ::setenv("TMPDIR", missing.c_str(), 1);
    due_store store(2);
    std::mt19937 rng(1);
    store.add(random_item(rng, 0));
    try {
        store.add(random_item(rng, 1));
        FAIL("no error");
    } catch (const error& e) {
        CHECK(e.file() == missing);
        CHECK_THAT(e.message(), Catch::Contains("temporary file"));
    }
}
