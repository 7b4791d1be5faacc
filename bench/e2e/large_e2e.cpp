// large_e2e: end-to-end benchmark of large attributes (include/dynamate/large.hpp)
// against real local servers; scripts/bench-large.sh starts them and runs it.
//
//   large_e2e crud --ddb URL --s3 URL [--label L] [--items N] [--warmup N] [--gzip]
//                  [--s3-key K --s3-secret S] [--s3-pid PID] [--ddb-pid PID]
//                  [--proxy-delays S3MS,DDBMS]
//   large_e2e stream --ddb URL --s3 URL --size BYTES --dir DIR [...]
//
// crud (this file): items with two large fields (100 KiB text, 200 KiB
// binary; per-item layout; --gzip compresses the text) are created, read
// (eager: both fields fetched in parallel; lazy: each field loaded in turn;
// streamed: download_to of each field), updated (both fields changed) and
// removed through Table<T>. For each operation it prints
// ops/s, latency, client CPU per op (getrusage), API calls per op (counted by
// a decorator on the transport), the sequential phases of each operation
// (requests that overlap in time make one phase: the round trips on the
// critical path), and the servers' CPU per request (/proc/<pid>/stat).
//
// stream: large_stream.cpp. The command line: main.cpp.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "dynamate/table.hpp"
#include "e2e_common.hpp"

namespace dynamate::bench {

namespace {

constexpr std::size_t kTextSize = 100 * 1024;
constexpr std::size_t kBinarySize = 200 * 1024;

std::uint64_t next_random(std::uint64_t& s) {  // xorshift64
  s ^= s << 13;
  s ^= s >> 7;
  s ^= s << 17;
  return s;
}

// HTML-like text: compresses about as well as a real page under gzip.
std::string make_text(std::size_t n, std::uint64_t seed) {
  static const char* const kWords[] = {"<p>",
                                       "</p>",
                                       "<div class=\"item\">",
                                       "</div>",
                                       "<a href=\"/page/",
                                       "\">",
                                       "</a>",
                                       "the",
                                       "crawler",
                                       "stores",
                                       "pages",
                                       "and",
                                       "images",
                                       "in",
                                       "S3",
                                       "while",
                                       "DynamoDB",
                                       "keeps",
                                       "their",
                                       "keys;",
                                       "python",
                                       "C++",
                                       "object",
                                       "mapper",
                                       "large",
                                       "value",
                                       "<span>",
                                       "</span>"};
  std::string s;
  s.reserve(n + 64);
  std::uint64_t r = seed * 0x9E3779B97F4A7C15ull + 1;
  while (s.size() < n) {
    const std::uint64_t x = next_random(r);
    if (x % 7 == 0) {
      s += std::to_string(x % 100000);
    } else {
      s += kWords[x % std::size(kWords)];
    }
    s += (x % 13 == 0) ? '\n' : ' ';
  }
  s.resize(n);
  return s;
}

std::string make_binary(std::size_t n, std::uint64_t seed) {  // incompressible, like a JPEG
  std::string s(n, '\0');
  std::uint64_t r = seed * 0xD1B54A32D192ED03ull + 7;
  for (std::size_t i = 0; i < n; i += 8) {
    const std::uint64_t x = next_random(r);
    for (std::size_t b = 0; b < 8 && i + b < n; ++b) {
      s[i + b] = static_cast<char>((x >> (8 * b)) & 0xff);
    }
  }
  return s;
}

class CountingSink final : public http::BodySink {
 public:
  Result<void> write(std::string_view chunk) override {
    bytes += chunk.size();
    return {};
  }
  Result<void> reset() override {
    bytes = 0;
    return {};
  }
  std::size_t bytes = 0;
};

// What the created items take in S3 (read outside the timed loop).
std::string stored_per_item(Clients& c, const std::string& bucket, int items) {
  auto all = c.s3.list_all_objects(bucket, {.prefix = "pages/page-"});
  static_cast<void>(c.counter->take());
  if (!all) return "(list failed: " + all.error().to_string() + ")";
  std::uint64_t total = 0;
  for (const auto& obj : all->objects) total += obj.size;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%zu objects, %.1f KiB per item (values: %.1f KiB)",
                all->objects.size(), static_cast<double>(total) / 1024.0 / items,
                static_cast<double>(kTextSize + kBinarySize) / 1024.0);
  return buf;
}

struct OpResult {
  std::string name;
  int ops = 0;
  double wall_s = 0;
  std::vector<double> latency_ms;
  double client_cpu_s = 0;
  double client_user_s = 0;
  double client_sys_s = 0;
  double delay_total_ms = 0;          // the proxies' delays on the critical path, summed over ops
  std::map<std::string, int> calls;   // "S3 PutObject" -> total
  std::map<std::string, int> shapes;  // phase description -> ops with it
  int phase_total = 0;
  int s3_requests = 0;
  int ddb_requests = 0;
  double s3_server_s = 0;
  double ddb_server_s = 0;
};

template <class Fn>
OpResult measure(const std::string& name, int n, Clients& c, const Options& o, Fn&& fn) {
  OpResult r;
  r.name = name;
  r.ops = n;
  static_cast<void>(c.counter->take());
  const double s3_before = process_cpu_seconds(o.s3_pid);
  const double ddb_before = process_cpu_seconds(o.ddb_pid);
  const CpuTimes cpu_before = self_cpu();
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    Result<void> done = fn(i);
    const auto t1 = Clock::now();
    if (!done) {
      std::fprintf(stderr, "large_e2e: %s #%d failed: %s\n", name.c_str(), i,
                   done.error().to_string().c_str());
      std::exit(1);
    }
    r.latency_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    auto records = c.counter->take();
    for (const auto& rec : records) {
      ++r.calls[rec.service + " " + rec.call];
      if (rec.service == "S3") ++r.s3_requests;
      if (rec.service == "DDB") ++r.ddb_requests;
    }
    auto ps = phases(std::move(records));
    r.phase_total += static_cast<int>(ps.size());
    for (const auto& phase : ps) {  // a phase waits for its slowest request
      int delay = 0;
      for (const auto& [call, count] : phase.calls) {
        delay = std::max(delay, call.starts_with("S3 ")    ? o.s3_delay_ms
                                : call.starts_with("DDB ") ? o.ddb_delay_ms
                                                           : 0);
      }
      r.delay_total_ms += delay;
    }
    ++r.shapes[describe(ps)];
  }
  r.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  const CpuTimes cpu_after = self_cpu();
  r.client_cpu_s = cpu_after.total() - cpu_before.total();
  r.client_user_s = cpu_after.user_s - cpu_before.user_s;
  r.client_sys_s = cpu_after.system_s - cpu_before.system_s;
  r.s3_server_s = process_cpu_seconds(o.s3_pid) - s3_before;
  r.ddb_server_s = process_cpu_seconds(o.ddb_pid) - ddb_before;
  return r;
}

