// dynamate/detail/convert_containers.hpp: the built-in converters of
// std::optional, std::vector, std::map, std::set, nested models and integer
// epoch seconds. Not API: include dynamate/converter.hpp, which documents the
// stored formats.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "dynamate/converter.hpp"

namespace dynamate {

// ---- Optional ----

template <class U>
struct Converter<std::optional<U>, std::enable_if_t<has_converter<U>>>
    : detail::OptionalWith<Converter<U>> {};

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
      m.insert_or_assign(k, std::move(*a));
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
      out.insert_or_assign(k, std::move(value));
    }
    return {};
  }
};

// ---- Sets ----

namespace detail {
// A set element: a type whose converter names its scalar type (S, N or B).
template <class U>
concept set_element = has_converter<U> && has_key_type<Converter<U>>;

Error set_element_error(aws::ScalarAttributeType want, const AttributeValue& got);

template <aws::ScalarAttributeType K>
struct SetOf;
template <>
struct SetOf<aws::ScalarAttributeType::S> {
  using type = StringSet;
  using element = std::string;
  static const type* get(const AttributeValue& v) { return v.as_string_set(); }
  static const element* element_of(const AttributeValue& v) { return v.as_string(); }
};
template <>
struct SetOf<aws::ScalarAttributeType::N> {
  using type = NumberSet;
  using element = std::string;
  static const type* get(const AttributeValue& v) { return v.as_number_set(); }
  static const element* element_of(const AttributeValue& v) {
    const Number* n = v.as_number();
    return n == nullptr ? nullptr : &n->text;
  }
};
template <>
struct SetOf<aws::ScalarAttributeType::B> {
  using type = BinarySet;
  using element = Bytes;
  static const type* get(const AttributeValue& v) { return v.as_binary_set(); }
  static const element* element_of(const AttributeValue& v) { return v.as_bytes(); }
};
}  // namespace detail

// std::set of strings (SS), numbers (NS) or Bytes (BS), and of any type whose
// converter has a key_type (a named enum is SS, a Decimal NS). Left out when
// empty: DynamoDB has no empty sets.
template <class U, class Cmp>
requires detail::set_element<U>
struct Converter<std::set<U, Cmp>> {
  using Set = std::set<U, Cmp>;
  static constexpr aws::ScalarAttributeType kKind = Converter<U>::key_type;
  using Kind = detail::SetOf<kKind>;
  static constexpr bool kDirect = std::is_same_v<U, typename Kind::element>;

  static bool omit(const Set& v) { return v.empty(); }
  static Result<AttributeValue> encode(const Set& v) {
    if (v.empty()) {
      return unexpected(ErrorCode::invalid_argument, "DynamoDB sets cannot be empty");
    }
    typename Kind::type out;
    out.values.reserve(v.size());
    for (const U& e : v) {
      if constexpr (kDirect) {
        out.values.push_back(e);
      } else {
        auto a = Converter<U>::encode(e);
        if (!a) return unexpected(std::move(a).error());
        const auto* element = Kind::element_of(*a);
        if (element == nullptr) return unexpected(detail::set_element_error(kKind, *a));
        out.values.push_back(*element);
      }
    }
    return AttributeValue(std::move(out));
  }
  static Result<void> decode(const AttributeValue& v, Set& out) {
    const auto* s = Kind::get(v);
    if (s == nullptr) {
      return detail::type_mismatch(std::string(aws::to_string(kKind)) + "S", v);
    }
    out.clear();
    for (const auto& element : s->values) {
      if constexpr (kDirect) {
        out.insert(element);
      } else {
        U value{};
        AttributeValue a = [&] {
          if constexpr (kKind == aws::ScalarAttributeType::N) {
            return AttributeValue(Number{element});
          } else {
            return AttributeValue(element);
          }
        }();
        auto r = Converter<U>::decode(a, value);
        if (!r) return unexpected(std::move(r.error().with_context("set element")));
        out.insert(std::move(value));
      }
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

template <class I>
struct EpochSecondsConverter<I, std::enable_if_t<detail::is_plain_integer_v<I>>> : Converter<I> {};

template <class U>
struct EpochSecondsConverter<std::optional<U>,
                             std::enable_if_t<has_converter<U, EpochSecondsConverter<U>>>>
    : detail::OptionalWith<EpochSecondsConverter<U>> {};

}  // namespace dynamate
