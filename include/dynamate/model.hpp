// dynamate/model.hpp: declaring a model. A model is a plain struct; its schema
// names the struct's members by member pointer, once:
//
//   struct Page {
//     std::string url;
//     std::optional<std::string> title;
//     std::int64_t visits = 0;   // member initializers are the defaults
//     std::int64_t version = 0;
//   };
//   template <>
//   inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
//       "pages",
//       dynamate::hash_key("url", &Page::url),
//       dynamate::attribute("title", &Page::title),
//       dynamate::attribute("visits", &Page::visits),
//       dynamate::version("version", &Page::version));
//
// Parts of a schema:
//   hash_key / range_key      the table's key (scalar types: string, number, Bytes)
//   attribute                 any type with a Converter (converter.hpp)
//   attribute<Conv>           the same with a converter of your choice (it
//                             also serves a std::optional of its type)
//   version                   integer for optimistic locking (Table<T> checks it)
//   ttl                       expiry time, stored as epoch seconds
//   extra_attributes          an AttributeMap member that keeps attributes of an
//                             item that the schema does not name
//   global_index/local_index  secondary indexes, keyed by members (a
//                             std::optional member makes a sparse index:
//                             items without the attribute are not in it)
//   table_options             billing mode, capacity and stream for create_table
//
// The schema must be `constexpr` so that mistakes are compile errors: no hash
// key, two hash keys, duplicate attribute names, a member type without a
// Converter, a non-integer version. Nested structs that are stored as maps
// have a schema too, without a table name or keys.
//
// Reading an item starts from a value-initialized model (so member
// initializers are the defaults) and sets each attribute present in the item.
// An attribute marked {.required = true} that is missing is an error
// (ErrorCode::schema_mismatch); std::optional members are left empty.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "dynamate/attribute_value.hpp"
#include "dynamate/aws/dynamodb_types.hpp"
#include "dynamate/converter.hpp"
#include "dynamate/datetime.hpp"
#include "dynamate/decimal.hpp"
#include "dynamate/detail/schema_fwd.hpp"
#include "dynamate/json_document.hpp"

namespace dynamate {

enum class FieldRole : std::uint8_t { attribute, hash_key, range_key, version, ttl };

struct FieldOptions {
  // Reading an item without this attribute fails with schema_mismatch instead
  // of leaving the member's default.
  bool required = false;
};

// One mapped member. `Conv` encodes and decodes it (converter.hpp).
template <class T, class M, class Conv, FieldRole Role>
struct Field {
  using model_type = T;
  using member_type = M;
  using converter = Conv;
  static constexpr FieldRole role = Role;

