// dynamate/detail/expression_values.hpp: which C++ values a typed path
// accepts, and how they are encoded (dynamate/expression.hpp). Not API.
#pragma once

#include <optional>
#include <string>
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
// U as an attribute value of a V path, encoded by `fn`; integers out of V's
// range are refused.
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
    if constexpr (is_plain_integer_v<W> && is_plain_integer_v<X>) {
      if (!std::in_range<W>(v)) {
        return unexpected(ErrorCode::invalid_argument,
                          "the value " + std::to_string(v) + " is out of the member type's range");
      }
    }
    return fn(static_cast<V>(v));
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
