// Small, stable, non-cryptographic hashes: the audit's seeded sampling keys and worker pseudonyms are
// derived from them, so their values are part of what "same seed, same sample" promises.
#ifndef CASEDOC_BASE_HASHING_HPP
#define CASEDOC_BASE_HASHING_HPP

#include <cstdint>
#include <string_view>

namespace casedoc::detail {

// FNV-1a, 64 bits.
inline uint64_t fnv1a64(std::string_view s) noexcept {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
    return h;
}

// SplitMix64's finaliser: spreads a 64-bit value over all bits.
inline uint64_t splitmix64(uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

} // namespace casedoc::detail

#endif
