// The 23 canned DynamoDB and S3 error responses of
// tests/data/sigv4/error_responses.json, each parsed by our error parser and
// compared with what botocore 1.43.11 made of it (botocore_result).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <optional>
#include <string>

#include "aws/dynamodb_json.hpp"
#include "aws/error_parser.hpp"
#include "dynamate/aws/error_details.hpp"
#include "support/test_data.hpp"

namespace dynamate::aws::detail {
namespace {

using simdjson::dom::element;

// Our classification of each case (not in the file: botocore has no codes).
const std::map<std::string, ErrorCode> kExpectedCode = {
    {"dynamodb-conditional-check-failed", ErrorCode::condition_failed},
    {"dynamodb-conditional-check-failed-with-item", ErrorCode::condition_failed},
    {"dynamodb-resource-not-found", ErrorCode::not_found},
    {"dynamodb-validation-exception", ErrorCode::validation},
    {"dynamodb-transaction-canceled", ErrorCode::transaction_canceled},
    {"dynamodb-throughput-exceeded", ErrorCode::throttled},
    {"dynamodb-invalid-signature", ErrorCode::access_denied},
    {"dynamodb-unrecognized-client", ErrorCode::access_denied},
    {"dynamodb-internal-server-error", ErrorCode::service},
    {"dynamodb-moto-style-validation", ErrorCode::validation},
    {"dynamodb-type-with-uri-suffix", ErrorCode::validation},
    {"dynamodb-html-503", ErrorCode::service},
    {"s3-no-such-key", ErrorCode::not_found},
    {"s3-no-such-bucket", ErrorCode::not_found},
    {"s3-access-denied", ErrorCode::access_denied},
    {"s3-signature-does-not-match", ErrorCode::access_denied},
    {"s3-head-object-404-no-body", ErrorCode::not_found},
    {"s3-copy-object-200-with-error", ErrorCode::service},
    {"s3-slow-down", ErrorCode::throttled},
    {"s3-moto-style-cdata", ErrorCode::not_found},
    {"s3-invalid-range", ErrorCode::validation},
    {"s3-authorization-header-malformed", ErrorCode::validation},
};

std::string str(element e) { return std::string(std::string_view(e.get_string())); }
std::optional<std::string> str_or_null(element e) {
  if (e.is_null()) return std::nullopt;
  return str(e);
}

http::Response response_of(element c) {
  http::Response r;
  r.status = static_cast<int>(int64_t(c["response"]["status_code"]));
  for (element h : c["response"]["headers"].get_array()) {
    r.headers.emplace_back(str(h.at(0)), str(h.at(1)));
  }
  r.body = str(c["response"]["body"]);
  return r;
}

AttributeMap item_of(element e) {
  auto item = parse_item(e);
  EXPECT_TRUE(item.has_value()) << item.error().to_string();
  return item ? *item : AttributeMap{};
}

void check_dynamodb_modeled(const Error& error, element modeled) {
  const auto* d = error.detail<DynamoDbErrorDetail>();
  ASSERT_NE(d, nullptr);
  element item;
  if (modeled["Item"].get(item) == simdjson::SUCCESS) {
    ASSERT_TRUE(d->item.has_value());
    EXPECT_EQ(*d->item, item_of(item));
  } else {
    EXPECT_FALSE(d->item.has_value());
  }
  simdjson::dom::array reasons;
  if (modeled["CancellationReasons"].get(reasons) != simdjson::SUCCESS) {
    EXPECT_TRUE(d->cancellation_reasons.empty());
    return;
  }
  ASSERT_EQ(d->cancellation_reasons.size(), reasons.size());
  std::size_t i = 0;
  for (element r : reasons) {
    const CancellationReason& got = d->cancellation_reasons[i++];
    EXPECT_EQ(got.code, str(r["Code"]));
    std::string_view message;
    EXPECT_EQ(got.message, r["Message"].get(message) == simdjson::SUCCESS ? message : "");
    element reason_item;
    EXPECT_EQ(got.item.has_value(), r["Item"].get(reason_item) == simdjson::SUCCESS);
  }
}

void check_s3_extras(const Error& error, element expected, const http::Response& r) {
  const auto* d = error.detail<S3ErrorDetail>();
  ASSERT_NE(d, nullptr);
  std::map<std::string, std::string> fields;
  for (auto field : expected["error_extra_fields"].get_object()) {
    fields.emplace(std::string(field.key), str(field.value));
  }
  EXPECT_EQ(d->fields, fields);
  EXPECT_EQ(std::optional<std::string>(d->host_id), str_or_null(expected["host_id"]));
  const std::string* region = r.header("x-amz-bucket-region");
  EXPECT_EQ(d->bucket_region, region != nullptr ? *region : "");
}

class ErrorResponses : public ::testing::Test {
 protected:
  void SetUp() override {
    json_ = simdjson::padded_string::load(test::data_path("sigv4/error_responses.json"));
    ASSERT_EQ(parser_.parse(json_).get(root_), simdjson::SUCCESS);
  }
  simdjson::padded_string json_;
  simdjson::dom::parser parser_;
  element root_;
};

TEST_F(ErrorResponses, HasAll23Cases) {
  EXPECT_EQ(int64_t(root_["case_count"]), 23);
  EXPECT_EQ(root_["cases"].get_array().size(), 23u);
}

TEST_F(ErrorResponses, MatchBotocore) {
  int checked = 0;
  for (element c : root_["cases"].get_array()) {
    const std::string id = str(c["id"]);
    SCOPED_TRACE(id);
    const http::Response r = response_of(c);
    const element expected = c["botocore_result"];
    const bool dynamodb = str(c["service"]) == "dynamodb";
    ++checked;

    Error error;
    if (dynamodb) {
      EXPECT_TRUE(dynamodb_crc32_matches(r));  // every DynamoDB case carries a valid CRC
      error = parse_dynamodb_error(r);
    } else if (r.status == 200) {
      const bool is_error = s3_error_in_200(r, error);
      EXPECT_EQ(is_error, !expected["raises"].is_null());
      if (!is_error) continue;  // DeleteObjects partial failure: a normal response
    } else {
      error = parse_s3_error(r);
    }

    EXPECT_EQ(error.aws_code, str(expected["error_code"]));
    EXPECT_EQ(error.message, str(expected["error_message"]));
    EXPECT_EQ(error.http_status, int64_t(expected["http_status_code"]));
    // botocore drops the request id of generic (HTML) 5xx responses; we keep
    // the header's, which is what AWS support asks for.
    const auto request_id = str_or_null(expected["request_id"]);
    EXPECT_EQ(error.request_id, request_id ? *request_id : *r.header("x-amzn-RequestId"));
    ASSERT_TRUE(kExpectedCode.contains(id));
    EXPECT_EQ(error.code, kExpectedCode.at(id)) << error.to_string();
    if (dynamodb) {
      check_dynamodb_modeled(error, expected["modeled_fields"]);
    } else {
      check_s3_extras(error, expected, r);
    }
  }
  EXPECT_EQ(checked, 23);
}

TEST_F(ErrorResponses, RetryFlagsFollowStandardMode) {
  for (element c : root_["cases"].get_array()) {
    const std::string id = str(c["id"]);
    SCOPED_TRACE(id);
    const http::Response r = response_of(c);
    Error error;
    if (str(c["service"]) == "dynamodb") {
      error = parse_dynamodb_error(r);
    } else if (r.status == 200) {
      if (!s3_error_in_200(r, error)) continue;
    } else {
      error = parse_s3_error(r);
    }
    const bool retryable = id == "dynamodb-throughput-exceeded" ||
                           id == "dynamodb-internal-server-error" || id == "dynamodb-html-503" ||
                           id == "s3-copy-object-200-with-error" || id == "s3-slow-down";
    EXPECT_EQ(error.retryable, retryable);
    // 5xx other than throttling may have been applied.
    EXPECT_EQ(error.ambiguous, error.http_status >= 500 && id != "s3-slow-down");
  }
}

TEST_F(ErrorResponses, RedirectCarriesTheBucketRegion) {
  for (element c : root_["cases"].get_array()) {
    if (str(c["id"]) != "s3-authorization-header-malformed") continue;
    const Error error = parse_s3_error(response_of(c));
    const auto* d = error.detail<S3ErrorDetail>();
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->bucket_region, "eu-central-1");
    EXPECT_EQ(d->fields.at("Region"), "eu-central-1");
    return;
  }
  FAIL() << "case s3-authorization-header-malformed not found";
}

}  // namespace
}  // namespace dynamate::aws::detail
