// SHA-256 (FIPS 180-4), for the tamper-evidence digest of the source record that a rendered PDF carries
// in its metadata, and for deterministic document ids. Small and dependency-free.
#ifndef CASEDOC_BASE_SHA256_HPP
#define CASEDOC_BASE_SHA256_HPP

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace casedoc {

class sha256 {
public:
    sha256();
    sha256& update(std::string_view data);
    // The digest; the object must not be updated afterwards.
    std::array<uint8_t, 32> finish();

    static std::array<uint8_t, 32> of(std::string_view data) { return sha256().update(data).finish(); }
    static std::string hex(const std::array<uint8_t, 32>& digest); // lower-case

private:
    void block(const uint8_t* p);
    std::array<uint32_t, 8> h_;
    std::array<uint8_t, 64> buf_{};
    uint64_t length_ = 0; // bytes
    size_t used_ = 0;
};

} // namespace casedoc

#endif
