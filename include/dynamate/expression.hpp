// dynamate/expression.hpp: typed builders for DynamoDB condition, update,
// projection and key-condition expressions.
//
//   using namespace dynamate;
//   Condition c = field(&Page::visits) < 100 && field(&Page::url).begins_with("https://");
//   Update u = {set(&Page::title, std::string("Home")), add(&Page::visits, 1),
//               remove(field(&Page::tags)), set(field(&Page::meta)["lang"], std::string("en"))};
//   Projection p = project(&Page::url, field(&Page::meta)["lang"]);
//
// Paths start at a member (field(&T::m), named by T's schema) or at an
// attribute name (attr("name")), and go down through map keys (["k"]), list
// indexes ([3]) and members of nested models (.field(&Inner::x)). Values are
// encoded with the member's own converter, so a comparison against a
// `std::int64_t` member takes an integer and a std::string member a string.
// A number of another arithmetic type must convert exactly: an integer into
// a double or float member, or a double into a float member, that would
// round (2^53 + 1, 0.1 into a float) is reported by the writer as
// invalid_argument naming the path, never rounded silently. set() of a
// value the member's converter leaves out of an item (an empty optional or
// set) is a REMOVE of the path, as save() would leave the attribute out.
//
// Nothing is text until an ExpressionWriter renders it: the writer generates
// the placeholders ("#n0", ":v0"), so reserved words, dots and any other
// characters in attribute names always work, and one writer shares its
// placeholders between the condition, update and projection of one request.
// Mistakes found while building (a member the schema does not map, a value
// the converter refuses such as NaN) are reported by the writer as
// ErrorCode::invalid_argument naming the path.
//
// Found by the writer too: in() with no or more than 100 candidates, an empty
// Update, two update actions on overlapping paths ("a" and "a.b", or the same
// path twice), update functions inside a condition, anything but = < <= > >=
// BETWEEN begins_with and AND in a key condition, a text over DynamoDB's 4 KB.
// A failed render leaves the writer as it was.
//
// An empty Condition means "no condition": it renders as "", `a && empty` and
// `a || empty` are `a`, and `!empty` is empty.
//
// Thread-safety: expressions are immutable values, safe to share; a writer is
// used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "dynamate/attribute_value.hpp"
#include "dynamate/aws/dynamodb_types.hpp"
#include "dynamate/converter.hpp"
#include "dynamate/detail/expression_values.hpp"
#include "dynamate/detail/schema_checks.hpp"
#include "dynamate/model.hpp"
#include "dynamate/result.hpp"

namespace dynamate {

// ---- Paths ----

// An untyped document path: an attribute name, then map keys and list indexes.
class Path {
 public:
  using Segment = std::variant<std::string, std::size_t>;  // map key / attribute, list index

  Path() = default;
  explicit Path(std::string attribute) { segments_.emplace_back(std::move(attribute)); }

  const std::vector<Segment>& segments() const noexcept { return segments_; }
  bool empty() const noexcept { return segments_.empty(); }
  // "meta.tags[3]" for messages (not expression text).
  std::string to_string() const;

  Path child(std::string key) const;
  Path element(std::size_t index) const;

  // Set when the path could not be built (e.g. a member the schema does not
  // map); the writer reports it.
  const std::shared_ptr<const Error>& error() const noexcept { return error_; }
  static Path invalid(Error e);

  // Whether a and b are the same path (a bool; comparing the attributes at two
  // paths is field(&T::a) == field(&T::b), a Condition).
  friend bool operator==(const Path& a, const Path& b) { return a.segments_ == b.segments_; }

 private:
  std::vector<Segment> segments_;
  std::shared_ptr<const Error> error_;
};

// An operand of a condition or update: a path, a value, or a function of them.
class Operand;
class Condition;

namespace detail {
struct OperandNode;
struct ConditionNode;
struct WriterAccess;
Operand value_operand(Result<AttributeValue> value);
Path negative_index(const Path& parent, int index);
}  // namespace detail

class Operand {
 public:
  Operand(Path path);  // NOLINT(implicit): a path is an operand
  const std::shared_ptr<const detail::OperandNode>& node() const noexcept { return node_; }
  explicit Operand(std::shared_ptr<const detail::OperandNode> node) : node_(std::move(node)) {}

