// The request pipeline: signing on every attempt, retries and their limits,
// idempotency, rewinding streamed bodies, clock-skew correction.
#include <gtest/gtest.h>

#include "aws/error_parser.hpp"
#include "aws/service_client.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

namespace dynamate::aws::detail {
namespace {

using test::FakeClock;
using test::FakeTransport;

struct Fixture {
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<ServiceClient> client;

  explicit Fixture(RetryOptions retry = {}, std::string service = "dynamodb") {
    ClientConfig c;
    c.region = "us-east-1";
    c.endpoint = "http://127.0.0.1:9/";
    c.credentials = static_credentials({"AKID", "SECRET", "", {}, "test"});
    c.transport = transport;
    c.clock = clock;
    c.retry = retry;
    auto created = ServiceClient::create(c, service,
                                         service == "s3" ? &parse_s3_error : &parse_dynamodb_error);
    EXPECT_TRUE(created) << created.error().to_string();
    client = *created;
  }
};

http::Request post(std::string body = "{}") {
  http::Request r;
  r.method = "POST";
  r.url = "http://127.0.0.1:9/";
  r.headers = {{"Content-Type", "application/x-amz-json-1.0"},
               {"X-Amz-Target", "DynamoDB_20120810.GetItem"}};
  r.body = std::move(body);
  return r;
}

const char* kThrottle =
    R"({"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",)"
    R"("message":"slow down"})";

TEST(ServiceClient, SignsEveryRequest) {
  Fixture f;
  f.transport->push(200, "{}");
  auto r = f.client->call(post(), {});
  ASSERT_TRUE(r) << r.error().to_string();
  const auto sent = f.transport->requests().at(0);
  ASSERT_NE(http::find_header(sent.headers, "Authorization"), nullptr);
  EXPECT_NE(http::find_header(sent.headers, "Authorization")
                ->find("Credential=AKID/20250102/us-east-1/dynamodb/aws4_request"),
            std::string::npos);
  EXPECT_EQ(*http::find_header(sent.headers, "X-Amz-Date"), "20250102T030405Z");
  EXPECT_EQ(f.client->endpoint(), "http://127.0.0.1:9");
}

TEST(ServiceClient, RetriesThrottlingThenSucceeds) {
  Fixture f;
  f.transport->push(400, kThrottle);
  f.transport->push(500, "{}");
  f.transport->push(200, R"({"Item":{}})");
  CallStats stats;
  auto r = f.client->call(post(), {}, &stats);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(stats.attempts, 3);
  EXPECT_EQ(f.transport->request_count(), 3u);
  ASSERT_EQ(f.clock->sleeps().size(), 2u);
  for (auto s : f.clock->sleeps()) EXPECT_LE(s, std::chrono::milliseconds(200));
  // Each attempt is signed afresh with the time it is sent.
  const auto reqs = f.transport->requests();
  EXPECT_EQ(http::find_header(reqs[0].headers, "Authorization")->size(),
            http::find_header(reqs[2].headers, "Authorization")->size());
  EXPECT_EQ(http::find_header(reqs[0].headers, "X-Amz-Date")->size(), 16u);
}

TEST(ServiceClient, GivesUpAfterMaxAttempts) {
  Fixture f;
  for (int i = 0; i < 5; ++i) f.transport->push(400, kThrottle);
  auto r = f.client->call(post(), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::throttled);
  EXPECT_EQ(f.transport->request_count(), 3u);
}

TEST(ServiceClient, DoesNotRetryClientErrors) {
  Fixture f;
  f.transport->push(400, R"({"__type":"com.amazon.coral.validate#ValidationException",)"
                         R"("message":"bad"})");
  auto r = f.client->call(post(), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::validation);
  EXPECT_EQ(f.transport->request_count(), 1u);
}

TEST(ServiceClient, AmbiguousFailureRetriedOnlyWhenIdempotent) {
  Error lost(ErrorCode::transport, "connection reset");
  lost.retryable = true;
  lost.ambiguous = true;
  {
    Fixture f;
    f.transport->push_error(lost);
    f.transport->push(200, "{}");
    CallOptions o;
    o.idempotent = false;
    auto r = f.client->call(post(), o);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().ambiguous);
    EXPECT_EQ(f.transport->request_count(), 1u);
  }
  {
    Fixture f;
    f.transport->push_error(lost);
    f.transport->push(200, "{}");
    auto r = f.client->call(post(), {});
    ASSERT_TRUE(r);
    EXPECT_EQ(f.transport->request_count(), 2u);
  }
}

TEST(ServiceClient, RewindsStreamedBodiesOnRetry) {
  Fixture f({}, "s3");
  f.transport->push(503, "<Error><Code>SlowDown</Code><Message>x</Message></Error>");
  f.transport->push(200, "");
  http::Request put;
  put.method = "PUT";
  put.url = "http://127.0.0.1:9/bucket/key";
  put.body_source = http::string_body_source("streamed body");
  CallOptions o;
  o.unsigned_payload = true;
  auto r = f.client->call(put, o);
  ASSERT_TRUE(r) << r.error().to_string();
  const auto reqs = f.transport->requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].body, "streamed body");
  EXPECT_EQ(reqs[1].body, "streamed body");
  EXPECT_EQ(*http::find_header(reqs[1].headers, "X-Amz-Content-SHA256"), "UNSIGNED-PAYLOAD");
}

