// The demo: a table and a bucket are created, items are put, read, updated,
// queried and deleted, objects are put, read, listed and deleted, and both are
// removed again. Every step prints what it did; any failure stops the demo with
// a one-line error and exit status 1.
#include "demo.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "dynamate/aws/dynamodb_json.hpp"
#include "dynamate/batch.hpp"
#include "dynamate/table.hpp"
#include "dynamate/transaction.hpp"

namespace dynamate::cli {
// The demo's model: crawled pages of a site.
struct Page {
  std::string site;
  std::string path;
  std::string title;
  std::int64_t visits = 0;
  std::set<std::string> tags;
  std::chrono::sys_time<std::chrono::microseconds> fetched_at{};
  std::int64_t version = 0;
};
}  // namespace dynamate::cli
template <>
inline constexpr auto dynamate::schema_of<dynamate::cli::Page> =
    dynamate::schema<dynamate::cli::Page>(
        "pages", dynamate::hash_key("site", &dynamate::cli::Page::site),
        dynamate::range_key("path", &dynamate::cli::Page::path),
        dynamate::attribute("title", &dynamate::cli::Page::title),
        dynamate::attribute("visits", &dynamate::cli::Page::visits),
        dynamate::attribute("tags", &dynamate::cli::Page::tags),
        dynamate::attribute("fetched_at", &dynamate::cli::Page::fetched_at),
        dynamate::version("version", &dynamate::cli::Page::version),
        dynamate::global_index("by_visits", &dynamate::cli::Page::site,
                               &dynamate::cli::Page::visits, dynamate::projection::keys_only()));

