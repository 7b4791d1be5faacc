// DynamoDbClient end to end against DynamoDB Local: table lifecycle with GSI
// and LSI, UpdateTable, TTL, items with conditions, Query/Scan pagination and
// parallel scan, batches, transactions (cancellation reasons, idempotency
// tokens) and the waiters. Every test deletes the tables it created.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/aws/error_details.hpp"
#include "support/local_aws.hpp"

namespace dynamate::aws {
namespace {

using namespace std::chrono_literals;

AttributeValue num(std::int64_t v) { return AttributeValue::number(v); }
AttributeMap key(std::string pk, std::int64_t sk) {
  return {{"pk", AttributeValue(std::move(pk))}, {"sk", num(sk)}};
}
std::string pk_of(const AttributeMap& item) { return *item.at("pk").as_string(); }
std::string sk_of(const AttributeMap& item) { return item.at("sk").as_number()->text; }

class DynamoDbLocal : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const auto& name : tables_) {
      auto deleted = client_.delete_table(name);
      if (!deleted) {
        EXPECT_EQ(deleted.error().code, ErrorCode::not_found) << deleted.error().to_string();
        continue;
      }
      auto gone = client_.wait_until_deleted(name, 60s, 100ms);
      EXPECT_TRUE(gone) << gone.error().to_string();
    }
  }

  // pk (S) + sk (N), a GSI on owner (INCLUDE title), an LSI on sk2 (KEYS_ONLY).
  std::string create_table(std::string prefix = "dynamate-ddb") {
    CreateTableRequest r;
    r.table_name = test::unique_name(std::move(prefix));
    r.attribute_definitions = {{"pk", ScalarAttributeType::S},
                               {"sk", ScalarAttributeType::N},
                               {"owner", ScalarAttributeType::S},
                               {"sk2", ScalarAttributeType::S}};
    r.key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}};
    r.global_secondary_indexes = {{.index_name = "by-owner",
                                   .key_schema = {{"owner", KeyType::hash}, {"sk", KeyType::range}},
                                   .projection = {ProjectionType::include, {"title"}}}};
    r.local_secondary_indexes = {{.index_name = "by-sk2",
                                  .key_schema = {{"pk", KeyType::hash}, {"sk2", KeyType::range}},
                                  .projection = {ProjectionType::keys_only, {}}}};
    r.stream_specification = StreamSpecification{true, StreamViewType::new_and_old_images};
    r.tags = {{"suite", "dynamate"}};
    auto created = client_.create_table(r);
    EXPECT_TRUE(created) << created.error().to_string();
    tables_.push_back(r.table_name);
    auto active = client_.wait_until_active(r.table_name, 60s, 100ms);
    EXPECT_TRUE(active) << active.error().to_string();
    return r.table_name;
  }

  void put(const std::string& table, AttributeMap item) {
    auto r = client_.put_item({.table_name = table, .item = std::move(item)});
    ASSERT_TRUE(r) << r.error().to_string();
  }

  DynamoDbClient client_ = DynamoDbClient::create(test::dynamodb_config()).value();
  std::vector<std::string> tables_;
};

