// Table<T> Query, Scan and Count on the wire: key conditions, filters,
// projections with the key attributes added, Limit and ExclusiveStartKey from
// page to page, a total limit (the last page's Limit, or a page cut with the
// resume key of the last item handed out), Select COUNT, index queries and
// their read consistency, against FakeTransport.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

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

TEST_F(OrmTable, QueryBuildsTheKeyConditionAndFollowsPages) {
  f.transport->push(200, page_json(1, 3, 2));
  f.transport->push(200, page_json(3, 4, std::nullopt));
  auto pager = docs.query("a", {.range_key_condition = field(&Doc::n).between(1, 9),
                                .filter = field(&Doc::score) >= 7,
                                .scan_forward = false,
                                .page_size = 2});
  std::vector<std::int64_t> seen;
  for (auto& r : pager) {
    ASSERT_TRUE(r) << r.error().to_string();
    seen.push_back(r->n);
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_FALSE(pager.last_evaluated_key());
  EXPECT_EQ(pager.scanned_count(), 3);
  ASSERT_EQ(f.transport->request_count(), 2u);
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.Query");
  const std::string common = R"j("TableName":"docs",
    "KeyConditionExpression":"#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2",
    "FilterExpression":"#n2 >= :v3",
    "ExpressionAttributeNames":{"#n0":"id","#n1":"n","#n2":"score"},
    "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"N":"1"},":v2":{"N":"9"},":v3":{"N":"7"}},
    "ScanIndexForward":false,"Limit":2)j";
  EXPECT_TRUE(JsonEq(f.body(0), "{" + common + "}"));
  EXPECT_TRUE(
      JsonEq(f.body(1), "{" + common + R"(,"ExclusiveStartKey":{"id":{"S":"a"},"n":{"N":"2"}}})"));
}

TEST_F(OrmTable, QueryLimitCapsTheLastPageAndResumes) {
  f.transport->push(200, page_json(1, 8, 7));
  f.transport->push(200, page_json(8, 11, 10));
  auto pager = docs.query("a", {.limit = 10, .page_size = 7});
  auto all = pager.all();
  ASSERT_TRUE(all) << all.error().to_string();
  EXPECT_EQ(all->size(), 10u);
  ASSERT_EQ(f.transport->request_count(), 2u);
  EXPECT_NE(f.body(0).find(R"("Limit":7)"), std::string::npos) << f.body(0);
  EXPECT_NE(f.body(1).find(R"("Limit":3)"), std::string::npos) << f.body(1);
  auto key = pager.last_evaluated_key();
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, (AttributeMap{{"id", AttributeValue("a")}, {"n", AttributeValue::number(10)}}));
}

TEST_F(OrmTable, QueryLimitWithAFilterKeepsThePageSize) {
  // Limit counts items before the filter: it stays the page size, and the
  // pager cuts the page at the total limit.
  f.transport->push(200, page_json(1, 8, 9));
  auto pager = docs.query("a", {.filter = field(&Doc::score) > 0, .limit = 3, .page_size = 9});
  auto all = pager.all();
  ASSERT_TRUE(all) << all.error().to_string();
  EXPECT_EQ(all->size(), 3u);
  EXPECT_NE(f.body(0).find(R"("Limit":9)"), std::string::npos) << f.body(0);
  EXPECT_EQ(pager.last_evaluated_key(),
            (AttributeMap{{"id", AttributeValue("a")}, {"n", AttributeValue::number(3)}}));
  EXPECT_EQ(f.transport->request_count(), 1u);
}

TEST_F(OrmTable, QueryLimitInsideAPageResumesAfterTheLastItemHandedOut) {
  // DynamoDB may return more than wanted when a filter is applied after Limit
  // (here: the server ignores Limit); the pager stops at 4 and the resume
  // key is the 4th item's, with the index key attributes too.
  f.transport->push(
      200,
      R"({"Items":[)" + doc_json("a", 1, 1) + "," + doc_json("a", 2, 1) + "," +
          doc_json("a", 3, 1) + "," + doc_json("a", 4, 1) + "," + doc_json("a", 5, 1) +
          R"(],"Count":5,"ScannedCount":5,"LastEvaluatedKey":{"id":{"S":"a"},"n":{"N":"5"},"owner":{"S":"ann"},"score":{"N":"7"}}})");
  auto pager = docs.query(AttributeValue("ann"), {.index_name = "by-owner", .limit = 4});
  auto all = pager.all();
  ASSERT_TRUE(all) << all.error().to_string();
  ASSERT_EQ(all->size(), 4u);
  auto key = pager.last_evaluated_key();
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, (AttributeMap{{"id", AttributeValue("a")},
                                {"n", AttributeValue::number(4)},
                                {"owner", AttributeValue("ann")},
                                {"score", AttributeValue::number(7)}}));
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs","IndexName":"by-owner",
    "KeyConditionExpression":"#n0 = :v0","ExpressionAttributeNames":{"#n0":"owner"},
    "ExpressionAttributeValues":{":v0":{"S":"ann"}},"Limit":4})j"));
}

