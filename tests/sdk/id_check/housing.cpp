// The smallest plugin there is, whose descriptor says id "housing".
#include <casedoc/plugin_api/casedoc_plugin.hpp>

namespace {

constexpr const char* document_types[] = {"case-record", nullptr};

constexpr casedoc_plugin_descriptor descriptor = {
    sizeof(casedoc_plugin_descriptor), CASEDOC_PLUGIN_ABI_MAJOR, CASEDOC_PLUGIN_ABI_MINOR, "housing", "Housing", "0.1.0",
    document_types, nullptr, nullptr, nullptr, 0, nullptr, 0,
};

} // namespace

CASEDOC_PLUGIN_DEFINE(descriptor)
