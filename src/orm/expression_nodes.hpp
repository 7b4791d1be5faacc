// src/orm/expression_nodes.hpp: the immutable trees behind Operand and
// Condition (dynamate/expression.hpp), shared by the builders
// (expression.cpp) and the writer (expression_writer.cpp). Private.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "dynamate/expression.hpp"

namespace dynamate::detail {

struct OperandNode {
  enum class Kind : std::uint8_t { path, value, size, plus, minus, if_not_exists, list_append };

  Kind kind = Kind::path;
  Path path{};                                  // path, size, if_not_exists
  Result<AttributeValue> value{};               // value: the encoded value or why it could not be
  std::shared_ptr<const OperandNode> a{}, b{};  // plus, minus, list_append: a, b;
                                                // if_not_exists: a (the fallback)
};

struct ConditionNode {
  enum class Kind : std::uint8_t {
    compare,      // operands: lhs, rhs
    between,      // operands: subject, low, high
    in,           // operands: subject, candidates...
    exists,       // operands: path
    not_exists,   // operands: path
    begins_with,  // operands: path, prefix
    contains,     // operands: path, operand
    type_is,      // operands: path
    and_,         // children (two or more, none an and_)
    or_,          // children (two or more, none an or_)
    not_,         // children: one
  };

  Kind kind = Kind::compare;
  Comparator op = Comparator::eq;                            // compare
  AttributeValue::Type type = AttributeValue::Type::S;       // type_is
  std::vector<std::shared_ptr<const OperandNode>> operands;  // see Kind
  std::vector<std::shared_ptr<const ConditionNode>> children;
  std::shared_ptr<const Error> error;  // set when the condition could not be built
};

}  // namespace dynamate::detail