  std::string_view name;
  M T::*member;
  FieldOptions options{};
};

// The member that keeps attributes the schema does not name.
template <class T>
struct ExtraAttributes {
  AttributeMap T::*member;
};

// Which attributes an index projects. include(...) lists non-key attributes
// by their attribute names.
template <std::size_t N>
struct IndexProjection {
  aws::ProjectionType type = aws::ProjectionType::all;
  std::array<std::string_view, N> include{};
};
namespace projection {
constexpr IndexProjection<0> all() { return {aws::ProjectionType::all, {}}; }
constexpr IndexProjection<0> keys_only() { return {aws::ProjectionType::keys_only, {}}; }
template <class... S>
constexpr IndexProjection<sizeof...(S)> include(S... names) {
  return {aws::ProjectionType::include, {std::string_view(names)...}};
}
}  // namespace projection

// A secondary index. HashM / RangeM are member pointer types (RangeM is
// std::nullptr_t for an index without a range key).
template <class T, bool Global, class HashM, class RangeM, std::size_t N>
struct Index {
  static constexpr bool global = Global;
  std::string_view name;
  HashM hash;
  RangeM range;
  IndexProjection<N> projection;
  std::int64_t read_capacity = 0;  // PROVISIONED tables only (global indexes)
  std::int64_t write_capacity = 0;
};

// Defaults for Table<T>::create_table; CreateTableOptions can override them.
struct TableOptions {
  aws::BillingMode billing_mode = aws::BillingMode::pay_per_request;
  std::int64_t read_capacity = 0;  // PROVISIONED only
  std::int64_t write_capacity = 0;
  std::optional<aws::StreamViewType> stream{};  // set: stream enabled with that view
};

namespace detail {

template <class P>
struct is_field : std::false_type {};
template <class T, class M, class C, FieldRole R>
struct is_field<Field<T, M, C, R>> : std::true_type {};
template <class P>
struct is_extras : std::false_type {};
template <class T>
struct is_extras<ExtraAttributes<T>> : std::true_type {};
template <class P>
struct is_index : std::false_type {};
template <class T, bool G, class H, class R, std::size_t N>
struct is_index<Index<T, G, H, R, N>> : std::true_type {};

template <class T>
struct member_pointer_traits;
template <class C, class M>
struct member_pointer_traits<M C::*> {
  using class_type = C;
  using member_type = M;
};

}  // namespace detail

// A model's whole schema: a tuple of parts plus the default table name.
template <class T, class... Parts>
struct Schema {
  using model_type = T;
  std::string_view table_name;
  std::tuple<Parts...> parts;

