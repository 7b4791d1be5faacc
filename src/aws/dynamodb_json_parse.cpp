// DynamoDB wire JSON, parsing side: simdjson DOM -> AttributeValue. Strict,
// because a response we misread silently is worse than one we reject: exactly
// one type key per value, the JSON type each tag requires, canonical base64,
// valid numbers, NULL only as true. Values are built in place (no Result per
// value, no moves of finished subtrees); the attribute path for the error
// message is kept as a chain of stack frames and rendered only on failure.
#include <string>
#include <vector>

#include "aws/dynamodb_json.hpp"
#include "core/base64_fast.hpp"

namespace dynamate::aws::detail {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// DynamoDB itself allows 32 levels of nesting; twice that leaves room for any
// counting difference while bounding recursion on hostile input.
constexpr int kMaxDepth = 64;

// One step of an attribute path: a member name or a list/set index.
struct PathSeg {
  const PathSeg* parent;
  std::string_view name;
  std::size_t index;
  bool is_index;
};

void append_quoted(std::string& out, std::string_view s, std::size_t limit) {
  JsonWriter w(out);  // JSON escaping keeps control characters readable
  if (s.size() <= limit) {
    w.string(s);
  } else {
    w.string(s.substr(0, limit));
    out.insert(out.size() - 1, "...");
  }
}

// attribute "tags"[2]   attribute "a"."b"   value[3]   value
std::string render_path(const PathSeg* p) {
  std::vector<const PathSeg*> segs;
  for (; p != nullptr; p = p->parent) segs.push_back(p);
  if (segs.empty()) return "value";
  std::string out;
  for (auto it = segs.rbegin(); it != segs.rend(); ++it) {
    const PathSeg& seg = **it;
    if (seg.is_index) {
      if (it == segs.rbegin()) out += "value";
      out += '[' + std::to_string(seg.index) + ']';
    } else {
      out += it == segs.rbegin() ? "attribute " : ".";
      append_quoted(out, seg.name, 256);
    }
  }
  return out;
}

std::string_view json_type_name(element_type t) noexcept {
  switch (t) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "a number";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "an unknown JSON value";
}

enum class Tag { S, N, B, SS, NS, BS, M, L, NUL, BOOL, unknown };

Tag tag_of(std::string_view k) noexcept {
  switch (k.size()) {
    case 1:
      switch (k[0]) {
        case 'S':
          return Tag::S;
        case 'N':
          return Tag::N;
        case 'B':
          return Tag::B;
        case 'M':
          return Tag::M;
        case 'L':
          return Tag::L;
        default:
          return Tag::unknown;
      }
    case 2:
      if (k[1] != 'S') return Tag::unknown;
      switch (k[0]) {
        case 'S':
          return Tag::SS;
        case 'N':
          return Tag::NS;
        case 'B':
          return Tag::BS;
        default:
          return Tag::unknown;
      }
    case 4:
      if (k == "NULL") return Tag::NUL;
      if (k == "BOOL") return Tag::BOOL;
      return Tag::unknown;
    default:
      return Tag::unknown;
  }
}

class Parser {
 public:
  bool value(element e, AttributeValue& out, const PathSeg* path, int depth);
  bool members(object obj, AttributeMap& out, const PathSeg* path, int depth);
  bool list(element e, AttributeList& out, const PathSeg* path, int depth);

  Error error;

