// Time point formats: pynamodb's UTCDateTimeAttribute text, RFC 3339 and
// epoch numbers, to and from a (seconds, nanoseconds) timestamp. See
// dynamate/datetime.hpp for the formats and the precision rules.
#include "dynamate/datetime.hpp"

#include <charconv>
#include <chrono>
#include <string>
#include <string_view>

#include "dynamate/decimal.hpp"

namespace dynamate::detail {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr std::int32_t kNanosPerSecond = 1'000'000'000;

struct Civil {
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if (a % b < 0) --q;
  return q;
}

// The civil time of t (UTC); only called for |t.seconds| far below overflow.
Civil civil_of(Timestamp t) {
  const std::int64_t days = floor_div(t.seconds, kSecondsPerDay);
  const std::int64_t rest = t.seconds - days * kSecondsPerDay;
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  Civil c;
  c.year = static_cast<int>(ymd.year());
  c.month = static_cast<unsigned>(ymd.month());
  c.day = static_cast<unsigned>(ymd.day());
  c.hour = static_cast<unsigned>(rest / 3600);
  c.minute = static_cast<unsigned>(rest / 60 % 60);
  c.second = static_cast<unsigned>(rest % 60);
  return c;
}

// Seconds since the epoch of a civil time; nullopt for an invalid date.
std::optional<std::int64_t> seconds_of(const Civil& c) {
  const std::chrono::year_month_day ymd{std::chrono::year{c.year}, std::chrono::month{c.month},
                                        std::chrono::day{c.day}};
  if (!ymd.ok() || c.hour > 23 || c.minute > 59 || c.second > 59) return std::nullopt;
  const std::int64_t days = std::chrono::sys_days{ymd}.time_since_epoch().count();
  return days * kSecondsPerDay + c.hour * 3600 + c.minute * 60 + c.second;
}

// Instants whose year is within [lo, hi] (checked before civil_of, which
// would otherwise work with absurd day counts).
bool year_in(Timestamp t, int lo, int hi) {
  // Days from 1970-01-01 to lo-01-01 and to (hi+1)-01-01.
  const auto first = seconds_of(Civil{lo, 1, 1, 0, 0, 0});
  const auto after = seconds_of(Civil{hi + 1, 1, 1, 0, 0, 0});
  return first && after && t.seconds >= *first && t.seconds < *after;
}

void put_digits(std::string& out, std::uint64_t v, int width) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  const auto n = static_cast<int>(r.ptr - buf);
  if (n < width) out.append(static_cast<std::size_t>(width - n), '0');
  out.append(buf, r.ptr);
}

std::string civil_text(const Civil& c) {
  std::string out;
  out.reserve(32);
  put_digits(out, static_cast<std::uint64_t>(c.year), 4);
  out += '-';
  put_digits(out, c.month, 2);
  out += '-';
  put_digits(out, c.day, 2);
  out += 'T';
  put_digits(out, c.hour, 2);
  out += ':';
  put_digits(out, c.minute, 2);
  out += ':';
  put_digits(out, c.second, 2);
  return out;
}

// Exactly `n` digits at text[pos..]; nullopt otherwise.
std::optional<unsigned> digits_at(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  unsigned v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return v;
}

// YYYY-MM-DD?HH:MM:SS at the start of `text` (the separator is checked by
// the caller).
std::optional<Civil> parse_civil(std::string_view text) {
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const auto y = digits_at(text, 0, 4), mo = digits_at(text, 5, 2), d = digits_at(text, 8, 2);
  const auto h = digits_at(text, 11, 2), mi = digits_at(text, 14, 2), s = digits_at(text, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
  return Civil{static_cast<int>(*y), *mo, *d, *h, *mi, *s};
}

std::string quoted(std::string_view text) {
  std::string s(text.substr(0, 64));
  if (text.size() > 64) s += "...";
  return "\"" + s + "\"";
}

// ---- pynamodb UTCDateTimeAttribute ----

Result<AttributeValue> encode_utc_date_time(Timestamp t) {
  if (!year_in(t, 1, 9999)) {
    return unexpected(ErrorCode::invalid_argument,
                      "time point outside the years 0001..9999 of pynamodb's date format");
  }
  std::string out = civil_text(civil_of(t));
  out += '.';
  put_digits(out, static_cast<std::uint64_t>(t.nanos / 1000), 6);  // floor to microseconds
  out += "+0000";
  return AttributeValue(std::move(out));
}

Result<Timestamp> decode_utc_date_time(std::string_view raw) {
  // pynamodb zero-fills short text to 31 characters before checking.
  std::string text(raw);
  if (text.size() < 31) text.insert(0, 31 - text.size(), '0');
  const auto civil =
      text.size() == 31 && text[10] == 'T' && text[19] == '.' && text.compare(26, 5, "+0000") == 0
          ? parse_civil(text)
          : std::nullopt;
  const auto micros = digits_at(text, 20, 6);
  const auto seconds = civil ? seconds_of(*civil) : std::nullopt;
  if (!seconds || !micros || civil->year < 1) {
    return unexpected(ErrorCode::schema_mismatch, quoted(raw) +
                                                      " is not a date in pynamodb's format "
                                                      "%Y-%m-%dT%H:%M:%S.%f+0000");
  }
  return Timestamp{*seconds, static_cast<std::int32_t>(*micros * 1000)};
}

// ---- RFC 3339 ----

Result<AttributeValue> encode_iso8601(Timestamp t) {
  if (!year_in(t, 0, 9999)) {
    return unexpected(ErrorCode::invalid_argument,
                      "time point outside the years 0000..9999 of RFC 3339");
  }
  std::string out = civil_text(civil_of(t));
  if (t.nanos != 0) {
    out += '.';
    if (t.nanos % 1'000'000 == 0) {
      put_digits(out, static_cast<std::uint64_t>(t.nanos / 1'000'000), 3);
    } else if (t.nanos % 1000 == 0) {
      put_digits(out, static_cast<std::uint64_t>(t.nanos / 1000), 6);
    } else {
      put_digits(out, static_cast<std::uint64_t>(t.nanos), 9);
    }
  }
  out += 'Z';
  return AttributeValue(std::move(out));
}

Result<Timestamp> decode_iso8601(std::string_view text) {
  auto fail = [&] {
    return unexpected(ErrorCode::schema_mismatch,
                      quoted(text) + " is not an RFC 3339 date (YYYY-MM-DDTHH:MM:SS[.f]Z)");
  };
  const auto civil = parse_civil(text);
  if (!civil || (text[10] != 'T' && text[10] != 't')) return fail();
  const auto base = seconds_of(*civil);
  if (!base) return fail();
  std::size_t i = 19;
  std::int32_t nanos = 0;
  if (i < text.size() && text[i] == '.') {
    const std::size_t begin = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    const std::size_t n = i - begin;
    if (n == 0 || n > 9) return fail();
    nanos = static_cast<std::int32_t>(*digits_at(text, begin, n));
    for (std::size_t k = n; k < 9; ++k) nanos *= 10;
  }
  std::int64_t offset = 0;  // local time minus UTC, in seconds
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    const auto h = digits_at(text, i + 1, 2), m = digits_at(text, i + 4, 2);
    if (!h || !m || i + 3 >= text.size() || text[i + 3] != ':' || *h > 23 || *m > 59) {
      return fail();
    }
    offset = (text[i] == '-' ? -1 : 1) * static_cast<std::int64_t>(*h * 3600 + *m * 60);
    i += 6;
  } else {
    return fail();
  }
  if (i != text.size()) return fail();
  return Timestamp{*base - offset, nanos};
}

