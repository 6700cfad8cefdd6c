// Target 3, compiling a schema: the Schematron loader (includes, abstract rules and patterns, lets, phases), the
// XPath rewriter, the direct-XPath parser and the casedoc extension elements, on fuzzed schema text; a schema
// that compiles then validates a real sample record. Guarantees: schema::load_text gives a schema or a
// casedoc::error (naming the file), never a crash or another exception; a compiled schema validates a record
// without crashing (within a deadline).
#include "fuzz_support.hpp"

#include <casedoc/base/error.hpp>
#include <casedoc/schematron/schema.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <chrono>
#include <filesystem>

namespace {

namespace fs = std::filesystem;

// Includes and document() resolve only to the repository's own schema files: a fuzzed href must not read
// /dev/zero or the whole disk.
std::optional<std::string> repository_schemas_only(const std::string& uri) {
    static const fs::path root = fs::weakly_canonical(fs::path(CASEDOC_FUZZ_SOURCE_DIR) / "schemas");
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(uri, ec);
    if (ec || !fs::is_regular_file(p, ec) || fs::file_size(p, ec) > (1u << 20)) return std::nullopt;
    const auto rel = p.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..") return std::nullopt;
    return casedoc::read_file_resource(p.string());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto& set = casedoc_fuzz::production_set();
    static const std::string record = casedoc_fuzz::source_file("plugins/hospital/samples/valid/progress-note-soap.xml");
    static const std::string uri = std::string(CASEDOC_FUZZ_SOURCE_DIR) + "/schemas/hospital/fuzz.sch";
    casedoc::schema_options so;
    so.loader = repository_schemas_only;
    for (const auto& d : set.schemas.directories()) so.search_path.push_back(d);
    std::unique_ptr<casedoc::schema> s;
    try {
        s = casedoc::schema::load_text(std::string(casedoc_fuzz::as_text(data, size)), uri, so);
    } catch (const casedoc::error& e) {
        if (e.file().empty()) casedoc_fuzz::broken("a schema error that names no file", e.what());
        return 0;
    }
    casedoc::xml_document doc = casedoc::xml_document::load_string(record, "sample.xml");
    casedoc::validate_options vo;
    vo.loader = repository_schemas_only;
    vo.svrl = true;
    vo.tally = true;
    vo.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    try {
        (void)s->validate(doc, vo);
    } catch (const casedoc::error&) { // past the deadline, or a dynamic error of an XPath
    }
    return 0;
}
