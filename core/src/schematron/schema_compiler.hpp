// The schema compiler: a Schematron schema's text into a compiled schema (compiled_schema.hpp).
#ifndef CASEDOC_SCHEMATRON_SCHEMA_COMPILER_HPP
#define CASEDOC_SCHEMATRON_SCHEMA_COMPILER_HPP

#include <casedoc/schematron/schema.hpp>

#include <memory>
#include <string>

namespace casedoc::detail {

// Compiles a schema's text; `uri` names it and is the base for include/document(). Throws casedoc::error naming
// the file, line and rule.
std::unique_ptr<schema::impl> compile_schema(std::string text, const std::string& uri, const schema_options& options);

} // namespace casedoc::detail

#endif