 private:
  std::shared_ptr<const detail::OperandNode> node_;
};

// A path that knows the C++ type V found there, and how to encode a V.
template <class V>
class TypedPath : public Path {
 public:
  using value_type = V;
  // `omit`: whether the path's converter leaves a value out of an item (see
  // set()); null for attr() paths.
  TypedPath(Path p, detail::EncodeFn<V> fn = &detail::default_encode<V>,
            detail::OmitFn<V> omit = nullptr)
      : Path(std::move(p)), encode_(fn), omit_(omit) {}

  Result<AttributeValue> encode(const V& v) const { return encode_(v); }

  // Map element: for std::map<std::string, E> members (and AttributeMap),
  // also inside std::optional.
  auto operator[](std::string key) const {
    using W = detail::unwrap_optional_t<V>;
    if constexpr (requires { typename W::mapped_type; }) {
      using E = typename W::mapped_type;
      // A map leaves out the values its element converter omits.
      return TypedPath<E>(child(std::move(key)), &detail::default_encode<E>,
                          detail::default_omit<E>());
    } else {
      static_assert(std::is_same_v<W, AttributeValue>,
                    "dynamate: [\"key\"] needs a std::map<std::string, V> member");
      return TypedPath<AttributeValue>(child(std::move(key)));
    }
  }
  auto operator[](const char* key) const { return (*this)[std::string(key)]; }
  // List element: for std::vector<E> members (also inside std::optional).
  auto operator[](std::size_t index) const {
    using W = detail::unwrap_optional_t<V>;
    if constexpr (
        requires { typename W::value_type; } && !std::is_same_v<W, std::string> &&
        !requires { typename W::key_type; }) {
      using E = typename W::value_type;
      return TypedPath<E>(element(index));
    } else {
      static_assert(std::is_same_v<W, AttributeValue>,
                    "dynamate: [index] needs a std::vector<V> member");
      return TypedPath<AttributeValue>(element(index));
    }
  }
  // A negative index makes an invalid path (reported by the writer).
  auto operator[](int index) const {
    using R = decltype((*this)[std::size_t{0}]);
    if (index < 0) return R(detail::negative_index(*this, index));
    return (*this)[static_cast<std::size_t>(index)];
  }
  // Member of a nested model (V, or the U of std::optional<U>, has a schema).
  template <class C, class M>
  TypedPath<M> field(M C::*member) const;

  // ---- Conditions on this path ----
  Condition exists() const;
  Condition not_exists() const;
  Condition begins_with(std::string prefix) const;
  // Substring of a string member (takes a string), element of a std::set<E>
  // or std::vector<E> member (takes an E).
  template <class E>
  Condition contains(const E& element) const;
  Condition type_is(AttributeValue::Type type) const;  // attribute_type(path, :t)
  template <class A, class B>
  Condition between(const A& low, const B& high) const;
  template <class E>
  Condition in(std::initializer_list<E> values) const;
  template <class E>
  Condition in(const std::vector<E>& values) const;

  detail::EncodeFn<V> encoder() const noexcept { return encode_; }
  detail::OmitFn<V> omitter() const noexcept { return omit_; }

 private:
  detail::EncodeFn<V> encode_;
  detail::OmitFn<V> omit_;
};

// A path starting at member `member` of model T (named by schema_of<T>),
// encoded with that field's converter.
template <class T, class M>
TypedPath<M> field(M T::*member);
// A path starting at attribute `name`, values stored as given (AttributeValue).
TypedPath<AttributeValue> attr(std::string name);

// size(path) as an operand (strings, binary, sets, lists, maps).
Operand size(const Path& path);

// ---- Conditions ----

class Condition {
 public:
  Condition() = default;  // empty: no condition
  explicit Condition(std::shared_ptr<const detail::ConditionNode> node) : node_(std::move(node)) {}
  bool empty() const noexcept { return node_ == nullptr; }
  const std::shared_ptr<const detail::ConditionNode>& node() const noexcept { return node_; }

