// DynamoDbClient signatures checked for real: moto with IAM authentication on
// accepts the right key for every call and answers a wrong secret with 403.
#include <gtest/gtest.h>

#include "dynamate/aws/dynamodb.hpp"
#include "support/local_aws.hpp"

namespace dynamate::aws {
namespace {

using namespace std::chrono_literals;

DynamoDbClient client_with(std::string access_key, std::string secret) {
  ClientConfig config = test::auth_config();
  config.credentials =
      static_credentials({std::move(access_key), std::move(secret), "", {}, "test"});
  config.retry.max_attempts = 1;
  return DynamoDbClient::create(std::move(config)).value();
}

// Deletes the table at the end even when an assertion stopped the test early.
class DynamoDbAuthTable : public ::testing::Test {
 protected:
  void TearDown() override {
    if (auto d = client.delete_table(table); !d) {
      EXPECT_EQ(d.error().code, ErrorCode::not_found) << d.error().to_string();
    }
  }
  const DynamoDbClient client = DynamoDbClient::create(test::auth_config()).value();
  const std::string table = test::unique_name("dynamate-ddb-auth");
};

TEST_F(DynamoDbAuthTable, TheRightKeyCanDoEverything) {
  auto created = client.create_table(
      {.table_name = table,
       .attribute_definitions = {{"pk", ScalarAttributeType::S}, {"sk", ScalarAttributeType::S}},
       .key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}}});
  ASSERT_TRUE(created) << created.error().to_string();
  auto active = client.wait_until_active(table, 60s, 100ms);
  EXPECT_TRUE(active) << active.error().to_string();

  AttributeMap item{{"pk", AttributeValue("a")},
                    {"sk", AttributeValue("1")},
                    {"text", AttributeValue("héllo \"quoted\" / + = &")}};
  auto put = client.put_item({.table_name = table, .item = item});
  EXPECT_TRUE(put) << put.error().to_string();
  auto got = client.get_item(
      {.table_name = table, .key = {{"pk", AttributeValue("a")}, {"sk", AttributeValue("1")}}});
  ASSERT_TRUE(got) << got.error().to_string();
  EXPECT_EQ(got->item, item);
  auto q = client.query({.table_name = table,
                         .key_condition_expression = "pk = :p",
                         .expression_attribute_values = {{":p", AttributeValue("a")}}});
  ASSERT_TRUE(q) << q.error().to_string();
  EXPECT_EQ(q->count, 1);

  auto deleted = client.delete_table(table);
  ASSERT_TRUE(deleted) << deleted.error().to_string();
  auto gone = client.wait_until_deleted(table, 60s, 100ms);
  EXPECT_TRUE(gone) << gone.error().to_string();
}

TEST(DynamoDbAuth, WrongSecretIsAccessDenied) {
  const auto& local = test::local_aws();
  const DynamoDbClient client = client_with(local.auth_access_key, "not-the-secret");
  auto listed = client.list_tables();
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().code, ErrorCode::access_denied) << listed.error().to_string();
  EXPECT_EQ(listed.error().http_status, 403);
  auto described = client.describe_table("anything");
  ASSERT_FALSE(described);
  EXPECT_EQ(described.error().code, ErrorCode::access_denied) << described.error().to_string();
}

TEST(DynamoDbAuth, UnknownKeyIsAccessDenied) {
  const DynamoDbClient client = client_with("AKIAUNKNOWNKEY000000", "whatever");
  auto listed = client.list_tables();
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().code, ErrorCode::access_denied) << listed.error().to_string();
}

}  // namespace
}  // namespace dynamate::aws
