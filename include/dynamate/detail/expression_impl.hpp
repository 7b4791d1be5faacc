// dynamate/detail/expression_impl.hpp: template bodies of dynamate/expression.hpp
// (field(&T::m) and the typed conditions of TypedPath<V>). Not API: include
// dynamate/expression.hpp.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "dynamate/detail/codec.hpp"  // encode_model, for nested models
#include "dynamate/expression.hpp"

namespace dynamate {
namespace detail {

// The readable name of T ("Page", "ns::Inner") for messages.
template <class T>
constexpr std::string_view type_name() {
#if defined(__clang__) || defined(__GNUC__)
  constexpr std::string_view f = __PRETTY_FUNCTION__;
  constexpr std::size_t start = f.find("T = ");
  if constexpr (start != std::string_view::npos) {
    constexpr std::string_view rest = f.substr(start + 4);
    constexpr std::size_t end = rest.find_first_of(";]");
    return rest.substr(0, end);
  } else {
    return "the model";
  }
#else
  return "the model";
#endif
}

// Encodes an M with the field's converter C (converters may take M by value).
template <class C, class M>
Result<AttributeValue> encode_with(const M& v) {
  return C::encode(v);
}

// The encoder of a path that could not be built.
Result<AttributeValue> refuse_encode_impl();
template <class M>
Result<AttributeValue> refuse_encode(const M&) {
  return refuse_encode_impl();
}

// The invalid path of a member that schema_of<model> does not map; `parent`
// is the path of the nested model, empty at the top.
Path unmapped_member(std::string_view model, const Path& parent);

}  // namespace detail

template <class T, class M>
TypedPath<M> field(M T::*member) {
  static_assert(has_schema<T>,
                "dynamate: field(&T::member) needs a T with a schema (schema_of<T>, see "
                "dynamate/model.hpp)");
  if constexpr (has_schema<T>) {
    std::string_view name;
    detail::EncodeFn<M> encode = nullptr;
    detail::OmitFn<M> omit = nullptr;
    detail::for_each_field(schema_of<T>, [&](const auto& f) {
      using F = std::remove_cvref_t<decltype(f)>;
      if constexpr (std::is_same_v<typename F::member_type, M> &&
                    std::is_same_v<typename F::model_type, T>) {
        if (encode == nullptr && f.member == member) {
          name = f.name;
          encode = &detail::encode_with<typename F::converter, M>;
          omit = &detail::omit_with<typename F::converter, M>;
        }
      }
    });
    if (encode == nullptr) {
      return TypedPath<M>(detail::unmapped_member(detail::type_name<T>(), Path()),
                          &detail::refuse_encode<M>);
    }
    return TypedPath<M>(Path(std::string(name)), encode, omit);
  } else {
    return TypedPath<M>(Path(), &detail::refuse_encode<M>);
  }
}

template <class V>
template <class C, class M>
TypedPath<M> TypedPath<V>::field(M C::*member) const {
  static_assert(std::is_same_v<C, detail::unwrap_optional_t<V>>,
                "dynamate: path.field(&Inner::member) needs a member of the nested model found "
                "at that path");
  TypedPath<M> top = ::dynamate::field(member);
  if (error() != nullptr) return TypedPath<M>(*this, top.encoder());  // keeps this error
  if (top.error() != nullptr) {
    return TypedPath<M>(detail::unmapped_member(detail::type_name<C>(), *this), top.encoder());
  }
  return TypedPath<M>(child(std::get<std::string>(top.segments().front())), top.encoder(),
                      top.omitter());
}

template <class V>
Condition TypedPath<V>::exists() const {
  return ::dynamate::exists(*this);
}

template <class V>
Condition TypedPath<V>::not_exists() const {
  return ::dynamate::not_exists(*this);
}

template <class V>
Condition TypedPath<V>::begins_with(std::string prefix) const {
  return ::dynamate::begins_with(*this, detail::value_operand(AttributeValue(std::move(prefix))));
}

template <class V>
Condition TypedPath<V>::type_is(AttributeValue::Type type) const {
  return ::dynamate::type_is(*this, type);
}

template <class V>
template <class E>
Condition TypedPath<V>::contains(const E& element) const {
  using Elem = detail::contains_element_t<V>;
  if constexpr (std::is_void_v<Elem>) {
    static_assert(!std::is_void_v<Elem>,
                  "dynamate: contains() needs a string, std::set or std::vector member");
    return {};
  } else if constexpr (!detail::accepts_value_v<Elem, E>) {
    static_assert(detail::accepts_value_v<Elem, E>,
                  "dynamate: contains() takes a substring of a string member, or an element of "
                  "the set's or list's element type");
    return {};
  } else {
    return ::dynamate::contains(*this, detail::value_operand(detail::encode_value<Elem>(
                                           &detail::default_encode<Elem>, element)));
  }
}

template <class V>
template <class A, class B>
Condition TypedPath<V>::between(const A& low, const B& high) const {
  static_assert(detail::accepts_value_v<V, A> && detail::accepts_value_v<V, B>,
                "dynamate: between() needs values of the member's type");
  return ::dynamate::between(Operand(*this),
                             detail::value_operand(detail::encode_value<V>(encode_, low)),
                             detail::value_operand(detail::encode_value<V>(encode_, high)));
}

template <class V>
template <class E>
Condition TypedPath<V>::in(std::initializer_list<E> values) const {
  static_assert(detail::accepts_value_v<V, E>, "dynamate: in() needs values of the member's type");
  std::vector<Operand> candidates;
  candidates.reserve(values.size());
  for (const E& v : values) {
    candidates.push_back(detail::value_operand(detail::encode_value<V>(encode_, v)));
  }
  return ::dynamate::in(Operand(*this), std::move(candidates));
}

template <class V>
template <class E>
Condition TypedPath<V>::in(const std::vector<E>& values) const {
  static_assert(detail::accepts_value_v<V, E>, "dynamate: in() needs values of the member's type");
  std::vector<Operand> candidates;
  candidates.reserve(values.size());
  for (const E& v : values) {
    candidates.push_back(detail::value_operand(detail::encode_value<V>(encode_, v)));
  }
  return ::dynamate::in(Operand(*this), std::move(candidates));
}

}  // namespace dynamate
