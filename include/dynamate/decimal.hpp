// dynamate/decimal.hpp: Decimal, an exact decimal number within DynamoDB's
// limits (at most 38 significant digits, magnitude 1E-130 .. 9.99..9E+125,
// or zero), and its converter (stored as N; a key type, and the element of a
// number set: std::set<Decimal> is NS).
//
//   auto price = dynamate::Decimal::parse("19.99").value();
//   price == dynamate::Decimal::parse("19.990").value();  // true: values compare
//   price.to_string();                                    // "19.99"
//   dynamate::Decimal(42).to_integer<std::int32_t>();     // 42
//
// Nothing is ever rounded: parse refuses text with more than 38 significant
// digits or outside the range (ErrorCode::invalid_argument), to_integer
// refuses fractions and values out of the type's range. to_double is the one
// approximate conversion (the nearest double).
//
// Canonical text (to_string, and what the converter writes): no trailing
// zeros after the point, no leading zeros; plain notation ("100", "0.000123",
// "-12.5") when the leading digit's power of ten is in -6 .. 37, otherwise
// scientific with one digit before the point ("1.5E+40", "1E-7"). pynamodb's
// NumberAttribute reads both (as int or float), and DynamoDB stores either.
//
// Decimal is a small value type; thread-compatible.
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

#include "dynamate/converter.hpp"

namespace dynamate {

class Decimal {
 public:
  // Zero.
  Decimal() = default;
  // Any integer, exactly (every 64-bit integer has at most 20 digits).
  template <class I>
  requires detail::is_plain_integer_v<I> Decimal(I v)  // NOLINT(implicit): lossless
  {
    if constexpr (std::is_signed_v<I>) {
      set_signed(static_cast<std::int64_t>(v));
    } else {
      set_unsigned(static_cast<std::uint64_t>(v));
    }
  }

  // Text as DynamoDB accepts it: [+-]digits[.digits][(e|E)[+-]digits].
  // invalid_argument for other text, more than 38 significant digits, or a
  // magnitude outside 1E-130 .. 9.99..9E+125.
  static Result<Decimal> parse(std::string_view text);
  // The shortest decimal that reads back as `v` ("0.1" for 0.1).
  // invalid_argument for NaN, infinities and magnitudes out of range.
  static Result<Decimal> from_double(double v);

  // Canonical text (see the top of this file).
  std::string to_string() const;
  // The nearest double.
  double to_double() const;
  // The value as integer type I; invalid_argument when it has a fraction or
  // does not fit.
  template <class I>
  requires detail::is_plain_integer_v<I> Result<I> to_integer()
  const {
    if constexpr (std::is_signed_v<I>) {
      auto r = to_signed(std::numeric_limits<I>::min(), std::numeric_limits<I>::max(),
                         detail::integer_name<I>());
      if (!r) return unexpected(std::move(r).error());
      return static_cast<I>(*r);
    } else {
      auto r = to_unsigned(std::numeric_limits<I>::max(), detail::integer_name<I>());
      if (!r) return unexpected(std::move(r).error());
      return static_cast<I>(*r);
    }
  }

  bool is_zero() const noexcept { return digits_.empty(); }
  bool is_negative() const noexcept { return negative_; }
  bool is_integer() const noexcept { return exponent_ >= 0; }

  // The value is (-1 if negative) * digits * 10^exponent, where digits are
  // the significant digits (no leading or trailing zeros; empty for zero).
  const std::string& digits() const noexcept { return digits_; }
  int exponent() const noexcept { return exponent_; }

  Decimal operator-() const {
    Decimal d = *this;
    d.negative_ = !d.negative_ && !d.digits_.empty();
    return d;
  }

  // Equal values compare equal whatever their spelling ("1.0" == "1").
  friend bool operator==(const Decimal&, const Decimal&) = default;
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept;

 private:
  void set_signed(std::int64_t v);
  void set_unsigned(std::uint64_t v);
  Result<std::int64_t> to_signed(std::int64_t lo, std::int64_t hi, std::string_view name) const;
  Result<std::uint64_t> to_unsigned(std::uint64_t hi, std::string_view name) const;

  // Normalized: equal values have equal members.
  bool negative_ = false;
  std::string digits_;
  int exponent_ = 0;
};

// Writes to_string().
std::ostream& operator<<(std::ostream& os, const Decimal& d);

template <>
struct Converter<Decimal> {
  static constexpr aws::ScalarAttributeType key_type = aws::ScalarAttributeType::N;
  static Result<AttributeValue> encode(const Decimal& v) {
    return AttributeValue(Number{v.to_string()});
  }
  static Result<void> decode(const AttributeValue& v, Decimal& out);
};

}  // namespace dynamate
