// A full disk under every command that writes files (issue 23): a small tmpfs is mounted for the test (as
// root; skipped, saying so, where mounting is not allowed), outputs of an earlier run are put on it, and the
// rest of it is filled. Each command must then exit 2 naming the file it could not write and why, leave
// the earlier outputs as they were and nothing half-written or temporary beside them; with room again, the
// same command completes.
#include "fault_support.hpp"

#include <sys/mount.h>

#include <cstring>
#include <fstream>

using namespace casedoc_fault;

namespace {

// A tmpfs of `size` mounted on a fresh directory `where` (in a scratch directory of the test's, removed when the
// test is skipped) for the life of the object.
struct small_disk {
    fs::path dir;
    explicit small_disk(const fs::path& where, const char* size) : dir(where) {
        fs::create_directories(dir);
        const std::string options = std::string("size=") + size + ",mode=0755";
        if (::mount("casedoc-faults", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
            const std::string why = std::strerror(errno);
            fs::remove_all(dir.parent_path());
            skip("a full disk needs a tmpfs mounted for the test, and mount(2) said: " + why +
                 " (run the fault tests as root, or in a container allowed to mount)");
        }
    }
    ~small_disk() { ::umount2(dir.c_str(), MNT_DETACH); }
    small_disk(const small_disk&) = delete;
    small_disk& operator=(const small_disk&) = delete;

    // Fills every byte left, in a file of its own.
    void fill() const {
        const int fd = ::open((dir / "filler").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        REQUIRE(fd >= 0);
        std::string chunk(65536, 'x');
        for (size_t size = chunk.size(); size > 0; size /= 2)
            while (::write(fd, chunk.data(), size) == static_cast<ssize_t>(size)) {
            }
        ::close(fd);
    }
    void make_room() const { fs::remove(dir / "filler"); }
};

struct writer {
    std::string name;
    std::vector<std::string> args;
    fs::path out;                       // the directory it writes into
    std::vector<std::string> earlier;   // outputs of an earlier run, already there (relative to out)
    std::string named;                  // the file the error must name
    int status_with_room;
};

std::string caseload(const std::string& id) { return source("plugins/" + id + "/samples/caseload"); }

} // namespace

TEST_CASE("on a full disk every command that writes exits 2 naming the file, and loses nothing", "[faults][disk]") {
    temp_dir t;
    const small_disk disk(t.path / "disk", "4m");
    const fs::path d = disk.dir;
    const std::string period = "2025-07-01..2025-12-31";
    // The partial results merged below, written where there is room.
    const std::vector<std::string> shard = {"audit", caseload("child_welfare"), "--period", period, "--shard"};
    for (const char* k : {"1", "2"}) {
        std::vector<std::string> args = shard;
        args.insert(args.end(), {std::string(k) + "/2", "--partial", (t.path / ("part-" + std::string(k) + ".json")).string()});
        REQUIRE(run(args, t.path).status == 0);
    }
    const std::vector<writer> writers = {
        {"render", {"render", caseload("child_welfare"), "--draft", "-o", (d / "render").string() + "/"}, d / "render",
         {"cw-2025-0101.pdf"}, (d / "render" / "cw-2025-0101.pdf").string(), 1},
        {"audit", {"audit", caseload("child_welfare"), "--period", period, "-o", (d / "audit").string()}, d / "audit",
         {"audit.json", "audit.csv", "audit.pdf"}, (d / "audit" / "audit.json").string(), 0},
        {"audit --partial",
         {"audit", caseload("child_welfare"), "--period", period, "--shard", "1/2", "--partial", (d / "partial" / "part.json").string()},
         d / "partial", {"part.json"}, (d / "partial" / "part.json").string(), 0},
        {"audit merge",
         {"audit", "merge", (t.path / "part-1.json").string(), (t.path / "part-2.json").string(), "-o", (d / "merged").string()},
         d / "merged", {"audit.json", "audit.csv", "audit.pdf"}, (d / "merged" / "audit.json").string(), 0},
        {"export", {"export", "vocational:rsa911", caseload("vocational"), "-o", (d / "export" / "rsa911.csv").string()},
         d / "export", {"rsa911.csv"}, (d / "export" / "rsa911.csv").string(), 0},
        {"validate --out", {"validate", "--format", "svrl", "--out", (d / "svrl").string(), caseload("child_welfare")},
         d / "svrl", {"cw-2025-0101.svrl"}, (d / "svrl" / "cw-2025-0101.svrl").string(), 1},
        {"serve token add",
         {"serve", "token", "add", "intake", "--settings", "child_welfare", "--scopes", "validate", "--tokens",
          (d / "tokens" / "tokens.json").string()},
         d / "tokens", {}, (d / "tokens" / "tokens.json").string(), 0},
        {"plugin new", {"plugin", "new", "housing", "-o", (d / "scaffold" / "casedoc-housing").string()}, d / "scaffold", {},
         (d / "scaffold" / "casedoc-housing").string(), 0},
    };
    for (const writer& w : writers) {
        fs::create_directories(w.out);
        for (const std::string& e : w.earlier) std::ofstream(w.out / e) << "earlier, complete " << e << '\n';
    }
    disk.fill();
    for (const writer& w : writers) {
        INFO(w.name);
        const auto before = files_under(w.out);
        const finished f = run(w.args, t.path);
        INFO(f.err);
        CHECK(f.status == 2);
        CHECK_THAT(f.err, Catch::Contains(w.named) && Catch::Contains("No space left on device"));
        CHECK(files_under(w.out) == before); // earlier outputs untouched; nothing half-written, no temporary
        if (w.earlier.empty()) CHECK(fs::is_empty(w.out));
    }
    disk.make_room();
    for (const writer& w : writers) {
        INFO(w.name);
        const finished f = run(w.args, t.path);
        INFO(f.err);
        CHECK(f.status == w.status_with_room);
        for (const auto& [file, bytes] : files_under(w.out)) {
            INFO(file);
            CHECK_FALSE(is_temporary(file));
            CHECK(bytes.rfind("earlier, complete", 0) == std::string::npos); // replaced by the new, whole output
        }
    }
}
