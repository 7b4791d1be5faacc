// caching_credentials: serves temporary credentials from memory and refreshes
// them ahead of expiry, one refresh at a time.
//
// Two locks: state_mu_ guards the cached value and is held only to copy it;
// refresh_mu_ serializes calls to the wrapped provider. A caller that finds the
// credentials due for refresh tries to take refresh_mu_; if another caller is
// already refreshing and the old credentials are still valid, it returns them
// at once instead of queueing, so a refresh never stalls the hot path.
#include <algorithm>
#include <mutex>

#include "auth/provider_util.hpp"
#include "dynamate/aws/credentials.hpp"

namespace dynamate::aws {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

class CachingProvider final : public CredentialsProvider {
 public:
  CachingProvider(std::shared_ptr<CredentialsProvider> provider, std::shared_ptr<Clock> clock,
                  CachingOptions options)
      : provider_(std::move(provider)), clock_(std::move(clock)), options_(options) {}

  Result<Credentials> get() override {
    const TimePoint now = clock_->now();
    {
      std::lock_guard lock(state_mu_);
      if (cached_ && now < refresh_at_) return *cached_;
    }
    std::unique_lock refresh(refresh_mu_, std::try_to_lock);
    if (!refresh.owns_lock()) {
      if (auto valid = still_valid(now)) return std::move(*valid);
      refresh.lock();  // nothing usable: wait for the refresh in progress
    }
    return refresh_locked();
  }

 private:
  // The cached credentials if they have not expired yet.
  std::optional<Credentials> still_valid(TimePoint now) {
    std::lock_guard lock(state_mu_);
    if (cached_ && (!cached_->expiration || now < *cached_->expiration)) return cached_;
    return std::nullopt;
  }

  // Called with refresh_mu_ held.
  Result<Credentials> refresh_locked() {
    const TimePoint now = clock_->now();
    {
      // Someone else may have refreshed while we waited for the lock.
      std::lock_guard lock(state_mu_);
      if (cached_ && now < refresh_at_) return *cached_;
    }
    auto fresh = provider_->get();
    std::lock_guard lock(state_mu_);
    if (!fresh) {
      if (cached_ && (!cached_->expiration || now < *cached_->expiration)) {
        // Stale-while-failing: the old credentials still work; try again later
        // rather than on every call (and at the latest when they expire).
        refresh_at_ = now + options_.retry_after_failure;
        if (cached_->expiration) refresh_at_ = std::min(refresh_at_, *cached_->expiration);
        return *cached_;
      }
      cached_.reset();
      return fresh;
    }
    refresh_at_ = next_refresh(*fresh, now);
    cached_ = *fresh;
    return fresh;
  }

  TimePoint next_refresh(const Credentials& creds, TimePoint now) const {
    if (!creds.expiration) return TimePoint::max();
    const TimePoint expiry = *creds.expiration;
    if (expiry <= now) {
      // Already expired on arrival (a source that serves stale credentials
      // during an outage, as IMDS may): use them, but ask again soon.
      return now + options_.retry_after_failure;
    }
    const TimePoint early = expiry - options_.refresh_before_expiry;
    // Short-lived credentials would otherwise be "due" at once and refreshed on
    // every call: refresh them half-way through their life instead.
    const TimePoint halfway = now + (expiry - now) / 2;
    return std::max(early, halfway);
  }

  const std::shared_ptr<CredentialsProvider> provider_;
  const std::shared_ptr<Clock> clock_;
  const CachingOptions options_;

  std::mutex refresh_mu_;
  std::mutex state_mu_;
  std::optional<Credentials> cached_;  // guarded by state_mu_
  TimePoint refresh_at_{};             // guarded by state_mu_
};

}  // namespace

std::shared_ptr<CredentialsProvider> caching_credentials(
    std::shared_ptr<CredentialsProvider> provider, std::shared_ptr<Clock> clock,
    CachingOptions options) {
  if (!clock) clock = Clock::system();
  return std::make_shared<CachingProvider>(std::move(provider), std::move(clock), options);
}

}  // namespace dynamate::aws
