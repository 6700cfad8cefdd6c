#include <casedoc/base/error.hpp>
#include <casedoc/due/due_store.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <tuple>

namespace casedoc {

namespace {

// TMPDIR as given (no fall-back elsewhere: the runs hold client ids, and TMPDIR may be where an agency wants them).
std::string temp_dir() {
    const char* dir = std::getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

// A file with no name: nothing of it outlives the process, however the process ends.
int open_unnamed(const std::string& dir) {
#ifdef O_TMPFILE
    const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
#endif
    std::string name = dir + "/.casedoc-due-XXXXXX";
    const int named = ::mkostemp(name.data(), O_CLOEXEC);
    if (named < 0) throw error(dir, std::string("cannot make a temporary file for the due list: ") + std::strerror(errno));
    ::unlink(name.c_str());
    return named;
}

void put_u64(std::string& out, uint64_t v) {
    char b[8];
    std::memcpy(b, &v, 8);
    out.append(b, 8);
}

void put(std::string& out, const std::string& s) {
    put_u64(out, s.size());
    out += s;
}

void encode(std::string& out, const due_item& i) {
    for (const std::string* s : {&i.record_id, &i.client_id, &i.worker, &i.office, &i.setting, &i.rule_id, &i.title,
                                 &i.citation, &i.due, &i.anchor, &i.extension, &i.file})
        put(out, *s);
    put_u64(out, static_cast<uint64_t>(i.days_left));
    put_u64(out, static_cast<uint64_t>(i.status));
    put_u64(out, i.line);
    put_u64(out, static_cast<uint64_t>(i.order));
}

// Reads one run back through a buffer of its own.
class run_reader {
public:
    run_reader(int fd, uint64_t offset, uint64_t bytes) : fd_(fd), next_(offset), end_(offset + bytes) {}

    bool next(due_item& i) {
        if (next_ == end_ && at_ == buf_.size()) return false;
        for (std::string* s : {&i.record_id, &i.client_id, &i.worker, &i.office, &i.setting, &i.rule_id, &i.title,
                               &i.citation, &i.due, &i.anchor, &i.extension, &i.file}) {
            const uint64_t n = u64();
            s->resize(n);
            take(s->data(), n);
        }
        i.days_left = static_cast<int64_t>(u64());
        i.status = static_cast<due_status>(u64());
        i.line = static_cast<unsigned>(u64());
        i.order = static_cast<int64_t>(u64());
        return true;
    }

private:
    uint64_t u64() {
        uint64_t v;
        take(reinterpret_cast<char*>(&v), 8);
        return v;
    }

    void take(char* to, uint64_t n) {
        while (n > 0) {
            if (at_ == buf_.size()) fill();
            const uint64_t k = std::min<uint64_t>(n, buf_.size() - at_);
            std::memcpy(to, buf_.data() + at_, k);
            to += k;
            at_ += k;
            n -= k;
        }
    }

    void fill() {
        const uint64_t want = std::min<uint64_t>(end_ - next_, 64 * 1024);
        if (want == 0) throw error("", "the due list's temporary file ends inside an item");
        buf_.resize(want);
        uint64_t got = 0;
        while (got < want) {
            const ssize_t r = ::pread(fd_, buf_.data() + got, want - got, static_cast<off_t>(next_ + got));
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0)
                throw error("", std::string("cannot read the due list's temporary file: ") +
                                    (r < 0 ? std::strerror(errno) : "it is shorter than written"));
            got += static_cast<uint64_t>(r);
        }
        next_ += want;
        at_ = 0;
    }

    int fd_;
    uint64_t next_, end_;
    std::string buf_;
    size_t at_ = 0;
};

} // namespace

bool due_item_before(const due_item& a, const due_item& b) {
    return std::tie(a.worker, a.status, a.order, a.record_id, a.rule_id, a.line, a.file) <
           std::tie(b.worker, b.status, b.order, b.record_id, b.rule_id, b.line, b.file);
}

due_store::due_store(size_t run_items) : run_items_(std::max<size_t>(run_items, 1)) {}

due_store::due_store(due_store&& o) noexcept
    : run_items_(o.run_items_), held_(std::move(o.held_)), runs_(std::move(o.runs_)), fd_(o.fd_),
      file_size_(o.file_size_), count_(o.count_) {
    o.fd_ = -1;
}

due_store& due_store::operator=(due_store&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        run_items_ = o.run_items_;
        held_ = std::move(o.held_);
        runs_ = std::move(o.runs_);
        fd_ = o.fd_;
        file_size_ = o.file_size_;
        count_ = o.count_;
        o.fd_ = -1;
    }
    return *this;
}

due_store::~due_store() {
    if (fd_ >= 0) ::close(fd_);
}

void due_store::add(due_item item) {
    held_.push_back(std::move(item));
    ++count_;
    if (held_.size() >= run_items_) spill();
}

void due_store::finish() {
    std::stable_sort(held_.begin(), held_.end(), due_item_before);
}

void due_store::spill() {
    const std::string dir = temp_dir();
    if (fd_ < 0) fd_ = open_unnamed(dir);
    std::stable_sort(held_.begin(), held_.end(), due_item_before);
    std::string bytes;
    for (const due_item& i : held_) encode(bytes, i);
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t w = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(file_size_ + done));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) throw error(dir, std::string("cannot write the due list's temporary file: ") + std::strerror(errno));
        done += static_cast<size_t>(w);
    }
    runs_.push_back({file_size_, bytes.size()});
    file_size_ += bytes.size();
    held_.clear();
}

void due_store::for_each(const std::function<void(const due_item&)>& visit) const {
    if (runs_.empty()) {
        for (const due_item& i : held_) visit(i);
        return;
    }
    // A k-way merge: the runs in file order, then what is held; equal items come from the earlier run first.
    std::vector<run_reader> readers;
    readers.reserve(runs_.size());
    for (const run& r : runs_) readers.emplace_back(fd_, r.offset, r.bytes);
    const size_t k = readers.size() + 1;
    std::vector<due_item> head(k);
    size_t held_at = 0;
    const auto advance = [&](size_t s) {
        if (s < readers.size()) return readers[s].next(head[s]);
        if (held_at == held_.size()) return false;
        head[s] = held_[held_at++];
        return true;
    };
    const auto later = [&](size_t a, size_t b) {
        if (due_item_before(head[b], head[a])) return true;
        if (due_item_before(head[a], head[b])) return false;
        return a > b;
    };
    std::priority_queue<size_t, std::vector<size_t>, decltype(later)> queue(later);
    for (size_t s = 0; s < k; ++s)
        if (advance(s)) queue.push(s);
    while (!queue.empty()) {
        const size_t s = queue.top();
        queue.pop();
        visit(head[s]);
        if (advance(s)) queue.push(s);
    }
}

} // namespace casedoc
