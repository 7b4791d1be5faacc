// gc_large_objects() against DynamoDB Local + moto S3, with Table<T> models
// that have large fields: orphans (by hand, left by a failed write, superseded
// pynamodb_mate objects) are deleted, referenced and recent objects kept,
// shared objects kept while any item holds them, dry runs, several
// DeleteObjects batches, nested prefixes, both overloads, progress, errors.
#include "dynamate/large_gc.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dynamate/aws/s3.hpp"
#include "dynamate/detail/large_ops.hpp"
#include "dynamate/table.hpp"
#include "support/local_aws.hpp"

namespace gc_it {

struct Page {
  std::string url;
  dynamate::LargeText html;
  dynamate::LargeBytes cover;
  std::int64_t version = 0;
};

struct Doc {  // the shared layout
  std::string owner;
  std::string name;
  dynamate::LargeJson body;
};

struct Mate {  // pynamodb_mate 6's layout
  std::string pk;
  dynamate::LargeText html;
};

struct Plain {  // no large field
  std::string id;
};

}  // namespace gc_it

template <>
inline constexpr auto dynamate::schema_of<gc_it::Page> = dynamate::schema<gc_it::Page>(
    "pages", dynamate::hash_key("url", &gc_it::Page::url),
    dynamate::large("html", &gc_it::Page::html, {.codec = dynamate::Codec::gzip}),
    dynamate::large("cover", &gc_it::Page::cover),
    dynamate::version("version", &gc_it::Page::version));

template <>
inline constexpr auto dynamate::schema_of<gc_it::Doc> = dynamate::schema<gc_it::Doc>(
    "docs", dynamate::hash_key("owner", &gc_it::Doc::owner),
    dynamate::range_key("name", &gc_it::Doc::name),
    dynamate::large("body", &gc_it::Doc::body, {.layout = dynamate::KeyLayout::shared}));

template <>
inline constexpr auto dynamate::schema_of<gc_it::Mate> = dynamate::schema<gc_it::Mate>(
    "mate", dynamate::hash_key("pk", &gc_it::Mate::pk),
    dynamate::large("html", &gc_it::Mate::html, {.layout = dynamate::KeyLayout::pynamodb_mate}));

template <>
inline constexpr auto dynamate::schema_of<gc_it::Plain> =
    dynamate::schema<gc_it::Plain>("plain", dynamate::hash_key("id", &gc_it::Plain::id));

namespace dynamate::test {
namespace {

using namespace std::chrono_literals;
using gc_it::Doc;
using gc_it::Mate;
using gc_it::Page;
using gc_it::Plain;
using Keys = std::set<std::string>;

class LargeGcLocal : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = s3_.create_bucket(bucket_);
    ASSERT_TRUE(made) << made.error().to_string();
  }
  void TearDown() override {
    for (const auto& t : tables_) {
      auto r = ddb_.delete_table(t);
      EXPECT_TRUE(r) << r.error().to_string();
    }
    auto all = s3_.list_all_objects(bucket_);
    if (all) {
      std::vector<std::string> left;
      for (const auto& o : all->objects) left.push_back(o.key);
      static_cast<void>(s3_.delete_objects(bucket_, left));
    }
    static_cast<void>(s3_.delete_bucket(bucket_));
  }

  template <class T>
  Table<T> table(LargeConfig large = {}) {
    if (!large.s3) large.s3 = s3_;
    if (large.bucket.empty()) large.bucket = bucket_;
    if (large.prefix.empty()) large.prefix = "blobs/";
    Table<T> t(
        ddb_,
        {.table_name = unique_name("gc"), .consistent_read = true, .large = std::move(large)});
    auto created = t.create_table();
    EXPECT_TRUE(created) << created.error().to_string();
    tables_.push_back(t.name());
    return t;
  }

  Keys keys(const std::string& prefix = "") {
    Keys out;
    auto all = s3_.list_all_objects(bucket_, {.prefix = prefix});
    EXPECT_TRUE(all) << all.error().to_string();
    if (all) {
      for (const auto& o : all->objects) out.insert(o.key);
    }
    return out;
  }
  void put(const std::string& key, std::string body = "orphan") {
    auto r = s3_.put_object(bucket_, key, std::move(body));
    ASSERT_TRUE(r) << key << ": " << r.error().to_string();
  }
  std::string key_of(const std::string& uri) {
    const std::string head = "s3://" + bucket_ + "/";
    EXPECT_TRUE(uri.starts_with(head)) << uri;
    return uri.substr(head.size());
  }
  static Keys as_set(const std::vector<std::string>& v) { return Keys(v.begin(), v.end()); }