TEST_F(DynamoDbLocal, TableLifecycle) {
  const std::string table = create_table();
  auto d = client_.describe_table(table);
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->table_name, table);
  EXPECT_EQ(d->table_status, TableStatus::active);
  EXPECT_TRUE(d->fully_active());
  EXPECT_NE(d->table_arn.find(table), std::string::npos) << d->table_arn;
  EXPECT_EQ(d->billing_mode, BillingMode::pay_per_request);
  ASSERT_EQ(d->key_schema.size(), 2u);
  EXPECT_EQ(d->key_schema[0].attribute_name, "pk");
  EXPECT_EQ(d->key_schema[1].key_type, KeyType::range);
  EXPECT_EQ(d->attribute_definitions.size(), 4u);
  EXPECT_TRUE(d->creation_date_time.has_value());
  const auto* gsi = d->find_global_index("by-owner");
  ASSERT_NE(gsi, nullptr);
  EXPECT_EQ(gsi->index_status, IndexStatus::active);
  EXPECT_EQ(gsi->projection.projection_type, ProjectionType::include);
  EXPECT_EQ(gsi->projection.non_key_attributes, (std::vector<std::string>{"title"}));
  ASSERT_EQ(d->local_secondary_indexes.size(), 1u);
  EXPECT_EQ(d->local_secondary_indexes[0].index_name, "by-sk2");
  EXPECT_EQ(d->local_secondary_indexes[0].projection.projection_type, ProjectionType::keys_only);
  ASSERT_TRUE(d->stream_specification);
  EXPECT_TRUE(d->stream_specification->stream_enabled);
  EXPECT_FALSE(d->latest_stream_arn.empty());

  // Creating it again is refused.
  auto again = client_.create_table({.table_name = table,
                                     .attribute_definitions = {{"pk", ScalarAttributeType::S}},
                                     .key_schema = {{"pk", KeyType::hash}}});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::already_exists) << again.error().to_string();

  // ListTables, one name per page, until ours shows up.
  bool found = false;
  ListTablesRequest page{.limit = 1};
  for (int pages = 0; pages < 10000 && !found; ++pages) {
    auto l = client_.list_tables(page);
    ASSERT_TRUE(l) << l.error().to_string();
    ASSERT_LE(l->table_names.size(), 1u);
    found = std::find(l->table_names.begin(), l->table_names.end(), table) != l->table_names.end();
    if (l->last_evaluated_table_name.empty()) break;
    page.exclusive_start_table_name = l->last_evaluated_table_name;
  }
  EXPECT_TRUE(found);

  auto deleted = client_.delete_table(table);
  ASSERT_TRUE(deleted) << deleted.error().to_string();
  EXPECT_EQ(deleted->table_name, table);
  ASSERT_TRUE(client_.wait_until_deleted(table, 60s, 100ms));
  auto missing = client_.describe_table(table);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  auto wait_missing = client_.wait_until_active(table, 300ms, 100ms);
  ASSERT_FALSE(wait_missing);
  EXPECT_EQ(wait_missing.error().code, ErrorCode::not_found);
}

TEST_F(DynamoDbLocal, UpdateTableAndTtl) {
  const std::string table = create_table();
  UpdateTableRequest add;
  add.table_name = table;
  add.attribute_definitions = {{"title", ScalarAttributeType::S}};
  add.global_secondary_index_updates = {
      CreateGlobalSecondaryIndexAction{{.index_name = "by-title",
                                        .key_schema = {{"title", KeyType::hash}},
                                        .projection = {ProjectionType::keys_only, {}}}}};
  auto updated = client_.update_table(add);
  ASSERT_TRUE(updated) << updated.error().to_string();
  auto active = client_.wait_until_active(table, 60s, 100ms);
  ASSERT_TRUE(active) << active.error().to_string();
  ASSERT_NE(active->find_global_index("by-title"), nullptr);

  auto removed = client_.update_table(
      {.table_name = table,
       .global_secondary_index_updates = {DeleteGlobalSecondaryIndexAction{"by-title"}}});
  ASSERT_TRUE(removed) << removed.error().to_string();
  ASSERT_TRUE(client_.wait_until_active(table, 60s, 100ms));

  auto provisioned = client_.update_table(
      {.table_name = table,
       .billing_mode = BillingMode::provisioned,
       .provisioned_throughput = ProvisionedThroughput{3, 4},
       .global_secondary_index_updates = {UpdateGlobalSecondaryIndexAction{"by-owner", {1, 2}}}});
  ASSERT_TRUE(provisioned) << provisioned.error().to_string();
  auto after = client_.wait_until_active(table, 60s, 100ms);
  ASSERT_TRUE(after) << after.error().to_string();
  EXPECT_EQ(after->find_global_index("by-title"), nullptr);
  ASSERT_TRUE(after->provisioned_throughput);
  EXPECT_EQ(after->provisioned_throughput->read_capacity_units, 3);
  EXPECT_EQ(after->provisioned_throughput->write_capacity_units, 4);

  auto ttl0 = client_.describe_time_to_live(table);
  ASSERT_TRUE(ttl0) << ttl0.error().to_string();
  EXPECT_EQ(ttl0->time_to_live_status, TimeToLiveStatus::disabled);
  auto spec = client_.update_time_to_live({table, {"expires", true}, std::nullopt});
  ASSERT_TRUE(spec) << spec.error().to_string();
  EXPECT_EQ(spec->attribute_name, "expires");
  EXPECT_TRUE(spec->enabled);
  auto ttl = client_.describe_time_to_live(table);
  ASSERT_TRUE(ttl) << ttl.error().to_string();
  EXPECT_EQ(ttl->time_to_live_status, TimeToLiveStatus::enabled);
  EXPECT_EQ(ttl->attribute_name, "expires");
}

