// dynamate/aws/retry.hpp: the AWS SDKs' "standard" retry mode.
//
// Up to max_attempts tries; before retry n (n = 1, 2, ...) a delay drawn with
// full jitter from [0, min(max_backoff, base_delay * 2^(n-1))); retries cost tokens from a
// per-client quota that successes refill, so a failing dependency is not hit
// by a retry storm. Retried: throttling errors, 5xx, transient I/O errors and
// timeouts. A request whose outcome is ambiguous (it may have been applied) is
// retried only when the caller marked it idempotent.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "dynamate/error.hpp"

namespace dynamate::aws {

struct RetryOptions {
  int max_attempts = 3;                      // 1 = no retries
  std::chrono::milliseconds base_delay{50};  // throttling base is the same
  std::chrono::milliseconds max_backoff{20000};
  bool use_quota = true;
  int quota_capacity = 500;
  int retry_cost = 5;
  int timeout_retry_cost = 10;
  int success_refund = 1;
};

// Shared, thread-safe retry state for one client (the token bucket).
class RetryStrategy {
 public:
  explicit RetryStrategy(RetryOptions options);
  ~RetryStrategy();
  RetryStrategy(const RetryStrategy&) = delete;
  RetryStrategy& operator=(const RetryStrategy&) = delete;

  const RetryOptions& options() const noexcept { return options_; }

  // Whether `error` is worth retrying at all, regardless of attempts and quota.
  static bool is_retryable(const Error& error, bool idempotent) noexcept;

  // Decides whether attempt number `attempt` (1-based, just failed with
  // `error`) may be retried; on yes takes quota and returns true, storing the
  // tokens taken in *cost (0 for throttling, which is not charged).
  bool acquire(const Error& error, int attempt, bool idempotent, int* cost = nullptr);
  // Reports a successful attempt: a call that needed retries gives back what
  // its last retry cost; one that succeeded first time adds success_refund.
  void on_success(bool was_retried, int last_retry_cost = 0);

  // The delay before attempt `attempt + 1`; `unit_random` in [0, 1).
  std::chrono::nanoseconds backoff(int attempt, double unit_random) const noexcept;

  int available_quota() const noexcept;

 private:
  struct State;
  RetryOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace dynamate::aws
