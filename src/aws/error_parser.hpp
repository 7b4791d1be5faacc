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
// CompleteMultipartUpload): true and fills `out`.
bool s3_error_in_200(const http::Response& response, Error& out);

}  // namespace dynamate::aws::detail
