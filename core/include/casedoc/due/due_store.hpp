// The items of a due list, kept in their order (worker, overdue first, due date, record id, rule id, line) with
// memory that does not grow with the caseload: items are gathered in a buffer; a full buffer is sorted and written
// as a run to a temporary file that has no name (O_TMPFILE in TMPDIR, or unlinked at once), so that no client
// data is left on disk even when the process is killed; reading merges the runs. A due list of a million records
// holds one buffer and one item per run.
#ifndef CASEDOC_DUE_DUE_STORE_HPP
#define CASEDOC_DUE_DUE_STORE_HPP

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace casedoc {

enum class due_status { overdue, due, upcoming };

struct due_item {
    std::string record_id, client_id, worker, office, setting, rule_id, title, citation;
    std::string due;       // YYYY-MM-DD, or YYYY-MM-DDThh:mm for an hour rule (Z: counted in UTC)
    int64_t days_left = 0; // due day minus the as-of day; negative when overdue
    due_status status = due_status::due;
    std::string anchor;    // what the due date is counted from: "removal 2024-01-10", "month 2025-12"
    std::string extension; // the agreed extension applied, or empty
    std::string file;
    unsigned line = 0;
    int64_t order = 0; // the due point in minutes, for sorting
};

// The order of a due list: by worker, then overdue first, then due point, record id, rule id, line and file.
bool due_item_before(const due_item& a, const due_item& b);

class due_store {
public:
    // `run_items`: how many items are held before a sorted run goes to the temporary file.
    explicit due_store(size_t run_items = 8192);
    due_store(due_store&&) noexcept;
    due_store& operator=(due_store&&) noexcept;
    due_store(const due_store&) = delete;
    due_store& operator=(const due_store&) = delete;
    ~due_store();

    // Throws casedoc::error naming the temporary directory when a run cannot be written (a full disk).
    void add(due_item item);
    // Sorts what is held; call once, after the last add.
    void finish();
    // Every item in order (after finish). Reads the runs back; throws casedoc::error when that fails.
    void for_each(const std::function<void(const due_item&)>& visit) const;

    uint64_t size() const noexcept { return count_; }
    bool empty() const noexcept { return count_ == 0; }
    // Sorted runs written to the temporary file (0 while everything fits in memory).
    size_t runs() const noexcept { return runs_.size(); }

private:
    struct run {
        uint64_t offset, bytes;
    };
    void spill();

    size_t run_items_;
    std::vector<due_item> held_;
    std::vector<run> runs_;
    int fd_ = -1;
    uint64_t file_size_ = 0;
    uint64_t count_ = 0;
};

} // namespace casedoc

#endif
