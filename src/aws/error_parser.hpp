// src/aws/error_parser.hpp: HTTP error responses -> dynamate::Error. Private.
// Follows botocore's parsers (see tests/data/sigv4/README.md §3) and maps AWS
// error names to ErrorCode, the retryable flag and structured details.
#pragma once

#include <string_view>

#include "dynamate/aws/http.hpp"
#include "dynamate/error.hpp"

namespace dynamate::aws::detail {

// DynamoDB (awsJson1_0): __type after the last '#', message/Message, request
// id from x-amzn-RequestId, moto's XML 403 bodies, non-JSON 5xx bodies.
// CancellationReasons / Item land in a DynamoDbErrorDetail.
Error parse_dynamodb_error(const http::Response& response);

// S3 (rest-xml): <Error> or <ErrorResponse><Error>, CDATA, no body (HEAD,
// 304), invalid XML; request id from x-amz-request-id. Extra children land in
// an S3ErrorDetail.
Error parse_s3_error(const http::Response& response);

// A 200 response whose body is an S3 <Error> document (CopyObject,
// CompleteMultipartUpload), or whose body is not valid XML (cut short): true
// and fills `out`. Like botocore, the error is reported as HTTP 500 (a
// retryable server error). Never call it for streamed GetObject bodies.
bool s3_error_in_200(const http::Response& response, Error& out);

// DynamoDB's x-amz-crc32 header: the CRC32 of the body as unsigned decimal.
// True when it matches or is absent; false on a mismatch or a malformed value
// (a corrupted response, which the SDKs retry).
bool dynamodb_crc32_matches(const http::Response& response);

// How an AWS error name and HTTP status map onto ErrorCode and the retry
// decision, as the AWS SDKs' standard retry mode classifies them.
struct ErrorClass {
  ErrorCode code;
  bool retryable;
};
ErrorClass classify_error(std::string_view aws_code, int http_status) noexcept;

// The standard reason phrase ("Not Found"), or "" for an unknown status. Used
// as the message of body-less errors, as botocore does.
std::string_view http_reason_phrase(int status) noexcept;

}  // namespace dynamate::aws::detail
