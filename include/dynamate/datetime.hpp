// dynamate/datetime.hpp: UTC time points as attributes. A member of type
// std::chrono::sys_time<Duration> (std::chrono::system_clock::time_point,
// sys_seconds, sys_time<milliseconds>, ...; integer durations of whole
// seconds or fractions of a second down to nanoseconds) is stored by default
// in pynamodb's UTCDateTimeAttribute format; a converter named per field
// picks another format:
//
//   dynamate::attribute("created", &Doc::created)                 // UtcDateTime
//   dynamate::attribute<dynamate::datetime::Iso8601>("seen", &Doc::seen)
//   dynamate::attribute<dynamate::datetime::EpochMillis>("at", &Doc::at)
//   dynamate::ttl("expires", &Doc::expires)                       // EpochSeconds
//
// Formats:
//   UtcDateTime   S "2024-01-02T03:04:05.123456+0000": strftime
//                 "%Y-%m-%dT%H:%M:%S.%f+0000", exactly 31 characters, what
//                 pynamodb writes and reads. Years 0001..9999 (other
//                 instants are invalid_argument on encode). Fixed width, so
//                 text order is time order: usable as a range key. Reading
//                 accepts what pynamodb accepts: this exact shape (a shorter
//                 text is zero-padded on the left first, as pynamodb does).
//   Iso8601       S "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.120Z": RFC
//                 3339 in UTC with 'Z', the fraction written in groups of 3
//                 digits as needed (none, 3, 6 or 9). Years 0000..9999.
//                 Reading accepts 'T' or 't', 'Z', 'z' or an offset "+hh:mm"
//                 / "-hh:mm" (converted to UTC), and 0 to 9 fraction digits.
//                 Its text order is not time order when fractions differ.
//   EpochSeconds  N whole seconds since 1970-01-01T00:00:00Z ("1704164645"),
//                 as pynamodb's TTLAttribute; DynamoDB's TTL format.
//   EpochMillis   N whole milliseconds since the epoch ("1704164645123").
//                 Both read any number, fractions included ("1.5"), and
//                 negative values (before 1970).
//
// Precision: an instant finer than the format (nanoseconds into UtcDateTime's
// microseconds, milliseconds into EpochSeconds) is truncated toward the past
// (floor), also before 1970: sys_time<nanoseconds> 1969-12-31T23:59:59.9999999
// writes ".999999". Reading into a coarser member also floors (".123456" into
// a sys_seconds member gives the whole second). An instant the member's
// duration cannot hold (year 9999 into nanoseconds, which end in 2262) is
// schema_mismatch on decode; nothing is undefined.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <ratio>
#include <type_traits>

#include "dynamate/converter.hpp"

