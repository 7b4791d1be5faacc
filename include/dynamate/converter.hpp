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
// unknown enum name). A converter for a member of another type can be named
// per field instead: attribute<MyConverter>("name", &T::member).
//
// Built in: std::string (S); every integer type and float/double (N; exact,
// range-checked, never rounded); bool (BOOL); Bytes (B); AttributeValue and
// AttributeMap (stored as they are); std::optional<U> (left out when empty,
// NULL reads as empty); std::vector<U> (L); std::map<std::string, U> (M);
// std::set of strings, numbers or Bytes (SS/NS/BS, left out when empty, as
// DynamoDB forbids empty sets); enums (as their name when dynamate::enum_names
// is specialized, else as their number); nested structs with a schema (M).
// decimal.hpp, datetime.hpp and json_document.hpp add Decimal, time points and
// JSON documents.
#pragma once

#include <array>
#include <concepts>
#include <limits>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

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
  if constexpr (requires { { C::omit(value) } -> std::convertible_to<bool>; }) {
    return C::omit(value);
  } else {
    return false;
  }
}

// Names for enum values stored as strings. Specialize:
//   template <> inline constexpr auto dynamate::enum_names<Color> =
//       dynamate::names<Color>({{Color::red, "red"}, {Color::green, "green"}});
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
// double would round.
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

