// AttributeValue: number construction and validation (DynamoDB's decimal
// rules), type names, and the item size DynamoDB charges for.
#include "dynamate/attribute_value.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <type_traits>

namespace dynamate {
namespace {

// DynamoDB numbers: at most 38 significant digits, and a magnitude between
// 1E-130 and 9.99..9E+125 (38 nines). With 38 digits at most, the upper bound
// is exactly "the leading digit's power of ten is at most 125".
constexpr int kMaxSignificantDigits = 38;
constexpr long kMinExponent = -130;
constexpr long kMaxExponent = 125;

struct DecimalShape {
  bool zero = false;
  int significant_digits = 0;  // leading and trailing zeros excluded
  long exponent = 0;           // power of ten of the leading significant digit
};

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Parses [+-]digits[.digits][(e|E)[+-]digits] (either digit run may be empty,
// not both). nullopt when `text` does not match that grammar.
std::optional<DecimalShape> analyze_decimal(std::string_view text) noexcept {
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
  const std::size_t int_begin = i;
  while (i < n && is_digit(text[i])) ++i;
  const std::size_t int_len = i - int_begin;
  std::size_t frac_begin = i;
  std::size_t frac_len = 0;
  if (i < n && text[i] == '.') {
    frac_begin = ++i;
    while (i < n && is_digit(text[i])) ++i;
    frac_len = i - frac_begin;
  }
  if (int_len == 0 && frac_len == 0) return std::nullopt;
  long exp = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    const std::size_t exp_begin = i;
    for (; i < n && is_digit(text[i]); ++i) {
      // Saturate: anything this large is out of range whatever the digits say.
      if (exp < 100'000'000) exp = exp * 10 + (text[i] - '0');
    }
    if (i == exp_begin) return std::nullopt;
    if (negative) exp = -exp;
  }
  if (i != n) return std::nullopt;

  // Digit k of the mantissa (integer digits, then fraction digits).
  const std::size_t total = int_len + frac_len;
  auto digit = [&](std::size_t k) {
    return k < int_len ? text[int_begin + k] : text[frac_begin + (k - int_len)];
  };
  std::size_t first = 0;
  while (first < total && digit(first) == '0') ++first;
  DecimalShape shape;
  if (first == total) {
    shape.zero = true;
    return shape;
  }
  std::size_t last = total - 1;
  while (digit(last) == '0') --last;
  const std::size_t sig = last - first + 1;
  shape.significant_digits = sig > 1000 ? 1000 : static_cast<int>(sig);
  // The leading digit sits at power (int_len - 1 - first) before the exponent;
  // clamp the length so absurdly long inputs cannot overflow a long.
  const long lead = static_cast<long>(int_len > 100'000 ? 100'000 : int_len) - 1 -
                    static_cast<long>(first > 100'000 ? 100'000 : first);
  shape.exponent = lead + exp;
  return shape;
}

template <class Int>
AttributeValue integer_number(Int v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return AttributeValue(Number{std::string(buf, r.ptr)});
}

// std::string holds UTF-8, so its byte length is the size DynamoDB counts.
std::size_t utf8_bytes(const std::string& s) noexcept { return s.size(); }

std::size_t number_size(std::string_view text) noexcept {
  // "1 byte per two significant digits, plus 1 byte" (DynamoDB developer
  // guide, item sizes). Zero has no significant digits: 1 byte.
  int sig = 0;
  if (auto shape = analyze_decimal(text)) {
    sig = shape->significant_digits;
  } else {  // not a valid number; DynamoDB would reject it, estimate anyway
    for (char c : text) sig += is_digit(c) ? 1 : 0;
  }
  return static_cast<std::size_t>((sig + 1) / 2 + 1);
}

std::size_t value_size(const AttributeValue& value) noexcept {
  return std::visit(
      [](const auto& v) -> std::size_t {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return utf8_bytes(v);
        } else if constexpr (std::is_same_v<T, Number>) {
          return number_size(v.text);
        } else if constexpr (std::is_same_v<T, Bytes>) {
          return v.size();
        } else if constexpr (std::is_same_v<T, StringSet>) {
          std::size_t n = 0;
          for (const auto& s : v.values) n += utf8_bytes(s);
          return n;
        } else if constexpr (std::is_same_v<T, NumberSet>) {
          std::size_t n = 0;
          for (const auto& s : v.values) n += number_size(s);
          return n;
        } else if constexpr (std::is_same_v<T, BinarySet>) {
          std::size_t n = 0;
          for (const auto& b : v.values) n += b.size();
          return n;
        } else if constexpr (std::is_same_v<T, AttributeMap>) {
          // 3 bytes for the map, 1 per element, plus names and values.
          std::size_t n = 3;
          for (const auto& [name, element] : v) n += 1 + name.size() + value_size(element);
          return n;
        } else if constexpr (std::is_same_v<T, AttributeList>) {
          std::size_t n = 3;
          for (const auto& element : v) n += 1 + value_size(element);
          return n;
        } else {  // Null, bool
          return 1;
        }
      },
      value.variant());
}

}  // namespace

bool is_valid_number(std::string_view text) noexcept {
  const auto shape = analyze_decimal(text);
  if (!shape) return false;
  if (shape->zero) return true;
  return shape->significant_digits <= kMaxSignificantDigits && shape->exponent >= kMinExponent &&
         shape->exponent <= kMaxExponent;
}

AttributeValue AttributeValue::number(std::int64_t v) { return integer_number(v); }
AttributeValue AttributeValue::number(std::uint64_t v) { return integer_number(v); }

AttributeValue AttributeValue::number(double v) { return number_checked(v).value(); }

Result<AttributeValue> AttributeValue::number_checked(double v) {
  if (!std::isfinite(v)) {
    return unexpected(ErrorCode::invalid_argument,
                      "DynamoDB numbers must be finite (got NaN or infinity)");
  }
  if (v == 0) return AttributeValue(Number{"0"});  // also for -0.0
  // Shortest text that parses back to exactly `v`; at most 17 significant
  // digits, so only the magnitude can be out of DynamoDB's range.
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string text(buf, r.ptr);
  if (!is_valid_number(text)) {
    return unexpected(ErrorCode::invalid_argument,
                      "number " + text + " is outside DynamoDB's range (1E-130 .. 9.9E+125)");
  }
  return AttributeValue(Number{std::move(text)});
}

Result<AttributeValue> AttributeValue::number(std::string_view text) {
  if (!is_valid_number(text)) {
    std::string shown(text.substr(0, 64));
    if (text.size() > 64) shown += "...";
    return unexpected(ErrorCode::invalid_argument,
                      "\"" + shown + "\" is not a valid DynamoDB number");
  }
  return AttributeValue(Number{std::string(text)});
}

std::string_view AttributeValue::type_name() const noexcept {
  switch (type()) {
    case Type::S:
      return "S";
    case Type::N:
      return "N";
    case Type::B:
      return "B";
    case Type::SS:
      return "SS";
    case Type::NS:
      return "NS";
    case Type::BS:
      return "BS";
    case Type::M:
      return "M";
    case Type::L:
      return "L";
    case Type::NUL:
      return "NULL";
    case Type::BOOL:
      return "BOOL";
  }
  return "?";
}

std::size_t item_size(const AttributeMap& item) noexcept {
  // Top-level attributes carry no per-element overhead, unlike map members.
  std::size_t n = 0;
  for (const auto& [name, value] : item) n += name.size() + value_size(value);
  return n;
}

}  // namespace dynamate