namespace dynamate {
namespace detail {

// A UTC instant: whole seconds since the epoch (floor) and nanoseconds into
// that second (0 .. 999'999'999).
struct Timestamp {
  std::int64_t seconds = 0;
  std::int32_t nanos = 0;
};

// Durations the converters support: integer counts of N seconds or of 1/N
// second with N <= 10^9.
template <class D>
inline constexpr bool is_time_duration = false;
template <class Rep, class Period>
inline constexpr bool is_time_duration<std::chrono::duration<Rep, Period>> =
    std::is_integral_v<Rep> && !std::is_same_v<Rep, bool> && sizeof(Rep) <= 8 &&
    (Period::den == 1 || (Period::num == 1 && Period::den <= 1'000'000'000));

// sys_time<D> -> Timestamp; nullopt when the count overflows 64-bit seconds.
template <class Rep, class Period>
std::optional<Timestamp> to_timestamp(std::chrono::duration<Rep, Period> d) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if constexpr (std::is_unsigned_v<Rep> && sizeof(Rep) == 8) {
    if (d.count() > static_cast<std::uint64_t>(kMax)) return std::nullopt;
  }
  const auto c = static_cast<std::int64_t>(d.count());
  if constexpr (Period::den == 1) {
    constexpr std::int64_t num = Period::num;
    if (c > kMax / num || c < -(kMax / num)) return std::nullopt;
    return Timestamp{c * num, 0};
  } else {
    constexpr std::int64_t den = Period::den;
    std::int64_t q = c / den;
    std::int64_t r = c % den;
    if (r < 0) {
      --q;
      r += den;
    }
    return Timestamp{q, static_cast<std::int32_t>(r * 1'000'000'000 / den)};
  }
}

// Timestamp -> sys_time<D>, flooring what D cannot hold; nullopt when the
// count does not fit D's representation.
template <class D>
std::optional<std::chrono::sys_time<D>> from_timestamp(Timestamp t) {
  using Rep = typename D::rep;
  using Period = typename D::period;
  std::int64_t count = 0;
  if constexpr (Period::den == 1) {
    constexpr std::int64_t num = Period::num;
    count = t.seconds / num;
    if (t.seconds % num < 0) --count;
  } else {
    constexpr std::int64_t den = Period::den;
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    const std::int64_t sub = static_cast<std::int64_t>(t.nanos) * den / 1'000'000'000;
    if (t.seconds > (kMax - sub) / den || t.seconds < -(kMax / den)) return std::nullopt;
    count = t.seconds * den + sub;
  }
  if constexpr (std::is_unsigned_v<Rep>) {
    if (count < 0 || static_cast<std::uint64_t>(count) > std::numeric_limits<Rep>::max()) {
      return std::nullopt;
    }
  } else {
    if (count < std::numeric_limits<Rep>::min() || count > std::numeric_limits<Rep>::max()) {
      return std::nullopt;
    }
  }
  return std::chrono::sys_time<D>(D(static_cast<Rep>(count)));
}

enum class TimeFormat : std::uint8_t { utc_date_time, iso8601, epoch_seconds, epoch_millis };

// Timestamp <-> attribute value in a format (src/orm/datetime.cpp). encode
// fails with invalid_argument, decode with schema_mismatch.
Result<AttributeValue> encode_time(TimeFormat format, Timestamp t);
Result<Timestamp> decode_time(TimeFormat format, const AttributeValue& v);
Error time_out_of_range(bool encoding);

template <TimeFormat F>
struct TimeConverter {
  static constexpr aws::ScalarAttributeType key_type =
      F == TimeFormat::utc_date_time || F == TimeFormat::iso8601 ? aws::ScalarAttributeType::S
                                                                 : aws::ScalarAttributeType::N;

  template <class D>
  requires is_time_duration<D>
  static Result<AttributeValue> encode(const std::chrono::sys_time<D>& v) {
    const auto t = to_timestamp(v.time_since_epoch());
    if (!t) return unexpected(time_out_of_range(true));
    return encode_time(F, *t);
  }

  template <class D>
  requires is_time_duration<D>
  static Result<void> decode(const AttributeValue& v, std::chrono::sys_time<D>& out) {
    auto t = decode_time(F, v);
    if (!t) return unexpected(std::move(t).error());
    const auto tp = from_timestamp<D>(*t);
    if (!tp) return unexpected(time_out_of_range(false));
    out = *tp;
    return {};
  }
};

}  // namespace detail

namespace datetime {
// pynamodb's UTCDateTimeAttribute text (the default for time points).
struct UtcDateTime : detail::TimeConverter<detail::TimeFormat::utc_date_time> {};
// RFC 3339 text in UTC.
struct Iso8601 : detail::TimeConverter<detail::TimeFormat::iso8601> {};
// Whole seconds since the epoch (a number).
struct EpochSeconds : detail::TimeConverter<detail::TimeFormat::epoch_seconds> {};
// Whole milliseconds since the epoch (a number).
struct EpochMillis : detail::TimeConverter<detail::TimeFormat::epoch_millis> {};
}  // namespace datetime

template <class D>
struct Converter<std::chrono::sys_time<D>, std::enable_if_t<detail::is_time_duration<D>>>
    : datetime::UtcDateTime {};

template <class D>
struct EpochSecondsConverter<std::chrono::sys_time<D>,
                             std::enable_if_t<detail::is_time_duration<D>>>
    : datetime::EpochSeconds {};

}  // namespace dynamate
