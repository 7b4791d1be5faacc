// Models and helpers shared by the expression unit tests: a Page with every
// kind of member an expression can reach (scalars, optional, list, sets, map,
// nested model), attributes named by reserved words and odd characters, a
// field with its own converter, and a member the schema does not map.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dynamate/expression.hpp"

namespace exprtest {

struct Meta {
  std::string lang;
  std::int64_t words = 0;
  std::string unmapped;
};

// Stores a string upper-cased: proves that values go through the field's own
// converter.
struct UpperConverter {
  static dynamate::Result<dynamate::AttributeValue> encode(const std::string& s) {
    std::string out = s;
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return dynamate::AttributeValue(std::move(out));
  }
  static dynamate::Result<void> decode(const dynamate::AttributeValue& v, std::string& out) {
    if (v.as_string() == nullptr)
      return dynamate::unexpected(dynamate::ErrorCode::schema_mismatch, "S");
    out = *v.as_string();
    return {};
  }
};

struct Page {
  std::string url;
  std::optional<std::string> title;
  std::int64_t visits = 0;
  double score = 0;
  std::uint32_t small = 0;
  bool flag = false;
  std::vector<std::string> tags;
  std::set<std::string> labels;
  std::set<std::int64_t> codes;
  std::map<std::string, std::string> meta;
  Meta info;
  std::optional<Meta> extra;
  std::string shout;
  // Attribute names that are DynamoDB reserved words or odd.
  std::string size;
  std::string name;
  std::string status;
  std::string dotted;
  std::string spaced;
  std::string hashed;
  std::string coloned;
  std::string unicode;
  std::string unmapped;
};

}  // namespace exprtest

template <>
inline constexpr auto dynamate::schema_of<exprtest::Meta> =
    dynamate::schema<exprtest::Meta>(dynamate::attribute("lang", &exprtest::Meta::lang),
                                     dynamate::attribute("words", &exprtest::Meta::words));

template <>
inline constexpr auto dynamate::schema_of<exprtest::Page> = dynamate::schema<exprtest::Page>(
    "pages", dynamate::hash_key("url", &exprtest::Page::url),
    dynamate::attribute("title", &exprtest::Page::title),
    dynamate::attribute("visits", &exprtest::Page::visits),
    dynamate::attribute("score", &exprtest::Page::score),
    dynamate::attribute("small", &exprtest::Page::small),
    dynamate::attribute("flag", &exprtest::Page::flag),
    dynamate::attribute("tags", &exprtest::Page::tags),
    dynamate::attribute("labels", &exprtest::Page::labels),
    dynamate::attribute("codes", &exprtest::Page::codes),
    dynamate::attribute("meta", &exprtest::Page::meta),
    dynamate::attribute("info", &exprtest::Page::info),
    dynamate::attribute("extra", &exprtest::Page::extra),
    dynamate::attribute<exprtest::UpperConverter>("shout", &exprtest::Page::shout),
    dynamate::attribute("size", &exprtest::Page::size),
    dynamate::attribute("name", &exprtest::Page::name),
    dynamate::attribute("status", &exprtest::Page::status),
    dynamate::attribute("a.b", &exprtest::Page::dotted),
    dynamate::attribute("with space", &exprtest::Page::spaced),
    dynamate::attribute("#x", &exprtest::Page::hashed),
    dynamate::attribute(":y", &exprtest::Page::coloned),
    dynamate::attribute("ünïcode", &exprtest::Page::unicode));

namespace exprtest {

using Names = dynamate::aws::ExpressionAttributeNames;
using Values = dynamate::AttributeMap;

inline dynamate::AttributeValue num(const char* text) {
  return dynamate::AttributeValue(dynamate::Number{text});
}
inline dynamate::AttributeValue str(const char* s) { return dynamate::AttributeValue(s); }

// What one render produced.
struct Rendered {
  std::string text;
  Names names;
  Values values;
};

inline Rendered render(const dynamate::Condition& c) {
  dynamate::ExpressionWriter w;
  auto text = w.condition(c);
  EXPECT_TRUE(text) << text.error().to_string();
  return {text ? *text : std::string(), w.names(), w.values()};
}

inline Rendered render(const dynamate::Update& u) {
  dynamate::ExpressionWriter w;
  auto text = w.update(u);
  EXPECT_TRUE(text) << text.error().to_string();
  return {text ? *text : std::string(), w.names(), w.values()};
}

// The error of a render that must fail; the writer must be left empty.
template <class X>
dynamate::Error render_error(const X& expression) {
  dynamate::ExpressionWriter w;
  dynamate::Result<std::string> text;
  if constexpr (std::is_same_v<X, dynamate::Update>) {
    text = w.update(expression);
  } else if constexpr (std::is_same_v<X, dynamate::Projection>) {
    text = w.projection(expression);
  } else {
    text = w.condition(expression);
  }
  EXPECT_FALSE(text) << *text;
  EXPECT_TRUE(w.names().empty());
  EXPECT_TRUE(w.values().empty());
  return text ? dynamate::Error() : text.error();
}

}  // namespace exprtest
