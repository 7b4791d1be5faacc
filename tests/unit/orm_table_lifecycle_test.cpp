// Table<T> lifecycle on the wire: table names from the config, CreateTable
// from a schema (attribute definitions of every table and index key, GSIs and
// an LSI with ALL / KEYS_ONLY / INCLUDE, billing and capacities, stream,
// tags), the wait, TTL, ignore_existing, exists/describe/delete, against
// FakeTransport.
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

// ---- Lifecycle ----

TEST_F(OrmTable, NameFromSchemaConfigAndPrefix) {
  EXPECT_EQ(docs.name(), "docs");
  EXPECT_EQ(plain.name(), "dev-plain-things");
  Table<Doc> prefixed(*f.client, {.name_prefix = "test-"});
  EXPECT_EQ(prefixed.name(), "test-docs");
}

TEST_F(OrmTable, CreateTableFromSchemaWaitsAndEnablesTtl) {
  f.transport->push(200, R"({"TableDescription":{"TableName":"docs","TableStatus":"CREATING"}})");
  f.transport->push(200, R"({"Table":{"TableName":"docs","TableStatus":"CREATING"}})");
  f.transport->push(200, R"({"Table":{"TableName":"docs","TableStatus":"ACTIVE"}})");
  f.transport->push(200,
                    R"({"TimeToLiveSpecification":{"AttributeName":"expires","Enabled":true}})");
  auto d = docs.create_table({.tags = {{"team", "core"}}});
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->table_status, aws::TableStatus::active);
  ASSERT_EQ(f.transport->request_count(), 4u);
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.CreateTable");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs",
    "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},
      {"AttributeName":"n","AttributeType":"N"},{"AttributeName":"owner","AttributeType":"S"},
      {"AttributeName":"score","AttributeType":"N"},{"AttributeName":"title","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}],
    "GlobalSecondaryIndexes":[
      {"IndexName":"by-owner","KeySchema":[{"AttributeName":"owner","KeyType":"HASH"},
        {"AttributeName":"score","KeyType":"RANGE"}],
       "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["title"]},
       "ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4}},
      {"IndexName":"by-title","KeySchema":[{"AttributeName":"title","KeyType":"HASH"}],
       "Projection":{"ProjectionType":"KEYS_ONLY"},
       "ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":6}}],
    "LocalSecondaryIndexes":[
      {"IndexName":"by-score","KeySchema":[{"AttributeName":"id","KeyType":"HASH"},
        {"AttributeName":"score","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],
    "BillingMode":"PROVISIONED",
    "ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4},
    "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"},
    "Tags":[{"Key":"team","Value":"core"}]})j"));
  EXPECT_EQ(f.target(1), "DynamoDB_20120810.DescribeTable");
  EXPECT_TRUE(JsonEq(f.body(1), R"({"TableName":"docs"})"));
  EXPECT_EQ(f.target(3), "DynamoDB_20120810.UpdateTimeToLive");
  EXPECT_TRUE(JsonEq(f.body(3), R"j({"TableName":"docs",
    "TimeToLiveSpecification":{"AttributeName":"expires","Enabled":true}})j"));
}

TEST_F(OrmTable, CreateTableOptionsOverrideTheSchema) {
  f.transport->push(200, R"({"TableDescription":{"TableName":"docs","TableStatus":"CREATING"}})");
  auto d = docs.create_table({.wait = false,
                              .billing_mode = aws::BillingMode::pay_per_request,
                              .stream = aws::StreamViewType::keys_only});
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->table_status, aws::TableStatus::creating);
  ASSERT_EQ(f.transport->request_count(), 1u);  // no wait, so no TTL either
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs",
    "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},
      {"AttributeName":"n","AttributeType":"N"},{"AttributeName":"owner","AttributeType":"S"},
      {"AttributeName":"score","AttributeType":"N"},{"AttributeName":"title","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}],
    "GlobalSecondaryIndexes":[
      {"IndexName":"by-owner","KeySchema":[{"AttributeName":"owner","KeyType":"HASH"},
        {"AttributeName":"score","KeyType":"RANGE"}],
       "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["title"]}},
      {"IndexName":"by-title","KeySchema":[{"AttributeName":"title","KeyType":"HASH"}],
       "Projection":{"ProjectionType":"KEYS_ONLY"}}],
    "LocalSecondaryIndexes":[
      {"IndexName":"by-score","KeySchema":[{"AttributeName":"id","KeyType":"HASH"},
        {"AttributeName":"score","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],
    "BillingMode":"PAY_PER_REQUEST",
    "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}})j"));
}

TEST_F(OrmTable, CreateTableOfASimpleModel) {
  f.transport->push(200, R"({"TableDescription":{"TableName":"dev-plain-things"}})");
  f.transport->push(200, R"({"Table":{"TableName":"dev-plain-things","TableStatus":"ACTIVE"}})");
  ASSERT_TRUE(plain.create_table());
  ASSERT_EQ(f.transport->request_count(), 2u);  // no TTL attribute
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"dev-plain-things",
    "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})j"));
}

TEST_F(OrmTable, CreateTableIgnoreExistingKeepsEnabledTtl) {
  f.transport->push(400, ddb_error("ResourceInUseException", "Table already exists: docs"));
  f.transport->push(200, R"({"Table":{"TableName":"docs","TableStatus":"ACTIVE"}})");
  f.transport->push(200, R"({"Table":{"TableName":"docs","TableStatus":"ACTIVE"}})");
  f.transport->push(200, R"j({"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED",
      "AttributeName":"expires"}})j");
  auto d = docs.create_table({.ignore_existing = true});
  ASSERT_TRUE(d) << d.error().to_string();
  ASSERT_EQ(f.transport->request_count(), 4u);
  EXPECT_EQ(f.target(3), "DynamoDB_20120810.DescribeTimeToLive");
}

