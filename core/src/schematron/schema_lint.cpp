#include <casedoc/schematron/schema_lint.hpp>

#include <casedoc/base/error.hpp>
#include <casedoc/xml/record.hpp>
#include <casedoc/xml/record_format.hpp>
#include <casedoc/xml/xml_chars.hpp>

#include "schema_loader.hpp"
#include "xpath_rewrite.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <regex>
#include <tuple>

namespace casedoc {

using namespace detail;

bool operator<(const lint_finding& a, const lint_finding& b) {
    return std::tie(a.file, a.line, a.column, a.message) < std::tie(b.file, b.line, b.column, b.message);
}

std::string to_string(const lint_finding& f, std::string_view level) {
    return f.file + ':' + std::to_string(f.line) + ':' + std::to_string(f.column) + ": " + std::string(level) + ": " +
           f.message;
}

record_vocabulary::record_vocabulary() {
    elements.insert(std::begin(record_format_elements), std::end(record_format_elements));
    attributes.insert(std::begin(record_format_attributes), std::end(record_format_attributes));
    types.insert("case-record");
}

void record_vocabulary::add_record(const xml_document& record) {
    const auto add = [&](const auto& self, pugi::xml_node n) -> void {
        if (record.namespace_of(n) == record_ns) {
            const char* colon = std::strchr(n.name(), ':');
            elements.insert(colon ? colon + 1 : n.name());
            for (pugi::xml_attribute a : n.attributes()) {
                const std::string name = a.name();
                if (name.rfind("xmlns", 0) == 0 || name.find(':') != std::string::npos) continue;
                attributes.insert(name);
                if (name == "type") types.insert(a.value());
            }
        }
        for (pugi::xml_node c : n.children())
            if (c.type() == pugi::node_element) self(self, c);
    };
    add(add, record.root());
}

void record_vocabulary::add_types(const std::vector<std::string>& document_types) {
    types.insert(document_types.begin(), document_types.end());
}

namespace {

bool is(pugi::xml_node n, const char* qname) {
    return n.type() == pugi::node_element && std::strcmp(n.name(), qname) == 0;
}

bool is_check(pugi::xml_node n) {
    return is(n, "sch:assert") || is(n, "sch:report") || is(n, "cd:field") || is(n, "cd:deadline") ||
           is(n, "cd:recurrence");
}

// Edits from one name to the other: insertions, deletions, substitutions and swaps of two neighbouring characters
// (the optimal string alignment distance), each counting one.
size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// The known name a typo most likely meant: the nearest, at most 1 edit away for names of up to 4 characters and
// 2 for longer ones; of equally near ones, the one nearest in length, then the first. "" when none is that near
// (a name of the setting the lint has not seen).
std::string nearest(const std::string& name, const std::set<std::string>& known) {
    const size_t limit = name.size() <= 4 ? 1 : 2;
    auto length_gap = [&](const std::string& k) {
        return k.size() > name.size() ? k.size() - name.size() : name.size() - k.size();
    };
    std::string best;
    size_t best_distance = limit + 1;
    for (const std::string& k : known) {
        const size_t d = edit_distance(name, k);
        if (d < best_distance || (d == best_distance && !best.empty() && length_gap(k) < length_gap(best)))
            best_distance = d, best = k;
    }
    return best;
}

// A rule's context alternative with its whitespace removed (outside string literals) and "//" dropped from its
// start: "//r:note" and "r:note" match the same nodes.
std::string normalized(std::string_view alt) {
    std::string out;
    for (size_t i = 0; i < alt.size(); ++i) {
        const char c = alt[i];
        if (c == '\'' || c == '"') {
            const size_t end = alt.find(c, i + 1);
            const size_t stop = end == std::string_view::npos ? alt.size() : end + 1;
            out.append(alt.substr(i, stop - i));
            i = stop - 1;
        } else if (!std::isspace(static_cast<unsigned char>(c))) {
            out += c;
        }
    }
    if (out.rfind("//", 0) == 0) out.erase(0, 2);
    return out;
}

// The node test of a pattern's last step, predicates left out, with "@" for the attribute axis.
std::string last_test(const std::string& alt) {
    const std::vector<std::string> steps = split_top_level(alt, '/');
    std::string last = steps.back();
    if (const size_t bracket = last.find('['); bracket != std::string::npos) last.erase(bracket);
    if (last.rfind("child::", 0) == 0) last.erase(0, 7);
    if (last.rfind("attribute::", 0) == 0) last.replace(0, 11, "@");
    return last;
}

// True when the alternative `wide` matches every node `narrow` does. Catches the same pattern and a single
// step without predicates that matches whatever the other's last step does (r:note; *; node(); @*; @name);
// anything subtler is let through.
bool covers(const std::string& wide, const std::string& narrow) {
    if (wide == narrow) return true;
    if (narrow.empty() || narrow == "/" || wide.find_first_of("/[") != std::string::npos) return false;
    const std::string last = last_test(narrow);
    if (last.empty()) return false;
    const bool attribute = last[0] == '@';
    const bool element = !attribute && last.find('(') == std::string::npos;
    if (wide == "node()") return !attribute;
    if (wide == "*") return element;
    if (wide == "@*") return attribute;
    if (wide.size() > 2 && wide.compare(wide.size() - 2, 2, ":*") == 0)
        return element && last.rfind(wide.substr(0, wide.size() - 1), 0) == 0;
    return wide == last;
}

struct xpath_names {
    std::vector<std::string> elements, attributes; // local names: elements in the record prefix, attributes
};

// The element names with prefix `prefix` and the unprefixed attribute names an expression tests, outside its
// string literals, variables and function names.
xpath_names names_in(std::string_view expr, const std::string& prefix) {
    xpath_names out;
    auto name_end = [&](size_t i) {
        while (i < expr.size() && is_name_char(expr[i])) ++i;
        return i;
    };
    for (size_t i = 0; i < expr.size();) {
        const char c = expr[i];
        if (c == '\'' || c == '"') {
            const size_t end = expr.find(c, i + 1);
            i = end == std::string_view::npos ? expr.size() : end + 1;
        } else if (c == '$' || std::isdigit(static_cast<unsigned char>(c))) {
            i = name_end(i + 1);
        } else if (c == '@') {
            const size_t end = name_end(i + 1);
            const std::string name(expr.substr(i + 1, end - i - 1));
            if (!name.empty() && name.find(':') == std::string::npos) out.attributes.push_back(name);
            i = end;
        } else if (is_name_char(c)) {
            const size_t end = name_end(i);
            std::string token(expr.substr(i, end - i));
            i = end;
            size_t after = i;
            while (after < expr.size() && std::isspace(static_cast<unsigned char>(expr[after]))) ++after;
            if (after < expr.size() && expr[after] == '(') continue; // a function or a node type test
            bool attribute_axis = false;
            if (const size_t axis = token.find("::"); axis != std::string::npos) {
                attribute_axis = token.compare(0, axis, "attribute") == 0;
                token.erase(0, axis + 2);
            }
            if (attribute_axis) {
                if (!token.empty() && token.find(':') == std::string::npos) out.attributes.push_back(token);
            } else if (token.size() > prefix.size() + 1 && token.compare(0, prefix.size(), prefix) == 0 &&
                       token[prefix.size()] == ':') {
                out.elements.push_back(token.substr(prefix.size() + 1));
            }
        } else {
            ++i;
        }
    }
    return out;
}

// The attributes of schema elements that hold XPath expressions.
const std::vector<std::pair<const char*, std::vector<const char*>>>& xpath_attributes() {
    static const std::vector<std::pair<const char*, std::vector<const char*>>> table = {
        {"sch:rule", {"context"}},
        {"sch:assert", {"test", "cd:when", "cd:due", "cd:due-from", "cd:done"}},
        {"sch:report", {"test", "cd:when", "cd:due", "cd:due-from", "cd:done"}},
        {"sch:let", {"value"}},
        {"sch:value-of", {"select"}},
        {"sch:name", {"path"}},
        {"xsl:value-of", {"select"}},
        {"xsl:copy-of", {"select"}},
        {"cd:field", {"path", "when"}},
        {"cd:deadline", {"anchor", "target", "within", "extension", "as-of", "excused-by", "when"}},
        {"cd:recurrence", {"from", "to", "events", "date", "as-of", "when"}},
    };
    return table;
}

} // namespace

std::vector<unknown_name> unknown_names(std::string_view expr, const std::string& record_prefix,
                                        const record_vocabulary& known) {
    std::vector<unknown_name> out;
    auto unknown = [&](const char* what, const std::string& shown, const std::string& name,
                       const std::set<std::string>& names) {
        const std::string guess = nearest(name, names);
        out.push_back({what, shown + name, guess.empty() ? guess : shown + guess});
    };
    if (!record_prefix.empty()) {
        const xpath_names names = names_in(expr, record_prefix);
        for (const std::string& e : names.elements)
            if (!known.elements.count(e)) unknown("element", record_prefix + ":", e, known.elements);
        for (const std::string& a : names.attributes)
            if (!known.attributes.count(a)) unknown("attribute", "@", a, known.attributes);
    }
    static const std::regex type_literal(R"(@type\s*!?=\s*(['"])([^'"\s]*)\1|(['"])([^'"\s]*)\3\s*!?=\s*@type)");
    const std::string text(expr);
    for (std::sregex_iterator it(text.begin(), text.end(), type_literal), end; it != end; ++it) {
        const std::string type = (*it)[2].matched ? (*it)[2].str() : (*it)[4].str();
        if (!type.empty() && !known.types.count(type)) unknown("type", "", type, known.types);
    }
    return out;
}

