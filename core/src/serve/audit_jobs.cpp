#include "audit_jobs.hpp"

#include <casedoc/audit/audit_files.hpp>
#include <casedoc/base/error.hpp>

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace casedoc {

struct audit_jobs::job {
    std::string id, owner;
    audit_options options;
    engine e;
    std::string state = "queued", error;
    std::atomic<uint64_t> done{0}, total{0};
    std::vector<audit_note> problems;
    uint64_t checked = 0;
    std::chrono::steady_clock::time_point ended{};
    bool removed = false; // deleted while it ran: its files go when it ends
};

namespace {

// A job id: 128 random bits in hexadecimal (a client cannot guess another's job).
std::string new_job_id() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw error("", "cannot start an audit job: no random bytes");
    static const char hex[] = "0123456789abcdef";
    std::string id;
    for (unsigned char b : bytes) {
        id += hex[b >> 4];
        id += hex[b & 15];
    }
    return id;
}

bool is_job_id(const std::string& name) {
    return name.size() == 32 && std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

// A file readable and writable by the service's user only, written whole. Throws casedoc::error.
void write_private(const fs::path& file, const std::string& text) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw error(file.string(), std::string("cannot write: ") + std::strerror(errno));
    size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int e = errno;
            ::close(fd);
            throw error(file.string(), std::string("cannot write: ") + std::strerror(e));
        }
        written += static_cast<size_t>(n);
    }
    if (::close(fd) != 0) throw error(file.string(), std::string("cannot write: ") + std::strerror(errno));
}

void make_private_directory(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!fs::is_directory(dir)) throw error(dir.string(), "cannot create the directory (" + ec.message() + ")");
    fs::permissions(dir, fs::perms::owner_all, ec);
    if (ec) throw error(dir.string(), "cannot make the directory private (" + ec.message() + ")");
}

// An uploaded record's file name in the job: its position and the letters, digits, dots, dashes and
// underscores of the client's name (never a path), ending in .xml so that the audit reads it.
std::string stored_name(size_t index, const std::string& given) {
    std::string base = given.substr(given.find_last_of('/') == std::string::npos ? 0 : given.find_last_of('/') + 1);
    for (char& c : base)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
    std::string number = std::to_string(index + 1);
    if (number.size() < 5) number.insert(0, 5 - number.size(), '0');
    std::string name = number + "-" + base.substr(0, 100);
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".xml") != 0) name += ".xml";
    return name;
}

std::string read_whole(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

audit_jobs::audit_jobs(fs::path dir, std::chrono::seconds ttl) : dir_(std::move(dir)), ttl_(ttl) {
    make_private_directory(dir_);
    for (const auto& entry : fs::directory_iterator(dir_)) // only what looks like a job: the directory may hold more
        if (is_job_id(entry.path().filename().string())) {
            std::error_code ec;
            fs::remove_all(entry.path(), ec);
        }
    worker_ = std::thread([this] { work(); });
}

audit_jobs::~audit_jobs() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    worker_.join();
    for (const auto& [id, j] : jobs_) delete_files(id);
}

std::string audit_jobs::start(const std::string& owner, audit_options options,
                              const std::vector<std::pair<std::string, std::string>>& records, engine e) {
    auto j = std::make_shared<job>();
    j->id = new_job_id();
    j->owner = owner;
    j->e = std::move(e);
    const fs::path records_dir = dir_ / j->id / "records";
    try {
        make_private_directory(dir_ / j->id);
        make_private_directory(records_dir);
        options.inputs.clear();
        for (size_t i = 0; i < records.size(); ++i) {
            const fs::path file = records_dir / stored_name(i, records[i].first);
            write_private(file, records[i].second);
            options.inputs.push_back(file.string());
        }
    } catch (...) {
        delete_files(j->id); // nothing half-written stays
        throw;
    }
    j->options = std::move(options);
    j->total = records.size();
    {
        std::lock_guard lock(mutex_);
        jobs_[j->id] = j;
        queue_.push_back(j->id);
    }
    wake_.notify_all();
    return j->id;
}