  // a && b: both (an empty side is ignored); a || b; !a.
  friend Condition operator&&(const Condition& a, const Condition& b);
  friend Condition operator||(const Condition& a, const Condition& b);
  friend Condition operator!(const Condition& a);

 private:
  std::shared_ptr<const detail::ConditionNode> node_;
};

enum class Comparator : std::uint8_t { eq, ne, lt, le, gt, ge };
Condition compare(Operand lhs, Comparator op, Operand rhs);
Condition between(Operand subject, Operand low, Operand high);
Condition in(Operand subject, std::vector<Operand> candidates);  // 1..100 candidates
Condition exists(const Path& path);
Condition not_exists(const Path& path);
Condition begins_with(const Path& path, Operand prefix);
Condition contains(const Path& path, Operand operand);
Condition type_is(const Path& path, AttributeValue::Type type);

// A literal value operand, encoded by Converter<V> (or taken as it is).
template <class V>
Operand value(const V& v) {
  if constexpr (std::is_same_v<V, AttributeValue>) {
    return detail::value_operand(v);
  } else {
    return detail::value_operand(Converter<V>::encode(v));
  }
}
inline Operand value(const char* s) { return value(std::string(s)); }

// path OP value (the value encoded as the path's type), path OP path (two
// attributes), operand OP operand and operand OP number (size(p) > 3).
// (A plain Path == Path compares the paths themselves, as a bool.)
#define DYNAMATE_COMPARISON_(op, cmp)                                                            \
  template <class V, class U>                                                                    \
  requires(!std::is_base_of_v<Path, U> && !std::is_same_v<U, Operand>) Condition operator op(    \
      const TypedPath<V>& p, const U& v) {                                                       \
    if constexpr (detail::accepts_value_v<V, U>) {                                               \
      return compare(p, Comparator::cmp,                                                         \
                     detail::value_operand(detail::encode_value<V>(p.encoder(), v)));            \
    } else {                                                                                     \
      static_assert(detail::accepts_value_v<V, U>,                                               \
                    "dynamate: the value has another type than the member it is compared with"); \
      return {};                                                                                 \
    }                                                                                            \
  }                                                                                              \
  template <class U>                                                                             \
  requires std::is_arithmetic_v<U> Condition operator op(const Operand& a, const U& v) {         \
    return compare(a, Comparator::cmp, value(v));                                                \
  }                                                                                              \
  template <class V, class W>                                                                    \
  Condition operator op(const TypedPath<V>& a, const TypedPath<W>& b) {                          \
    return compare(a, Comparator::cmp, b);                                                       \
  }                                                                                              \
  inline Condition operator op(const Operand& a, const Operand& b) {                             \
    return compare(a, Comparator::cmp, b);                                                       \
  }
DYNAMATE_COMPARISON_(==, eq)
DYNAMATE_COMPARISON_(!=, ne)
DYNAMATE_COMPARISON_(<, lt)
DYNAMATE_COMPARISON_(<=, le)
DYNAMATE_COMPARISON_(>, gt)
DYNAMATE_COMPARISON_(>=, ge)
#undef DYNAMATE_COMPARISON_

// ---- Updates ----

// One action of an update expression.
class UpdateAction {
 public:
  enum class Kind : std::uint8_t { set, remove, add, del };
  UpdateAction(Kind kind, Path path, std::shared_ptr<const detail::OperandNode> operand)
      : kind_(kind), path_(std::move(path)), operand_(std::move(operand)) {}
  Kind kind() const noexcept { return kind_; }
  const Path& path() const noexcept { return path_; }
  const std::shared_ptr<const detail::OperandNode>& operand() const noexcept { return operand_; }

