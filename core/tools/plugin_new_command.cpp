// casedoc plugin new <id>: scaffolds a complete out-of-tree plugin project that builds against an installed
// casedoc (find_package(casedoc)) and whose samples validate with no edits: CMakeLists.txt, the plugin
// source with one native check, a documentation schema with a few rules, templates, sample records (one
// valid, one invalid) and CTest tests that run the plugin test kit and the samples.
#include "commands.hpp"

#include <casedoc/base/error.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <regex>

namespace casedoc::tools {

namespace {

namespace fs = std::filesystem;

struct plugin_new_options {
    std::string id, dir, title;
};

// The project's files: path and content, with @ID@ (the id), @PREFIX@ (rule id prefix) and @TITLE@.
struct scaffold_file {
    const char* path;
    const char* text;
};

constexpr scaffold_file files[] = {
    {"CMakeLists.txt", R"~(# The @ID@ setting plugin for casedoc, built outside the casedoc tree against an installed casedoc.
#   cmake -S . -B build [-DCMAKE_PREFIX_PATH=<casedoc's install prefix>]
#   cmake --build build && ctest --test-dir build --output-on-failure
#   cmake --install build    puts the plugin, its schemas and templates beside casedoc's own
cmake_minimum_required(VERSION 3.25)
project(casedoc_@ID@ VERSION 0.1.0 LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
add_compile_options(-Wall -Wextra -Wpedantic)

find_package(casedoc 0.1 REQUIRED) # casedoc::plugin_api, casedoc_add_plugin(), casedoc_EXECUTABLE, ...

# casedoc_@ID@.so: hidden visibility, no undefined symbols, only the two contract symbols exported.
casedoc_add_plugin(@ID@ SOURCES src/@ID@.cpp OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/plugins)

install(TARGETS casedoc_@ID@ LIBRARY DESTINATION ${casedoc_PLUGIN_INSTALL_DIR})
install(DIRECTORY schemas/@ID@ DESTINATION ${casedoc_SCHEMA_INSTALL_DIR})
install(DIRECTORY templates/@ID@ DESTINATION ${casedoc_TEMPLATE_INSTALL_DIR})

# Tests, run against this source tree and build (before installing):
enable_testing()
#   the plugin test kit: descriptor, ABI, schemas, templates, rule ids and citations, samples;
add_test(NAME plugin-check
         COMMAND ${casedoc_EXECUTABLE} plugin check $<TARGET_FILE:casedoc_@ID@> --schema-dir ${CMAKE_SOURCE_DIR}/schemas
                 --template-dir ${CMAKE_SOURCE_DIR}/templates --samples ${CMAKE_SOURCE_DIR}/samples)
#   the schema's rules on the samples, test-first rule writing without C++;
add_test(NAME schema-test
         COMMAND ${casedoc_EXECUTABLE} schema test ${CMAKE_SOURCE_DIR}/schemas/@ID@/@ID@-2025.sch ${CMAKE_SOURCE_DIR}/samples
                 --plugin-dir ${CMAKE_BINARY_DIR}/plugins)
#   and the samples through casedoc validate, as a user runs it (exit 0: compliant, 1: not compliant).
set(this_plugin --plugin-dir ${CMAKE_BINARY_DIR}/plugins --schema-dir ${CMAKE_SOURCE_DIR}/schemas)
add_test(NAME validate-valid COMMAND ${casedoc_EXECUTABLE} validate ${this_plugin} ${CMAKE_SOURCE_DIR}/samples/valid)
add_test(NAME validate-invalid COMMAND ${casedoc_EXECUTABLE} validate ${this_plugin} ${CMAKE_SOURCE_DIR}/samples/invalid)
set_tests_properties(validate-invalid PROPERTIES PASS_REGULAR_EXPRESSION "\\[@PREFIX@-ORDER\\]")
# Isolated: the tests ignore installed plugins, schemas and templates (a copy of this one after cmake --install).
set_tests_properties(plugin-check schema-test validate-valid validate-invalid PROPERTIES ENVIRONMENT CASEDOC_ISOLATED=1)
)~"},
    {"src/@ID@.cpp", R"~(// casedoc_@ID@: the @TITLE@ setting plugin.
//
// Document types: case-record (one client's episode: events and notes) and progress-note.
// Native check @PREFIX@-ORDER: a note is not entered before the service it documents. Schematron rules live
// in schemas/@ID@/; this file holds what XPath 1.0 cannot say well (here: comparing date-times).
//
// Rules of the contract (casedoc/plugin_api/casedoc_plugin.h): no exception leaves a plugin function (the
// CASEDOC_CHECK_FUNCTION guard sees to it), no mutable globals (records are checked in parallel), and logs
// carry record ids and rule ids only, never client data. casedoc_record.hpp reads the record (its events and
// notes, the day of a date), casedoc_date.hpp does the date arithmetic.
//
// A native check that is a deadline in all but name (a review every 90 days counted from the last one, say)
// also tells worklists when it is due, so that `casedoc due` lists it with the schema's deadlines:
//     cx.due("@PREFIX@-REVIEW", cx.root(), casedoc::format_date(last_day + 90),
//            "review " + casedoc::format_date(last_day));
// once for each finding it reports, at the same node (overdue), and once for the next one to come. Give a
// date (YYYY-MM-DD) or date-time and what it is counted from, never client data (docs/plugin-abi.md, 1.3).
#include <casedoc/plugin_api/casedoc_date.hpp>
#include <casedoc/plugin_api/casedoc_plugin.hpp>
#include <casedoc/plugin_api/casedoc_record.hpp>

#include <string>

namespace {

using casedoc::sdk::context;
using casedoc::sdk::for_each_note;
using casedoc::sdk::node;

void check_note_order(const context& cx, const node& note) {
    const auto service = casedoc::parse_date_time(note.attr("service-at"));
    const auto entered = casedoc::parse_date_time(note.attr("entered-at"));
    if (!service || !entered) return; // X2-SERVICE-AT and X2-ENTERED-AT report missing or malformed ones
    if (entered->minutes < service->minutes)
        cx.report("@PREFIX@-ORDER", note,
                  "The note was entered (" + std::string(note.attr("entered-at")) + ") before the service it documents (" +
                      std::string(note.attr("service-at")) + "): correct the service or entry time with an addendum.");
}

void check_order(const context& cx) {
    for_each_note(cx.root(), [&](const node& note) { check_note_order(cx, note); });
}

} // namespace

CASEDOC_CHECK_FUNCTION(casedoc_@ID@_check_order, check_order)

namespace {

constexpr const char* document_types[] = {"case-record", "progress-note", nullptr};

constexpr casedoc_check checks[] = {
    {"@PREFIX@-ORDER", CASEDOC_SEVERITY_ERROR, "CITATION-NEEDED", // plugin check refuses it until replaced
     "A note is not entered before the service it documents", nullptr, &casedoc_@ID@_check_order},
};

constexpr casedoc_plugin_descriptor descriptor = {
    .struct_size = sizeof(casedoc_plugin_descriptor),
    .abi_major = CASEDOC_PLUGIN_ABI_MAJOR,
    .abi_minor = CASEDOC_PLUGIN_ABI_MINOR,
    .id = "@ID@", // the file is casedoc_@ID@.so, the schemas are in schemas/@ID@/, records say setting="@ID@"
    .name = "@TITLE@",
    .version = "0.1.0",
    .document_types = document_types,
    .fact_names = nullptr, // none (see derive_facts in casedoc_plugin.h to add some)
    .derive_facts = nullptr,
    .checks = checks,
    .check_count = sizeof(checks) / sizeof(checks[0]),
    .exports = nullptr, // ABI 1.1: the setting has no export
    .export_count = 0,
};

} // namespace

CASEDOC_PLUGIN_DEFINE(descriptor)
)~"},
    {"schemas/@ID@/@ID@-2025.sch", R"~(<?xml version="1.0" encoding="UTF-8"?>
<!--
  The @TITLE@ documentation schema, in force from 2025-01-01. ISO Schematron (XPath 1.0) plus the casedoc
  extension (cd:meta, cd:field, cd:deadline, cd:recurrence): see casedoc's docs/schema-language.md.
  Replace each CITATION-NEEDED with the regulation or agency policy the rule enforces.
-->
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" xmlns:cd="urn:casedoc:schema:1"
            queryBinding="xslt" schemaVersion="2025.1">
  <sch:title>@TITLE@ case records and notes</sch:title>
  <cd:meta setting="@ID@" version="2025.1" document-types="case-record progress-note"
           effective-from="2025-01-01" title="@TITLE@ case records and notes"/>
  <sch:ns prefix="r" uri="urn:casedoc:record:1"/>

  <!-- Agency policy parameters: casedoc validate param note-sign-hours=48 overrides. The common note rules
       below read these two. -->
  <sch:let name="note-sign-hours" value="72"/>
  <sch:let name="late-entry-hours" value="24"/>

  <!-- casedoc's note rules for every setting, X1-X4: note format; author, service-at and entered-at (missing or
       malformed date-times); signatures; late entries; the signing window. "casedoc:" names a file in the schema
       directories, or casedoc's own schemas/common wherever casedoc is installed. -->
  <sch:include href="casedoc:common/notes.sch"/>

  <!-- Every rule's citation is CITATION-NEEDED until you write the regulation or agency policy it enforces
       ("agency policy (configurable)" for a rule of your own): casedoc plugin check refuses the placeholder. -->
  <sch:pattern id="@ID@-notes">
    <sch:rule context="r:note">
      <sch:assert id="@PREFIX@-SUMMARY" role="error" cd:title="Note has a summary section" cd:citation="CITATION-NEEDED"
                  test="string-length(normalize-space(r:section[@code = 'summary'])) >= 10">The note needs a summary section of at least 10 characters (section code="summary").</sch:assert>
    </sch:rule>
  </sch:pattern>

  <sch:pattern id="@ID@-case-record">
    <sch:rule context="r:case-record">
      <sch:let name="start" value="string(r:events/r:event[@type = 'admission'][1]/@date)"/>
      <sch:assert id="@PREFIX@-ADMISSION" role="error" cd:title="Case record has an admission event" cd:citation="CITATION-NEEDED"
                  test="$start != ''">The case record has no admission event (event type="admission" with a date).</sch:assert>
      <cd:recurrence id="@PREFIX@-MONTHLY" role="error" title="Progress note in every calendar month from admission" citation="CITATION-NEEDED"
                     every="calendar-month" from="$start" to="@as-of"
                     events="r:notes/r:note[@type = 'progress-note']" date="@service-at">A progress note is required in every calendar month from admission (<sch:value-of select="$start"/>) to <sch:value-of select="@as-of"/>.</cd:recurrence>
    </sch:rule>
  </sch:pattern>
</sch:schema>
)~"},
    {"samples/valid/case-record.xml", R"~(<?xml version="1.0" encoding="UTF-8"?>
<!-- casedoc-expect: none -->
<case-record xmlns="urn:casedoc:record:1" format-version="1.0" setting="@ID@" type="case-record" id="CR-1"
             as-of="2025-03-31">
  <client id="C-1001" name="Zoë Núñez"/>
  <events>
    <event type="admission" date="2025-01-06"/>
  </events>
  <notes>
    <note type="progress-note" id="N-1" format="narrative" service-at="2025-01-07T10:00" entered-at="2025-01-07T15:30">
      <author id="u7" name="José Pérez" role="case-manager" credential="BSW"/>
      <section code="summary">Intake visit; goals agreed with the client.</section>
      <signature signer="u7" name="José Pérez" role="case-manager" credential="BSW" signed-at="2025-01-07T15:35" method="electronic"/>
    </note>
    <note type="progress-note" id="N-2" format="narrative" service-at="2025-02-11T09:00" entered-at="2025-02-11T12:00">
      <author id="u7" name="José Pérez" role="case-manager" credential="BSW"/>
      <section code="summary">Reviewed progress on the goals; no concerns.</section>
      <signature signer="u7" name="José Pérez" role="case-manager" credential="BSW" signed-at="2025-02-11T12:05" method="electronic"/>
    </note>
    <note type="progress-note" id="N-3" format="narrative" service-at="2025-03-04T14:00" entered-at="2025-03-04T16:00">
      <author id="u7" name="José Pérez" role="case-manager" credential="BSW"/>
      <section code="summary">Monthly check-in; next review in April.</section>
      <signature signer="u7" name="José Pérez" role="case-manager" credential="BSW" signed-at="2025-03-04T16:02" method="electronic"/>
    </note>
  </notes>
</case-record>
)~"},
    {"samples/invalid/case-record-gaps.xml", R"~(<?xml version="1.0" encoding="UTF-8"?>
<!-- casedoc-expect: @PREFIX@-MONTHLY X2-SIG @PREFIX@-ORDER -->
<!-- No progress note in February; the March note is unsigned and was entered before the service. -->
<case-record xmlns="urn:casedoc:record:1" format-version="1.0" setting="@ID@" type="case-record" id="CR-2"
             as-of="2025-03-31">
  <client id="C-1002" name="Ana Lima"/>
  <events>
    <event type="admission" date="2025-01-06"/>
  </events>
  <notes>
    <note type="progress-note" id="N-4" format="narrative" service-at="2025-01-07T10:00" entered-at="2025-01-07T15:30">
      <author id="u7" name="José Pérez" role="case-manager" credential="BSW"/>
      <section code="summary">Intake visit; goals agreed with the client.</section>
      <signature signer="u7" name="José Pérez" role="case-manager" credential="BSW" signed-at="2025-01-07T15:35" method="electronic"/>
    </note>
    <note type="progress-note" id="N-5" format="narrative" service-at="2025-03-04T14:00" entered-at="2025-03-04T09:00">
      <author id="u7" name="José Pérez" role="case-manager" credential="BSW"/>
      <section code="summary">Monthly check-in; next review in April.</section>
    </note>
  </notes>
</case-record>
)~"},
    {"samples/invalid/progress-note-no-entered-at.xml", R"~(<?xml version="1.0" encoding="UTF-8"?>
<!-- casedoc-expect: X2-ENTERED-AT -->
<!-- The note does not say when it was entered (casedoc's common note rules, schemas/common/notes.sch). -->
<note xmlns="urn:casedoc:record:1" format-version="1.0" setting="@ID@" type="progress-note" id="N-6" format="narrative"
      service-at="2025-01-07T10:00">
  <client id="C-1003" name="Kim Ode"/>
  <author id="u7" name="José Pérez" role="case-manager" credential="BSW"/>
  <section code="summary">Intake visit; goals agreed with the client.</section>
  <signature signer="u7" name="José Pérez" role="case-manager" credential="BSW" signed-at="2025-01-07T15:35" method="electronic"/>
</note>
)~"},
    {"templates/@ID@/common.xml", R"~(<?xml version="1.0" encoding="UTF-8"?>
<!-- What every @TITLE@ document shares (casedoc's docs/templates.md describes the template language). -->
<template xmlns="urn:casedoc:template:1" setting="@ID@">
  <!-- The agency's name, in every page's header and footer: a placeholder. Write your agency's name here, or
       leave it to each agency that installs the plugin: casedoc render --var agency="Its name" overrides it. -->
  <var name="agency">[Your agency's name]</var>
  <var name="program">@TITLE@</var>
</template>
)~"},
    {"templates/@ID@/progress-note.xml", R"~(<?xml version="1.0" encoding="UTF-8"?>
<template xmlns="urn:casedoc:template:1" setting="@ID@" document-type="progress-note" title="Progress Note">
  <body>
    <use block="note-details"/>
    <use block="late-entry"/>
    <sections/>
    <use block="signatures"/>
    <use block="addenda"/>
  </body>
</template>
)~"},
    {"templates/@ID@/case-record.xml", R"~(<?xml version="1.0" encoding="UTF-8"?>
<template xmlns="urn:casedoc:template:1" setting="@ID@" document-type="case-record" title="@TITLE@ Case Record">
  <var name="service-date-label">As of</var>
  <var name="service-date" select="/*/@as-of" format="date"/>
  <body>
    <table select="events/event" label="Events" required="true">
      <column label="Date" select="@date" format="date" width="1"/>
      <column label="Event" select="@type" format="code" width="3"/>
    </table>
    <notes/>
  </body>
</template>
)~"},
    {"README.md", R"~(# casedoc plugin: @ID@

The @TITLE@ setting for casedoc, built outside the casedoc source tree against an installed casedoc.

```sh
cmake -S . -B build                    # add -DCMAKE_PREFIX_PATH=<prefix> if casedoc is not in /usr or /usr/local
cmake --build build
ctest --test-dir build --output-on-failure
casedoc --project . validate samples/valid/            # try it: --project . is --plugin-dir build/plugins
casedoc --project . render samples/valid/case-record.xml -o case-record.pdf    # --schema-dir schemas --template-dir templates
cmake --install build                  # install beside casedoc: then no --project needed
```

| path | what |
|---|---|
| `src/@ID@.cpp` | the plugin: descriptor (id, document types, checks) and the native check @PREFIX@-ORDER |
| `schemas/@ID@/@ID@-2025.sch` | the documentation schema (ISO Schematron + casedoc extension), in force from 2025-01-01 |
| `templates/@ID@/` | PDF templates, one per document type (`casedoc render`) |
| `samples/valid`, `samples/invalid` | records with `<!-- casedoc-expect: RULE-ID ... -->`: the rules each must trigger |

First cite the rules: every citation is `CITATION-NEEDED` (in the schema and in `src/@ID@.cpp`), and the
`plugin-check` test fails, naming each one's file and line, until you write the regulation or the agency policy
the rule enforces ("agency policy (configurable)" for a rule of your own).

The PDFs' header shows the placeholder `[Your agency's name]`: write your agency's name in
`templates/@ID@/common.xml` (an agency that installs the plugin can also set its own with
`casedoc render --var agency="Its name"`).

Add a rule test-first: write a sample that breaks it (naming the rule id in `casedoc-expect`), see
`casedoc schema test schemas/@ID@/@ID@-2025.sch samples --plugin-dir build/plugins` fail, write the rule,
see it pass. `casedoc plugin check build/plugins/casedoc_@ID@.so --schema-dir schemas --template-dir templates
--samples samples` verifies the whole contract; the CTest tests run both. `schema test` and `plugin check` also
lint the schema (`casedoc schema lint`): a rule that never fires because an earlier rule of its pattern takes
the same nodes (give each new rule a pattern of its own), a name no record uses ("did you mean 'referral'?").
)~"},
};

std::string fill(std::string text, const plugin_new_options& o, const std::string& prefix) {
    for (const auto& [key, value] : {std::pair<std::string, std::string>{"@ID@", o.id}, {"@PREFIX@", prefix}, {"@TITLE@", o.title}})
        for (size_t pos = 0; (pos = text.find(key, pos)) != std::string::npos; pos += value.size()) text.replace(pos, key.size(), value);
    return text;
}

int run_plugin_new(const plugin_new_options& opt) {
    plugin_new_options o = opt;
    static const std::regex id_re("[a-z][a-z0-9_]{0,31}");
    if (!std::regex_match(o.id, id_re))
        throw error("", "a plugin id is a lower-case letter then up to 31 lower-case letters, digits or '_' (got '" + o.id + "')");
    if (o.title.empty()) {
        o.title = o.id;
        o.title[0] = static_cast<char>(o.title[0] - 'a' + 'A');
        for (char& c : o.title)
            if (c == '_') c = ' ';
    }
    std::string prefix;
    for (char c : o.id) prefix += c == '_' ? '-' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const fs::path root = o.dir.empty() ? fs::path("casedoc-" + o.id) : fs::path(o.dir);
    std::error_code ec;
    if (fs::exists(root, ec) && !fs::is_empty(root, ec))
        throw error(root.string(), "cannot scaffold here: the directory exists and is not empty");
    // Written to a temporary directory, then renamed: the project appears whole or not at all.
    const fs::path tmp = root.parent_path() / ("." + root.filename().string() + ".tmp");
    fs::remove_all(tmp, ec);
    try {
        for (const auto& f : files) {
            const std::string relative = fill(f.path, o, prefix);
            const fs::path path = tmp / relative;
            fs::create_directories(path.parent_path());
            std::ofstream out(path, std::ios::binary);
            out << fill(f.text, o, prefix);
            out.close(); // a full disk shows when the buffer is written out, here
            if (!out) throw error((root / relative).string(), std::string("cannot write: ") + std::strerror(errno));
        }
        fs::remove(root, ec); // an empty directory
        fs::rename(tmp, root);
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(tmp, ec);
        throw error(root.string(), std::string("cannot scaffold: ") + e.code().message());
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
    std::cout << "created " << root.string() << "/ (plugin " << o.id << ", rule ids " << prefix << "-...)\n"
              << "next: cmake -S " << root.string() << " -B " << (root / "build").string() << " && cmake --build "
              << (root / "build").string() << " && ctest --test-dir " << (root / "build").string() << '\n'
              << "then replace every CITATION-NEEDED (schemas/" << o.id << "/, src/" << o.id
              << ".cpp) with the rule's source: casedoc plugin check refuses it\n"
              << "and write your agency's name in templates/" << o.id << "/common.xml (the PDFs show [Your agency's name])\n";
    return 0;
}

} // namespace

void add_plugin_new_command(CLI::App& plugin, command_action& action) {
    auto* sub = plugin.add_subcommand("new", "Scaffold an out-of-tree plugin project that builds and validates as is");
    auto o = std::make_shared<plugin_new_options>();
    sub->add_option("id", o->id, "The plugin id (lower case, e.g. housing): names the module, schemas and records' setting")
        ->required();
    sub->add_option("-o,--output", o->dir, "Project directory (default: ./casedoc-<id>)");
    sub->add_option("--title", o->title, "Human name of the setting (default: from the id)");
    sub->callback([&action, o] { action = [o] { return run_plugin_new(*o); }; });
}

} // namespace casedoc::tools
