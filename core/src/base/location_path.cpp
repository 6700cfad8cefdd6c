#include <casedoc/base/location_path.hpp>

namespace casedoc {

uint32_t location_tree::add(uint32_t parent_node, std::string_view step) {
    text += step;
    parent.push_back(parent_node);
    end.push_back(static_cast<uint32_t>(text.size()));
    return static_cast<uint32_t>(parent.size() - 1);
}

std::string location_path::str() const {
    if (!tree_) return tail_;
    std::vector<uint32_t> chain; // from the node up to (not including) the document
    size_t size = tail_.size();
    for (uint32_t n = node_; n != 0 && n != location_tree::none; n = tree_->parent[n]) {
        chain.push_back(n);
        size += 1 + tree_->step(n).size();
    }
    std::string out;
    out.reserve(size);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) (out += '/') += tree_->step(*it);
    out += tail_;
    if (out.empty()) out = "/";
    return out;
}

} // namespace casedoc
