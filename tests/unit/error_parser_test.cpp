// The error parser beyond the botocore vectors: the AWS-name -> ErrorCode /
// retryable table, malformed and unusual bodies, detail extraction, CRC32.
#include "aws/error_parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "dynamate/aws/error_details.hpp"

namespace dynamate::aws::detail {
namespace {

http::Response response(int status, std::string body, http::Headers headers = {}) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

struct Row {
  const char* name;
  int status;
  ErrorCode code;
  bool retryable;
};

TEST(ClassifyError, StandardRetryModeTable) {
  using EC = ErrorCode;
  const Row rows[] = {
      // Throttling: all retryable.
      {"Throttling", 400, EC::throttled, true},
      {"ThrottlingException", 400, EC::throttled, true},
      {"ThrottledException", 400, EC::throttled, true},
      {"RequestThrottledException", 400, EC::throttled, true},
      {"TooManyRequestsException", 400, EC::throttled, true},
      {"ProvisionedThroughputExceededException", 400, EC::throttled, true},
      {"TransactionInProgressException", 400, EC::throttled, true},
      {"RequestLimitExceeded", 400, EC::throttled, true},
      {"BandwidthLimitExceeded", 400, EC::throttled, true},
      {"RequestThrottled", 400, EC::throttled, true},
      {"SlowDown", 503, EC::throttled, true},
      {"PriorRequestNotComplete", 400, EC::throttled, true},
      {"EC2ThrottledException", 400, EC::throttled, true},
      {"LimitExceededException", 400, EC::limit_exceeded, true},
      // Transient.
      {"RequestTimeout", 400, EC::timeout, true},
      {"RequestTimeoutException", 400, EC::timeout, true},
      {"InternalServerError", 500, EC::service, true},
      {"InternalError", 500, EC::service, true},
      {"ServiceUnavailable", 503, EC::service, true},
      {"500", 500, EC::service, true},
      {"502", 502, EC::service, true},
      {"503", 503, EC::service, true},
      {"504", 504, EC::service, true},
      {"SomethingNew", 503, EC::service, true},
      {"NotImplemented", 501, EC::service, false},
      // Conditions and transactions.
      {"ConditionalCheckFailedException", 400, EC::condition_failed, false},
      {"PreconditionFailed", 412, EC::condition_failed, false},
      {"412", 412, EC::condition_failed, false},
      {"304", 304, EC::condition_failed, false},
      {"TransactionCanceledException", 400, EC::transaction_canceled, false},
      {"TransactionConflictException", 400, EC::transaction_conflict, false},
      // Existence.
      {"ResourceNotFoundException", 400, EC::not_found, false},
      {"NoSuchKey", 404, EC::not_found, false},
      {"NoSuchBucket", 404, EC::not_found, false},
      {"NoSuchUpload", 404, EC::not_found, false},
      {"NoSuchVersion", 404, EC::not_found, false},
      {"404", 404, EC::not_found, false},
      {"ResourceInUseException", 400, EC::already_exists, false},
      {"TableAlreadyExistsException", 400, EC::already_exists, false},
      {"BucketAlreadyOwnedByYou", 409, EC::already_exists, false},
      {"BucketAlreadyExists", 409, EC::already_exists, false},
      // Validation.
      {"ValidationException", 400, EC::validation, false},
      {"InvalidRequest", 400, EC::validation, false},
      {"InvalidArgument", 400, EC::validation, false},
      {"InvalidRange", 416, EC::validation, false},
      {"SomeOther400", 400, EC::validation, false},
      {"400", 400, EC::validation, false},
      {"405", 405, EC::validation, false},
      // Access.
      {"AccessDenied", 403, EC::access_denied, false},
      {"AccessDeniedException", 400, EC::access_denied, false},
      {"UnrecognizedClientException", 400, EC::access_denied, false},
      {"InvalidSignatureException", 400, EC::access_denied, false},
      {"SignatureDoesNotMatch", 403, EC::access_denied, false},
      {"MissingAuthenticationToken", 403, EC::access_denied, false},
      {"MissingAuthenticationTokenException", 400, EC::access_denied, false},
      {"InvalidAccessKeyId", 403, EC::access_denied, false},
      {"InvalidClientTokenId", 403, EC::access_denied, false},
      {"ExpiredToken", 400, EC::access_denied, false},
      {"ExpiredTokenException", 400, EC::access_denied, false},
      {"403", 403, EC::access_denied, false},
      // Limits and other statuses.
      {"ItemCollectionSizeLimitExceededException", 400, EC::limit_exceeded, false},
      {"429", 429, EC::throttled, true},
      {"408", 408, EC::timeout, true},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const ErrorClass c = classify_error(row.name, row.status);
    EXPECT_EQ(c.code, row.code) << to_string(c.code);
    EXPECT_EQ(c.retryable, row.retryable);
  }
}

TEST(DynamoDbError, CodeFromTypeHeaderOrStatus) {
  auto e = parse_dynamodb_error(
      response(400, R"({"message":"m"})", {{"X-Amzn-ErrorType", "ValidationException:http://x"}}));
  EXPECT_EQ(e.aws_code, "ValidationException");
  EXPECT_EQ(e.message, "m");
  e = parse_dynamodb_error(response(400, R"({"Message":"M"})"));
  EXPECT_EQ(e.aws_code, "400");
  EXPECT_EQ(e.message, "M");
  EXPECT_EQ(e.code, ErrorCode::validation);
  e = parse_dynamodb_error(response(400, R"({"__type":"ThrottlingException"})"));
  EXPECT_EQ(e.aws_code, "ThrottlingException");
  EXPECT_EQ(e.message, "");
  EXPECT_TRUE(e.retryable);
  EXPECT_FALSE(e.ambiguous);
}

TEST(DynamoDbError, NonJsonBodies) {
  // Not JSON: status as code, body as message (botocore).
  auto e = parse_dynamodb_error(response(400, "plain text", {{"x-amzn-RequestId", "R1"}}));
  EXPECT_EQ(e.aws_code, "400");
  EXPECT_EQ(e.message, "plain text");
  EXPECT_EQ(e.request_id, "R1");
  for (const char* body : {"", "{", "[1,2]", "\"x\"", "{\"__type\":", "\xFF\xFE"}) {
    SCOPED_TRACE(body);
    e = parse_dynamodb_error(response(413, body));
    EXPECT_EQ(e.aws_code, "413");
    EXPECT_EQ(e.code, ErrorCode::validation);
  }
  e = parse_dynamodb_error(response(400, ""));
  EXPECT_EQ(e.message, "Bad Request");
  // A generic 5xx page: reason phrase, retryable, possibly applied.
  e = parse_dynamodb_error(response(502, "  <html><body>Bad gateway</body></html>"));
  EXPECT_EQ(e.aws_code, "502");
  EXPECT_EQ(e.message, "Bad Gateway");
  EXPECT_TRUE(e.retryable);
  EXPECT_TRUE(e.ambiguous);
  e = parse_dynamodb_error(response(400, std::string(5000, 'x')));
  EXPECT_EQ(e.message.size(), 1024u);  // bounded
}

TEST(DynamoDbError, MotoIamAuthXmlBodies) {
  // moto with IAM auth on answers DynamoDB calls with its generic XML error.
  const std::string body = R"(<?xml version="1.0" encoding="UTF-8"?>
  <ErrorResponse>
    <Errors>
      <Error>
        <Code>InvalidClientTokenId</Code>
        <Message><![CDATA[The security token included in the request is invalid.]]></Message>
      </Error>
    </Errors>
  <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>
</ErrorResponse>
)";
  auto e =
      parse_dynamodb_error(response(403, body, {{"X-Amzn-ErrorType", "InvalidClientTokenId"}}));
  EXPECT_EQ(e.aws_code, "InvalidClientTokenId");
  EXPECT_EQ(e.message, "The security token included in the request is invalid.");
  EXPECT_EQ(e.request_id, "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE");
  EXPECT_EQ(e.code, ErrorCode::access_denied);
  EXPECT_EQ(e.http_status, 403);
  // An unparseable XML-looking body falls back to the header, then the status.
  e = parse_dynamodb_error(
      response(403, "<Error><Code>x</Cod", {{"X-Amzn-ErrorType", "AccessDenied"}}));
  EXPECT_EQ(e.aws_code, "AccessDenied");
  e = parse_dynamodb_error(response(403, "<Error><Code>x</Cod"));
  EXPECT_EQ(e.aws_code, "403");
  EXPECT_EQ(e.code, ErrorCode::access_denied);
}

TEST(DynamoDbError, TransactionCancellationReasonsWithItems) {
  const std::string body =
      R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
    "Message":"Transaction cancelled [None, ConditionalCheckFailed]",
    "CancellationReasons":[{"Code":"None"},
      {"Code":"ConditionalCheckFailed","Message":"The conditional request failed",
       "Item":{"id":{"S":"a"},"v":{"N":"3"}}}, 7]})";
  const Error e = parse_dynamodb_error(response(400, body));
  EXPECT_EQ(e.code, ErrorCode::transaction_canceled);
  EXPECT_EQ(e.message, "Transaction cancelled [None, ConditionalCheckFailed]");
  const auto* d = e.detail<DynamoDbErrorDetail>();
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->cancellation_reasons.size(), 2u);  // the non-object entry is skipped
  EXPECT_EQ(d->cancellation_reasons[0].code, "None");
  EXPECT_EQ(d->cancellation_reasons[0].message, "");
  EXPECT_FALSE(d->cancellation_reasons[0].item.has_value());
  EXPECT_EQ(d->cancellation_reasons[1].code, "ConditionalCheckFailed");
  ASSERT_TRUE(d->cancellation_reasons[1].item.has_value());
  EXPECT_EQ(*d->cancellation_reasons[1].item->at("v").as_number(), Number{"3"});
}

