#include "xpath_rewrite.hpp"

#include <cctype>
#include <stdexcept>

namespace casedoc::detail {

bool is_name_char(char c) noexcept {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == ':' ||
           static_cast<unsigned char>(c) >= 0x80;
}

namespace {

// Copies a string literal starting at expr[i] into out; returns the index after it.
size_t copy_literal(std::string_view expr, size_t i, std::string& out) {
    const char q = expr[i];
    const size_t end = expr.find(q, i + 1);
    const size_t stop = end == std::string_view::npos ? expr.size() : end + 1;
    out.append(expr.substr(i, stop - i));
    return stop;
}

size_t skip_ws(std::string_view s, size_t i) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    return i;
}

} // namespace

std::string replace_variables(std::string_view expr,
                              const std::function<std::optional<std::string>(std::string_view)>& map) {
    std::string out;
    out.reserve(expr.size());
    for (size_t i = 0; i < expr.size();) {
        const char c = expr[i];
        if (c == '\'' || c == '"') {
            i = copy_literal(expr, i, out);
        } else if (c == '$') {
            size_t j = i + 1;
            while (j < expr.size() && is_name_char(expr[j])) ++j;
            const std::string_view name = expr.substr(i + 1, j - i - 1);
            if (auto r = map(name)) out += *r;
            else out.append(expr.substr(i, j - i));
            i = j;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

std::string rewrite_functions(std::string_view expr, const std::function<unsigned(const std::string&)>& on_document) {
    std::string out;
    out.reserve(expr.size());
    for (size_t i = 0; i < expr.size();) {
        const char c = expr[i];
        if (c == '\'' || c == '"') {
            i = copy_literal(expr, i, out);
            continue;
        }
        if (is_name_char(c) && (i == 0 || (!is_name_char(expr[i - 1]) && expr[i - 1] != '$' && expr[i - 1] != '@'))) {
            size_t j = i;
            while (j < expr.size() && is_name_char(expr[j])) ++j;
            const std::string_view word = expr.substr(i, j - i);
            const size_t paren = skip_ws(expr, j);
            if (paren < expr.size() && expr[paren] == '(' && (i < 2 || expr.substr(i - 2, 2) != "::")) {
                if (word == "current") {
                    const size_t close = skip_ws(expr, paren + 1);
                    if (close < expr.size() && expr[close] == ')') {
                        out += "$__current";
                        i = close + 1;
                        continue;
                    }
                } else if (word == "document") {
                    size_t a = skip_ws(expr, paren + 1);
                    if (a < expr.size() && (expr[a] == '\'' || expr[a] == '"')) {
                        const char q = expr[a];
                        const size_t e = expr.find(q, a + 1);
                        if (e != std::string_view::npos) {
                            const size_t close = skip_ws(expr, e + 1);
                            if (close < expr.size() && expr[close] == ')') {
                                const unsigned n = on_document(std::string(expr.substr(a + 1, e - a - 1)));
                                out += "$__doc_" + std::to_string(n);
                                i = close + 1;
                                continue;
                            }
                        }
                    }
                    throw std::invalid_argument("document() needs a single literal URI argument");
                }
            }
            out.append(word);
            i = j;
            continue;
        }
        out += c;
        ++i;
    }
    return out;
}

namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// The first index from `from` at which visit(i, depth) is true, where depth counts the brackets and parentheses
// around e[i] (a closing one is outside its pair, an opening one too), outside string literals; npos when none.
template <class F> size_t find_outside_literals(std::string_view e, size_t from, F&& visit) {
    int depth = 0;
    for (size_t i = from; i < e.size(); ++i) {
        const char c = e[i];
        if (c == '\'' || c == '"') {
            i = e.find(c, i + 1);
            if (i == std::string_view::npos) return i;
            continue;
        }
        if (c == ')' || c == ']') --depth;
        if (visit(i, depth)) return i;
        if (c == '(' || c == '[') ++depth;
    }
    return std::string_view::npos;
}

// The index of the ')' closing the '(' at expr[open] (npos when there is none).
size_t closing_paren(std::string_view expr, size_t open) {
    const size_t close = find_outside_literals(
        expr, open, [&](size_t i, int depth) { return i > open && depth == 0 && (expr[i] == ')' || expr[i] == ']'); });
    return close != std::string_view::npos && expr[close] == ')' ? close : std::string_view::npos;
}

// A single path: no operator and no function call (but node type tests) outside brackets, parentheses and
// literals (so its value is a node-set).
bool single_path(std::string_view e) {
    return find_outside_literals(e, 0, [&](size_t i, int depth) {
               if (depth != 0) return false;
               const char c = e[i];
               if (c == '(') {
                   size_t start = i;
                   while (start > 0 && is_name_char(e[start - 1])) --start;
                   const std::string_view word = e.substr(start, i - start);
                   return word != "text" && word != "node" && word != "comment" && word != "processing-instruction";
               }
               return std::isspace(static_cast<unsigned char>(c)) || c == '|' || c == '=' || c == '<' || c == '>' ||
                      c == '+' || c == ',' || c == '!';
           }) == std::string_view::npos;
}

// key()'s second argument as an operand of '=' giving what key() gives (see rewrite_keys()).
std::string key_value(std::string_view e, bool in_predicate,
                      const std::function<bool(std::string_view)>& string_variable) {
    const auto fail = [&](const char* why) -> std::string {
        throw std::invalid_argument("key(): the value \"" + std::string(e) + "\" " + why);
    };
    if (e.empty()) fail("is missing");
    const char c = e.front();
    if ((c == '\'' || c == '"') && e.find(c, 1) == e.size() - 1) return std::string(e);
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
        size_t i = 0;
        while (i < e.size() && (std::isdigit(static_cast<unsigned char>(e[i])) || e[i] == '.')) ++i;
        if (i == e.size() && e != "." && e != "..") return "string(" + std::string(e) + ")";
    }
    if (!single_path(e)) fail("is an expression that may depend on the context node (give a path or a variable)");
    if (c == '$') {
        size_t j = 1;
        while (j < e.size() && is_name_char(e[j])) ++j;
        if (j == e.size() && string_variable(e.substr(1))) return "string(" + std::string(e) + ")";
        return std::string(e); // a node-set variable, or a path from one
    }
    if (c == '/') return std::string(e);
    if (in_predicate) fail("is a relative path inside a predicate (use current() or a variable)");
    return "$__current/" + std::string(e);
}

} // namespace

std::string rewrite_keys(std::string_view expr, const std::function<const key_declarations*(const std::string&)>& find,
                         const std::function<bool(std::string_view)>& string_variable) {
    std::string out;
    out.reserve(expr.size());
    int predicates = 0; // how many predicates the position is inside
    for (size_t i = 0; i < expr.size();) {
        const char c = expr[i];
        if (c == '\'' || c == '"') {
            i = copy_literal(expr, i, out);
            continue;
        }
        if (c == '[') ++predicates;
        else if (c == ']') --predicates;
        const bool starts_name = i == 0 || (!is_name_char(expr[i - 1]) && expr[i - 1] != '$' && expr[i - 1] != '@');
        if (starts_name && expr.substr(i, 3) == "key" && (i + 3 == expr.size() || !is_name_char(expr[i + 3])) &&
            (i < 2 || expr.substr(i - 2, 2) != "::")) {
            const size_t open = skip_ws(expr, i + 3);
            if (open < expr.size() && expr[open] == '(') {
                const size_t close = closing_paren(expr, open);
                if (close == std::string_view::npos) throw std::invalid_argument("key(): no closing parenthesis");
                const std::vector<std::string> args = split_top_level(expr.substr(open + 1, close - open - 1), ',');
                if (args.size() != 2) throw std::invalid_argument("key() takes two arguments");
                const std::string_view name = trimmed(args[0]);
                if (name.size() < 2 || (name.front() != '\'' && name.front() != '"') || name.back() != name.front())
                    throw std::invalid_argument("key(): the key's name must be a literal string");
                const std::string key_name(name.substr(1, name.size() - 2));
                const key_declarations* keys = find(key_name);
                if (!keys || keys->empty())
                    throw std::invalid_argument("key('" + key_name + "'): no xsl:key of that name");
                const std::string value = key_value(trimmed(args[1]), predicates > 0, string_variable);
                std::string selected; // the union of what each declaration of the name selects
                for (const key_declaration& k : *keys) {
                    std::string nodes;
                    for (const std::string& alt : split_top_level(k.match, '|')) {
                        const std::string_view m = trimmed(alt);
                        nodes += (nodes.empty() ? "" : " | ") + std::string(m.substr(0, 1) == "/" ? "" : "//") +
                                 std::string(m);
                    }
                    selected += (selected.empty() ? "" : " | ") + ("(" + nodes + ")[(" + k.use + ") = " + value + "]");
                }
                out += "(" + selected + ")";
                i = close + 1;
                continue;
            }
        }
        out += c;
        ++i;
    }
    return out;
}

namespace {

size_t ncname_end(std::string_view s, size_t i) {
    while (i < s.size() && is_ncname_char(s[i])) ++i;
    return i;
}

} // namespace

// A small XPath 1.0 lexer applying the spec's disambiguation rules (section 3.7): after a token that ends an
// operand, '*' multiplies and a name is an operator; a name followed by '(' is a function or node type; by
// '::', an axis. Everything else that is a name is a name test.
std::optional<std::string> unprefix_element_names(std::string_view expr, std::string_view prefix) {
    std::string out;
    out.reserve(expr.size());
    bool after_operand = false;  // the previous token ends an operand
    bool attribute_axis = false; // the next name test is on the attribute or namespace axis
    for (size_t i = 0; i < expr.size();) {
        const char c = expr[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            out += c;
            ++i;
        } else if (c == '\'' || c == '"') {
            i = copy_literal(expr, i, out);
            after_operand = true;
        } else if (c == '$') {
            size_t j = i + 1;
            while (j < expr.size() && (is_ncname_char(expr[j]) || expr[j] == ':')) ++j;
            out.append(expr.substr(i, j - i));
            i = j;
            after_operand = true;
        } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                   (c == '.' && i + 1 < expr.size() && std::isdigit(static_cast<unsigned char>(expr[i + 1])))) {
            size_t j = i;
            while (j < expr.size() && (std::isdigit(static_cast<unsigned char>(expr[j])) || expr[j] == '.')) ++j;
            out.append(expr.substr(i, j - i));
            i = j;
            after_operand = true;
        } else if (c == '.' || c == ')' || c == ']') {
            out += c;
            ++i;
            after_operand = true;
            attribute_axis = false;
        } else if (c == '@') {
            out += c;
            ++i;
            after_operand = false;
            attribute_axis = true;
        } else if (c == '*') {
            out += c;
            ++i;
            if (after_operand) { // multiplication
                after_operand = false;
            } else { // the wildcard name test, the same in either naming
                after_operand = true;
                attribute_axis = false;
            }
        } else if (is_ncname_start(c)) {
            const size_t end = ncname_end(expr, i);
            const std::string_view name = expr.substr(i, end - i);
            if (after_operand) { // and, or, div, mod
                out.append(name);
                i = end;
                after_operand = false;
                continue;
            }
            const size_t next = skip_ws(expr, end);
            if (expr.substr(next, 2) == "::") {
                attribute_axis = name == "attribute" || name == "namespace";
                out.append(expr.substr(i, next + 2 - i));
                i = next + 2;
                continue;
            }
            std::string_view local;
            size_t qend = end;
            if (end + 1 < expr.size() && expr[end] == ':' && (is_ncname_start(expr[end + 1]) || expr[end + 1] == '*')) {
                qend = expr[end + 1] == '*' ? end + 2 : ncname_end(expr, end + 1);
                local = expr.substr(end + 1, qend - end - 1);
            }
            const size_t after = skip_ws(expr, qend);
            if (after < expr.size() && expr[after] == '(') { // a function or node type
                if (local.empty() && name == "name") return std::nullopt; // would give the unprefixed name
                out.append(expr.substr(i, qend - i));
                i = qend;
                after_operand = false;
                continue;
            }
            if (attribute_axis) {
                out.append(expr.substr(i, qend - i));
            } else if (local.empty() || name != prefix) {
                if (local.empty()) return std::nullopt; // an element in no namespace
                out.append(expr.substr(i, qend - i));
            } else {
                if (local == "*") return std::nullopt;
                out.append(local);
            }
            i = qend;
            after_operand = true;
            attribute_axis = false;
        } else {
            out += c; // operators, '/', '(', '[', ',', '|'
            ++i;
            after_operand = false;
            attribute_axis = false;
        }
    }
    return out;
}

