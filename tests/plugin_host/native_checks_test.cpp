// Running a plugin's native code on a record: facts, findings, and plugin failures turned into errors.
#include <casedoc/base/error.hpp>
#include <casedoc/plugin/native_checks.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/plugin_api/casedoc_plugin.hpp>
#include <casedoc/xml/xml_document.hpp>

#include "error_saying.hpp"

#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

const fs::path fixtures = CASEDOC_FIXTURE_DIR;

// One host for the whole file: plugins stay loaded anyway.
const casedoc::plugin& load_fixture(const std::string& folder, const std::string& id) {
    static casedoc::plugin_host host;
    return host.load(fixtures / folder / ("casedoc_" + id + ".so"));
}

const casedoc::plugin& good() { return load_fixture("good", "fixture_good"); }
const casedoc::plugin& misbehaving() { return load_fixture("misbehaving", "misbehaving"); }

casedoc::xml_document record(const std::string& text) {
    auto doc = casedoc::xml_document::load_string(text, "record.xml");
    doc.canonicalize({{"r", "urn:casedoc:record:1"}});
    return doc;
}

const std::string unsigned_note = R"(<note xmlns="urn:casedoc:record:1" format-version="1.0" setting="fixture_good"
      type="caseworker-visit" id="N-1">
  <section code="data">Visited.</section>
</note>
)";

const std::string signed_note = R"(<note xmlns="urn:casedoc:record:1" type="caseworker-visit" id="N-2">
  <section code="data">Visited.</section>
  <signature signer="u17" signed-at="2024-03-05T16:25"/>
</note>
)";

const std::string case_record = R"(<case-record xmlns="urn:casedoc:record:1" type="case-record" id="CR-7">
  <notes>
    <note id="N-10"><signature signer="u17"/></note>
    <note id="N-11"/>
    <note id="N-12"/>
  </notes>
</case-record>
)";

const casedoc::param_lookup no_params = [](std::string_view) -> const char* { return nullptr; };

std::vector<casedoc::finding> check(const casedoc::plugin& p, const casedoc::xml_document& doc,
                                    std::string_view type) {
    std::vector<casedoc::finding> out;
    casedoc::run_checks(p, doc, type, no_params, out);
    return out;
}

std::string misbehaving_file() { return misbehaving().file.string(); }

} // namespace

TEST_CASE("derive_facts returns the facts the plugin sets", "[native][facts]") {
    const auto doc = record(case_record);
    SECTION("with a parameter the schema does not define") {
        const auto facts = casedoc::derive_facts(good(), doc, no_params);
        CHECK(facts == casedoc::fact_map{{"signature_policy", "required"}, {"unsigned_notes", "2"}});
    }
    SECTION("with a parameter the agency set") {
        const std::map<std::string, std::string, std::less<>> params{{"signature_policy", "optional"}};
        const auto facts = casedoc::derive_facts(good(), doc, [&](std::string_view name) -> const char* {
            const auto it = params.find(name);
            return it == params.end() ? nullptr : it->second.c_str();
        });
        CHECK(facts.at("signature_policy") == "optional");
    }
}

TEST_CASE("A plugin without derive_facts and facts derives nothing", "[native][facts]") {
    const auto doc = record(signed_note);
    const auto& p = load_fixture("compatible", "v1_0_size");
    CHECK(casedoc::derive_facts(p, doc, no_params).empty());
}

TEST_CASE("A note without a signature gets a finding at the note", "[native][checks]") {
    const auto doc = record(unsigned_note);
    const auto findings = check(good(), doc, "caseworker-visit");
    REQUIRE(findings.size() == 1);
    const casedoc::finding& f = findings[0];
    CHECK(f.rule_id == "FX-1");
    CHECK(f.level == casedoc::severity::error);
    CHECK(casedoc::to_string(f.level) == "error");
    CHECK(f.citation == "Fixture Rule 1(a)");
    CHECK(f.message == "note N-1 is not signed");
    CHECK(f.pattern == "native:fixture_good");
    CHECK(f.record_id == "N-1");
    CHECK(f.where.file == "record.xml");
    CHECK(f.where.line == 1);
    CHECK(f.where.column == 1);
    CHECK(f.where.path == "/r:note[1]");
    CHECK(f.where.element == "r:note");
}

TEST_CASE("A signed note gets no finding", "[native][checks]") {
    CHECK(check(good(), record(signed_note), "caseworker-visit").empty());
}

TEST_CASE("Each unsigned note of a case record gets its own finding", "[native][checks]") {
    const auto findings = check(good(), record(case_record), "case-record");
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].message == "note N-11 is not signed");
    CHECK(findings[0].where.line == 4);
    CHECK(findings[0].where.path == "/r:case-record[1]/r:notes[1]/r:note[2]");
    CHECK(findings[1].message == "note N-12 is not signed");
    CHECK(findings[1].where.line == 5);
    CHECK(findings[0].record_id == "CR-7");
}

