// Shared by the DynamoDbClient unit tests: a client wired to a FakeTransport
// and a FakeClock, and an order-insensitive JSON comparison for request bodies.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>
#include <string>
#include <string_view>

#include "dynamate/aws/dynamodb.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

namespace dynamate::test {

struct DynamoDbFixture {
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::optional<aws::DynamoDbClient> client;

  explicit DynamoDbFixture(aws::RetryOptions retry = {}) {
    aws::ClientConfig c;
    c.region = "us-east-1";
    c.endpoint = "http://127.0.0.1:9";
    c.credentials = aws::static_credentials({"AKID", "SECRET", "", {}, "test"});
    c.transport = transport;
    c.clock = clock;
    c.retry = retry;
    auto created = aws::DynamoDbClient::create(std::move(c));
    EXPECT_TRUE(created) << created.error().to_string();
    client.emplace(std::move(*created));
  }
  const aws::DynamoDbClient& operator*() const { return *client; }
  const aws::DynamoDbClient* operator->() const { return &*client; }

  std::string body(std::size_t i) const { return transport->requests().at(i).body; }
  std::string target(std::size_t i) const {
    const auto requests = transport->requests();
    const auto* t = http::find_header(requests.at(i).headers, "X-Amz-Target");
    return t == nullptr ? std::string() : *t;
  }
};

// Structural equality: objects compare as unordered maps (duplicate-free),
// arrays in order, numbers by value.
inline bool json_equal(simdjson::dom::element a, simdjson::dom::element b) {
  using simdjson::dom::element_type;
  const auto ta = a.type();
  const auto tb = b.type();
  const bool na =
      ta == element_type::INT64 || ta == element_type::UINT64 || ta == element_type::DOUBLE;
  const bool nb =
      tb == element_type::INT64 || tb == element_type::UINT64 || tb == element_type::DOUBLE;
  if (na && nb) return a.get_double().value() == b.get_double().value();
  if (ta != tb) return false;
  switch (ta) {
    case element_type::OBJECT: {
      auto oa = a.get_object().value();
      auto ob = b.get_object().value();
      if (oa.size() != ob.size()) return false;
      for (auto field : oa) {
        simdjson::dom::element other;
        if (ob.at_key(field.key).get(other) != simdjson::SUCCESS) return false;
        if (!json_equal(field.value, other)) return false;
      }
      return true;
    }
    case element_type::ARRAY: {
      auto aa = a.get_array().value();
      auto ab = b.get_array().value();
      if (aa.size() != ab.size()) return false;
      auto ib = ab.begin();
      for (auto x : aa) {
        if (!json_equal(x, *ib)) return false;
        ++ib;
      }
      return true;
    }
    case element_type::STRING:
      return a.get_string().value() == b.get_string().value();
    case element_type::BOOL:
      return a.get_bool().value() == b.get_bool().value();
    case element_type::NULL_VALUE:
      return true;
    default:
      return false;
  }
}

inline ::testing::AssertionResult JsonEq(std::string_view actual, std::string_view expected) {
  simdjson::dom::parser pa;
  simdjson::dom::parser pb;
  simdjson::dom::element ea;
  simdjson::dom::element eb;
  if (pa.parse(simdjson::padded_string(actual)).get(ea) != simdjson::SUCCESS) {
    return ::testing::AssertionFailure() << "actual is not JSON: " << actual;
  }
  if (pb.parse(simdjson::padded_string(expected)).get(eb) != simdjson::SUCCESS) {
    return ::testing::AssertionFailure() << "expected is not JSON: " << expected;
  }
  if (json_equal(ea, eb)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\n  actual:   " << simdjson::minify(ea) << "\n  expected: " << simdjson::minify(eb);
}

inline constexpr std::string_view kDdbPrefix = "com.amazonaws.dynamodb.v20120810#";

inline std::string ddb_error(std::string_view type, std::string_view message,
                             std::string_view extra = {}) {
  std::string s = R"({"__type":")" + std::string(kDdbPrefix) + std::string(type) +
                  R"(","message":")" + std::string(message) + "\"";
  if (!extra.empty()) s += "," + std::string(extra);
  return s + "}";
}

}  // namespace dynamate::test
