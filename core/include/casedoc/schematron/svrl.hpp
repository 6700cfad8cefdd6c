// SVRL, the Schematron Validation Report Language (ISO/IEC 19757-3 annex D), written from a result.
#ifndef CASEDOC_SCHEMATRON_SVRL_HPP
#define CASEDOC_SCHEMATRON_SVRL_HPP

#include <casedoc/schematron/validation_result.hpp>

#include <pugixml.hpp>

#include <ostream>

namespace casedoc {

// Builds the svrl:schematron-output document (prefix "svrl").
void build_svrl(const validation_result& result, pugi::xml_document& out);
void write_svrl(const validation_result& result, std::ostream& out);

} // namespace casedoc

#endif
