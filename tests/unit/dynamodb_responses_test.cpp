// DynamoDbClient's answers: every response shape parsed into its typed struct
// (items, pages, capacity, unprocessed work, table descriptions), service
// errors with their structured details, and malformed answers.
#include <gtest/gtest.h>

#include "dynamate/aws/error_details.hpp"
#include "dynamodb_test_fixture.hpp"

namespace dynamate::aws {
namespace {

using test::ddb_error;
using test::DynamoDbFixture;

AttributeMap key(std::string pk) { return {{"pk", AttributeValue(std::move(pk))}}; }

TEST(DynamoDbClientResponses, GetItemPresentAndAbsent) {
  DynamoDbFixture f;
  f.transport->push(200, R"j({"Item":{"pk":{"S":"a"},"n":{"N":"12.5"},"b":{"B":"AAEC"},
      "l":{"L":[{"BOOL":false},{"NULL":true}]},"ss":{"SS":["x","y"]}},
      "ConsumedCapacity":{"TableName":"things","CapacityUnits":0.5}})j");
  f.transport->push(200, "{}");
  auto hit = f->get_item({.table_name = "things", .key = key("a")});
  ASSERT_TRUE(hit) << hit.error().to_string();
  ASSERT_TRUE(hit->item);
  const AttributeMap& item = *hit->item;
  EXPECT_EQ(item.at("pk"), AttributeValue("a"));
  EXPECT_EQ(item.at("n").as_number()->text, "12.5");
  EXPECT_EQ(item.at("b").as_bytes()->size(), 3u);
  EXPECT_EQ(item.at("l").as_list()->size(), 2u);
  EXPECT_EQ(item.at("ss").as_string_set()->values, (std::vector<std::string>{"x", "y"}));
  ASSERT_TRUE(hit->consumed_capacity);
  EXPECT_EQ(hit->consumed_capacity->table_name, "things");
  EXPECT_DOUBLE_EQ(hit->consumed_capacity->capacity_units, 0.5);

  auto miss = f->get_item({.table_name = "things", .key = key("b")});
  ASSERT_TRUE(miss) << miss.error().to_string();
  EXPECT_FALSE(miss->item);
  EXPECT_FALSE(miss->consumed_capacity);
}

TEST(DynamoDbClientResponses, WriteItemAttributesAndMetrics) {
  DynamoDbFixture f;
  f.transport->push(200, R"j({"Attributes":{"pk":{"S":"a"},"v":{"N":"1"}},
      "ConsumedCapacity":{"TableName":"things","CapacityUnits":1.0,
        "Table":{"CapacityUnits":1.0,"WriteCapacityUnits":1.0}},
      "ItemCollectionMetrics":{"ItemCollectionKey":{"pk":{"S":"a"}},
        "SizeEstimateRangeGB":[0.0,1.0]}})j");
  auto r = f->put_item({.table_name = "things", .item = key("a")});
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_TRUE(r->attributes);
  EXPECT_EQ(r->attributes->size(), 2u);
  ASSERT_TRUE(r->consumed_capacity && r->consumed_capacity->table);
  EXPECT_DOUBLE_EQ(r->consumed_capacity->table->write_capacity_units, 1.0);
  ASSERT_TRUE(r->item_collection_metrics);
  EXPECT_EQ(r->item_collection_metrics->item_collection_key, key("a"));
  EXPECT_EQ(r->item_collection_metrics->size_estimate_range_gb, (std::vector<double>{0.0, 1.0}));
}

