// dynamate/detail/codec.hpp: model <-> AttributeMap through the schema, and
// the key of a model. Not API: Table<T> and the expression builders use it.
#pragma once

#include <string>
#include <utility>

#include "dynamate/detail/schema_checks.hpp"
#include "dynamate/model.hpp"

namespace dynamate::detail {

inline Error attribute_error(Error e, std::string_view name) {
  e.with_context("attribute \"" + std::string(name) + "\"");
  return e;
}

template <class F, class M>
Result<void> encode_field(const F& f, const M& value, AttributeMap& out) {
  using C = typename F::converter;
  if (converter_omits<C>(value)) return {};
  auto a = C::encode(value);
  if (!a) return unexpected(attribute_error(std::move(a).error(), f.name));
  out.insert_or_assign(std::string(f.name), std::move(*a));
  return {};
}

// Large attributes (large.hpp) specialize this for their schema part.
template <class F>
inline constexpr bool is_large_field_v = false;

template <class T>
bool is_field_name(std::string_view name) {
  bool found = false;
  for_each_field(schema_of<T>, [&](const auto& f) { found = found || f.name == name; });
  return found;
}

// Writes the extra attributes first (those the schema does not name: a stale
// copy of a field there must not come back when the field is left out), then
// every field (but large ones with SkipLarge: Table<T> writes those itself).
template <bool SkipLarge, class T>
Result<void> encode_model(const T& value, AttributeMap& out) {
  static_assert(check_model_schema<T>());
  if constexpr (has_schema<T>) {  // else: reported above, no cascade of errors
    constexpr auto& s = schema_of<T>;
    if constexpr (constexpr auto extras = extras_member<T>(s); extras != nullptr) {
      for (const auto& [k, v] : value.*extras) {
        if (!is_field_name<T>(k)) out.insert_or_assign(k, v);
      }
    }
    Result<void> status;
    for_each_field(s, [&](const auto& f) {
      if constexpr (SkipLarge && is_large_field_v<std::remove_cvref_t<decltype(f)>>) return;
      if (!status) return;
      // Assign only on failure: an Error is four strings and a pointer.
      if (auto r = encode_field(f, value.*(f.member), out); !r) status = std::move(r);
    });
    return status;
  } else {
    return {};
  }
}

template <class F, class M>
Result<void> decode_field(const F& f, const AttributeMap& item, M& out) {
  using C = typename F::converter;
  auto it = item.find(f.name);
  if (it == item.end() || (it->second.is_null() && !is_optional<M>::value)) {
    if (f.options.required) {
      return unexpected(ErrorCode::schema_mismatch,
                        "required attribute \"" + std::string(f.name) + "\" is missing");
    }
    return {};
  }
  auto r = C::decode(it->second, out);
  if (!r) return unexpected(attribute_error(std::move(r).error(), f.name));
  return {};
}

template <class T>
Result<void> decode_model(const AttributeMap& item, T& out) {
  static_assert(check_model_schema<T>());
  if constexpr (has_schema<T>) {
    constexpr auto& s = schema_of<T>;
    Result<void> status;
    for_each_field(s, [&](const auto& f) {
      if (!status) return;
      if (auto r = decode_field(f, item, out.*(f.member)); !r) status = std::move(r);
    });
    if (!status) return status;
    if constexpr (constexpr auto extras = extras_member<T>(s); extras != nullptr) {
      AttributeMap& rest = out.*extras;
      rest.clear();
      for (const auto& [k, v] : item) {
        if (!is_field_name<T>(k)) rest.emplace_hint(rest.end(), k, v);
      }
    }
  }
  return {};
}

template <bool SkipLarge = false, class T>
Result<AttributeMap> encode_item(const T& value) {
  AttributeMap out;
  auto r = encode_model<SkipLarge>(value, out);
  if (!r) return unexpected(std::move(r).error());
  return out;
}

template <class T>
Result<T> decode_item(const AttributeMap& item) {
  T out{};
  auto r = decode_model(item, out);
  if (!r) return unexpected(std::move(r).error());
  return out;
}

// What key_field returns for a role the schema lacks (or a type without a
// schema): check_table_schema reports the mistake; this keeps the compiler
// from piling further errors on top of that message.
struct NoKeyField {
  struct NoMember {};
  using member_type = NoMember;
};

// The field of a table model with role R (hash_key, range_key, version, ttl).
template <class T, FieldRole R>
constexpr auto key_field() {
  if constexpr (!has_schema<T>) {
    return NoKeyField{};
  } else {
    constexpr auto& s = schema_of<T>;
    constexpr std::size_t index = [] {
      std::size_t i = 0, found = static_cast<std::size_t>(-1);
      std::apply(
          [&](const auto&... part) {
            (
                [&] {
                  using P = std::remove_cvref_t<decltype(part)>;
                  if constexpr (is_field<P>::value) {
                    if (P::role == R) found = i;
                  }
                  ++i;
                }(),
                ...);
          },
          schema_of<T>.parts);
      return found;
    }();
    if constexpr (index == static_cast<std::size_t>(-1)) {
      static_assert(R != FieldRole::ttl,
                    "dynamate: this operation needs a ttl(...) attribute in the schema");
      static_assert(R != FieldRole::version,
                    "dynamate: this operation needs a version(...) attribute in the schema");
      return NoKeyField{};
    } else {
      return std::get<index>(s.parts);
    }
  }
}

template <class T, FieldRole R>
constexpr bool has_role_v() {
  if constexpr (has_schema<T>) {
    return std::remove_cvref_t<decltype(schema_of<T>)>::template role_count<R> > 0;
  } else {
    return false;
  }
}
template <class T, FieldRole R>
inline constexpr bool has_role = has_role_v<T, R>();

template <class T>
using hash_member_t = typename decltype(key_field<T, FieldRole::hash_key>())::member_type;
template <class T>
using range_member_t = typename decltype(key_field<T, FieldRole::range_key>())::member_type;

// The primary key of `value`.
template <class T>
Result<AttributeMap> key_of(const T& value) {
  static_assert(check_table_schema<T>());
  AttributeMap key;
  constexpr auto h = key_field<T, FieldRole::hash_key>();
  auto r = encode_field(h, value.*(h.member), key);
  if (!r) return unexpected(std::move(r).error());
  if constexpr (has_role<T, FieldRole::range_key>) {
    constexpr auto rk = key_field<T, FieldRole::range_key>();
    r = encode_field(rk, value.*(rk.member), key);
    if (!r) return unexpected(std::move(r).error());
  }
  return key;
}

// A primary key from key values (converted to the key members' types).
template <class T>
Result<AttributeMap> make_key(const hash_member_t<T>& hash) {
  static_assert(check_table_schema<T>());
  static_assert(!has_role<T, FieldRole::range_key>,
                "dynamate: this table has a range key: pass both the hash and the range key");
  AttributeMap key;
  constexpr auto h = key_field<T, FieldRole::hash_key>();
  auto r = encode_field(h, hash, key);
  if (!r) return unexpected(std::move(r).error());
  return key;
}
template <class T>
Result<AttributeMap> make_key(const hash_member_t<T>& hash, const range_member_t<T>& range) {
  static_assert(check_table_schema<T>());
  AttributeMap key;
  constexpr auto h = key_field<T, FieldRole::hash_key>();
  constexpr auto rk = key_field<T, FieldRole::range_key>();
  auto r = encode_field(h, hash, key);
  if (r) r = encode_field(rk, range, key);
  if (!r) return unexpected(std::move(r).error());
  return key;
}

}  // namespace dynamate::detail
