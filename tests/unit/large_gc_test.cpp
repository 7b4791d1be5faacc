// gc_large_objects() against fakes: which objects it deletes, the requests it
// sends (consistent scan with the projection, DeleteObjects batches), per-key
// DeleteObjects failures in the report, HeadObject verdicts, and the targets
// a Table's large fields give (pynamodb_mate's prefix normalisation).
#include "dynamate/large_gc.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "dynamodb_test_fixture.hpp"
#include "s3_fixture.hpp"

namespace dynamate::test {
namespace {

using aws::s3_test::S3Fixture;

constexpr const char* kOld = "2009-10-12T17:50:30.000Z";
constexpr const char* kOldHttp = "Mon, 12 Oct 2009 17:50:30 GMT";

// A scripted S3 bucket "bkt": ListObjectsV2 pages of `page_size`, HeadObject
// answers from `head_dates` (absent key: 404), DeleteObjects fails for the
// keys in `refuse`.
struct FakeBucket {
  std::vector<std::string> keys;
  std::map<std::string, std::string> head_dates;
  std::set<std::string> refuse;
  std::size_t page_size = 1000;
  std::mutex mu;
  std::vector<std::size_t> delete_batches;  // keys per DeleteObjects request

  static std::string query_param(const std::string& url, const std::string& name) {
    const auto at = url.find(name + "=");
    if (at == std::string::npos) return {};
    const auto start = at + name.size() + 1;
    return url.substr(start, url.find('&', start) - start);
  }

  Result<http::Response> answer(const http::Request& r) {
    std::lock_guard lock(mu);
    if (r.method == "GET" && r.url.find("list-type=2") != std::string::npos) {
      const std::string token = query_param(r.url, "continuation-token");
      const std::size_t from = token.empty() ? 0 : std::stoul(token);
      const std::size_t to = std::min(keys.size(), from + page_size);
      std::string xml = "<ListBucketResult>";
      for (std::size_t i = from; i < to; ++i) {
        xml += "<Contents><Key>" + keys[i] + "</Key><LastModified>" + kOld +
               "</LastModified><Size>1</Size></Contents>";
      }
      xml += to < keys.size() ? "<IsTruncated>true</IsTruncated><NextContinuationToken>" +
                                    std::to_string(to) + "</NextContinuationToken>"
                              : "<IsTruncated>false</IsTruncated>";
      return http::Response{200, {}, xml + "</ListBucketResult>"};
    }
    if (r.method == "HEAD") {
      const std::string key = r.url.substr(r.url.find("/bkt/") + 5);
      auto it = head_dates.find(key);
      if (it == head_dates.end()) return http::Response{404, {}, {}};
      return http::Response{200, {{"Last-Modified", it->second}, {"Content-Length", "1"}}, {}};
    }
    if (r.method == "POST" && r.url.ends_with("?delete")) {
      std::size_t n = 0;
      std::string errors;
      for (std::size_t at = r.body.find("<Key>"); at != std::string::npos;
           at = r.body.find("<Key>", at + 1)) {
        ++n;
        const auto end = r.body.find("</Key>", at);
        const std::string key = r.body.substr(at + 5, end - at - 5);
        if (refuse.count(key) != 0) {
          errors += "<Error><Key>" + key +
                    "</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>";
        }
      }
      delete_batches.push_back(n);
      return http::Response{200, {}, "<DeleteResult>" + errors + "</DeleteResult>"};
    }
    return unexpected(ErrorCode::internal, "FakeBucket: unexpected " + r.method + " " + r.url);
  }
};

std::string scan_page(const std::vector<std::string>& uris) {
  std::string items;
  for (const auto& u : uris) {
    if (!items.empty()) items += ",";
    items += R"({"id":{"S":"x"},"html":{"S":")" + u + R"("}})";
  }
  const std::string n = std::to_string(uris.size());
  return R"({"Items":[)" + items + R"(],"Count":)" + n + R"(,"ScannedCount":)" + n + "}";
}

struct GcFakes {
  DynamoDbFixture ddb;
  S3Fixture s3{{.endpoint = "http://127.0.0.1:9", .path_style = true}};
  FakeBucket bucket;