TEST_CASE("Checks run only for the document types they declare", "[native][checks]") {
    const auto doc = record(unsigned_note);
    SECTION("a type of neither check") { CHECK(check(good(), doc, "intake").empty()); }
    SECTION("the type of the other check") {
        const auto findings = check(good(), doc, "other-type");
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].rule_id == "FX-2");
        CHECK(findings[0].level == casedoc::severity::warning);
        CHECK(findings[0].citation.empty());
    }
}

TEST_CASE("Elements are matched by local name, whatever their prefix", "[native][checks]") {
    SECTION("a record that was not canonicalised (no prefixes)") {
        const auto doc = casedoc::xml_document::load_string(case_record, "plain.xml");
        CHECK(check(good(), doc, "case-record").size() == 2);
    }
    SECTION("a record with its own prefix") {
        const auto doc = casedoc::xml_document::load_string(
            R"(<rec:note xmlns:rec="urn:casedoc:record:1" id="N-3"><rec:signature/></rec:note>)", "own.xml");
        CHECK(check(good(), doc, "caseworker-visit").empty());
    }
}

TEST_CASE("Findings are appended after those already there", "[native][checks]") {
    std::vector<casedoc::finding> out(1);
    casedoc::run_checks(good(), record(unsigned_note), "caseworker-visit", no_params, out);
    REQUIRE(out.size() == 2);
    CHECK(out[1].rule_id == "FX-1");
}

TEST_CASE("A check that throws is an error naming the plugin, the check and the record", "[native][failure]") {
    std::vector<casedoc::finding> out(1);
    REQUIRE_THROWS_MATCHES(
        casedoc::run_checks(misbehaving(), record(unsigned_note), "throws", no_params, out), casedoc::error,
        error_saying({misbehaving_file(), "native check MB-THROW failed on record N-1",
                      "exception escaped the plugin: visit dates unreadable"}));
    CHECK(out.size() == 1);
}

TEST_CASE("A check that fails is an error with the last error it logged", "[native][failure]") {
    REQUIRE_THROWS_MATCHES(check(misbehaving(), record(unsigned_note), "fails"), casedoc::error,
                           error_saying({misbehaving_file(), "native check MB-FAIL failed on record N-1: "
                                                             "cannot parse service-at"}));
}

TEST_CASE("A check that fails without logging is an error with its status", "[native][failure]") {
    REQUIRE_THROWS_MATCHES(check(misbehaving(), record(unsigned_note), "fails-silently"), casedoc::error,
                           error_saying({misbehaving_file(), "native check MB-SILENT failed on record N-1",
                                         "returned 2"}));
}

TEST_CASE("A check reporting a rule its plugin does not declare is a plugin error", "[native][failure]") {
    REQUIRE_THROWS_MATCHES(check(misbehaving(), record(unsigned_note), "undeclared-rule"), casedoc::error,
                           error_saying({misbehaving_file(), "native check MB-RULE failed on record N-1",
                                         "plugin bug", "'MB-NOPE'", "does not declare"}));
}

TEST_CASE("A check setting a fact is a plugin error", "[native][failure]") {
    REQUIRE_THROWS_MATCHES(check(misbehaving(), record(unsigned_note), "sets-fact"), casedoc::error,
                           error_saying({misbehaving_file(), "native check MB-FACT failed",
                                         "set fact 'declared_fact' outside derive_facts"}));
}

TEST_CASE("A check writing an export row is a plugin error", "[native][failure]") {
    REQUIRE_THROWS_MATCHES(check(misbehaving(), record(unsigned_note), "writes-row"), casedoc::error,
                           error_saying({misbehaving_file(), "native check MB-ROW failed",
                                         "wrote an export row outside an export"}));
}

TEST_CASE("A check says when its rule is next due (ABI 1.3), kept only when a worklist is asked for",
          "[native][due]") {
    std::vector<casedoc::finding> findings;
    std::vector<casedoc::native_due> due;
    casedoc::run_checks(misbehaving(), record(unsigned_note), "due", no_params, findings, nullptr, &due);
    REQUIRE(due.size() == 1);
    CHECK(due[0].rule_id == "MB-DUE");
    CHECK(due[0].due == "2025-03-04");
    CHECK(due[0].anchor == "start 2025-01-03");
    CHECK(due[0].citation == "Fixture Act 1");
    CHECK(due[0].title == "Is due 2025-03-04");
    CHECK(due[0].line == 1);
    CHECK_FALSE(due[0].failed); // no finding: still pending
    CHECK(findings.empty());

    SECTION("when the check also reports its rule, the item is overdue") {
        due.clear();
        const std::string late = R"(<note xmlns="urn:casedoc:record:1" type="due" id="N-3" late="true"/>)";
        casedoc::run_checks(misbehaving(), record(late), "due", no_params, findings, nullptr, &due);
        REQUIRE(due.size() == 1);
        CHECK(due[0].failed);
        CHECK(findings.size() == 1);
    }
    SECTION("without a worklist the same check runs and nothing is kept") {
        CHECK(check(misbehaving(), record(unsigned_note), "due").empty());
    }
}

