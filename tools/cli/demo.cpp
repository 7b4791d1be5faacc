// `dynamate demo`: a crawler-style store. N pages, each with its HTML (text,
// gzip) and a cover image (binary) as large attributes in S3, are saved
// (uploads in parallel), read back lazily and checked byte for byte,
// updated (the old objects must be gone), refused when stale, queried,
// counted on an index, collected by the GC (no orphans) and removed (no
// objects left). Every step prints its time and what S3 holds; any failed
// check stops the demo with a one-line error and exit status 1.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "demo_pages.hpp"
#include "dynamate/large_gc.hpp"

namespace dynamate::cli {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kWorkers = 4;  // pages written / read at once (each page: 2 uploads in parallel)

struct DemoOptions {
  int pages = 20;
  bool keep = false;  // leave the pages, table and bucket behind
};

class Steps {
 public:
  template <class F>
  Result<void> run(const std::string& what, F&& step) {
    const auto start = Clock::now();
    Result<std::string> r = step();
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    if (!r) {
      std::printf("  FAILED %s\n", what.c_str());
      return unexpected(std::move(r).error().with_context(what));
    }
    std::printf("  ok %-56s %9.1f ms  %s\n", what.c_str(), static_cast<double>(us) / 1000.0,
                r->c_str());
    std::fflush(stdout);
    ++count_;
    return {};
  }
  int count() const { return count_; }

 private:
  int count_ = 0;
};

#define DEMO_STEP(steps, what, ...)                                             \
  do {                                                                          \
    auto demo_r_ = (steps).run(what, [&]() -> Result<std::string> __VA_ARGS__); \
    if (!demo_r_) return fail(demo_r_.error());                                 \
  } while (0)

std::string key_of_uri(const std::string& uri, const std::string& bucket) {
  const std::string head = "s3://" + bucket + "/";
  return uri.starts_with(head) ? uri.substr(head.size()) : uri;
}

}  // namespace

