// AWS error names -> ErrorCode and retryability (the SDKs' standard retry
// mode: botocore retries/standard.py, the Java/Go SDK v2 retry tables), HTTP
// reason phrases, and DynamoDB's response CRC32 check.
//
// Decisions where the AWS name alone is ambiguous:
// - LimitExceededException (DynamoDB control plane: too many concurrent table
//   operations / tables) -> limit_exceeded, yet retryable: the SDKs count it
//   as throttling and the limit on concurrent operations clears by itself.
// - ResourceInUseException -> already_exists: CreateTable on an existing or
//   CREATING table. It also answers DeleteTable/UpdateTable on a table that
//   is still being created or updated; callers that care read the message or
//   wait for ACTIVE. Not retryable by itself.
// - ExpiredToken* -> access_denied, not retryable: resending the same signed
//   request cannot succeed; credential providers refresh before expiry, so an
//   expired token means stale static credentials or a skewed clock.
// - Any 500/502/503/504 is retryable whatever its code (standard mode).
#include <array>
#include <charconv>
#include <cstdint>

#include <zlib.h>

#include "aws/error_parser.hpp"

namespace dynamate::aws::detail {
namespace {

struct Entry {
  std::string_view name;
  ErrorCode code;
  bool retryable;
};

using EC = ErrorCode;
constexpr std::array kTable{
    // Throttling (standard mode's throttling list).
    Entry{"Throttling", EC::throttled, true},
    Entry{"ThrottlingException", EC::throttled, true},
    Entry{"ThrottledException", EC::throttled, true},
    Entry{"RequestThrottledException", EC::throttled, true},
    Entry{"TooManyRequestsException", EC::throttled, true},
    Entry{"ProvisionedThroughputExceededException", EC::throttled, true},
    Entry{"TransactionInProgressException", EC::throttled, true},
    Entry{"RequestLimitExceeded", EC::throttled, true},
    Entry{"BandwidthLimitExceeded", EC::throttled, true},
    Entry{"RequestThrottled", EC::throttled, true},
    Entry{"SlowDown", EC::throttled, true},
    Entry{"PriorRequestNotComplete", EC::throttled, true},
    Entry{"EC2ThrottledException", EC::throttled, true},
    Entry{"LimitExceededException", EC::limit_exceeded, true},
    // Transient.
    Entry{"RequestTimeout", EC::timeout, true},
    Entry{"RequestTimeoutException", EC::timeout, true},
    Entry{"InternalServerError", EC::service, true},
    Entry{"InternalError", EC::service, true},
    Entry{"InternalFailure", EC::service, true},
    Entry{"ServiceUnavailable", EC::service, true},
    Entry{"ServiceUnavailableException", EC::service, true},
    // Conditions and transactions.
    Entry{"ConditionalCheckFailedException", EC::condition_failed, false},
    Entry{"PreconditionFailed", EC::condition_failed, false},
    Entry{"TransactionCanceledException", EC::transaction_canceled, false},
    Entry{"TransactionConflictException", EC::transaction_conflict, false},
    Entry{"ReplicatedWriteConflictException", EC::transaction_conflict, false},
    Entry{"ConditionalRequestConflict", EC::transaction_conflict, false},  // S3 409
    Entry{"OperationAborted", EC::transaction_conflict, false},            // S3 409
    // Existence. (Every S3 "NoSuch*" is handled by prefix below.)
    Entry{"ResourceNotFoundException", EC::not_found, false},
    Entry{"TableNotFoundException", EC::not_found, false},
    Entry{"IndexNotFoundException", EC::not_found, false},
    Entry{"BackupNotFoundException", EC::not_found, false},
    Entry{"GlobalTableNotFoundException", EC::not_found, false},
    Entry{"ReplicaNotFoundException", EC::not_found, false},
    Entry{"ExportNotFoundException", EC::not_found, false},
    Entry{"ImportNotFoundException", EC::not_found, false},
    Entry{"PolicyNotFoundException", EC::not_found, false},
    Entry{"ResourceInUseException", EC::already_exists, false},
    Entry{"TableAlreadyExistsException", EC::already_exists, false},
    Entry{"TableInUseException", EC::already_exists, false},
    Entry{"GlobalTableAlreadyExistsException", EC::already_exists, false},
    Entry{"ReplicaAlreadyExistsException", EC::already_exists, false},
    Entry{"BucketAlreadyOwnedByYou", EC::already_exists, false},
    Entry{"BucketAlreadyExists", EC::already_exists, false},
    // Limits.
    Entry{"ItemCollectionSizeLimitExceededException", EC::limit_exceeded, false},
    Entry{"TooManyParts", EC::limit_exceeded, false},
    Entry{"TooManyBuckets", EC::limit_exceeded, false},
    Entry{"EntityTooLarge", EC::limit_exceeded, false},
    // Malformed requests.
    Entry{"ValidationException", EC::validation, false},
    Entry{"SerializationException", EC::validation, false},
    Entry{"IdempotentParameterMismatchException", EC::validation, false},
    Entry{"InvalidRequest", EC::validation, false},
    Entry{"InvalidArgument", EC::validation, false},
    Entry{"InvalidRange", EC::validation, false},
    Entry{"MalformedXML", EC::validation, false},
    Entry{"BucketNotEmpty", EC::validation, false},
    Entry{"AuthorizationHeaderMalformed", EC::validation, false},  // wrong region
    Entry{"PermanentRedirect", EC::validation, false},             // wrong endpoint
    // Authentication and authorization.
    Entry{"UnrecognizedClientException", EC::access_denied, false},
    Entry{"InvalidSignatureException", EC::access_denied, false},
    Entry{"IncompleteSignatureException", EC::access_denied, false},
    Entry{"SignatureDoesNotMatch", EC::access_denied, false},
    Entry{"MissingAuthenticationToken", EC::access_denied, false},
    Entry{"MissingAuthenticationTokenException", EC::access_denied, false},
    Entry{"InvalidAccessKeyId", EC::access_denied, false},
    Entry{"InvalidClientTokenId", EC::access_denied, false},  // moto, STS
    Entry{"InvalidToken", EC::access_denied, false},
    Entry{"AuthFailure", EC::access_denied, false},
    Entry{"AllAccessDisabled", EC::access_denied, false},
    Entry{"RequestExpired", EC::access_denied, false},
    Entry{"RequestTimeTooSkewed", EC::access_denied, false},
};

constexpr bool starts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.substr(0, prefix.size()) == prefix;
}

constexpr bool is_transient_status(int status) noexcept {
  return status == 500 || status == 502 || status == 503 || status == 504;
}

ErrorClass classify_by_status(int status) noexcept {
  if (is_transient_status(status)) return {EC::service, true};
  switch (status) {
    case 304:  // If-None-Match / If-Modified-Since on GET or HEAD
    case 412:
      return {EC::condition_failed, false};
    case 401:
    case 403:
      return {EC::access_denied, false};
    case 404:
      return {EC::not_found, false};
    case 408:
      return {EC::timeout, true};
    case 429:
      return {EC::throttled, true};
    default:
      break;
  }
  if (status >= 300 && status < 500) return {EC::validation, false};
  return {EC::service, false};
}

}  // namespace

