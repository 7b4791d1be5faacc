// dynamate/converter.hpp: how a C++ type becomes a DynamoDB attribute value and
// back. Converter<T> is the customization point:
//
//   template <>
//   struct dynamate::Converter<Money> {
//     static dynamate::Result<dynamate::AttributeValue> encode(const Money& m);
//     static dynamate::Result<void> decode(const dynamate::AttributeValue& v, Money& out);
//     // optional: a key attribute needs the scalar type it is stored as
//     static constexpr dynamate::aws::ScalarAttributeType key_type =
//         dynamate::aws::ScalarAttributeType::N;
//     // optional: leave the attribute out of the item for this value
//     static bool omit(const Money& m) { return false; }
//   };
//
// encode fails with ErrorCode::invalid_argument for a value DynamoDB cannot
// store (NaN, a number out of range, invalid JSON); decode fails with
// ErrorCode::schema_mismatch when the attribute has another type or does not
// fit (an integer out of range, a number that a double would round, an
// unknown enum name). A converter for one field only is named in the schema
// instead: attribute<MoneyAsText>("price", &Order::price). Such a converter
// may also be a struct with template encode/decode (see datetime.hpp); it
// also serves std::optional members of the type it converts.
//
// Built in, with the stored format and the pynamodb attribute that reads it:
//   std::string                    S     UnicodeAttribute
//   signed/unsigned integers       N     NumberAttribute (exact digits, "42").
//                                  Decoding accepts any spelling of an
//                                  integral value ("1E2", "100.0"); a fraction
//                                  or a value outside the member's range is
//                                  schema_mismatch.
//   double, float                  N     NumberAttribute: the shortest text
//                                  that reads back as the same value ("0.1",
//                                  "1e+22"). Decoding refuses text the type
//                                  would round ("0.30000000000000001" into a
//                                  double): use Decimal for exact values.
//   bool                           BOOL  BooleanAttribute
//   Bytes                          B     BinaryAttribute(legacy_encoding=False)
//   AttributeValue, AttributeMap   as they are (a NULL AttributeValue is left
//                                  out); MapAttribute/DynamicMapAttribute
//   std::optional<U>               as U; left out when empty; NULL reads as
//                                  empty (null=True attributes)
//   std::vector<U>                 L     ListAttribute(of=...)
//   std::map<std::string, U>       M     MapAttribute (raw); empty optionals
//                                  inside are left out
//   std::set<std::string>          SS    UnicodeSetAttribute
//   std::set of numbers            NS    NumberSetAttribute (integers, float,
//                                  double, Decimal, enums without names)
//   std::set<Bytes>                BS    BinarySetAttribute
//                                  Sets of other types whose converter has a
//                                  key_type use that type (a set of named
//                                  enums is SS). Empty sets are left out
//                                  (DynamoDB has none).
//   enums                          S, the name given by dynamate::enum_names
//                                  (below); without names N, the value
//   nested structs with a schema   M     MapAttribute subclass (model.hpp)
//   Decimal                        N     NumberAttribute (decimal.hpp)
//   std::chrono::sys_time<D>       S     UTCDateTimeAttribute; or RFC 3339,
//                                  epoch seconds (TTLAttribute) or millis
//                                  (datetime.hpp)
//   JsonDocument                   S     JSONAttribute (json_document.hpp)
// A missing attribute leaves the member as it was (the model's member
// initializer when reading a new object), whatever its type.
//
// Thread-safety: converters are stateless functions.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "dynamate/attribute_value.hpp"
#include "dynamate/aws/dynamodb_types.hpp"
#include "dynamate/bytes.hpp"
#include "dynamate/detail/schema_fwd.hpp"
#include "dynamate/result.hpp"

