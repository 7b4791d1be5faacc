// DynamoDbClient on the wire: the exact request of every operation (method,
// URL, headers, JSON body), validation before sending, idempotency and
// retries, x-amz-crc32 checking. Responses and errors: dynamodb_responses_test.
#include <gtest/gtest.h>

#include "dynamodb_test_fixture.hpp"

namespace dynamate::aws {
namespace {

using test::DynamoDbFixture;
using test::JsonEq;

AttributeMap key(std::string pk) { return {{"pk", AttributeValue(std::move(pk))}}; }

TEST(DynamoDbClientWire, PostsJson10WithTarget) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  ASSERT_TRUE(f->get_item({.table_name = "things", .key = key("a")}));
  const auto req = f.transport->requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "http://127.0.0.1:9/");
  ASSERT_NE(http::find_header(req.headers, "Content-Type"), nullptr);
  EXPECT_EQ(*http::find_header(req.headers, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.GetItem");
  const auto* auth = http::find_header(req.headers, "Authorization");
  ASSERT_NE(auth, nullptr);
  EXPECT_NE(auth->find("/us-east-1/dynamodb/aws4_request"), std::string::npos);
}

TEST(DynamoDbClientWire, GetItem) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  ASSERT_TRUE(f->get_item({.table_name = "things",
                           .key = key("a"),
                           .consistent_read = true,
                           .projection_expression = "#n, pk",
                           .expression_attribute_names = {{"#n", "name"}},
                           .return_consumed_capacity = ReturnConsumedCapacity::total}));
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"things","Key":{"pk":{"S":"a"}},
      "ConsistentRead":true,"ProjectionExpression":"#n, pk",
      "ExpressionAttributeNames":{"#n":"name"},"ReturnConsumedCapacity":"TOTAL"})j"));
}

TEST(DynamoDbClientWire, MinimalGetItemLeavesDefaultsOut) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  ASSERT_TRUE(f->get_item({.table_name = "things", .key = key("a")}));
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"things","Key":{"pk":{"S":"a"}}})j"));
}

TEST(DynamoDbClientWire, PutItem) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  PutItemRequest r;
  r.table_name = "things";
  r.item = {{"pk", AttributeValue("a")}, {"n", AttributeValue::number(std::int64_t{5})}};
  r.condition_expression = "attribute_not_exists(pk) OR #n < :max";
  r.expression_attribute_names = {{"#n", "n"}};
  r.expression_attribute_values = {{":max", AttributeValue::number(std::int64_t{10})}};
  r.return_values = ReturnValues::all_old;
  r.return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old;
  r.return_consumed_capacity = ReturnConsumedCapacity::indexes;
  r.return_item_collection_metrics = ReturnItemCollectionMetrics::size;
  ASSERT_TRUE(f->put_item(r));
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.PutItem");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"things",
      "Item":{"pk":{"S":"a"},"n":{"N":"5"}},
      "ConditionExpression":"attribute_not_exists(pk) OR #n < :max",
      "ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":max":{"N":"10"}},
      "ReturnValues":"ALL_OLD","ReturnValuesOnConditionCheckFailure":"ALL_OLD",
      "ReturnConsumedCapacity":"INDEXES","ReturnItemCollectionMetrics":"SIZE"})j"));
}

TEST(DynamoDbClientWire, UpdateItem) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  UpdateItemRequest r;
  r.table_name = "things";
  r.key = key("a");
  r.update_expression = "SET #s = :s ADD visits :one";
  r.condition_expression = "attribute_exists(pk)";
  r.expression_attribute_names = {{"#s", "status"}};
  r.expression_attribute_values = {{":s", AttributeValue("done")},
                                   {":one", AttributeValue::number(std::int64_t{1})}};
  r.return_values = ReturnValues::updated_new;
  ASSERT_TRUE(f->update_item(r));
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.UpdateItem");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"things","Key":{"pk":{"S":"a"}},
      "UpdateExpression":"SET #s = :s ADD visits :one",
      "ConditionExpression":"attribute_exists(pk)","ExpressionAttributeNames":{"#s":"status"},
      "ExpressionAttributeValues":{":s":{"S":"done"},":one":{"N":"1"}},
      "ReturnValues":"UPDATED_NEW"})j"));
}

