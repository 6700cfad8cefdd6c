// Who checks records now. Checking is all CPU, so the service checks at most `slots` records at once (one per
// core by default) and a request beyond that waits its turn: the number waiting is the queue depth of
// /metrics. The validators are kept between requests, sharing their set's compiled schemas (compiled once, when
// the set is loaded), so that a request compiles nothing; there are never more of them than slots.
#ifndef CASEDOC_SERVE_CHECKER_POOL_HPP
#define CASEDOC_SERVE_CHECKER_POOL_HPP

#include <casedoc/check/validator.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace casedoc {

// The service's slots for checking. A slot is held from its construction to its destruction. Requests get
// slots in the order they asked: a freed slot is handed to the longest waiter, never taken by a newcomer, so
// no request waits behind later ones (the latency's tail under load).
class check_gate {
public:
    explicit check_gate(unsigned slots) : free_(slots) {}
    unsigned waiting() const { return waiting_; }

    class slot {
    public:
        explicit slot(check_gate& gate);
        ~slot();
        slot(const slot&) = delete;
        slot& operator=(const slot&) = delete;

    private:
        check_gate& gate_;
    };

private:
    struct waiter {
        std::condition_variable handed;
        bool has_slot = false;
    };
    std::mutex mutex_;
    std::deque<waiter*> queue_; // oldest first
    unsigned free_;
    std::atomic<unsigned> waiting_{0};
};

// The idle validators of one set of plugins and schemas, made by `make` when none is idle.
class validator_pool {
public:
    explicit validator_pool(std::function<std::unique_ptr<validator>()> make) : make_(std::move(make)) {}

    // A validator for one caller, given back to the pool when the lease ends.
    class lease {
    public:
        lease(validator_pool& pool, std::unique_ptr<validator> v) : pool_(pool), v_(std::move(v)) {}
        ~lease() { pool_.give_back(std::move(v_)); }
        lease(const lease&) = delete;
        lease& operator=(const lease&) = delete;
        validator& operator*() const { return *v_; }
        validator* operator->() const { return v_.get(); }

    private:
        validator_pool& pool_;
        std::unique_ptr<validator> v_;
    };

    lease take();
    void give_back(std::unique_ptr<validator> v); // also: one made elsewhere, to be used first

private:
    std::function<std::unique_ptr<validator>()> make_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<validator>> idle_;
};

} // namespace casedoc

#endif