namespace dynamate {

template <class T, class Enable = void>
struct Converter {};  // no converter: see has_converter

// Whether C converts M (C defaults to Converter<M>).
template <class M, class C = Converter<M>>
concept has_converter = requires(const M& value, const AttributeValue& av, M& out) {
  { C::encode(value) } -> std::same_as<Result<AttributeValue>>;
  { C::decode(av, out) } -> std::same_as<Result<void>>;
};

// Whether C can convert a key attribute (it names S, N or B).
template <class C>
concept has_key_type = requires {
  { C::key_type } -> std::convertible_to<aws::ScalarAttributeType>;
};

// Whether the value should be left out of the item (empty optional or set).
template <class C, class M>
bool converter_omits(const M& value) {
  if constexpr (requires {
                  { C::omit(value) } -> std::convertible_to<bool>;
                }) {
    return C::omit(value);
  } else {
    return false;
  }
}

// Names for enum values stored as strings. Specialize:
//   template <> inline constexpr auto dynamate::enum_names<Color> =
//       dynamate::names<Color>({{Color::red, "red"}, {Color::green, "green"}});
// An enum without names is stored as its number.
template <class E, std::size_t N>
struct EnumNames {
  std::array<std::pair<E, std::string_view>, N> entries;
};
template <class E, std::size_t N>
constexpr EnumNames<E, N> names(const std::pair<E, std::string_view> (&entries)[N]) {
  EnumNames<E, N> out{};
  for (std::size_t i = 0; i < N; ++i) out.entries[i] = entries[i];
  return out;
}
namespace detail {
struct NoEnumNames {};
}  // namespace detail
template <class E>
inline constexpr auto enum_names = detail::NoEnumNames{};

namespace detail {

// Errors with a consistent wording: "expected N, found S".
Error type_mismatch(std::string_view expected, const AttributeValue& found);
Error out_of_range(std::string_view type_name, std::string_view text);

// Number text <-> C++ numbers (src/orm/numbers.cpp). Integers accept any
// DynamoDB spelling of an integral value ("1E2"); doubles refuse text that a
// double would round. Errors are schema_mismatch.
Result<std::int64_t> decode_signed(const AttributeValue& v, std::int64_t lo, std::int64_t hi,
                                   std::string_view type_name);
Result<std::uint64_t> decode_unsigned(const AttributeValue& v, std::uint64_t hi,
                                      std::string_view type_name);
Result<std::int64_t> parse_signed(std::string_view text, std::int64_t lo, std::int64_t hi,
                                  std::string_view type_name);
Result<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t hi,
                                     std::string_view type_name);
Result<double> parse_double(std::string_view text);
Result<float> parse_float(std::string_view text);
Result<AttributeValue> encode_double(double v);
Result<AttributeValue> encode_float(float v);
std::string float_text(float v);

template <class I>
inline constexpr bool is_plain_integer_v =
    std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char> &&
    !std::is_same_v<I, char8_t> && !std::is_same_v<I, char16_t> && !std::is_same_v<I, char32_t> &&
    !std::is_same_v<I, wchar_t>;

template <class M>
inline constexpr bool is_version_type = is_plain_integer_v<M>;
template <class M>
inline constexpr bool is_version_type<std::optional<M>> = is_plain_integer_v<M>;

// "int32", "uint8", ...: the name used in range errors.
template <class I>
constexpr std::string_view integer_name() {
  constexpr bool s = std::is_signed_v<I>;
  switch (sizeof(I)) {
    case 1:
      return s ? "int8" : "uint8";
    case 2:
      return s ? "int16" : "uint16";
    case 4:
      return s ? "int32" : "uint32";
    default:
      return s ? "int64" : "uint64";
  }
}

// Any integer type (including char-like underlying types of enums).
template <class I>
Result<I> parse_integer(std::string_view text) {
  static_assert(std::is_integral_v<I> && !std::is_same_v<I, bool> && sizeof(I) <= 8);
  constexpr std::string_view kName = integer_name<I>();
  if constexpr (std::is_signed_v<I>) {
    auto r =
        parse_signed(text, std::numeric_limits<I>::min(), std::numeric_limits<I>::max(), kName);
    if (!r) return unexpected(std::move(r).error());
    return static_cast<I>(*r);
  } else {
    auto r = parse_unsigned(text, std::numeric_limits<I>::max(), kName);
    if (!r) return unexpected(std::move(r).error());
    return static_cast<I>(*r);
  }
}

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// std::optional<U> through converter C of U: left out when empty, NULL reads
// as empty. Converter<std::optional<U>> is OptionalWith<Converter<U>>, and a
// per-field converter also serves optional members (model.hpp).
template <class C>
struct OptionalWith {
  template <class U>
  requires has_converter<U, C>
  static bool omit(const std::optional<U>& v) { return !v.has_value(); }

  template <class U>
  requires has_converter<U, C>
  static Result<AttributeValue> encode(const std::optional<U>& v) {
    if (!v) return AttributeValue(Null{});
    return C::encode(*v);
  }

  template <class U>
  requires has_converter<U, C>
  static Result<void> decode(const AttributeValue& v, std::optional<U>& out) {
    if (v.is_null()) {
      out.reset();
      return {};
    }
    U value{};
    auto r = C::decode(v, value);
    if (!r) return r;
    out = std::move(value);
    return {};
  }
};

}  // namespace detail

// Converts a member to epoch seconds (a DynamoDB number), for ttl(...).
// Specialized for integers (already epoch seconds) and std::optional here,
// and for std::chrono::sys_time in datetime.hpp.
template <class M, class Enable = void>
struct EpochSecondsConverter {};

}  // namespace dynamate

#include "dynamate/detail/convert_containers.hpp"
#include "dynamate/detail/convert_scalars.hpp"