TEST(ServiceClient, CorrectsClockSkewFromServerDate) {
  Fixture f;
  f.transport->push(400,
                    R"({"__type":"com.amazon.coral.service#InvalidSignatureException",)"
                    R"("message":"Signature expired: 20250102T030405Z is now earlier than ..."})",
                    {{"Date", "Thu, 02 Jan 2025 04:04:05 GMT"}});
  f.transport->push(200, "{}");
  auto r = f.client->call(post(), {});
  ASSERT_TRUE(r) << r.error().to_string();
  const auto reqs = f.transport->requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(*http::find_header(reqs[1].headers, "X-Amz-Date"), "20250102T040405Z");
  EXPECT_TRUE(f.clock->sleeps().empty());
}

TEST(ServiceClient, SkewResendStartsAStreamedBodyOver) {
  Fixture f({}, "s3");
  f.transport->push(403,
                    "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between "
                    "the request time and the current time is too large.</Message></Error>",
                    {{"Date", "Thu, 02 Jan 2025 05:04:05 GMT"}});
  f.transport->push(200, "");
  http::Request put;
  put.method = "PUT";
  put.url = "http://127.0.0.1:9/bucket/key";
  put.body_source = http::string_body_source("streamed body");
  CallOptions o;
  o.unsigned_payload = true;
  auto r = f.client->call(put, o);
  ASSERT_TRUE(r) << r.error().to_string();
  const auto reqs = f.transport->requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[1].body, "streamed body");
  EXPECT_EQ(*http::find_header(reqs[1].headers, "X-Amz-Date"), "20250102T050405Z");
}

TEST(ServiceClient, CheckSuccessTurnsA200IntoAnError) {
  Fixture f;
  f.transport->push(200, "corrupt");
  f.transport->push(200, "good");
  CallOptions o;
  o.check_success = [](const http::Response& r) -> std::optional<Error> {
    if (r.body == "good") return std::nullopt;
    Error e(ErrorCode::protocol, "checksum mismatch");
    e.retryable = true;
    return e;
  };
  auto r = f.client->call(post(), o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "good");
}

TEST(ServiceClient, RejectsIncompleteConfig) {
  ClientConfig c;
  c.credentials = static_credentials({"a", "b", "", {}, ""});
  auto r = ServiceClient::create(c, "dynamodb", &parse_dynamodb_error);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("region"), std::string::npos);
  c.region = "eu-west-1";
  c.endpoint = "ftp://x";
  r = ServiceClient::create(c, "dynamodb", &parse_dynamodb_error);
  ASSERT_FALSE(r);
  c.endpoint.clear();
  r = ServiceClient::create(c, "dynamodb", &parse_dynamodb_error);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)->endpoint(), "https://dynamodb.eu-west-1.amazonaws.com");
}

}  // namespace
}  // namespace dynamate::aws::detail
