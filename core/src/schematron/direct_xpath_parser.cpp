// direct_xpath's parser: an expression's text into its syntax tree (direct_xpath_ast.hpp), or nullptr when it is
// outside the grammar (direct_xpath.hpp).
#include "direct_xpath_ast.hpp"

#include <casedoc/xml/xml_chars.hpp>

#include <cctype>
#include <cstdlib>
#include <optional>

namespace casedoc::detail {

namespace {

using node = direct_xpath::node;
using step = direct_xpath::step;
using path = direct_xpath::path;
using kind = node::kind;

class parser {
public:
    parser(std::string_view text, const variable_table& vars, name_table& names)
        : s_(text), vars_(vars), names_(names) {}

    std::unique_ptr<node> parse() {
        auto e = expr();
        ws();
        return e && i_ == s_.size() ? std::move(e) : nullptr;
    }

private:
    void ws() {
        while (i_ < s_.size() && is_xml_space(s_[i_])) ++i_;
    }
    bool eat(std::string_view t) {
        ws();
        if (s_.substr(i_, t.size()) != t) return false;
        i_ += t.size();
        return true;
    }
    // A QName (prefix:local) at the current position, or "".
    std::string_view qname() {
        ws();
        size_t j = i_;
        if (j >= s_.size() || !is_ncname_start(s_[j])) return {};
        while (j < s_.size() && is_ncname_char(s_[j])) ++j;
        if (j + 1 < s_.size() && s_[j] == ':' && is_ncname_start(s_[j + 1])) {
            ++j;
            while (j < s_.size() && is_ncname_char(s_[j])) ++j;
        }
        const std::string_view q = s_.substr(i_, j - i_);
        i_ = j;
        return q;
    }
    // The keyword `w` as a whole word.
    bool keyword(std::string_view w) {
        ws();
        if (s_.substr(i_, w.size()) != w) return false;
        const size_t j = i_ + w.size();
        if (j < s_.size() && (is_ncname_char(s_[j]) || s_[j] == ':')) return false;
        i_ = j;
        return true;
    }

    // The type of a lone variable ($x), else none.
    static pugi::xpath_value_type variable_type(const node& x) {
        return x.is_variable() ? x.p.variable_type : pugi::xpath_type_none;
    }
    // A path a function reads as nodes or as a string: a number or boolean variable there is pugixml's (count()
    // of one is an XPath error; string() of one converts it).
    static bool nodes_or_text(const path& p, bool text) {
        return !p.variable || p.variable_type == pugi::xpath_type_node_set ||
               (text && p.variable_type == pugi::xpath_type_string);
    }

    std::unique_ptr<node> binary(kind k, std::unique_ptr<node> a, std::unique_ptr<node> b) {
        if (!a || !b) return nullptr;
        auto n = std::make_unique<node>();
        n->type = k;
        n->a = std::move(a);
        n->b = std::move(b);
        return n;
    }

    // Nesting (parentheses, predicates, function arguments) deeper than this is pugixml's: each level is several
    // frames of recursion here, and 2,900 '(' overflowed the stack under ASan (fuzz: xpath_diff). Schemas nest a
    // few levels; pugixml itself refuses more than 1,024.
    static constexpr unsigned max_depth = 100;

    std::unique_ptr<node> expr() {
        if (depth_ >= max_depth) return nullptr;
        ++depth_;
        auto a = conjunction();
        while (a && keyword("or")) a = binary(kind::disjunction, std::move(a), conjunction());
        --depth_;
        return a;
    }
    std::unique_ptr<node> conjunction() {
        auto a = comparison();
        while (a && keyword("and")) a = binary(kind::conjunction, std::move(a), comparison());
        return a;
    }
    std::unique_ptr<node> comparison() {
        auto a = sum();
        if (!a) return nullptr;
        ws();
        using rel = node::relation;
        rel op;
        if (eat("!=")) op = rel::not_equal;
        else if (eat("<=")) op = rel::less_equal;
        else if (eat(">=")) op = rel::greater_equal;
        else if (eat("=")) op = rel::equal;
        else if (eat("<")) op = rel::less;
        else if (eat(">")) op = rel::greater;
        else return a;
        auto b = sum();
        // Boolean comparisons (a boolean variable too) are pugixml's; a number variable makes one numeric.
        if (!b || a->is_boolean() || b->is_boolean() || variable_type(*a) == pugi::xpath_type_boolean ||
            variable_type(*b) == pugi::xpath_type_boolean)
            return nullptr;
        const bool numeric = a->is_number() || b->is_number() || variable_type(*a) == pugi::xpath_type_number ||
                             variable_type(*b) == pugi::xpath_type_number || (op != rel::equal && op != rel::not_equal);
        if (!numeric) return binary(op == rel::equal ? kind::equal : kind::not_equal, std::move(a), std::move(b));
        // Numbers: a number and a number (or a variable holding one); other conversions are pugixml's.
        for (const auto* x : {a.get(), b.get()})
            if (!x->is_number() && !x->is_variable()) return nullptr;
        auto n = binary(kind::relation, std::move(a), std::move(b));
        n->op = op;
        return n;
    }

