// Element and attribute names as small numbers. A schema interns the names its expressions and rule contexts
// use (1, 2, …) when it is compiled; a document's names are looked up once, when its view is built
// (document_view.hpp), and every later name test is a comparison of two numbers instead of a strcmp.
#ifndef CASEDOC_SRC_NAME_TABLE_HPP
#define CASEDOC_SRC_NAME_TABLE_HPP

#include "hashing.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc::detail {

class name_table {
public:
    static constexpr uint32_t unknown = 0; // a name the schema never uses

    // The name's number, added when new.
    uint32_t add(std::string_view name) {
        if (const uint32_t id = find(name)) return id;
        names_.emplace_back(name);
        rehash();
        return static_cast<uint32_t>(names_.size());
    }

    uint32_t find(std::string_view name) const noexcept {
        if (slots_.empty()) return unknown;
        const uint64_t h = hash(name);
        for (size_t i = h & mask_;; i = (i + 1) & mask_) {
            const slot& s = slots_[i];
            if (s.id == unknown) return unknown;
            if (s.hash == h && same(names_[s.id - 1], name)) return s.id;
        }
    }

    size_t size() const noexcept { return names_.size(); }

private:
    // Every document name is looked up once: its length and three of its bytes, mixed, are hash enough for
    // the hundred or so names of a schema (a collision costs one more comparison).
    static uint64_t hash(std::string_view s) noexcept {
        uint64_t h = s.size();
        if (!s.empty())
            h |= uint64_t(static_cast<unsigned char>(s[0])) << 16 | uint64_t(static_cast<unsigned char>(s[s.size() / 2])) << 24 |
                 uint64_t(static_cast<unsigned char>(s.back())) << 32;
        return splitmix64(h);
    }

    // Names are short: compared byte by byte, without a call to memcmp.
    static bool same(std::string_view a, std::string_view b) noexcept {
        if (a.size() != b.size()) return false;
        for (size_t i = 0; i < a.size(); ++i)
            if (a[i] != b[i]) return false;
        return true;
    }

    struct slot {
        uint64_t hash = 0;
        uint32_t id = unknown;
    };

    void rehash() {
        size_t capacity = 16;
        while (capacity < names_.size() * 2) capacity *= 2;
        slots_.assign(capacity, slot{});
        mask_ = capacity - 1;
        for (size_t k = 0; k < names_.size(); ++k) {
            const uint64_t h = hash(names_[k]);
            size_t i = h & mask_;
            while (slots_[i].id != unknown) i = (i + 1) & mask_;
            slots_[i] = {h, static_cast<uint32_t>(k + 1)};
        }
    }

    std::vector<std::string> names_;
    std::vector<slot> slots_;
    size_t mask_ = 0;
};

} // namespace casedoc::detail

#endif
