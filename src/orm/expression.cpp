// src/orm/expression.cpp: paths, operands, conditions and update actions of
// dynamate/expression.hpp. Rendering is in expression_writer.cpp.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dynamate/expression.hpp"
#include "orm/expression_nodes.hpp"

namespace dynamate {

namespace {

using detail::ConditionNode;
using detail::OperandNode;

std::shared_ptr<const OperandNode> path_node(OperandNode::Kind kind, Path path) {
  auto n = std::make_shared<OperandNode>();
  n->kind = kind;
  n->path = std::move(path);
  return n;
}

std::shared_ptr<const OperandNode> pair_node(OperandNode::Kind kind, Operand a, Operand b) {
  auto n = std::make_shared<OperandNode>();
  n->kind = kind;
  n->a = a.node();
  n->b = b.node();
  return n;
}

Condition make_condition(ConditionNode::Kind kind,
                         std::vector<std::shared_ptr<const OperandNode>> operands) {
  auto n = std::make_shared<ConditionNode>();
  n->kind = kind;
  n->operands = std::move(operands);
  return Condition(std::move(n));
}

// a AND b (or OR): flattens children of the same kind so that a chain built
// in a loop stays one level deep.
Condition combine(ConditionNode::Kind kind, const Condition& a, const Condition& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  auto n = std::make_shared<ConditionNode>();
  n->kind = kind;
  for (const Condition* side : {&a, &b}) {
    const auto& node = side->node();
    if (node->kind == kind) {
      n->children.insert(n->children.end(), node->children.begin(), node->children.end());
    } else {
      n->children.push_back(node);
    }
  }
  return Condition(std::move(n));
}

}  // namespace

// ---- Paths ----

std::string Path::to_string() const {
  std::string out;
  for (const Segment& s : segments_) {
    if (const auto* name = std::get_if<std::string>(&s)) {
      if (!out.empty()) out += '.';
      out += *name;
    } else {
      out += '[';
      out += std::to_string(std::get<std::size_t>(s));
      out += ']';
    }
  }
  return out;
}

Path Path::child(std::string key) const {
  Path p = *this;
  p.segments_.emplace_back(std::move(key));
  return p;
}

Path Path::element(std::size_t index) const {
  Path p = *this;
  p.segments_.emplace_back(index);
  return p;
}

Path Path::invalid(Error e) {
  Path p;
  p.error_ = std::make_shared<const Error>(std::move(e));
  return p;
}

namespace detail {

Path negative_index(const Path& parent, int index) {
  if (parent.error() != nullptr) return parent;
  return Path::invalid(
      Error(ErrorCode::invalid_argument,
            "negative list index " + std::to_string(index) + " in path " + parent.to_string()));
}

Path unmapped_member(std::string_view model, const Path& parent) {
  std::string message = "field(&" + std::string(model) + "::...): a member that schema_of<" +
                        std::string(model) + "> does not map";
  if (!parent.empty()) message += ", under path " + parent.to_string();
  return Path::invalid(Error(ErrorCode::invalid_argument, std::move(message)));
}

Result<AttributeValue> refuse_encode_impl() {
  return unexpected(ErrorCode::invalid_argument, "a value for a path that could not be built");
}

Operand value_operand(Result<AttributeValue> value) {
  auto n = std::make_shared<OperandNode>();
  n->kind = OperandNode::Kind::value;
  n->value = std::move(value);
  return Operand(std::shared_ptr<const OperandNode>(std::move(n)));
}

}  // namespace detail

// ---- Operands ----

Operand::Operand(Path path) : node_(path_node(detail::OperandNode::Kind::path, std::move(path))) {}

TypedPath<AttributeValue> attr(std::string name) {
  return TypedPath<AttributeValue>(Path(std::move(name)));
}

Operand size(const Path& path) { return Operand(path_node(OperandNode::Kind::size, path)); }

Operand operator+(Operand a, Operand b) {
  return Operand(pair_node(OperandNode::Kind::plus, std::move(a), std::move(b)));
}

Operand operator-(Operand a, Operand b) {
  return Operand(pair_node(OperandNode::Kind::minus, std::move(a), std::move(b)));
}

Operand if_not_exists(const Path& path, Operand fallback) {
  auto n = std::make_shared<OperandNode>();
  n->kind = OperandNode::Kind::if_not_exists;
  n->path = path;
  n->a = fallback.node();
  return Operand(std::shared_ptr<const OperandNode>(std::move(n)));
}

Operand list_append(Operand a, Operand b) {
  return Operand(pair_node(OperandNode::Kind::list_append, std::move(a), std::move(b)));
}

// ---- Conditions ----

Condition operator&&(const Condition& a, const Condition& b) {
  return combine(ConditionNode::Kind::and_, a, b);
}

Condition operator||(const Condition& a, const Condition& b) {
  return combine(ConditionNode::Kind::or_, a, b);
}

Condition operator!(const Condition& a) {
  if (a.empty()) return a;
  auto n = std::make_shared<ConditionNode>();
  n->kind = ConditionNode::Kind::not_;
  n->children.push_back(a.node());
  return Condition(std::move(n));
}

Condition compare(Operand lhs, Comparator op, Operand rhs) {
  auto n = std::make_shared<ConditionNode>();
  n->kind = ConditionNode::Kind::compare;
  n->op = op;
  n->operands = {lhs.node(), rhs.node()};
  return Condition(std::move(n));
}

Condition between(Operand subject, Operand low, Operand high) {
  return make_condition(ConditionNode::Kind::between, {subject.node(), low.node(), high.node()});
}

Condition in(Operand subject, std::vector<Operand> candidates) {
  auto n = std::make_shared<ConditionNode>();
  n->kind = ConditionNode::Kind::in;
  n->operands.reserve(candidates.size() + 1);
  n->operands.push_back(subject.node());
  for (Operand& c : candidates) n->operands.push_back(c.node());
  if (candidates.empty() || candidates.size() > 100) {
    std::string message =
        "in() needs 1 to 100 candidates, got " + std::to_string(candidates.size());
    if (subject.node() != nullptr && subject.node()->kind == OperandNode::Kind::path) {
      message = "path " + subject.node()->path.to_string() + ": " + message;
    }
    n->error = std::make_shared<const Error>(ErrorCode::invalid_argument, std::move(message));
  }
  return Condition(std::move(n));
}

Condition exists(const Path& path) {
  return make_condition(ConditionNode::Kind::exists, {Operand(path).node()});
}

Condition not_exists(const Path& path) {
  return make_condition(ConditionNode::Kind::not_exists, {Operand(path).node()});
}

Condition begins_with(const Path& path, Operand prefix) {
  return make_condition(ConditionNode::Kind::begins_with, {Operand(path).node(), prefix.node()});
}

Condition contains(const Path& path, Operand operand) {
  return make_condition(ConditionNode::Kind::contains, {Operand(path).node(), operand.node()});
}

Condition type_is(const Path& path, AttributeValue::Type type) {
  auto n = std::make_shared<ConditionNode>();
  n->kind = ConditionNode::Kind::type_is;
  n->type = type;
  n->operands = {Operand(path).node()};
  return Condition(std::move(n));
}

// ---- Updates ----

UpdateAction set(const Path& path, Operand operand) {
  return UpdateAction(UpdateAction::Kind::set, path, operand.node());
}

UpdateAction remove(const Path& path) { return UpdateAction(UpdateAction::Kind::remove, path, {}); }

UpdateAction add(const Path& path, Operand operand) {
  return UpdateAction(UpdateAction::Kind::add, path, operand.node());
}

UpdateAction delete_from(const Path& path, Operand operand) {
  return UpdateAction(UpdateAction::Kind::del, path, operand.node());
}

}  // namespace dynamate