TEST_F(OrmTable, LastEvaluatedKeyFollowsTheIterator) {
  f.transport->push(200, page_json(1, 4, 3));
  auto pager = docs.query("a");
  auto it = pager.begin();
  ASSERT_NE(it, pager.end());
  EXPECT_EQ(*pager.last_evaluated_key(),
            (AttributeMap{{"id", AttributeValue("a")}, {"n", AttributeValue::number(1)}}));
  ++it;
  EXPECT_EQ(*pager.last_evaluated_key(),
            (AttributeMap{{"id", AttributeValue("a")}, {"n", AttributeValue::number(2)}}));
  ++it;
  EXPECT_EQ(*pager.last_evaluated_key(),
            (AttributeMap{{"id", AttributeValue("a")}, {"n", AttributeValue::number(3)}}));
}

TEST_F(OrmTable, QueryResumesFromExclusiveStartKeyAndByPage) {
  f.transport->push(200, page_json(5, 7, 6));
  f.transport->push(200, page_json(7, 8, std::nullopt));
  AttributeMap start{{"id", AttributeValue("a")}, {"n", AttributeValue::number(4)}};
  auto pager = docs.query("a", {.exclusive_start_key = start});
  EXPECT_EQ(pager.last_evaluated_key(), start);
  auto more = pager.next_page();
  ASSERT_TRUE(more);
  EXPECT_TRUE(*more);
  EXPECT_EQ(pager.page_items().size(), 2u);
  EXPECT_EQ(pager.last_evaluated_key(),
            (AttributeMap{{"id", AttributeValue("a")}, {"n", AttributeValue::number(6)}}));
  EXPECT_NE(f.body(0).find(R"("ExclusiveStartKey":{"id":{"S":"a"},"n":{"N":"4"}})"),
            std::string::npos)
      << f.body(0);
  more = pager.next_page();
  ASSERT_TRUE(more);
  EXPECT_TRUE(*more);
  EXPECT_FALSE(pager.last_evaluated_key());
  more = pager.next_page();
  ASSERT_TRUE(more);
  EXPECT_FALSE(*more);
  EXPECT_EQ(f.transport->request_count(), 2u);
}

TEST_F(OrmTable, IterationAfterNextPageContinuesWithTheFollowingPages) {
  f.transport->push(200, page_json(1, 3, 2));
  f.transport->push(200, page_json(3, 5, 4));
  f.transport->push(200, page_json(5, 6, std::nullopt));
  auto pager = docs.query("a");
  auto more = pager.next_page();  // items 1 and 2, raw
  ASSERT_TRUE(more && *more);
  EXPECT_EQ(pager.page_items().size(), 2u);
  std::vector<std::int64_t> seen;
  for (auto it = pager.begin(); it != pager.end(); ++it) {
    ASSERT_TRUE(it->has_value()) << it->error().to_string();
    seen.push_back((*it)->n);
    if (seen.size() == 1) {
      // begin() again goes on from the item held, not from the start.
      EXPECT_EQ((*pager.begin())->n, 3);
    }
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{3, 4, 5}));
  EXPECT_EQ(f.transport->request_count(), 3u);
  EXPECT_FALSE(pager.last_evaluated_key());
  EXPECT_EQ(pager.begin(), pager.end());  // the end stays the end
  EXPECT_EQ(f.transport->request_count(), 3u);
}

TEST_F(OrmTable, QueryErrorEndsIteration) {
  f.transport->push(200, page_json(1, 2, 1));
  f.transport->push(400, ddb_error("ValidationException", "bad"));
  auto pager = docs.query("a");
  std::vector<bool> results;
  for (auto& r : pager) results.push_back(r.has_value());
  EXPECT_EQ(results, (std::vector<bool>{true, false}));
  EXPECT_EQ(f.transport->request_count(), 2u);
  // Resuming retries the failed page.
  EXPECT_EQ(pager.last_evaluated_key(),
            (AttributeMap{{"id", AttributeValue("a")}, {"n", AttributeValue::number(1)}}));
}

TEST_F(OrmTable, QueryDecodeErrorEndsIteration) {
  f.transport->push(200,
                    R"({"Items":[{"id":{"S":"a"},"n":{"S":"x"}}],"Count":1,"ScannedCount":1})");
  auto all = docs.query("a").all();
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().code, ErrorCode::schema_mismatch);
}

