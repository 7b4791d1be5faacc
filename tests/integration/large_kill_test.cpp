// Crashes in the middle of the large-attribute protocol: a child process
// (tests/support/large_writer_main.cpp) saves, updates and removes items with
// large fields in a loop, and is SIGKILLed at random points (between and
// inside uploads, the DynamoDB write and the clean-up). After each kill no
// item references a missing object; at the end a GC leaves no orphan.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "dynamate/large_gc.hpp"
#include "support/large_invariant.hpp"
#include "support/local_aws.hpp"

extern char** environ;

namespace dynamate::test {
namespace {

using namespace std::chrono_literals;

// The large attributes of large_writer's model.
const std::vector<std::string> kAttributes = {"body", "blob", "tag"};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Child {
  pid_t pid = -1;
  int out = -1;     // its stdout (a pipe)
  std::string err;  // a file with its stderr
};

// Starts large_writer with `args`; its stdout comes through a pipe, its
// stderr goes to a file.
Child spawn(const std::vector<std::string>& args, const std::string& dir, int round) {
  Child c;
  c.err = dir + "/err-" + std::to_string(round);
  int fds[2];
  if (pipe(fds) != 0) return c;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  posix_spawn_file_actions_addopen(&actions, 2, c.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> all = {DYNAMATE_LARGE_WRITER};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (posix_spawn(&c.pid, DYNAMATE_LARGE_WRITER, &actions, nullptr, argv.data(), environ) != 0) {
    c.pid = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  c.out = fds[0];
  return c;
}

// Reads the child's stdout up to the next newline (or everything, until it
// closes, when `line` is false). Blocks on the pipe: no polling.
std::string read_out(int fd, bool line) {
  std::string out;
  char ch = 0;
  for (;;) {
    const ssize_t n = read(fd, &ch, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.push_back(ch);
    if (line && ch == '\n') break;
  }
  return out;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

class LargeKill : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = s3_.create_bucket(bucket_);
    ASSERT_TRUE(made) << made.error().to_string();
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    static_cast<void>(ddb_.delete_table(table_));
    auto all = s3_.list_all_objects(bucket_);
    if (all) {
      for (const auto& o : all->objects) static_cast<void>(s3_.delete_object(bucket_, o.key));
    }
    static_cast<void>(s3_.delete_bucket(bucket_));
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  Result<LargeInvariantReport> check() {
    return check_large_invariant(ddb_, table_, {LargeScope{s3_, bucket_, prefix_, kAttributes}});
  }

  aws::DynamoDbClient ddb_ = aws::DynamoDbClient::create(dynamodb_config()).value();
  aws::S3Client s3_ = aws::S3Client::create(s3_config()).value();
  std::string bucket_ = unique_name("large-kill");
  std::string table_ = unique_name("large-kill");
  std::string prefix_ = "kill/";
  std::string dir_ = (std::filesystem::temp_directory_path() / unique_name("large-kill")).string();
};

TEST_F(LargeKill, KilledWritersLeaveNoDanglingReference) {
  Child setup = spawn({"setup", table_}, dir_, 0);
  ASSERT_GT(setup.pid, 0) << "cannot start " << DYNAMATE_LARGE_WRITER;
  static_cast<void>(read_out(setup.out, false));
  close(setup.out);
  const int setup_status = wait_for(setup.pid);
  ASSERT_TRUE(WIFEXITED(setup_status) && WEXITSTATUS(setup_status) == 0) << read_file(setup.err);

  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> delay_ms(50, 500);
  constexpr int kRounds = 12;
  std::size_t ops = 0;
  bool saw_orphans = false;
  for (int round = 1; round <= kRounds; ++round) {
    const auto seed = std::to_string(rng());
    Child c = spawn({"run", table_, bucket_, prefix_, seed}, dir_, round);
    ASSERT_GT(c.pid, 0);
    // Once it has started (its first line), a random point of its loop.
    const bool started = read_out(c.out, true) == "start\n";
    if (started) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    kill(c.pid, SIGKILL);
    const int status = wait_for(c.pid);
    const std::string out = read_out(c.out, false);
    close(c.out);
    ASSERT_TRUE(started && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the writer ended by itself (round " << round << ", seed " << seed
        << "): " << read_file(c.err);
    ops += static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n'));

    auto r = check();
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_TRUE(r->no_dangling()) << "round " << round << ", seed " << seed << ": "
                                  << r->describe();
    saw_orphans = saw_orphans || !r->orphans.empty();
  }
  EXPECT_GT(ops, 0u) << "the writer never finished an operation";
  std::printf("%zu operations in %d rounds; orphans left by kills: %s\n", ops, kRounds,
              saw_orphans ? "yes" : "no");

  // No writer runs any more: a GC without grace leaves exactly the objects
  // items reference.
  std::this_thread::sleep_for(1100ms);  // moto's LastModified has a 1 s resolution
  auto gc =
      gc_large_objects(ddb_, table_, {GcTarget{s3_, bucket_, prefix_, kAttributes}}, {.grace = 0s});
  ASSERT_TRUE(gc) << gc.error().to_string();
  EXPECT_TRUE(gc->failures.empty());
  auto r = check();
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->no_dangling()) << r->describe();
  EXPECT_TRUE(r->orphans.empty()) << r->describe();
  EXPECT_EQ(r->objects.size(), r->referenced.size()) << r->describe();
}

}  // namespace
}  // namespace dynamate::test