// ---- Epoch numbers ----

Result<AttributeValue> encode_epoch(Timestamp t, bool millis) {
  if (!millis) return AttributeValue::number(t.seconds);
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if (t.seconds > kMax / 1000 - 1 || t.seconds < -(kMax / 1000)) {
    return unexpected(time_out_of_range(true));
  }
  return AttributeValue::number(t.seconds * 1000 + t.nanos / 1'000'000);
}

// Any number of seconds (or milliseconds), floored to nanoseconds.
Result<Timestamp> decode_epoch(const AttributeValue& v, bool millis) {
  const Number* n = v.as_number();
  if (n == nullptr) return unexpected(type_mismatch("N", v));
  auto d = Decimal::parse(n->text);
  if (!d) {
    return unexpected(ErrorCode::schema_mismatch, quoted(n->text) + " is not a valid number");
  }
  if (d->is_zero()) return Timestamp{};
  // |value| in seconds = digits * 10^e; split into whole seconds and the
  // first nine fraction digits (plus whether anything non-zero follows).
  const std::string& digits = d->digits();
  const long e = d->exponent() - (millis ? 3 : 0);
  const long len = static_cast<long>(digits.size());
  std::string whole, frac;
  if (e >= 0) {
    whole = digits + std::string(static_cast<std::size_t>(e), '0');
  } else if (len + e > 0) {
    whole = digits.substr(0, static_cast<std::size_t>(len + e));
    frac = digits.substr(static_cast<std::size_t>(len + e));
  } else {
    frac = std::string(static_cast<std::size_t>(-(len + e)), '0') + digits;
  }
  if (whole.size() > 17) return unexpected(time_out_of_range(false));
  std::int64_t seconds = 0;
  for (char c : whole) seconds = seconds * 10 + (c - '0');
  std::int32_t nanos = 0;
  for (std::size_t k = 0; k < 9; ++k) {
    nanos = nanos * 10 + (k < frac.size() ? frac[k] - '0' : 0);
  }
  const bool rest = frac.size() > 9;  // digits are significant: a non-zero rest
  if (!d->is_negative()) return Timestamp{seconds, nanos};
  // -(seconds + f): floor at nanosecond precision.
  const std::int64_t up = nanos + (rest ? 1 : 0);
  if (up == 0) return Timestamp{-seconds, 0};
  return Timestamp{-seconds - 1, static_cast<std::int32_t>(kNanosPerSecond - up)};
}

}  // namespace

Error time_out_of_range(bool encoding) {
  if (encoding) {
    return Error(ErrorCode::invalid_argument, "time point out of the range this format stores");
  }
  return Error(ErrorCode::schema_mismatch,
               "time point out of the range of the member's duration type");
}

Result<AttributeValue> encode_time(TimeFormat format, Timestamp t) {
  switch (format) {
    case TimeFormat::utc_date_time:
      return encode_utc_date_time(t);
    case TimeFormat::iso8601:
      return encode_iso8601(t);
    case TimeFormat::epoch_seconds:
      return encode_epoch(t, false);
    case TimeFormat::epoch_millis:
      return encode_epoch(t, true);
  }
  return unexpected(ErrorCode::internal, "unknown time format");
}

Result<Timestamp> decode_time(TimeFormat format, const AttributeValue& v) {
  switch (format) {
    case TimeFormat::utc_date_time:
    case TimeFormat::iso8601: {
      const std::string* s = v.as_string();
      if (s == nullptr) return unexpected(type_mismatch("S", v));
      return format == TimeFormat::iso8601 ? decode_iso8601(*s) : decode_utc_date_time(*s);
    }
    case TimeFormat::epoch_seconds:
      return decode_epoch(v, false);
    case TimeFormat::epoch_millis:
      return decode_epoch(v, true);
  }
  return unexpected(ErrorCode::internal, "unknown time format");
}

}  // namespace dynamate::detail
