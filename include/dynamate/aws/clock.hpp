// dynamate/aws/clock.hpp: the Clock seam. Signing dates, credential expiry and
// retry back-off all go through a Clock, so tests run without sleeping.
#pragma once

#include <chrono>
#include <memory>

namespace dynamate::aws {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (UTC), used for signatures and credential expiry.
  virtual std::chrono::system_clock::time_point now() const = 0;
  // Blocks the calling thread; used for retry back-off.
  virtual void sleep_for(std::chrono::nanoseconds duration) = 0;

  // The process-wide real clock. Thread-safe.
  static std::shared_ptr<Clock> system();
};

}  // namespace dynamate::aws