TEST_F(DynamoDbLocal, ItemsAndConditions) {
  const std::string table = create_table();
  put(table, {{"pk", AttributeValue("a")},
              {"sk", num(1)},
              {"title", AttributeValue("first")},
              {"blob", AttributeValue(Bytes("\x00\x01\xff", 3))}});

  auto got = client_.get_item({.table_name = table, .key = key("a", 1), .consistent_read = true});
  ASSERT_TRUE(got) << got.error().to_string();
  ASSERT_TRUE(got->item);
  EXPECT_EQ(got->item->at("title"), AttributeValue("first"));
  EXPECT_EQ(*got->item->at("blob").as_bytes(), Bytes("\x00\x01\xff", 3));

  auto projected = client_.get_item({.table_name = table,
                                     .key = key("a", 1),
                                     .projection_expression = "#t",
                                     .expression_attribute_names = {{"#t", "title"}}});
  ASSERT_TRUE(projected) << projected.error().to_string();
  EXPECT_EQ(projected->item->size(), 1u);

  UpdateItemRequest up;
  up.table_name = table;
  up.key = key("a", 1);
  up.update_expression = "SET #t = :t ADD visits :one";
  up.condition_expression = "attribute_exists(pk)";
  up.expression_attribute_names = {{"#t", "title"}};
  up.expression_attribute_values = {{":t", AttributeValue("second")}, {":one", num(1)}};
  up.return_values = ReturnValues::all_new;
  auto updated = client_.update_item(up);
  ASSERT_TRUE(updated) << updated.error().to_string();
  ASSERT_TRUE(updated->attributes);
  EXPECT_EQ(updated->attributes->at("title"), AttributeValue("second"));
  EXPECT_EQ(updated->attributes->at("visits").as_number()->text, "1");

  // A failed condition returns the item as it is.
  auto refused = client_.put_item(
      {.table_name = table,
       .item = key("a", 1),
       .condition_expression = "attribute_not_exists(pk)",
       .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::condition_failed) << refused.error().to_string();
  EXPECT_EQ(refused.error().aws_code, "ConditionalCheckFailedException");
  const auto* detail = refused.error().detail<DynamoDbErrorDetail>();
  ASSERT_NE(detail, nullptr);
  ASSERT_TRUE(detail->item);
  EXPECT_EQ(detail->item->at("title"), AttributeValue("second"));

  auto deleted = client_.delete_item(
      {.table_name = table, .key = key("a", 1), .return_values = ReturnValues::all_old});
  ASSERT_TRUE(deleted) << deleted.error().to_string();
  ASSERT_TRUE(deleted->attributes);
  EXPECT_EQ(deleted->attributes->at("visits").as_number()->text, "1");
  auto gone = client_.get_item({.table_name = table, .key = key("a", 1), .consistent_read = true});
  ASSERT_TRUE(gone) << gone.error().to_string();
  EXPECT_FALSE(gone->item);

  auto bad_expr = client_.update_item(
      {.table_name = table, .key = key("a", 1), .update_expression = "SET = nonsense"});
  ASSERT_FALSE(bad_expr);
  EXPECT_EQ(bad_expr.error().code, ErrorCode::validation);
  auto no_table = client_.get_item({.table_name = "dynamate-no-such-table", .key = key("a", 1)});
  ASSERT_FALSE(no_table);
  EXPECT_EQ(no_table.error().code, ErrorCode::not_found);
}

TEST_F(DynamoDbLocal, QueryPagesAndIndexes) {
  const std::string table = create_table();
  for (int i = 0; i < 23; ++i) {
    put(table, {{"pk", AttributeValue("q")},
                {"sk", num(i)},
                {"owner", AttributeValue(i % 2 == 0 ? "even" : "odd")},
                {"sk2", AttributeValue("s" + std::to_string(100 - i))},
                {"title", AttributeValue("t" + std::to_string(i))}});
  }
  put(table, {{"pk", AttributeValue("other")}, {"sk", num(0)}});

  QueryRequest q;
  q.table_name = table;
  q.key_condition_expression = "pk = :p";
  q.expression_attribute_values = {{":p", AttributeValue("q")}};
  q.limit = 5;
  q.consistent_read = true;
  std::vector<std::string> seen;
  int pages = 0;
  for (;;) {
    auto page = client_.query(q);
    ASSERT_TRUE(page) << page.error().to_string();
    ++pages;
    EXPECT_LE(page->items.size(), 5u);
    EXPECT_EQ(page->count, static_cast<std::int64_t>(page->items.size()));
    for (const auto& item : page->items) seen.push_back(sk_of(item));
    if (!page->last_evaluated_key) break;
    EXPECT_EQ(page->last_evaluated_key->size(), 2u);
    q.exclusive_start_key = page->last_evaluated_key;
  }
  EXPECT_GE(pages, 5);
  ASSERT_EQ(seen.size(), 23u);
  for (int i = 0; i < 23; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], std::to_string(i));

  // Descending, filtered, counted.
  QueryRequest desc;
  desc.table_name = table;
  desc.key_condition_expression = "pk = :p AND sk >= :from";
  desc.filter_expression = "#o = :odd";
  desc.expression_attribute_names = {{"#o", "owner"}};
  desc.expression_attribute_values = {
      {":p", AttributeValue("q")}, {":from", num(10)}, {":odd", AttributeValue("odd")}};
  desc.scan_index_forward = false;
  desc.return_consumed_capacity = ReturnConsumedCapacity::total;
  auto filtered = client_.query(desc);
  ASSERT_TRUE(filtered) << filtered.error().to_string();
  EXPECT_EQ(filtered->scanned_count, 13);
  ASSERT_EQ(filtered->count, 6);
  EXPECT_EQ(sk_of(filtered->items.front()), "21");
  EXPECT_EQ(sk_of(filtered->items.back()), "11");
  ASSERT_TRUE(filtered->consumed_capacity);
  EXPECT_EQ(filtered->consumed_capacity->table_name, table);
  EXPECT_GT(filtered->consumed_capacity->capacity_units, 0);
  desc.select = Select::count;
  auto counted = client_.query(desc);
  ASSERT_TRUE(counted) << counted.error().to_string();
  EXPECT_EQ(counted->count, 6);
  EXPECT_TRUE(counted->items.empty());

  // GSI: projected attributes only.
  auto by_owner = client_.query({.table_name = table,
                                 .index_name = "by-owner",
                                 .key_condition_expression = "#o = :e",
                                 .expression_attribute_names = {{"#o", "owner"}},
                                 .expression_attribute_values = {{":e", AttributeValue("even")}}});
  ASSERT_TRUE(by_owner) << by_owner.error().to_string();
  ASSERT_EQ(by_owner->items.size(), 12u);
  EXPECT_TRUE(by_owner->items[0].contains("title"));
  EXPECT_FALSE(by_owner->items[0].contains("sk2"));
  // LSI: ordered by sk2, keys only.
  auto by_sk2 = client_.query({.table_name = table,
                               .index_name = "by-sk2",
                               .key_condition_expression = "pk = :p",
                               .expression_attribute_values = {{":p", AttributeValue("q")}},
                               .limit = 3});
  ASSERT_TRUE(by_sk2) << by_sk2.error().to_string();
  ASSERT_EQ(by_sk2->items.size(), 3u);
  EXPECT_EQ(*by_sk2->items[0].at("sk2").as_string(), "s100");
  EXPECT_FALSE(by_sk2->items[0].contains("title"));
  EXPECT_TRUE(by_sk2->last_evaluated_key);
}