    // Arithmetic on numbers (a number, a number variable, count(), string-length(), number()): + and *; other
    // operands and operators (-, div, mod) are pugixml's.
    std::unique_ptr<node> sum() {
        auto a = product();
        while (a && eat("+")) a = arithmetic(kind::sum, std::move(a), product());
        return a;
    }
    std::unique_ptr<node> product() {
        auto a = value();
        while (a && eat("*")) a = arithmetic(kind::product, std::move(a), value());
        return a;
    }
    std::unique_ptr<node> arithmetic(kind k, std::unique_ptr<node> a, std::unique_ptr<node> b) {
        if (!a || !b) return nullptr;
        for (const node* x : {a.get(), b.get()})
            if (!x->is_number() && !(x->is_variable() && x->p.variable_type == pugi::xpath_type_number))
                return nullptr;
        return binary(k, std::move(a), std::move(b));
    }

    std::unique_ptr<node> value() {
        ws();
        if (i_ >= s_.size()) return nullptr;
        const char c = s_[i_];
        if (c == '\'' || c == '"') {
            auto text = literal();
            if (!text) return nullptr;
            auto n = std::make_unique<node>();
            n->text = std::move(*text);
            return n;
        }
        if (c == '(') {
            ++i_;
            auto e = expr();
            return e && eat(")") ? std::move(e) : nullptr;
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            size_t j = i_;
            // XPath 1.0's Number: Digits ('.' Digits?)?, so one dot at most ("0..5" is a number and then ".5").
            const auto digits = [&] {
                while (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j]))) ++j;
            };
            digits();
            if (j < s_.size() && s_[j] == '.') {
                ++j;
                digits();
            }
            auto n = std::make_unique<node>();
            n->type = kind::number;
            n->value = std::strtod(std::string(s_.substr(i_, j - i_)).c_str(), nullptr);
            i_ = j;
            return n;
        }
        // A function call?
        const size_t save = i_;
        const std::string_view fn = qname();
        ws();
        if (!fn.empty() && i_ < s_.size() && s_[i_] == '(') {
            ++i_;
            auto n = std::make_unique<node>();
            if (fn == "not") {
                n->type = kind::negation;
                n->a = expr();
                if (!n->a) return nullptr;
            } else if (fn == "normalize-space" || fn == "string") {
                n->type = fn == "string" ? kind::string : kind::normalized;
                if (!path_into(n->p) || !nodes_or_text(n->p, true)) return nullptr;
            } else if (fn == "true" || fn == "false") {
                n->type = kind::constant;
                n->constant = fn == "true";
            } else if (fn == "boolean") {
                n->type = kind::to_boolean;
                n->a = expr();
                if (!n->a) return nullptr;
            } else if (fn == "number") { // of a path, substring(path, 1, N), or translate(either, 'chars', '')
                n->type = kind::text_number;
                if (!number_argument(*n)) return nullptr;
            } else if (fn == "concat") { // of two or more strings
                n->type = kind::concat;
                do {
                    n->arguments.push_back(expr());
                    if (!n->arguments.back()) return nullptr;
                } while (eat(","));
                if (n->arguments.size() < 2) return nullptr;
            } else if (fn == "contains") {
                n->type = kind::contains;
                n->a = expr();
                if (!n->a || !eat(",")) return nullptr;
                n->b = expr();
                if (!n->b) return nullptr;
            } else if (fn == "count") {
                n->type = kind::count;
                if (!path_into(n->p) || !n->p.distinct || !nodes_or_text(n->p, false)) return nullptr;
            } else if (fn == "string-length") { // of a path, or of normalize-space(path)
                n->type = kind::length;
                const size_t at = i_;
                n->normalize = keyword("normalize-space") && eat("(");
                if (!n->normalize) i_ = at;
                if (!path_into(n->p) || !nodes_or_text(n->p, true) || (n->normalize && !eat(")"))) return nullptr;
            } else {
                return nullptr;
            }
            return eat(")") ? std::move(n) : nullptr;
        }
        i_ = save;
        auto n = std::make_unique<node>();
        n->type = kind::path;
        return path_into(n->p) ? std::move(n) : nullptr;
    }

    // A string literal's text.
    std::optional<std::string> literal() {
        ws();
        if (i_ >= s_.size() || (s_[i_] != '\'' && s_[i_] != '"')) return std::nullopt;
        const size_t end = s_.find(s_[i_], i_ + 1);
        if (end == std::string_view::npos) return std::nullopt;
        std::string text(s_.substr(i_ + 1, end - i_ - 1));
        i_ = end + 1;
        return text;
    }
    // A whole number written with digits only, at least 1.
    size_t whole_number() {
        ws();
        size_t j = i_, v = 0;
        while (j < s_.size() && j - i_ < 9 && std::isdigit(static_cast<unsigned char>(s_[j])))
            v = v * 10 + size_t(s_[j++] - '0');
        if (j == i_ || (j < s_.size() && (s_[j] == '.' || std::isdigit(static_cast<unsigned char>(s_[j]))))) return 0;
        i_ = j;
        return v;
    }
    // number()'s argument: translate(text, 'ASCII characters', '') or text, text being a path or
    // substring(path, 1, N).
    bool number_argument(node& n) {
        const size_t at = i_;
        if (keyword("translate") && eat("(")) {
            if (!text_argument(n) || !eat(",")) return false;
            const auto from = literal();
            if (!from || !eat(",")) return false;
            const auto to = literal();
            if (!to || !to->empty() || !eat(")")) return false;
            if (!all_ascii(*from)) return false;
            for (const char c : *from) n.deleted.set(static_cast<unsigned char>(c));
            return true;
        }
        i_ = at;
        return text_argument(n);
    }
    bool text_argument(node& n) {
        const size_t at = i_;
        if (keyword("substring") && eat("(")) {
            if (!path_into(n.p) || !nodes_or_text(n.p, true) || !eat(",") || whole_number() != 1 || !eat(","))
                return false;
            n.prefix = whole_number();
            return n.prefix != 0 && eat(")");
        }
        i_ = at;
        return path_into(n.p) && nodes_or_text(n.p, true);
    }

    bool path_into(path& p) {
        ws();
        if (i_ < s_.size() && s_[i_] == '$') {
            ++i_;
            // '$' QName is one token: no white space after the '$' ("$ s" is pugixml's syntax error).
            if (i_ >= s_.size() || !is_ncname_start(s_[i_])) return false;
            const std::string name(qname());
            p.variable = name.empty() ? 0 : vars_.number(name);
            if (!p.variable) return false;
            p.variable_type = vars_.at(p.variable)->type();
            p.held = vars_.holdable(p.variable);
            ws();
            if (s_.substr(i_, 1) == "[") { // a filter on the variable's nodes
                if (p.variable_type != pugi::xpath_type_node_set || !predicates_into(p.filter)) return false;
                p.filtered = true;
            }
            // Steps apply to node-sets only: $n/x on a number is an XPath error (pugixml's), not a path.
            if (s_.substr(i_, 1) == "/" && p.variable_type != pugi::xpath_type_node_set) return false;
        } else if (!step_into(p, true)) {
            return false;
        }
        for (;;) {
            ws();
            p.lone_attribute = !p.variable && p.steps.size() == 1 && p.steps.front().on == step::axis::attribute;
            p.children_only = children_only(p);
            if (s_.substr(i_, 1) != "/" || s_.substr(i_, 2) == "//") return true;
            if (!p.steps.empty() && p.steps.back().on == step::axis::attribute) return false;
            ++i_;
            if (!step_into(p, false)) return false;
            const step::axis on = p.steps.back().on;
            if (on == step::axis::parent || on == step::axis::preceding_sibling || on == step::axis::following_sibling)
                p.distinct = false; // from several nodes, one may be reached twice
        }
    }

    bool step_into(path& p, bool first) {
        step s;
        if (eat("..")) {
            s.on = step::axis::parent;
            p.steps.push_back(std::move(s));
            return true;
        }
        if (first && eat(".")) { // the context node itself
            s.on = step::axis::self;
            p.steps.push_back(std::move(s));
            return true;
        }
        if (eat("@") || eat("attribute::")) {
            s.on = step::axis::attribute;
        } else if (eat("self::")) {
            if (!first) return false;
            s.on = step::axis::self;
        } else if (eat("parent::")) {
            s.on = step::axis::parent;
        } else if (eat("preceding-sibling::")) {
            s.on = step::axis::preceding_sibling;
        } else if (eat("following-sibling::")) {
            s.on = step::axis::following_sibling;
        } else {
            eat("child::");
        }
        const std::string_view name = qname();
        if (name.empty()) return false;
        s.name_id = names_.add(name);
        ws();
        if (i_ < s_.size() && s_[i_] == '(') return false; // a function or node type test
        if (s.on == step::axis::attribute) {
            p.steps.push_back(std::move(s));
            return true;
        }
        if (!predicates_into(s)) return false;
        if (s.on == step::axis::preceding_sibling && !s.first_only) p.ordered = false; // visited nearest first
        p.steps.push_back(std::move(s));
        return true;
    }

    // A step's predicates: [expr]… and a last [1].
    static bool children_only(const path& p) {
        const size_t children = !p.steps.empty() && p.steps.back().on == step::axis::attribute ? p.steps.size() - 1
                                                                                                : p.steps.size();
        if (p.variable || children == 0 || children > path::max_children) return false;
        for (size_t k = 0; k < children; ++k) {
            const step& s = p.steps[k];
            if (s.on != step::axis::child || s.name_id == name_table::unknown) return false;
        }
        return true;
    }

    bool predicates_into(step& s) {
        while (eat("[")) {
            if (s.first_only) return false; // [1] only last
            ws();
            if (s_.substr(i_, 1) == "1") {
                ++i_;
                if (!eat("]")) return false;
                s.first_only = true;
                continue;
            }
            auto pred = expr();
            if (!pred || pred->is_number() || !eat("]")) return false; // a number is a position
            if (auto test = attribute_equals(*pred)) s.attribute_equals.push_back(std::move(*test));
            else s.predicates.push_back(std::move(pred));
        }
        return true;
    }

    // (name, literal) for @name = 'literal' (either way round), the commonest predicate.
    static std::optional<std::pair<uint32_t, std::string>> attribute_equals(const node& n) {
        if (n.type != kind::equal) return std::nullopt;
        auto attribute = [](const node& x) {
            return x.type == kind::path && !x.p.variable && x.p.steps.size() == 1 &&
                   x.p.steps[0].on == step::axis::attribute;
        };
        if (attribute(*n.a) && n.b->type == kind::literal) return std::make_pair(n.a->p.steps[0].name_id, n.b->text);
        if (attribute(*n.b) && n.a->type == kind::literal) return std::make_pair(n.b->p.steps[0].name_id, n.a->text);
        return std::nullopt;
    }

    std::string_view s_;
    const variable_table& vars_;
    name_table& names_;
    size_t i_ = 0;
    unsigned depth_ = 0; // of expr() calls
};

} // namespace

direct_xpath::direct_xpath(std::unique_ptr<node> root) : root_(std::move(root)) {
    const node& n = root_->type == kind::to_boolean ? *root_->a : *root_;
    const path& p = n.p;
    if (n.type == kind::path && !p.variable && p.steps.size() == 1 && p.steps[0].on == step::axis::self &&
        p.steps[0].name_id != name_table::unknown && p.steps[0].predicates.empty())
        self_test_ = true;
}
direct_xpath::~direct_xpath() = default;

std::unique_ptr<direct_xpath> direct_xpath::compile(std::string_view text, const variable_table& vars,
                                                    name_table& names) {
    auto root = parser(text, vars, names).parse();
    if (!root) return nullptr;
    return std::unique_ptr<direct_xpath>(new direct_xpath(std::move(root)));
}

} // namespace casedoc::detail