template <class I>
Result<I> parse_integer(std::string_view text) {
  constexpr std::string_view kName = std::is_signed_v<I> ? "signed integer" : "unsigned integer";
  if constexpr (std::is_signed_v<I>) {
    auto r = parse_signed(text, std::numeric_limits<I>::min(), std::numeric_limits<I>::max(), kName);
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

}  // namespace detail

// ---- Scalars ----

template <>
struct Converter<std::string> {
  static constexpr aws::ScalarAttributeType key_type = aws::ScalarAttributeType::S;
  static Result<AttributeValue> encode(const std::string& v) { return AttributeValue(v); }
  static Result<void> decode(const AttributeValue& v, std::string& out) {
    const std::string* s = v.as_string();
    if (s == nullptr) return detail::type_mismatch("S", v);
    out = *s;
    return {};
  }
};

template <class I>
struct Converter<I, std::enable_if_t<detail::is_plain_integer_v<I>>> {
  static constexpr aws::ScalarAttributeType key_type = aws::ScalarAttributeType::N;
  static Result<AttributeValue> encode(I v) { return AttributeValue::number(v); }
  static Result<void> decode(const AttributeValue& v, I& out) {
    const Number* n = v.as_number();
    if (n == nullptr) return detail::type_mismatch("N", v);
    auto r = detail::parse_integer<I>(n->text);
    if (!r) return unexpected(std::move(r).error());
    out = *r;
    return {};
  }
};

template <>
struct Converter<double> {
  static constexpr aws::ScalarAttributeType key_type = aws::ScalarAttributeType::N;
  static Result<AttributeValue> encode(double v) { return detail::encode_double(v); }
  static Result<void> decode(const AttributeValue& v, double& out) {
    const Number* n = v.as_number();
    if (n == nullptr) return detail::type_mismatch("N", v);
    auto r = detail::parse_double(n->text);
    if (!r) return unexpected(std::move(r).error());
    out = *r;
    return {};
  }
};

template <>
struct Converter<float> {
  static constexpr aws::ScalarAttributeType key_type = aws::ScalarAttributeType::N;
  static Result<AttributeValue> encode(float v) { return detail::encode_float(v); }
  static Result<void> decode(const AttributeValue& v, float& out) {
    const Number* n = v.as_number();
    if (n == nullptr) return detail::type_mismatch("N", v);
    auto r = detail::parse_float(n->text);
    if (!r) return unexpected(std::move(r).error());
    out = *r;
    return {};
  }
};

template <>
struct Converter<bool> {
  static Result<AttributeValue> encode(bool v) { return AttributeValue(v); }
  static Result<void> decode(const AttributeValue& v, bool& out) {
    const bool* b = v.as_bool();
    if (b == nullptr) return detail::type_mismatch("BOOL", v);
    out = *b;
    return {};
  }
};

template <>
struct Converter<Bytes> {
  static constexpr aws::ScalarAttributeType key_type = aws::ScalarAttributeType::B;
  static Result<AttributeValue> encode(const Bytes& v) { return AttributeValue(v); }
  static Result<void> decode(const AttributeValue& v, Bytes& out) {
    const Bytes* b = v.as_bytes();
    if (b == nullptr) return detail::type_mismatch("B", v);
    out = *b;
    return {};
  }
};

template <>
struct Converter<AttributeValue> {
  static Result<AttributeValue> encode(const AttributeValue& v) { return v; }
  static Result<void> decode(const AttributeValue& v, AttributeValue& out) {
    out = v;
    return {};
  }
};

template <>
struct Converter<AttributeMap> {
  static Result<AttributeValue> encode(const AttributeMap& v) { return AttributeValue(v); }
  static Result<void> decode(const AttributeValue& v, AttributeMap& out) {
    const AttributeMap* m = v.as_map();
    if (m == nullptr) return detail::type_mismatch("M", v);
    out = *m;
    return {};
  }
};

// ---- Enums ----

template <class E>
struct Converter<E, std::enable_if_t<std::is_enum_v<E>>> {
  static constexpr bool by_name =
      !std::is_same_v<std::remove_cvref_t<decltype(enum_names<E>)>, detail::NoEnumNames>;
  using U = std::underlying_type_t<E>;

  static Result<AttributeValue> encode(E v) {
    if constexpr (by_name) {
      for (const auto& [value, name] : enum_names<E>.entries) {
        if (value == v) return AttributeValue(std::string(name));
      }
      return unexpected(ErrorCode::invalid_argument,
                        "enum value " + std::to_string(static_cast<U>(v)) +
                            " has no name in dynamate::enum_names");
    } else {
      return AttributeValue::number(static_cast<U>(v));
    }
  }
  static Result<void> decode(const AttributeValue& v, E& out) {
    if constexpr (by_name) {
      const std::string* s = v.as_string();
      if (s == nullptr) return detail::type_mismatch("S", v);
      for (const auto& [value, name] : enum_names<E>.entries) {
        if (name == *s) {
          out = value;
          return {};
        }
      }
      return unexpected(ErrorCode::schema_mismatch, "unknown enum name \"" + *s + "\"");
    } else {
      U u{};
      auto r = Converter<U>::decode(v, u);
      if (!r) return r;
      out = static_cast<E>(u);
      return {};
    }
  }
};

// ---- Optional ----

template <class U>
struct Converter<std::optional<U>, std::enable_if_t<has_converter<U>>> {
  static bool omit(const std::optional<U>& v) { return !v.has_value(); }
  static Result<AttributeValue> encode(const std::optional<U>& v) {
    if (!v) return AttributeValue(Null{});
    return Converter<U>::encode(*v);
  }
  static Result<void> decode(const AttributeValue& v, std::optional<U>& out) {
    if (v.is_null()) {
      out.reset();
      return {};
    }
    U value{};
    auto r = Converter<U>::decode(v, value);
    if (!r) return r;
    out = std::move(value);
    return {};
  }
};

// ---- Lists and maps ----

template <class U>
struct Converter<std::vector<U>, std::enable_if_t<has_converter<U>>> {
  static Result<AttributeValue> encode(const std::vector<U>& v) {
    AttributeList list;
    list.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      auto e = Converter<U>::encode(v[i]);
      if (!e) return unexpected(std::move(e.error().with_context("[" + std::to_string(i) + "]")));
      list.push_back(std::move(*e));
    }
    return AttributeValue(std::move(list));
  }
  static Result<void> decode(const AttributeValue& v, std::vector<U>& out) {
    const AttributeList* list = v.as_list();
    if (list == nullptr) return detail::type_mismatch("L", v);
    out.clear();
    out.reserve(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
      U value{};
      auto r = Converter<U>::decode((*list)[i], value);
      if (!r) return unexpected(std::move(r.error().with_context("[" + std::to_string(i) + "]")));
      out.push_back(std::move(value));
    }
    return {};
  }
};

template <class U, class Cmp>
struct Converter<std::map<std::string, U, Cmp>, std::enable_if_t<has_converter<U>>> {
  using Map = std::map<std::string, U, Cmp>;
  static Result<AttributeValue> encode(const Map& v) {
    AttributeMap m;
    for (const auto& [k, e] : v) {
      if (converter_omits<Converter<U>>(e)) continue;
      auto a = Converter<U>::encode(e);
      if (!a) return unexpected(std::move(a.error().with_context("[\"" + k + "\"]")));
      m.emplace_hint(m.end(), k, std::move(*a));
    }
    return AttributeValue(std::move(m));
  }
  static Result<void> decode(const AttributeValue& v, Map& out) {
    const AttributeMap* m = v.as_map();
    if (m == nullptr) return detail::type_mismatch("M", v);
    out.clear();
    for (const auto& [k, e] : *m) {
      U value{};
      auto r = Converter<U>::decode(e, value);
      if (!r) return unexpected(std::move(r.error().with_context("[\"" + k + "\"]")));
      out.emplace_hint(out.end(), k, std::move(value));
    }
    return {};
  }
};

