// DynamoDbClient's retry behaviour: throttling is retried, ambiguous failures
// only for idempotent requests (per-operation defaults and the per-request
// override), x-amz-crc32 mismatches, transaction tokens kept across retries,
// and the table waiters on a fake clock. Nothing sleeps for real.
#include <gtest/gtest.h>

#include <thread>

#include "dynamodb_test_fixture.hpp"

namespace dynamate::aws {
namespace {

using namespace std::chrono_literals;
using test::ddb_error;
using test::DynamoDbFixture;

AttributeMap key(std::string pk) { return {{"pk", AttributeValue(std::move(pk))}}; }

Error ambiguous_reset() {
  Error e(ErrorCode::transport, "connection reset by peer");
  e.retryable = true;
  e.ambiguous = true;
  return e;
}

RetryOptions no_quota(int attempts = 3) {
  RetryOptions r;
  r.max_attempts = attempts;
  r.use_quota = false;
  return r;
}

TEST(DynamoDbClientRetry, RetriesThrottlingUntilSuccess) {
  DynamoDbFixture f;
  f.transport->push(400, ddb_error("ProvisionedThroughputExceededException", "slow down"));
  f.transport->push(400, ddb_error("ThrottlingException", "slow down"));
  f.transport->push(200, R"j({"Item":{"pk":{"S":"a"}}})j");
  auto r = f->get_item({.table_name = "things", .key = key("a")});
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_TRUE(r->item);
  EXPECT_EQ(f.transport->request_count(), 3u);
  EXPECT_EQ(f.clock->sleeps().size(), 2u);  // back-off went through the fake clock
}

TEST(DynamoDbClientRetry, GivesUpAfterMaxAttempts) {
  DynamoDbFixture f(no_quota(2));
  for (int i = 0; i < 3; ++i) {
    f.transport->push(400, ddb_error("ProvisionedThroughputExceededException", "slow down"));
  }
  auto r = f->query({.table_name = "things", .key_condition_expression = "pk = :p"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::throttled);
  EXPECT_EQ(r.error().aws_code, "ProvisionedThroughputExceededException");
  EXPECT_NE(r.error().message.find("Query"), std::string::npos) << r.error().message;
  EXPECT_EQ(f.transport->request_count(), 2u);
}

TEST(DynamoDbClientRetry, UpdateItemIsNotResentAfterAmbiguousFailure) {
  DynamoDbFixture f(no_quota());
  f.transport->push_error(ambiguous_reset());
  f.transport->push(200, "{}");
  auto r = f->update_item(
      {.table_name = "things",
       .key = key("a"),
       .update_expression = "ADD visits :one",
       .expression_attribute_values = {{":one", AttributeValue::number(std::int64_t{1})}}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::transport);
  EXPECT_TRUE(r.error().ambiguous);
  EXPECT_EQ(f.transport->request_count(), 1u);
}

TEST(DynamoDbClientRetry, UpdateItemThrottlingIsRetried) {
  // Throttling is not ambiguous: the update was not applied.
  DynamoDbFixture f(no_quota());
  f.transport->push(400, ddb_error("ThrottlingException", "slow down"));
  f.transport->push(200, "{}");
  ASSERT_TRUE(f->update_item({.table_name = "things", .key = key("a"), .update_expression = "x"}));
  EXPECT_EQ(f.transport->request_count(), 2u);
}

TEST(DynamoDbClientRetry, IdempotentOverrideAllowsResendingAnUpdate) {
  DynamoDbFixture f(no_quota());
  f.transport->push_error(ambiguous_reset());
  f.transport->push(200, "{}");
  ASSERT_TRUE(f->update_item({.table_name = "things",
                              .key = key("a"),
                              .update_expression = "SET #s = :s",
                              .expression_attribute_names = {{"#s", "status"}},
                              .expression_attribute_values = {{":s", AttributeValue("done")}},
                              .idempotent = true}));
  EXPECT_EQ(f.transport->request_count(), 2u);
  EXPECT_EQ(f.body(0), f.body(1));
}

TEST(DynamoDbClientRetry, PutAndDeleteDefaults) {
  struct Case {
    const char* name;
    std::function<bool(const DynamoDbClient&)> call;
    std::size_t expected_requests;
  };
  const std::vector<Case> cases = {
      {"plain put is resent",
       [](const DynamoDbClient& c) {
         return c.put_item({"things", key("a")}).has_value();
       },
       2},
      {"conditional put is not",
       [](const DynamoDbClient& c) {
         return c
             .put_item({.table_name = "things",
                        .item = key("a"),
                        .condition_expression = "attribute_not_exists(pk)"})
             .has_value();
       },
       1},
      {"put returning old values is not",
       [](const DynamoDbClient& c) {
         return c
             .put_item(
                 {.table_name = "things", .item = key("a"), .return_values = ReturnValues::all_old})
             .has_value();
       },
       1},
      {"conditional put with override is",
       [](const DynamoDbClient& c) {
         return c
             .put_item({.table_name = "things",
                        .item = key("a"),
                        .condition_expression = "attribute_not_exists(pk)",
                        .idempotent = true})
             .has_value();
       },
       2},
      {"plain delete is resent",
       [](const DynamoDbClient& c) {
         return c.delete_item({"things", key("a")}).has_value();
       },
       2},
      {"conditional delete is not",
       [](const DynamoDbClient& c) {
         return c
             .delete_item({.table_name = "things",
                           .key = key("a"),
                           .condition_expression = "attribute_exists(pk)"})
             .has_value();
       },
       1},
      {"plain put with override false is not",
       [](const DynamoDbClient& c) {
         return c.put_item({.table_name = "things", .item = key("a"), .idempotent = false})
             .has_value();
       },
       1},
  };
  for (const auto& c : cases) {
    DynamoDbFixture f(no_quota());
    f.transport->push_error(ambiguous_reset());
    f.transport->push(200, "{}");
    const bool ok = c.call(*f);
    EXPECT_EQ(ok, c.expected_requests == 2) << c.name;
    EXPECT_EQ(f.transport->request_count(), c.expected_requests) << c.name;
  }
}

TEST(DynamoDbClientRetry, TableCreationAndDeletionAreNotResent) {
  DynamoDbFixture f(no_quota());
  f.transport->push_error(ambiguous_reset());
  f.transport->push_error(ambiguous_reset());
  auto created = f->create_table({.table_name = "things",
                                  .attribute_definitions = {{"pk", ScalarAttributeType::S}},
                                  .key_schema = {{"pk", KeyType::hash}}});
  ASSERT_FALSE(created);
  auto deleted = f->delete_table("things");
  ASSERT_FALSE(deleted);
  EXPECT_EQ(f.transport->request_count(), 2u);
  // Reads are resent.
  f.transport->push_error(ambiguous_reset());
  f.transport->push(200, R"j({"Table":{"TableName":"things","TableStatus":"ACTIVE"}})j");
  ASSERT_TRUE(f->describe_table("things"));
  EXPECT_EQ(f.transport->request_count(), 4u);
}

TEST(DynamoDbClientRetry, TransactWriteIsResentWithTheSameToken) {
  DynamoDbFixture f(no_quota());
  f.transport->push_error(ambiguous_reset());
  f.transport->push(200, "{}");
  TransactWriteItemsRequest r;
  r.transact_items.push_back(TransactUpdate{
      .table_name = "things",
      .key = key("a"),
      .update_expression = "ADD n :one",
      .expression_attribute_values = {{":one", AttributeValue::number(std::int64_t{1})}}});
  auto out = f->transact_write_items(r);
  ASSERT_TRUE(out) << out.error().to_string();
  ASSERT_EQ(f.transport->request_count(), 2u);
  EXPECT_EQ(f.body(0), f.body(1));
  EXPECT_NE(f.body(1).find(out->client_request_token), std::string::npos);
}

// ---- x-amz-crc32 ----

TEST(DynamoDbClientCrc32, MatchingChecksumIsAccepted) {
  DynamoDbFixture f;
  f.transport->push(200, R"j({"Item":{"pk":{"S":"a"}}})j", {{"x-amz-crc32", "642333050"}});
  auto r = f->get_item({.table_name = "things", .key = key("a")});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(f.transport->request_count(), 1u);
}

TEST(DynamoDbClientCrc32, MismatchIsRetriedForReads) {
  DynamoDbFixture f(no_quota());
  f.transport->push(200, R"j({"Item":{"pk":{"S":"b"}}})j", {{"x-amz-crc32", "642333050"}});
  f.transport->push(200, R"j({"Item":{"pk":{"S":"a"}}})j", {{"x-amz-crc32", "642333050"}});
  auto r = f->get_item({.table_name = "things", .key = key("a")});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(*r->item->at("pk").as_string(), "a");
  EXPECT_EQ(f.transport->request_count(), 2u);
}

TEST(DynamoDbClientCrc32, MismatchOnAnUpdateIsAnAmbiguousProtocolError) {
  DynamoDbFixture f(no_quota());
  f.transport->push(200, "{}", {{"x-amz-crc32", "1"}, {"x-amzn-RequestId", "REQ1"}});
  f.transport->push(200, "{}");
  auto r = f->update_item({.table_name = "things", .key = key("a"), .update_expression = "x"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::protocol);
  EXPECT_TRUE(r.error().ambiguous);
  EXPECT_TRUE(r.error().retryable);
  EXPECT_EQ(r.error().request_id, "REQ1");
  EXPECT_EQ(f.transport->request_count(), 1u);
}

TEST(DynamoDbClientCrc32, PersistentMismatchFails) {
  DynamoDbFixture f(no_quota(3));
  for (int i = 0; i < 3; ++i) f.transport->push(200, "{}", {{"x-amz-crc32", "2745614146"}});
  auto r = f->describe_time_to_live("things");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::protocol);
  EXPECT_EQ(f.transport->request_count(), 3u);
}

// ---- Waiters ----

std::string table_json(std::string_view status, std::string_view gsi_status = {}) {
  std::string s =
      R"j({"Table":{"TableName":"things","TableStatus":")j" + std::string(status) + "\"";
  if (!gsi_status.empty()) {
    s += R"j(,"GlobalSecondaryIndexes":[{"IndexName":"g1","IndexStatus":"ACTIVE"},)j"
         R"j({"IndexName":"g2","IndexStatus":")j" +
         std::string(gsi_status) + "\"}]";
  }
  return s + "}}";
}

TEST(DynamoDbClientWaiters, WaitsForTableAndIndexes) {
  DynamoDbFixture f;
  f.transport->push(200, table_json("CREATING", "CREATING"));
  f.transport->push(200, table_json("ACTIVE", "CREATING"));
  f.transport->push(200, table_json("ACTIVE", "ACTIVE"));
  const auto start = f.clock->now();
  auto r = f->wait_until_active("things", 60s, 2s);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->fully_active());
  EXPECT_EQ(f.transport->request_count(), 3u);
  EXPECT_EQ(f.clock->now() - start, 4s);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(f.target(i), "DynamoDB_20120810.DescribeTable");
}

TEST(DynamoDbClientWaiters, ActiveTimesOut) {
  DynamoDbFixture f;
  f.transport->set_handler([](const http::Request&) -> Result<http::Response> {
    return http::Response{200, {}, table_json("CREATING")};
  });
  const auto start = f.clock->now();
  auto r = f->wait_until_active("things", 2500ms, 1s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::timeout);
  // Polls at 0, 1, 2 and (clamped to the deadline) 2.5 s.
  EXPECT_EQ(f.transport->request_count(), 4u);
  EXPECT_EQ(f.clock->now() - start, 2500ms);
}

TEST(DynamoDbClientWaiters, ActiveWaitsThroughNotFoundThenFails) {
  DynamoDbFixture f;
  const std::string missing_body =
      ddb_error("ResourceNotFoundException", "Requested resource not found");
  // Unknown at first (just created), then there.
  f.transport->push(400, missing_body);
  f.transport->push(200, table_json("ACTIVE"));
  auto appeared = f->wait_until_active("things", 10s, 1s);
  ASSERT_TRUE(appeared) << appeared.error().to_string();
  EXPECT_EQ(f.transport->request_count(), 2u);
  // Never there: not_found once the time is up.
  f.transport->set_handler([&](const http::Request&) -> Result<http::Response> {
    return http::Response{400, {}, missing_body};
  });
  auto missing = f->wait_until_active("things", 3s, 1s);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_NE(missing.error().message.find("still missing after 3000 ms"), std::string::npos)
      << missing.error().message;
  EXPECT_EQ(f.transport->request_count(), 6u);
}

TEST(DynamoDbClientWaiters, ActiveFailsWhenTableIsDeletingOrDenied) {
  DynamoDbFixture f(no_quota(1));
  f.transport->push(200, table_json("DELETING"));
  auto deleting = f->wait_until_active("things", 10s);
  ASSERT_FALSE(deleting);
  EXPECT_EQ(deleting.error().code, ErrorCode::not_found);
  f.transport->push(400, ddb_error("AccessDeniedException", "no"));
  auto denied = f->wait_until_active("things", 10s);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::access_denied);
  EXPECT_EQ(f.transport->request_count(), 2u);
  EXPECT_TRUE(f.clock->sleeps().empty());
}

