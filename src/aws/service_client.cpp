// The shared request pipeline: credentials -> SigV4 -> transport -> error
// parsing -> standard-mode retries, with clock-skew correction.
#include "aws/service_client.hpp"

#include <random>

#include "core/crypto.hpp"
#include "core/http_date.hpp"

namespace dynamate::aws::detail {
namespace {

double unit_random() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

bool is_skew_error(const Error& e) {
  return e.aws_code == "RequestTimeTooSkewed" || e.aws_code == "RequestExpired" ||
         e.aws_code == "RequestInTheFuture" ||
         (e.aws_code == "InvalidSignatureException" &&
          e.message.find("Signature expired") != std::string::npos);
}

std::string default_endpoint(const std::string& service, const std::string& region) {
  const char* suffix = region.rfind("cn-", 0) == 0 ? ".amazonaws.com.cn" : ".amazonaws.com";
  return "https://" + service + "." + region + suffix;
}

}  // namespace

Result<std::shared_ptr<ServiceClient>> ServiceClient::create(ClientConfig config,
                                                             std::string signing_service,
                                                             ErrorParser parse_error) {
  if (config.region.empty()) {
    return unexpected(ErrorCode::invalid_argument,
                      "no AWS region configured for " + signing_service +
                          " (set ClientConfig::region, AWS_REGION or AWS_DEFAULT_REGION)");
  }
  if (!config.credentials) {
    return unexpected(ErrorCode::invalid_argument,
                      "no credentials provider configured for " + signing_service);
  }
  if (!config.clock) config.clock = Clock::system();
  if (!config.transport) {
    static const std::shared_ptr<http::Transport> shared = http::make_curl_transport();
    config.transport = shared;
  }
  if (config.retry.max_attempts < 1) {
    return unexpected(ErrorCode::invalid_argument, "retry.max_attempts must be at least 1");
  }
  std::string endpoint =
      config.endpoint.empty() ? default_endpoint(signing_service, config.region) : config.endpoint;
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  if (endpoint.rfind("http://", 0) != 0 && endpoint.rfind("https://", 0) != 0) {
    return unexpected(ErrorCode::invalid_argument,
                      "endpoint \"" + endpoint + "\" must start with http:// or https://");
  }
  return std::shared_ptr<ServiceClient>(new ServiceClient(
      std::move(config), std::move(signing_service), parse_error, std::move(endpoint)));
}

ServiceClient::ServiceClient(ClientConfig config, std::string service, ErrorParser parse_error,
                             std::string endpoint)
    : config_(std::move(config)),
      service_(std::move(service)),
      s3_rules_(service_ == "s3"),
      parse_error_(parse_error),
      endpoint_(std::move(endpoint)),
      retry_(std::make_shared<RetryStrategy>(config_.retry)) {}

Result<http::Response> ServiceClient::call(http::Request request, const CallOptions& options,
                                           CallStats* stats) const {
  SigningParams params;
  params.region = config_.region;
  params.service = service_;
  params.s3_rules = s3_rules_;
  params.unsigned_payload = options.unsigned_payload;
  params.payload_hash = options.payload_hash;
  // Hash an in-memory body once, not once per attempt.
  if (!params.payload_hash && !params.unsigned_payload && !request.body_source) {
    params.payload_hash = dynamate::detail::sha256_hex(request.body);
  }
  const http::Headers base_headers = request.headers;
  http::SendOptions send_options;
  send_options.sink = options.sink;
  send_options.timeout = config_.request_timeout;

  bool skew_corrected = false;
  bool body_consumed = false;
  int last_retry_cost = 0;
  for (int attempt = 1;; ++attempt) {
    if (stats != nullptr) stats->attempts = attempt;
    auto creds = config_.credentials->get();
    if (!creds) return unexpected(std::move(creds).error());
    request.headers = base_headers;
    params.time = config_.clock->now() + std::chrono::seconds(skew_seconds_.load());
    if (auto s = sign_request(request, *creds, params); !s) return unexpected(std::move(s).error());
    // Every send after the first starts the streamed body over; a re-sign for
    // clock skew does not count as an attempt but has consumed the body too.
    if (request.body_source && body_consumed) {
      if (auto r = request.body_source->rewind(); !r) return unexpected(std::move(r).error());
    }

    Error error;
    body_consumed = true;
    auto sent = config_.transport->send(request, send_options);
    if (!sent) {
      error = std::move(sent).error();
    } else if (sent->status >= 200 && sent->status < 300) {
      std::optional<Error> bad;
      if (options.check_success) bad = options.check_success(*sent);
      if (!bad) {
        retry_->on_success(attempt > 1, last_retry_cost);
        return std::move(*sent);
      }
      error = std::move(*bad);
    } else {
      error = parse_error_(*sent);
      if (is_skew_error(error) && !skew_corrected) {
        // Learn the server's clock from its Date header and re-sign once.
        if (const auto* date = sent->header("Date")) {
          if (auto server = dynamate::detail::parse_http_date(*date)) {
            skew_seconds_.store(
                std::chrono::duration_cast<std::chrono::seconds>(*server - config_.clock->now())
                    .count());
            skew_corrected = true;
            --attempt;  // a clock fix is not a failed attempt
            continue;
          }
        }
      }
    }
    if (!retry_->acquire(error, attempt, options.idempotent, &last_retry_cost)) {
      return unexpected(std::move(error));
    }
    config_.clock->sleep_for(retry_->backoff(attempt, unit_random()));
  }
}

}  // namespace dynamate::aws::detail
