// dynamate/detail/locking.hpp: optimistic locking through the schema's
// version(...) attribute, shared by Table<T>, batches and transactions.
// Not API.
//
// A model whose version is 0 (or an empty optional) has never been saved:
// writing it requires attribute_not_exists(version). Otherwise a write
// requires version == the value held, and writes value + 1.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "dynamate/detail/codec.hpp"
#include "dynamate/expression.hpp"

namespace dynamate::detail {

template <class T>
inline constexpr bool has_version = has_role<T, FieldRole::version>;

template <class T>
constexpr std::string_view version_name() {
  return key_field<T, FieldRole::version>().name;
}

// The integer type of T's version member (the U of std::optional<U>).
template <class T>
using version_value_t = unwrap_optional_t<
    std::remove_cvref_t<typename decltype(key_field<T, FieldRole::version>())::member_type>>;

// The version `item` holds; 0 when it has never been saved (or is empty).
template <class T>
version_value_t<T> held_version(const T& item) {
  constexpr auto f = key_field<T, FieldRole::version>();
  const auto& v = item.*(f.member);
  if constexpr (is_optional<std::remove_cvref_t<decltype(v)>>::value) {
    return v.value_or(0);
  } else {
    return v;
  }
}

// The version a write of `item` stores: the held one + 1 (1 for a new
// object). invalid_argument, before anything is sent, when that does not
// fit the member's type (an int8 version at 127) or a 64-bit integer.
template <class T>
Result<std::int64_t> next_version(const T& item) {
  using M = version_value_t<T>;
  const M cur = held_version(item);
  if (!std::cmp_less(cur, std::numeric_limits<M>::max()) ||
      !std::cmp_less(cur, std::numeric_limits<std::int64_t>::max())) {
    return unexpected(ErrorCode::invalid_argument,
                      "the version attribute \"" + std::string(version_name<T>()) + "\" holds " +
                          std::to_string(cur) + ": the next version does not fit its type (" +
                          std::string(integer_name<M>()) + "), nothing was written");
  }
  return cur == 0 ? std::int64_t{1} : static_cast<std::int64_t>(cur) + 1;
}

// Stores `value` (a result of next_version, which fits) in item's version.
template <class T>
void set_version(T& item, std::int64_t value) {
  constexpr auto f = key_field<T, FieldRole::version>();
  auto& v = item.*(f.member);
  v = static_cast<version_value_t<T>>(value);
}

// The condition that the stored item still has the version `item` holds.
template <class T>
Condition version_condition(const T& item) {
  const std::string name(version_name<T>());
  const auto cur = held_version(item);
  if (cur == 0) return not_exists(attr(name));
  return attr(name) == AttributeValue::number(cur);
}

// Combines a user condition with the version check.
template <class T>
Condition with_version_check(const Condition& user, const T& item, bool check) {
  if constexpr (has_version<T>) {
    if (check) return user && version_condition(item);
  }
  return user;
}

}  // namespace dynamate::detail
