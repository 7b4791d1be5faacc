// src/core/try.hpp: status-propagation macros for dynamate's own sources.
// Private: not installed, not API.
#pragma once

#include "dynamate/result.hpp"

// Internal convenience: evaluate `expr` (a Result); on error return it.
// Not part of the public API; used inside dynamate's own sources.
#define DYNAMATE_TRY(expr)                                               \
  do {                                                                   \
    auto&& dynamate_try_r_ = (expr);                                     \
    if (!dynamate_try_r_.has_value())                                    \
      return ::dynamate::unexpected(std::move(dynamate_try_r_).error()); \
  } while (0)

#define DYNAMATE_CONCAT_INNER_(a, b) a##b
#define DYNAMATE_CONCAT_(a, b) DYNAMATE_CONCAT_INNER_(a, b)
#define DYNAMATE_ASSIGN_OR_RETURN(lhs, expr) \
  DYNAMATE_ASSIGN_OR_RETURN_IMPL_(DYNAMATE_CONCAT_(dynamate_r_, __LINE__), lhs, expr)
#define DYNAMATE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)                        \
  auto tmp = (expr);                                                           \
  if (!tmp.has_value()) return ::dynamate::unexpected(std::move(tmp).error()); \
  lhs = std::move(*tmp)