TEST(DynamoDbClientResponses, QueryPage) {
  DynamoDbFixture f;
  f.transport->push(200,
                    R"j({"Items":[{"pk":{"S":"a"},"sk":{"N":"1"}},{"pk":{"S":"a"},"sk":{"N":"2"}}],
      "Count":2,"ScannedCount":5,"LastEvaluatedKey":{"pk":{"S":"a"},"sk":{"N":"2"}},
      "ConsumedCapacity":{"TableName":"things","CapacityUnits":2.5,"Table":{"CapacityUnits":1.5},
        "GlobalSecondaryIndexes":{"by-owner":{"CapacityUnits":1.0,"ReadCapacityUnits":1.0}},
        "LocalSecondaryIndexes":{"by-date":{"CapacityUnits":0.0}}}})j");
  f.transport->push(200, R"j({"Items":[],"Count":0,"ScannedCount":0})j");
  auto page = f->query({.table_name = "things", .key_condition_expression = "pk = :p"});
  ASSERT_TRUE(page) << page.error().to_string();
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[1].at("sk").as_number()->text, "2");
  EXPECT_EQ(page->count, 2);
  EXPECT_EQ(page->scanned_count, 5);
  ASSERT_TRUE(page->last_evaluated_key);
  EXPECT_EQ(*page->last_evaluated_key, page->items[1]);
  const ConsumedCapacity& cc = *page->consumed_capacity;
  EXPECT_DOUBLE_EQ(cc.capacity_units, 2.5);
  EXPECT_DOUBLE_EQ(cc.table->capacity_units, 1.5);
  EXPECT_DOUBLE_EQ(cc.global_secondary_indexes.at("by-owner").read_capacity_units, 1.0);
  EXPECT_TRUE(cc.local_secondary_indexes.contains("by-date"));

  auto last = f->scan({.table_name = "things"});
  ASSERT_TRUE(last) << last.error().to_string();
  EXPECT_TRUE(last->items.empty());
  EXPECT_FALSE(last->last_evaluated_key);
}

TEST(DynamoDbClientResponses, BatchGetWithUnprocessedKeys) {
  DynamoDbFixture f;
  f.transport->push(200, R"j({"Responses":{"t-a":[{"pk":{"S":"1"}}],"t-b":[]},
      "UnprocessedKeys":{"t-a":{"Keys":[{"pk":{"S":"2"}},{"pk":{"S":"3"}}],
        "ConsistentRead":true,"ProjectionExpression":"#p","ExpressionAttributeNames":{"#p":"pk"}}},
      "ConsumedCapacity":[{"TableName":"t-a","CapacityUnits":1},{"TableName":"t-b","CapacityUnits":0}]})j");
  BatchGetItemRequest req;
  req.request_items["t-a"].keys = {key("1"), key("2"), key("3")};
  auto r = f->batch_get_item(req);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->responses.at("t-a"), (std::vector<AttributeMap>{key("1")}));
  EXPECT_TRUE(r->responses.at("t-b").empty());
  const KeysAndAttributes& again = r->unprocessed_keys.at("t-a");
  EXPECT_EQ(again.keys, (std::vector<AttributeMap>{key("2"), key("3")}));
  EXPECT_TRUE(again.consistent_read);
  EXPECT_EQ(again.projection_expression, "#p");
  EXPECT_EQ(again.expression_attribute_names.at("#p"), "pk");
  ASSERT_EQ(r->consumed_capacity.size(), 2u);
  EXPECT_EQ(r->consumed_capacity[1].table_name, "t-b");

  // The unprocessed keys go straight back in as the next request.
  f.transport->push(200, R"j({"Responses":{"t-a":[{"pk":{"S":"2"}},{"pk":{"S":"3"}}]}})j");
  auto retry = f->batch_get_item({.request_items = r->unprocessed_keys});
  ASSERT_TRUE(retry) << retry.error().to_string();
  EXPECT_TRUE(retry->unprocessed_keys.empty());
  EXPECT_TRUE(test::JsonEq(f.body(1), R"j({"RequestItems":{"t-a":{"Keys":[{"pk":{"S":"2"}},
      {"pk":{"S":"3"}}],"ConsistentRead":true,"ProjectionExpression":"#p",
      "ExpressionAttributeNames":{"#p":"pk"}}}})j"));
}