std::optional<audit_jobs::view> audit_jobs::find(const std::string& id, const std::string& owner) {
    std::lock_guard lock(mutex_);
    const auto it = jobs_.find(id);
    if (it == jobs_.end() || it->second->owner != owner || it->second->removed) return std::nullopt;
    const job& j = *it->second;
    view v;
    v.id = j.id;
    v.state = j.state;
    v.done = j.done;
    v.total = j.total;
    v.error = j.error;
    v.problems = j.problems;
    v.checked = j.checked;
    if (j.ended != std::chrono::steady_clock::time_point{})
        v.expires_in = std::max(0.0, std::chrono::duration<double>(ttl_ - (std::chrono::steady_clock::now() - j.ended)).count());
    return v;
}

std::optional<std::string> audit_jobs::report(const std::string& id, const std::string& owner, const std::string& name) {
    {
        std::lock_guard lock(mutex_);
        const auto it = jobs_.find(id);
        if (it == jobs_.end() || it->second->owner != owner || it->second->state != "done" || it->second->removed)
            return std::nullopt;
    }
    if (name != "audit.pdf" && name != "audit.json" && name != "audit.csv") return std::nullopt;
    return read_whole(dir_ / id / "report" / name);
}

bool audit_jobs::remove(const std::string& id, const std::string& owner) {
    std::lock_guard lock(mutex_);
    const auto it = jobs_.find(id);
    if (it == jobs_.end() || it->second->owner != owner || it->second->removed) return false;
    if (it->second->state == "running") {
        it->second->removed = true; // the worker deletes it when the audit ends
        return true;
    }
    queue_.erase(std::remove(queue_.begin(), queue_.end(), id), queue_.end());
    delete_files(id);
    jobs_.erase(it);
    return true;
}

void audit_jobs::delete_files(const std::string& id) {
    std::error_code ec;
    fs::remove_all(dir_ / id, ec);
    if (ec) spdlog::error("audit job {}: cannot delete its files: {}", id, ec.message());
}

void audit_jobs::sweep(std::unique_lock<std::mutex>&) {
    const auto now = std::chrono::steady_clock::now();
    for (auto it = jobs_.begin(); it != jobs_.end();) {
        const job& j = *it->second;
        if (j.ended != std::chrono::steady_clock::time_point{} && now - j.ended >= ttl_) {
            delete_files(it->first);
            it = jobs_.erase(it);
        } else {
            ++it;
        }
    }
}

void audit_jobs::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || !queue_.empty(); });
        sweep(lock);
        if (stopping_) return;
        if (queue_.empty()) continue;
        const std::shared_ptr<job> j = jobs_.at(queue_.front());
        queue_.erase(queue_.begin());
        j->state = "running";
        lock.unlock();

        const std::string records_dir = (dir_ / j->id / "records").string() + "/";
        const auto strip = [&records_dir](std::string& file) { // the client's names, not the service's paths
            if (file.rfind(records_dir, 0) == 0) file.erase(0, records_dir.size());
        };
        std::string state = "done", why;
        std::vector<audit_note> problems;
        uint64_t checked = 0;
        try {
            audit_data data = run_audit(j->options, 1, *j->e.plugins, *j->e.schemas, [&j](uint64_t d, uint64_t t) {
                j->done = d;
                j->total = t;
            });
            for (auto& f : data.options.inputs) strip(f);
            for (auto& c : data.cases) strip(c.file);
            for (auto* notes : {&data.eliminated, &data.unreadable, &data.failed})
                for (auto& n : *notes) strip(n.file);
            problems = data.unreadable;
            problems.insert(problems.end(), data.failed.begin(), data.failed.end());
            checked = data.cases.size();
            audit_report_options ro;
            ro.generator = std::string("casedoc ") + CASEDOC_VERSION;
            write_audit_files(std::move(data), ro, dir_ / j->id / "report");
        } catch (const std::exception& e) {
            state = "failed";
            why = e.what();
            const size_t at = why.find(records_dir);
            if (at != std::string::npos) why.erase(at, records_dir.size());
        }
        std::error_code ec;
        fs::remove_all(records_dir, ec); // the records go as soon as the audit is done
        spdlog::info("audit job {}: {}", j->id, state);

        lock.lock();
        j->e = engine{}; // the plugins and schemas of a set since replaced may go now
        j->state = state;
        j->error = why;
        j->problems = std::move(problems);
        j->checked = checked;
        j->ended = std::chrono::steady_clock::now();
        if (j->removed) {
            delete_files(j->id);
            jobs_.erase(j->id);
        }
    }
}

} // namespace casedoc