 private:
  Kind kind_;
  Path path_;
  std::shared_ptr<const detail::OperandNode> operand_;  // null for remove
};

// An update expression: a list of actions, Update{a, b, c} or u.add(a).
// Rendered as "SET .. REMOVE .. ADD .. DELETE ..", actions in their order
// within each clause.
class Update {
 public:
  Update() = default;
  Update(std::initializer_list<UpdateAction> actions) : actions_(actions) {}
  Update(UpdateAction action) { actions_.push_back(std::move(action)); }  // NOLINT(implicit)
  Update& add(UpdateAction action) {
    actions_.push_back(std::move(action));
    return *this;
  }
  Update& add(const Update& other) {
    actions_.insert(actions_.end(), other.actions_.begin(), other.actions_.end());
    return *this;
  }
  bool empty() const noexcept { return actions_.empty(); }
  const std::vector<UpdateAction>& actions() const noexcept { return actions_; }

 private:
  std::vector<UpdateAction> actions_;
};

// SET path = operand.
UpdateAction set(const Path& path, Operand operand);
// SET path = value, encoded as the member's type. A value that save() would
// leave out of the item (the member's converter omits it: an empty
// std::optional, an empty set, an empty JsonDocument) is REMOVE path
// instead, so that set(&T::opt, std::nullopt) removes the attribute rather
// than storing NULL. A list element is always SET (a REMOVE would shift the
// list), and attr() paths take values as they are.
template <class V, class U>
requires(!std::is_base_of_v<Path, U> && !std::is_same_v<U, Operand>) UpdateAction
    set(const TypedPath<V>& path, const U& v) {
  static_assert(detail::accepts_value_v<V, U>,
                "dynamate: set() needs a value of the member's type");
  const bool list_element =
      !path.segments().empty() && std::holds_alternative<std::size_t>(path.segments().back());
  if (detail::omits_value<V>(path.omitter(), list_element, v)) {
    return UpdateAction(UpdateAction::Kind::remove, path, nullptr);
  }
  return set(path, detail::value_operand(detail::encode_value<V>(path.encoder(), v)));
}
template <class T, class M, class U>
UpdateAction set(M T::*member, const U& v) {
  return set(field(member), v);
}
// REMOVE path.
UpdateAction remove(const Path& path);
template <class T, class M>
UpdateAction remove(M T::*member) {
  return remove(field(member));
}
// ADD path value: numbers (increment) and sets (union).
UpdateAction add(const Path& path, Operand operand);
template <class V, class U>
requires(!std::is_base_of_v<Path, U> && !std::is_same_v<U, Operand>) UpdateAction
    add(const TypedPath<V>& path, const U& v) {
  static_assert(detail::accepts_value_v<V, U>,
                "dynamate: add() needs a number or a set of the member's type");
  return add(path, detail::value_operand(detail::encode_value<V>(path.encoder(), v)));
}
template <class T, class M, class U>
UpdateAction add(M T::*member, const U& v) {
  return add(field(member), v);
}
// DELETE path set: removes elements from a set.
UpdateAction delete_from(const Path& path, Operand operand);
template <class V, class U>
requires(!std::is_base_of_v<Path, U> && !std::is_same_v<U, Operand>) UpdateAction
    delete_from(const TypedPath<V>& path, const U& v) {
  static_assert(detail::accepts_value_v<V, U>,
                "dynamate: delete_from() needs a set of the member's type");
  return delete_from(path, detail::value_operand(detail::encode_value<V>(path.encoder(), v)));
}
template <class T, class M, class U>
UpdateAction delete_from(M T::*member, const U& v) {
  return delete_from(field(member), v);
}

// SET operands: path + value, path - value, if_not_exists(path, value),
// list_append(a, b).
Operand operator+(Operand a, Operand b);
Operand operator-(Operand a, Operand b);
Operand if_not_exists(const Path& path, Operand fallback);
Operand list_append(Operand a, Operand b);
template <class V, class U>
requires(!std::is_base_of_v<Path, U> && !std::is_same_v<U, Operand>) Operand operator+(
    const TypedPath<V>& p, const U& v) {
  static_assert(detail::accepts_value_v<V, U>, "dynamate: path + value needs a value of its type");
  return Operand(p) + detail::value_operand(detail::encode_value<V>(p.encoder(), v));
}
template <class V, class U>
requires(!std::is_base_of_v<Path, U> && !std::is_same_v<U, Operand>) Operand operator-(
    const TypedPath<V>& p, const U& v) {
  static_assert(detail::accepts_value_v<V, U>, "dynamate: path - value needs a value of its type");
  return Operand(p) - detail::value_operand(detail::encode_value<V>(p.encoder(), v));
}
template <class V, class U>
requires(!std::is_base_of_v<Path, U> && !std::is_same_v<U, Operand>) Operand
    if_not_exists(const TypedPath<V>& p, const U& v) {
  static_assert(detail::accepts_value_v<V, U>,
                "dynamate: if_not_exists(path, value) needs a value of its type");
  return if_not_exists(static_cast<const Path&>(p),
                       detail::value_operand(detail::encode_value<V>(p.encoder(), v)));
}
// Appends `items` to the list at p (list_append(p, :items)); prepend puts
// them first.
template <class V>
Operand append(const TypedPath<V>& p, const V& items) {
  return list_append(Operand(p), detail::value_operand(p.encode(items)));
}
template <class V>
Operand prepend(const TypedPath<V>& p, const V& items) {
  return list_append(detail::value_operand(p.encode(items)), Operand(p));
}

// ---- Projections ----

class Projection {
 public:
  Projection() = default;
  explicit Projection(std::vector<Path> paths) : paths_(std::move(paths)) {}
  bool empty() const noexcept { return paths_.empty(); }
  const std::vector<Path>& paths() const noexcept { return paths_; }