TEST(DynamoDbClientResponses, BatchWriteWithUnprocessedItems) {
  DynamoDbFixture f;
  f.transport->push(200, R"j({"UnprocessedItems":{"things":[
        {"PutRequest":{"Item":{"pk":{"S":"1"},"v":{"S":"x"}}}},
        {"DeleteRequest":{"Key":{"pk":{"S":"2"}}}}]},
      "ItemCollectionMetrics":{"things":[{"ItemCollectionKey":{"pk":{"S":"1"}},
        "SizeEstimateRangeGB":[0,1]}]},
      "ConsumedCapacity":[{"TableName":"things","CapacityUnits":3}]})j");
  BatchWriteItemRequest req;
  req.request_items["things"] = {PutRequest{key("1")}, DeleteRequest{key("2")}};
  auto r = f->batch_write_item(req);
  ASSERT_TRUE(r) << r.error().to_string();
  const auto& left = r->unprocessed_items.at("things");
  ASSERT_EQ(left.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<PutRequest>(left[0]));
  EXPECT_EQ(std::get<PutRequest>(left[0]).item.at("v"), AttributeValue("x"));
  ASSERT_TRUE(std::holds_alternative<DeleteRequest>(left[1]));
  EXPECT_EQ(std::get<DeleteRequest>(left[1]).key, key("2"));
  EXPECT_EQ(r->item_collection_metrics.at("things").at(0).item_collection_key, key("1"));
  EXPECT_DOUBLE_EQ(r->consumed_capacity.at(0).capacity_units, 3);
}

TEST(DynamoDbClientResponses, TransactGetKeepsOrderAndMissingItems) {
  DynamoDbFixture f;
  f.transport->push(200, R"j({"Responses":[{"Item":{"pk":{"S":"1"}}},{},{"Item":{"pk":{"S":"3"}}}],
      "ConsumedCapacity":[{"TableName":"things","CapacityUnits":6,"ReadCapacityUnits":6}]})j");
  TransactGetItemsRequest req;
  for (const char* k : {"1", "2", "3"}) req.transact_items.push_back({"things", key(k), {}, {}});
  auto r = f->transact_get_items(req);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->responses.size(), 3u);
  EXPECT_EQ(r->responses[0], key("1"));
  EXPECT_FALSE(r->responses[1]);
  EXPECT_EQ(r->responses[2], key("3"));
  EXPECT_DOUBLE_EQ(r->consumed_capacity.at(0).read_capacity_units, 6);
}

