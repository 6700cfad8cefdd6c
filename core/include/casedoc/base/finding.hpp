// One result of checking a record against a rule: what, where, why and how serious.
#ifndef CASEDOC_BASE_FINDING_HPP
#define CASEDOC_BASE_FINDING_HPP

#include <casedoc/base/location_path.hpp>

#include <string>
#include <string_view>

namespace casedoc {

enum class severity { info = 0, warning = 1, error = 2 };

std::string_view to_string(severity s) noexcept;
// "error", "fatal" and "" map to error; "warning"/"warn" to warning; "info"/"information" to info.
// Other roles (Schematron allows any) count as errors.
severity severity_from_role(std::string_view role) noexcept;

struct source_location {
    std::string file;
    unsigned line = 0;   // 1-based; 0 when unknown
    unsigned column = 0; // 1-based; 0 when unknown
    location_path path;  // XPath location of the node: /*:note[namespace-uri()='…'][1]/@id
    std::string element; // qualified name of the element (or @attribute) the finding points at
};

struct finding {
    std::string rule_id;  // "CW-W4"; may be empty for anonymous plain-Schematron asserts
    severity level = severity::error;
    std::string message;  // the rule's message, with computed facts appended
    std::string citation; // "45 CFR 1356.21(g)(2)", or empty
    source_location where;
    std::string pattern;  // id of the Schematron pattern, or "native:<plugin id>"
    std::string record_id;
};

} // namespace casedoc

#endif // CASEDOC_BASE_FINDING_HPP
