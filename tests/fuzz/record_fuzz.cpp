// Target 1, reading a record: parsing with locations, the namespace check, the record limits, the record's root
// (as an audit reads it from a file's head), its info, canonicalisation of prefixes and locating every node.
// Guarantees: any bytes give a casedoc::error or a document, never a crash, another exception or a hang;
// canonicalisation is idempotent; every node of a parsed record has a location on a line of its text.
#include "fuzz_support.hpp"

#include <casedoc/base/error.hpp>
#include <casedoc/xml/record.hpp>
#include <casedoc/xml/record_limits.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <algorithm>
#include <sstream>

namespace {

std::string serialised(const casedoc::xml_document& doc) {
    std::ostringstream out;
    doc.dom().save(out, "", pugi::format_raw);
    return out.str();
}

void canonicalise_and_locate(const std::string& text, const casedoc::namespace_bindings& bindings) {
    casedoc::xml_document doc = casedoc::xml_document::load_string(text, "fuzz.xml");
    doc.canonicalize(bindings);
    const std::string once = serialised(doc);
    doc.canonicalize(bindings);
    if (serialised(doc) != once) casedoc_fuzz::broken("canonicalize is not idempotent");
    const auto lines = static_cast<unsigned>(std::count(text.begin(), text.end(), '\n')) + 1;
    size_t n = 0;
    for (const pugi::xpath_node& x : doc.dom().select_nodes("//* | //@*")) {
        if (++n > 2000) break; // enough for coverage; keeps an execution short
        const casedoc::source_location where = doc.locate(x);
        if (where.line > lines) casedoc_fuzz::broken("a location past the last line", where.element);
        (void)doc.display_name(x.node() ? x.node() : x.parent());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const bool quiet = (spdlog::set_level(spdlog::level::off), true);
    (void)quiet;
    const std::string text(casedoc_fuzz::as_text(data, size));
    try {
        (void)casedoc::read_record_root(text, "fuzz.xml", "office");
    } catch (const casedoc::error&) {
    }
    try {
        const casedoc::xml_document doc = casedoc::xml_document::load_string(text, "fuzz.xml");
        casedoc::check_record_shape(doc, casedoc::record_limits{});
        try {
            (void)casedoc::read_record_info(doc);
        } catch (const casedoc::error&) {
        }
    } catch (const casedoc::error&) {
        return 0; // not a record: nothing more to read
    }
    try {
        canonicalise_and_locate(text, {{"r", casedoc::record_ns}});
        canonicalise_and_locate(text, {{"", casedoc::record_ns}, {"r", casedoc::record_ns}});
    } catch (const casedoc::error&) {
    }
    return 0;
}