namespace {

class linter {
  public:
    linter(const record_vocabulary& known, std::string record_prefix)
        : known_(known), prefix_(std::move(record_prefix)) {}

    std::set<lint_finding> findings;

    void walk(pugi::xml_node n) {
        for (const auto& [element, attrs] : xpath_attributes())
            if (is(n, element))
                for (const char* a : attrs)
                    if (pugi::xml_attribute x = n.attribute(a)) check_names(n, a, x.value());
        if (is_check(n) && is(n.parent(), "sch:rule")) check_citation(n);
        if (is(n, "sch:pattern")) check_shadowing(n);
        for (pugi::xml_node c : n.children())
            if (c.type() == pugi::node_element) walk(c);
    }

  private:
    void add(lint_finding::kind k, pugi::xml_node at, std::string message) {
        const schema_origin o = origin_of(at);
        findings.insert({k, o.file, o.line, o.column, std::move(message)});
    }

    static std::string describe(pugi::xml_node n) {
        const std::string id = n.attribute("id").value();
        return id.empty() ? std::string("a ") + n.name() + " without an id" : "rule " + id;
    }

    void check_names(pugi::xml_node at, const char* attr, const std::string& expr) {
        for (const unknown_name& u : unknown_names(expr, prefix_, known_))
            if (!u.guess.empty()) // a name of the setting the lint has not seen is not reported
                add(lint_finding::kind::unknown_name, at,
                    u.what + " '" + u.shown + "' in " + at.name() + "/@" + attr +
                        " is not one the record format or this setting's records use; did you mean '" + u.guess + "'?");
    }

