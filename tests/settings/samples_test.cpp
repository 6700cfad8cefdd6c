// End-to-end tests run for every setting plugin: every sample record goes through the built program
// (`casedoc validate --format json`), and the samples cover every rule the setting has.
//
// Each sample starts with <!-- casedoc-expect: ID ID ... --> (or "none" for a valid one).
#include "setting_support.hpp"

using namespace setting_test;

TEST_CASE("every sample says which rules it must trigger", "[samples]") {
    for (const char *kind : {"valid", "invalid"}) {
        const auto files = xml_files(samples_dir / kind);
        REQUIRE(!files.empty());
        for (const auto &f : files) {
            INFO(f.string());
            const auto ids = expected_ids(f);
            REQUIRE(ids.has_value());
            if (std::string(kind) == "valid")
                CHECK(ids->empty());
            else
                CHECK(!ids->empty());
        }
    }
}

TEST_CASE("valid samples and record examples are compliant", "[samples]") {
    auto files = xml_files(samples_dir / "valid");
    for (const auto &f : setting_examples())
        files.push_back(f);
    REQUIRE(files.size() >= 2);
    for (const auto &f : files) {
        INFO(f.string());
        const checked_record c = validate(f);
        INFO(c.run.out);
        CHECK(c.run.status == 0);
        CHECK(c.record.value("status", "") == "compliant");
        CHECK(c.record.value("setting", "") == plugin_id);
        std::set<std::string> serious;
        for (const auto &fi : c.record.value("findings", nlohmann::json::array()))
            if (fi.value("severity", "") != "info")
                serious.insert(fi.value("rule_id", ""));
        CHECK(joined(serious) == "(none)");
    }
}

TEST_CASE("invalid samples trigger every rule they name", "[samples]") {
    const auto files = xml_files(samples_dir / "invalid");
    REQUIRE(!files.empty());
    for (const auto &f : files) {
        INFO(f.string());
        const auto expected = expected_ids(f).value_or(std::set<std::string>{});
        const checked_record c = validate(f);
        INFO("expected: " << joined(expected) << "\nfound:    " << joined(c.rule_ids));
        INFO(c.run.out);
        for (const auto &id : expected) {
            INFO("rule " << id);
            CHECK(c.rule_ids.count(id) == 1);
        }
        // Warnings alone leave a record compliant; any error makes it not compliant.
        if (c.error_ids.empty()) {
            CHECK(c.run.status == 0);
        } else {
            CHECK(c.run.status == 1);
            CHECK(c.record.value("status", "") == "not-compliant");
        }
    }
}

TEST_CASE("every rule of the setting has an invalid sample that triggers it", "[coverage]") {
    std::set<std::string> rules = schema_rule_ids();
    REQUIRE(rules.size() >= 12);                 // the setting's schemas were read
    REQUIRE(rules.count("X4-SIGN-TIMELY") == 1); // with the common note rules they include
    const std::set<std::string> native = native_rule_ids();
    REQUIRE(!native.empty()); // every setting has at least one native check
    rules.insert(native.begin(), native.end());

    std::set<std::string> covered;
    for (const auto &f : xml_files(samples_dir / "invalid")) {
        const auto ids = expected_ids(f).value_or(std::set<std::string>{});
        covered.insert(ids.begin(), ids.end());
    }
    std::set<std::string> uncovered, unknown;
    std::set_difference(rules.begin(), rules.end(), covered.begin(), covered.end(),
                        std::inserter(uncovered, uncovered.end()));
    // casedoc's own checks of every record (docs/record-format.md): a sample may name them, none has to.
    std::set<std::string> known = rules;
    known.insert({"CASEDOC-DATE", "CASEDOC-DOCUMENT-TYPE"});
    std::set_difference(covered.begin(), covered.end(), known.begin(), known.end(),
                        std::inserter(unknown, unknown.end()));
    INFO(rules.size() << " rules");
    CHECK(joined(uncovered) == "(none)"); // rules no invalid sample names
    CHECK(joined(unknown) == "(none)");   // names in samples that are no rule
}