TEST(DynamoDbClientWire, DeleteItem) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  ASSERT_TRUE(f->delete_item({.table_name = "things",
                              .key = key("a"),
                              .condition_expression = "v = :v",
                              .expression_attribute_values = {{":v", AttributeValue(true)}},
                              .return_values = ReturnValues::all_old}));
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.DeleteItem");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"things","Key":{"pk":{"S":"a"}},
      "ConditionExpression":"v = :v","ExpressionAttributeValues":{":v":{"BOOL":true}},
      "ReturnValues":"ALL_OLD"})j"));
}

TEST(DynamoDbClientWire, Query) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  QueryRequest r;
  r.table_name = "things";
  r.index_name = "by-owner";
  r.key_condition_expression = "owner = :o AND begins_with(sk, :p)";
  r.filter_expression = "size > :min";
  r.projection_expression = "pk, sk";
  r.expression_attribute_values = {{":o", AttributeValue("ann")},
                                   {":p", AttributeValue("2024")},
                                   {":min", AttributeValue::number(std::int64_t{3})}};
  r.select = Select::specific_attributes;
  r.limit = 10;
  r.consistent_read = true;
  r.scan_index_forward = false;
  r.exclusive_start_key = AttributeMap{{"pk", AttributeValue("x")}, {"sk", AttributeValue("y")}};
  r.return_consumed_capacity = ReturnConsumedCapacity::total;
  ASSERT_TRUE(f->query(r));
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.Query");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"things","IndexName":"by-owner",
      "KeyConditionExpression":"owner = :o AND begins_with(sk, :p)",
      "FilterExpression":"size > :min","ProjectionExpression":"pk, sk",
      "ExpressionAttributeValues":{":o":{"S":"ann"},":p":{"S":"2024"},":min":{"N":"3"}},
      "Select":"SPECIFIC_ATTRIBUTES","Limit":10,"ConsistentRead":true,
      "ExclusiveStartKey":{"pk":{"S":"x"},"sk":{"S":"y"}},"ReturnConsumedCapacity":"TOTAL",
      "ScanIndexForward":false})j"));
}

TEST(DynamoDbClientWire, ParallelScan) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  ScanRequest r;
  r.table_name = "things";
  r.filter_expression = "attribute_exists(#t)";
  r.expression_attribute_names = {{"#t", "ttl"}};
  r.select = Select::count;
  r.limit = 100;
  r.segment = 2;
  r.total_segments = 4;
  ASSERT_TRUE(f->scan(r));
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.Scan");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"things","FilterExpression":"attribute_exists(#t)",
      "ExpressionAttributeNames":{"#t":"ttl"},"Select":"COUNT","Limit":100,
      "Segment":2,"TotalSegments":4})j"));
}

TEST(DynamoDbClientWire, BatchGetItem) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  BatchGetItemRequest r;
  r.request_items["a-table"] = {.keys = {key("1"), key("2")},
                                .consistent_read = true,
                                .projection_expression = "#p",
                                .expression_attribute_names = {{"#p", "pk"}}};
  r.request_items["b-table"] = {.keys = {key("3")}};
  r.return_consumed_capacity = ReturnConsumedCapacity::total;
  ASSERT_TRUE(f->batch_get_item(r));
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.BatchGetItem");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"RequestItems":{
      "a-table":{"Keys":[{"pk":{"S":"1"}},{"pk":{"S":"2"}}],"ConsistentRead":true,
                 "ProjectionExpression":"#p","ExpressionAttributeNames":{"#p":"pk"}},
      "b-table":{"Keys":[{"pk":{"S":"3"}}]}},"ReturnConsumedCapacity":"TOTAL"})j"));
}

TEST(DynamoDbClientWire, BatchWriteItem) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  BatchWriteItemRequest r;
  r.request_items["things"] = {PutRequest{{{"pk", AttributeValue("1")}, {"v", Null{}}}},
                               DeleteRequest{key("2")}};
  r.return_item_collection_metrics = ReturnItemCollectionMetrics::size;
  ASSERT_TRUE(f->batch_write_item(r));
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.BatchWriteItem");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"RequestItems":{"things":[
      {"PutRequest":{"Item":{"pk":{"S":"1"},"v":{"NULL":true}}}},
      {"DeleteRequest":{"Key":{"pk":{"S":"2"}}}}]},"ReturnItemCollectionMetrics":"SIZE"})j"));
}

