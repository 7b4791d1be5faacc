// dynamate/result.hpp: Result<T>, a value or an Error, spelled like
// std::expected<T, Error> (has_value, value, error, operator*, operator->).
//
// value() on an error throws dynamate::Exception, for callers who prefer
// exceptions; everything else is noexcept-friendly. Result<void> carries only
// success or an Error.
#pragma once

#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

#include "dynamate/error.hpp"

namespace dynamate {

class Exception : public std::runtime_error {
 public:
  explicit Exception(Error error);
  const Error& error() const noexcept { return error_; }
  ErrorCode code() const noexcept { return error_.code; }

 private:
  Error error_;
};

// Tag to construct a failed Result: `return unexpected(Error{...});`.
struct Unexpected {
  Error error;
};
inline Unexpected unexpected(Error e) { return Unexpected{std::move(e)}; }
inline Unexpected unexpected(ErrorCode c, std::string msg) {
  return Unexpected{Error(c, std::move(msg))};
}

template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_reference_v<T>, "Result<T&> is not supported; use a pointer");
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>, "Result<Error> is ambiguous");

 public:
  using value_type = T;

  Result() requires std::is_default_constructible_v<T> : v_(std::in_place_index<0>) {}
  Result(const T& v) : v_(std::in_place_index<0>, v) {}        // NOLINT(implicit)
  Result(T&& v) : v_(std::in_place_index<0>, std::move(v)) {}  // NOLINT(implicit)
  template <class U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
           !std::is_same_v<std::decay_t<U>, Result> &&
           !std::is_same_v<std::decay_t<U>, Unexpected> && !std::is_same_v<std::decay_t<U>, Error>)
      Result(U&& v)
      : v_(std::in_place_index<0>, std::forward<U>(v)) {}                   // NOLINT
  Result(Unexpected u) : v_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT
  Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}             // NOLINT

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & {
    throw_if_error();
    return std::get<0>(v_);
  }
  const T& value() const& {
    throw_if_error();
    return std::get<0>(v_);
  }
  T&& value() && {
    throw_if_error();
    return std::move(std::get<0>(v_));
  }
  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

  T& operator*() & noexcept { return std::get<0>(v_); }
  const T& operator*() const& noexcept { return std::get<0>(v_); }
  T&& operator*() && noexcept { return std::move(std::get<0>(v_)); }
  T* operator->() noexcept { return &std::get<0>(v_); }
  const T* operator->() const noexcept { return &std::get<0>(v_); }

  const Error& error() const& noexcept { return std::get<1>(v_); }
  Error& error() & noexcept { return std::get<1>(v_); }
  Error&& error() && noexcept { return std::move(std::get<1>(v_)); }

 private:
  void throw_if_error() const {
    if (!has_value()) throw Exception(std::get<1>(v_));
  }
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;
  Result() noexcept = default;
  Result(Unexpected u) : error_(std::move(u.error)) {}  // NOLINT
  Result(Error e) : error_(std::move(e)) {}             // NOLINT

  bool has_value() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  void value() const {
    if (error_) throw Exception(*error_);
  }
  // Meaningful only when !has_value(); a success yields a default Error.
  const Error& error() const& noexcept { return error_ ? *error_ : placeholder(); }
  Error& error() & noexcept { return error_ ? *error_ : placeholder(); }
  Error&& error() && noexcept { return std::move(error_ ? *error_ : placeholder()); }

 private:
  static Error& placeholder() noexcept {
    thread_local Error none;
    none = Error();
    return none;
  }
  // Disengaged on success: a successful Result<void> costs a flag, not an
  // Error's four strings.
  std::optional<Error> error_;
};

}  // namespace dynamate