TEST(DynamoDbError, ItemAndThrottlingReasons) {
  Error e = parse_dynamodb_error(response(
      400,
      R"({"__type":"x#ConditionalCheckFailedException","message":"m","Item":{"a":{"N":"x"}}})"));
  EXPECT_EQ(e.code, ErrorCode::condition_failed);  // a malformed Item does not hide the error
  EXPECT_FALSE(e.detail<DynamoDbErrorDetail>()->item.has_value());
  e = parse_dynamodb_error(
      response(400, R"({"__type":"x#ThrottlingException","message":"slow","throttlingReasons":)"
                    R"([{"reason":"TableWriteKeyRangeThroughputExceeded","resource":"arn:t"}]})"));
  const auto* d = e.detail<DynamoDbErrorDetail>();
  ASSERT_EQ(d->throttling_reasons.size(), 1u);
  EXPECT_EQ(d->throttling_reasons[0].reason, "TableWriteKeyRangeThroughputExceeded");
  EXPECT_EQ(d->throttling_reasons[0].resource, "arn:t");
}

TEST(S3Error, BodylessAndInvalidXml) {
  const http::Headers ids = {{"x-amz-request-id", "RID"}, {"x-amz-id-2", "HID"}};
  for (int status : {304, 403, 404, 412}) {
    const Error e = parse_s3_error(response(status, "", ids));
    EXPECT_EQ(e.aws_code, std::to_string(status));
    EXPECT_EQ(e.message, http_reason_phrase(status));
    EXPECT_EQ(e.request_id, "RID");
    EXPECT_EQ(e.detail<S3ErrorDetail>()->host_id, "HID");
  }
  EXPECT_EQ(parse_s3_error(response(404, "", ids)).code, ErrorCode::not_found);
  EXPECT_EQ(parse_s3_error(response(412, "", ids)).code, ErrorCode::condition_failed);
  EXPECT_EQ(parse_s3_error(response(304, "", ids)).code, ErrorCode::condition_failed);
  // An unescaped '<' in text makes the body invalid XML: status fallback.
  for (const char* body :
       {"<Error><Code>NoSuchKey</Code><Message>a < b</Message></Error>", "<Error><Code>NoSuchKey",
        "not xml at all", "<Other><Code>X</Code></Other>",
        "<Error><Message>no code</Message></Error>", "\xFF\xFE<"}) {
    SCOPED_TRACE(body);
    const Error e = parse_s3_error(response(404, body, ids));
    EXPECT_EQ(e.aws_code, "404");
    EXPECT_EQ(e.message, "Not Found");
    EXPECT_EQ(e.code, ErrorCode::not_found);
  }
}

TEST(S3Error, ErrorResponseWrapperAndBodyIdsAsFallback) {
  const Error e = parse_s3_error(response(
      409,
      "<ErrorResponse><Error><Code>BucketAlreadyOwnedByYou</Code><Message>yours</Message>"
      "<BucketName>b</BucketName></Error><RequestId>BODY-RID</RequestId></ErrorResponse>"));
  EXPECT_EQ(e.aws_code, "BucketAlreadyOwnedByYou");
  EXPECT_EQ(e.code, ErrorCode::already_exists);
  EXPECT_EQ(e.request_id, "BODY-RID");  // no header: the body's id
  EXPECT_EQ(e.detail<S3ErrorDetail>()->fields.at("BucketName"), "b");
  const Error f = parse_s3_error(
      response(412,
               "<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions "
               "you specified did not hold</Message><Condition>If-Match</Condition>"
               "<RequestId>R</RequestId><HostId>H</HostId></Error>"));
  EXPECT_EQ(f.code, ErrorCode::condition_failed);
  EXPECT_EQ(f.request_id, "R");
  EXPECT_EQ(f.detail<S3ErrorDetail>()->host_id, "H");
  EXPECT_EQ(f.detail<S3ErrorDetail>()->fields,
            (std::map<std::string, std::string>{{"Condition", "If-Match"}}));
}

TEST(S3Error, ErrorInside200) {
  Error e;
  EXPECT_FALSE(s3_error_in_200(response(200, ""), e));
  EXPECT_FALSE(
      s3_error_in_200(response(200, "<CopyObjectResult><ETag>x</ETag></CopyObjectResult>"), e));
  EXPECT_FALSE(s3_error_in_200(response(404, "<Error><Code>NoSuchKey</Code></Error>"), e));
  ASSERT_TRUE(s3_error_in_200(response(200, "<Error><Code>SlowDown</Code></Error>"), e));
  EXPECT_EQ(e.code, ErrorCode::throttled);
  EXPECT_EQ(e.http_status, 500);
  // A body cut short: the outcome is unknown, retry like a 500.
  ASSERT_TRUE(s3_error_in_200(response(200, "<CompleteMultipartUploadResult><Loca"), e));
  EXPECT_EQ(e.aws_code, "500");
  EXPECT_EQ(e.code, ErrorCode::service);
  EXPECT_TRUE(e.retryable);
  EXPECT_TRUE(e.ambiguous);
}

TEST(DynamoDbCrc32, MatchesMismatchesAndAbsence) {
  const std::string body =
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
      R"("message":"The conditional request failed"})";
  EXPECT_TRUE(dynamodb_crc32_matches(response(400, body, {{"x-amz-crc32", "396270901"}})));
  EXPECT_TRUE(dynamodb_crc32_matches(response(400, body, {{"X-Amz-Crc32", " 396270901 "}})));
  EXPECT_FALSE(dynamodb_crc32_matches(response(400, body + " ", {{"x-amz-crc32", "396270901"}})));
  EXPECT_TRUE(dynamodb_crc32_matches(response(400, body)));
  EXPECT_TRUE(dynamodb_crc32_matches(response(200, "", {{"x-amz-crc32", "0"}})));
  for (const char* bad : {"", "abc", "-1", "4294967296", "0x179e6c35", "396270901x"}) {
    EXPECT_FALSE(dynamodb_crc32_matches(response(400, body, {{"x-amz-crc32", bad}}))) << bad;
  }
  // CRC32 of "{}" is 2745614147: an unsigned value above INT32_MAX.
  EXPECT_TRUE(dynamodb_crc32_matches(response(200, "{}", {{"x-amz-crc32", "2745614147"}})));
}

}  // namespace
}  // namespace dynamate::aws::detail
