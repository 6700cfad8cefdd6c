// The XPath location path of a node (/r:case-record[1]/r:notes[1]/r:note[2]/@id), held as a link into a tree
// of the document's steps that every path of that document shares: placing n findings costs O(n) however
// deeply they are nested, and the text is made only when asked for.
#ifndef CASEDOC_BASE_LOCATION_PATH_HPP
#define CASEDOC_BASE_LOCATION_PATH_HPP

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc {

// The steps of one document's nodes: node i is the step text[end[i - 1], end[i]) below node parent[i]. Node 0
// is the document (no step, no parent). Read-only once built.
struct location_tree {
    static constexpr uint32_t none = UINT32_MAX;
    std::vector<uint32_t> parent{none};
    std::vector<uint32_t> end{0};
    std::string text;

    // Adds a step below `parent_node`; returns its node number.
    uint32_t add(uint32_t parent_node, std::string_view step);
    std::string_view step(uint32_t node) const {
        const uint32_t begin = node == 0 ? 0 : end[node - 1];
        return std::string_view(text).substr(begin, end[node] - begin);
    }
};

class location_path {
public:
    location_path() = default;
    // A path given as text (no tree).
    explicit location_path(std::string text) : tail_(std::move(text)) {}
    // Node `node` of `tree`, followed by `tail` (an attribute's "/@name").
    location_path(std::shared_ptr<const location_tree> tree, uint32_t node, std::string tail = {})
        : tree_(std::move(tree)), node_(node), tail_(std::move(tail)) {}

    // "/" for the document node; "" when unknown.
    std::string str() const;
    bool empty() const { return !tree_ && tail_.empty(); }

    friend bool operator==(const location_path& a, std::string_view b) { return a.str() == b; }
    friend bool operator==(const location_path& a, const location_path& b) { return a.str() == b.str(); }
    friend std::ostream& operator<<(std::ostream& out, const location_path& p) { return out << p.str(); }

private:
    std::shared_ptr<const location_tree> tree_;
    uint32_t node_ = 0;
    std::string tail_;
};

} // namespace casedoc

#endif // CASEDOC_BASE_LOCATION_PATH_HPP
