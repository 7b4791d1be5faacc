// dynamate/detail/schema_fwd.hpp: forward declarations shared by converter.hpp
// and model.hpp (schema_of's primary template, the model codec entry points).
// Not API: include dynamate/model.hpp.
#pragma once

#include <type_traits>

#include "dynamate/attribute_value.hpp"
#include "dynamate/result.hpp"

namespace dynamate {
namespace detail {
// The type of schema_of<T> for a T without a schema.
template <class T>
struct NoSchema {};
}  // namespace detail

// The schema of T. Specialize as `inline constexpr auto schema_of<T> = schema<T>(...)`
// (see dynamate/model.hpp).
template <class T>
inline constexpr auto schema_of = detail::NoSchema<T>{};

// Whether T has a schema (a specialization of schema_of).
template <class T>
concept has_schema =
    !std::is_same_v<std::remove_cvref_t<decltype(schema_of<T>)>, detail::NoSchema<T>>;

namespace detail {
// Model <-> AttributeMap (defined in dynamate/detail/codec.hpp). SkipLarge
// leaves large attributes out (Table<T> writes those itself).
template <bool SkipLarge = false, class T>
Result<void> encode_model(const T& value, AttributeMap& out);
template <class T>
Result<void> decode_model(const AttributeMap& item, T& out);
}  // namespace detail
}  // namespace dynamate