TEST(DynamoDbClientWaiters, WaitsForDeletion) {
  DynamoDbFixture f;
  f.transport->push(200, table_json("DELETING"));
  f.transport->push(200, table_json("DELETING"));
  f.transport->push(400, ddb_error("ResourceNotFoundException", "Requested resource not found"));
  auto r = f->wait_until_deleted("things", 10s, 500ms);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(f.transport->request_count(), 3u);
  EXPECT_EQ(f.clock->sleeps(), (std::vector<std::chrono::nanoseconds>{500ms, 500ms}));
}

TEST(DynamoDbClientWaiters, DeletionTimesOutAndPassesOtherErrors) {
  DynamoDbFixture f(no_quota(1));
  f.transport->push(200, table_json("DELETING"));
  f.transport->push(200, table_json("DELETING"));
  auto slow = f->wait_until_deleted("things", 1s, 1s);
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, ErrorCode::timeout);
  f.transport->push(400, ddb_error("AccessDeniedException", "no"));
  auto denied = f->wait_until_deleted("things", 1s, 1s);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::access_denied);
  auto bad = f->wait_until_deleted("things", 1s, 0s);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
}

// ---- Thread-safety: one client, many threads, copies share the pipeline ----

TEST(DynamoDbClientThreads, ConcurrentCallsOnCopies) {
  DynamoDbFixture f;
  f.transport->set_handler([](const http::Request& req) -> Result<http::Response> {
    // Echo the key back as the item.
    const auto at = req.body.find("\"Key\":");
    const auto end = req.body.find('}', at) + 2;
    return http::Response{200, {}, "{\"Item\":" + req.body.substr(at + 6, end - at - 6) + "}"};
  });
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t, client = *f.client] {
      for (int i = 0; i < 50; ++i) {
        const std::string k = std::to_string(t) + "-" + std::to_string(i);
        auto r = client.get_item({.table_name = "things", .key = key(k)});
        if (r && r->item && *r->item->at("pk").as_string() == k) ++good;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), 200);
}

}  // namespace
}  // namespace dynamate::aws