TEST_F(DynamoDbLocal, ScanPagesAndParallelSegments) {
  const std::string table = create_table();
  BatchWriteItemRequest batch;
  std::set<std::string> all;
  for (int i = 0; i < 40; ++i) {
    const std::string pk = "p" + std::to_string(i % 10);
    batch.request_items[table].push_back(PutRequest{key(pk, i)});
    all.insert(pk + "/" + std::to_string(i));
    if (batch.request_items[table].size() == 20) {
      auto w = client_.batch_write_item(batch);
      ASSERT_TRUE(w) << w.error().to_string();
      ASSERT_TRUE(w->unprocessed_items.empty());
      batch.request_items.clear();
    }
  }

  auto scan_all = [&](ScanRequest s) {
    std::vector<std::string> out;
    for (int pages = 0; pages < 100; ++pages) {
      auto page = client_.scan(s);
      EXPECT_TRUE(page) << page.error().to_string();
      if (!page) break;
      for (const auto& item : page->items) out.push_back(pk_of(item) + "/" + sk_of(item));
      if (!page->last_evaluated_key) break;
      s.exclusive_start_key = page->last_evaluated_key;
    }
    return out;
  };

  auto paged = scan_all({.table_name = table, .limit = 7});
  EXPECT_EQ(paged.size(), 40u);
  EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()), all);

  std::vector<std::string> merged;
  for (std::int32_t segment = 0; segment < 3; ++segment) {
    auto part =
        scan_all({.table_name = table, .limit = 4, .segment = segment, .total_segments = 3});
    merged.insert(merged.end(), part.begin(), part.end());
  }
  EXPECT_EQ(merged.size(), 40u);  // no item in two segments
  EXPECT_EQ(std::set<std::string>(merged.begin(), merged.end()), all);

  auto filtered = client_.scan({.table_name = table,
                                .filter_expression = "pk = :p",
                                .expression_attribute_values = {{":p", AttributeValue("p3")}},
                                .select = Select::count});
  ASSERT_TRUE(filtered) << filtered.error().to_string();
  EXPECT_EQ(filtered->count, 4);
  EXPECT_EQ(filtered->scanned_count, 40);
}