std::string per_request_ms(double seconds, int requests, int pid) {
  if (pid <= 0 || requests == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", seconds * 1000.0 / requests);
  return buf;
}

void print(const std::vector<OpResult>& results, const Options& o) {
  std::printf("\n#### %s\n\n", o.label.c_str());
  std::printf(
      "| operation | ops/s | latency ms (mean / p50 / p95) | client CPU ms/op (user + sys) | "
      "API calls/op | round trips (phases) | proxy delay on the critical path ms | "
      "S3 server CPU ms/req | DDB server CPU ms/req |\n");
  std::printf("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
  for (const auto& r : results) {
    auto lat = r.latency_ms;
    std::sort(lat.begin(), lat.end());
    const double mean = std::accumulate(lat.begin(), lat.end(), 0.0) / static_cast<double>(r.ops);
    auto pct = [&](double p) {
      return lat[std::min(lat.size() - 1,
                          static_cast<std::size_t>(p * static_cast<double>(lat.size())))];
    };
    const double n = r.ops;
    char delay[32] = "-";
    if (o.s3_delay_ms > 0 || o.ddb_delay_ms > 0) {
      std::snprintf(delay, sizeof delay, "%.1f", r.delay_total_ms / n);
    }
    std::printf(
        "| %s | %.1f | %.1f / %.1f / %.1f | %.2f (%.2f + %.2f) | S3 %.1f + DDB %.1f | %.2f | %s | "
        "%s | %s |\n",
        r.name.c_str(), n / r.wall_s, mean, pct(0.5), pct(0.95), r.client_cpu_s * 1000.0 / n,
        r.client_user_s * 1000.0 / n, r.client_sys_s * 1000.0 / n, r.s3_requests / n,
        r.ddb_requests / n, r.phase_total / n, delay,
        per_request_ms(r.s3_server_s, r.s3_requests, o.s3_pid).c_str(),
        per_request_ms(r.ddb_server_s, r.ddb_requests, o.ddb_pid).c_str());
  }
  std::printf("\nPhases of each operation (%s; requests overlapping in time are one phase):\n\n",
              o.label.c_str());
  for (const auto& r : results) {
    std::vector<std::pair<int, std::string>> shapes;
    for (const auto& [shape, count] : r.shapes) shapes.emplace_back(count, shape);
    std::sort(shapes.rbegin(), shapes.rend());
    for (const auto& [count, shape] : shapes) {
      std::printf("- %s, %d of %d: %s\n", r.name.c_str(), count, r.ops, shape.c_str());
    }
  }
  std::fflush(stdout);
}

}  // namespace

int run_crud(const Options& o) {
  Clients c = make_clients(o);
  const std::string suffix = std::to_string(::getpid());
  const std::string bucket = "bench-large-" + suffix;
  if (auto r = c.s3.create_bucket(bucket); !r) {
    std::fprintf(stderr, "large_e2e: create_bucket: %s\n", r.error().to_string().c_str());
    return 1;
  }
  LargeConfig large{.s3 = c.s3, .bucket = bucket, .prefix = "pages/"};
  if (o.gzip_text) large.fields["html"].codec = Codec::gzip;
  const std::string table_name = "bench-large-" + suffix;
  Table<BenchPage> lazy(c.ddb, {.table_name = table_name, .consistent_read = true, .large = large});
  large.eager = true;
  Table<BenchPage> eager(c.ddb,
                         {.table_name = table_name, .consistent_read = true, .large = large});
  if (auto r = lazy.create_table(); !r) {
    std::fprintf(stderr, "large_e2e: create_table: %s\n", r.error().to_string().c_str());
    return 1;
  }

  // Values are made before the clock starts; the models take them by move.
  const int total = o.warmup + o.items;
  std::vector<BenchPage> pages(static_cast<std::size_t>(total));
  std::vector<std::string> texts2, bins2;
  for (int i = 0; i < total; ++i) {
    auto& p = pages[static_cast<std::size_t>(i)];
    p.id = (i < o.warmup ? "warm-" : "page-") + std::to_string(i);
    p.html = make_text(kTextSize, static_cast<std::uint64_t>(2 * i + 1));
    p.cover = Bytes(make_binary(kBinarySize, static_cast<std::uint64_t>(2 * i + 1)));
    texts2.push_back(make_text(kTextSize, static_cast<std::uint64_t>(2 * i + 2)));
    bins2.push_back(make_binary(kBinarySize, static_cast<std::uint64_t>(2 * i + 2)));
  }
  std::vector<BenchPage> got(static_cast<std::size_t>(total));
  auto check = [](const BenchPage& p) -> Result<void> {
    if (p.html.value().size() != kTextSize || p.cover.value().size() != kBinarySize) {
      return unexpected(ErrorCode::integrity, "read back a value of the wrong size");
    }
    return {};
  };
  auto ok = [](auto&& r) -> Result<void> {
    if (!r) return unexpected(std::move(r).error());
    return {};
  };

  std::string stored;
  auto cycle = [&](int first, int n, bool record) {
    std::vector<OpResult> out;
    auto at = [&](std::vector<BenchPage>& v, int i) -> BenchPage& {
      return v[static_cast<std::size_t>(first + i)];
    };
    out.push_back(measure("create", n, c, o, [&](int i) { return ok(lazy.save(at(pages, i))); }));
    if (record) stored = stored_per_item(c, bucket, n);
    out.push_back(measure("read (eager get: both fields)", n, c, o, [&](int i) -> Result<void> {
      auto g = eager.get(at(pages, i).id);
      if (!g) return unexpected(std::move(g).error());
      at(got, i) = std::move(*g);
      return check(at(got, i));
    }));
    out.push_back(measure("read (lazy get, then each field)", n, c, o, [&](int i) -> Result<void> {
      auto g = lazy.get(at(pages, i).id);
      if (!g) return unexpected(std::move(g).error());
      if (auto r = g->html.load(); !r) return r;
      if (auto r = g->cover.load(); !r) return r;
      return check(*g);
    }));
    out.push_back(measure("read (lazy get, then download_to a sink, each field)", n, c, o,
                          [&](int i) -> Result<void> {
                            auto g = lazy.get(at(pages, i).id);
                            if (!g) return unexpected(std::move(g).error());
                            CountingSink html, cover;
                            if (auto r = g->html.download_to(html); !r) return r;
                            if (auto r = g->cover.download_to(cover); !r) return r;
                            if (html.bytes != kTextSize || cover.bytes != kBinarySize) {
                              return unexpected(ErrorCode::integrity, "streamed a wrong size");
                            }
                            return {};
                          }));
    out.push_back(measure("update (save, both fields changed)", n, c, o, [&](int i) {
      const auto k = static_cast<std::size_t>(first + i);
      BenchPage& p = got[k];
      p.html = std::move(texts2[k]);
      p.cover = Bytes(std::move(bins2[k]));
      return ok(lazy.save(p));
    }));
    out.push_back(
        measure("delete (remove)", n, c, o, [&](int i) { return ok(lazy.remove(at(got, i))); }));
    if (record) print(out, o);
  };
  cycle(0, o.warmup, false);  // connections, the servers' JIT and caches
  cycle(o.warmup, o.items, true);

  int left = -1;
  if (auto all = c.s3.list_all_objects(bucket); all) {
    left = static_cast<int>(all->objects.size());
    for (const auto& obj : all->objects) static_cast<void>(c.s3.delete_object(bucket, obj.key));
  }
  std::printf("\nStored in S3 after create: %s. Objects left after the deletes: %d\n",
              stored.c_str(), left);
  static_cast<void>(lazy.delete_table());
  static_cast<void>(c.s3.delete_bucket(bucket));
  return left == 0 ? 0 : 1;
}

}  // namespace dynamate::bench