  aws::DynamoDbClient ddb_ = aws::DynamoDbClient::create(dynamodb_config()).value();
  aws::S3Client s3_ = aws::S3Client::create(s3_config()).value();
  std::string bucket_ = unique_name("gc-bucket");
  std::vector<std::string> tables_;
};

TEST_F(LargeGcLocal, DeletesOldOrphansKeepsReferencedAndRecentObjects) {
  auto pages = table<Page>();
  Page p1{.url = "u1"};
  p1.html = "<html>one</html>";
  p1.cover = Bytes(std::string("cover one"));
  Page p2{.url = "u2"};
  p2.html = "<html>two</html>";
  ASSERT_TRUE(pages.save(p1));
  ASSERT_TRUE(pages.save(p2));
  const Keys referenced = keys("blobs/");
  ASSERT_EQ(referenced.size(), 3u);

  // Orphans: put by hand, and the upload of a write of u1 that failed
  // ambiguously (at u1's per-item key for html, another write id).
  const std::string failed_upload =
      detail::per_item_key(detail::per_item_key_prefix("blobs/", "u1", "html"),
                           std::string(64, 'a'), detail::new_write_id());
  const Keys orphans = {"blobs/orphan", "blobs/deep/er/orphan", failed_upload};
  for (const auto& k : orphans) put(k);
  put("outside/not-ours");

  // Everything is younger than a large grace period: nothing is touched.
  auto young = gc_large_objects(pages, {.grace = 1h});
  ASSERT_TRUE(young) << young.error().to_string();
  EXPECT_EQ(young->listed, 6u);
  EXPECT_EQ(young->recent, 6u);
  EXPECT_EQ(young->items_scanned, 2u);
  EXPECT_TRUE(young->deleted.empty());
  EXPECT_EQ(keys().size(), 7u);

  // 2.5 s later, with a 2 s grace period (moto dates may have a 1 s
  // resolution): the orphans are old enough, an object put just now is not.
  std::this_thread::sleep_for(2500ms);
  put("blobs/just-now");
  std::vector<GcProgress> seen;
  auto r = gc_large_objects(
      pages, {.grace = 2s, .progress = [&](const GcProgress& p) { seen.push_back(p); }});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(as_set(r->deleted), orphans);
  EXPECT_EQ(r->deleted.size(), 3u);
  EXPECT_EQ(r->listed, 7u);
  EXPECT_EQ(r->recent, 1u);
  EXPECT_EQ(r->referenced, 3u);
  EXPECT_EQ(r->refreshed, 0u);
  EXPECT_EQ(r->items_scanned, 2u);
  EXPECT_TRUE(r->failures.empty());
  Keys expected = referenced;
  expected.insert({"blobs/just-now", "outside/not-ours"});
  EXPECT_EQ(keys(), expected);
  EXPECT_EQ(pages.get("u1").value().html.value(), "<html>one</html>");
  EXPECT_EQ(pages.get("u1").value().cover.value(), Bytes(std::string("cover one")));
  EXPECT_EQ(pages.get("u2").value().html.value(), "<html>two</html>");

  // Every phase reported, in order, the last one with the total.
  std::vector<std::string> phases;
  for (const auto& p : seen) {
    if (phases.empty() || phases.back() != p.phase) phases.push_back(p.phase);
  }
  EXPECT_EQ(phases, (std::vector<std::string>{"list", "scan", "check", "delete"}));
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().done, 3u);

  // With no grace period, the object put just now goes too; then there is
  // nothing left to do.
  auto now = gc_large_objects(pages, {.grace = 0s});
  ASSERT_TRUE(now) << now.error().to_string();
  EXPECT_EQ(now->deleted, std::vector<std::string>{"blobs/just-now"});
  EXPECT_EQ(now->referenced, 3u);
  auto again = gc_large_objects(pages, {.grace = 0s});
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_TRUE(again->deleted.empty());
  EXPECT_EQ(again->listed, 3u);
  EXPECT_EQ(again->referenced, 3u);
  expected.erase("blobs/just-now");
  EXPECT_EQ(keys(), expected);
}

