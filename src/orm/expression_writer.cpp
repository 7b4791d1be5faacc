// src/orm/expression_writer.cpp: ExpressionWriter, rendering the expression
// trees of dynamate/expression.hpp to DynamoDB text with placeholders: names,
// values, paths, operands and conditions. Updates and projections are in
// expression_update.cpp.
#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "orm/expression_writer.hpp"

namespace dynamate {
namespace detail {
namespace {

// DynamoDB's limit on the length of any expression string.
constexpr std::size_t kMaxExpressionBytes = 4096;

constexpr std::array<std::string_view, 10> kTypeNames = {"S",  "N", "B", "SS",   "NS",
                                                         "BS", "M", "L", "NULL", "BOOL"};

std::string placeholder(std::string_view prefix, std::size_t k) {
  std::string s(prefix);
  append_number(s, k);
  return s;
}

bool is_function(ConditionNode::Kind k) {
  using K = ConditionNode::Kind;
  return k == K::exists || k == K::not_exists || k == K::begins_with || k == K::contains ||
         k == K::type_is;
}

// The path an error message should name: the first path among the operands.
const Path* subject_of(const std::vector<std::shared_ptr<const OperandNode>>& operands) {
  for (const auto& o : operands) {
    if (o == nullptr) continue;
    if (o->kind == OperandNode::Kind::path || o->kind == OperandNode::Kind::size) return &o->path;
  }
  return nullptr;
}

// Whether two operands name the same attribute (a path, or size() of one):
// DynamoDB requires the first operand of a comparison, BETWEEN or IN to be
// distinct from the others.
bool same_operand(const std::shared_ptr<const OperandNode>& a,
                  const std::shared_ptr<const OperandNode>& b) {
  using K = OperandNode::Kind;
  if (a == nullptr || b == nullptr || a->kind != b->kind) return false;
  return (a->kind == K::path || a->kind == K::size) && a->path == b->path;
}

Result<void> check_distinct(const ConditionNode& n) {
  for (std::size_t i = 1; i < n.operands.size(); ++i) {
    if (same_operand(n.operands[0], n.operands[i])) {
      return invalid("path " + n.operands[0]->path.to_string() +
                     " is compared with itself (DynamoDB requires distinct operands)");
    }
  }
  return {};
}

}  // namespace

void WriterAccess::name(std::string_view attribute) {
  auto it = w.name_index_.find(attribute);
  std::size_t k = 0;
  if (it != w.name_index_.end()) {
    k = it->second;
  } else {
    k = w.next_name_++;
    w.name_index_.emplace(std::string(attribute), k);
    w.names_.emplace(placeholder("#n", k), std::string(attribute));
  }
  out += "#n";
  append_number(out, k);
}

void WriterAccess::value(AttributeValue v) {
  std::string key = placeholder(":v", w.next_value_++);
  out += key;
  w.values_.emplace(std::move(key), std::move(v));
}

Result<void> WriterAccess::path(const Path& p, Mode mode) {
  if (p.error() != nullptr) return unexpected(*p.error());
  const auto& segs = p.segments();
  if (segs.empty()) return invalid("an empty document path");
  if (!std::holds_alternative<std::string>(segs.front())) {
    return invalid("path " + p.to_string() + " starts with a list index");
  }
  if (mode == Mode::key && segs.size() != 1) {
    return invalid("path " + p.to_string() + ": a key condition names top-level attributes");
  }
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (const auto* s = std::get_if<std::string>(&segs[i])) {
      if (s->empty()) return invalid("path " + p.to_string() + " has an empty attribute name");
      if (i > 0) out += '.';
      name(*s);
    } else {
      out += '[';
      append_number(out, std::get<std::size_t>(segs[i]));
      out += ']';
    }
  }
  return {};
}

Result<void> WriterAccess::operand(const std::shared_ptr<const OperandNode>& node, Mode mode,
                                   const Path* subject) {
  if (node == nullptr) return invalid("a missing operand");
  const OperandNode& n = *node;
  using K = OperandNode::Kind;
  switch (n.kind) {
    case K::path:
      return path(n.path, mode);
    case K::value:
      if (!n.value) {
        Error e = n.value.error();
        e.code = ErrorCode::invalid_argument;
        e.with_context(subject != nullptr ? "value for path " + subject->to_string() : "value");
        return unexpected(std::move(e));
      }
      value(*n.value);
      return {};
    case K::size:
      if (mode != Mode::condition) return invalid("size() is allowed in conditions only");
      out += "size(";
      if (auto r = path(n.path, mode); !r) return r;
      out += ')';
      return {};
    case K::plus:
    case K::minus:
      if (mode != Mode::set_value) {
        return invalid("+ and - are allowed once, as the value of a SET action");
      }
      if (auto r = operand(n.a, Mode::set_inner, subject); !r) return r;
      out += n.kind == K::plus ? " + " : " - ";
      return operand(n.b, Mode::set_inner, subject);
    case K::if_not_exists:
      if (mode != Mode::set_value && mode != Mode::set_inner) {
        return invalid("if_not_exists() is allowed in SET actions only");
      }
      out += "if_not_exists(";
      if (auto r = path(n.path, mode); !r) return r;
      out += ", ";
      if (auto r = operand(n.a, Mode::set_inner, subject); !r) return r;
      out += ')';
      return {};
    case K::list_append:
      if (mode != Mode::set_value && mode != Mode::set_inner) {
        return invalid("list_append() is allowed in SET actions only");
      }
      out += "list_append(";
      if (auto r = operand(n.a, Mode::set_inner, subject); !r) return r;
      out += ", ";
      if (auto r = operand(n.b, Mode::set_inner, subject); !r) return r;
      out += ')';
      return {};
  }
  return invalid("an unknown operand");
}

Result<void> WriterAccess::check_key_node(const ConditionNode& n) {
  using K = ConditionNode::Kind;
  switch (n.kind) {
    case K::and_:
      if (n.children.size() > 2) {
        return invalid(
            "a key condition has at most two parts: the hash key = a value, AND a "
            "condition on the range key");
      }
      return {};
    case K::compare:
      if (n.op == Comparator::ne) return invalid("a key condition cannot use <>");
      return {};
    case K::between:
    case K::begins_with:
      return {};
    default:
      return invalid(
          "a key condition allows only = < <= > >= BETWEEN and begins_with, joined by AND");
  }
}

Result<void> WriterAccess::condition(const ConditionNode& n, Mode mode) {
  if (n.error != nullptr) return unexpected(*n.error);
  if (mode == Mode::key) {
    if (auto r = check_key_node(n); !r) return r;
  }
  using K = ConditionNode::Kind;
  if (n.kind == K::compare || n.kind == K::between || n.kind == K::in) {
    if (auto r = check_distinct(n); !r) return r;
  }
  const Path* subject = subject_of(n.operands);
  auto arity = [&](std::size_t k) -> Result<void> {
    if (n.operands.size() != k) return invalid("a malformed condition");
    return {};
  };
  switch (n.kind) {
    case K::compare: {
      static constexpr std::array<std::string_view, 6> kOps = {" = ",  " <> ", " < ",
                                                               " <= ", " > ",  " >= "};
      const auto op = static_cast<std::size_t>(n.op);
      if (op >= kOps.size()) return invalid("an unknown comparator");
      if (auto r = arity(2); !r) return r;
      if (auto r = operand(n.operands[0], mode, subject); !r) return r;
      out += kOps[op];
      return operand(n.operands[1], mode, subject);
    }
    case K::between:
      if (auto r = arity(3); !r) return r;
      if (auto r = operand(n.operands[0], mode, subject); !r) return r;
      out += " BETWEEN ";
      if (auto r = operand(n.operands[1], mode, subject); !r) return r;
      out += " AND ";
      return operand(n.operands[2], mode, subject);
    case K::in:
      if (n.operands.size() < 2) return invalid("in() needs 1 to 100 candidates");
      if (auto r = operand(n.operands[0], mode, subject); !r) return r;
      out += " IN (";
      for (std::size_t i = 1; i < n.operands.size(); ++i) {
        if (i > 1) out += ", ";
        if (auto r = operand(n.operands[i], mode, subject); !r) return r;
      }
      out += ')';
      return {};
    case K::exists:
    case K::not_exists:
      if (auto r = arity(1); !r) return r;
      out += n.kind == K::exists ? "attribute_exists(" : "attribute_not_exists(";
      if (auto r = operand(n.operands[0], mode, subject); !r) return r;
      out += ')';
      return {};
    case K::begins_with:
    case K::contains:
      if (auto r = arity(2); !r) return r;
      out += n.kind == K::begins_with ? "begins_with(" : "contains(";
      if (auto r = operand(n.operands[0], mode, subject); !r) return r;
      out += ", ";
      if (auto r = operand(n.operands[1], mode, subject); !r) return r;
      out += ')';
      return {};
    case K::type_is: {
      const auto t = static_cast<std::size_t>(n.type);
      if (t >= kTypeNames.size()) return invalid("attribute_type() with an unknown type");
      if (auto r = arity(1); !r) return r;
      out += "attribute_type(";
      if (auto r = operand(n.operands[0], mode, subject); !r) return r;
      out += ", ";
      value(AttributeValue(std::string(kTypeNames[t])));
      out += ')';
      return {};
    }
    case K::and_:
    case K::or_:
      for (std::size_t i = 0; i < n.children.size(); ++i) {
        if (i > 0) out += n.kind == K::and_ ? " AND " : " OR ";
        if (auto r = child(*n.children[i], mode, n.kind); !r) return r;
      }
      return {};
    case K::not_:
      if (n.children.size() != 1) return invalid("a malformed NOT");
      out += "NOT ";
      return child(*n.children[0], mode, n.kind);
  }
  return invalid("an unknown condition");
}

// A sub-condition, in parentheses unless precedence makes them useless.
Result<void> WriterAccess::child(const ConditionNode& c, Mode mode, ConditionNode::Kind parent) {
  using K = ConditionNode::Kind;
  const bool bare = is_function(c.kind) ||
                    (parent != K::not_ && c.kind != K::and_ && c.kind != K::or_) ||
                    (c.kind == parent && parent != K::not_);
  if (!bare) out += '(';
  if (auto r = condition(c, mode); !r) return r;
  if (!bare) out += ')';
  return {};
}

template <class F>
Result<std::string> WriterAccess::run(ExpressionWriter& w, std::string_view what, F&& render) {
  const std::size_t mark_n = w.next_name_;
  const std::size_t mark_v = w.next_value_;
  std::string out;
  out.reserve(64);
  WriterAccess access{w, out};
  Result<void> r = render(access);
  if (r && out.size() > kMaxExpressionBytes) {
    r = invalid("the text is " + std::to_string(out.size()) +
                " bytes; DynamoDB allows 4 KB per expression");
  }
  if (!r) {
    rollback(w, mark_n, mark_v);
    Error e = std::move(r).error();
    e.with_context(what);
    return unexpected(std::move(e));
  }
  return out;
}

void WriterAccess::rollback(ExpressionWriter& w, std::size_t mark_n, std::size_t mark_v) {
  for (auto it = w.name_index_.begin(); it != w.name_index_.end();) {
    if (it->second >= mark_n) {
      w.names_.erase(placeholder("#n", it->second));
      it = w.name_index_.erase(it);
    } else {
      ++it;
    }
  }
  for (std::size_t k = mark_v; k < w.next_value_; ++k) w.values_.erase(placeholder(":v", k));
  w.next_name_ = mark_n;
  w.next_value_ = mark_v;
}

}  // namespace detail