TEST(DynamoDbClientWire, TransactGetItems) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  TransactGetItemsRequest r;
  r.transact_items = {{.table_name = "things", .key = key("1")},
                      {.table_name = "other",
                       .key = key("2"),
                       .projection_expression = "#a",
                       .expression_attribute_names = {{"#a", "a"}}}};
  ASSERT_TRUE(f->transact_get_items(r));
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.TransactGetItems");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TransactItems":[
      {"Get":{"Key":{"pk":{"S":"1"}},"TableName":"things"}},
      {"Get":{"Key":{"pk":{"S":"2"}},"TableName":"other","ProjectionExpression":"#a",
              "ExpressionAttributeNames":{"#a":"a"}}}]})j"));
}

TEST(DynamoDbClientWire, TransactWriteItems) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  TransactWriteItemsRequest r;
  r.client_request_token = "token-1";
  r.transact_items.push_back(ConditionCheck{
      .table_name = "table1",
      .key = key("c"),
      .condition_expression = "attribute_exists(pk)",
      .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old});
  r.transact_items.push_back(TransactPut{.table_name = "table1",
                                         .item = key("p"),
                                         .condition_expression = "attribute_not_exists(pk)"});
  r.transact_items.push_back(
      TransactUpdate{.table_name = "table2",
                     .key = key("u"),
                     .update_expression = "SET #v = :v",
                     .expression_attribute_names = {{"#v", "v"}},
                     .expression_attribute_values = {{":v", AttributeValue("x")}}});
  r.transact_items.push_back(TransactDelete{.table_name = "table2", .key = key("d")});
  r.return_consumed_capacity = ReturnConsumedCapacity::total;
  auto out = f->transact_write_items(r);
  ASSERT_TRUE(out) << out.error().to_string();
  EXPECT_EQ(out->client_request_token, "token-1");
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.TransactWriteItems");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TransactItems":[
      {"ConditionCheck":{"Key":{"pk":{"S":"c"}},"TableName":"table1",
        "ConditionExpression":"attribute_exists(pk)",
        "ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},
      {"Put":{"Item":{"pk":{"S":"p"}},"TableName":"table1",
        "ConditionExpression":"attribute_not_exists(pk)"}},
      {"Update":{"Key":{"pk":{"S":"u"}},"UpdateExpression":"SET #v = :v","TableName":"table2",
        "ExpressionAttributeNames":{"#v":"v"},"ExpressionAttributeValues":{":v":{"S":"x"}}}},
      {"Delete":{"Key":{"pk":{"S":"d"}},"TableName":"table2"}}],
      "ReturnConsumedCapacity":"TOTAL","ClientRequestToken":"token-1"})j"));
}

TEST(DynamoDbClientWire, TransactWriteGeneratesAUuidToken) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  f.transport->push(200, "{}");
  TransactWriteItemsRequest r;
  r.transact_items.push_back(TransactPut{.table_name = "table1", .item = key("p")});
  auto first = f->transact_write_items(r);
  auto second = f->transact_write_items(r);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->client_request_token.size(), 36u);
  EXPECT_EQ(first->client_request_token[14], '4');  // UUID version 4
  EXPECT_NE(first->client_request_token, second->client_request_token);
  EXPECT_NE(f.body(0).find("\"ClientRequestToken\":\"" + first->client_request_token + "\""),
            std::string::npos);
}

