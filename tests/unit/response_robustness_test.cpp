// Hostile and broken server answers: every prefix of a valid response and
// thousands of random byte mutations go through the real client code paths.
// Each must come back as a value or an Error, never a crash, a hang or
// undefined behaviour (this file runs under ASan/UBSan in CI).
#include <gtest/gtest.h>

#include <random>

#include "support/fake_transport.hpp"
#include "unit/dynamodb_test_fixture.hpp"
#include "unit/s3_fixture.hpp"

namespace dynamate {
namespace {

std::vector<std::string> corruptions(const std::string& valid, unsigned seed, int mutations) {
  std::vector<std::string> out;
  for (std::size_t n = 0; n < valid.size(); ++n) out.push_back(valid.substr(0, n));
  std::mt19937 rng(seed);
  const char specials[] = {'"', '{', '}', '[',  ']', ':',  ',',
                           '<', '>', '/', '\\', '&', '\0', '\xff'};
  for (int i = 0; i < mutations; ++i) {
    std::string s = valid;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const std::size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0:
          s[at] = specials[rng() % sizeof specials];
          break;
        case 1:
          s.erase(at, 1 + rng() % 8);
          break;
        default:
          s.insert(at, 1, static_cast<char>(rng()));
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

const char* kQueryResponse =
    R"({"Count":2,"ScannedCount":3,"Items":[{"pk":{"S":"a"},"n":{"N":"1.5"},)"
    R"("b":{"B":"AAEC"},"l":{"L":[{"BOOL":true},{"NULL":true},{"SS":["x","y"]}]},)"
    R"("m":{"M":{"k":{"NS":["1","2"]},"bs":{"BS":["AA=="]}}}}],)"
    R"("LastEvaluatedKey":{"pk":{"S":"a"}},"ConsumedCapacity":{"TableName":"t",)"
    R"("CapacityUnits":1.5,"Table":{"CapacityUnits":1.5}}})";

TEST(ResponseRobustness, DynamoDbQueryAnswers) {
  test::DynamoDbFixture f(aws::RetryOptions{.max_attempts = 1});
  aws::QueryRequest q;
  q.table_name = "table";
  q.key_condition_expression = "pk = :p";
  q.expression_attribute_values = {{":p", AttributeValue("a")}};
  f.transport->push(200, kQueryResponse);
  auto ok = f->query(q);
  ASSERT_TRUE(ok) << ok.error().to_string();  // the uncorrupted answer parses
  ASSERT_EQ(ok->items.size(), 1u);
  int errors = 0;
  for (const auto& body : corruptions(kQueryResponse, 1, 3000)) {
    f.transport->push(200, body);
    auto r = f->query(q);
    if (!r) {
      ++errors;
      EXPECT_TRUE(r.error().code == ErrorCode::protocol) << r.error().to_string();
    }
  }
  EXPECT_GT(errors, 1000);  // the corruptions are mostly detected, not accepted
}

TEST(ResponseRobustness, DynamoDbErrorAnswers) {
  test::DynamoDbFixture f(aws::RetryOptions{.max_attempts = 1});
  const std::string cancel =
      R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
      R"("Message":"Transaction cancelled","CancellationReasons":[{"Code":"None"},)"
      R"({"Code":"ConditionalCheckFailed","Message":"failed","Item":{"pk":{"S":"a"}}}]})";
  aws::GetItemRequest g;
  g.table_name = "table";
  g.key = {{"pk", AttributeValue("a")}};
  for (const auto& body : corruptions(cancel, 2, 2000)) {
    f.transport->push(400, body);
    auto r = f->get_item(g);
    ASSERT_FALSE(r);  // a 400 is an error whatever its body says
    EXPECT_EQ(r.error().http_status, 400);
  }
}

TEST(ResponseRobustness, S3ListAndDeleteAnswers) {
  aws::s3_test::S3Fixture f;
  const std::string list =
      "<?xml version=\"1.0\"?><ListBucketResult><Name>b</Name><Prefix></Prefix>"
      "<KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>"
      "<EncodingType>url</EncodingType><NextContinuationToken>tok</NextContinuationToken>"
      "<Contents><Key>a%20b</Key><Size>12</Size><ETag>&quot;e&quot;</ETag>"
      "<LastModified>2025-01-02T03:04:05.000Z</LastModified><StorageClass>STANDARD"
      "</StorageClass></Contents><CommonPrefixes><Prefix>p%2F</Prefix></CommonPrefixes>"
      "</ListBucketResult>";
  f.transport->push(200, list);
  auto ok = f.client.list_objects("bucket");
  ASSERT_TRUE(ok) << ok.error().to_string();
  ASSERT_EQ(ok->objects.size(), 1u);
  EXPECT_EQ(ok->objects[0].key, "a b");
  for (const auto& body : corruptions(list, 3, 3000)) {
    f.transport->push(200, body);
    (void)f.client.list_objects("bucket");
  }
  const std::string deleted =
      "<DeleteResult><Deleted><Key>a</Key></Deleted><Error><Key>b</Key><Code>AccessDenied"
      "</Code><Message>no</Message></Error></DeleteResult>";
  const std::vector<std::string> keys = {"a", "b"};
  for (const auto& body : corruptions(deleted, 4, 2000)) {
    f.transport->push(200, body);
    (void)f.client.delete_objects("bucket", keys);
  }
  for (const auto& body : corruptions("<Error><Code>NoSuchKey</Code><Message>m</Message>"
                                      "<Key>k</Key><RequestId>r</RequestId></Error>",
                                      5, 2000)) {
    f.transport->push(404, body);
    auto r = f.client.get_object("bucket", "k");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().http_status, 404);
  }
}

}  // namespace
}  // namespace dynamate
