// dynamate/detail/expression_values.hpp: which C++ values a typed path
// accepts, and how they are encoded (dynamate/expression.hpp). Not API.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#include "dynamate/attribute_value.hpp"
#include "dynamate/converter.hpp"
#include "dynamate/result.hpp"

namespace dynamate::detail {

template <class V>
using EncodeFn = Result<AttributeValue> (*)(const V&);
template <class V>
Result<AttributeValue> default_encode(const V& v) {
  return Converter<V>::encode(v);
}
template <class T>
struct unwrap_optional {
  using type = T;
};
template <class T>
struct unwrap_optional<std::optional<T>> {
  using type = T;
};
template <class T>
using unwrap_optional_t = typename unwrap_optional<T>::type;
// Whether a U may be compared with / stored into a member of type V: what
// converts to V, except floating point into an integer and bool into or
// from another arithmetic type. Paths of AttributeValue take any number.
template <class V, class U>
constexpr bool accepts_value() {
  using W = unwrap_optional_t<V>;
  using X = std::remove_cvref_t<U>;
  if constexpr (std::is_same_v<W, AttributeValue>) {
    return std::is_arithmetic_v<X> || std::is_convertible_v<const U&, AttributeValue>;
  } else if constexpr (std::is_arithmetic_v<W> && std::is_arithmetic_v<X>) {
    if constexpr (std::is_same_v<W, bool> != std::is_same_v<X, bool>) return false;
    return !(std::is_integral_v<W> && std::is_floating_point_v<X>);
  } else {
    return std::is_convertible_v<const U&, V>;
  }
}
template <class V, class U>
inline constexpr bool accepts_value_v = accepts_value<V, U>();
// Whether `to` holds exactly the value `from`: a number converted between
// integer and floating-point types, or from double to float, must read back
// as the same value.
template <class To, class From>
bool converts_exactly(const From& from, const To& to) {
  if constexpr (std::is_floating_point_v<To> && std::is_integral_v<From>) {
    // Integers beyond 2^53 (double) or 2^24 (float) may round. `to` must be
    // inside From's range (bounds that are powers of two, exact in To)
    // before it is converted back.
    const To bound = std::ldexp(To(1), std::numeric_limits<From>::digits);
    const To low = std::is_signed_v<From> ? -bound : To(0);
    if (!(to >= low && to < bound)) return false;
    return static_cast<From>(to) == from;
  } else if constexpr (std::is_floating_point_v<To> && std::is_floating_point_v<From>) {
    if (from != from) return true;  // NaN: the converter refuses it
    return static_cast<From>(to) == from;
  } else {
    return true;
  }
}

// The number as text for messages: the shortest that reads back ("0.1",
// "1e+300", "16777217").
template <class X>
std::string number_text(const X& v) {
  if constexpr (std::is_integral_v<X>) {
    return std::to_string(v);
  } else {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return r.ec == std::errc() ? std::string(buf, r.ptr) : std::string("a number");
  }
}

// U converted to a V (the member's type): integers out of V's range and
// numbers V would round are refused (invalid_argument; the writer names the
// path).
template <class V, class U>
Result<V> convert_value(const U& v) {
  using W = unwrap_optional_t<V>;
  using X = std::remove_cvref_t<U>;
  if constexpr (is_plain_integer_v<W> && is_plain_integer_v<X>) {
    if (!std::in_range<W>(v)) {
      return unexpected(ErrorCode::invalid_argument,
                        "the value " + std::to_string(v) + " is out of the member type's range");
    }
  }
  if constexpr (std::is_arithmetic_v<W> && std::is_arithmetic_v<X> && !std::is_same_v<W, bool>) {
    const W converted = static_cast<W>(v);
    if (!converts_exactly<W>(v, converted)) {
      return unexpected(ErrorCode::invalid_argument,
                        "the value " + number_text(v) +
                            " cannot be stored exactly as the member's " +
                            (sizeof(W) == sizeof(float) ? "float" : "double") + " (it would be " +
                            number_text(converted) + ")");
    }
    return V(converted);
  } else {
    return static_cast<V>(v);
  }
}

// U as an attribute value of a V path, encoded by `fn`; see convert_value.
template <class V, class U>
Result<AttributeValue> encode_value(EncodeFn<V> fn, const U& v) {
  using W = unwrap_optional_t<V>;
  using X = std::remove_cvref_t<U>;
  if constexpr (std::is_same_v<W, AttributeValue>) {
    if constexpr (std::is_same_v<X, bool>) {
      return fn(V(AttributeValue(v)));
    } else if constexpr (std::is_integral_v<X>) {
      return fn(V(AttributeValue::number(v)));
    } else if constexpr (std::is_floating_point_v<X>) {
      auto n = AttributeValue::number_checked(static_cast<double>(v));
      if (!n) return n;
      return fn(V(std::move(*n)));
    } else {
      return fn(V(AttributeValue(v)));
    }
  } else {
    auto converted = convert_value<V>(v);
    if (!converted) return unexpected(std::move(converted).error());
    return fn(*converted);
  }
}

// Whether the converter of a path leaves its value out of an item (an
// empty optional, set or JsonDocument): set() of such a value removes the
// attribute, as save() would leave it out. Null: the path never omits.
template <class V>
using OmitFn = bool (*)(const V&);
template <class C, class V>
bool omit_with(const V& v) {
  return converter_omits<C>(v);
}
template <class V>
constexpr OmitFn<V> default_omit() {
  if constexpr (std::is_same_v<V, AttributeValue> || !has_converter<V>) {
    return nullptr;  // a NULL AttributeValue stays a NULL (attr paths)
  } else {
    return &omit_with<Converter<V>, V>;
  }
}
// Whether set(path, v) should REMOVE the path: V's converter omits the value
// (when it converts exactly). A list element is never removed (that would
// shift the list): it is written as the converter encodes it.
template <class V, class U>
bool omits_value(OmitFn<V> omit, bool list_element, const U& v) {
  if (omit == nullptr || list_element) return false;
  if constexpr (std::is_same_v<unwrap_optional_t<V>, AttributeValue>) {
    if constexpr (std::is_convertible_v<const U&, V> && !std::is_arithmetic_v<U>) {
      return omit(V(v));
    } else {
      return false;
    }
  } else {
    auto converted = convert_value<V>(v);
    return converted && omit(*converted);
  }
}

// The element type contains() takes on a V path, or void when V holds none.
template <class V>
auto contains_element() {
  using W = unwrap_optional_t<V>;
  if constexpr (std::is_same_v<W, std::string> || std::is_same_v<W, AttributeValue>) {
    return std::type_identity<W>{};
  } else if constexpr (
      requires { typename W::value_type; } && !requires { typename W::mapped_type; }) {
    return std::type_identity<typename W::value_type>{};  // std::set<E>, std::vector<E>
  } else {
    return std::type_identity<void>{};
  }
}
template <class V>
using contains_element_t = typename decltype(contains_element<V>())::type;

}  // namespace dynamate::detail