ErrorClass classify_error(std::string_view aws_code, int http_status) noexcept {
  ErrorClass result = classify_by_status(http_status);
  bool named = false;
  for (const Entry& e : kTable) {
    if (e.name == aws_code) {
      result = {e.code, e.retryable};
      named = true;
      break;
    }
  }
  if (!named) {
    if (starts_with(aws_code, "AccessDenied") || starts_with(aws_code, "ExpiredToken")) {
      result = {EC::access_denied, false};
    } else if (starts_with(aws_code, "NoSuch")) {
      result = {EC::not_found, false};
    }
  }
  // Standard mode retries these statuses whatever the error name says.
  if (is_transient_status(http_status)) result.retryable = true;
  return result;
}

std::string_view http_reason_phrase(int status) noexcept {
  switch (status) {
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Request Entity Too Large";
    case 414:
      return "Request-URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Requested Range Not Satisfiable";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

bool dynamodb_crc32_matches(const http::Response& response) {
  const std::string* header = response.header("x-amz-crc32");
  if (header == nullptr) return true;
  std::string_view text = *header;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::uint32_t expected = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, expected);
  if (text.empty() || ec != std::errc() || ptr != end) return false;
  const auto actual =
      crc32_z(0L, reinterpret_cast<const Bytef*>(response.body.data()), response.body.size());
  return actual == expected;
}

}  // namespace dynamate::aws::detail
