// process_credentials: runs a profile's credential_process through /bin/sh and
// reads the JSON it prints.
//
// Error messages never carry the command's arguments, its stderr or its
// output: any of them may hold a secret.
//
// posix_spawn rather than fork: the library runs in multi-threaded programs,
// where only async-signal-safe calls are allowed between fork and exec, and
// our pipes are O_CLOEXEC so children spawned concurrently by other threads
// do not inherit (and hold open) their ends.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <string_view>
#include <thread>

#include "auth/provider_util.hpp"
#include "dynamate/aws/credentials.hpp"

extern char** environ;  // NOLINT: POSIX, passed on to the child

namespace dynamate::aws {
namespace {

constexpr std::size_t kMaxOutput = 1 << 20;  // a credentials document is ~1-2 KB

struct Pipe {
  int read = -1;
  int write = -1;
  ~Pipe() {
    if (read >= 0) ::close(read);
    if (write >= 0) ::close(write);
  }
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read = fds[0];
    write = fds[1];
    return true;
  }
  void close_write() {
    ::close(write);
    write = -1;
  }
};

struct Outcome {
  std::string out;
  std::string err;  // read so the child never blocks on it; never shown
  int status = 0;   // waitpid status
  bool timed_out = false;
};

using SteadyTime = std::chrono::steady_clock::time_point;

// How long to wait for the process to be reaped once it has been sent
// SIGKILL. Only a process stuck in the kernel (uninterruptible I/O) takes
// longer; we then leave it unreaped rather than block the caller.
constexpr std::chrono::milliseconds kReapGrace{2000};

// Drains both pipes until EOF or the deadline, so neither can fill up and
// block the child.
bool drain(Pipe& out, Pipe& err, Outcome& outcome, SteadyTime deadline) {
  std::array<pollfd, 2> fds{{{out.read, POLLIN, 0}, {err.read, POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&outcome.out, &outcome.err};
  int open_count = 2;
  char buffer[8192];
  while (open_count > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return false;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const auto n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open_count;
        continue;
      }
      if (sinks[i]->size() < kMaxOutput) sinks[i]->append(buffer, static_cast<std::size_t>(n));
    }
  }
  return true;
}

// Reaps `pid` if it exits before `deadline`; false if it is still running.
// Polls with WNOHANG: a blocking waitpid has no timeout.
bool reap_until(pid_t pid, SteadyTime deadline, int& status) {
  auto pause = std::chrono::microseconds(500);
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return true;
    // ECHILD: reaped elsewhere (SIGCHLD ignored); the status is lost.
    if (done < 0 && errno != EINTR) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, std::chrono::microseconds(20000));
  }
}

Result<Outcome> run_shell(const std::string& command, std::chrono::milliseconds timeout) {
  Pipe out, err;
  if (!out.open() || !err.open()) {
    return unexpected(ErrorCode::internal, "credential_process: pipe() failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write, 1);
  posix_spawn_file_actions_adddup2(&actions, err.write, 2);
  // A process group of its own (pgid == pid), so that a timeout kills what
  // the shell started too (`cmd | jq`), not only the shell.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::string shell = "/bin/sh", flag = "-c", cmd = command;
  char* argv[] = {shell.data(), flag.data(), cmd.data(), nullptr};
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return unexpected(ErrorCode::invalid_argument, "credential_process: cannot start /bin/sh");
  }
  out.close_write();
  err.close_write();
  Outcome outcome;
  // One deadline for the output and the exit: a process that closes its
  // streams and keeps running is as late as one that keeps writing.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  if (!drain(out, err, outcome, deadline) || !reap_until(pid, deadline, outcome.status)) {
    // The group we created, by its id: while the shell is unreaped (or any
    // member of its group lives) the id cannot have been reused.
    ::kill(-pid, SIGKILL);
    outcome.timed_out = true;
    reap_until(pid, std::chrono::steady_clock::now() + kReapGrace, outcome.status);
  }
  return outcome;
}

// The program, without its arguments: they may carry secrets (`--secret x`),
// as may leading variable assignments (`TOKEN=x helper`).
std::string program_of(std::string_view command) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t pos = 0;
  while (true) {
    while (pos < command.size() && is_space(command[pos])) ++pos;
    if (pos == command.size()) return "(command not shown)";
    std::size_t end = pos;
    if (command[pos] == '\'' || command[pos] == '"') {
      end = command.find(command[pos], pos + 1);
      if (end == std::string_view::npos) return "(command not shown)";
      ++end;
    } else {
      while (end < command.size() && !is_space(command[end])) ++end;
    }
    const std::string_view word = command.substr(pos, end - pos);
    if (word.find('=') == std::string_view::npos) {
      const bool more = command.find_first_not_of(" \t\r\n", end) != std::string_view::npos;
      return "`" + std::string(word) + "`" + (more ? " (arguments not shown)" : "");
    }
    pos = end;  // an assignment: skip it, value and all
  }
}

Result<Credentials> credentials_from(const std::string& command, const Outcome& run) {
  const std::string what = "credential_process " + program_of(command);
  if (run.timed_out) return unexpected(ErrorCode::timeout, what + " did not finish in time");
  if (WIFSIGNALED(run.status)) {
    return unexpected(ErrorCode::access_denied,
                      what + " was killed by signal " + std::to_string(WTERMSIG(run.status)));
  }
  const int code = WEXITSTATUS(run.status);
  if (code != 0) {
    // 127 is the shell's "command not found": a configuration mistake. The
    // process's stderr is not quoted: a helper may print what it was given.
    const ErrorCode kind = code == 127 ? ErrorCode::invalid_argument : ErrorCode::access_denied;
    return unexpected(kind, what + " exited with status " + std::to_string(code) +
                                " (stderr not shown; run the command by hand to see it)");
  }
  auto creds = detail::parse_credentials_json(run.out, "SessionToken", what + " output", true);
  if (!creds) return creds;
  creds->provider = "process";
  return creds;
}

class ProcessProvider final : public CredentialsProvider {
 public:
  ProcessProvider(std::string command, std::chrono::milliseconds timeout)
      : command_(std::move(command)), timeout_(timeout) {}

  Result<Credentials> get() override {
    std::lock_guard lock(mu_);  // one process at a time
    auto run = run_shell(command_, timeout_);
    if (!run) return unexpected(std::move(run).error());
    return credentials_from(command_, *run);
  }

 private:
  const std::string command_;
  const std::chrono::milliseconds timeout_;
  std::mutex mu_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> process_credentials(std::string command,
                                                         ProcessOptions options) {
  auto raw = std::make_shared<ProcessProvider>(std::move(command), options.timeout);
  return caching_credentials(std::move(raw), options.clock, options.caching);
}

}  // namespace dynamate::aws