// ---- Sets ----

namespace detail {
template <class U>
concept number_like = requires { Converter<U>::key_type; } &&
                      (Converter<U>::key_type == aws::ScalarAttributeType::N);
}  // namespace detail

template <class Cmp>
struct Converter<std::set<std::string, Cmp>> {
  using Set = std::set<std::string, Cmp>;
  static bool omit(const Set& v) { return v.empty(); }
  static Result<AttributeValue> encode(const Set& v) {
    if (v.empty()) return unexpected(ErrorCode::invalid_argument, "DynamoDB sets cannot be empty");
    return AttributeValue(StringSet{{v.begin(), v.end()}});
  }
  static Result<void> decode(const AttributeValue& v, Set& out) {
    const StringSet* s = v.as_string_set();
    if (s == nullptr) return detail::type_mismatch("SS", v);
    out = Set(s->values.begin(), s->values.end());
    return {};
  }
};

template <class Cmp>
struct Converter<std::set<Bytes, Cmp>> {
  using Set = std::set<Bytes, Cmp>;
  static bool omit(const Set& v) { return v.empty(); }
  static Result<AttributeValue> encode(const Set& v) {
    if (v.empty()) return unexpected(ErrorCode::invalid_argument, "DynamoDB sets cannot be empty");
    return AttributeValue(BinarySet{{v.begin(), v.end()}});
  }
  static Result<void> decode(const AttributeValue& v, Set& out) {
    const BinarySet* s = v.as_binary_set();
    if (s == nullptr) return detail::type_mismatch("BS", v);
    out = Set(s->values.begin(), s->values.end());
    return {};
  }
};

template <class U, class Cmp>
requires detail::number_like<U>
struct Converter<std::set<U, Cmp>> {
  using Set = std::set<U, Cmp>;
  static bool omit(const Set& v) { return v.empty(); }
  static Result<AttributeValue> encode(const Set& v) {
    if (v.empty()) return unexpected(ErrorCode::invalid_argument, "DynamoDB sets cannot be empty");
    NumberSet ns;
    ns.values.reserve(v.size());
    for (const U& e : v) {
      auto a = Converter<U>::encode(e);
      if (!a) return unexpected(std::move(a).error());
      ns.values.push_back(a->as_number()->text);
    }
    return AttributeValue(std::move(ns));
  }
  static Result<void> decode(const AttributeValue& v, Set& out) {
    const NumberSet* s = v.as_number_set();
    if (s == nullptr) return detail::type_mismatch("NS", v);
    out.clear();
    for (const std::string& text : s->values) {
      U value{};
      auto r = Converter<U>::decode(AttributeValue(Number{text}), value);
      if (!r) return r;
      out.insert(std::move(value));
    }
    return {};
  }
};

// ---- Nested models ----

template <class T>
requires has_schema<T>
struct Converter<T> {
  static Result<AttributeValue> encode(const T& v) {
    AttributeMap m;
    auto r = detail::encode_model(v, m);
    if (!r) return unexpected(std::move(r).error());
    return AttributeValue(std::move(m));
  }
  static Result<void> decode(const AttributeValue& v, T& out) {
    const AttributeMap* m = v.as_map();
    if (m == nullptr) return detail::type_mismatch("M", v);
    return detail::decode_model(*m, out);
  }
};

// ---- Epoch seconds (ttl) ----

// Converts a member to epoch seconds (a DynamoDB number). Specialized for
// integers here and for std::chrono time points in datetime.hpp.
template <class M, class Enable = void>
struct EpochSecondsConverter {};

template <class I>
struct EpochSecondsConverter<I, std::enable_if_t<detail::is_plain_integer_v<I>>> : Converter<I> {};

template <class U>
struct EpochSecondsConverter<std::optional<U>, std::enable_if_t<has_converter<U, EpochSecondsConverter<U>>>> {
  static bool omit(const std::optional<U>& v) { return !v.has_value(); }
  static Result<AttributeValue> encode(const std::optional<U>& v) {
    if (!v) return AttributeValue(Null{});
    return EpochSecondsConverter<U>::encode(*v);
  }
  static Result<void> decode(const AttributeValue& v, std::optional<U>& out) {
    if (v.is_null()) {
      out.reset();
      return {};
    }
    U value{};
    auto r = EpochSecondsConverter<U>::decode(v, value);
    if (!r) return r;
    out = value;
    return {};
  }
};

}  // namespace dynamate
