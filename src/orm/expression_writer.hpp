// src/orm/expression_writer.hpp: the rendering state behind ExpressionWriter
// (dynamate/expression.hpp), shared by expression_writer.cpp (paths,
// operands, conditions) and expression_update.cpp (updates, projections).
// Private.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "dynamate/expression.hpp"
#include "orm/expression_nodes.hpp"

namespace dynamate::detail {

inline Unexpected invalid(std::string message) {
  return unexpected(ErrorCode::invalid_argument, std::move(message));
}

inline void append_number(std::string& out, std::size_t k) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, k);
  out.append(buf, end);
}

// Where operands appear: what they may contain.
enum class Mode : std::uint8_t {
  condition,  // path, value, size(path)
  key,        // a top-level attribute or a value
  set_value,  // the value of a SET action: also + and - (once), functions
  set_inner,  // inside + - and the functions: path, value, functions
};

// One render into `out`; the writer's private state is reached from here.
// Errors are ErrorCode::invalid_argument.
struct WriterAccess {
  ExpressionWriter& w;
  std::string& out;

  // Appends the placeholder of a name (shared) / a value (new).
  void name(std::string_view attribute);
  void value(AttributeValue v);

  Result<void> path(const Path& p, Mode mode);
  Result<void> operand(const std::shared_ptr<const OperandNode>& node, Mode mode,
                       const Path* subject);
  Result<void> condition(const ConditionNode& n, Mode mode);
  Result<void> update(const Update& u);
  Result<void> projection(const Projection& p);

  // Runs one public call of the writer: on failure the writer gets back the
  // placeholders it had, and the error names the expression (`what`).
  template <class F>
  static Result<std::string> run(ExpressionWriter& w, std::string_view what, F&& render);
  static void rollback(ExpressionWriter& w, std::size_t mark_n, std::size_t mark_v);

 private:
  Result<void> check_key_node(const ConditionNode& n);
  Result<void> child(const ConditionNode& c, Mode mode, ConditionNode::Kind parent);
  Result<void> set_operand(const UpdateAction& a, bool add);
};

}  // namespace dynamate::detail