TEST_F(LargeGcLocal, SharedObjectIsKeptUntilNoItemReferencesIt) {
  auto docs = table<Doc>();
  for (std::string name : {"a", "b", "c"}) {
    Doc d{.owner = "o", .name = name};
    d.body = JsonDocument{R"({"same": "value for all three"})"};
    ASSERT_TRUE(docs.save(d));
  }
  const Keys shared = keys("blobs/");
  ASSERT_EQ(shared.size(), 1u);

  auto all_hold = gc_large_objects(docs, {.grace = 0s});
  ASSERT_TRUE(all_hold) << all_hold.error().to_string();
  EXPECT_EQ(all_hold->referenced, 1u);
  EXPECT_TRUE(all_hold->deleted.empty());

  ASSERT_TRUE(docs.remove(docs.get("o", std::string("a")).value()));
  ASSERT_TRUE(docs.remove(docs.get("o", std::string("b")).value()));
  EXPECT_EQ(keys("blobs/"), shared);  // item removes never delete a shared object
  auto one_holds = gc_large_objects(docs, {.grace = 0s});
  ASSERT_TRUE(one_holds) << one_holds.error().to_string();
  EXPECT_EQ(one_holds->referenced, 1u);
  EXPECT_TRUE(one_holds->deleted.empty());
  EXPECT_EQ(docs.get("o", std::string("c")).value().body.value().text,
            R"({"same": "value for all three"})");

  ASSERT_TRUE(docs.remove(docs.get("o", std::string("c")).value()));
  auto none_holds = gc_large_objects(docs, {.grace = 0s});
  ASSERT_TRUE(none_holds) << none_holds.error().to_string();
  EXPECT_EQ(none_holds->referenced, 0u);
  EXPECT_EQ(as_set(none_holds->deleted), shared);
  EXPECT_TRUE(keys().empty());
}

TEST_F(LargeGcLocal, DryRunDeletesNothingAndReports) {
  auto pages = table<Page>();
  Page p{.url = "u1"};
  p.html = "kept";
  ASSERT_TRUE(pages.save(p));
  const Keys orphans = {"blobs/x1", "blobs/x2"};
  for (const auto& k : orphans) put(k);
  const Keys before = keys();

  // The runtime overload, as the CLI calls it.
  const std::vector<GcTarget> targets = {GcTarget{s3_, bucket_, "blobs/", {"html", "cover"}}};
  auto dry = gc_large_objects(ddb_, pages.name(), targets, {.grace = 0s, .dry_run = true});
  ASSERT_TRUE(dry) << dry.error().to_string();
  EXPECT_EQ(as_set(dry->deleted), orphans);
  EXPECT_EQ(dry->referenced, 1u);
  EXPECT_EQ(keys(), before);

  auto real = gc_large_objects(ddb_, pages.name(), targets, {.grace = 0s});
  ASSERT_TRUE(real) << real.error().to_string();
  EXPECT_EQ(as_set(real->deleted), orphans);
  EXPECT_EQ(keys(), Keys{key_of(p.html.uri())});
}

TEST_F(LargeGcLocal, MoreThanOneThousandOrphansAreAllDeleted) {
  auto pages = table<Page>();
  constexpr int kOrphans = 1100;
  std::atomic<int> next{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < 4; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < kOrphans; i = next++) {
        if (!s3_.put_object(bucket_, "blobs/many/" + std::to_string(i), "x")) ++failed;
      }
    });
  }
  for (auto& t : pool) t.join();
  ASSERT_EQ(failed.load(), 0);

  std::vector<std::uint64_t> deleting;
  auto r = gc_large_objects(pages, {.grace = 0s, .progress = [&](const GcProgress& p) {
                                      if (p.phase == "delete") deleting.push_back(p.done);
                                    }});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->listed, 1100u);
  EXPECT_EQ(r->deleted.size(), 1100u);
  EXPECT_EQ(as_set(r->deleted).size(), 1100u);
  EXPECT_TRUE(r->failures.empty());
  EXPECT_TRUE(keys().empty());
  EXPECT_EQ(deleting, (std::vector<std::uint64_t>{1000, 1100, 1100}));  // two batches, the end
}

