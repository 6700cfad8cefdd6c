// Loading and discovering plugins: the good fixture loads, every broken one is refused with an error that
// names its file and says what was wrong.
#include <casedoc/base/error.hpp>
#include <casedoc/plugin/plugin_host.hpp>

#include "error_saying.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

namespace fs = std::filesystem;

namespace {

const fs::path fixtures = CASEDOC_FIXTURE_DIR;

fs::path fixture(const std::string& folder, const std::string& id) {
    return fixtures / folder / ("casedoc_" + id + ".so");
}

// The error of loading the fixture casedoc_<id>.so in <folder>: it names the file and says `phrase`.
void require_refused(const std::string& folder, const std::string& id, const std::string& phrase) {
    casedoc::plugin_host host;
    const fs::path file = fixture(folder, id);
    REQUIRE(fs::exists(file));
    REQUIRE_THROWS_MATCHES(host.load(file), casedoc::error, error_saying({file.string(), phrase}));
    CHECK(host.plugins().empty());
}

// Sets an environment variable for the life of the object.
class scoped_env {
public:
    scoped_env(const char* name, const std::string& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~scoped_env() {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

} // namespace

TEST_CASE("A good plugin loads and describes itself", "[plugin][load]") {
    casedoc::plugin_host host;
    const casedoc::plugin& p = host.load(fixture("good", "fixture_good"));
    CHECK(p.id == "fixture_good");
    CHECK(p.name == "Good fixture");
    CHECK(p.version == "1.2.3");
    CHECK(p.file == fixture("good", "fixture_good"));
    CHECK(p.abi_minor == CASEDOC_PLUGIN_ABI_MINOR);
    CHECK(p.descriptor != nullptr);
    CHECK(p.document_types == std::vector<std::string>{"caseworker-visit", "case-record", "other-type"});
    CHECK(p.fact_names == std::vector<std::string>{"unsigned_notes", "signature_policy"});
    REQUIRE(p.checks.size() == 2);
    CHECK(p.checks[0].rule_id == "FX-1");
    CHECK(p.checks[0].level == casedoc::severity::error);
    CHECK(p.checks[0].citation == "Fixture Rule 1(a)");
    CHECK(p.checks[0].title == "A note is signed");
    CHECK(p.checks[0].document_types == std::vector<std::string>{"caseworker-visit", "case-record"});
    CHECK(p.checks[1].level == casedoc::severity::warning);
    CHECK(p.checks[1].citation.empty());
    REQUIRE(p.exports.size() == 1); // ABI 1.1
    CHECK(p.exports[0].name == "notes");
    CHECK(p.exports[0].version == "v1");
    CHECK(p.exports[0].columns == std::vector<std::string>{"Note id", "Record type", "Signed"});
    CHECK(p.exports[0].applies_to("case-record"));
    CHECK_FALSE(p.exports[0].applies_to("other-type"));
    CHECK(host.find("fixture_good") == &p);
    CHECK(host.find("nothing") == nullptr);
}

TEST_CASE("Loading the same file twice gives the same plugin", "[plugin][load]") {
    casedoc::plugin_host host;
    const casedoc::plugin& first = host.load(fixture("good", "fixture_good"));
    const casedoc::plugin& second = host.load(fixture("good", "fixture_good"));
    CHECK(&first == &second);
    CHECK(host.plugins().size() == 1);
}

TEST_CASE("A plugin given by a relative path is loaded by its absolute path", "[plugin][load]") {
    const fs::path before = fs::current_path();
    fs::current_path(fixtures);
    casedoc::plugin_host host;
    std::optional<fs::path> loaded;
    try {
        loaded = host.load(fs::path("good") / "casedoc_fixture_good.so").file;
    } catch (...) {
        fs::current_path(before);
        throw;
    }
    fs::current_path(before);
    CHECK(*loaded == fixture("good", "fixture_good"));
}

TEST_CASE("A file that is not a shared library is refused with the loader's message", "[plugin][load]") {
    require_refused("notalib", "notalib", "cannot load plugin");
    require_refused("notalib", "notalib", "invalid ELF header");
}

TEST_CASE("A file whose name is not casedoc_<id>.so is refused", "[plugin][load]") {
    casedoc::plugin_host host;
    const fs::path file = fixtures / "compatible" / "libsomething_else.so";
    REQUIRE_THROWS_MATCHES(host.load(file), casedoc::error, error_saying({file.string(), "casedoc_<id>.so"}));
}

TEST_CASE("A plugin without an entry point is refused", "[plugin][abi]") {
    require_refused("no_entry", "no_entry", "missing symbol 'casedoc_plugin_entry'");
}

TEST_CASE("A plugin without an ABI version symbol is refused before its entry point runs", "[plugin][abi]") {
    require_refused("no_abi_symbol", "no_abi_symbol", "missing symbol 'casedoc_plugin_abi_major'");
}

TEST_CASE("A plugin of another ABI major version is refused before its entry point runs", "[plugin][abi]") {
    // The fixture's entry point aborts: this test crashes if the host calls it.
    require_refused("wrong_abi", "wrong_abi", "wrong plugin ABI version: got 99, this casedoc supports 1");
}

TEST_CASE("A descriptor of another ABI major version is refused", "[plugin][abi]") {
    require_refused("descriptor_abi", "descriptor_abi", "wrong plugin ABI version in descriptor: got 2");
}

TEST_CASE("A plugin whose entry point returns no descriptor is refused", "[plugin][abi]") {
    require_refused("null_descriptor", "null_descriptor", "returned no descriptor");
}

TEST_CASE("A plugin whose entry point throws is refused, and the host survives", "[plugin][abi]") {
    require_refused("entry_throws", "entry_throws", "entry point threw an exception: descriptor not ready");
}

TEST_CASE("A descriptor smaller than ABI 1.0 defines is refused", "[plugin][abi]") {
    require_refused("too_small", "too_small", "plugin descriptor is too small: got struct_size 72");
}

TEST_CASE("A descriptor of exactly the ABI 1.0 size, without trailing padding, loads", "[plugin][abi]") {
    casedoc::plugin_host host;
    const casedoc::plugin& p = host.load(fixture("compatible", "v1_0_size"));
    CHECK(p.descriptor->struct_size < sizeof(casedoc_plugin_descriptor));
    CHECK(p.id == "v1_0_size");
    CHECK(p.abi_minor == 0);
    CHECK(p.checks.empty());
    CHECK(p.fact_names.empty());
    CHECK(p.exports.empty()); // the 1.1 fields are not read from a 1.0 descriptor
}

TEST_CASE("A plugin built for a newer minor version loads, its extra fields ignored", "[plugin][abi]") {
    casedoc::plugin_host host;
    const casedoc::plugin& p = host.load(fixture("compatible", "newer_minor"));
    CHECK(p.abi_minor == CASEDOC_PLUGIN_ABI_MINOR + 5);
    CHECK(p.descriptor->struct_size > sizeof(casedoc_plugin_descriptor));
    CHECK(p.version == "9.0.0");
}

TEST_CASE("A plugin whose id does not match its file name is refused", "[plugin][load]") {
    require_refused("wrong_id", "wrong_id",
                    "plugin id 'someone_else' does not match its file name (expected 'wrong_id')");
}

TEST_CASE("A plugin without a name is refused", "[plugin][load]") {
    require_refused("no_name", "no_name", "plugin descriptor has no name: got NULL");
}

TEST_CASE("Discovery loads every casedoc_*.so of the search directories, sorted by id", "[plugin][discover]") {
    casedoc::plugin_host host;
    host.add_search_directory(fixtures / "compatible"); // also holds files that are not plugins
    host.add_search_directory(fixtures / "good");
    host.discover();
    const auto all = host.plugins();
    REQUIRE(all.size() == 3);
    CHECK(all[0]->id == "fixture_good");
    CHECK(all[1]->id == "newer_minor");
    CHECK(all[2]->id == "v1_0_size");

    SECTION("and discovering again changes nothing") {
        host.discover();
        CHECK(host.plugins() == all);
    }
}

TEST_CASE("Two plugins with one id are refused, naming both files", "[plugin][discover]") {
    casedoc::plugin_host host;
    host.add_search_directory(fixtures / "dup1");
    host.add_search_directory(fixtures / "dup2");
    REQUIRE_THROWS_MATCHES(host.discover(), casedoc::error,
                           error_saying({fixture("dup1", "dup").string(), fixture("dup2", "dup").string(),
                                         "plugin id 'dup' is already provided by"}));
}

TEST_CASE("Discovery stops at a broken plugin and names it", "[plugin][discover]") {
    casedoc::plugin_host host;
    host.add_search_directory(fixtures / "good");
    host.add_search_directory(fixtures / "wrong_abi");
    REQUIRE_THROWS_MATCHES(host.discover(), casedoc::error,
                           error_saying({fixture("wrong_abi", "wrong_abi").string(), "got 99"}));
}

TEST_CASE("A search directory that does not exist is an error naming it", "[plugin][discover]") {
    casedoc::plugin_host host;
    const fs::path missing = fixtures / "no_such_folder";
    host.add_search_directory(missing);
    REQUIRE_THROWS_MATCHES(host.discover(), casedoc::error, error_saying({missing.string(), "does not exist"}));
}

TEST_CASE("Search directories keep the order they were added in, each once", "[plugin][discover]") {
    casedoc::plugin_host host;
    host.add_search_directory(fixtures / "good");
    host.add_search_directory(fixtures / "compatible");
    host.add_search_directory(fixtures / "good" / ".." / "good");
    CHECK(host.search_directories() == std::vector<fs::path>{fixtures / "good", fixtures / "compatible"});
}

TEST_CASE("Default directories come after added ones and end with CASEDOC_PLUGIN_PATH", "[plugin][discover]") {
    const scoped_env env("CASEDOC_PLUGIN_PATH", (fixtures / "dup1").string() + "::" +
                                                    (fixtures / "no_such_folder").string() + ":" +
                                                    (fixtures / "dup2").string());
    casedoc::plugin_host host;
    host.add_search_directory(fixtures / "good");
    host.add_default_directories();
    const auto& dirs = host.search_directories();
    REQUIRE(dirs.size() >= 3);
    CHECK(dirs.front() == fixtures / "good");
    CHECK(dirs[dirs.size() - 2] == fixtures / "dup1");
    CHECK(dirs.back() == fixtures / "dup2");
}

// bad_plugins::disable: a plugin that does not load disables its own id only, and says why.
namespace {

// Discovers `good` and the broken fixture's folder with bad_plugins::disable: fixture_good still loads; the
// broken one is one failure naming its file and saying `phrase`, and its id is disabled.
void require_disabled(const std::string& folder, const std::string& id, const std::string& phrase) {
    casedoc::plugin_host host;
    host.add_search_directory(fixtures / folder);
    host.add_search_directory(fixtures / "good");
    REQUIRE_NOTHROW(host.discover(casedoc::bad_plugins::disable));
    REQUIRE(host.plugins().size() == 1);
    CHECK(host.plugins()[0]->id == "fixture_good");
    CHECK(host.find("fixture_good") != nullptr);
    REQUIRE(host.failures().size() == 1);
    const casedoc::plugin_failure& f = host.failures()[0];
    CHECK(f.file == fixture(folder, id));
    CHECK(f.id == id);
    CHECK_FALSE(f.duplicate);
    CHECK_THAT(f.message, Catch::StartsWith(fixture(folder, id).string() + ": ") && Catch::Contains(phrase));
    CHECK(host.find(id) == nullptr);
    CHECK(host.failure(id) == &f);
    CHECK(host.failure("fixture_good") == nullptr);
    CHECK(f.reason() == "setting '" + id + "' is disabled: its plugin did not load: " + f.message);
    // bad_plugins::fail, the default, stops at the same plugin.
    casedoc::plugin_host strict;
    strict.add_search_directory(fixtures / folder);
    strict.add_search_directory(fixtures / "good");
    REQUIRE_THROWS_MATCHES(strict.discover(), casedoc::error, error_saying({fixture(folder, id).string(), phrase}));
}

} // namespace

TEST_CASE("A broken plugin disables only its own setting when discovery is told to go on", "[plugin][discover][disable]") {
    SECTION("id that is not the file name") {
        require_disabled("wrong_id", "wrong_id", "plugin id 'someone_else' does not match its file name (expected 'wrong_id')");
    }
    SECTION("another ABI") { require_disabled("wrong_abi", "wrong_abi", "wrong plugin ABI version: got 99"); }
    SECTION("no entry point") { require_disabled("no_entry", "no_entry", "missing symbol 'casedoc_plugin_entry'"); }
    SECTION("entry point throws") {
        require_disabled("entry_throws", "entry_throws", "entry point threw an exception: descriptor not ready");
    }
    SECTION("not a shared library") { require_disabled("notalib", "notalib", "cannot load plugin"); }
    SECTION("descriptor too small") { require_disabled("too_small", "too_small", "plugin descriptor is too small"); }
    SECTION("no name") { require_disabled("no_name", "no_name", "plugin descriptor has no name"); }
}

TEST_CASE("Two plugins with one id disable that id, and the failure names both files", "[plugin][discover][disable]") {
    casedoc::plugin_host host;
    host.add_search_directory(fixtures / "dup1");
    host.add_search_directory(fixtures / "good");
    host.add_search_directory(fixtures / "dup2");
    REQUIRE_NOTHROW(host.discover(casedoc::bad_plugins::disable));
    CHECK(host.find("dup") == nullptr); // neither file: casedoc does not guess which one was meant
    REQUIRE(host.plugins().size() == 1);
    CHECK(host.plugins()[0]->id == "fixture_good");
    REQUIRE(host.failures().size() == 1);
    const casedoc::plugin_failure& f = host.failures()[0];
    CHECK(f.duplicate);
    CHECK(f.id == "dup");
    CHECK(f.file == fixture("dup2", "dup"));
    CHECK(f.message == fixture("dup2", "dup").string() + ": plugin id 'dup' is already provided by '" +
                           fixture("dup1", "dup").string() + "'");
}

TEST_CASE("A second file of an id whose first file did not load is refused too", "[plugin][discover][disable]") {
    // A text file named casedoc_fixture_good.so first, then the real fixture_good.
    const fs::path dir = fs::temp_directory_path() / ("casedoc-plugin-host-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy_file(fixture("notalib", "notalib"), dir / "casedoc_fixture_good.so");
    casedoc::plugin_host host;
    host.add_search_directory(dir);
    host.add_search_directory(fixtures / "good");
    host.discover(casedoc::bad_plugins::disable);
    fs::remove_all(dir);
    CHECK(host.plugins().empty());
    REQUIRE(host.failures().size() == 2);
    CHECK_THAT(host.failures()[0].message, Catch::Contains("cannot load plugin"));
    CHECK(host.failures()[1].duplicate);
    CHECK_THAT(host.failures()[1].message,
               Catch::Contains("plugin id 'fixture_good' is already provided by '" + (dir / "casedoc_fixture_good.so").string()));
    CHECK(host.failure("fixture_good") == &host.failures()[0]);
}
