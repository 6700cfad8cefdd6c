// Caseload audits as jobs (POST /v1/audit): an audit of thousands of records must not hold a connection for
// minutes. The uploaded records are written to the job's own directory (readable by the service's user only),
// audited on one background thread, job after job, and deleted as soon as the audit is done; its reports
// (audit.pdf, audit.json, audit.csv) are served until the job expires, `ttl` after it ended, and then deleted
// too. Nothing of a job outlives the service: its directory is emptied when it starts and when it stops.
#ifndef CASEDOC_SERVE_AUDIT_JOBS_HPP
#define CASEDOC_SERVE_AUDIT_JOBS_HPP

#include <casedoc/audit/audit.hpp>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace casedoc {

class audit_jobs {
public:
    // What a job's audit runs with: the plugins and schemas, kept alive by `keep` while the job runs.
    struct engine {
        const plugin_host* plugins = nullptr;
        const schema_catalog* schemas = nullptr;
        std::shared_ptr<const void> keep;
    };

    struct view {
        std::string id, state; // queued, running, done, failed
        uint64_t done = 0, total = 0;
        std::string error;                // failed: why
        std::vector<audit_note> problems; // done: records that could not be read or checked
        uint64_t checked = 0;
        double expires_in = 0; // seconds left, once ended
    };

    // Creates `dir` (mode 0700) if needed and deletes what an earlier run left in it. Throws casedoc::error.
    audit_jobs(std::filesystem::path dir, std::chrono::seconds ttl);
    ~audit_jobs(); // stops after the job running now and deletes every job's files
    audit_jobs(const audit_jobs&) = delete;
    audit_jobs& operator=(const audit_jobs&) = delete;

    // Queues an audit of these records (name, text) for `owner` (a token's name); returns the job's id.
    // Throws casedoc::error when the records cannot be written.
    std::string start(const std::string& owner, audit_options options, const std::vector<std::pair<std::string, std::string>>& records,
                      engine e);
    // The job, when it exists and `owner` started it.
    std::optional<view> find(const std::string& id, const std::string& owner);
    // A report file of a done job (audit.pdf, audit.json or audit.csv); nullopt when there is none.
    std::optional<std::string> report(const std::string& id, const std::string& owner, const std::string& name);
    // Deletes a job and its files now; false when there is no such job of `owner`. A running job is deleted
    // when its audit ends.
    bool remove(const std::string& id, const std::string& owner);

private:
    struct job;
    void work();
    void sweep(std::unique_lock<std::mutex>& lock); // deletes the expired jobs
    void delete_files(const std::string& id);

    const std::filesystem::path dir_;
    const std::chrono::seconds ttl_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::string, std::shared_ptr<job>> jobs_;
    std::vector<std::string> queue_;
    bool stopping_ = false;
    std::thread worker_;
};

} // namespace casedoc

#endif
