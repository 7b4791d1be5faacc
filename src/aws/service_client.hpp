// src/aws/service_client.hpp: the request pipeline shared by DynamoDbClient and
// S3Client: resolve credentials -> sign (SigV4) -> send (Transport) -> parse
// error -> retry with back-off (standard mode). Private.
//
// One ServiceClient is shared by all threads of a client; call() is thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "dynamate/aws/client_config.hpp"
#include "dynamate/aws/http.hpp"
#include "dynamate/aws/retry.hpp"
#include "dynamate/aws/sigv4.hpp"

namespace dynamate::aws::detail {

using ErrorParser = Error (*)(const http::Response&);

struct CallOptions {
  // Whether sending the request twice has the same effect as once. Only
  // idempotent requests are retried after an ambiguous failure (the request may
  // have been applied but no answer arrived).
  bool idempotent = true;
  http::BodySink* sink = nullptr;           // streamed 2xx body
  bool unsigned_payload = false;            // S3 UNSIGNED-PAYLOAD
  std::optional<std::string> payload_hash;  // known hex SHA-256 of the body
  // Optional check of a 2xx response (e.g. S3's error-in-200). Returning an
  // Error makes the attempt fail with it (retried if retryable).
  std::function<std::optional<Error>(const http::Response&)> check_success;
};

struct CallStats {
  int attempts = 0;
};

class ServiceClient {
 public:
  // `signing_service`: "dynamodb" or "s3". Fills defaults (transport, clock)
  // and validates the config (region and credentials present).
  static Result<std::shared_ptr<ServiceClient>> create(ClientConfig config,
                                                       std::string signing_service,
                                                       ErrorParser parse_error);

  // Sends `request` (URL, method, headers, body all set; unsigned), retrying per
  // the config. Returns the 2xx Response or the final Error. If the body is a
  // BodySource it is rewound before each retry; a sink is reset.
  Result<http::Response> call(http::Request request, const CallOptions& options,
                              CallStats* stats = nullptr) const;

  const ClientConfig& config() const noexcept { return config_; }
  // Base URL without a trailing slash, e.g. "https://dynamodb.us-east-1.amazonaws.com".
  const std::string& endpoint() const noexcept { return endpoint_; }
  Result<Credentials> credentials() const { return config_.credentials->get(); }

 private:
  ServiceClient(ClientConfig config, std::string service, ErrorParser parse_error,
                std::string endpoint);

  ClientConfig config_;
  std::string service_;
  bool s3_rules_;
  ErrorParser parse_error_;
  std::string endpoint_;
  std::shared_ptr<RetryStrategy> retry_;
  // Learned difference between the server's clock and ours, applied to
  // signing times after a RequestTimeTooSkewed-style rejection.
  mutable std::atomic<std::int64_t> skew_seconds_{0};
};

}  // namespace dynamate::aws::detail
