// Element and attribute names as small numbers. A schema interns the names its expressions and rule contexts
// use (1, 2, …) when it is compiled; a document's names are looked up once, when its view is built
// (document_view.hpp), and every later name test is a comparison of two numbers instead of a strcmp.
#ifndef CASEDOC_XML_NAME_TABLE_HPP
#define CASEDOC_XML_NAME_TABLE_HPP

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc::detail {

class name_table {
public:
    static constexpr uint32_t unknown = 0; // a name the schema never uses

    name_table() = default;
    // Not copyable: the slots point into names_ (a move keeps the strings where they are).
    name_table(const name_table&) = delete;
    name_table& operator=(const name_table&) = delete;
    name_table(name_table&&) noexcept = default;
    name_table& operator=(name_table&&) noexcept = default;

    // The name's number, added when new.
    uint32_t add(std::string_view name) {
        if (const uint32_t id = find(name)) return id;
        names_.emplace_back(name);
        rehash();
        return static_cast<uint32_t>(names_.size());
    }

    uint32_t find(std::string_view name) const noexcept {
        if (slots_.empty()) return unknown;
        const uint32_t k = key(name);
        for (size_t i = index(k);; i = (i + 1) & mask_) {
            const slot& s = slots_[i];
            if (s.id == unknown) return unknown;
            if (s.key == k && s.length == name.size() && same(s.text, name.data(), name.size())) return s.id;
        }
    }

    size_t size() const noexcept { return names_.size(); }

private:
    // Every document name is looked up once: its length and three of its bytes are key enough for the hundred
    // or so names of a schema (a collision costs one more comparison), placed by one multiplication in a table
    // kept at most a quarter full.
    static uint32_t key(std::string_view s) noexcept {
        if (s.empty()) return 0;
        return uint32_t(s.size() & 0xff) | uint32_t(static_cast<unsigned char>(s[0])) << 8 |
               uint32_t(static_cast<unsigned char>(s[s.size() / 2])) << 16 |
               uint32_t(static_cast<unsigned char>(s.back())) << 24;
    }
    size_t index(uint32_t k) const noexcept { return (k * 0x9e3779b1u) >> shift_; }

    // Names are short: compared a word at a time, the last word overlapping the one before it (every load is
    // inside both names), without a call to memcmp.
    static bool same(const char* x, const char* y, size_t n) noexcept {
        auto equal = [](const char* p, const char* q, auto word) {
            std::memcpy(&word, p, sizeof word);
            decltype(word) other;
            std::memcpy(&other, q, sizeof other);
            return word == other;
        };
        if (n >= 8) {
            for (size_t i = 0; i + 8 < n; i += 8)
                if (!equal(x + i, y + i, uint64_t())) return false;
            return equal(x + n - 8, y + n - 8, uint64_t());
        }
        if (n >= 4) return equal(x, y, uint32_t()) && equal(x + n - 4, y + n - 4, uint32_t());
        for (size_t i = 0; i < n; ++i)
            if (x[i] != y[i]) return false;
        return true;
    }

    struct slot {
        uint32_t key = 0;
        uint32_t id = unknown;
        const char* text = nullptr; // the name (in names_), compared without going through names_
        size_t length = 0;
    };

    void rehash() {
        size_t capacity = 64;
        unsigned bits = 6;
        while (capacity < names_.size() * 4) capacity *= 2, ++bits;
        slots_.assign(capacity, slot{});
        mask_ = capacity - 1;
        shift_ = 32 - bits;
        for (size_t k = 0; k < names_.size(); ++k) {
            const uint32_t h = key(names_[k]);
            size_t i = index(h);
            while (slots_[i].id != unknown) i = (i + 1) & mask_;
            slots_[i] = {h, static_cast<uint32_t>(k + 1), names_[k].data(), names_[k].size()};
        }
    }

    std::vector<std::string> names_;
    std::vector<slot> slots_;
    size_t mask_ = 0;
    unsigned shift_ = 32;
};

} // namespace casedoc::detail

#endif