  GcFakes() {
    s3.transport->set_handler([this](const http::Request& r) { return bucket.answer(r); });
  }
  std::vector<GcTarget> targets() const { return {GcTarget{s3.client, "bkt", "p/", {"html"}}}; }
};

TEST(LargeGc, PerKeyDeleteFailuresReachTheReport) {
  GcFakes f;
  f.bucket.keys = {"p/a", "p/b", "p/c", "p/ref"};
  for (const auto& k : f.bucket.keys) f.bucket.head_dates[k] = kOldHttp;
  f.bucket.refuse = {"p/b"};
  f.ddb.transport->push(200, scan_page({"s3://bkt/p/ref", "s3://other/p/a", "not a uri"}));

  auto r = gc_large_objects(*f.ddb, "tbl", f.targets(),
                            {.grace = std::chrono::seconds(0), .scan_segments = 1});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->listed, 4u);
  EXPECT_EQ(r->recent, 0u);
  EXPECT_EQ(r->referenced, 1u);
  EXPECT_EQ(r->items_scanned, 3u);
  EXPECT_EQ(r->deleted, (std::vector<std::string>{"p/a", "p/c"}));
  ASSERT_EQ(r->failures.size(), 1u);
  EXPECT_EQ(r->failures[0].key, "p/b");
  EXPECT_EQ(r->failures[0].code, "AccessDenied");
  EXPECT_EQ(r->failures[0].message, "Access Denied");

  // One consistent scan of the projected attributes.
  ASSERT_EQ(f.ddb.transport->request_count(), 1u);
  EXPECT_EQ(f.ddb.target(0), "DynamoDB_20120810.Scan");
  EXPECT_TRUE(JsonEq(f.ddb.body(0), R"({"TableName":"tbl","ConsistentRead":true,
      "ProjectionExpression":"#a0","ExpressionAttributeNames":{"#a0":"html"}})"));
}

TEST(LargeGc, HeadObjectDecidesBetweenDoomedRefreshedAndGone) {
  GcFakes f;
  f.bucket.keys = {"p/doomed", "p/fresh", "p/gone", "p/later"};
  f.bucket.head_dates["p/doomed"] = kOldHttp;
  f.bucket.head_dates["p/fresh"] = "not a date";                     // no usable date: kept
  f.bucket.head_dates["p/later"] = "Tue, 13 Oct 2009 17:50:30 GMT";  // touched since listed
  f.ddb.transport->push(200, scan_page({}));
  auto r = gc_large_objects(*f.ddb, "tbl", f.targets(),
                            {.grace = std::chrono::hours(1), .scan_segments = 1});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->referenced, 0u);
  EXPECT_EQ(r->refreshed, 2u);
  EXPECT_EQ(r->deleted, std::vector<std::string>{"p/doomed"});
  EXPECT_TRUE(r->failures.empty());
}

TEST(LargeGc, DeletesInBatchesOfAtMost1000AndScansSegmentsInParallel) {
  GcFakes f;
  for (int i = 0; i < 2500; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "p/%05d", i);
    f.bucket.keys.emplace_back(name);
    f.bucket.head_dates[name] = kOldHttp;
  }
  f.ddb.transport->set_handler([](const http::Request&) {
    return Result<http::Response>(http::Response{200, {}, scan_page({"s3://bkt/p/00007"})});
  });
  std::vector<GcProgress> seen;
  auto r = gc_large_objects(*f.ddb, "tbl", f.targets(),
                            {.grace = std::chrono::seconds(0),
                             .progress = [&](const GcProgress& p) { seen.push_back(p); },
                             .scan_segments = 3});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->listed, 2500u);
  EXPECT_EQ(r->referenced, 1u);
  EXPECT_EQ(r->items_scanned, 3u);
  EXPECT_EQ(r->deleted.size(), 2499u);
  EXPECT_EQ(f.bucket.delete_batches, (std::vector<std::size_t>{1000, 1000, 499}));
  // Three segments, each asked for once.
  std::set<std::string> segments;
  for (std::size_t i = 0; i < 3; ++i) {
    simdjson::dom::parser p;
    auto doc = p.parse(f.ddb.body(i));
    EXPECT_EQ(doc["TotalSegments"].get_int64().value(), 3);
    segments.insert(std::to_string(doc["Segment"].get_int64().value()));
  }
  EXPECT_EQ(segments, (std::set<std::string>{"0", "1", "2"}));
  // Progress: every phase, in order, ending with the totals.
  std::vector<std::string> phases;
  for (const auto& p : seen) {
    if (phases.empty() || phases.back() != p.phase) phases.push_back(p.phase);
  }
  EXPECT_EQ(phases, (std::vector<std::string>{"list", "scan", "check", "delete"}));
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().done, 2499u);
}

