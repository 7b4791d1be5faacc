// dynamate/attribute_value.hpp: AttributeValue, one DynamoDB value of any of
// the ten types (S, N, B, SS, NS, BS, M, L, NULL, BOOL), and AttributeMap, an
// item or map value.
//
// Numbers are kept as their exact decimal text (DynamoDB allows 38 significant
// digits, more than double or int64 hold); binary as raw bytes (base64 only on
// the wire). Sets are kept in the order given; DynamoDB does not order them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "dynamate/bytes.hpp"
#include "dynamate/result.hpp"

namespace dynamate {

class AttributeValue;
using AttributeMap = std::map<std::string, AttributeValue, std::less<>>;
using AttributeList = std::vector<AttributeValue>;

// A DynamoDB number as exact decimal text, e.g. "-12.5E3".
struct Number {
  std::string text;
  friend bool operator==(const Number&, const Number&) = default;
};
struct StringSet {
  std::vector<std::string> values;
  friend bool operator==(const StringSet&, const StringSet&) = default;
};
struct NumberSet {
  std::vector<std::string> values;  // decimal text
  friend bool operator==(const NumberSet&, const NumberSet&) = default;
};
struct BinarySet {
  std::vector<Bytes> values;
  friend bool operator==(const BinarySet&, const BinarySet&) = default;
};
struct Null {
  friend bool operator==(Null, Null) = default;
};

// Whether `text` is a number DynamoDB accepts: optional sign, digits with an
// optional fraction, optional exponent; at most 38 significant digits;
// magnitude within 1E-130 .. 9.99...E+125, or zero.
bool is_valid_number(std::string_view text) noexcept;

class AttributeValue {
 public:
  enum class Type : std::uint8_t { S, N, B, SS, NS, BS, M, L, NUL, BOOL };

  AttributeValue() : v_(Null{}) {}
  AttributeValue(std::string s) : v_(std::move(s)) {}    // NOLINT: S
  AttributeValue(const char* s) : v_(std::string(s)) {}  // NOLINT: S
  AttributeValue(Number n) : v_(std::move(n)) {}         // NOLINT: N
  AttributeValue(Bytes b) : v_(std::move(b)) {}          // NOLINT: B
  AttributeValue(StringSet s) : v_(std::move(s)) {}      // NOLINT
  AttributeValue(NumberSet s) : v_(std::move(s)) {}      // NOLINT
  AttributeValue(BinarySet s) : v_(std::move(s)) {}      // NOLINT
  AttributeValue(AttributeMap m) : v_(std::move(m)) {}   // NOLINT
  AttributeValue(AttributeList l) : v_(std::move(l)) {}  // NOLINT
  AttributeValue(Null n) : v_(n) {}                      // NOLINT
  AttributeValue(bool b) : v_(b) {}                      // NOLINT

  // Numbers from C++ arithmetic types (exact text).
  static AttributeValue number(std::int64_t v);
  static AttributeValue number(std::uint64_t v);
  // Any other integer type (int, short, unsigned, long long, ...), exactly.
  template <class I>
  requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, std::int64_t> &&
           !std::is_same_v<I, std::uint64_t>) static AttributeValue number(I v) {
    if constexpr (std::is_signed_v<I>) {
      return number(static_cast<std::int64_t>(v));
    } else {
      return number(static_cast<std::uint64_t>(v));
    }
  }
  // Shortest text that reads back as the same double (std::to_chars). Throws
  // dynamate::Exception (ErrorCode::invalid_argument) for NaN, infinities and
  // magnitudes DynamoDB cannot store (non-zero below 1E-130 or above ~1E+126):
  // a silent substitute value would corrupt data. Use number_checked() to get
  // a Result instead.
  static AttributeValue number(double v);
  static Result<AttributeValue> number_checked(double v);
  // Validated number text; ErrorCode::invalid_argument when not a valid number.
  static Result<AttributeValue> number(std::string_view text);

  Type type() const noexcept { return static_cast<Type>(v_.index()); }
  std::string_view type_name() const noexcept;  // "S", "N", ..., "NULL", "BOOL"

  // Typed access; nullptr when the value has another type.
  const std::string* as_string() const noexcept { return std::get_if<std::string>(&v_); }
  const Number* as_number() const noexcept { return std::get_if<Number>(&v_); }
  const Bytes* as_bytes() const noexcept { return std::get_if<Bytes>(&v_); }
  const StringSet* as_string_set() const noexcept { return std::get_if<StringSet>(&v_); }
  const NumberSet* as_number_set() const noexcept { return std::get_if<NumberSet>(&v_); }
  const BinarySet* as_binary_set() const noexcept { return std::get_if<BinarySet>(&v_); }
  const AttributeMap* as_map() const noexcept { return std::get_if<AttributeMap>(&v_); }
  const AttributeList* as_list() const noexcept { return std::get_if<AttributeList>(&v_); }
  const bool* as_bool() const noexcept { return std::get_if<bool>(&v_); }
  bool is_null() const noexcept { return std::holds_alternative<Null>(v_); }

  AttributeMap* as_map() noexcept { return std::get_if<AttributeMap>(&v_); }
  AttributeList* as_list() noexcept { return std::get_if<AttributeList>(&v_); }
  std::string* as_string() noexcept { return std::get_if<std::string>(&v_); }
  Bytes* as_bytes() noexcept { return std::get_if<Bytes>(&v_); }

  using Variant = std::variant<std::string, Number, Bytes, StringSet, NumberSet, BinarySet,
                               AttributeMap, AttributeList, Null, bool>;
  const Variant& variant() const noexcept { return v_; }
  Variant& variant() noexcept { return v_; }

  friend bool operator==(const AttributeValue& a, const AttributeValue& b) { return a.v_ == b.v_; }

 private:
  Variant v_;
};

// Approximate size DynamoDB charges for an item: attribute names plus values
// (UTF-8 bytes of strings, binary length, ~ number digits / 2 + 1, ...).
std::size_t item_size(const AttributeMap& item) noexcept;

}  // namespace dynamate
