// src/orm/expression_update.cpp: rendering of update expressions (clauses
// SET, REMOVE, ADD, DELETE) and projections, with the checks DynamoDB would
// make on their document paths.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "orm/expression_writer.hpp"

namespace dynamate::detail {
namespace {

// How two document paths relate: DynamoDB refuses two actions (or projected
// paths) where one is a prefix of the other, or where one has a list index
// where the other has a map key.
enum class Relation : std::uint8_t { disjoint, overlap, conflict };

Relation relation(const Path& a, const Path& b) {
  const auto& x = a.segments();
  const auto& y = b.segments();
  const std::size_t n = std::min(x.size(), y.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (x[i] == y[i]) continue;
    return x[i].index() != y[i].index() ? Relation::conflict : Relation::disjoint;
  }
  return Relation::overlap;
}

Result<void> check_disjoint(const Path& a, const Path& b) {
  switch (relation(a, b)) {
    case Relation::disjoint:
      return {};
    case Relation::overlap:
      return invalid("paths " + a.to_string() + " and " + b.to_string() +
                     " overlap (DynamoDB refuses overlapping document paths in one expression)");
    case Relation::conflict:
      return invalid("paths " + a.to_string() + " and " + b.to_string() +
                     " conflict: one has a list index where the other has a map key");
  }
  return {};
}

}  // namespace

Result<void> WriterAccess::update(const Update& u) {
  const auto& actions = u.actions();
  if (actions.empty()) return invalid("an update needs at least one action");
  for (const UpdateAction& a : actions) {
    if (a.kind() > UpdateAction::Kind::del) return invalid("an unknown update action");
    if (a.path().error() != nullptr) return unexpected(*a.path().error());
    if (a.path().empty()) return invalid("an update action on an empty document path");
  }
  for (std::size_t i = 0; i < actions.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (auto r = check_disjoint(actions[j].path(), actions[i].path()); !r) return r;
    }
  }
  using AK = UpdateAction::Kind;
  static constexpr std::array<std::pair<AK, std::string_view>, 4> kClauses = {
      {{AK::set, "SET "}, {AK::remove, "REMOVE "}, {AK::add, "ADD "}, {AK::del, "DELETE "}}};
  for (const auto& [kind, keyword] : kClauses) {
    bool first = true;
    for (const UpdateAction& a : actions) {
      if (a.kind() != kind) continue;
      if (first) {
        if (!out.empty()) out += ' ';
        out += keyword;
        first = false;
      } else {
        out += ", ";
      }
      if (auto r = path(a.path(), Mode::set_value); !r) return r;
      if (kind == AK::set) {
        out += " = ";
        if (auto r = operand(a.operand(), Mode::set_value, &a.path()); !r) return r;
      } else if (kind != AK::remove) {
        if (auto r = set_operand(a, kind == AK::add); !r) return r;
      }
    }
  }
  return {};
}

// The value of ADD (a number or a set) or DELETE (a set).
Result<void> WriterAccess::set_operand(const UpdateAction& a, bool add) {
  const auto& node = a.operand();
  const std::string_view what = add ? "ADD" : "DELETE";
  if (node == nullptr || node->kind != OperandNode::Kind::value) {
    return invalid(std::string(what) + " on path " + a.path().to_string() + " takes a value");
  }
  if (node->value) {
    const auto t = node->value->type();
    using T = AttributeValue::Type;
    const bool set = t == T::SS || t == T::NS || t == T::BS;
    if (!set && !(add && t == T::N)) {
      return invalid(std::string(what) + " on path " + a.path().to_string() + " takes " +
                     (add ? "a number or a set" : "a set") + ", not " +
                     std::string(node->value->type_name()));
    }
  }
  out += ' ';
  return operand(node, Mode::set_inner, &a.path());
}

Result<void> WriterAccess::projection(const Projection& p) {
  const auto& paths = p.paths();
  bool first = true;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (paths[i].error() != nullptr) return unexpected(*paths[i].error());
    bool duplicate = false;
    for (std::size_t j = 0; j < i && !duplicate; ++j) {
      if (paths[j] == paths[i]) {
        duplicate = true;
      } else if (auto r = check_disjoint(paths[j], paths[i]); !r) {
        return r;
      }
    }
    if (duplicate) continue;
    if (!first) out += ", ";
    first = false;
    if (auto r = path(paths[i], Mode::condition); !r) return r;
  }
  return {};
}

}  // namespace dynamate::detail
