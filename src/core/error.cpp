// Error and Exception: names and formatting.
#include "dynamate/error.hpp"

#include "dynamate/result.hpp"

namespace dynamate {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::validation:
      return "validation";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::already_exists:
      return "already_exists";
    case ErrorCode::condition_failed:
      return "condition_failed";
    case ErrorCode::transaction_canceled:
      return "transaction_canceled";
    case ErrorCode::transaction_conflict:
      return "transaction_conflict";
    case ErrorCode::throttled:
      return "throttled";
    case ErrorCode::limit_exceeded:
      return "limit_exceeded";
    case ErrorCode::access_denied:
      return "access_denied";
    case ErrorCode::credentials:
      return "credentials";
    case ErrorCode::dangling_reference:
      return "dangling_reference";
    case ErrorCode::integrity:
      return "integrity";
    case ErrorCode::transport:
      return "transport";
    case ErrorCode::timeout:
      return "timeout";
    case ErrorCode::service:
      return "service";
    case ErrorCode::protocol:
      return "protocol";
    case ErrorCode::cancelled:
      return "cancelled";
    case ErrorCode::schema_mismatch:
      return "schema_mismatch";
    case ErrorCode::internal:
      return "internal";
  }
  return "unknown";
}

std::string Error::to_string() const {
  std::string out(dynamate::to_string(code));
  out += ": ";
  if (!aws_code.empty()) {
    out += aws_code;
    out += ": ";
  }
  out += message;
  if (http_status != 0 || !request_id.empty()) {
    out += " (";
    if (http_status != 0) out += "HTTP " + std::to_string(http_status);
    if (!request_id.empty()) {
      if (http_status != 0) out += ", ";
      out += "request id " + request_id;
    }
    out += ")";
  }
  return out;
}

Error& Error::with_context(std::string_view context) {
  std::string m(context);
  m += ": ";
  m += message;
  message = std::move(m);
  return *this;
}

Exception::Exception(Error error)
    : std::runtime_error(error.to_string()), error_(std::move(error)) {}

}  // namespace dynamate
