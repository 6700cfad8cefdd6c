// Target 6, the audit partial (shard) reader and audit merge: a fuzzed casedoc-audit-partial/1 file read, written
// back and read again, merged, and reported as audit.json and audit.csv (what `casedoc audit merge` writes, but
// the PDF). Guarantees: read_audit_partial gives audit data or a casedoc::error naming the file, never a crash or
// another exception; what it reads it writes back to the same JSON; a merge gives a report or a casedoc::error.
#include "fuzz_support.hpp"

#include <casedoc/audit/audit.hpp>
#include <casedoc/audit/audit_report.hpp>
#include <casedoc/base/error.hpp>

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const bool quiet = (spdlog::set_level(spdlog::level::off), true);
    (void)quiet;
    const std::string text(casedoc_fuzz::as_text(data, size));
    casedoc::audit_data part;
    try {
        part = casedoc::read_audit_partial(text, "fuzz.json");
    } catch (const casedoc::error& e) {
        if (e.file() != "fuzz.json") casedoc_fuzz::broken("a partial's error that does not name it", e.what());
        return 0;
    }
    const std::string written = casedoc::audit_partial_json(part);
    try {
        if (casedoc::audit_partial_json(casedoc::read_audit_partial(written, "again.json")) != written)
            casedoc_fuzz::broken("a partial written back reads differently");
    } catch (const casedoc::error& e) {
        casedoc_fuzz::broken("a partial written back does not read", e.what());
    }
    try {
        const casedoc::audit_data whole = casedoc::merge_audit({part}, {"fuzz.json"});
        const casedoc::audit_report_options ro;
        (void)casedoc::audit_report_json(whole, ro);
        std::ostringstream csv;
        casedoc::write_audit_csv(csv, whole, ro);
    } catch (const casedoc::error&) {
    }
    return 0;
}
