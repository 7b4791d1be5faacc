// DynamoDB wire JSON, writing side, plus the public dynamodb_json.hpp entry
// points (which reuse the private parser in dynamodb_json_parse.cpp).
#include "aws/dynamodb_json.hpp"

#include <type_traits>

#include "core/base64_fast.hpp"
#include "dynamate/aws/dynamodb_json.hpp"

namespace dynamate::aws::detail {
namespace {

// Base64 text needs no JSON escaping, so it is encoded straight into the
// output buffer instead of through a temporary string and the escaper.
void write_base64(JsonWriter& w, const Bytes& b) {
  w.raw({});  // emits the separator the writer owes, nothing else
  std::string& out = w.buffer();
  out.push_back('"');
  dynamate::detail::base64_append(out, b.view());
  out.push_back('"');
}

template <class Range, class Fn>
void write_array(JsonWriter& w, const Range& values, Fn&& write_one) {
  w.begin_array();
  for (const auto& v : values) write_one(v);
  w.end_array();
}

}  // namespace

void write_value(JsonWriter& w, const AttributeValue& value) {
  w.begin_object();
  std::visit(
      [&w](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          w.key("S").string(v);
        } else if constexpr (std::is_same_v<T, Number>) {
          w.key("N").string(v.text);
        } else if constexpr (std::is_same_v<T, Bytes>) {
          w.key("B");
          write_base64(w, v);
        } else if constexpr (std::is_same_v<T, StringSet>) {
          w.key("SS");
          write_array(w, v.values, [&w](const std::string& s) { w.string(s); });
        } else if constexpr (std::is_same_v<T, NumberSet>) {
          w.key("NS");
          write_array(w, v.values, [&w](const std::string& s) { w.string(s); });
        } else if constexpr (std::is_same_v<T, BinarySet>) {
          w.key("BS");
          write_array(w, v.values, [&w](const Bytes& b) { write_base64(w, b); });
        } else if constexpr (std::is_same_v<T, AttributeMap>) {
          w.key("M");
          write_item(w, v);
        } else if constexpr (std::is_same_v<T, AttributeList>) {
          w.key("L");
          write_array(w, v, [&w](const AttributeValue& e) { write_value(w, e); });
        } else if constexpr (std::is_same_v<T, Null>) {
          w.key("NULL").boolean(true);
        } else {
          static_assert(std::is_same_v<T, bool>);
          w.key("BOOL").boolean(v);
        }
      },
      value.variant());
  w.end_object();
}

void write_item(JsonWriter& w, const AttributeMap& item) {
  w.begin_object();
  for (const auto& [name, value] : item) {
    w.key(name);
    write_value(w, value);
  }
  w.end_object();
}

}  // namespace dynamate::aws::detail

namespace dynamate {
namespace {

// One parser per thread: its buffers are reused across calls, so converting
// many items does not allocate per call (it keeps the largest document's size).
simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

// The public functions report caller input errors, not protocol errors. The
// error is edited in place: moving it out of one Result into another trips
// GCC 12's -Wnull-dereference at -O2 (a false positive in std::get_if).
template <class T>
Result<T> as_invalid_argument(Result<T> r) {
  if (!r.has_value()) {
    Error& e = r.error();
    e.code = ErrorCode::invalid_argument;
    e.message.insert(0, "DynamoDB JSON: ");
  }
  return r;
}

Error invalid_json(simdjson::error_code err) {
  return Error(ErrorCode::invalid_argument,
               std::string("DynamoDB JSON: invalid JSON: ") + simdjson::error_message(err));
}

}  // namespace

std::string to_dynamodb_json(const AttributeMap& item) {
  std::string out;
  aws::detail::JsonWriter w(out);
  aws::detail::write_item(w, item);
  return out;
}

std::string to_dynamodb_json(const AttributeValue& value) {
  std::string out;
  aws::detail::JsonWriter w(out);
  aws::detail::write_value(w, value);
  return out;
}

Result<AttributeMap> item_from_dynamodb_json(std::string_view json) {
  simdjson::dom::element root;
  if (const auto err = thread_parser().parse(json.data(), json.size()).get(root)) {
    return invalid_json(err);
  }
  return as_invalid_argument(aws::detail::parse_item(root));
}

Result<AttributeValue> value_from_dynamodb_json(std::string_view json) {
  simdjson::dom::element root;
  if (const auto err = thread_parser().parse(json.data(), json.size()).get(root)) {
    return invalid_json(err);
  }
  return as_invalid_argument(aws::detail::parse_value(root));
}

}  // namespace dynamate
