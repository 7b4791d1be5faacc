// Number text <-> C++ integers and floating point for the built-in converters.
// Integers accept any DynamoDB spelling of an integral value ("1E2", "100.0");
// floating point refuses text that the type would round, so a value written
// by another client is never changed silently.
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "dynamate/converter.hpp"

namespace dynamate::detail {
namespace {

// A decimal as sign, significant digits (no leading or trailing zeros) and
// the power of ten of the last digit. Zero has empty digits.
struct Decimal10 {
  bool negative = false;
  std::string digits;
  long exponent = 0;
  friend bool operator==(const Decimal10&, const Decimal10&) = default;
};

std::optional<Decimal10> normalize(std::string_view text) {
  Decimal10 d;
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) d.negative = text[i++] == '-';
  std::size_t digits_seen = 0;
  long frac_digits = 0;
  bool in_frac = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      if (!(d.digits.empty() && c == '0')) d.digits.push_back(c);
      if (in_frac) ++frac_digits;
      ++digits_seen;
    } else if (c == '.' && !in_frac) {
      in_frac = true;
    } else {
      break;
    }
  }
  if (digits_seen == 0) return std::nullopt;
  long exp = 0;
  if (i < text.size()) {
    if (text[i] != 'e' && text[i] != 'E') return std::nullopt;
    ++i;
    bool neg = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) neg = text[i++] == '-';
    if (i == text.size()) return std::nullopt;
    auto [p, ec] = std::from_chars(text.data() + i, text.data() + text.size(), exp);
    if (ec != std::errc() || p != text.data() + text.size() || exp > 100000 || exp < -100000) {
      return std::nullopt;
    }
    if (neg) exp = -exp;
  }
  d.exponent = exp - frac_digits;
  while (!d.digits.empty() && d.digits.back() == '0') {
    d.digits.pop_back();
    ++d.exponent;
  }
  if (d.digits.empty()) {
    d.negative = false;
    d.exponent = 0;
  }
  return d;
}

// The integral value of `text` as plain digits, or nullopt when it is not an
// integer or has more than 20 digits.
std::optional<Decimal10> integral(std::string_view text) {
  auto d = normalize(text);
  if (!d || d->exponent < 0 || static_cast<long>(d->digits.size()) + d->exponent > 20) {
    return std::nullopt;
  }
  d->digits.append(static_cast<std::size_t>(d->exponent), '0');
  if (d->digits.empty()) d->digits = "0";
  d->exponent = 0;
  return d;
}

Error not_integral(std::string_view type_name, std::string_view text) {
  return Error(ErrorCode::schema_mismatch, "number " + std::string(text) + " is not a valid " +
                                               std::string(type_name) + " (not an integer)");
}

}  // namespace

Error type_mismatch(std::string_view expected, const AttributeValue& found) {
  return Error(ErrorCode::schema_mismatch,
               "expected " + std::string(expected) + ", found " + std::string(found.type_name()));
}

Error set_element_error(aws::ScalarAttributeType want, const AttributeValue& got) {
  return Error(ErrorCode::invalid_argument, "a set element was encoded as " +
                                                std::string(got.type_name()) + ", not " +
                                                std::string(aws::to_string(want)));
}

Error out_of_range(std::string_view type_name, std::string_view text) {
  return Error(ErrorCode::schema_mismatch,
               "number " + std::string(text) + " is out of range for " + std::string(type_name));
}

Result<std::int64_t> parse_signed(std::string_view text, std::int64_t lo, std::int64_t hi,
                                  std::string_view type_name) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc() && p == text.data() + text.size()) {
    if (v < lo || v > hi) return unexpected(out_of_range(type_name, text));
    return v;
  }
  auto d = integral(text);
  if (!d) {
    if (normalize(text)) {
      auto n = normalize(text);
      if (n->exponent >= 0) return unexpected(out_of_range(type_name, text));
      return unexpected(not_integral(type_name, text));
    }
    return unexpected(ErrorCode::schema_mismatch,
                      "invalid number text \"" + std::string(text) + "\"");
  }
  std::string s = (d->negative ? "-" : "") + d->digits;
  auto [p2, ec2] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec2 != std::errc() || p2 != s.data() + s.size() || v < lo || v > hi) {
    return unexpected(out_of_range(type_name, text));
  }
  return v;
}

Result<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t hi,
                                     std::string_view type_name) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc() && p == text.data() + text.size()) {
    if (v > hi) return unexpected(out_of_range(type_name, text));
    return v;
  }
  auto d = integral(text);
  if (!d) {
    auto n = normalize(text);
    if (!n) {
      return unexpected(ErrorCode::schema_mismatch,
                        "invalid number text \"" + std::string(text) + "\"");
    }
    if (n->exponent >= 0 || n->negative) return unexpected(out_of_range(type_name, text));
    return unexpected(not_integral(type_name, text));
  }
  if (d->negative && d->digits != "0") return unexpected(out_of_range(type_name, text));
  auto [p2, ec2] = std::from_chars(d->digits.data(), d->digits.data() + d->digits.size(), v);
  if (ec2 != std::errc() || p2 != d->digits.data() + d->digits.size() || v > hi) {
    return unexpected(out_of_range(type_name, text));
  }
  return v;
}

Result<std::int64_t> decode_signed(const AttributeValue& v, std::int64_t lo, std::int64_t hi,
                                   std::string_view type_name) {
  const Number* n = v.as_number();
  if (n == nullptr) return unexpected(type_mismatch("N", v));
  return parse_signed(n->text, lo, hi, type_name);
}

Result<std::uint64_t> decode_unsigned(const AttributeValue& v, std::uint64_t hi,
                                      std::string_view type_name) {
  const Number* n = v.as_number();
  if (n == nullptr) return unexpected(type_mismatch("N", v));
  return parse_unsigned(n->text, hi, type_name);
}

namespace {
template <class F>
Result<F> parse_floating(std::string_view text, std::string_view type_name) {
  auto want = normalize(text);
  if (!want) {
    return unexpected(ErrorCode::schema_mismatch,
                      "invalid number text \"" + std::string(text) + "\"");
  }
  std::string_view body = text;
  if (!body.empty() && body[0] == '+') body.remove_prefix(1);
  F v{};
  auto [p, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (ec != std::errc() || p != body.data() + body.size() || !std::isfinite(v)) {
    return unexpected(out_of_range(type_name, text));
  }
  char buf[64];
  auto [e, ec2] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec2 != std::errc() ||
      normalize(std::string_view(buf, static_cast<std::size_t>(e - buf))) != want) {
    return unexpected(ErrorCode::schema_mismatch,
                      "number " + std::string(text) + " would be rounded by " +
                          std::string(type_name) + " (use dynamate::Decimal for exact values)");
  }
  return v;
}
}  // namespace

Result<double> parse_double(std::string_view text) {
  return parse_floating<double>(text, "double");
}
Result<float> parse_float(std::string_view text) { return parse_floating<float>(text, "float"); }

Result<AttributeValue> encode_double(double v) { return AttributeValue::number_checked(v); }

std::string float_text(float v) {
  char buf[64];
  auto [e, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, static_cast<std::size_t>(e - buf));
}

Result<AttributeValue> encode_float(float v) {
  if (!std::isfinite(v)) {
    return unexpected(ErrorCode::invalid_argument, "DynamoDB cannot store NaN or infinity");
  }
  return AttributeValue::number(float_text(v));
}

}  // namespace dynamate::detail
