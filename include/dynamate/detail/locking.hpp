// dynamate/detail/locking.hpp: optimistic locking through the schema's
// version(...) attribute, shared by Table<T>, batches and transactions.
// Not API.
//
// A model whose version is 0 (or an empty optional) has never been saved:
// writing it requires attribute_not_exists(version). Otherwise a write
// requires version == the value held, and writes value + 1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dynamate/detail/codec.hpp"
#include "dynamate/expression.hpp"

namespace dynamate::detail {

template <class T>
inline constexpr bool has_version = has_role<T, FieldRole::version>;

template <class T>
constexpr std::string_view version_name() {
  return key_field<T, FieldRole::version>().name;
}

// The version `item` holds; nullopt when it has never been saved.
template <class T>
std::optional<std::int64_t> current_version(const T& item) {
  constexpr auto f = key_field<T, FieldRole::version>();
  const auto& v = item.*(f.member);
  if constexpr (is_optional<std::remove_cvref_t<decltype(v)>>::value) {
    if (!v.has_value() || *v == 0) return std::nullopt;
    return static_cast<std::int64_t>(*v);
  } else {
    if (v == 0) return std::nullopt;
    return static_cast<std::int64_t>(v);
  }
}

template <class T>
std::int64_t next_version(const T& item) {
  auto cur = current_version(item);
  return cur ? *cur + 1 : 1;
}

template <class T>
void set_version(T& item, std::int64_t value) {
  constexpr auto f = key_field<T, FieldRole::version>();
  auto& v = item.*(f.member);
  using M = std::remove_cvref_t<decltype(v)>;
  if constexpr (is_optional<M>::value) {
    v = static_cast<typename M::value_type>(value);
  } else {
    v = static_cast<M>(value);
  }
}

// The condition that the stored item still has the version `item` holds.
template <class T>
Condition version_condition(const T& item) {
  const std::string name(version_name<T>());
  auto cur = current_version(item);
  if (!cur) return not_exists(attr(name));
  return attr(name) == AttributeValue::number(*cur);
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
