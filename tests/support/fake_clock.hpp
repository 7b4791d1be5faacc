// FakeClock: a Clock whose time only moves when told to (or when something
// sleeps on it), so retry back-off and credential expiry are tested without
// waiting. Thread-safe.
#pragma once

#include <mutex>
#include <vector>

#include "dynamate/aws/clock.hpp"

namespace dynamate::test {

class FakeClock final : public aws::Clock {
 public:
  explicit FakeClock(std::chrono::system_clock::time_point start =
                         std::chrono::system_clock::time_point(std::chrono::seconds(1735787045)))
      : now_(start) {}
  std::chrono::system_clock::time_point now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void sleep_for(std::chrono::nanoseconds d) override {
    std::lock_guard lock(mu_);
    sleeps_.push_back(d);
    now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
  }
  void advance(std::chrono::nanoseconds d) {
    std::lock_guard lock(mu_);
    now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
  }
  std::vector<std::chrono::nanoseconds> sleeps() const {
    std::lock_guard lock(mu_);
    return sleeps_;
  }

 private:
  mutable std::mutex mu_;
  std::chrono::system_clock::time_point now_;
  std::vector<std::chrono::nanoseconds> sleeps_;
};

}  // namespace dynamate::test