TEST_F(LargeGcLocal, NestedPrefixesOfTwoFields) {
  auto pages = table<Page>({.fields = {{"html", {.prefix = "blobs/html/"}}}});
  Page p1{.url = "u1"};
  p1.html = "one";
  p1.cover = Bytes(std::string("c1"));
  Page p2{.url = "u2"};
  p2.html = "two";
  ASSERT_TRUE(pages.save(p1));
  ASSERT_TRUE(pages.save(p2));
  ASSERT_TRUE(key_of(p1.html.uri()).starts_with("blobs/html/"));
  const Keys referenced = keys();
  ASSERT_EQ(referenced.size(), 3u);
  const Keys orphans = {"blobs/html/orphan", "blobs/orphan"};
  for (const auto& k : orphans) put(k);

  // The cover target's listing ("blobs/") holds the html objects too: the
  // html attribute's references keep them, and each object is listed once,
  // whichever order the targets come in.
  const std::vector<GcTarget> targets = {GcTarget{s3_, bucket_, "blobs/html/", {"html"}},
                                         GcTarget{s3_, bucket_, "blobs/", {"cover"}}};
  auto dry = gc_large_objects(ddb_, pages.name(), targets, {.grace = 0s, .dry_run = true});
  ASSERT_TRUE(dry) << dry.error().to_string();
  EXPECT_EQ(dry->listed, 5u);
  EXPECT_EQ(dry->referenced, 3u);
  EXPECT_EQ(as_set(dry->deleted), orphans);

  auto r = gc_large_objects(pages, {.grace = 0s});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->listed, 5u);
  EXPECT_EQ(r->referenced, 3u);
  EXPECT_EQ(as_set(r->deleted), orphans);
  EXPECT_EQ(r->deleted.size(), 2u);
  EXPECT_EQ(keys(), referenced);
}

TEST_F(LargeGcLocal, PynamodbMateObjectsAreListedWhereThatLayoutWrites) {
  // pynamodb_mate cuts the leading '/': keys start with "mate//".
  auto mates = table<Mate>({.prefix = "/mate/"});
  Mate m1{.pk = "id-1"};
  m1.html = "one";
  ASSERT_TRUE(mates.save(m1));
  Mate m2{.pk = "id-2"};
  m2.html = "first";
  ASSERT_TRUE(mates.save(m2));
  const std::string superseded = key_of(m2.html.uri());
  ASSERT_TRUE(superseded.starts_with("mate//pk=id-2/")) << superseded;
  m2.html = "second";
  ASSERT_TRUE(mates.save(m2));  // the old object stays for the GC
  const std::string orphan = "mate//pk=zz/attr=html/md5=" + std::string(32, '0');
  put(orphan);
  ASSERT_EQ(keys().size(), 4u);

  auto r = gc_large_objects(mates, {.grace = 0s});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->listed, 4u);
  EXPECT_EQ(r->referenced, 2u);
  EXPECT_EQ(as_set(r->deleted), (Keys{superseded, orphan}));
  EXPECT_EQ(keys(), (Keys{key_of(m1.html.uri()), key_of(m2.html.uri())}));
  EXPECT_EQ(mates.get("id-2").value().html.value(), "second");
}

TEST_F(LargeGcLocal, BadArgumentsAndMissingResources) {
  auto pages = table<Page>();
  auto code = [](const Result<GcReport>& r) {
    return r ? std::string("ok") : std::string(to_string(r.error().code));
  };
  const std::string invalid(to_string(ErrorCode::invalid_argument));
  const std::string not_found(to_string(ErrorCode::not_found));
  const GcTarget good{s3_, bucket_, "blobs/", {"html"}};

  EXPECT_EQ(code(gc_large_objects(ddb_, pages.name(), {}, {})), invalid);
  EXPECT_EQ(code(gc_large_objects(ddb_, pages.name(), {GcTarget{s3_, bucket_, "blobs/", {}}})),
            invalid);
  EXPECT_EQ(code(gc_large_objects(ddb_, pages.name(), {good}, {.grace = -1s})), invalid);
  EXPECT_EQ(code(gc_large_objects(pages, {.grace = -1s})), invalid);
  EXPECT_EQ(code(gc_large_objects(pages, {.scan_segments = 0})), invalid);

  // A model without large fields; a table without an S3 client.
  Table<Plain> plain(ddb_, {.table_name = pages.name()});
  EXPECT_EQ(code(gc_large_objects(plain)), invalid);
  Table<Page> no_s3(ddb_, {.table_name = pages.name()});
  EXPECT_EQ(code(gc_large_objects(no_s3)), invalid);

  // A missing table, a missing bucket.
  EXPECT_EQ(code(gc_large_objects(ddb_, unique_name("no-such-table"), {good}, {.grace = 0s})),
            not_found);
  const GcTarget nowhere{s3_, unique_name("no-such-bucket"), "blobs/", {"html"}};
  EXPECT_EQ(code(gc_large_objects(ddb_, pages.name(), {nowhere}, {.grace = 0s})), not_found);
}

}  // namespace
}  // namespace dynamate::test
