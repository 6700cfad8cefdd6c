#include <casedoc/base/atomic_file.hpp>
#include <casedoc/base/error.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace casedoc {

namespace fs = std::filesystem;

atomic_file::atomic_file(fs::path target) : target_(std::move(target)) {
    const fs::path dir = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw error(target_.string(), "cannot write: no such directory '" + dir.string() + "'");
    if (fs::is_directory(target_, ec)) throw error(target_.string(), "cannot write: it is a directory");
    temporary_ = dir / ("." + target_.filename().string() + ".tmp-" + std::to_string(::getpid()));
    out_.open(temporary_, std::ios::binary | std::ios::trunc);
    if (!out_) throw error(target_.string(), std::string("cannot write: ") + std::strerror(errno));
}

atomic_file::~atomic_file() {
    if (committed_) return;
    out_.close();
    std::error_code ec;
    fs::remove(temporary_, ec);
}

void atomic_file::commit() {
    out_.flush();
    const bool ok = static_cast<bool>(out_);
    out_.close();
    if (!ok || out_.fail()) throw error(target_.string(), "cannot write: the disk is full or the file system failed");
    std::error_code ec;
    fs::rename(temporary_, target_, ec);
    if (ec) throw error(target_.string(), "cannot write: " + ec.message());
    committed_ = true;
}

} // namespace casedoc
