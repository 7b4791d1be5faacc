// caching_credentials: refresh ahead of expiry on a fake clock, no stampede
// under concurrent callers, stale-while-failing.
#include <atomic>
#include <barrier>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "dynamate/aws/credentials.hpp"

namespace dynamate::aws {
namespace {

using namespace std::chrono_literals;
using TimePoint = std::chrono::system_clock::time_point;

class FakeClock final : public Clock {
 public:
  TimePoint now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void sleep_for(std::chrono::nanoseconds d) override { advance(d); }
  void advance(std::chrono::nanoseconds d) {
    std::lock_guard lock(mu_);
    now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_ = TimePoint(std::chrono::seconds(1'700'000'000));
};

// Hands out credentials "K<n>" for the n-th call, valid for `lifetime`;
// can fail on demand, and can hold callers at a gate until released.
class CountingProvider final : public CredentialsProvider {
 public:
  CountingProvider(std::shared_ptr<Clock> clock, std::chrono::seconds lifetime)
      : clock_(std::move(clock)), lifetime_(lifetime) {}

  Result<Credentials> get() override {
    const int n = ++calls_;
    {
      std::unique_lock lock(mu_);
      ++inside_;
      changed_.notify_all();
      changed_.wait(lock, [&] { return gate_open_; });
    }
    if (fail_) return unexpected(ErrorCode::service, "refresh failed");
    Credentials c{"K" + std::to_string(n), "S", "T", std::nullopt, "counting"};
    if (lifetime_.count() > 0) c.expiration = clock_->now() + lifetime_;
    return c;
  }

  int calls() const { return calls_; }
  void set_fail(bool fail) { fail_ = fail; }
  void close_gate() {
    std::lock_guard lock(mu_);
    gate_open_ = false;
  }
  void open_gate() {
    std::lock_guard lock(mu_);
    gate_open_ = true;
    changed_.notify_all();
  }
  // Blocks until at least `n` calls have entered get().
  bool wait_inside(int n) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, 10s, [&] { return inside_ >= n; });
  }

 private:
  std::shared_ptr<Clock> clock_;
  std::chrono::seconds lifetime_;
  std::atomic<int> calls_{0};
  std::atomic<bool> fail_{false};
  std::mutex mu_;
  std::condition_variable changed_;
  bool gate_open_ = true;
  int inside_ = 0;
};

struct Fixture {
  explicit Fixture(std::chrono::seconds lifetime = 3600s, CachingOptions options = {})
      : clock(std::make_shared<FakeClock>()),
        source(std::make_shared<CountingProvider>(clock, lifetime)),
        cached(caching_credentials(source, clock, options)) {}
  std::shared_ptr<FakeClock> clock;
  std::shared_ptr<CountingProvider> source;
  std::shared_ptr<CredentialsProvider> cached;
};

std::string key_of(const Result<Credentials>& r) {
  return r ? r->access_key_id : "error: " + r.error().to_string();
}

TEST(CachingCredentials, ServesFromCacheUntilFiveMinutesBeforeExpiry) {
  Fixture f;  // credentials live one hour
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  f.clock->advance(54min);  // 6 minutes left: still fresh enough
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  EXPECT_EQ(f.source->calls(), 1);
  f.clock->advance(2min);  // 4 minutes left: refresh
  EXPECT_EQ(key_of(f.cached->get()), "K2");
  EXPECT_EQ(key_of(f.cached->get()), "K2");
  EXPECT_EQ(f.source->calls(), 2);
}

TEST(CachingCredentials, RefreshWindowIsConfigurable) {
  Fixture f(3600s, {.refresh_before_expiry = 900s, .retry_after_failure = 10s});
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  f.clock->advance(46min);  // 14 minutes left
  EXPECT_EQ(key_of(f.cached->get()), "K2");
}

TEST(CachingCredentials, CredentialsWithoutExpiryAreKeptForGood) {
  Fixture f(0s);
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  f.clock->advance(24h * 365);
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  EXPECT_EQ(f.source->calls(), 1);
}

TEST(CachingCredentials, ShortLivedCredentialsAreRefreshedHalfWay) {
  Fixture f(120s);  // shorter than the 5-minute window
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  f.clock->advance(59s);
  EXPECT_EQ(key_of(f.cached->get()), "K1");  // not refreshed on every call
  f.clock->advance(2s);
  EXPECT_EQ(key_of(f.cached->get()), "K2");
  EXPECT_EQ(f.source->calls(), 2);
}

TEST(CachingCredentials, KeepsServingValidCredentialsWhileRefreshFails) {
  Fixture f;
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  f.source->set_fail(true);
  f.clock->advance(57min);  // due for refresh, 3 minutes of validity left
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  EXPECT_EQ(f.source->calls(), 2);
  // Not retried on every call: only after retry_after_failure (10 s).
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  f.clock->advance(5s);
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  EXPECT_EQ(f.source->calls(), 2);
  f.clock->advance(6s);
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  EXPECT_EQ(f.source->calls(), 3);
  // The source recovers: new credentials.
  f.source->set_fail(false);
  f.clock->advance(11s);
  EXPECT_EQ(key_of(f.cached->get()), "K4");
}

TEST(CachingCredentials, FailsOnceTheOldCredentialsHaveExpired) {
  Fixture f;
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  f.source->set_fail(true);
  f.clock->advance(59min + 55s);  // 5 s left
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  f.clock->advance(6s);  // expired; retry_after_failure is capped at the expiry
  auto after = f.cached->get();
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, ErrorCode::service);
}

TEST(CachingCredentials, ErrorsWithNothingCachedArePassedOnAndRetried) {
  Fixture f;
  f.source->set_fail(true);
  EXPECT_FALSE(f.cached->get());
  EXPECT_FALSE(f.cached->get());
  EXPECT_EQ(f.source->calls(), 2);  // no negative caching: the caller needs credentials
  f.source->set_fail(false);
  EXPECT_EQ(key_of(f.cached->get()), "K3");
}

// A source that returns credentials already expired (IMDS does during an
// outage): they are passed on, and asked for again soon.
class ExpiredSource final : public CredentialsProvider {
 public:
  explicit ExpiredSource(std::shared_ptr<Clock> clock) : clock_(std::move(clock)) {}
  Result<Credentials> get() override {
    ++calls;
    return Credentials{"OLD", "S", "", clock_->now() - 1min, "expired"};
  }
  int calls = 0;