TEST(DynamoDbClientWire, CreateTableWithEverything) {
  DynamoDbFixture f;
  f.transport->push(200,
                    R"j({"TableDescription":{"TableName":"things","TableStatus":"CREATING"}})j");
  CreateTableRequest r;
  r.table_name = "things";
  r.attribute_definitions = {{"pk", ScalarAttributeType::S},
                             {"sk", ScalarAttributeType::N},
                             {"owner", ScalarAttributeType::S},
                             {"blob", ScalarAttributeType::B}};
  r.key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}};
  r.global_secondary_indexes = {{.index_name = "by-owner",
                                 .key_schema = {{"owner", KeyType::hash}},
                                 .projection = {ProjectionType::include, {"title", "size"}},
                                 .provisioned_throughput = ProvisionedThroughput{2, 3}},
                                {.index_name = "by-blob",
                                 .key_schema = {{"blob", KeyType::hash}, {"sk", KeyType::range}},
                                 .projection = {ProjectionType::keys_only, {}},
                                 .provisioned_throughput = ProvisionedThroughput{1, 1}}};
  r.local_secondary_indexes = {{.index_name = "by-owner-local",
                                .key_schema = {{"pk", KeyType::hash}, {"owner", KeyType::range}},
                                .projection = {}}};
  r.provisioned_throughput = ProvisionedThroughput{5, 6};
  r.stream_specification = StreamSpecification{true, StreamViewType::new_and_old_images};
  r.sse_specification = SseSpecification{true, SseType::kms, "alias/mine"};
  r.tags = {{"team", "storage"}};
  r.table_class = TableClass::standard_infrequent_access;
  r.deletion_protection_enabled = false;
  auto out = f->create_table(r);
  ASSERT_TRUE(out) << out.error().to_string();
  EXPECT_EQ(out->table_status, TableStatus::creating);
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.CreateTable");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"things",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
        {"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"owner","AttributeType":"S"},
        {"AttributeName":"blob","AttributeType":"B"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
      "GlobalSecondaryIndexes":[
        {"IndexName":"by-owner","KeySchema":[{"AttributeName":"owner","KeyType":"HASH"}],
         "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["title","size"]},
         "ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":3}},
        {"IndexName":"by-blob","KeySchema":[{"AttributeName":"blob","KeyType":"HASH"},
           {"AttributeName":"sk","KeyType":"RANGE"}],
         "Projection":{"ProjectionType":"KEYS_ONLY"},
         "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}],
      "LocalSecondaryIndexes":[{"IndexName":"by-owner-local",
         "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
           {"AttributeName":"owner","KeyType":"RANGE"}],
         "Projection":{"ProjectionType":"ALL"}}],
      "BillingMode":"PROVISIONED",
      "ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":6},
      "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"},
      "SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"alias/mine"},
      "TableClass":"STANDARD_INFREQUENT_ACCESS","DeletionProtectionEnabled":false,
      "Tags":[{"Key":"team","Value":"storage"}]})j"));
}

TEST(DynamoDbClientWire, CreateTableDefaultsToPayPerRequest) {
  DynamoDbFixture f;
  f.transport->push(200, R"j({"TableDescription":{"TableName":"things"}})j");
  ASSERT_TRUE(f->create_table({.table_name = "things",
                               .attribute_definitions = {{"pk", ScalarAttributeType::S}},
                               .key_schema = {{"pk", KeyType::hash}}}));
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"things",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})j"));
}

TEST(DynamoDbClientWire, UpdateTable) {
  DynamoDbFixture f;
  f.transport->push(200,
                    R"j({"TableDescription":{"TableName":"things","TableStatus":"UPDATING"}})j");
  UpdateTableRequest r;
  r.table_name = "things";
  r.attribute_definitions = {{"owner", ScalarAttributeType::S}};
  r.billing_mode = BillingMode::provisioned;
  r.provisioned_throughput = ProvisionedThroughput{10, 20};
  r.global_secondary_index_updates = {
      CreateGlobalSecondaryIndexAction{{.index_name = "by-owner",
                                        .key_schema = {{"owner", KeyType::hash}},
                                        .projection = {ProjectionType::all, {}},
                                        .provisioned_throughput = ProvisionedThroughput{1, 1}}},
      UpdateGlobalSecondaryIndexAction{"old-index", {3, 4}},
      DeleteGlobalSecondaryIndexAction{"gone-index"}};
  r.stream_specification = StreamSpecification{false, std::nullopt};
  r.deletion_protection_enabled = true;
  auto out = f->update_table(r);
  ASSERT_TRUE(out) << out.error().to_string();
  EXPECT_EQ(out->table_status, TableStatus::updating);
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.UpdateTable");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"things",
      "AttributeDefinitions":[{"AttributeName":"owner","AttributeType":"S"}],
      "BillingMode":"PROVISIONED",
      "ProvisionedThroughput":{"ReadCapacityUnits":10,"WriteCapacityUnits":20},
      "GlobalSecondaryIndexUpdates":[
        {"Create":{"IndexName":"by-owner","KeySchema":[{"AttributeName":"owner","KeyType":"HASH"}],
          "Projection":{"ProjectionType":"ALL"},
          "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}},
        {"Update":{"IndexName":"old-index",
          "ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4}}},
        {"Delete":{"IndexName":"gone-index"}}],
      "StreamSpecification":{"StreamEnabled":false},"DeletionProtectionEnabled":true})j"));
}

TEST(DynamoDbClientWire, SimpleTableCalls) {
  DynamoDbFixture f;
  f.transport->push(200, R"j({"Table":{"TableName":"things"}})j");
  f.transport->push(200, R"j({"TableDescription":{"TableName":"things"}})j");
  f.transport->push(200, R"j({"TableNames":[]})j");
  f.transport->push(200, R"j({"TimeToLiveSpecification":{"AttributeName":"exp","Enabled":true}})j");
  f.transport->push(200, R"j({"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}})j");
  ASSERT_TRUE(f->describe_table("things"));
  ASSERT_TRUE(f->delete_table("things"));
  ASSERT_TRUE(f->list_tables({.exclusive_start_table_name = "abc", .limit = 7}));
  ASSERT_TRUE(f->update_time_to_live(
      {.table_name = "things", .time_to_live_specification = {"exp", true}}));
  ASSERT_TRUE(f->describe_time_to_live("things"));
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.DescribeTable");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"things"})j"));
  EXPECT_EQ(f.target(1), "DynamoDB_20120810.DeleteTable");
  EXPECT_TRUE(JsonEq(f.body(1), R"j({"TableName":"things"})j"));
  EXPECT_EQ(f.target(2), "DynamoDB_20120810.ListTables");
  EXPECT_TRUE(JsonEq(f.body(2), R"j({"ExclusiveStartTableName":"abc","Limit":7})j"));
  EXPECT_EQ(f.target(3), "DynamoDB_20120810.UpdateTimeToLive");
  EXPECT_TRUE(JsonEq(f.body(3), R"j({"TableName":"things",
      "TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})j"));
  EXPECT_EQ(f.target(4), "DynamoDB_20120810.DescribeTimeToLive");
  EXPECT_TRUE(JsonEq(f.body(4), R"j({"TableName":"things"})j"));
}

