// A file that appears whole or not at all: content goes to a temporary file beside the target, which
// replaces the target only on commit(). Destroyed without commit (an error, an exception), the temporary
// is removed and the target is left as it was.
#ifndef CASEDOC_BASE_ATOMIC_FILE_HPP
#define CASEDOC_BASE_ATOMIC_FILE_HPP

#include <filesystem>
#include <fstream>

namespace casedoc {

class atomic_file {
public:
    // Creates the temporary file. Throws casedoc::error naming the target when it cannot.
    explicit atomic_file(std::filesystem::path target);
    ~atomic_file();
    atomic_file(const atomic_file&) = delete;
    atomic_file& operator=(const atomic_file&) = delete;

    std::ostream& stream() { return out_; }
    const std::filesystem::path& target() const noexcept { return target_; }
    // Flushes and renames the temporary onto the target. Throws casedoc::error naming the target.
    void commit();

private:
    std::filesystem::path target_, temporary_;
    std::ofstream out_;
    bool committed_ = false;
};

} // namespace casedoc

#endif