TEST_F(OrmTable, CreateTableIgnoreExistingEnablesMissingTtl) {
  f.transport->push(400, ddb_error("ResourceInUseException", "Table already exists: docs"));
  f.transport->push(200, R"({"Table":{"TableName":"docs","TableStatus":"ACTIVE"}})");
  f.transport->push(200, R"({"Table":{"TableName":"docs","TableStatus":"ACTIVE"}})");
  f.transport->push(200, R"({"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}})");
  f.transport->push(200,
                    R"({"TimeToLiveSpecification":{"AttributeName":"expires","Enabled":true}})");
  ASSERT_TRUE(docs.create_table({.ignore_existing = true}));
  ASSERT_EQ(f.transport->request_count(), 5u);
  EXPECT_EQ(f.target(4), "DynamoDB_20120810.UpdateTimeToLive");
}

TEST_F(OrmTable, CreateTableExistingIsAnError) {
  f.transport->push(400, ddb_error("ResourceInUseException", "Table already exists: docs"));
  auto d = docs.create_table();
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::already_exists);
  EXPECT_NE(d.error().message.find("docs"), std::string::npos) << d.error().message;
  EXPECT_EQ(f.transport->request_count(), 1u);
}

TEST_F(OrmTable, ExistsDescribeDelete) {
  f.transport->push(200, R"({"Table":{"TableName":"docs","TableStatus":"ACTIVE"}})");
  f.transport->push(400, ddb_error("ResourceNotFoundException", "Requested resource not found"));
  f.transport->push(400, ddb_error("AccessDeniedException", "no"));
  auto yes = docs.exists();
  ASSERT_TRUE(yes);
  EXPECT_TRUE(*yes);
  auto no = docs.exists();
  ASSERT_TRUE(no);
  EXPECT_FALSE(*no);
  auto denied = docs.exists();
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::access_denied);

  f.transport->push(200, R"({"Table":{"TableName":"docs","TableStatus":"ACTIVE"}})");
  auto d = docs.describe();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->table_name, "docs");

  // Delete and wait until DescribeTable answers not found.
  f.transport->push(200, R"({"TableDescription":{"TableName":"docs","TableStatus":"DELETING"}})");
  f.transport->push(200, R"({"Table":{"TableName":"docs","TableStatus":"DELETING"}})");
  f.transport->push(400, ddb_error("ResourceNotFoundException", "Requested resource not found"));
  const auto before = f.transport->request_count();
  ASSERT_TRUE(docs.delete_table());
  ASSERT_EQ(f.transport->request_count(), before + 3);
  EXPECT_EQ(f.target(before), "DynamoDB_20120810.DeleteTable");
  EXPECT_TRUE(JsonEq(f.body(before), R"({"TableName":"docs"})"));

  // A missing table: an error unless ignore_missing.
  f.transport->push(400, ddb_error("ResourceNotFoundException", "Requested resource not found"));
  auto missing = docs.delete_table();
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  f.transport->push(400, ddb_error("ResourceNotFoundException", "Requested resource not found"));
  EXPECT_TRUE(docs.delete_table({.ignore_missing = true}));
}

TEST_F(OrmTable, UpdateTtl) {
  f.transport->push(200,
                    R"({"TimeToLiveSpecification":{"AttributeName":"expires","Enabled":false}})");
  ASSERT_TRUE(docs.update_ttl(false));
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs",
    "TimeToLiveSpecification":{"AttributeName":"expires","Enabled":false}})j"));
}

}  // namespace
}  // namespace dynamate
