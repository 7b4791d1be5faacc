// The garbage collector of large attributes (include/dynamate/large_gc.hpp):
// list old objects, scan the table for the URIs its items hold, confirm the
// unreferenced ones with HeadObject, delete them in batches.
#include "dynamate/large_gc.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <unordered_map>
#include <utility>

#include "dynamate/detail/large_ops.hpp"

namespace dynamate {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

constexpr int kMaxScanSegments = 64;
constexpr std::size_t kHeadThreads = 8;
constexpr auto kProgressInterval = std::chrono::milliseconds(100);

Error gc_error(ErrorCode code, std::string message) {
  return Error(code, "gc_large_objects: " + std::move(message));
}

void report(const GcOptions& options, std::string_view phase, std::uint64_t done) {
  if (options.progress) options.progress(GcProgress{std::string(phase), done});
}

// An object old enough to be an orphan, found by the listing.
struct Candidate {
  std::size_t target = 0;  // the target whose client lists, checks and deletes it
  std::string path;        // "bucket/key": a URI without its "s3://"
  std::size_t key_at = 0;  // where the key starts in `path`
  TimePoint listed{};      // LastModified at the listing
  std::string_view key() const { return std::string_view(path).substr(key_at); }
};

std::string object_path(std::string_view bucket, std::string_view key) {
  std::string out;
  out.reserve(bucket.size() + 1 + key.size());
  out.append(bucket).append("/").append(key);
  return out;
}

Result<void> check_arguments(const std::string& table, const std::vector<GcTarget>& targets,
                             const GcOptions& options) {
  if (table.empty()) return unexpected(gc_error(ErrorCode::invalid_argument, "no table name"));
  if (targets.empty()) {
    return unexpected(gc_error(ErrorCode::invalid_argument, "no targets for table " + table));
  }
  for (const auto& t : targets) {
    if (t.bucket.empty()) {
      return unexpected(
          gc_error(ErrorCode::invalid_argument, "a target of table " + table + " has no bucket"));
    }
    if (t.attributes.empty()) {
      return unexpected(gc_error(ErrorCode::invalid_argument,
                                 "the target s3://" + t.bucket + "/" + t.prefix +
                                     " has no attributes: it would take every object for an "
                                     "orphan"));
    }
    for (const auto& a : t.attributes) {
      if (a.empty()) {
        return unexpected(gc_error(
            ErrorCode::invalid_argument,
            "the target s3://" + t.bucket + "/" + t.prefix + " has an empty attribute name"));
      }
    }
  }
  if (options.grace.count() < 0) {
    return unexpected(
        gc_error(ErrorCode::invalid_argument,
                 "negative grace period (" + std::to_string(options.grace.count()) + " s)"));
  }
  if (options.scan_segments < 1 || options.scan_segments > kMaxScanSegments) {
    return unexpected(
        gc_error(ErrorCode::invalid_argument,
                 "scan_segments must be 1..64, not " + std::to_string(options.scan_segments)));
  }
  return {};
}

// The targets to list: a target whose prefix lies inside another listed
// prefix of the same bucket (and endpoint) is covered by that listing, so
// that no object is listed, checked or deleted twice.
std::vector<std::size_t> listings(const std::vector<GcTarget>& targets) {
  auto covers = [&](std::size_t j, std::size_t i) {
    const auto& a = targets[j];
    const auto& b = targets[i];
    if (a.bucket != b.bucket || a.s3.config().endpoint != b.s3.config().endpoint) return false;
    if (!b.prefix.starts_with(a.prefix)) return false;
    return a.prefix != b.prefix || j < i;  // of equal prefixes, the first lists
  };
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    bool covered = false;
    for (std::size_t j = 0; j < targets.size() && !covered; ++j) covered = j != i && covers(j, i);
    if (!covered) out.push_back(i);
  }
  return out;
}

// Runs task(i) for every i in [0, n) on up to `threads` threads, stopping at
// the first error, while the calling thread reports a counter under a phase
// name every kProgressInterval.
class ParallelRun {
 public:
  ParallelRun(std::size_t n, std::size_t threads) : n_(n), threads_(std::min(n, threads)) {}

  bool stopped() const noexcept { return stop_.load(std::memory_order_relaxed); }

  // `task` must be thread-safe; it may look at stopped() to end early.
  Result<void> run(const std::function<Result<void>(std::size_t)>& task,
                   const std::atomic<std::uint64_t>& counter, const GcOptions& options,
                   std::string_view phase) {
    running_ = threads_;
    std::vector<std::jthread> pool;
    pool.reserve(threads_);
    for (std::size_t t = 0; t < threads_; ++t) pool.emplace_back([&] { work(task); });
    std::uint64_t last = 0;
    {
      std::unique_lock lock(mu_);
      while (running_ > 0) {
        cv_.wait_for(lock, kProgressInterval, [&] { return running_ == 0; });
        const std::uint64_t done = counter.load();
        if (running_ > 0 && options.progress && done != last) {
          last = done;
          lock.unlock();
          report(options, phase, done);
          lock.lock();
        }
      }
    }
    pool.clear();  // joins
    if (first_error_) return unexpected(std::move(*first_error_));
    return {};
  }

