// Standard-mode retries: classification, token-bucket quota, jittered back-off.
#include <algorithm>
#include <atomic>
#include <cmath>

#include "dynamate/aws/retry.hpp"

namespace dynamate::aws {

struct RetryStrategy::State {
  std::atomic<int> tokens;
  explicit State(int capacity) : tokens(capacity) {}
};

RetryStrategy::RetryStrategy(RetryOptions options)
    : options_(options), state_(std::make_unique<State>(options.quota_capacity)) {}
RetryStrategy::~RetryStrategy() = default;

bool RetryStrategy::is_retryable(const Error& error, bool idempotent) noexcept {
  if (!error.retryable) return false;
  // The request may already have taken effect: only resend what is safe to
  // apply twice.
  if (error.ambiguous && !idempotent) return false;
  return true;
}

bool RetryStrategy::acquire(const Error& error, int attempt, bool idempotent, int* cost_out) {
  if (cost_out != nullptr) *cost_out = 0;
  if (attempt >= options_.max_attempts) return false;
  if (!is_retryable(error, idempotent)) return false;
  if (!options_.use_quota) return true;
  // Throttling is not charged against the quota (the SDKs' standard mode):
  // the service asked us to slow down, back-off handles it.
  if (error.code == ErrorCode::throttled) return true;
  const int cost =
      error.code == ErrorCode::timeout ? options_.timeout_retry_cost : options_.retry_cost;
  int current = state_->tokens.load(std::memory_order_relaxed);
  while (current >= cost) {
    if (state_->tokens.compare_exchange_weak(current, current - cost, std::memory_order_relaxed)) {
      if (cost_out != nullptr) *cost_out = cost;
      return true;
    }
  }
  return false;  // quota exhausted: fail fast instead of adding load
}

void RetryStrategy::on_success(bool was_retried, int last_retry_cost) {
  if (!options_.use_quota) return;
  const int refund = was_retried ? last_retry_cost : options_.success_refund;
  if (refund <= 0) return;
  int current = state_->tokens.load(std::memory_order_relaxed);
  for (;;) {
    const int next = std::min(options_.quota_capacity, current + refund);
    if (next == current) return;
    if (state_->tokens.compare_exchange_weak(current, next, std::memory_order_relaxed)) return;
  }
}

std::chrono::nanoseconds RetryStrategy::backoff(int attempt, double unit_random) const noexcept {
  const double base = static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(options_.base_delay).count());
  const double cap = static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(options_.max_backoff).count());
  const double exp = std::ldexp(base, std::clamp(attempt - 1, 0, 62));
  const double ceiling = std::min(cap, exp);
  const double r = std::clamp(unit_random, 0.0, 1.0);
  return std::chrono::nanoseconds(static_cast<std::int64_t>(r * ceiling));
}

int RetryStrategy::available_quota() const noexcept {
  return state_->tokens.load(std::memory_order_relaxed);
}

}  // namespace dynamate::aws