static int run_demo(const GlobalOptions& global, const DemoOptions& options) {
  auto clients = make_clients(global);
  if (!clients) return fail(clients.error());
  const auto& ddb = clients->dynamodb;
  const auto& s3 = clients->s3;
  const std::string suffix =
      std::to_string(::getpid()) + "-" +
      std::to_string(std::chrono::system_clock::now().time_since_epoch() / std::chrono::seconds(1));
  const std::string table = "dynamate-demo-" + suffix;
  const std::string bucket = "dynamate-demo-" + suffix;
  const std::string prefix = "pages/";
  const int n = options.pages;
  std::printf("dynamate demo: %d pages; DynamoDB %s, S3 %s, region %s\n", n,
              ddb.config().endpoint.c_str(), s3.config().endpoint.c_str(),
              ddb.config().region.c_str());
  std::printf("table %s, bucket %s, large attributes under %s\n", table.c_str(), bucket.c_str(),
              prefix.c_str());
  Steps steps;
  const auto start = Clock::now();
  Table<Page> pages(ddb, {.table_name = table,
                          .consistent_read = true,
                          .large = {.s3 = s3, .bucket = bucket, .prefix = prefix}});
  // "S3: 40 objects, 4.1 MB" after a step; fails when the count is not `expected`.
  auto s3_holds = [&](std::size_t expected) -> Result<std::string> {
    auto stats = object_stats(s3, bucket, prefix);
    if (!stats) return unexpected(std::move(stats).error());
    if (stats->objects != expected) {
      return unexpected(check_failed("S3 holds " + std::to_string(stats->objects) +
                                     " objects, expected " + std::to_string(expected)));
    }
    return "S3: " + std::to_string(stats->objects) + " objects, " + megabytes(stats->bytes);
  };
  const auto all_objects = static_cast<std::size_t>(2 * n);

  DEMO_STEP(steps, "create bucket, and table from the schema (GSI by_visits)", {
    if (auto r = s3.create_bucket(bucket); !r) return unexpected(std::move(r).error());
    auto created = pages.create_table({.timeout = std::chrono::seconds(60)});
    if (!created) return unexpected(std::move(created).error());
    return std::string("ACTIVE");
  });

  std::uint64_t html_bytes = 0, cover_bytes = 0;
  for (int i = 0; i < n; ++i) {
    html_bytes += page_html(i, 1).size();
    cover_bytes += page_cover(i).size();
  }
  const std::uint64_t value_bytes = html_bytes + cover_bytes;
  DEMO_STEP(steps, "save " + std::to_string(n) + " pages: html (gzip) + cover to S3, then item", {
    auto r = for_each_parallel(n, kWorkers, [&](int i) -> Result<void> {
      Page p = make_page(i);
      auto saved = pages.save(p);
      if (!saved) return unexpected(std::move(saved).error());
      if (!saved->orphaned.empty()) return unexpected(check_failed("a save left an orphan"));
      return {};
    });
    if (!r) return unexpected(std::move(r).error());
    auto held = s3_holds(all_objects);
    if (!held) return held;
    return "html " + megabytes(html_bytes) + " + covers " + megabytes(cover_bytes) + "; " + *held;
  });

  std::atomic<std::uint64_t> read_bytes{0};
  DEMO_STEP(steps, "read back lazily, verify byte for byte", {
    auto r = for_each_parallel(n, kWorkers,
                               [&](int i) { return verify_page(pages, i, 1, &read_bytes); });
    if (!r) return unexpected(std::move(r).error());
    return megabytes(read_bytes.load()) + " verified";
  });

  DEMO_STEP(steps, "stream a cover to a file (sha256 checked on the way)", {
    auto got = pages.get(kDemoSite, page_path(0));
    if (!got) return unexpected(std::move(got).error());
    const auto file = std::filesystem::temp_directory_path() / ("dynamate-demo-" + suffix);
    auto r = got->cover.download_to_file(file.string());
    if (!r) return unexpected(std::move(r).error());
    std::ifstream in(file, std::ios::binary);
    const std::string back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::error_code ec;
    std::filesystem::remove(file, ec);
    if (back != page_cover(0)) return unexpected(check_failed("the streamed cover differs"));
    return std::to_string(back.size()) + " bytes";
  });

  // New HTML for every 4th page: its old object must be gone afterwards.
  std::vector<int> updated;
  for (int i = 0; i < n; i += 4) updated.push_back(i);
  Page stale;
  DEMO_STEP(steps, "update the html of " + std::to_string(updated.size()) + " pages", {
    std::mutex mu;
    std::vector<std::string> old_keys;
    auto r =
        for_each_parallel(static_cast<int>(updated.size()), kWorkers, [&](int k) -> Result<void> {
          const int i = updated[static_cast<std::size_t>(k)];
          auto p = pages.get(kDemoSite, page_path(i));
          if (!p) return unexpected(std::move(p).error());
          {
            std::lock_guard lock(mu);
            old_keys.push_back(key_of_uri(p->html.uri(), bucket));
            if (i == 0) stale = *p;
          }
          p->html = page_html(i, 2);
          auto u = pages.update(*p, {add(&Page::visits, 1)});
          if (!u) return unexpected(std::move(u).error());
          return {};
        });
    if (!r) return unexpected(std::move(r).error());
    for (const auto& key : old_keys) {
      auto head = s3.head_object(bucket, key);
      if (head) return unexpected(check_failed("the superseded object " + key + " still exists"));
      if (head.error().code != ErrorCode::not_found) return unexpected(std::move(head).error());
    }
    std::atomic<std::uint64_t> bytes{0};
    r = for_each_parallel(static_cast<int>(updated.size()), kWorkers, [&](int k) {
      return verify_page(pages, updated[static_cast<std::size_t>(k)], 2, &bytes);
    });
    if (!r) return unexpected(std::move(r).error());
    auto held = s3_holds(all_objects);
    if (!held) return held;
    return "old objects gone, new verified; " + *held;
  });

  DEMO_STEP(steps, "save a stale copy: refused, its upload deleted", {
    stale.html = "<html>a lost update</html>";
    auto r = pages.save(stale);
    if (r) return unexpected(check_failed("a stale save was accepted"));
    if (r.error().code != ErrorCode::condition_failed) return unexpected(std::move(r).error());
    auto held = s3_holds(all_objects);
    if (!held) return held;
    return "condition_failed; " + *held;
  });

  DEMO_STEP(steps, "query path begins_with /page/, 10 per request", {
    int items = 0;
    for (auto& r : pages.query(
             kDemoSite,
             {.range_key_condition = field(&Page::path).begins_with("/page/"), .page_size = 10})) {
      if (!r) return unexpected(std::move(r).error());
      if (r->html.loaded()) return unexpected(check_failed("query fetched a value (not lazy)"));
      ++items;
    }
    if (items != n) {
      return unexpected(check_failed("query found " + std::to_string(items) + " pages"));
    }
    return std::to_string(items) + " pages, no value fetched";
  });
  DEMO_STEP(steps, "count pages with visits >= 50 on the index", {
    auto count = pages.count(
        kDemoSite, {.range_key_condition = field(&Page::visits) >= 50, .index_name = "by_visits"});
    if (!count) return unexpected(std::move(count).error());
    const std::int64_t expected = n > 5 ? n - 5 : 0;
    if (*count != expected) {
      return unexpected(check_failed("counted " + std::to_string(*count) + ", expected " +
                                     std::to_string(expected)));
    }
    return std::to_string(*count) + " pages";
  });

  DEMO_STEP(steps, "gc with no grace period: no orphan to collect", {
    auto report = gc_large_objects(pages, {.grace = std::chrono::seconds(0), .dry_run = true});
    if (!report) return unexpected(std::move(report).error());
    if (!report->deleted.empty()) {
      return unexpected(check_failed("gc found an orphan: " + report->deleted.front()));
    }
    return std::to_string(report->listed) + " objects, " + std::to_string(report->referenced) +
           " referenced";
  });

  if (options.keep) {
    std::printf(
        "kept: table %s, bucket %s; e.g.\n  dynamate get %s --key "
        "'{\"site\":{\"S\":\"%s\"},\"path\":{\"S\":\"%s\"}}' --out html=page.html\n",
        table.c_str(), bucket.c_str(), table.c_str(), kDemoSite, page_path(0).c_str());
  } else {
    DEMO_STEP(steps, "remove every page: the item, then its objects", {
      auto r = for_each_parallel(n, kWorkers, [&](int i) -> Result<void> {
        auto p = pages.get(kDemoSite, page_path(i));
        if (!p) return unexpected(std::move(p).error());
        auto removed = pages.remove(*p);
        if (!removed) return unexpected(std::move(removed).error());
        return {};
      });
      if (!r) return unexpected(std::move(r).error());
      return s3_holds(0);
    });
    DEMO_STEP(steps, "delete bucket and table", {
      if (auto r = s3.delete_bucket(bucket); !r) return unexpected(std::move(r).error());
      auto r = pages.delete_table({.timeout = std::chrono::seconds(60)});
      if (!r) return unexpected(std::move(r).error());
      return std::string();
    });
  }
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  std::printf("demo complete: %d pages, %s of values stored and read back, %d steps in %lld ms\n",
              n, megabytes(value_bytes).c_str(), steps.count(), static_cast<long long>(ms));
  return 0;
}

Command add_demo_command(CLI::App& parent, const GlobalOptions& global) {
  auto o = std::make_shared<DemoOptions>();
  auto* app = parent.add_subcommand(
      "demo",
      "A crawler-style store: pages with their HTML and cover image in S3, saved, read back and "
      "verified, updated, queried, collected and removed, in a new table and bucket");
  app->add_option("--pages", o->pages, "How many pages")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app->add_flag("--keep", o->keep,
                "Leave the pages, the table and the bucket behind (try `dynamate get`)");
  return {app, [&global, o] { return run_demo(global, *o); }};
}

}  // namespace dynamate::cli
