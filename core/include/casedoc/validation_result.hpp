// What validating one document against one schema produced: findings for people, and the SVRL
// events (active patterns, fired rules, failed asserts, successful reports) for machines.
#ifndef CASEDOC_VALIDATION_RESULT_HPP
#define CASEDOC_VALIDATION_RESULT_HPP

#include <casedoc/finding.hpp>
#include <casedoc/xml_document.hpp>

#include <string>
#include <vector>

namespace casedoc {

// The content of an svrl:text: text, attributes copied onto it (xsl:copy-of of attributes), copied
// elements (serialized XML), and the attributes Schematron carries over (xml:lang, fpi, icon, see).
struct svrl_text {
    std::string text;
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string copied_xml;
};

struct svrl_reference {
    std::string ref; // diagnostic or property id
    std::string role, scheme;
    svrl_text text;
};

struct svrl_event {
    enum class kind { active_pattern, fired_rule, failed_assert, successful_report } type = kind::failed_assert;
    std::string id, name, role, flag, lang;
    std::string context, documents, document; // fired-rule / active-pattern
    std::string test, location;               // failed-assert / successful-report
    svrl_text text;
    std::vector<svrl_reference> diagnostics, properties;
};

struct validation_result {
    std::vector<finding> findings;
    std::vector<svrl_event> svrl; // filled only when asked for (validate_options::svrl)
    std::string phase;
    std::string title, schema_version;
    namespace_bindings namespaces;
};

} // namespace casedoc

#endif
