// large_e2e stream: the memory of one large value streamed through
// Table<T>: LargeBytes::from_file of a sparse file of --size bytes, save()
// (multipart upload of file windows), then get() + download_to_file().
// Prints the time, the client CPU, the API calls and the peak RSS of each
// step (VmHWM, reset between the steps through /proc/self/clear_refs) and
// the process's ru_maxrss at the end.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "dynamate/table.hpp"
#include "e2e_common.hpp"

namespace dynamate::bench {
namespace {

long status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(in, line)) {
    if (line.starts_with(prefix)) return std::stol(line.substr(prefix.size()));
  }
  return -1;
}

// Resets VmHWM to the current RSS (Linux >= 4.0); false when not allowed.
bool reset_peak() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

double mib(long kib) { return static_cast<double>(kib) / 1024.0; }

std::string summarize(const std::vector<CallRecord>& records) {
  std::map<std::string, int> calls;
  for (const auto& r : records) ++calls[r.service + " " + r.call];
  std::string out;
  for (const auto& [name, n] : calls) {
    if (!out.empty()) out += ", ";
    out += std::to_string(n) + " " + name;
  }
  return out;
}

struct Step {
  double seconds = 0;
  double cpu_s = 0;
  long peak_kib = 0;
  std::string calls;
  std::string path;  // the sequential phases
  std::size_t phase_count = 0;
};

template <class Fn>
Result<Step> step(Clients& c, Fn&& fn) {
  Step s;
  static_cast<void>(c.counter->take());
  const bool reset = reset_peak();
  const CpuTimes cpu = self_cpu();
  const auto t0 = Clock::now();
  if (auto r = fn(); !r) return unexpected(std::move(r).error());
  s.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  s.cpu_s = self_cpu().total() - cpu.total();
  s.peak_kib = reset ? status_kib("VmHWM") : -1;
  auto records = c.counter->take();
  s.calls = summarize(records);
  auto ps = phases(std::move(records));
  s.phase_count = ps.size();
  s.path = describe(ps);
  return s;
}

}  // namespace

int run_stream(const Options& o) {
  Clients c = make_clients(o);
  const std::string suffix = std::to_string(::getpid());
  const std::string bucket = "bench-stream-" + suffix;
  const std::string in = o.dir + "/large_e2e-" + suffix + ".in";
  const std::string out = o.dir + "/large_e2e-" + suffix + ".out";
  auto fail = [&](const char* what, const Error& e) {
    std::fprintf(stderr, "large_e2e stream: %s: %s\n", what, e.to_string().c_str());
    std::error_code ec;
    std::filesystem::remove(in, ec);
    std::filesystem::remove(out, ec);
    return 1;
  };
  if (auto r = c.s3.create_bucket(bucket); !r) return fail("create_bucket", r.error());
  Table<BenchBlob> blobs(c.ddb, {.table_name = bucket,
                                 .consistent_read = true,
                                 .large = {.s3 = c.s3, .bucket = bucket, .prefix = "blobs/"}});
  if (auto r = blobs.create_table(); !r) return fail("create_table", r.error());
  {
    std::ofstream(in, std::ios::binary | std::ios::trunc).flush();
    std::filesystem::resize_file(in, o.size);  // sparse: zeros, no disk blocks
  }
  const long baseline = status_kib("VmRSS");

  BenchBlob blob{.id = "blob"};
  blob.data = LargeBytes::from_file(in);
  auto save = step(c, [&] { return blobs.save(blob); });
  if (!save) return fail("save", save.error());
  auto read = step(c, [&]() -> Result<void> {
    auto got = blobs.get("blob");
    if (!got) return unexpected(std::move(got).error());
    return got->data.download_to_file(out);
  });
  if (!read) return fail("get + download_to_file", read.error());
  const std::uint64_t got_size = std::filesystem::file_size(out);
  const long max_rss = max_rss_kib();

  static_cast<void>(blobs.remove(blob));
  static_cast<void>(blobs.delete_table());
  static_cast<void>(c.s3.delete_bucket(bucket));
  std::error_code ec;
  std::filesystem::remove(in, ec);
  std::filesystem::remove(out, ec);
  if (got_size != o.size) {
    std::fprintf(stderr, "large_e2e stream: downloaded %llu bytes, expected %llu\n",
                 static_cast<unsigned long long>(got_size),
                 static_cast<unsigned long long>(o.size));
    return 1;
  }

  const double size_mb = static_cast<double>(o.size) / 1e6;
  std::printf(
      "| %s, %.0f MiB | %.1f s (%.0f MB/s), CPU %.1f s | %.1f | %.1f s (%.0f MB/s), CPU %.1f s | "
      "%.1f | %.1f | %.1f |\n",
      o.label.c_str(), static_cast<double>(o.size) / (1 << 20), save->seconds,
      size_mb / save->seconds, save->cpu_s, mib(save->peak_kib), read->seconds,
      size_mb / read->seconds, read->cpu_s, mib(read->peak_kib), mib(max_rss), mib(baseline));
  std::printf("  calls: save: %s (%zu phases); read: %s (%s)\n", save->calls.c_str(),
              save->phase_count, read->calls.c_str(), read->path.c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace dynamate::bench
