// What casedoc itself checks in every record, whatever the setting's schema says (issue 20, points 3, 5 and 6):
// a bad date is one error at its attribute naming the expected form; a note type the plugin does not declare is
// refused alike by every command, at the note; a required value found missing names the path evaluated.
#include "cli_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace casedoc_test;

namespace {

const std::string cw_schema = std::string(CASEDOC_SOURCE_DIR) + "/schemas/child_welfare/child-welfare-2024.sch";
// The child welfare plugin with only data/record_checks/schemas/child_welfare/dates.sch: a schema that computes
// with dates (a recurrence and deadlines) but does not check their form itself, as a new setting's first may.
const std::string dates_only = "--isolated --plugin-dir " +
                               quote(fs::path(CASEDOC_CHILD_WELFARE_PLUGIN).parent_path().string()) +
                               " --schema-dir " + quote(data("record_checks/schemas")) + " ";

// A copy of `from` (a child welfare sample) with `what` replaced by `with`, in a scratch directory.
struct edited_record {
    temp_dir dir;
    std::string file;
    edited_record(const std::string& from, const std::string& what, const std::string& with) {
        std::string text = read_file(from);
        const size_t at = text.find(what);
        REQUIRE(at != std::string::npos);
        text.replace(at, what.size(), with);
        file = (dir.path / fs::path(from).filename()).string();
        std::ofstream(file) << text;
    }
};

} // namespace

TEST_CASE("a bad date is one error at its attribute naming the expected form, not rule failures at the record",
          "[cli][record-checks][dates]") {
    const std::string record = data("record_checks/bad-dates.xml");
    const auto r = run(dates_only + "validate " + quote(record));
    CHECK(r.status == 1);
    // The removal date the recurrence and the deadline compute with, reported once, at its attribute.
    CHECK_THAT(r.out, Catch::Contains(record + ":6:27: error: '04.03.2025' is not a date (expected YYYY-MM-DD) "
                                               "[CASEDOC-DATE]"));
    // An offset without its colon is refused, with the form expected.
    CHECK_THAT(r.out, Catch::Contains(record + ":11:66: error: '2025-03-20T12:05-0500' is not a date-time (expected "
                                               "YYYY-MM-DDThh:mm[:ss][Z|\u00b1hh:mm]) [CASEDOC-DATE]"));
    CHECK(count(r.out, ": error: ") == 2);
    CHECK(r.out.find("cannot check") == std::string::npos);
    CHECK(r.out.find("DATES-") == std::string::npos);
}

TEST_CASE("a schema that checks a date's form itself reports it once at the attribute, under its own rule",
          "[cli][record-checks][dates]") {
    // X2-ENTERED-AT is a cd:field of type date-time; X3-LATE computes with the same value.
    const edited_record e(sample("valid/visit-dap.xml"), "entered-at=\"2024-10-04T19:30\"",
                          "entered-at=\"2024-10-04T19:30-0500\"");
    const auto r = run("validate " + quote(e.file));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains(e.file + ":4:154: error: The note needs the date and time it was entered"));
    CHECK_THAT(r.out, Catch::Contains("('2024-10-04T19:30-0500' is not a date-time (expected "
                                      "YYYY-MM-DDThh:mm[:ss][Z|\u00b1hh:mm])) [X2-ENTERED-AT]"));
    CHECK(count(r.out, ": error: ") == 1);
    CHECK(r.out.find("X3-LATE") == std::string::npos);
    CHECK(r.out.find("CASEDOC-DATE") == std::string::npos);
}

TEST_CASE("a bad service date of a standalone note is exit 2 at the attribute, naming the expected form",
          "[cli][record-checks][dates]") {
    const edited_record e(sample("valid/visit-dap.xml"), "service-at=\"2024-10-04T16:30\"",
                          "service-at=\"04.10.2024 16:30\"");
    const auto r = run("validate " + quote(e.file));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains(e.file + ":4:124:") &&
                          Catch::Contains("@service-at '04.10.2024 16:30' is not a date-time (expected "
                                          "YYYY-MM-DDThh:mm[:ss][Z|\u00b1hh:mm])"));
}

TEST_CASE("a standalone note of a type the plugin does not declare is refused at its line, listing the declared "
          "types, by validate, schema test and render alike",
          "[cli][record-checks][document-types]") {
    const std::string note = data("record_checks/undeclared-note.xml");
    const std::string message = "note type 'outreach-note' is not declared by plugin 'child_welfare' (declared: "
                                "case-record, caseworker-visit, case-plan, court-hearing) [CASEDOC-DOCUMENT-TYPE]";
    SECTION("validate") {
        const auto r = run("validate " + quote(note));
        CHECK(r.status == 1);
        CHECK_THAT(r.out, Catch::Contains(note + ":3:1: error: " + message));
        CHECK(count(r.out, ": error: ") == 1);
    }
    SECTION("schema test: the sample expects nothing, so it fails") {
        const auto r = run("schema test " + quote(cw_schema) + " " + quote(note));
        CHECK(r.status == 1);
        CHECK_THAT(r.out, Catch::Contains("found but not expected: CASEDOC-DOCUMENT-TYPE"));
    }
    SECTION("render") {
        const temp_dir t;
        const auto r = run("render " + quote(note) + " -o " + quote((t.path / "n.pdf").string()));
        CHECK(r.status == 1);
        CHECK_THAT(r.out + r.err, Catch::Contains(message));
        CHECK_FALSE(fs::exists(t.path / "n.pdf"));
    }
}

TEST_CASE("a note of an undeclared type inside a case record is refused at the note's own line",
          "[cli][record-checks][document-types]") {
    const edited_record e(sample("valid/case-record-jose-2024.xml"), "<note type=\"caseworker-visit\" id=\"N-24-0001-V01\"",
                          "<note type=\"outreach-note\" id=\"N-24-0001-V01\"");
    SECTION("validate") {
        const auto r = run("validate " + quote(e.file));
        CHECK(r.status == 1);
        CHECK_THAT(r.out, Catch::Contains(e.file + ":20:5: error: note type 'outreach-note' is not declared by "
                                                   "plugin 'child_welfare' (declared: case-record, caseworker-visit, "
                                                   "case-plan, court-hearing) [CASEDOC-DOCUMENT-TYPE]"));
    }
    SECTION("render") {
        const temp_dir t;
        const auto r = run("render " + quote(e.file) + " -o " + quote((t.path / "c.pdf").string()));
        CHECK(r.status == 1);
        CHECK_THAT(r.out + r.err, Catch::Contains("note type 'outreach-note' is not declared"));
        CHECK_FALSE(fs::exists(t.path / "c.pdf"));
    }
}

TEST_CASE("a required value found missing names the path evaluated and the name it may have meant",
          "[cli][record-checks][field-path]") {
    const std::string note = sample("valid/visit-dap.xml");
    const auto r = run("validate " + quote(note) + " --schema " + quote(data("record_checks/field-typo.sch")));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains(note + ":4:1: error: The visit note must say whether the child was seen face "
                                             "to face. (required value is missing: nothing at r:visit/@face-to-fase; "
                                             "attribute '@face-to-fase' is not one the record format or this record "
                                             "uses: did you mean '@face-to-face'?) [TYPO-CONTACT]"));
}