TEST_F(DynamoDbLocal, Batches) {
  const std::string a = create_table();
  const std::string b = create_table();
  BatchWriteItemRequest w;
  for (int i = 0; i < 20; ++i) {
    w.request_items[a].push_back(
        PutRequest{{{"pk", AttributeValue("k")}, {"sk", num(i)}, {"title", AttributeValue("x")}}});
  }
  for (int i = 0; i < 5; ++i) w.request_items[b].push_back(PutRequest{key("k", i)});
  auto written = client_.batch_write_item(w);
  ASSERT_TRUE(written) << written.error().to_string();

  BatchGetItemRequest g;
  for (int i = 0; i < 25; ++i) g.request_items[a].keys.push_back(key("k", i));  // 20..24 absent
  g.request_items[a].projection_expression = "sk, title";
  for (int i = 0; i < 5; ++i) g.request_items[b].keys.push_back(key("k", i));
  g.request_items[b].consistent_read = true;
  g.return_consumed_capacity = ReturnConsumedCapacity::total;
  std::size_t from_a = 0;
  std::size_t from_b = 0;
  for (int round = 0; round < 10 && !g.request_items.empty(); ++round) {
    auto got = client_.batch_get_item(g);
    ASSERT_TRUE(got) << got.error().to_string();
    if (auto it = got->responses.find(a); it != got->responses.end()) {
      from_a += it->second.size();
      for (const auto& item : it->second) {
        EXPECT_EQ(item.size(), 2u);
        EXPECT_EQ(item.at("title"), AttributeValue("x"));
      }
    }
    if (auto it = got->responses.find(b); it != got->responses.end()) from_b += it->second.size();
    EXPECT_FALSE(got->consumed_capacity.empty());
    g.request_items = got->unprocessed_keys;
  }
  EXPECT_EQ(from_a, 20u);
  EXPECT_EQ(from_b, 5u);

  BatchWriteItemRequest del;
  for (int i = 0; i < 5; ++i) del.request_items[b].push_back(DeleteRequest{key("k", i)});
  ASSERT_TRUE(client_.batch_write_item(del));
  auto empty = client_.scan({.table_name = b, .consistent_read = true});
  ASSERT_TRUE(empty) << empty.error().to_string();
  EXPECT_EQ(empty->count, 0);

  // Two writes to one key in one batch: DynamoDB refuses the batch.
  BatchWriteItemRequest dup;
  dup.request_items[a] = {PutRequest{key("k", 1)}, DeleteRequest{key("k", 1)}};
  auto refused = client_.batch_write_item(dup);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::validation) << refused.error().to_string();
}

