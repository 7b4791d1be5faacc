// Table<T>::parallel_scan on several threads against FakeTransport: every
// segment scanned once page by page, stopping when visit says so, a total
// limit, the first error. Runs under ThreadSanitizer (label concurrency).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <string>

#include "orm_table_fixture.hpp"

namespace dynamate {
namespace {

using orm_table_test::Doc;
using orm_table_test::Plain;
using test::a_doc;
using test::ddb_error;
using test::doc_json;
using test::JsonEq;
using test::OrmTable;
using test::page_json;

// ---- parallel scan ----

// Answers Scan requests per segment: segment s holds items "s-0".."s-(n-1)",
// two per page.
class SegmentedScan {
 public:
  explicit SegmentedScan(int per_segment) : per_segment_(per_segment) {}
  Result<http::Response> operator()(const http::Request& request) const {
    const std::string& b = request.body;
    const auto seg_pos = b.find(R"("Segment":)");
    const int segment = std::stoi(b.substr(seg_pos + 10));
    int start = 0;
    if (auto k = b.find(R"("ExclusiveStartKey":{"id":{"S":")"); k != std::string::npos) {
      const auto dash = b.find('-', k + 31);
      start = std::stoi(b.substr(dash + 1)) + 1;
    }
    std::string items;
    const int end = std::min(start + 2, per_segment_);
    for (int i = start; i < end; ++i) {
      if (!items.empty()) items += ",";
      items += R"({"id":{"S":")" + std::to_string(segment) + "-" + std::to_string(i) +
               R"("},"body":{"S":"b"}})";
    }
    std::string body = R"({"Items":[)" + items + R"(],"Count":)" + std::to_string(end - start) +
                       R"(,"ScannedCount":)" + std::to_string(end - start);
    if (end < per_segment_) {
      body += R"(,"LastEvaluatedKey":{"id":{"S":")" + std::to_string(segment) + "-" +
              std::to_string(end - 1) + "\"}}";
    }
    http::Response r;
    r.status = 200;
    r.body = body + "}";
    return r;
  }

 private:
  int per_segment_;
};

TEST_F(OrmTable, ParallelScanVisitsEverySegmentOnce) {
  f.transport->set_handler(SegmentedScan(5));
  std::mutex mu;
  std::set<std::string> seen;
  auto n = plain.parallel_scan(4, [&](Plain&& p) {
    std::lock_guard lock(mu);
    EXPECT_TRUE(seen.insert(p.id).second) << p.id;
    return true;
  });
  ASSERT_TRUE(n) << n.error().to_string();
  EXPECT_EQ(*n, 20);
  EXPECT_EQ(seen.size(), 20u);
  EXPECT_EQ(f.transport->request_count(), 12u);  // 3 pages per segment
  for (const auto& r : f.transport->requests()) {
    EXPECT_NE(r.body.find(R"("TotalSegments":4)"), std::string::npos) << r.body;
  }
}

TEST_F(OrmTable, ParallelScanStopsWhenVisitSaysSo) {
  f.transport->set_handler(SegmentedScan(50));
  std::atomic<int> calls{0};
  auto n = plain.parallel_scan(3, [&](Plain&&) { return ++calls < 5; });
  ASSERT_TRUE(n) << n.error().to_string();
  EXPECT_GE(*n, 5);
  EXPECT_LT(*n, 150);
  EXPECT_EQ(*n, calls.load());
}

TEST_F(OrmTable, ParallelScanLimitCapsVisits) {
  f.transport->set_handler(SegmentedScan(10));
  std::atomic<int> calls{0};
  auto n = plain.parallel_scan(2,
                               [&](Plain&&) {
                                 ++calls;
                                 return true;
                               },
                               {.limit = 7});
  ASSERT_TRUE(n) << n.error().to_string();
  EXPECT_EQ(*n, 7);
  EXPECT_EQ(calls.load(), 7);
}

TEST_F(OrmTable, ParallelScanReportsTheFirstError) {
  std::atomic<int> requests{0};
  f.transport->set_handler([&](const http::Request& r) -> Result<http::Response> {
    if (r.body.find(R"("Segment":2)") != std::string::npos) {
      http::Response bad;
      bad.status = 400;
      bad.body = ddb_error("AccessDeniedException", "no");
      return bad;
    }
    ++requests;
    return SegmentedScan(4)(r);
  });
  auto n = plain.parallel_scan(3, [&](Plain&&) { return true; });
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::access_denied);
}

TEST_F(OrmTable, ParallelScanDecodeErrorAndBadSegments) {
  f.transport->set_handler([](const http::Request&) -> Result<http::Response> {
    http::Response r;
    r.status = 200;
    r.body = R"({"Items":[{"id":{"N":"1"}}],"Count":1,"ScannedCount":1})";
    return r;
  });
  auto n = plain.parallel_scan(2, [](Plain&&) { return true; });
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::schema_mismatch);
  auto bad = plain.parallel_scan(0, [](Plain&&) { return true; });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace dynamate