    void check_citation(pugi::xml_node c) {
        const bool schematron = is(c, "sch:assert") || is(c, "sch:report");
        const char* right = schematron ? "cd:citation" : "citation";
        const char* other = schematron ? "citation" : "cd:citation";
        std::string citation = c.attribute(right).value();
        if (c.attribute(other)) {
            add(lint_finding::kind::citation_form, c,
                describe(c) + ": write its citation as " + right + " on " + c.name() + " (" + other +
                    " is accepted but is not the documented form)");
            if (citation.empty()) citation = c.attribute(other).value();
        }
        if (normalize_space(citation).empty())
            add(lint_finding::kind::no_citation, c,
                describe(c) + " has no citation: add " + right +
                    "=\"…\" (the regulation, or \"agency policy (configurable)\")");
        else if (citation.find(citation_placeholder) != std::string::npos)
            add(lint_finding::kind::placeholder_citation, c,
                describe(c) + " cites the placeholder '" + citation_placeholder +
                    "': replace it with the regulation or policy the rule enforces");
    }

    void check_shadowing(pugi::xml_node pattern) {
        struct rule_alts {
            pugi::xml_node rule;
            std::vector<std::string> alts;
        };
        std::vector<rule_alts> earlier;
        for (pugi::xml_node r : pattern.children("sch:rule")) {
            rule_alts mine{r, {}};
            for (const std::string& a : split_top_level(r.attribute("context").value(), '|'))
                mine.alts.push_back(normalized(a));
            std::vector<std::pair<std::string, pugi::xml_node>> covered; // alternative, the rule that takes it
            for (const std::string& alt : mine.alts)
                for (const rule_alts& e : earlier)
                    if (std::any_of(e.alts.begin(), e.alts.end(),
                                    [&](const std::string& w) { return covers(w, alt); })) {
                        covered.emplace_back(alt, e.rule);
                        break;
                    }
            if (!covered.empty()) report_shadowed(pattern, r, mine.alts.size(), covered);
            earlier.push_back(std::move(mine));
        }
    }