TEST(DynamoDbClientResponses, TableDescription) {
  DynamoDbFixture f;
  f.transport->push(200, R"j({"Table":{
      "TableName":"things","TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/things",
      "TableId":"1234","TableStatus":"ACTIVE","CreationDateTime":1.7000000005E9,
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
        {"AttributeName":"n","AttributeType":"N"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}],
      "ItemCount":42,"TableSizeBytes":4096,
      "ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":6,
        "NumberOfDecreasesToday":1,"LastIncreaseDateTime":1700000100},
      "BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST",
        "LastUpdateToPayPerRequestDateTime":1700000000},
      "GlobalSecondaryIndexes":[{"IndexName":"g","IndexStatus":"CREATING","Backfilling":true,
        "KeySchema":[{"AttributeName":"n","KeyType":"HASH"}],
        "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["a","b"]},
        "ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":0},
        "IndexSizeBytes":10,"ItemCount":2,"IndexArn":"arn:g"}],
      "LocalSecondaryIndexes":[{"IndexName":"l","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
        {"AttributeName":"n","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"},
        "IndexSizeBytes":11,"ItemCount":3,"IndexArn":"arn:l"}],
      "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"},
      "LatestStreamArn":"arn:stream","LatestStreamLabel":"2024-01-01",
      "SSEDescription":{"Status":"ENABLED","SSEType":"KMS","KMSMasterKeyArn":"arn:key"},
      "TableClassSummary":{"TableClass":"STANDARD_INFREQUENT_ACCESS"},
      "DeletionProtectionEnabled":true,"SomethingNew":{"x":1}}})j");
  auto r = f->describe_table("things");
  ASSERT_TRUE(r) << r.error().to_string();
  const TableDescription& t = *r;
  EXPECT_EQ(t.table_name, "things");
  EXPECT_EQ(t.table_arn, "arn:aws:dynamodb:us-east-1:000000000000:table/things");
  EXPECT_EQ(t.table_id, "1234");
  EXPECT_EQ(t.table_status, TableStatus::active);
  ASSERT_TRUE(t.creation_date_time);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(
                t.creation_date_time->time_since_epoch())
                .count(),
            1700000000500);
  ASSERT_EQ(t.attribute_definitions.size(), 2u);
  EXPECT_EQ(t.attribute_definitions[1].attribute_type, ScalarAttributeType::N);
  ASSERT_EQ(t.key_schema.size(), 2u);
  EXPECT_EQ(t.key_schema[1].key_type, KeyType::range);
  EXPECT_EQ(t.item_count, 42);
  EXPECT_EQ(t.table_size_bytes, 4096);
  EXPECT_EQ(t.billing_mode, BillingMode::pay_per_request);
  ASSERT_TRUE(t.provisioned_throughput);
  EXPECT_EQ(t.provisioned_throughput->write_capacity_units, 6);
  EXPECT_EQ(t.provisioned_throughput->number_of_decreases_today, 1);
  EXPECT_TRUE(t.provisioned_throughput->last_increase_date_time);
  const auto* g = t.find_global_index("g");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->index_status, IndexStatus::creating);
  EXPECT_TRUE(g->backfilling);
  EXPECT_EQ(g->projection.projection_type, ProjectionType::include);
  EXPECT_EQ(g->projection.non_key_attributes, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(g->item_count, 2);
  EXPECT_EQ(g->index_arn, "arn:g");
  EXPECT_EQ(t.find_global_index("nope"), nullptr);
  EXPECT_FALSE(t.fully_active());
  ASSERT_EQ(t.local_secondary_indexes.size(), 1u);
  EXPECT_EQ(t.local_secondary_indexes[0].projection.projection_type, ProjectionType::keys_only);
  EXPECT_EQ(t.local_secondary_indexes[0].index_size_bytes, 11);
  ASSERT_TRUE(t.stream_specification);
  EXPECT_EQ(t.stream_specification->stream_view_type, StreamViewType::new_image);
  EXPECT_EQ(t.latest_stream_arn, "arn:stream");
  EXPECT_EQ(t.latest_stream_label, "2024-01-01");
  ASSERT_TRUE(t.sse_description);
  EXPECT_EQ(t.sse_description->status, SseStatus::enabled);
  EXPECT_EQ(t.sse_description->sse_type, SseType::kms);
  EXPECT_EQ(t.table_class, TableClass::standard_infrequent_access);
  EXPECT_TRUE(t.deletion_protection_enabled);
}

TEST(DynamoDbClientResponses, UnknownStatusesAndMissingSummaries) {
  DynamoDbFixture f;
  f.transport->push(200, R"j({"Table":{"TableName":"things","TableStatus":"HIBERNATING",
      "GlobalSecondaryIndexes":[{"IndexName":"g","IndexStatus":"PONDERING"}]}})j");
  auto r = f->describe_table("things");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->table_status, TableStatus::unknown);
  EXPECT_EQ(r->global_secondary_indexes.at(0).index_status, IndexStatus::unknown);
  EXPECT_EQ(r->billing_mode, BillingMode::provisioned);  // no BillingModeSummary
  EXPECT_FALSE(r->table_class);
  EXPECT_FALSE(r->stream_specification);
}