 private:
  bool fail(const PathSeg* path, std::string_view what) {
    std::string msg = render_path(path);
    msg += ": ";
    msg += what;
    error = Error(ErrorCode::protocol, std::move(msg));
    return false;
  }
  // "<tag> value must be a string, got a number"
  bool wrong_type(const PathSeg* path, std::string_view tag, std::string_view role,
                  std::string_view expected, element e) {
    std::string msg(tag);
    msg += ' ';
    msg += role;
    msg += " must be ";
    msg += expected;
    msg += ", got ";
    msg += json_type_name(e.type());
    return fail(path, msg);
  }
  bool string_of(element e, std::string_view& s, const PathSeg* path, std::string_view tag,
                 std::string_view role) {
    if (e.get_string().get(s) == simdjson::SUCCESS) return true;
    return wrong_type(path, tag, role, "a string", e);
  }
  bool number(std::string_view s, std::string& out, const PathSeg* path, std::string_view tag,
              std::string_view role) {
    if (!is_valid_number(s)) {
      std::string msg(tag);
      msg += ' ';
      msg += role;
      msg += ' ';
      append_quoted(msg, s, 64);
      msg += " is not a number";
      return fail(path, msg);
    }
    out.assign(s);
    return true;
  }
  bool binary(std::string_view s, Bytes& out, const PathSeg* path, std::string_view tag,
              std::string_view role) {
    if (dynamate::detail::base64_decode_into(s, out.str())) return true;
    return fail(path, std::string(tag) + " " + std::string(role) + " is not valid base64");
  }
  template <class Set, class Fn>
  bool set(element e, Set& out, const PathSeg* path, std::string_view tag, Fn&& convert);
};

template <class Set, class Fn>
bool Parser::set(element e, Set& out, const PathSeg* path, std::string_view tag, Fn&& convert) {
  array arr;
  if (e.get_array().get(arr) != simdjson::SUCCESS) {
    return wrong_type(path, tag, "value", "an array", e);
  }
  out.values.reserve(arr.size());
  std::size_t i = 0;
  for (element item : arr) {
    const PathSeg seg{path, {}, i++, true};
    std::string_view s;
    if (!string_of(item, s, &seg, tag, "element")) return false;
    if (!convert(s, out.values.emplace_back(), &seg)) return false;
  }
  return true;
}

bool Parser::value(element e, AttributeValue& out, const PathSeg* path, int depth) {
  if (depth > kMaxDepth) return fail(path, "nested more than 64 levels deep");
  object obj;
  if (e.get_object().get(obj) != simdjson::SUCCESS) {
    return fail(path, std::string("expected an object with one type key, got ") +
                          std::string(json_type_name(e.type())));
  }
  if (obj.size() != 1) {
    if (obj.size() == 0) return fail(path, "empty object, expected one type key");
    std::string msg = std::to_string(obj.size()) + " type keys (";
    int shown = 0;
    for (auto field : obj) {
      if (shown > 0) msg += ", ";
      if (++shown > 4) {  // a hostile object may have millions of keys
        msg += "...";
        break;
      }
      append_quoted(msg, field.key, 16);
    }
    return fail(path, msg + "), expected exactly one");
  }
  const auto field = *obj.begin();
  const element v = field.value;
  auto& var = out.variant();
  std::string_view s;
  switch (tag_of(field.key)) {
    case Tag::S:
      if (!string_of(v, s, path, "S", "value")) return false;
      var.emplace<std::string>(s);
      return true;
    case Tag::N:
      if (!string_of(v, s, path, "N", "value")) return false;
      return number(s, var.emplace<Number>().text, path, "N", "value");
    case Tag::B:
      if (!string_of(v, s, path, "B", "value")) return false;
      return binary(s, var.emplace<Bytes>(), path, "B", "value");
    case Tag::SS:
      return set(v, var.emplace<StringSet>(), path, "SS",
                 [](std::string_view x, std::string& o, const PathSeg*) {
                   o.assign(x);
                   return true;
                 });
    case Tag::NS:
      return set(v, var.emplace<NumberSet>(), path, "NS",
                 [this](std::string_view x, std::string& o, const PathSeg* p) {
                   return number(x, o, p, "NS", "element");
                 });
    case Tag::BS:
      return set(v, var.emplace<BinarySet>(), path, "BS",
                 [this](std::string_view x, Bytes& o, const PathSeg* p) {
                   return binary(x, o, p, "BS", "element");
                 });
    case Tag::M: {
      object m;
      if (v.get_object().get(m) != simdjson::SUCCESS) {
        return wrong_type(path, "M", "value", "an object", v);
      }
      return members(m, var.emplace<AttributeMap>(), path, depth + 1);
    }
    case Tag::L:
      return list(v, var.emplace<AttributeList>(), path, depth + 1);
    case Tag::NUL: {
      bool b = false;
      if (v.get_bool().get(b) != simdjson::SUCCESS || !b) return fail(path, "NULL must be true");
      var.emplace<Null>();
      return true;
    }
    case Tag::BOOL: {
      bool b = false;
      if (v.get_bool().get(b) != simdjson::SUCCESS) {
        return wrong_type(path, "BOOL", "value", "a boolean", v);
      }
      var.emplace<bool>(b);
      return true;
    }
    case Tag::unknown:
      break;
  }
  std::string msg = "unknown type ";
  append_quoted(msg, field.key, 16);
  return fail(path, msg);
}

bool Parser::list(element e, AttributeList& out, const PathSeg* path, int depth) {
  array arr;
  if (e.get_array().get(arr) != simdjson::SUCCESS) {
    return wrong_type(path, "L", "value", "an array", e);
  }
  out.reserve(arr.size());
  std::size_t i = 0;
  for (element item : arr) {
    const PathSeg seg{path, {}, i++, true};
    if (!value(item, out.emplace_back(), &seg, depth)) return false;
  }
  return true;
}

bool Parser::members(object obj, AttributeMap& out, const PathSeg* path, int depth) {
  for (auto field : obj) {
    const PathSeg seg{path, field.key, 0, false};
    auto [it, inserted] = out.try_emplace(std::string(field.key));
    if (!inserted) return fail(&seg, "duplicate attribute name");
    if (!value(field.value, it->second, &seg, depth)) return false;
  }
  return true;
}

}  // namespace

Result<AttributeValue> parse_value(element element) {
  Parser p;
  AttributeValue out;
  if (!p.value(element, out, nullptr, 1)) return unexpected(std::move(p.error));
  return out;
}

Result<AttributeMap> parse_item(element element) {
  Parser p;
  object obj;
  if (element.get_object().get(obj) != simdjson::SUCCESS) {
    return unexpected(ErrorCode::protocol, std::string("item: expected an object, got ") +
                                               std::string(json_type_name(element.type())));
  }
  AttributeMap out;
  if (!p.members(obj, out, nullptr, 1)) return unexpected(std::move(p.error));
  return out;
}

}  // namespace dynamate::aws::detail
