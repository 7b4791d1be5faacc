// Standard-mode retry decisions, quota and back-off bounds.
#include <gtest/gtest.h>

#include "dynamate/aws/retry.hpp"

namespace dynamate::aws {
namespace {

Error err(ErrorCode code, bool retryable, bool ambiguous = false) {
  Error e(code, "x");
  e.retryable = retryable;
  e.ambiguous = ambiguous;
  return e;
}

TEST(Retry, RetriesRetryableErrorsUpToMaxAttempts) {
  RetryStrategy s(RetryOptions{});
  const auto e = err(ErrorCode::service, true);
  EXPECT_TRUE(s.acquire(e, 1, true));
  EXPECT_TRUE(s.acquire(e, 2, true));
  EXPECT_FALSE(s.acquire(e, 3, true));  // 3 attempts by default
}

TEST(Retry, NeverRetriesNonRetryable) {
  RetryStrategy s(RetryOptions{});
  EXPECT_FALSE(s.acquire(err(ErrorCode::condition_failed, false), 1, true));
  EXPECT_FALSE(s.acquire(err(ErrorCode::validation, false), 1, true));
}

TEST(Retry, AmbiguousFailuresOnlyForIdempotentRequests) {
  RetryStrategy s(RetryOptions{});
  const auto e = err(ErrorCode::transport, true, /*ambiguous=*/true);
  EXPECT_FALSE(s.acquire(e, 1, /*idempotent=*/false));
  EXPECT_TRUE(s.acquire(e, 1, /*idempotent=*/true));
  // A connect failure (nothing sent) is safe for anything.
  EXPECT_TRUE(s.acquire(err(ErrorCode::transport, true, false), 1, false));
}

TEST(Retry, QuotaDrainsAndRefills) {
  RetryOptions o;
  o.max_attempts = 100;
  o.quota_capacity = 20;
  o.retry_cost = 5;
  o.timeout_retry_cost = 10;
  RetryStrategy s(o);
  const auto e = err(ErrorCode::service, true);
  int cost = -1;
  EXPECT_TRUE(s.acquire(e, 1, true, &cost));
  EXPECT_EQ(cost, 5);
  EXPECT_TRUE(s.acquire(e, 1, true));
  EXPECT_TRUE(s.acquire(err(ErrorCode::timeout, true), 1, true, &cost));
  EXPECT_EQ(cost, 10);
  EXPECT_EQ(s.available_quota(), 0);
  EXPECT_FALSE(s.acquire(e, 1, true, &cost));
  EXPECT_EQ(cost, 0);
  // Throttling is governed by back-off, not by the quota, and mints nothing.
  EXPECT_TRUE(s.acquire(err(ErrorCode::throttled, true), 1, true, &cost));
  EXPECT_EQ(cost, 0);
  s.on_success(/*was_retried=*/true, cost);
  EXPECT_EQ(s.available_quota(), 0);
  // A timeout retry that then succeeds gives back exactly its 10 tokens.
  s.on_success(/*was_retried=*/true, 10);
  EXPECT_EQ(s.available_quota(), 10);
  s.on_success(/*was_retried=*/false);
  EXPECT_EQ(s.available_quota(), 11);
  for (int i = 0; i < 100; ++i) s.on_success(false);
  EXPECT_EQ(s.available_quota(), 20);  // capped
}

TEST(Retry, BackoffIsFullJitterCappedExponential) {
  RetryOptions o;
  o.base_delay = std::chrono::milliseconds(100);
  o.max_backoff = std::chrono::milliseconds(1000);
  RetryStrategy s(o);
  using std::chrono::milliseconds;
  EXPECT_EQ(s.backoff(1, 0.0), milliseconds(0));
  EXPECT_EQ(s.backoff(1, 1.0), milliseconds(100));
  EXPECT_EQ(s.backoff(2, 1.0), milliseconds(200));
  EXPECT_EQ(s.backoff(3, 0.5), milliseconds(200));
  EXPECT_EQ(s.backoff(10, 1.0), milliseconds(1000));
  EXPECT_EQ(s.backoff(1000, 1.0), milliseconds(1000));  // no overflow
}

TEST(Retry, QuotaCanBeDisabled) {
  RetryOptions o;
  o.use_quota = false;
  o.quota_capacity = 0;
  RetryStrategy s(o);
  EXPECT_TRUE(s.acquire(err(ErrorCode::service, true), 1, true));
}

}  // namespace
}  // namespace dynamate::aws