using detail::Mode;
using detail::WriterAccess;

Result<std::string> ExpressionWriter::condition(const Condition& c) {
  if (c.empty()) return std::string();
  return WriterAccess::run(*this, "condition expression", [&](WriterAccess& a) {
    return a.condition(*c.node(), Mode::condition);
  });
}

Result<std::string> ExpressionWriter::key_condition(const Condition& c) {
  if (c.empty()) return std::string();
  return WriterAccess::run(*this, "key condition expression",
                           [&](WriterAccess& a) { return a.condition(*c.node(), Mode::key); });
}

Result<std::string> ExpressionWriter::update(const Update& u) {
  return WriterAccess::run(*this, "update expression",
                           [&](WriterAccess& a) { return a.update(u); });
}

Result<std::string> ExpressionWriter::projection(const Projection& p) {
  return WriterAccess::run(*this, "projection expression",
                           [&](WriterAccess& a) { return a.projection(p); });
}

Result<std::string> ExpressionWriter::path(const Path& p) {
  return WriterAccess::run(*this, "document path",
                           [&](WriterAccess& a) { return a.path(p, Mode::condition); });
}

std::string ExpressionWriter::name(std::string_view attribute) {
  std::string out;
  WriterAccess{*this, out}.name(attribute);
  return out;
}

std::string ExpressionWriter::value(AttributeValue v) {
  std::string out;
  WriterAccess{*this, out}.value(std::move(v));
  return out;
}

}  // namespace dynamate
