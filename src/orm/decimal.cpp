// Decimal: parsing and validation against DynamoDB's number limits, canonical
// text, comparison and exact conversions.
#include "dynamate/decimal.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <ostream>
#include <string>

namespace dynamate {
namespace {

constexpr std::size_t kMaxDigits = 38;
constexpr long kMinLead = -130;  // power of ten of the leading digit
constexpr long kMaxLead = 125;

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

std::string shown(std::string_view text) {
  std::string s(text.substr(0, 64));
  if (text.size() > 64) s += "...";
  return "\"" + s + "\"";
}

Error invalid(std::string_view text, std::string_view why) {
  return Error(ErrorCode::invalid_argument, shown(text) + " " + std::string(why));
}

}  // namespace

Result<Decimal> Decimal::parse(std::string_view text) {
  Decimal d;
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (i < n && (text[i] == '+' || text[i] == '-')) d.negative_ = text[i++] == '-';
  std::size_t mantissa_digits = 0;
  long frac_digits = 0;    // digits after the point (kept or dropped as zeros)
  long dropped_zeros = 0;  // zeros not yet appended (to strip trailing zeros)
  bool in_frac = false;
  for (; i < n; ++i) {
    const char c = text[i];
    if (is_digit(c)) {
      ++mantissa_digits;
      if (in_frac) ++frac_digits;
      if (c == '0') {
        if (!d.digits_.empty()) ++dropped_zeros;
      } else {
        if (d.digits_.size() + static_cast<std::size_t>(dropped_zeros) + 1 > kMaxDigits) {
          return unexpected(invalid(text, "has more than 38 significant digits"));
        }
        d.digits_.append(static_cast<std::size_t>(dropped_zeros), '0');
        dropped_zeros = 0;
        d.digits_.push_back(c);
      }
    } else if (c == '.' && !in_frac) {
      in_frac = true;
    } else {
      break;
    }
  }
  if (mantissa_digits == 0) return unexpected(invalid(text, "is not a decimal number"));
  long exp = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
    const std::size_t begin = i;
    for (; i < n && is_digit(text[i]); ++i) {
      if (exp < 100'000'000) exp = exp * 10 + (text[i] - '0');  // saturates: out of range
    }
    if (i == begin) return unexpected(invalid(text, "is not a decimal number"));
    if (neg) exp = -exp;
  }
  if (i != n) return unexpected(invalid(text, "is not a decimal number"));
  if (d.digits_.empty()) return Decimal{};  // zero, whatever the sign and exponent
  // The last kept digit sits `dropped_zeros` places before the last digit,
  // whose power of ten is exp - frac_digits.
  const long last = exp - frac_digits + dropped_zeros;
  const long lead = last + static_cast<long>(d.digits_.size()) - 1;
  if (lead < kMinLead || lead > kMaxLead) {
    return unexpected(invalid(text, "is outside DynamoDB's range (1E-130 .. 9.99E+125)"));
  }
  d.exponent_ = static_cast<int>(last);
  return d;
}