 private:
  void work(const std::function<Result<void>(std::size_t)>& task) {
    for (;;) {
      if (stopped()) break;
      const std::size_t i = next_.fetch_add(1);
      if (i >= n_) break;
      Result<void> r;
      try {
        r = task(i);
      } catch (const std::exception& e) {
        r = unexpected(gc_error(ErrorCode::internal, std::string("exception: ") + e.what()));
      } catch (...) {
        r = unexpected(gc_error(ErrorCode::internal, "unknown exception"));
      }
      if (!r) {
        std::lock_guard lock(mu_);
        if (!first_error_) first_error_ = std::move(r).error();
        stop_.store(true);
        break;
      }
    }
    std::lock_guard lock(mu_);
    --running_;
    cv_.notify_all();
  }

  const std::size_t n_;
  const std::size_t threads_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::size_t running_ = 0;
  std::optional<Error> first_error_;
};

}  // namespace

Result<GcReport> gc_large_objects(const aws::DynamoDbClient& dynamodb, const std::string& table,
                                  const std::vector<GcTarget>& targets, const GcOptions& options) {
  if (auto ok = check_arguments(table, targets, options); !ok) return unexpected(ok.error());
  const TimePoint cutoff = std::chrono::system_clock::now() - options.grace;
  GcReport out;

  // (1) List. Only the candidates stay in memory.
  std::vector<Candidate> candidates;
  for (const std::size_t t : listings(targets)) {
    const GcTarget& target = targets[t];
    auto listed = target.s3.for_each_object_page(
        target.bucket, {.prefix = target.prefix}, [&](const aws::ListObjectsResult& page) {
          for (const auto& o : page.objects) {
            ++out.listed;
            // No LastModified: its age is unknown, so it is not touched.
            if (!o.last_modified || *o.last_modified >= cutoff) {
              ++out.recent;
              continue;
            }
            candidates.push_back(Candidate{t, object_path(target.bucket, o.key),
                                           target.bucket.size() + 1, *o.last_modified});
          }
          report(options, "list", out.listed);
          return true;
        });
    if (!listed) {
      return unexpected(std::move(listed).error().with_context(
          "gc_large_objects: listing s3://" + target.bucket + "/" + target.prefix));
    }
  }
  report(options, "list", out.listed);

  // (2) Scan, only now that the listing is complete: the references are
  // collected after the candidates are fixed, and the HeadObjects of step 3
  // come after the scan. That order is what makes deleting safe. Take a
  // candidate (last modified before the cut-off when listed) and a write
  // that commits a reference to it. If that write began before the cut-off,
  // it committed before this run started (writers give up after
  // write_deadline, shorter than the grace period), so the consistent scan,
  // starting later, reads the item with the reference (or without it, if it
  // was dropped since, and then the object is not needed). If the write
  // began after the cut-off, it touched the object (an upload, or the
  // refresh of a reused shared object): before the listing, the object is
  // then no candidate; after it, the HeadObject, which follows the scan,
  // sees the new date. Only the candidates are kept in memory, so the scan
  // cannot run before the listing, and a HeadObject before the scan would
  // miss a refresh made while the scan runs.
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) index.emplace(candidates[i].path, i);
  std::vector<std::atomic<bool>> referenced(candidates.size());

  aws::ScanRequest base{.table_name = table, .consistent_read = true};
  {
    std::vector<std::string_view> names;
    for (const auto& t : targets) {
      for (const auto& a : t.attributes) {
        if (std::find(names.begin(), names.end(), a) == names.end()) names.push_back(a);
      }
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string placeholder = "#a" + std::to_string(i);
      if (i > 0) base.projection_expression += ", ";
      base.projection_expression += placeholder;
      base.expression_attribute_names.emplace(placeholder, std::string(names[i]));
    }
  }
  const auto segments = static_cast<std::size_t>(options.scan_segments);
  std::atomic<std::uint64_t> scanned{0};
  ParallelRun scan(segments, segments);
  auto scan_segment = [&](std::size_t segment) -> Result<void> {
    aws::ScanRequest request = base;
    if (segments > 1) {
      request.segment = static_cast<std::int32_t>(segment);
      request.total_segments = static_cast<std::int32_t>(segments);
    }
    for (;;) {
      auto page = dynamodb.scan(request);
      if (!page) {
        return unexpected(
            std::move(page).error().with_context("gc_large_objects: scanning " + table));
      }
      for (const auto& item : page->items) {
        for (const auto& [name, value] : item) {
          const std::string* s = value.as_string();
          if (s == nullptr || !s->starts_with("s3://")) continue;
          auto location = detail::parse_large_uri(*s);
          if (!location) continue;  // not an object URI: nothing to keep
          auto it = index.find(object_path(location->bucket, location->key));
          if (it != index.end()) referenced[it->second].store(true, std::memory_order_relaxed);
        }
      }
      scanned.fetch_add(page->items.size());
      if (!page->last_evaluated_key || scan.stopped()) return {};
      request.exclusive_start_key = std::move(page->last_evaluated_key);
    }
  };
  if (auto ok = scan.run(scan_segment, scanned, options, "scan"); !ok) {
    return unexpected(std::move(ok).error());
  }
  out.items_scanned = scanned.load();
  report(options, "scan", out.items_scanned);

  // (3) Check the unreferenced candidates again.
  std::vector<std::size_t> unreferenced;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (referenced[i].load()) {
      ++out.referenced;
    } else {
      unreferenced.push_back(i);
    }
  }
  enum class Verdict : std::uint8_t { gone, refreshed, doomed };
  std::vector<Verdict> verdicts(unreferenced.size(), Verdict::gone);
  std::atomic<std::uint64_t> checked{0};
  ParallelRun check(unreferenced.size(), kHeadThreads);
  auto check_one = [&](std::size_t i) -> Result<void> {
    const Candidate& c = candidates[unreferenced[i]];
    const GcTarget& target = targets[c.target];
    auto head = target.s3.head_object(target.bucket, c.key());
    checked.fetch_add(1);
    if (!head) {
      if (head.error().code == ErrorCode::not_found) return {};  // gone already
      return unexpected(
          std::move(head).error().with_context("gc_large_objects: checking s3://" + c.path));
    }
    // Changed since the listing (HeadObject's date has a 1 s resolution, so
    // "later than listed" can only err towards keeping), or no date at all.
    const auto& modified = head->last_modified;
    verdicts[i] = !modified || *modified >= cutoff || *modified > c.listed ? Verdict::refreshed
                                                                           : Verdict::doomed;
    return {};
  };
  if (auto ok = check.run(check_one, checked, options, "check"); !ok) {
    return unexpected(std::move(ok).error());
  }
  report(options, "check", checked.load());

  // (4) Delete, per target, in batches of at most 1000 keys.
  std::vector<std::vector<std::string>> doomed(targets.size());
  for (std::size_t i = 0; i < unreferenced.size(); ++i) {
    const Candidate& c = candidates[unreferenced[i]];
    if (verdicts[i] == Verdict::refreshed) ++out.refreshed;
    if (verdicts[i] == Verdict::doomed) doomed[c.target].emplace_back(c.key());
  }
  candidates.clear();
  for (std::size_t t = 0; t < targets.size(); ++t) {
    const std::span<const std::string> keys(doomed[t]);
    for (std::size_t at = 0; at < keys.size(); at += aws::kS3MaxDeleteBatch) {
      const auto batch = keys.subspan(at, std::min(aws::kS3MaxDeleteBatch, keys.size() - at));
      if (options.dry_run) {
        out.deleted.insert(out.deleted.end(), batch.begin(), batch.end());
      } else {
        auto r = targets[t].s3.delete_objects(targets[t].bucket, batch);
        if (!r) {
          return unexpected(std::move(r).error().with_context(
              "gc_large_objects: deleting from s3://" + targets[t].bucket));
        }
        for (auto& k : r->deleted) out.deleted.push_back(std::move(k));
        for (auto& e : r->errors) out.failures.push_back(std::move(e));
      }
      report(options, "delete", out.deleted.size());
    }
  }
  report(options, "delete", out.deleted.size());
  return out;
}