TEST_F(DynamoDbLocal, Transactions) {
  const std::string table = create_table();
  put(table, {{"pk", AttributeValue("acct")}, {"sk", num(1)}, {"balance", num(10)}});
  put(table, {{"pk", AttributeValue("bank")}, {"sk", num(0)}, {"open", AttributeValue(true)}});

  TransactWriteItemsRequest tx;
  tx.transact_items.push_back(TransactUpdate{.table_name = table,
                                             .key = key("acct", 1),
                                             .update_expression = "SET balance = balance - :n",
                                             .condition_expression = "balance >= :n",
                                             .expression_attribute_values = {{":n", num(4)}}});
  tx.transact_items.push_back(
      TransactPut{.table_name = table,
                  .item = {{"pk", AttributeValue("acct")}, {"sk", num(2)}, {"balance", num(4)}},
                  .condition_expression = "attribute_not_exists(pk)"});
  tx.transact_items.push_back(
      ConditionCheck{.table_name = table,
                     .key = key("bank", 0),
                     .condition_expression = "#o = :yes",
                     .expression_attribute_names = {{"#o", "open"}},
                     .expression_attribute_values = {{":yes", AttributeValue(true)}}});
  tx.client_request_token = "dynamate-tx-" + test::unique_name("t");
  auto done = client_.transact_write_items(tx);
  ASSERT_TRUE(done) << done.error().to_string();
  EXPECT_EQ(done->client_request_token, tx.client_request_token);

  // The same token again within 10 minutes: accepted, not applied twice.
  auto replay = client_.transact_write_items(tx);
  ASSERT_TRUE(replay) << replay.error().to_string();

  TransactGetItemsRequest read;
  read.transact_items = {{.table_name = table, .key = key("acct", 1)},
                         {.table_name = table, .key = key("acct", 2)},
                         {.table_name = table, .key = key("acct", 3)}};
  auto snapshot = client_.transact_get_items(read);
  ASSERT_TRUE(snapshot) << snapshot.error().to_string();
  ASSERT_EQ(snapshot->responses.size(), 3u);
  ASSERT_TRUE(snapshot->responses[0]);
  EXPECT_EQ(snapshot->responses[0]->at("balance").as_number()->text, "6");
  ASSERT_TRUE(snapshot->responses[1]);
  EXPECT_EQ(snapshot->responses[1]->at("balance").as_number()->text, "4");
  EXPECT_FALSE(snapshot->responses[2]);

  // The same token with other parameters is refused.
  TransactWriteItemsRequest other = tx;
  other.transact_items.pop_back();
  auto mismatch = client_.transact_write_items(other);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().aws_code, "IdempotentParameterMismatchException")
      << mismatch.error().to_string();

  // A failing condition cancels everything, with one reason per action.
  TransactWriteItemsRequest overdraw;
  overdraw.transact_items.push_back(
      TransactPut{.table_name = table, .item = {{"pk", AttributeValue("acct")}, {"sk", num(3)}}});
  overdraw.transact_items.push_back(TransactUpdate{
      .table_name = table,
      .key = key("acct", 1),
      .update_expression = "SET balance = balance - :n",
      .condition_expression = "balance >= :n",
      .expression_attribute_values = {{":n", num(100)}},
      .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old});
  auto canceled = client_.transact_write_items(overdraw);
  ASSERT_FALSE(canceled);
  EXPECT_EQ(canceled.error().code, ErrorCode::transaction_canceled) << canceled.error().to_string();
  const auto* d = canceled.error().detail<DynamoDbErrorDetail>();
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->cancellation_reasons.size(), 2u);
  EXPECT_EQ(d->cancellation_reasons[0].code, "None");
  EXPECT_EQ(d->cancellation_reasons[1].code, "ConditionalCheckFailed");
  ASSERT_TRUE(d->cancellation_reasons[1].item);
  EXPECT_EQ(d->cancellation_reasons[1].item->at("balance").as_number()->text, "6");
  auto not_written = client_.get_item({.table_name = table, .key = key("acct", 3)});
  ASSERT_TRUE(not_written) << not_written.error().to_string();
  EXPECT_FALSE(not_written->item);
}

}  // namespace
}  // namespace dynamate::aws