TEST(DynamoDbClientResponses, ListTablesAndTtl) {
  DynamoDbFixture f;
  f.transport->push(200, R"j({"TableNames":["a-1","a-2"],"LastEvaluatedTableName":"a-2"})j");
  f.transport->push(200, R"j({"TableNames":["b-1"]})j");
  f.transport->push(200, R"j({"TimeToLiveSpecification":{"AttributeName":"exp","Enabled":true}})j");
  f.transport->push(200, R"j({"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED",
      "AttributeName":"exp"}})j");
  auto first = f->list_tables({.limit = 2});
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(first->table_names, (std::vector<std::string>{"a-1", "a-2"}));
  EXPECT_EQ(first->last_evaluated_table_name, "a-2");
  auto second = f->list_tables({.exclusive_start_table_name = first->last_evaluated_table_name});
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->last_evaluated_table_name.empty());
  auto spec = f->update_time_to_live({"things", {"exp", true}, std::nullopt});
  ASSERT_TRUE(spec) << spec.error().to_string();
  EXPECT_EQ(spec->attribute_name, "exp");
  EXPECT_TRUE(spec->enabled);
  auto ttl = f->describe_time_to_live("things");
  ASSERT_TRUE(ttl) << ttl.error().to_string();
  EXPECT_EQ(ttl->time_to_live_status, TimeToLiveStatus::enabled);
  EXPECT_EQ(ttl->attribute_name, "exp");
}

// ---- Service errors ----

TEST(DynamoDbClientErrors, ConditionalCheckFailedCarriesTheOldItem) {
  DynamoDbFixture f;
  f.transport->push(400,
                    ddb_error("ConditionalCheckFailedException", "The conditional request failed",
                              R"j("Item":{"pk":{"S":"a"},"v":{"N":"7"}})j"),
                    {{"x-amzn-RequestId", "REQ-9"}});
  auto r = f->put_item(
      {.table_name = "things",
       .item = key("a"),
       .condition_expression = "attribute_not_exists(pk)",
       .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old});
  ASSERT_FALSE(r);
  const Error& e = r.error();
  EXPECT_EQ(e.code, ErrorCode::condition_failed);
  EXPECT_EQ(e.aws_code, "ConditionalCheckFailedException");
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(e.request_id, "REQ-9");
  EXPECT_FALSE(e.retryable);
  EXPECT_NE(e.message.find("PutItem"), std::string::npos) << e.message;
  const auto* d = e.detail<DynamoDbErrorDetail>();
  ASSERT_NE(d, nullptr);
  ASSERT_TRUE(d->item);
  EXPECT_EQ(d->item->at("v").as_number()->text, "7");
  EXPECT_EQ(f.transport->request_count(), 1u);
}

TEST(DynamoDbClientErrors, TransactionCanceledReasons) {
  DynamoDbFixture f;
  f.transport->push(400,
                    R"j({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
      "Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
      "CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed",
        "Message":"The conditional request failed","Item":{"pk":{"S":"b"}}}]})j");
  TransactWriteItemsRequest req;
  req.transact_items.push_back(TransactPut{.table_name = "things", .item = key("a")});
  req.transact_items.push_back(ConditionCheck{
      .table_name = "things", .key = key("b"), .condition_expression = "attribute_not_exists(pk)"});
  auto r = f->transact_write_items(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::transaction_canceled);
  const auto* d = r.error().detail<DynamoDbErrorDetail>();
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->cancellation_reasons.size(), 2u);
  EXPECT_EQ(d->cancellation_reasons[0].code, "None");
  EXPECT_EQ(d->cancellation_reasons[1].code, "ConditionalCheckFailed");
  ASSERT_TRUE(d->cancellation_reasons[1].item);
  EXPECT_EQ(*d->cancellation_reasons[1].item, key("b"));
}

