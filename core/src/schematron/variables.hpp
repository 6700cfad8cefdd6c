// A schema's variables (its lets and parameters, the plugin's facts, current() and the documents document()
// loads): declared once when the schema is compiled (variable_table), and given values by each validation in
// a frame of its own (xpath_frame). The compiled expressions name a variable by its number, never by a pointer
// into one set of values, so one compiled schema serves every thread that validates with it.
#ifndef CASEDOC_SCHEMATRON_VARIABLES_HPP
#define CASEDOC_SCHEMATRON_VARIABLES_HPP

#include <casedoc/xml/document_view.hpp>

#include <pugixml.hpp>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace casedoc::detail {

// The declarations, in a pugixml set whose types (and the values of the fixed ones: parameters given by the
// agency, a let's element content, the documents) every frame starts from, each numbered from 1.
class variable_table {
public:
    variable_table() : by_number_(1, nullptr), holdable_(1, false) {}
    variable_table(const variable_table&) = delete;
    variable_table& operator=(const variable_table&) = delete;

    // Declares a variable (names are unique: the compiler makes them) and gives its number.
    uint32_t add(const std::string& name, pugi::xpath_value_type type) {
        pugi::xpath_variable* v = set_.add(name.c_str(), type);
        if (type == pugi::xpath_type_string) v->set(""); // pugixml cannot copy a string variable never set
        const auto n = static_cast<uint32_t>(by_number_.size());
        numbers_[v] = n;
        by_number_.push_back(v);
        holdable_.push_back(false);
        return n;
    }
    // The declarations, which pugixml compiles expressions against, and a variable's value in them (the value
    // every frame starts with: the compiler sets the fixed ones).
    pugi::xpath_variable_set& set() { return set_; }
    const pugi::xpath_variable_set& set() const { return set_; }
    pugi::xpath_variable* declared(uint32_t n) { return by_number_[n]; }
    const pugi::xpath_variable* get(const std::string& name) const { return set_.get(name.c_str()); }
    uint32_t number(const pugi::xpath_variable* v) const { // 0: not declared here
        const auto it = numbers_.find(v);
        return it == numbers_.end() ? 0 : it->second;
    }
    uint32_t number(const std::string& name) const { return number(get(name)); }
    size_t size() const { return by_number_.size(); } // the numbers are below it
    const pugi::xpath_variable* at(uint32_t n) const { return by_number_[n]; }

    // A node-set let the direct evaluator can compute as places in the view: its value may be held that way.
    void set_holdable(uint32_t n) { holdable_[n] = true; }
    bool holdable(uint32_t n) const { return holdable_[n]; }

private:
    pugi::xpath_variable_set set_;
    std::unordered_map<const pugi::xpath_variable*, uint32_t> numbers_;
    std::vector<pugi::xpath_variable*> by_number_; // [0]: none
    std::vector<bool> holdable_;
};

// A node-set variable's value held as places in the view, for a let the rule engine evaluated directly: the
// evaluator reads it instead of the pugixml variable, which the engine brings up to date only when pugixml
// is to evaluate an expression that reads it.
struct held_nodes {
    std::vector<document_view::place> places; // in document order, each once
    bool valid = false; // else the pugixml variable holds the value
    bool stale = false; // the pugixml variable does not hold it yet
};

// One validation's values of the variables, and its view of the document being validated: what an expression
// reads besides its text. Each thread that validates has its own.
struct xpath_frame {
    pugi::xpath_variable_set set;                  // a copy of the table's
    std::vector<pugi::xpath_variable*> variables;  // in `set`, by number ([0]: none)
    std::vector<held_nodes> held;                  // by number
    document_view view;

    explicit xpath_frame(const variable_table& table) : set(table.set()), held(table.size()) {
        variables.reserve(table.size());
        variables.push_back(nullptr);
        for (uint32_t n = 1; n < table.size(); ++n) variables.push_back(set.get(table.at(n)->name()));
    }
    xpath_frame(const xpath_frame&) = delete;
    xpath_frame& operator=(const xpath_frame&) = delete;

    // Writes a held value into its pugixml variable, if it is not there yet.
    void sync(uint32_t n) {
        held_nodes& h = held[n];
        if (!h.stale) return;
        std::vector<pugi::xpath_node> nodes;
        nodes.reserve(h.places.size());
        for (const document_view::place& p : h.places) nodes.push_back(view.node(p));
        variables[n]->set(pugi::xpath_node_set(nodes.data(), nodes.data() + nodes.size(),
                                               pugi::xpath_node_set::type_sorted));
        h.stale = false;
    }
};

} // namespace casedoc::detail

#endif
