// Measuring helpers for the end-to-end benchmarks (large_e2e.cpp):
// - CountingTransport, an http::Transport decorator that records every
//   request (service, API call, start and end time) so that a benchmark can
//   count API calls per operation and derive the round trips on its critical
//   path;
// - phases(): the sequential phases of one operation (requests that overlap
//   in time run in parallel and make one phase);
// - process CPU and RSS readings (getrusage, /proc/<pid>/stat).
// Thread-safe: send() may run on several threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dynamate/aws/http.hpp"

namespace dynamate::bench {

using Clock = std::chrono::steady_clock;

struct CallRecord {
  std::string service;  // "S3" or "DDB" (by endpoint), else "other"
  std::string call;     // PutObject, GetItem, ...; "[503]" or "[error]" appended when not 2xx
  Clock::time_point start;
  Clock::time_point end;
};

class CountingTransport final : public http::Transport {
 public:
  CountingTransport(std::shared_ptr<http::Transport> inner, std::string s3_endpoint,
                    std::string ddb_endpoint);
  Result<http::Response> send(const http::Request& request,
                              const http::SendOptions& options) override;
  // The requests recorded since the last take(), in order of completion.
  std::vector<CallRecord> take();

 private:
  std::shared_ptr<http::Transport> inner_;
  std::string s3_;
  std::string ddb_;
  std::mutex mu_;
  std::vector<CallRecord> records_;
};

// One phase: requests that ran (at least partly) at the same time.
struct Phase {
  std::map<std::string, int> calls;  // "S3 PutObject" -> count
};
// Groups the requests of one operation into sequential phases: sorted by
// start, a request that starts before every request of the current phase
// has ended joins it; otherwise it opens the next phase.
std::vector<Phase> phases(std::vector<CallRecord> records);
// "2 S3 PutObject -> DDB PutItem -> 2 S3 DeleteObject".
std::string describe(const std::vector<Phase>& phases);

struct CpuTimes {
  double user_s = 0;
  double system_s = 0;
  double total() const { return user_s + system_s; }
};
CpuTimes self_cpu();
// utime + stime of another process (all its threads), from /proc/<pid>/stat;
// 0 when it cannot be read.
double process_cpu_seconds(int pid);
// ru_maxrss of this process, in KiB.
long max_rss_kib();
// VmRSS now, in KiB (from /proc/self/status).
long current_rss_kib();

}  // namespace dynamate::bench
