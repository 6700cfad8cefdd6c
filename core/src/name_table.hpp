// Element and attribute names as small numbers. A schema interns the names its expressions and rule contexts
// use (1, 2, …) when it is compiled; a document's names are looked up once, when its view is built
// (document_view.hpp), and every later name test is a comparison of two numbers instead of a strcmp.
#ifndef CASEDOC_SRC_NAME_TABLE_HPP
#define CASEDOC_SRC_NAME_TABLE_HPP

#include "hashing.hpp"

#include <cstdint>
#include <cstring>
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
        const uint64_t h = fnv1a64(name);
        for (size_t i = h & mask_;; i = (i + 1) & mask_) {
            const slot& s = slots_[i];
            if (s.id == unknown) return unknown;
            if (s.hash == h && names_[s.id - 1] == name) return s.id;
        }
    }

    // For a NUL-terminated name (pugixml's), hashed in the same pass that finds its end.
    uint32_t find(const char* name) const noexcept {
        uint64_t h = 0xcbf29ce484222325ull;
        const char* p = name;
        for (; *p; ++p) h = (h ^ static_cast<unsigned char>(*p)) * 0x100000001b3ull;
        if (slots_.empty()) return unknown;
        const size_t length = static_cast<size_t>(p - name);
        for (size_t i = h & mask_;; i = (i + 1) & mask_) {
            const slot& s = slots_[i];
            if (s.id == unknown) return unknown;
            if (s.hash == h && names_[s.id - 1].size() == length && std::memcmp(names_[s.id - 1].data(), name, length) == 0)
                return s.id;
        }
    }

    size_t size() const noexcept { return names_.size(); }

private:
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
            const uint64_t h = fnv1a64(names_[k]);
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