std::vector<std::string> split_top_level(std::string_view expr, char sep) {
    std::vector<std::string> parts;
    std::string cur;
    int depth = 0;
    for (size_t i = 0; i < expr.size();) {
        const char c = expr[i];
        if (c == '\'' || c == '"') {
            i = copy_literal(expr, i, cur);
            continue;
        }
        if (c == '[' || c == '(') ++depth;
        else if (c == ']' || c == ')') --depth;
        if (c == sep && depth == 0) {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
        ++i;
    }
    parts.push_back(cur);
    return parts;
}

namespace {

struct step {
    std::string axis; // "child" or "attribute"
    std::string test; // name, "*", "node()", "text()", "comment()", "processing-instruction(...)"
    std::vector<std::string> predicates;
    bool descendant_before = false; // preceded by '//'
};

std::string trim(std::string_view s) {
    size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    return std::string(s.substr(a, b - a));
}

bool is_positional(const std::string& pred) {
    const std::string p = trim(pred);
    if (p.empty()) return false;
    if (std::isdigit(static_cast<unsigned char>(p[0])) || p[0] == '$') return true;
    return p.find("position()") != std::string::npos || p.find("last()") != std::string::npos;
}

// Parses "a/b[x]//c" into steps. Returns false for anything outside the XSLT 1.0 pattern grammar
// that the self-axis translation handles.
bool parse_steps(std::string_view alt, bool& absolute, std::vector<step>& steps) {
    size_t i = 0;
    absolute = false;
    bool descendant = false;
    if (alt.substr(0, 2) == "//") {
        i = 2;
        descendant = true;
    } else if (!alt.empty() && alt[0] == '/') {
        absolute = true;
        i = 1;
    }
    while (i < alt.size()) {
        step s;
        s.descendant_before = descendant;
        s.axis = "child";
        if (alt[i] == '@') {
            s.axis = "attribute";
            ++i;
        } else if (alt.substr(i, 11) == "attribute::") {
            s.axis = "attribute";
            i += 11;
        } else if (alt.substr(i, 7) == "child::") {
            i += 7;
        }
        size_t j = i;
        while (j < alt.size() && (is_name_char(alt[j]) || alt[j] == '*')) ++j;
        if (j < alt.size() && alt[j] == '(') {
            const size_t close = alt.find(')', j);
            if (close == std::string_view::npos) return false;
            j = close + 1;
        }
        s.test = std::string(alt.substr(i, j - i));
        if (s.test.empty()) return false;
        if (s.test.find("::") != std::string::npos || s.test == "." || s.test == "..") return false;
        if (s.test.find('(') != std::string::npos) {
            const std::string fn = s.test.substr(0, s.test.find('('));
            if (fn != "node" && fn != "text" && fn != "comment" && fn != "processing-instruction") return false;
        }
        i = j;
        while (i < alt.size() && alt[i] == '[') {
            int depth = 0;
            size_t k = i;
            for (; k < alt.size(); ++k) {
                const char c = alt[k];
                if (c == '\'' || c == '"') {
                    const size_t e = alt.find(c, k + 1);
                    if (e == std::string_view::npos) return false;
                    k = e;
                    continue;
                }
                if (c == '[') ++depth;
                else if (c == ']' && --depth == 0) break;
            }
            if (k >= alt.size()) return false;
            s.predicates.emplace_back(alt.substr(i + 1, k - i - 1));
            i = k + 1;
        }
        steps.push_back(std::move(s));
        if (i >= alt.size()) break;
        if (alt.substr(i, 2) == "//") {
            descendant = true;
            i += 2;
        } else if (alt[i] == '/') {
            descendant = false;
            i += 1;
        } else {
            return false;
        }
    }
    if (steps.empty()) return false;
    for (size_t k = 0; k + 1 < steps.size(); ++k)
        if (steps[k].axis == "attribute") return false;
    return true;
}

std::string self_test(const step& s) {
    if (s.axis == "attribute") return "self::node()";
    if (s.test == "node()") return "self::node()[parent::node()]";
    return "self::" + s.test;
}

} // namespace

compiled_alternative translate_pattern_alternative(std::string_view raw) {
    const std::string alt = trim(raw);
    compiled_alternative out;
    if (alt.empty()) throw std::invalid_argument("empty match pattern");
    if (alt == "/") {
        out.node_kind = compiled_alternative::kind::root;
        return out;
    }
    bool absolute = false;
    std::vector<step> steps;
    bool simple = parse_steps(alt, absolute, steps);
    for (const step& s : steps)
        for (const std::string& p : s.predicates)
            if (is_positional(p)) simple = false;

    // The node kind and name of the last step decide the index entry.
    if (!steps.empty()) {
        const step& last = steps.back();
        if (last.axis == "attribute") {
            out.node_kind = compiled_alternative::kind::attribute;
            out.name = last.test == "node()" ? "*" : last.test;
        } else if (last.test == "text()") {
            out.node_kind = compiled_alternative::kind::text;
        } else if (last.test == "comment()") {
            out.node_kind = compiled_alternative::kind::comment;
        } else if (last.test.rfind("processing-instruction(", 0) == 0) {
            out.node_kind = compiled_alternative::kind::pi;
        } else if (last.test == "node()") {
            out.node_kind = compiled_alternative::kind::any_node;
        } else {
            out.node_kind = compiled_alternative::kind::element;
            out.name = last.test;
        }
    } else {
        // Not parseable as steps: match any node, decided by the general matcher.
        out.node_kind = compiled_alternative::kind::any_node;
    }

    if (!simple) {
        // General form: the node is among the nodes the pattern selects from one of its ancestors.
        const std::string sel = absolute || alt[0] == '/' ? alt : "ancestor-or-self::node()/" + alt;
        out.matcher = "count(. | " + sel + ") = count(" + sel + ")";
        if (steps.empty()) out.node_kind = compiled_alternative::kind::any_node;
        return out;
    }

    // Self-axis form: self::last[preds][parent::prev[preds][parent::...]].
    std::string constraint;
    for (size_t k = 0; k < steps.size(); ++k) {
        const step& s = steps[k];
        const bool last = k + 1 == steps.size();
        std::string t = last ? self_test(s) : (s.test == "node()" ? "node()" : s.test);
        for (const std::string& p : s.predicates) t += "[" + p + "]";
        if (k == 0) {
            if (absolute) t += "[parent::node()[not(parent::node())]]";
        } else {
            const std::string axis = s.descendant_before ? "ancestor::" : "parent::";
            t += "[" + axis + constraint + "]";
        }
        constraint = t;
    }
    // A single bare name test needs no evaluation: the index lookup already decided it.
    const step& only = steps.back();
    const bool bare = steps.size() == 1 && !absolute && only.predicates.empty() &&
                      (only.axis == "attribute" || (only.test != "node()" && only.test.find('(') == std::string::npos) ||
                       only.test == "text()" || only.test == "comment()" || only.test == "processing-instruction()");
    if (!bare) out.matcher = "boolean(" + constraint + ")";
    if (out.node_kind == compiled_alternative::kind::pi && only.test != "processing-instruction()" && out.matcher.empty())
        out.matcher = "boolean(" + constraint + ")";
    return out;
}

} // namespace casedoc::detail