TEST(DynamoDbClientErrors, MappedCodes) {
  struct Case {
    const char* type;
    ErrorCode code;
  };
  for (const Case& c :
       {Case{"ResourceNotFoundException", ErrorCode::not_found},
        Case{"ResourceInUseException", ErrorCode::already_exists},
        Case{"ValidationException", ErrorCode::validation},
        Case{"TransactionConflictException", ErrorCode::transaction_conflict},
        Case{"ItemCollectionSizeLimitExceededException", ErrorCode::limit_exceeded}}) {
    DynamoDbFixture f(RetryOptions{.max_attempts = 1});
    f.transport->push(400, ddb_error(c.type, "boom"));
    auto r = f->describe_table("things");
    ASSERT_FALSE(r) << c.type;
    EXPECT_EQ(r.error().code, c.code) << c.type << ": " << r.error().to_string();
    EXPECT_EQ(r.error().aws_code, c.type);
  }
}

TEST(DynamoDbClientErrors, MalformedAnswersAreProtocolErrors) {
  struct Case {
    const char* body;
    const char* needle;
  };
  for (const Case& c :
       {Case{"not json", "not valid JSON"}, Case{"[1,2]", "not a JSON object"},
        Case{R"j({"Item":{"pk":{"Q":"x"}}})j", "Item"}, Case{R"j({"Item":"text"})j", "Item"},
        Case{R"j({"ConsumedCapacity":{"CapacityUnits":"one"}})j",
             "ConsumedCapacity.CapacityUnits is not a number"}}) {
    DynamoDbFixture f;
    f.transport->push(200, c.body);
    auto r = f->get_item({.table_name = "things", .key = key("a")});
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().code, ErrorCode::protocol) << c.body;
    EXPECT_NE(r.error().message.find(c.needle), std::string::npos)
        << c.body << " -> " << r.error().message;
    EXPECT_NE(r.error().message.find("GetItem"), std::string::npos) << r.error().message;
  }
  DynamoDbFixture f;
  f.transport->push(200, R"j({"Count":"many"})j");
  auto q = f->query({.table_name = "things", .key_condition_expression = "pk = :p"});
  ASSERT_FALSE(q);
  EXPECT_NE(q.error().message.find("Count is not an integer"), std::string::npos);
  f.transport->push(200, R"j({"NotTable":{}})j");
  auto d = f->describe_table("things");
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("no Table"), std::string::npos) << d.error().message;
  f.transport->push(200, R"j({"Table":{"KeySchema":[{"AttributeName":5}]}})j");
  auto k = f->describe_table("things");
  ASSERT_FALSE(k);
  EXPECT_NE(k.error().message.find("Table.KeySchema[0].AttributeName is not a string"),
            std::string::npos)
      << k.error().message;
}

TEST(DynamoDbClientErrors, OutOfRangeTimestampsAreProtocolErrors) {
  // A double this far out cannot be converted to an integer duration (UB);
  // it must be rejected before the conversion.
  for (const char* seconds : {"1e300", "-1e300", "-1", "1.5e11"}) {
    DynamoDbFixture f;
    f.transport->push(200, std::string(R"j({"Table":{"TableName":"things","CreationDateTime":)j") +
                               seconds + "}}");
    auto r = f->describe_table("things");
    ASSERT_FALSE(r) << seconds;
    EXPECT_EQ(r.error().code, ErrorCode::protocol) << seconds;
    EXPECT_NE(r.error().message.find("Table.CreationDateTime"), std::string::npos)
        << seconds << " -> " << r.error().message;
  }
  DynamoDbFixture f;
  f.transport->push(200, R"j({"Table":{"TableName":"things","CreationDateTime":0}})j");
  auto epoch = f->describe_table("things");
  ASSERT_TRUE(epoch) << epoch.error().to_string();
  ASSERT_TRUE(epoch->creation_date_time);
  EXPECT_EQ(epoch->creation_date_time->time_since_epoch().count(), 0);
}

TEST(DynamoDbClientErrors, EmptyBodyMeansEmptyAnswer) {
  DynamoDbFixture f;
  f.transport->push(200, "");
  auto r = f->delete_item({.table_name = "things", .key = key("a")});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_FALSE(r->attributes);
}

}  // namespace
}  // namespace dynamate::aws