TEST_F(OrmTable, QueryUnknownIndexIsInvalidArgument) {
  auto all = docs.query("a", {.index_name = "nope"}).all();
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(all.error().message.find("nope"), std::string::npos);
  EXPECT_EQ(f.transport->request_count(), 0u);
  auto n = docs.count("a", {.index_name = "nope"});
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::invalid_argument);
}

TEST_F(OrmTable, IndexQueryWithProjectionAndConsistency) {
  Table<Doc> consistent(*f.client, {.consistent_read = true});
  f.transport->push(
      200,
      R"({"Items":[{"id":{"S":"a"},"n":{"N":"1"},"title":{"S":"t"}}],"Count":1,"ScannedCount":1})");
  auto all = consistent
                 .query(AttributeValue("t"),
                        {.index_name = "by-title", .projection = project(&Doc::title)})
                 .all();
  ASSERT_TRUE(all) << all.error().to_string();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].score, 0);  // KEYS_ONLY: the rest keep their defaults
  // A global index is not read consistently; the projection gets the keys.
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs","IndexName":"by-title",
    "KeyConditionExpression":"#n0 = :v0","ProjectionExpression":"#n0, #n1, #n2",
    "ExpressionAttributeNames":{"#n0":"title","#n1":"id","#n2":"n"},
    "ExpressionAttributeValues":{":v0":{"S":"t"}}})j"));
  // A local index is.
  f.transport->push(200, R"({"Items":[],"Count":0,"ScannedCount":0})");
  ASSERT_TRUE(consistent.query("a", {.index_name = "by-score"}).all());
  EXPECT_NE(f.body(1).find(R"("ConsistentRead":true)"), std::string::npos) << f.body(1);
}

TEST_F(OrmTable, CountSumsPagesWithSelectCount) {
  f.transport->push(
      200, R"({"Count":5,"ScannedCount":9,"LastEvaluatedKey":{"id":{"S":"a"},"n":{"N":"9"}}})");
  f.transport->push(200, R"({"Count":2,"ScannedCount":3})");
  auto n = docs.count("a", {.filter = field(&Doc::score) > 1, .projection = project(&Doc::title)});
  ASSERT_TRUE(n) << n.error().to_string();
  EXPECT_EQ(*n, 7);
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs","KeyConditionExpression":"#n0 = :v0",
    "FilterExpression":"#n1 > :v1","ExpressionAttributeNames":{"#n0":"id","#n1":"score"},
    "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"N":"1"}},"Select":"COUNT"})j"));
  EXPECT_NE(f.body(1).find(R"("ExclusiveStartKey":{"id":{"S":"a"},"n":{"N":"9"}})"),
            std::string::npos);
}

TEST_F(OrmTable, CountWithLimitAndScanCount) {
  f.transport->push(200, R"({"Count":4,"ScannedCount":4,"LastEvaluatedKey":{"id":{"S":"k"}}})");
  auto n = plain.count(ScanOptions{.limit = 4});
  ASSERT_TRUE(n) << n.error().to_string();
  EXPECT_EQ(*n, 4);
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.Scan");
  EXPECT_TRUE(JsonEq(f.body(0), R"({"TableName":"dev-plain-things","Select":"COUNT","Limit":4})"));
}

TEST_F(OrmTable, ScanSegmentFilterAndPaging) {
  f.transport->push(
      200,
      R"({"Items":[{"id":{"S":"x"},"body":{"S":"1"}}],"Count":1,"ScannedCount":2,"LastEvaluatedKey":{"id":{"S":"x"}}})");
  f.transport->push(200,
                    R"({"Items":[{"id":{"S":"y"},"body":{"S":"2"}}],"Count":1,"ScannedCount":1})");
  auto pager = plain.scan({.filter = attr("body").begins_with("1") || attr("body").begins_with("2"),
                           .page_size = 2,
                           .segment = 1,
                           .total_segments = 3});
  auto all = pager.all();
  ASSERT_TRUE(all) << all.error().to_string();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].body, "2");
  EXPECT_EQ(pager.scanned_count(), 3);
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"dev-plain-things",
    "FilterExpression":"begins_with(#n0, :v0) OR begins_with(#n0, :v1)",
    "ExpressionAttributeNames":{"#n0":"body"},
    "ExpressionAttributeValues":{":v0":{"S":"1"},":v1":{"S":"2"}},
    "Limit":2,"Segment":1,"TotalSegments":3})j"));
  EXPECT_NE(f.body(1).find(R"("ExclusiveStartKey":{"id":{"S":"x"}})"), std::string::npos);
}

TEST_F(OrmTable, ScanNeedsBothSegmentFields) {
  auto all = plain.scan({.segment = 1}).all();
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(f.transport->request_count(), 0u);
}

}  // namespace
}  // namespace dynamate