    // " (A, B)": the ids of a rule's checks, "" when they have none.
    static std::string ids_of(pugi::xml_node rule) {
        std::string ids;
        for (pugi::xml_node c : rule.children())
            if (is_check(c) && *c.attribute("id").value())
                ids += (ids.empty() ? "" : ", ") + std::string(c.attribute("id").value());
        return ids.empty() ? ids : " (" + ids + ")";
    }

    void report_shadowed(pugi::xml_node pattern, pugi::xml_node rule, size_t alternatives,
                         const std::vector<std::pair<std::string, pugi::xml_node>>& covered) {
        const schema_origin here = origin_of(rule);
        auto where = [&](pugi::xml_node r) {
            const schema_origin o = origin_of(r);
            return "the rule at " + (o.file == here.file ? "" : o.file + ":") + "line " + std::to_string(o.line) +
                   " (context \"" + r.attribute("context").value() + "\")";
        };
        const std::string pattern_name = pattern.attribute("id").value();
        const std::string in_pattern =
            pattern_name.empty() ? "in the same pattern" : "in pattern '" + pattern_name + "'";
        const std::string why = " (in a pattern only the first rule that matches a node fires)";
        if (covered.size() == alternatives) {
            std::string takers;
            for (const auto& [alt, r] : covered) {
                const std::string w = where(r);
                if (takers.find(w) == std::string::npos) takers += (takers.empty() ? "" : " and ") + w;
            }
            add(lint_finding::kind::shadowed_rule, rule,
                "the rule with context \"" + std::string(rule.attribute("context").value()) + "\"" + ids_of(rule) +
                    " never fires: " + takers + " " + in_pattern + " comes first and matches every node it does" + why);
            return;
        }
        for (const auto& [alt, r] : covered)
            add(lint_finding::kind::shadowed_rule, rule,
                "the context alternative \"" + alt + "\" never matches: " + where(r) + " " + in_pattern +
                    " comes first and matches every node it does" + why);
    }

    const record_vocabulary& known_;
    std::string prefix_;
};

} // namespace

std::vector<lint_finding> lint_schema(const std::filesystem::path& file, const record_vocabulary& known,
                                      const schema_options& options) {
    const std::unique_ptr<schema> compiled = schema::load(file, options); // throws for a schema that does not compile
    std::string prefix;
    for (const auto& [p, uri] : compiled->namespaces())
        if (uri == record_ns && prefix.empty()) prefix = p;
    record_vocabulary names = known;
    names.add_types(compiled->metadata().document_types);
    auto text = options.loader(file.string());
    if (!text) throw error(file.string(), "cannot read the schema file");
    const xml_document dom = load_schema_document(std::move(*text), file.string(), options);
    linter l(names, prefix);
    l.walk(dom.root());
    return {l.findings.begin(), l.findings.end()};
}

} // namespace casedoc