  static constexpr std::size_t field_count =
      (std::size_t{0} + ... + (detail::is_field<Parts>::value ? 1 : 0));
  template <FieldRole R>
  static constexpr std::size_t role_count = (std::size_t{0} + ... + [] {
    if constexpr (detail::is_field<Parts>::value) {
      return Parts::role == R ? std::size_t{1} : std::size_t{0};
    } else {
      return std::size_t{0};
    }
  }());
  static constexpr std::size_t extras_count =
      (std::size_t{0} + ... + (detail::is_extras<Parts>::value ? 1 : 0));
};

namespace detail {
template <class P>
inline constexpr bool is_schema_part_v = is_field<P>::value || is_extras<P>::value ||
                                         is_index<P>::value || std::is_same_v<P, TableOptions>;
}  // namespace detail

// schema<T>("table", parts...) or, for a nested struct, schema<T>(parts...).
template <class T, class... Parts>
constexpr Schema<T, Parts...> schema(std::string_view table_name, Parts... parts) {
  static_assert((detail::is_schema_part_v<Parts> && ...),
                "dynamate: every argument of schema<T>(name, ...) after the table name must be "
                "a schema part: hash_key, range_key, attribute, version, ttl, extra_attributes, "
                "global_index, local_index or table_options");
  return {table_name, {parts...}};
}
template <class T, class First, class... Parts>
requires(detail::is_schema_part_v<First>) constexpr Schema<T, First, Parts...> schema(
    First first, Parts... parts) {
  static_assert((detail::is_schema_part_v<Parts> && ...),
                "dynamate: every argument of schema<T>(...) must be a schema part");
  return {std::string_view{}, {first, parts...}};
}

namespace detail {
template <class M, class Conv>
constexpr void check_field() {
  static_assert(has_converter<M, Conv>,
                "dynamate: this member type has no Converter. Use a supported type (string, "
                "integers, floating point, bool, Bytes, Decimal, time points, enums, "
                "std::optional, std::vector, std::map<std::string, V>, std::set, nested "
                "structs with a schema) or specialize dynamate::Converter<T> "
                "(see dynamate/converter.hpp)");
}

// The converter of a field: Converter<M> by default; a converter named in the
// schema (Conv) converts M itself or, for std::optional<U>, U.
template <class M, class Conv>
struct field_converter {
  using type = Conv;
};
template <class M>
struct field_converter<M, void> {
  using type = Converter<M>;
};
template <class U, class Conv>
requires(!std::is_void_v<Conv> && !has_converter<std::optional<U>, Conv> &&
         has_converter<U, Conv>) struct field_converter<std::optional<U>, Conv> {
  using type = OptionalWith<Conv>;
};
template <class M, class Conv>
using field_converter_t = typename field_converter<M, Conv>::type;
}  // namespace detail

template <class Conv = void, class T, class M>
constexpr auto attribute(std::string_view name, M T::*member, FieldOptions options = {}) {
  using C = detail::field_converter_t<M, Conv>;
  detail::check_field<M, C>();
  return Field<T, M, C, FieldRole::attribute>{name, member, options};
}

template <class Conv = void, class T, class M>
constexpr auto hash_key(std::string_view name, M T::*member) {
  using C = detail::field_converter_t<M, Conv>;
  detail::check_field<M, C>();
  static_assert(has_key_type<C>,
                "dynamate: a key attribute must be a string, a number or Bytes (its Converter "
                "needs a `key_type`); std::optional, containers and bool cannot be keys");
  return Field<T, M, C, FieldRole::hash_key>{name, member, {.required = true}};
}

template <class Conv = void, class T, class M>
constexpr auto range_key(std::string_view name, M T::*member) {
  using C = detail::field_converter_t<M, Conv>;
  detail::check_field<M, C>();
  static_assert(has_key_type<C>,
                "dynamate: a key attribute must be a string, a number or Bytes (its Converter "
                "needs a `key_type`); std::optional, containers and bool cannot be keys");
  return Field<T, M, C, FieldRole::range_key>{name, member, {.required = true}};
}

// Optimistic locking: an integer (or std::optional integer) that Table<T>
// sets to 1 on the first save and increments on every write, each write
// conditioned on the value it read.
template <class T, class M>
constexpr auto version(std::string_view name, M T::*member) {
  static_assert(detail::is_version_type<M>,
                "dynamate: a version attribute must be an integer type (or std::optional of "
                "one), not bool");
  return Field<T, M, Converter<M>, FieldRole::version>{name, member, {}};
}

// DynamoDB time-to-live: stored as epoch seconds (a number).
template <class T, class M>
constexpr auto ttl(std::string_view name, M T::*member) {
  using C = EpochSecondsConverter<M>;
  static_assert(has_converter<M, C>,
                "dynamate: a ttl attribute must be a std::chrono::sys_time (or std::optional "
                "of one) or an integer number of epoch seconds");
  return Field<T, M, C, FieldRole::ttl>{name, member, {}};
}

template <class T>
constexpr ExtraAttributes<T> extra_attributes(AttributeMap T::*member) {
  return {member};
}

template <class HashM, class RangeM = std::nullptr_t, std::size_t N = 0>
constexpr auto global_index(std::string_view name, HashM hash, RangeM range = nullptr,
                            IndexProjection<N> proj = projection::all(),
                            std::int64_t read_capacity = 0, std::int64_t write_capacity = 0) {
  static_assert(std::is_member_object_pointer_v<HashM>,
                "dynamate: global_index(name, &T::hash_member, [&T::range_member], projection)");
  using T = typename detail::member_pointer_traits<HashM>::class_type;
  return Index<T, true, HashM, RangeM, N>{name, hash, range, proj, read_capacity, write_capacity};
}

template <class RangeM, std::size_t N = 0>
constexpr auto local_index(std::string_view name, RangeM range,
                           IndexProjection<N> proj = projection::all()) {
  static_assert(std::is_member_object_pointer_v<RangeM>,
                "dynamate: local_index(name, &T::range_member, projection): a local index shares "
                "the table's hash key");
  using T = typename detail::member_pointer_traits<RangeM>::class_type;
  return Index<T, false, std::nullptr_t, RangeM, N>{name, nullptr, range, proj, 0, 0};
}

constexpr TableOptions table_options(TableOptions o) { return o; }

}  // namespace dynamate

#include "dynamate/detail/schema_checks.hpp"