TEST_CASE("A due date that is not a date, or another rule's, is a plugin error", "[native][due][failure]") {
    std::vector<casedoc::finding> findings;
    std::vector<casedoc::native_due> due;
    REQUIRE_THROWS_MATCHES(
        casedoc::run_checks(misbehaving(), record(unsigned_note), "due-bad-date", no_params, findings, nullptr, &due),
        casedoc::error,
        error_saying({misbehaving_file(), "native check MB-DUE-DATE failed on record N-1", "plugin bug",
                      "'03/04/2025', which is not a date"}));
    // Checked whether a worklist is asked for or not: the bug shows in validate too.
    REQUIRE_THROWS_MATCHES(check(misbehaving(), record(unsigned_note), "due-other-rule"), casedoc::error,
                           error_saying({misbehaving_file(), "native check MB-DUE-OTHER failed",
                                         "said when rule 'MB-DUE' is due outside that rule's check"}));
    CHECK(due.empty());
}

TEST_CASE("On a host older than ABI 1.3 a plugin's due() does nothing", "[native][due][abi]") {
    static bool called = false;
    casedoc_host_api old_host{};
    old_host.struct_size = offsetof(casedoc_host_api, due); // ends before the 1.3 field
    old_host.due = [](const casedoc_check_context*, const char*, const char*, const char*, const casedoc_node*) {
        called = true;
    };
    const casedoc::sdk::context cx(&old_host, nullptr);
    cx.due("X-1", casedoc::sdk::node{}, "2025-03-04", "start");
    CHECK_FALSE(called);
    old_host.struct_size = sizeof(casedoc_host_api);
    cx.due("X-1", casedoc::sdk::node{}, "2025-03-04", "start");
    CHECK(called);
}

TEST_CASE("An export returns the rows the plugin wrote, one value per column", "[native][export]") {
    const auto rows = casedoc::run_export(good(), 0, record(case_record), no_params);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == std::vector<std::string>{"N-10", "case-record", "yes"});
    CHECK(rows[1] == std::vector<std::string>{"N-11", "case-record", "no"});
    CHECK(rows[2] == std::vector<std::string>{"N-12", "case-record", "no"});
}

TEST_CASE("An export that misbehaves is an error naming the plugin, the export and the record", "[native][export]") {
    SECTION("a row of the wrong width") {
        REQUIRE_THROWS_MATCHES(casedoc::run_export(misbehaving(), 0, record(unsigned_note), no_params), casedoc::error,
                               error_saying({misbehaving_file(), "export wrong-width failed on record N-1",
                                             "wrote a row of 1 values to export wrong-width, which has 2 columns"}));
    }
    SECTION("a finding reported from an export") {
        REQUIRE_THROWS_MATCHES(casedoc::run_export(misbehaving(), 1, record(unsigned_note), no_params), casedoc::error,
                               error_saying({misbehaving_file(), "export reports failed",
                                             "reported a finding of rule 'MB-RULE' outside a check"}));
    }
}

TEST_CASE("A derive_facts that misbehaves is an error naming the plugin and the record", "[native][failure]") {
    const auto derive = [](const std::string& mode) {
        return casedoc::derive_facts(
            misbehaving(), record(R"(<note xmlns="urn:casedoc:record:1" id="N-9" derive=")" + mode + R"("/>)"),
            no_params);
    };
    CHECK(derive("fine").at("declared_fact") == "ok");
    SECTION("by throwing") {
        REQUIRE_THROWS_MATCHES(derive("throw"), casedoc::error,
                               error_saying({misbehaving_file(), "native derive_facts failed on record N-9",
                                             "derive exploded"}));
    }
    SECTION("by setting an undeclared fact") {
        REQUIRE_THROWS_MATCHES(derive("undeclared"), casedoc::error,
                               error_saying({misbehaving_file(), "set fact 'not_declared'", "does not declare"}));
    }
    SECTION("by reporting a finding") {
        REQUIRE_THROWS_MATCHES(derive("report"), casedoc::error,
                               error_saying({misbehaving_file(), "reported a finding of rule 'MB-RULE' outside a check"}));
    }
}

TEST_CASE("A plugin logs under a logger named after its id", "[native][log]") {
    const auto doc = record(case_record);
    casedoc::derive_facts(good(), doc, no_params); // the first message creates the logger
    const auto logger = spdlog::get("casedoc.fixture_good");
    REQUIRE(logger);
    std::ostringstream captured;
    const auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
    sink->set_pattern("[%n] [%l] %v");
    logger->sinks().push_back(sink);
    const auto level = logger->level();
    logger->set_level(spdlog::level::info);
    casedoc::derive_facts(good(), doc, no_params);
    logger->sinks().pop_back();
    logger->set_level(level);
    CHECK(captured.str() == "[casedoc.fixture_good] [info] fixture_good counted 2 unsigned notes\n");
}
