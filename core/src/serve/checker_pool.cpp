#include "checker_pool.hpp"

namespace casedoc {

check_gate::slot::slot(check_gate& gate) : gate_(gate) {
    std::unique_lock lock(gate_.mutex_);
    if (gate_.free_ > 0 && gate_.queue_.empty()) {
        --gate_.free_;
        return;
    }
    waiter me;
    gate_.queue_.push_back(&me);
    ++gate_.waiting_;
    me.handed.wait(lock, [&me] { return me.has_slot; });
    --gate_.waiting_;
}

check_gate::slot::~slot() {
    std::lock_guard lock(gate_.mutex_);
    if (gate_.queue_.empty()) {
        ++gate_.free_;
        return;
    }
    waiter* next = gate_.queue_.front(); // the slot passes to the longest waiter
    gate_.queue_.pop_front();
    next->has_slot = true;
    next->handed.notify_one(); // under the lock: `next` lives on its thread's stack until it has seen has_slot
}

validator_pool::lease validator_pool::take() {
    std::unique_ptr<validator> v;
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            v = std::move(idle_.back());
            idle_.pop_back();
        }
    }
    if (!v) v = make_(); // compiles outside the lock: another caller may take or give back meanwhile
    return lease(*this, std::move(v));
}

void validator_pool::give_back(std::unique_ptr<validator> v) {
    if (!v) return;
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(v));
}

} // namespace casedoc
