// The record helpers of the plugin SDK (casedoc_record.hpp), on records read through a small host of
// their own: the node functions of casedoc_host_api over a pugixml tree.
#include <casedoc/plugin_api/casedoc_record.hpp>

#include <catch2/catch.hpp>

#include <pugixml.hpp>

#include <string>
#include <vector>

using namespace casedoc;
using sdk::node;

namespace {

pugi::xml_node to_node(const casedoc_node* n) {
    return pugi::xml_node(reinterpret_cast<pugi::xml_node_struct*>(const_cast<casedoc_node*>(n)));
}

const casedoc_node* to_handle(pugi::xml_node n) { return reinterpret_cast<const casedoc_node*>(n.internal_object()); }

pugi::xml_node element(pugi::xml_node n, const char* name) {
    while (n && (n.type() != pugi::node_element || (name && std::string(n.name()) != name))) n = n.next_sibling();
    return n;
}

casedoc_host_api node_host() {
    casedoc_host_api host{};
    host.struct_size = sizeof(casedoc_host_api);
    host.first_child = [](const casedoc_node* n, const char* name) {
        return to_handle(element(to_node(n).first_child(), name));
    };
    host.next_sibling = [](const casedoc_node* n, const char* name) {
        return to_handle(element(to_node(n).next_sibling(), name));
    };
    host.name = [](const casedoc_node* n) { return to_node(n).name(); };
    host.attribute = [](const casedoc_node* n, const char* name) -> const char* {
        const pugi::xml_attribute a = to_node(n).attribute(name);
        return a ? a.value() : nullptr;
    };
    host.text = [](const casedoc_node* n) { return to_node(n).child_value(); };
    return host;
}

const casedoc_host_api host = node_host();

// A parsed record and its root as a plugin sees it.
struct record {
    pugi::xml_document doc;
    explicit record(const char* xml) { REQUIRE(doc.load_string(xml)); }
    node root() const { return {&host, to_handle(doc.document_element())}; }
};

const char* case_record = R"(<case-record type="case-record" id="CR-1" as-of="2024-09-30">
  <events>
    <event type="placement" date="2024-01-10"/>
    <event type="removal" date="2024-01-1O"/>
    <event type="removal" date="2024-01-12"/>
    <event type="discharge" date="2024-08-31"/>
  </events>
  <notes>
    <note type="caseworker-visit" id="N-1" service-at="2024-01-15T10:00"/>
    <note type="case-plan" id="N-2" service-at="2024-02-01T09:00"/>
    <note type="case-plan" id="N-3" service-at="2024-05-01T09:00"/>
  </notes>
</case-record>)";

const char* visit_note = R"(<note type="caseworker-visit" id="N-9" service-at="2024-03-05T10:00">
  <notes><note type="caseworker-visit" id="not-a-note-of-the-record"/></notes>
</note>)";

std::vector<std::string> ids_of_notes(const node& root, const char* type) {
    std::vector<std::string> ids;
    auto add = [&](const node& note) { ids.emplace_back(note.attr("id")); };
    if (type)
        sdk::for_each_note(root, type, add);
    else
        sdk::for_each_note(root, add);
    return ids;
}

} // namespace

TEST_CASE("day_of reads the day of a date or a date-time as the host reads it", "[sdk][record]") {
    const int64_t march_5 = *parse_date("2024-03-05");
    SECTION("a date is its day") { CHECK(sdk::day_of("2024-03-05") == march_5); }
    SECTION("a date-time without an offset is local time, on the day written") {
        CHECK(sdk::day_of("2024-03-05T00:00") == march_5);
        CHECK(sdk::day_of("2024-03-05T23:59:59") == march_5);
    }
    SECTION("a date-time with an offset falls on its day in UTC, as for the host's deadlines") {
        CHECK(sdk::day_of("2024-03-05T23:30Z") == march_5);
        CHECK(sdk::day_of("2024-03-05T20:00-05:00") == march_5 + 1);
        CHECK(sdk::day_of("2024-03-05T01:00+02:00") == march_5 - 1);
        CHECK(sdk::day_of("2024-03-05T20:00-05:00") == parse_timestamp("2024-03-05T20:00-05:00")->day());
    }
    SECTION("what is neither a date nor a date-time has no day") {
        CHECK_FALSE(sdk::day_of(""));
        CHECK_FALSE(sdk::day_of("2024-02-30"));
        CHECK_FALSE(sdk::day_of("2024-3-05"));
        CHECK_FALSE(sdk::day_of("2024-03-05 10:00"));
        CHECK_FALSE(sdk::day_of("2024-03-05T10"));
        CHECK_FALSE(sdk::day_of("2024-03-05T25:00"));
        CHECK_FALSE(sdk::day_of("2024-03-05Tmorning"));
    }
}

TEST_CASE("is_case_record tells a case record from a note", "[sdk][record]") {
    CHECK(sdk::is_case_record(record(case_record).root()));
    CHECK_FALSE(sdk::is_case_record(record(visit_note).root()));
}

TEST_CASE("first_event finds the first event of a type, and first_event_date its day", "[sdk][record]") {
    const record r(case_record);
    SECTION("the first of its type, in document order") {
        CHECK(sdk::first_event(r.root(), "placement").attr("date") == "2024-01-10");
        CHECK(sdk::first_event_date(r.root(), "discharge") == parse_date("2024-08-31"));
    }
    SECTION("an unreadable date of the first event is not replaced by a later event's") {
        CHECK(sdk::first_event(r.root(), "removal").attr("date") == "2024-01-1O");
        CHECK_FALSE(sdk::first_event_date(r.root(), "removal"));
    }
    SECTION("no event of the type, or no events at all") {
        CHECK_FALSE(sdk::first_event(r.root(), "tpr-petition"));
        CHECK_FALSE(sdk::first_event_date(r.root(), "tpr-petition"));
        CHECK_FALSE(sdk::first_event(record(visit_note).root(), "removal"));
    }
}

TEST_CASE("first_note finds the first note of a type in a case record", "[sdk][record]") {
    const record r(case_record);
    CHECK(sdk::first_note(r.root(), "case-plan").attr("id") == "N-2");
    CHECK_FALSE(sdk::first_note(r.root(), "court-hearing"));
}

TEST_CASE("for_each_note visits a case record's notes, or the record itself when it is a note", "[sdk][record]") {
    SECTION("the notes of a type in a case record, in order") {
        CHECK(ids_of_notes(record(case_record).root(), "case-plan") == std::vector<std::string>{"N-2", "N-3"});
        CHECK(ids_of_notes(record(case_record).root(), "court-hearing").empty());
    }
    SECTION("every note of a case record") {
        CHECK(ids_of_notes(record(case_record).root(), nullptr) == std::vector<std::string>{"N-1", "N-2", "N-3"});
    }
    SECTION("a note is its own only note, when it is of the type") {
        CHECK(ids_of_notes(record(visit_note).root(), "caseworker-visit") == std::vector<std::string>{"N-9"});
        CHECK(ids_of_notes(record(visit_note).root(), "case-plan").empty());
        CHECK(ids_of_notes(record(visit_note).root(), nullptr) == std::vector<std::string>{"N-9"});
    }
}
