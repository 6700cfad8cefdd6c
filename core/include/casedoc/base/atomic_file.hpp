// A file that appears whole or not at all: content goes to a temporary file beside the target,
// `.<name>.tmp`, which replaces the target only on commit(). Destroyed without commit (an error, an
// exception), the temporary is removed and the target is left as it was.
//
// The temporary is synced to the disk before the rename, and the directory after it, so a power cut leaves the
// old target or the new one, whole. A process killed meanwhile (kill -9, a crash) leaves at most that
// temporary, never a half-written target. The writer holds an flock(2) on its temporary, which dies with it,
// so the next writer of the same target knows a left-over temporary from a live one: it waits for a live
// writer, and takes over (truncates, then renames) one that is left over.
#ifndef CASEDOC_BASE_ATOMIC_FILE_HPP
#define CASEDOC_BASE_ATOMIC_FILE_HPP

#include <filesystem>
#include <initializer_list>
#include <memory>
#include <ostream>

namespace casedoc {

namespace detail {
class fd_buffer;
}

class atomic_file {
public:
    // Creates (or takes over) the temporary file. Throws casedoc::error naming the target when it cannot.
    explicit atomic_file(std::filesystem::path target);
    ~atomic_file();
    atomic_file(const atomic_file&) = delete;
    atomic_file& operator=(const atomic_file&) = delete;

    std::ostream& stream() { return out_; }
    const std::filesystem::path& target() const noexcept { return target_; }
    // Writes out and renames the temporary onto the target. Throws casedoc::error naming the target and
    // saying why (e.g. "No space left on device"); the temporary is then removed by the destructor.
    void commit();
    // Commits several files (the audit's report.json, .csv, .pdf) as nearly together as renames allow: every one
    // written and synced first, then the renames one after another (microseconds apart, with no write between).
    // A failure to write any of them commits none.
    static void commit_together(std::initializer_list<atomic_file*> files);

    // The temporary file beside `target` (what a killed writer may leave behind).
    static std::filesystem::path temporary_for(const std::filesystem::path& target);

private:
    void flush_to_disk();      // throws casedoc::error naming the target
    void rename_onto_target(); // throws casedoc::error naming the target
    std::filesystem::path target_, temporary_;
    int fd_ = -1;
    std::unique_ptr<detail::fd_buffer> buffer_;
    std::ostream out_;
    bool committed_ = false;
};

} // namespace casedoc

#endif