TEST(LargeGc, DryRunOnlyReports) {
  GcFakes f;
  f.bucket.keys = {"p/a"};
  f.bucket.head_dates["p/a"] = kOldHttp;
  f.ddb.transport->push(200, scan_page({}));
  auto r =
      gc_large_objects(*f.ddb, "tbl", f.targets(),
                       {.grace = std::chrono::seconds(0), .dry_run = true, .scan_segments = 1});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->deleted, std::vector<std::string>{"p/a"});
  EXPECT_TRUE(f.bucket.delete_batches.empty());
}

TEST(LargeGc, ErrorsOfTheCallsAndBadArguments) {
  GcFakes f;
  f.bucket.keys = {"p/a"};
  f.ddb.transport->push(400,
                        R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                                 "message":"Requested resource not found"})");
  auto missing = gc_large_objects(*f.ddb, "tbl", f.targets(), {.scan_segments = 1});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found) << missing.error().to_string();

  auto bad = [&](std::vector<GcTarget> targets, GcOptions options) {
    const auto before = f.s3.transport->request_count() + f.ddb.transport->request_count();
    auto r = gc_large_objects(*f.ddb, "tbl", targets, options);
    EXPECT_EQ(f.s3.transport->request_count() + f.ddb.transport->request_count(), before);
    return r ? std::string("ok") : r.error().message;
  };
  EXPECT_NE(bad({}, {}).find("no targets"), std::string::npos);
  EXPECT_NE(bad({GcTarget{f.s3.client, "bkt", "p/", {}}}, {}).find("no attributes"),
            std::string::npos);
  EXPECT_NE(bad({GcTarget{f.s3.client, "", "p/", {"a"}}}, {}).find("no bucket"), std::string::npos);
  EXPECT_NE(bad(f.targets(), {.grace = std::chrono::seconds(-1)}).find("negative grace"),
            std::string::npos);
  EXPECT_NE(bad(f.targets(), {.scan_segments = 0}).find("scan_segments"), std::string::npos);
  EXPECT_NE(bad(f.targets(), {.scan_segments = 65}).find("scan_segments"), std::string::npos);
}

TEST(LargeGc, TargetsOfATableListWhereEachLayoutWrites) {
  S3Fixture s3;
  using detail::LargeFieldSpec;
  LargeConfig config{.s3 = s3.client, .bucket = "bkt", .prefix = "blobs/"};
  config.fields["mate"].prefix = "/mate/";
  config.fields["mate2"].prefix = "mate2";
  config.fields["other"].bucket = "elsewhere";
  auto context = detail::make_large_context(
      "t", config,
      {LargeFieldSpec{"html", detail::LargeKind::text, {}},
       LargeFieldSpec{"cover", detail::LargeKind::binary, {.layout = KeyLayout::shared}},
       LargeFieldSpec{"mate", detail::LargeKind::text, {.layout = KeyLayout::pynamodb_mate}},
       LargeFieldSpec{"mate2", detail::LargeKind::text, {.layout = KeyLayout::pynamodb_mate}},
       LargeFieldSpec{"other", detail::LargeKind::text, {}}});
  ASSERT_TRUE(context);
  auto targets = detail::large_gc_targets(context.get(), "t");
  ASSERT_TRUE(targets) << targets.error().to_string();
  std::vector<std::string> got;
  for (const auto& t : *targets) {
    std::string names;
    for (const auto& a : t.attributes) names += a + ",";
    got.push_back(t.bucket + "|" + t.prefix + "|" + names);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"bkt|blobs/|html,cover,", "bkt|mate//|mate,",
                                           "bkt|mate2/|mate2,", "elsewhere|blobs/|other,"}));

  auto none = detail::large_gc_targets(nullptr, "t");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::invalid_argument);
  LargeConfig no_s3{.bucket = "bkt"};
  auto without = detail::make_large_context("t", no_s3, {{"html", detail::LargeKind::text, {}}});
  auto refused = detail::large_gc_targets(without.get(), "t");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("no S3 client"), std::string::npos);
}

}  // namespace
}  // namespace dynamate::test
