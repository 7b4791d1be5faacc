// dynamate/detail/schema_checks.hpp: compile-time walks over a Schema (fields,
// names, roles) and the checks Table<T> makes. Not API.
#pragma once

#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "dynamate/model.hpp"

namespace dynamate::detail {

// Calls f(field) for every Field part of the schema, in declaration order.
template <class S, class F>
constexpr void for_each_field(const S& s, F&& f) {
  std::apply(
      [&](const auto&... part) {
        (
            [&] {
              if constexpr (is_field<std::remove_cvref_t<decltype(part)>>::value) f(part);
            }(),
            ...);
      },
      s.parts);
}

// Calls f(index) for every Index part.
template <class S, class F>
constexpr void for_each_index(const S& s, F&& f) {
  std::apply(
      [&](const auto&... part) {
        (
            [&] {
              if constexpr (is_index<std::remove_cvref_t<decltype(part)>>::value) f(part);
            }(),
            ...);
      },
      s.parts);
}

// The extra_attributes member, or nullptr.
template <class T, class S>
constexpr AttributeMap T::*extras_member(const S& s) {
  AttributeMap T::*out = nullptr;
  std::apply(
      [&](const auto&... part) {
        (
            [&] {
              if constexpr (is_extras<std::remove_cvref_t<decltype(part)>>::value) {
                out = part.member;
              }
            }(),
            ...);
      },
      s.parts);
  return out;
}

// The table options part, or the defaults.
template <class S>
constexpr TableOptions table_options_of(const S& s) {
  TableOptions out{};
  std::apply(
      [&](const auto&... part) {
        (
            [&] {
              if constexpr (std::is_same_v<std::remove_cvref_t<decltype(part)>, TableOptions>) {
                out = part;
              }
            }(),
            ...);
      },
      s.parts);
  return out;
}

// The attribute name of member `p`, or an empty view when no field maps it.
template <class S, class P>
constexpr std::string_view name_of(const S& s, P p) {
  std::string_view out{};
  for_each_field(s, [&](const auto& f) {
    if constexpr (std::is_same_v<decltype(f.member), P>) {
      if (f.member == p) out = f.name;
    }
  });
  return out;
}

template <class S>
constexpr bool names_unique(const S& s) {
  constexpr std::size_t n = S::field_count;
  std::array<std::string_view, n == 0 ? 1 : n> names{};
  std::size_t i = 0;
  for_each_field(s, [&](const auto& f) { names[i++] = f.name; });
  for (std::size_t a = 0; a < n; ++a) {
    if (names[a].empty()) return false;
    for (std::size_t b = a + 1; b < n; ++b) {
      if (names[a] == names[b]) return false;
    }
  }
  return true;
}

template <class S>
constexpr bool index_keys_mapped(const S& s) {
  bool ok = true;
  for_each_index(s, [&](const auto& ix) {
    if constexpr (!std::is_same_v<std::remove_cvref_t<decltype(ix.hash)>, std::nullptr_t>) {
      if (name_of(s, ix.hash).empty()) ok = false;
    }
    if constexpr (!std::is_same_v<std::remove_cvref_t<decltype(ix.range)>, std::nullptr_t>) {
      if (name_of(s, ix.range).empty()) ok = false;
    }
    if (ix.name.empty()) ok = false;
  });
  return ok;
}

template <class T>
constexpr bool check_model_schema() {
  static_assert(has_schema<T>,
                "dynamate: this type has no schema. Declare one after the struct: template <> "
                "inline constexpr auto dynamate::schema_of<T> = dynamate::schema<T>(...);");
  if constexpr (has_schema<T>) {
    using S = std::remove_cvref_t<decltype(schema_of<T>)>;
    static_assert(std::is_same_v<typename S::model_type, T>,
                  "dynamate: schema_of<T> must be built by schema<T>(...) for that same T");
    static_assert(names_unique(schema_of<T>),
                  "dynamate: two fields of this schema have the same attribute name (or a name "
                  "is empty)");
    static_assert(S::extras_count <= 1, "dynamate: a schema has at most one extra_attributes");
  }
  return true;
}

template <class T>
constexpr bool check_table_schema() {
  check_model_schema<T>();
  if constexpr (has_schema<T>) {
    using S = std::remove_cvref_t<decltype(schema_of<T>)>;
    static_assert(S::template role_count<FieldRole::hash_key> == 1,
                  "dynamate: a table model needs exactly one hash_key(...) in its schema");
    static_assert(S::template role_count<FieldRole::range_key> <= 1,
                  "dynamate: a table model has at most one range_key(...)");
    static_assert(S::template role_count<FieldRole::version> <= 1,
                  "dynamate: a table model has at most one version(...) attribute");
    static_assert(S::template role_count<FieldRole::ttl> <= 1,
                  "dynamate: a table model has at most one ttl(...) attribute");
    static_assert(index_keys_mapped(schema_of<T>),
                  "dynamate: every index needs a name, and its key members must be fields of "
                  "the schema");
  }
  return true;
}

}  // namespace dynamate::detail
