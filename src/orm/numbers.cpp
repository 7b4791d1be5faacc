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
#include "dynamate/decimal.hpp"

namespace dynamate::detail {
namespace {

// The integer that `text` spells, as a sign and plain digits ("1E2" -> "100").
struct Integral {
  bool negative = false;
  std::string digits;
};

Error invalid_text(std::string_view text) {
  return Error(ErrorCode::schema_mismatch, "invalid number text \"" + std::string(text) + "\"");
}

Error not_integral(std::string_view type_name, std::string_view text) {
  return Error(ErrorCode::schema_mismatch, "number " + std::string(text) + " is not a valid " +
                                               std::string(type_name) + " (not an integer)");
}

// Slow path for spellings from_chars does not take ("1E2", "100.0", "+5"):
// Decimal normalizes them. More than 20 digits cannot fit any integer type.
Result<Integral> integral(std::string_view text, std::string_view type_name) {
  auto d = Decimal::parse(text);
  if (!d) return unexpected(invalid_text(text));
  if (!d->is_integer()) return unexpected(not_integral(type_name, text));
  const auto zeros = static_cast<std::size_t>(d->exponent());
  if (d->digits().size() + zeros > 20) return unexpected(out_of_range(type_name, text));
  Integral out{d->is_negative(), d->digits()};
  out.digits.append(zeros, '0');
  if (out.digits.empty()) out.digits = "0";
  return out;
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
  auto d = integral(text, type_name);
  if (!d) return unexpected(std::move(d).error());
  std::string t = (d->negative ? "-" : "") + d->digits;
  auto [p2, ec2] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec2 != std::errc() || p2 != t.data() + t.size() || v < lo || v > hi) {
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
  auto d = integral(text, type_name);
  if (!d) return unexpected(std::move(d).error());
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
  auto want = Decimal::parse(text);
  if (!want) return unexpected(invalid_text(text));
  std::string_view body = text;
  if (!body.empty() && body[0] == '+') body.remove_prefix(1);
  F v{};
  auto [p, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (ec != std::errc() || p != body.data() + body.size() || !std::isfinite(v)) {
    return unexpected(out_of_range(type_name, text));
  }
  char buf[64];
  auto [e, ec2] = std::to_chars(buf, buf + sizeof buf, v);
  auto got = Decimal::parse(std::string_view(buf, static_cast<std::size_t>(e - buf)));
  if (ec2 != std::errc() || !got || *got != *want) {
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