TEST(DynamoDbClientWire, EscapesStringsInNamesAndValues) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  ASSERT_TRUE(f->get_item({.table_name = "things",
                           .key = {{"pk", AttributeValue("q\"uo\\te\n\x01")}},
                           .expression_attribute_names = {{"#n", "na\"me"}}}));
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"things","Key":{"pk":{"S":"q\"uo\\te\n\u0001"}},
      "ExpressionAttributeNames":{"#n":"na\"me"}})j"));
}

// ---- Validation: rejected before anything is sent ----

void expect_invalid(const DynamoDbFixture& f, const Error& e, std::string_view needle) {
  EXPECT_EQ(e.code, ErrorCode::invalid_argument) << e.to_string();
  EXPECT_NE(e.message.find(needle), std::string::npos) << e.message;
  EXPECT_EQ(f.transport->request_count(), 0u);
}

TEST(DynamoDbClientValidation, TableNames) {
  DynamoDbFixture f;
  for (const char* bad : {"", "ab", "has space", "slash/no", "ü-umlaut"}) {
    auto r = f->get_item({.table_name = bad, .key = key("a")});
    ASSERT_FALSE(r) << bad;
    expect_invalid(f, r.error(), "GetItem: table name");
  }
  auto long_name = f->describe_table(std::string(256, 'a'));
  ASSERT_FALSE(long_name);
  expect_invalid(f, long_name.error(), "3 to 255 characters");
  // Valid: edges of the rules, and a table ARN.
  f.transport->set_handler([](const http::Request&) -> Result<http::Response> {
    return http::Response{200, {}, R"j({"Table":{}})j"};
  });
  EXPECT_TRUE(f->describe_table("a_b"));
  EXPECT_TRUE(f->describe_table(std::string(255, 'Z')));
  EXPECT_TRUE(f->describe_table("A.b-c_9"));
  EXPECT_TRUE(f->describe_table("arn:aws:dynamodb:us-east-1:123456789012:table/things"));
}