namespace detail {
namespace {

// Where the objects of a field are: every key its layout writes starts with it.
std::string listing_prefix(const ResolvedLargeField& f) {
  if (f.layout != KeyLayout::pynamodb_mate || f.prefix.empty()) return f.prefix;
  // pynamodb_mate_key(): one leading '/' or else one trailing '/' cut, then '/'.
  std::string_view p = f.prefix;
  if (p.front() == '/') {
    p.remove_prefix(1);
  } else if (p.back() == '/') {
    p.remove_suffix(1);
  }
  return std::string(p) + "/";
}

}  // namespace

Result<std::vector<GcTarget>> large_gc_targets(const LargeContext* context,
                                               std::string_view table) {
  if (context == nullptr || context->fields.empty()) {
    return unexpected(gc_error(ErrorCode::invalid_argument,
                               "table " + std::string(table) + " has no large attributes"));
  }
  std::vector<GcTarget> targets;
  for (const auto& f : context->fields) {
    if (!f.s3 || f.bucket.empty()) {
      return unexpected(gc_error(ErrorCode::invalid_argument,
                                 "large attribute \"" + f.attribute + "\" of table " +
                                     std::string(table) + " has no S3 client or bucket"));
    }
    std::string prefix = listing_prefix(f);
    auto same = std::find_if(targets.begin(), targets.end(), [&](const GcTarget& t) {
      return t.bucket == f.bucket && t.prefix == prefix &&
             t.s3.config().endpoint == f.s3->config().endpoint;
    });
    if (same != targets.end()) {
      same->attributes.push_back(f.attribute);
    } else {
      targets.push_back(GcTarget{*f.s3, f.bucket, std::move(prefix), {f.attribute}});
    }
  }
  return targets;
}

}  // namespace detail
}  // namespace dynamate