 private:
  std::vector<Path> paths_;
};

namespace detail {
inline Path to_path(const Path& p) { return p; }
template <class T, class M>
Path to_path(M T::*member) {
  return field(member);
}
inline Path to_path(std::string_view name) { return Path(std::string(name)); }
}  // namespace detail

// project(&Page::url, field(&Page::meta)["lang"], "title").
template <class... P>
Projection project(const P&... paths) {
  return Projection(std::vector<Path>{detail::to_path(paths)...});
}

// ---- Rendering ----

// Renders expressions to DynamoDB text, collecting the placeholders of one
// request. Equal attribute names share one "#n" placeholder; each value gets
// its own ":v". Errors are ErrorCode::invalid_argument; a failed call adds no
// placeholder.
class ExpressionWriter {
 public:
  // "" for an empty condition.
  Result<std::string> condition(const Condition& c);
  // An empty update is an error.
  Result<std::string> update(const Update& u);
  // "" for an empty projection; overlapping paths are an error.
  Result<std::string> projection(const Projection& p);
  // For key conditions (Query): conditions joined by AND, each = < <= > >=
  // BETWEEN or begins_with on a top-level attribute.
  Result<std::string> key_condition(const Condition& c);

  const aws::ExpressionAttributeNames& names() const noexcept { return names_; }
  const AttributeMap& values() const noexcept { return values_; }
  // Moves the placeholders out; later renders use new placeholders.
  aws::ExpressionAttributeNames take_names() {
    name_index_.clear();
    return std::move(names_);
  }
  AttributeMap take_values() { return std::move(values_); }

  // Low-level: the placeholder of an attribute name / value.
  std::string name(std::string_view attribute);
  std::string value(AttributeValue v);
  Result<std::string> path(const Path& p);

 private:
  friend struct detail::WriterAccess;
  aws::ExpressionAttributeNames names_;
  std::map<std::string, std::size_t, std::less<>> name_index_;  // attribute -> K of "#nK"
  AttributeMap values_;
  std::size_t next_name_ = 0;
  std::size_t next_value_ = 0;
};

}  // namespace dynamate

#include "dynamate/detail/expression_impl.hpp"
