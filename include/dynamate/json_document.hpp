// dynamate/json_document.hpp: JsonDocument, a JSON text stored as a DynamoDB
// string (S), as pynamodb's JSONAttribute stores json.dumps(value).
//
//   struct Event { std::string id; dynamate::JsonDocument payload; };
//   ... dynamate::attribute("payload", &Event::payload) ...
//   e.payload.text = R"({"kind":"click","x":3})";
//
// The text is kept exactly as given (no reformatting); dynamate does not
// parse it into objects, use any JSON library on `text`. Encoding validates
// it (invalid JSON: ErrorCode::invalid_argument), decoding validates what was
// stored (schema_mismatch). An empty text means "no document": the attribute
// is left out of the item, and a missing attribute (or an empty string)
// reads as empty text.
#pragma once

#include <string>
#include <string_view>

#include "dynamate/converter.hpp"

namespace dynamate {

struct JsonDocument {
  std::string text;

  bool empty() const noexcept { return text.empty(); }
  friend bool operator==(const JsonDocument&, const JsonDocument&) = default;
};

namespace detail {
// Whether `text` is one valid JSON value (RFC 8259); the error (with `code`)
// says where it is not. src/orm/json_document.cpp.
Result<void> validate_json(std::string_view text, ErrorCode code);
}  // namespace detail

template <>
struct Converter<JsonDocument> {
  static bool omit(const JsonDocument& v) { return v.text.empty(); }
  static Result<AttributeValue> encode(const JsonDocument& v) {
    auto ok = detail::validate_json(v.text, ErrorCode::invalid_argument);
    if (!ok) return unexpected(std::move(ok).error());
    return AttributeValue(v.text);
  }
  static Result<void> decode(const AttributeValue& v, JsonDocument& out) {
    const std::string* s = v.as_string();
    if (s == nullptr) return detail::type_mismatch("S", v);
    if (s->empty()) {  // what an empty document would be, had it been written
      out.text.clear();
      return {};
    }
    auto ok = detail::validate_json(*s, ErrorCode::schema_mismatch);
    if (!ok) return ok;
    out.text = *s;
    return {};
  }
};

}  // namespace dynamate
