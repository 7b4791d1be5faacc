// dynamate/error.hpp: the one error type every fallible dynamate call reports.
//
// An Error carries a small, stable code to switch on (ErrorCode), the AWS error
// name when a service produced it (e.g. "ConditionalCheckFailedException",
// "NoSuchKey", or the HTTP status as text for body-less S3 errors), a message,
// the request id and HTTP status, and two flags that drive retries:
//   retryable  the same request may succeed if sent again (throttling, 5xx, I/O);
//   ambiguous  the request may have taken effect even though no answer arrived.
// Service-specific structured data (a DynamoDB cancellation reason list, the
// extra fields of an S3 error) rides along as a typed ErrorDetail.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace dynamate {

enum class ErrorCode : std::uint8_t {
  invalid_argument,      // caller input rejected before anything was sent
  validation,            // the service rejected the request as malformed
  not_found,             // item, object, table, bucket or upload does not exist
  already_exists,        // table/bucket exists, object exists with If-None-Match
  condition_failed,      // a condition expression or S3 precondition failed
  transaction_canceled,  // DynamoDB TransactionCanceledException
  transaction_conflict,  // another transaction touched the same item
  throttled,             // throughput/request-rate limits
  limit_exceeded,        // account/resource limits, item collection size
  access_denied,         // authorization failures, bad signature, unknown key
  credentials,           // no credentials could be resolved
  dangling_reference,    // an item references an S3 object that is missing
  integrity,             // checksum/hash mismatch on data read back
  transport,             // connection-level failure (DNS, connect, reset, TLS)
  timeout,               // the request timed out
  service,               // any other service error (5xx, unknown 4xx)
  protocol,              // a response we could not parse
  cancelled,             // stopped by the caller (sink/source abort)
  schema_mismatch,       // an item's attribute does not fit the model (type, range)
  internal,              // a bug in dynamate; please report it
};

// A stable lowercase name, e.g. "condition_failed".
std::string_view to_string(ErrorCode code) noexcept;

// Base for structured, service-specific error data. Retrieve with
// Error::detail<T>().
struct ErrorDetail {
  virtual ~ErrorDetail() = default;
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::string aws_code;    // AWS error name, or the HTTP status as text
  std::string request_id;  // x-amzn-RequestId / x-amz-request-id
  int http_status = 0;     // 0 when no HTTP response was received
  bool retryable = false;
  bool ambiguous = false;
  std::shared_ptr<const ErrorDetail> details;

  Error() = default;
  Error(ErrorCode c, std::string msg) : code(c), message(std::move(msg)) {}

  // "condition_failed: ConditionalCheckFailedException: The conditional
  // request failed (HTTP 400, request id ABC)"
  std::string to_string() const;

  template <class T>
  const T* detail() const noexcept {
    return dynamic_cast<const T*>(details.get());
  }

  // Adds context in front of the message: "while saving page: <message>".
  Error& with_context(std::string_view context);
};

}  // namespace dynamate
