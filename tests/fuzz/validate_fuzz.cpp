// Target 2, a whole validation: a fuzzed record checked by the validator with every plugin of the build tree
// loaded as in production (facts, the schema in force on its date, native checks, the record dates), then
// reported as text and JSON. Guarantees: check_text never throws and never crashes for any bytes; a record it
// could not check says why; the same record checked twice gives the same report (no state leaks between
// records).
#include "fuzz_support.hpp"

#include <casedoc/check/report.hpp>
#include <casedoc/check/validator.hpp>

#include <sstream>

namespace {

std::string report(const casedoc::record_result& r) {
    std::ostringstream out;
    casedoc::write_text(r, out);
    casedoc::batch_summary summary;
    summary.add(r);
    casedoc::json_report_writer json(out);
    json.add(r);
    json.finish(summary);
    return out.str();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto& set = casedoc_fuzz::production_set();
    static casedoc::validator* const v = [&set] {
        casedoc::validator_options o;
        o.timeout_per_record = 5; // a pathological record is an error result, not a hang of the target
        return new casedoc::validator(set.plugins, set.schemas, o);
    }();
    const std::string text(casedoc_fuzz::as_text(data, size));
    const casedoc::record_result first = v->check_text(text, "fuzz.xml");
    if (first.status == casedoc::record_status::error && first.error.empty())
        casedoc_fuzz::broken("a record not checked without a reason");
    const std::string once = report(first);
    if (report(v->check_text(text, "fuzz.xml")) != once) casedoc_fuzz::broken("two checks differ", once);
    return 0;
}
