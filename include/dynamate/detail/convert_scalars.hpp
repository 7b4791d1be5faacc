// dynamate/detail/convert_scalars.hpp: the built-in converters of scalar
// types (strings, numbers, bool, Bytes, raw values, enums). Not API: include
// dynamate/converter.hpp, which documents the stored formats.
#pragma once

#include <limits>
#include <string>
#include <type_traits>

#include "dynamate/converter.hpp"

namespace dynamate {

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

// Any value, stored as it is. A NULL value (the default) is left out, so a
// missing attribute and a NULL one read back the same.
template <>
struct Converter<AttributeValue> {
  static bool omit(const AttributeValue& v) { return v.is_null(); }
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
  static constexpr aws::ScalarAttributeType key_type =
      by_name ? aws::ScalarAttributeType::S : aws::ScalarAttributeType::N;

  static Result<AttributeValue> encode(E v) {
    if constexpr (by_name) {
      for (const auto& [value, name] : enum_names<E>.entries) {
        if (value == v) return AttributeValue(std::string(name));
      }
      return unexpected(ErrorCode::invalid_argument, "enum value " +
                                                         std::to_string(static_cast<long long>(v)) +
                                                         " has no name in dynamate::enum_names");
    } else if constexpr (std::is_signed_v<U>) {
      return AttributeValue::number(static_cast<std::int64_t>(v));
    } else {
      return AttributeValue::number(static_cast<std::uint64_t>(v));
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
      const Number* n = v.as_number();
      if (n == nullptr) return detail::type_mismatch("N", v);
      auto r = detail::parse_integer<U>(n->text);
      if (!r) return unexpected(std::move(r).error());
      out = static_cast<E>(*r);
      return {};
    }
  }
};

}  // namespace dynamate
