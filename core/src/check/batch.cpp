#include <casedoc/base/error.hpp>
#include <casedoc/check/batch.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace casedoc {

namespace fs = std::filesystem;

namespace {

// A record's file: *.xml, as systems that write NOTE.XML spell it too.
bool is_xml_file(const fs::path& p) {
    const std::string ext = p.extension().string();
    return ext.size() == 4 && ext[0] == '.' && (ext[1] | 0x20) == 'x' && (ext[2] | 0x20) == 'm' &&
           (ext[3] | 0x20) == 'l';
}

// The order of std::filesystem::path on names a directory walk gave (single slashes): component by component,
// that is, as strings in which '/' comes before every other character.
bool path_order(const std::string& a, const std::string& b) {
    const auto key = [](char c) { return c == '/' ? 0 : static_cast<unsigned char>(c) + 1; };
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [&](char x, char y) { return key(x) < key(y); });
}

} // namespace

std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs) {
    std::vector<std::string> out;
    for (const std::string& in : inputs) {
        std::error_code ec;
        const fs::path p(in);
        if (fs::is_directory(p, ec)) {
            std::vector<std::string> found;
            std::vector<fs::path> other;
            for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
                 it.increment(ec)) {
                if (!it->is_regular_file()) continue;
                if (is_xml_file(it->path())) found.push_back(it->path().string());
                else if (it->path().filename().string().front() != '.') other.push_back(it->path());
            }
            if (ec) throw error(in, "cannot read directory: " + ec.message());
            if (!other.empty()) { // said, not dropped in silence (hidden files such as .DS_Store excepted)
                std::sort(other.begin(), other.end());
                std::string names;
                for (size_t i = 0; i < other.size() && i < 3; ++i) names += (i ? ", " : "") + other[i].string();
                if (other.size() > 3) names += ", and " + std::to_string(other.size() - 3) + " more";
                spdlog::warn("{}: {} file{} not checked, not *.xml: {}", in, other.size(), other.size() == 1 ? "" : "s",
                             names);
            }
            if (found.empty()) throw error(in, "no records (*.xml) in this directory");
            // In the order of the paths (component by component: a directory's files before "a-b/"'s), as names.
            std::sort(found.begin(), found.end(), path_order);
            if (out.empty()) out = std::move(found);
            else out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
        } else if (fs::exists(p, ec)) {
            out.push_back(in);
        } else {
            // Kept: the validator reports it as a record it could not read, so the batch goes on.
            out.push_back(in);
        }
    }
    return out;
}

void run_batch(const std::vector<std::string>& files, unsigned jobs, const plugin_host& plugins,
               const schema_catalog& schemas, const validator_options& options,
               const std::function<void(record_result&&)>& sink) {
    if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
    jobs = std::min<unsigned>(jobs, static_cast<unsigned>(std::max<size_t>(files.size(), 1)));
    validator_options shared = options; // one compiled copy of each schema for every worker
    if (!shared.compiled_schemas) shared.compiled_schemas = std::make_shared<schema_cache>();
    if (jobs == 1) {
        validator v(plugins, schemas, shared);
        for (const auto& f : files) sink(v.check_file(f));
        return;
    }
    // Workers fill slots of a window; the caller's thread hands results to the sink in order, woken when a
    // run of `handoff` results is ready at the front (or all files are taken), and wakes workers only when
    // one waits for room: with as many cores as workers, a wake-up per record took a core from them.
    const size_t window = 64 * jobs;
    const size_t handoff = 16;
    std::mutex m;
    std::condition_variable ready, space;
    std::deque<std::optional<record_result>> slots; // slots[i] is result number first + i
    size_t first = 0, next = 0;
    unsigned waiting = 0; // workers waiting for room in the window
    bool stop = false;
    std::exception_ptr failure;
    auto front_ready = [&] { // results ready at the front, up to handoff; m held
        size_t k = 0;
        while (k < handoff && k < slots.size() && slots[k].has_value()) ++k;
        return k;
    };
    auto worth_waking = [&] { // m held
        const size_t k = front_ready();
        return k == handoff || (k > 0 && next >= files.size());
    };
    auto worker = [&] {
        try {
            validator v(plugins, schemas, shared);
            for (;;) {
                size_t i;
                {
                    std::unique_lock lock(m);
                    ++waiting;
                    space.wait(lock, [&] { return stop || next >= files.size() || next < first + window; });
                    --waiting;
                    if (stop || next >= files.size()) return;
                    i = next++;
                    if (slots.size() < i - first + 1) slots.resize(i - first + 1);
                }
                record_result r = v.check_file(files[i]);
                bool wake;
                {
                    std::lock_guard lock(m);
                    slots[i - first] = std::move(r);
                    wake = worth_waking();
                }
                if (wake) ready.notify_one();
            }
        } catch (...) {
            std::lock_guard lock(m);
            failure = std::current_exception();
            stop = true;
            ready.notify_all();
            space.notify_all();
        }
    };
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(worker);
    try {
        std::vector<record_result> batch; // the results ready at the front, taken in one go
        for (size_t done = 0; done < files.size();) {
            bool wake;
            {
                std::unique_lock lock(m);
                ready.wait(lock, [&] { return stop || worth_waking(); });
                if (stop) break;
                while (!slots.empty() && slots.front().has_value()) {
                    batch.push_back(std::move(*slots.front()));
                    slots.pop_front();
                    ++first;
                }
                wake = waiting > 0;
            }
            if (wake) space.notify_all();
            for (record_result& r : batch) sink(std::move(r));
            done += batch.size();
            batch.clear();
        }
    } catch (...) {
        {
            std::lock_guard lock(m);
            stop = true;
        }
        space.notify_all();
        for (auto& t : threads) t.join();
        throw;
    }
    for (auto& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);
}

} // namespace casedoc
