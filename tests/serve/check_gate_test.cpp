// The service's check slots, in process: a freed slot goes to the request that has waited longest.
#include "checker_pool.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using casedoc::check_gate;

TEST_CASE("check slots go to requests in the order they asked, never to a newcomer", "[serve][slots]") {
    check_gate gate(1);
    std::mutex m;
    std::vector<int> order;
    auto held = std::make_unique<check_gate::slot>(gate);
    std::vector<std::thread> waiters;
    for (int i = 0; i < 5; ++i) {
        waiters.emplace_back([&, i] {
            check_gate::slot s(gate);
            std::lock_guard lock(m);
            order.push_back(i);
        });
        while (gate.waiting() != unsigned(i + 1)) std::this_thread::yield(); // i asks before i + 1
    }
    held.reset(); // the slot passes to waiter 0, then 1, …
    {
        check_gate::slot newcomer(gate); // asks now, while the five still wait or run: it comes last
        std::lock_guard lock(m);
        order.push_back(99);
    }
    for (auto& t : waiters) t.join();
    CHECK(order == std::vector<int>{0, 1, 2, 3, 4, 99});
    CHECK(gate.waiting() == 0);
    check_gate::slot again(gate); // and the slot is free again
}