Result<Decimal> Decimal::from_double(double v) {
  if (!std::isfinite(v)) {
    return unexpected(ErrorCode::invalid_argument, "a Decimal cannot be NaN or infinite");
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return parse(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

void Decimal::set_unsigned(std::uint64_t v) {
  negative_ = false;
  digits_.clear();
  exponent_ = 0;
  if (v == 0) return;
  while (v % 10 == 0) {
    v /= 10;
    ++exponent_;
  }
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  digits_.assign(buf, r.ptr);
}

void Decimal::set_signed(std::int64_t v) {
  // The magnitude of INT64_MIN does not fit an int64_t: negate as unsigned.
  const std::uint64_t magnitude =
      v < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  set_unsigned(magnitude);
  negative_ = v < 0;
}

std::string Decimal::to_string() const {
  if (digits_.empty()) return "0";
  std::string out = negative_ ? "-" : "";
  const long n = static_cast<long>(digits_.size());
  const long lead = exponent_ + n - 1;
  if (lead >= -6 && lead <= 37) {
    if (exponent_ >= 0) {
      out += digits_;
      out.append(static_cast<std::size_t>(exponent_), '0');
    } else if (lead >= 0) {
      const auto point = static_cast<std::size_t>(lead + 1);
      out.append(digits_, 0, point);
      out += '.';
      out.append(digits_, point);
    } else {
      out += "0.";
      out.append(static_cast<std::size_t>(-lead - 1), '0');
      out += digits_;
    }
    return out;
  }
  out += digits_[0];
  if (n > 1) {
    out += '.';
    out.append(digits_, 1);
  }
  out += lead < 0 ? "E-" : "E+";
  out += std::to_string(lead < 0 ? -lead : lead);
  return out;
}

double Decimal::to_double() const {
  if (digits_.empty()) return 0.0;
  // digits "E" exponent: from_chars rounds correctly to the nearest double;
  // every Decimal is within double's range.
  std::string text = digits_ + "E" + std::to_string(exponent_);
  double v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return negative_ ? -v : v;
}

namespace {
Error integer_error(const Decimal& d, std::string_view name) {
  if (!d.is_integer()) {
    return Error(ErrorCode::invalid_argument,
                 "Decimal " + d.to_string() + " is not an integer (" + std::string(name) + ")");
  }
  return Error(ErrorCode::invalid_argument,
               "Decimal " + d.to_string() + " is out of range for " + std::string(name));
}

// |d| when it is an integer below 2^64.
std::optional<std::uint64_t> magnitude(const Decimal& d) {
  if (!d.is_integer() || d.digits().size() + static_cast<std::size_t>(d.exponent()) > 20) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  for (char c : d.digits()) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  for (int k = 0; k < d.exponent(); ++k) {
    if (v > std::numeric_limits<std::uint64_t>::max() / 10) return std::nullopt;
    v *= 10;
  }
  return v;
}
}  // namespace

Result<std::int64_t> Decimal::to_signed(std::int64_t lo, std::int64_t hi,
                                        std::string_view name) const {
  const auto m = magnitude(*this);
  // The magnitude of lo (negative) as unsigned, without overflowing.
  const std::uint64_t limit = negative_ ? std::uint64_t{0} - static_cast<std::uint64_t>(lo)
                                        : static_cast<std::uint64_t>(hi);
  if (!m || *m > limit) return unexpected(integer_error(*this, name));
  return negative_ ? static_cast<std::int64_t>(std::uint64_t{0} - *m)
                   : static_cast<std::int64_t>(*m);
}

Result<std::uint64_t> Decimal::to_unsigned(std::uint64_t hi, std::string_view name) const {
  const auto m = magnitude(*this);
  if (!m || *m > hi || negative_) return unexpected(integer_error(*this, name));
  return *m;
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept {
  const int sa = a.is_zero() ? 0 : (a.negative_ ? -1 : 1);
  const int sb = b.is_zero() ? 0 : (b.negative_ ? -1 : 1);
  if (sa != sb || sa == 0) return sa <=> sb;
  // Same sign, both non-zero: compare magnitudes, then flip for negatives.
  const long lead_a = a.exponent_ + static_cast<long>(a.digits_.size());
  const long lead_b = b.exponent_ + static_cast<long>(b.digits_.size());
  std::strong_ordering m = lead_a <=> lead_b;
  if (m == 0) {
    // Same leading power: digit strings compare as the values do (no
    // trailing zeros, so a prefix is the smaller value).
    const int c = a.digits_.compare(b.digits_);
    m = c <=> 0;
  }
  return sa > 0 ? m : 0 <=> m;
}

std::ostream& operator<<(std::ostream& os, const Decimal& d) { return os << d.to_string(); }

Result<void> Converter<Decimal>::decode(const AttributeValue& v, Decimal& out) {
  const Number* n = v.as_number();
  if (n == nullptr) return detail::type_mismatch("N", v);
  auto d = Decimal::parse(n->text);
  if (!d) {
    Error e = std::move(d).error();
    e.code = ErrorCode::schema_mismatch;
    return e;
  }
  out = std::move(*d);
  return {};
}

}  // namespace dynamate