 private:
  std::shared_ptr<Clock> clock_;
};

TEST(CachingCredentials, AlreadyExpiredCredentialsAreRecheckedSoon) {
  auto clock = std::make_shared<FakeClock>();
  auto source = std::make_shared<ExpiredSource>(clock);
  auto cached = caching_credentials(source, clock, {});
  EXPECT_EQ(key_of(cached->get()), "OLD");
  EXPECT_EQ(key_of(cached->get()), "OLD");
  EXPECT_EQ(source->calls, 1);
  clock->advance(11s);
  EXPECT_EQ(key_of(cached->get()), "OLD");
  EXPECT_EQ(source->calls, 2);
}

TEST(CachingCredentials, ConcurrentFirstCallersShareOneFetch) {
  Fixture f;
  constexpr int kThreads = 8;
  f.source->close_gate();
  std::barrier start(kThreads + 1);
  std::vector<std::string> keys(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      keys[static_cast<std::size_t>(i)] = key_of(f.cached->get());
    });
  }
  start.arrive_and_wait();
  ASSERT_TRUE(f.source->wait_inside(1));
  // Whoever is not the fetcher is queued behind it (or has not reached the
  // cache yet and will find it filled): either way there is one fetch.
  f.source->open_gate();
  for (auto& t : threads) t.join();
  EXPECT_EQ(f.source->calls(), 1);
  for (const auto& k : keys) EXPECT_EQ(k, "K1");
}

TEST(CachingCredentials, OneRefreshWhileOthersKeepUsingTheOldCredentials) {
  Fixture f;
  EXPECT_EQ(key_of(f.cached->get()), "K1");
  f.clock->advance(56min);  // due for refresh, still valid
  f.source->close_gate();

  constexpr int kThreads = 8;
  std::atomic<int> finished{0};
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> keys(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      keys[static_cast<std::size_t>(i)] = key_of(f.cached->get());
      std::lock_guard lock(mu);
      ++finished;
      cv.notify_all();
    });
  }
  // One thread is refreshing, held at the gate; the other seven must come back
  // with the old credentials without waiting for it.
  ASSERT_TRUE(f.source->wait_inside(2));
  {
    std::unique_lock lock(mu);
    const bool others_done = cv.wait_for(lock, 10s, [&] { return finished >= kThreads - 1; });
    EXPECT_TRUE(others_done) << "callers were blocked behind the refresh";
  }
  f.source->open_gate();
  for (auto& t : threads) t.join();
  EXPECT_EQ(f.source->calls(), 2);
  int old_keys = 0, new_keys = 0;
  for (const auto& k : keys) {
    if (k == "K1") ++old_keys;
    if (k == "K2") ++new_keys;
  }
  EXPECT_EQ(old_keys, kThreads - 1);
  EXPECT_EQ(new_keys, 1);
  EXPECT_EQ(key_of(f.cached->get()), "K2");
}

TEST(CachingCredentials, ManyThreadsManyCallsFewFetches) {
  Fixture f;
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 2000; ++j) {
        if (!f.cached->get()) ++errors;
      }
    });
  }
  // The clock moves on while they run: about one refresh per 55 minutes.
  for (int step = 0; step < 10; ++step) f.clock->advance(30min);
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors, 0);
  EXPECT_LE(f.source->calls(), 11);
}

}  // namespace
}  // namespace dynamate::aws