namespace dynamate::cli {
namespace {

using Clock = std::chrono::steady_clock;

class Steps {
 public:
  template <class F>
  Result<void> run(const std::string& what, F&& step) {
    const auto start = Clock::now();
    Result<std::string> r = step();
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    if (!r) {
      std::printf("  FAILED %-44s\n", what.c_str());
      return unexpected(std::move(r).error().with_context(what));
    }
    std::printf("  ok %-48s %8.2f ms  %s\n", what.c_str(), static_cast<double>(us) / 1000.0,
                r->c_str());
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

Page page(int i) {
  return {"python.org",
          "/page/" + std::to_string(1000 + i),
          "Page " + std::to_string(i),
          i,
          {"docs", "python"},
          std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()),
          0};
}

}  // namespace

int run_demo(const GlobalOptions& global, const DemoOptions& options) {
  auto clients = make_clients(global);
  if (!clients) return fail(clients.error());
  const auto& ddb = clients->dynamodb;
  const auto& s3 = clients->s3;
  const std::string suffix =
      std::to_string(::getpid()) + "-" +
      std::to_string(std::chrono::system_clock::now().time_since_epoch() / std::chrono::seconds(1));
  const std::string table = "dynamate-demo-" + suffix;
  const std::string bucket = "dynamate-demo-" + suffix;
  std::printf("dynamate demo: DynamoDB %s, S3 %s, region %s\n", ddb.config().endpoint.c_str(),
              s3.config().endpoint.c_str(), ddb.config().region.c_str());
  Steps steps;
  const auto start = Clock::now();

  Table<Page> pages(ddb, {.table_name = table});
  std::printf("DynamoDB table %s (the object mapper)\n", table.c_str());
  DEMO_STEP(steps, "create table from the schema (site, path, GSI by_visits)", {
    auto created = pages.create_table({.timeout = std::chrono::seconds(60)});
    if (!created) return unexpected(std::move(created).error());
    return std::to_string(created->global_secondary_indexes.size()) + " index, ACTIVE";
  });
  DEMO_STEP(steps, "batch write " + std::to_string(options.items) + " pages", {
    BatchWrite batch(ddb, {.ignore_version = true});
    std::vector<Page> all;
    for (int i = 0; i < options.items; ++i) all.push_back(page(i));
    for (Page& p : all) batch.put(pages, p);
    auto r = batch.execute();
    if (!r) return unexpected(std::move(r).error());
    return std::to_string(r->written) + " written in " + std::to_string(r->requests) +
           " BatchWriteItem";
  });
  Page first;
  DEMO_STEP(steps, "get /page/1000 (consistent)", {
    auto r = pages.get("python.org", "/page/1000", {.consistent_read = true});
    if (!r) return unexpected(std::move(r).error());
    first = std::move(*r);
    return "\"" + first.title + "\", version " + std::to_string(first.version);
  });
  DEMO_STEP(steps, "update /page/1000: add visits 10, set title", {
    auto r =
        pages.update(first, {add(&Page::visits, 10), set(&Page::title, "Welcome to Python.org")},
                     {.condition = field(&Page::visits) < 1000});
    if (!r) return unexpected(std::move(r).error());
    return "visits " + std::to_string(first.visits) + ", version " + std::to_string(first.version);
  });
  DEMO_STEP(steps, "save a stale copy: refused by optimistic locking", {
    Page stale = page(0);
    stale.version = 1;
    auto r = pages.save(stale);
    if (r) return unexpected(ErrorCode::internal, "a stale save was accepted");
    if (r.error().code != ErrorCode::condition_failed) return unexpected(std::move(r).error());
    return std::string("condition_failed, as expected");
  });
  DEMO_STEP(steps, "query path begins_with /page/, 2 per request", {
    int items = 0;
    for (auto& r : pages.query(
             "python.org",
             {.range_key_condition = field(&Page::path).begins_with("/page/"), .page_size = 2})) {
      if (!r) return unexpected(std::move(r).error());
      ++items;
    }
    if (items != options.items) {
      return unexpected(ErrorCode::internal, "query found " + std::to_string(items) + " items");
    }
    return std::to_string(items) + " pages";
  });
  DEMO_STEP(steps, "count pages with visits >= 2 on the index", {
    auto n = pages.count("python.org", {.range_key_condition = field(&Page::visits) >= 2,
                                        .index_name = "by_visits"});
    if (!n) return unexpected(std::move(n).error());
    return std::to_string(*n) + " pages";
  });
  DEMO_STEP(steps, "transaction: move 1 visit between two pages", {
    auto a = pages.get("python.org", "/page/1000", {.consistent_read = true});
    if (!a) return unexpected(std::move(a).error());
    auto b = pages.get("python.org", "/page/1001", {.consistent_read = true});
    if (!b) return unexpected(std::move(b).error());
    TransactWrite t(ddb);
    t.update(pages, *a, {add(&Page::visits, -1)}, field(&Page::visits) >= 1)
        .update(pages, *b, {add(&Page::visits, 1)});
    auto r = t.execute();
    if (!r) return unexpected(std::move(r).error());
    return "versions now " + std::to_string(a->version) + " and " + std::to_string(b->version);
  });
  DEMO_STEP(steps, "remove /page/1001, returning the old item", {
    auto b = pages.get("python.org", "/page/1001", {.consistent_read = true});
    if (!b) return unexpected(std::move(b).error());
    auto r = pages.remove(*b, {.return_old = true});
    if (!r) return unexpected(std::move(r).error());
    return "old title: " + (r->old_item ? r->old_item->title : std::string("?"));
  });

  std::printf("S3 bucket %s\n", bucket.c_str());
  DEMO_STEP(steps, "create bucket", {
    auto r = s3.create_bucket(bucket);
    if (!r) return unexpected(std::move(r).error());
    return std::string();
  });
  std::vector<std::string> keys;
  DEMO_STEP(steps, "put " + std::to_string(options.items) + " objects (sha256-checked)", {
    for (int i = 0; i < options.items; ++i) {
      aws::PutObjectOptions o;
      o.attributes.content_type = "text/html; charset=utf-8";
      o.payload.checksum_sha256 = true;
      keys.push_back("pages/page-" + std::to_string(i) + ".html");
      auto r = s3.put_object(bucket, keys.back(),
                             "<html><body>page " + std::to_string(i) + "</body></html>", o);
      if (!r) return unexpected(std::move(r).error());
    }
    return std::string("under pages/");
  });
  DEMO_STEP(steps, "get object pages/page-0.html", {
    auto r = s3.get_object(bucket, "pages/page-0.html");
    if (!r) return unexpected(std::move(r).error());
    if (r->body.view() != "<html><body>page 0</body></html>") {
      return unexpected(ErrorCode::integrity, "object content differs from what was put");
    }
    return std::to_string(r->body.size()) + " bytes, " + r->info.content_type;
  });
  DEMO_STEP(steps, "list objects under pages/", {
    aws::ListObjectsOptions o;
    o.prefix = "pages/";
    auto r = s3.list_all_objects(bucket, o);
    if (!r) return unexpected(std::move(r).error());
    return std::to_string(r->objects.size()) + " objects";
  });
  DEMO_STEP(steps, "delete objects (one DeleteObjects request)", {
    auto r = s3.delete_objects(bucket, keys);
    if (!r) return unexpected(std::move(r).error());
    if (!r->errors.empty()) {
      return unexpected(ErrorCode::service, "could not delete " + r->errors.front().key);
    }
    return std::to_string(keys.size()) + " deleted";
  });

  if (!options.keep) {
    std::printf("clean-up\n");
    DEMO_STEP(steps, "delete bucket", {
      auto r = s3.delete_bucket(bucket);
      if (!r) return unexpected(std::move(r).error());
      return std::string();
    });
    DEMO_STEP(steps, "delete table, wait until gone", {
      auto r = pages.delete_table({.timeout = std::chrono::seconds(60)});
      if (!r) return unexpected(std::move(r).error());
      return std::string();
    });
  }
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  std::printf("demo complete: %d steps in %lld ms\n", steps.count(), static_cast<long long>(ms));
  return 0;
}

}  // namespace dynamate::cli
