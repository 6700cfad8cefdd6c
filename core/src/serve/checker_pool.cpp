#include "checker_pool.hpp"

namespace casedoc {

check_gate::slot::slot(check_gate& gate) : gate_(gate) {
    std::unique_lock lock(gate_.mutex_);
    if (gate_.free_ == 0) {
        ++gate_.waiting_;
        gate_.freed_.wait(lock, [this] { return gate_.free_ > 0; });
        --gate_.waiting_;
    }
    --gate_.free_;
}

check_gate::slot::~slot() {
    {
        std::lock_guard lock(gate_.mutex_);
        ++gate_.free_;
    }
    gate_.freed_.notify_one();
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