TEST(DynamoDbClientValidation, BatchLimits) {
  DynamoDbFixture f;
  BatchGetItemRequest get;
  for (int i = 0; i < 60; ++i) get.request_items["t-a"].keys.push_back(key(std::to_string(i)));
  for (int i = 0; i < 41; ++i) get.request_items["t-b"].keys.push_back(key(std::to_string(i)));
  auto g = f->batch_get_item(get);
  ASSERT_FALSE(g);
  expect_invalid(f, g.error(), "101 keys requested; at most 100");
  auto empty_get = f->batch_get_item({});
  ASSERT_FALSE(empty_get);
  expect_invalid(f, empty_get.error(), "no tables");

  BatchWriteItemRequest write;
  for (int i = 0; i < 20; ++i) write.request_items["t-a"].push_back(PutRequest{key("x")});
  for (int i = 0; i < 6; ++i) write.request_items["t-b"].push_back(DeleteRequest{key("x")});
  auto w = f->batch_write_item(write);
  ASSERT_FALSE(w);
  expect_invalid(f, w.error(), "26 write requests; at most 25");

  TransactWriteItemsRequest tw;
  for (int i = 0; i < 101; ++i) tw.transact_items.push_back(TransactDelete{"t-a", key("x")});
  auto t = f->transact_write_items(tw);
  ASSERT_FALSE(t);
  expect_invalid(f, t.error(), "101 items; at most 100");

  TransactGetItemsRequest tg;
  for (int i = 0; i < 101; ++i) tg.transact_items.push_back({"t-a", key("x"), {}, {}});
  auto tr = f->transact_get_items(tg);
  ASSERT_FALSE(tr);
  expect_invalid(f, tr.error(), "TransactGetItems: 101 items");

  // Exactly at the limits is fine.
  f.transport->set_handler([](const http::Request&) -> Result<http::Response> {
    return http::Response{200, {}, "{}"};
  });
  get.request_items["t-b"].keys.pop_back();
  EXPECT_TRUE(f->batch_get_item(get));
  write.request_items["t-b"].pop_back();
  EXPECT_TRUE(f->batch_write_item(write));
  tw.transact_items.pop_back();
  EXPECT_TRUE(f->transact_write_items(tw));
}

TEST(DynamoDbClientValidation, ScanSegmentsAndLimits) {
  DynamoDbFixture f;
  auto seg = f->scan({.table_name = "things", .segment = 4, .total_segments = 4});
  ASSERT_FALSE(seg);
  expect_invalid(f, seg.error(), "Segment 4 is outside");
  auto half = f->scan({.table_name = "things", .segment = 0});
  ASSERT_FALSE(half);
  expect_invalid(f, half.error(), "together");
  auto zero = f->scan({.table_name = "things", .segment = 0, .total_segments = 0});
  ASSERT_FALSE(zero);
  expect_invalid(f, zero.error(), "TotalSegments must be 1 to 1000000");
  auto limit = f->scan({.table_name = "things", .limit = 0});
  ASSERT_FALSE(limit);
  expect_invalid(f, limit.error(), "Limit must be at least 1");
  auto qlimit =
      f->query({.table_name = "things", .key_condition_expression = "pk = :p", .limit = -3});
  ASSERT_FALSE(qlimit);
  expect_invalid(f, qlimit.error(), "Query: Limit must be at least 1 (got -3)");
  auto no_kce = f->query({.table_name = "things"});
  ASSERT_FALSE(no_kce);
  expect_invalid(f, no_kce.error(), "KeyConditionExpression");
  auto list = f->list_tables({.limit = 101});
  ASSERT_FALSE(list);
  expect_invalid(f, list.error(), "ListTables: Limit must be 1 to 100");
  auto index =
      f->query({.table_name = "things", .index_name = "x", .key_condition_expression = "pk = :p"});
  ASSERT_FALSE(index);
  expect_invalid(f, index.error(), "index name \"x\"");
}

TEST(DynamoDbClientValidation, RequiredParts) {
  DynamoDbFixture f;
  auto no_key = f->delete_item({.table_name = "things"});
  ASSERT_FALSE(no_key);
  expect_invalid(f, no_key.error(), "DeleteItem: key is empty");
  auto no_item = f->put_item({.table_name = "things"});
  ASSERT_FALSE(no_item);
  expect_invalid(f, no_item.error(), "item is empty");
  auto no_schema = f->create_table({.table_name = "things"});
  ASSERT_FALSE(no_schema);
  expect_invalid(f, no_schema.error(), "key schema is empty");
  TransactWriteItemsRequest check;
  check.transact_items.push_back(ConditionCheck{.table_name = "things", .key = key("a")});
  auto c = f->transact_write_items(check);
  ASSERT_FALSE(c);
  expect_invalid(f, c.error(), "ConditionCheck without a ConditionExpression");
  TransactWriteItemsRequest token;
  token.transact_items.push_back(TransactDelete{"things", key("a")});
  token.client_request_token = std::string(37, 't');
  auto t = f->transact_write_items(token);
  ASSERT_FALSE(t);
  expect_invalid(f, t.error(), "ClientRequestToken");
  auto ttl = f->update_time_to_live({.table_name = "things"});
  ASSERT_FALSE(ttl);
  expect_invalid(f, ttl.error(), "TTL attribute name is empty");
}

}  // namespace
}  // namespace dynamate::aws
