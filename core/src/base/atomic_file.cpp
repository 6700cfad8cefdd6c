#include <casedoc/base/atomic_file.hpp>
#include <casedoc/base/error.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <streambuf>
#include <system_error>
#include <vector>

namespace casedoc {

namespace fs = std::filesystem;

namespace detail {

// An output buffer over a file descriptor that keeps the first write error's errno, so that a full disk is
// reported as "No space left on device" rather than as a stream that went bad.
class fd_buffer : public std::streambuf {
public:
    explicit fd_buffer(int fd) : fd_(fd), buffer_(64 * 1024) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
    int error() const { return error_; }
    // Writes out what is buffered; false (and error() set) when the file system refused.
    bool drain() {
        const char* p = pbase();
        while (p < pptr() && !error_) {
            const ssize_t n = ::write(fd_, p, static_cast<size_t>(pptr() - p));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) error_ = n < 0 ? errno : ENOSPC;
            else p += n;
        }
        setp(buffer_.data(), buffer_.data() + buffer_.size());
        return !error_;
    }

protected:
    int_type overflow(int_type c) override {
        if (!drain()) return traits_type::eof();
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        *pptr() = traits_type::to_char_type(c);
        pbump(1);
        return c;
    }
    int sync() override { return drain() ? 0 : -1; }

private:
    int fd_;
    std::vector<char> buffer_;
    int error_ = 0;
};

} // namespace detail

namespace {

// Opens and locks the temporary: created if absent, taken over if a killed writer left it (its lock died
// with it), waited for if a live writer holds it. The lock is checked to be on the file still named
// `temporary` (a writer that got it first may have renamed it onto the target meanwhile).
int open_temporary(const fs::path& temporary, const fs::path& target) {
    for (;;) {
        const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) throw error(target.string(), std::string("cannot write: ") + std::strerror(errno));
        int locked;
        while ((locked = ::flock(fd, LOCK_EX)) != 0 && errno == EINTR) {
        }
        struct stat held {}, named {};
        if (locked == 0 && ::fstat(fd, &held) == 0 && ::stat(temporary.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
            held.st_ino == named.st_ino) {
            if (::ftruncate(fd, 0) != 0) {
                const int e = errno;
                ::close(fd);
                throw error(target.string(), std::string("cannot write: ") + std::strerror(e));
            }
            return fd;
        }
        const int e = errno;
        ::close(fd);
        if (locked != 0) throw error(target.string(), std::string("cannot write: ") + std::strerror(e));
    }
}

} // namespace

fs::path atomic_file::temporary_for(const fs::path& target) {
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    return dir / ("." + target.filename().string() + ".tmp");
}

atomic_file::atomic_file(fs::path target) : target_(std::move(target)), out_(nullptr) {
    const fs::path dir = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw error(target_.string(), "cannot write: no such directory '" + dir.string() + "'");
    if (fs::is_directory(target_, ec)) throw error(target_.string(), "cannot write: it is a directory");
    temporary_ = temporary_for(target_);
    fd_ = open_temporary(temporary_, target_);
    buffer_ = std::make_unique<detail::fd_buffer>(fd_);
    out_.rdbuf(buffer_.get());
}

atomic_file::~atomic_file() {
    if (fd_ < 0) return;
    if (!committed_) ::unlink(temporary_.c_str()); // still locked: no other writer has it
    ::close(fd_);
}

namespace {

// The rename on the disk too. A file system that cannot sync a directory (EINVAL) keeps the rename anyway.
void sync_directory_of(const fs::path& target) {
    const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    if (const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
        ::fsync(d);
        ::close(d);
    }
}

} // namespace

void atomic_file::flush_to_disk() {
    const bool ok = buffer_->drain() && static_cast<bool>(out_);
    if (!ok) {
        const int e = buffer_->error();
        throw error(target_.string(), std::string("cannot write: ") +
                                          (e ? std::strerror(e) : "the output stream failed (the file system refused)"));
    }
    // On the disk before it takes the target's name: a power cut leaves the old file or the new one, whole.
    if (::fsync(fd_) != 0) throw error(target_.string(), std::string("cannot write: ") + std::strerror(errno));
}

void atomic_file::rename_onto_target() {
    std::error_code ec;
    fs::rename(temporary_, target_, ec);
    if (ec) throw error(target_.string(), "cannot write: " + ec.message());
    committed_ = true;
    ::close(fd_); // releases the lock, now on the target
    fd_ = -1;
}

void atomic_file::commit() {
    flush_to_disk();
    rename_onto_target();
    sync_directory_of(target_);
}

void atomic_file::commit_together(std::initializer_list<atomic_file*> files) {
    for (atomic_file* f : files) f->flush_to_disk(); // every byte of every file written before any name changes
    for (atomic_file* f : files) f->rename_onto_target();
    for (atomic_file* f : files) sync_directory_of(f->target_);
}

} // namespace casedoc
