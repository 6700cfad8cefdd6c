// base/atomic_file: a file appears whole or not at all, and the temporary a killed writer leaves is taken
// over by the next writer of the same file, while a live writer's is waited for.
#include <casedoc/base/atomic_file.hpp>
#include <casedoc/base/error.hpp>

#include <catch2/catch.hpp>

#include "test_support.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
using casedoc::atomic_file;
using namespace casedoc_test;

TEST_CASE("an atomic file replaces its target on commit and leaves it as it was otherwise", "[base][atomic_file]") {
    temp_dir t;
    const fs::path target = t.path / "out.txt";
    std::ofstream(target) << "before";
    {
        atomic_file f(target);
        f.stream() << "half";
        CHECK(read_file(target) == "before");
        CHECK(fs::exists(atomic_file::temporary_for(target)));
    } // no commit: an error happened
    CHECK(read_file(target) == "before");
    CHECK_FALSE(fs::exists(atomic_file::temporary_for(target)));
    {
        atomic_file f(target);
        f.stream() << std::string(200000, 'x'); // more than its buffer
        f.commit();
    }
    CHECK(read_file(target) == std::string(200000, 'x'));
    CHECK_FALSE(fs::exists(atomic_file::temporary_for(target)));
}

TEST_CASE("an atomic file takes over the temporary that a killed writer left", "[base][atomic_file]") {
    temp_dir t;
    const fs::path target = t.path / "out.txt";
    std::ofstream(atomic_file::temporary_for(target)) << "left by a writer killed half way, longer than what follows";
    atomic_file f(target);
    f.stream() << "whole";
    f.commit();
    CHECK(read_file(target) == "whole");
    CHECK(std::distance(fs::directory_iterator(t.path), fs::directory_iterator()) == 1); // no temporary left
}

TEST_CASE("an atomic file waits for a live writer of the same target", "[base][atomic_file]") {
    temp_dir t;
    const fs::path target = t.path / "out.txt";
    const int held = ::open(atomic_file::temporary_for(target).c_str(), O_WRONLY | O_CREAT, 0644);
    REQUIRE(held >= 0);
    REQUIRE(::flock(held, LOCK_EX) == 0); // another writer, alive
    std::atomic<bool> done{false};
    std::thread second([&] {
        atomic_file f(target);
        f.stream() << "second";
        f.commit();
        done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK_FALSE(done);
    ::unlink(atomic_file::temporary_for(target).c_str()); // the live writer gives up, as its destructor does
    ::close(held);
    second.join();
    CHECK(read_file(target) == "second");
    CHECK_FALSE(fs::exists(atomic_file::temporary_for(target)));
}

TEST_CASE("an atomic file names its target when it cannot be written", "[base][atomic_file]") {
    temp_dir t;
    const fs::path target = t.path / "no-such-dir" / "out.txt";
    CHECK_THROWS_WITH(atomic_file(target), Catch::Contains(target.string()) && Catch::Contains("no such directory"));
}
