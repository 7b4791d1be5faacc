// Values in expressions: numbers converted to the member's type only when
// they convert exactly (an integer into a double or float, a double into a
// float), otherwise invalid_argument naming the path at render; and set()
// of a value the member's converter leaves out of an item (an empty
// optional, set or JsonDocument) rendered as REMOVE, like save() omits it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dynamate/json_document.hpp"
#include "orm_expression_fixture.hpp"

namespace exprvalues {

struct Reading {
  std::string id;
  float f = 0;
  double d = 0;
  std::optional<float> maybe_f;
  std::optional<std::int64_t> count;
  std::set<std::int64_t> codes;
  dynamate::JsonDocument doc;
  std::map<std::string, std::optional<std::string>> labels;
  std::vector<std::optional<std::string>> slots;
};

}  // namespace exprvalues

template <>
inline constexpr auto dynamate::schema_of<exprvalues::Reading> =
    dynamate::schema<exprvalues::Reading>(
        "readings", dynamate::hash_key("id", &exprvalues::Reading::id),
        dynamate::attribute("f", &exprvalues::Reading::f),
        dynamate::attribute("d", &exprvalues::Reading::d),
        dynamate::attribute("maybe_f", &exprvalues::Reading::maybe_f),
        dynamate::attribute("count", &exprvalues::Reading::count),
        dynamate::attribute("codes", &exprvalues::Reading::codes),
        dynamate::attribute("doc", &exprvalues::Reading::doc),
        dynamate::attribute("labels", &exprvalues::Reading::labels),
        dynamate::attribute("slots", &exprvalues::Reading::slots));

namespace exprtest {
namespace {

using namespace dynamate;
using exprvalues::Reading;

// The error of a render that must fail names the path and the value.
void expect_inexact(const Error& e, const std::string& path, const std::string& value) {
  EXPECT_EQ(e.code, ErrorCode::invalid_argument);
  EXPECT_NE(e.message.find("path " + path), std::string::npos) << e.message;
  EXPECT_NE(e.message.find(value), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("exactly"), std::string::npos) << e.message;
}

TEST(OrmExpressionValues, IntegersIntoDoublesMustBeExact) {
  // 2^53 + 1 has no double: refused instead of rounded to 2^53.
  expect_inexact(render_error(Update{set(&Page::score, std::int64_t{9007199254740993})}), "score",
                 "9007199254740993");
  expect_inexact(render_error(field(&Page::score) < std::int64_t{9007199254740993}), "score",
                 "9007199254740993");
  expect_inexact(render_error(Update{set(&Reading::d, std::numeric_limits<std::int64_t>::max())}),
                 "d", "9223372036854775807");
  expect_inexact(render_error(Update{set(&Reading::d, std::numeric_limits<std::uint64_t>::max())}),
                 "d", "18446744073709551615");
  // Exact ones are kept, whatever their size.
  Rendered r = render(set(&Page::score, std::int64_t{9007199254740992}));
  EXPECT_EQ(r.values, (Values{{":v0", num("9007199254740992")}}));
  r = render(set(&Reading::d, std::uint64_t{1} << 63));
  EXPECT_EQ(r.values, (Values{{":v0", Converter<double>::encode(0x1p63).value()}}));
  r = render(set(&Reading::d, std::numeric_limits<std::int64_t>::min()));
  EXPECT_EQ(r.values, (Values{{":v0", Converter<double>::encode(-0x1p63).value()}}));
  r = render(set(&Page::score, -3));
  EXPECT_EQ(r.values, (Values{{":v0", num("-3")}}));
}

TEST(OrmExpressionValues, IntegersAndDoublesIntoFloatsMustBeExact) {
  // 2^24 + 1 has no float.
  expect_inexact(render_error(Update{set(&Reading::f, 16777217)}), "f", "16777217");
  expect_inexact(render_error(Update{set(&Reading::f, 0.1)}), "f", "0.1");
  expect_inexact(render_error(field(&Reading::f) == 0.1), "f", "0.1");
  expect_inexact(render_error(field(&Reading::f).between(0.0, 1e300)), "f", "1e+300");
  expect_inexact(render_error(field(&Reading::f).in({0.5, 0.3})), "f", "0.3");
  expect_inexact(render_error(Update{set(&Reading::maybe_f, 0.1)}), "maybe_f", "0.1");
  Rendered r = render(set(&Reading::f, 16777216));
  EXPECT_EQ(r.values, (Values{{":v0", num("16777216")}}));
  r = render(set(&Reading::f, 0.5));
  EXPECT_EQ(r.values, (Values{{":v0", num("0.5")}}));
  r = render(set(&Reading::f, 0.1f));
  EXPECT_EQ(r.values, (Values{{":v0", num("0.1")}}));
  r = render(set(&Reading::maybe_f, 0.25));
  EXPECT_EQ(r.values, (Values{{":v0", num("0.25")}}));
  // Infinity converts exactly; the converter refuses it.
  Error e = render_error(Update{set(&Reading::f, std::numeric_limits<double>::infinity())});
  EXPECT_EQ(e.code, ErrorCode::invalid_argument);
  EXPECT_EQ(e.message.find("exactly"), std::string::npos) << e.message;
}

TEST(OrmExpressionValues, SetOfAValueSaveLeavesOutIsRemove) {
  Rendered r = render(set(&Page::title, std::nullopt));
  EXPECT_EQ(r.text, "REMOVE #n0");
  EXPECT_EQ(r.names, (Names{{"#n0", "title"}}));
  EXPECT_TRUE(r.values.empty());
  r = render(set(&Page::title, std::optional<std::string>()));
  EXPECT_EQ(r.text, "REMOVE #n0");
  r = render(set(field(&Page::extra), std::nullopt));  // an optional nested model
  EXPECT_EQ(r.text, "REMOVE #n0");
  r = render(set(&Page::labels, std::set<std::string>{}));  // no empty sets in DynamoDB
  EXPECT_EQ(r.text, "REMOVE #n0");
  r = render(set(&Reading::count, std::optional<std::int64_t>()));
  EXPECT_EQ(r.text, "REMOVE #n0");
  r = render(set(&Reading::doc, JsonDocument{}));
  EXPECT_EQ(r.text, "REMOVE #n0");
  r = render(set(field(&Reading::labels)["k"], std::nullopt));  // maps leave them out too
  EXPECT_EQ(r.text, "REMOVE #n0.#n1");
  r = render(Update{set(&Page::title, std::nullopt), set(&Page::visits, 2)});
  EXPECT_EQ(r.text, "SET #n0 = :v0 REMOVE #n1");

  // Present values are SET.
  r = render(set(&Page::title, std::optional<std::string>("x")));
  EXPECT_EQ(r.text, "SET #n0 = :v0");
  EXPECT_EQ(r.values, (Values{{":v0", str("x")}}));
  r = render(set(&Reading::codes, std::set<std::int64_t>{1}));
  EXPECT_EQ(r.text, "SET #n0 = :v0");
  r = render(set(&Reading::count, 0));
  EXPECT_EQ(r.values, (Values{{":v0", num("0")}}));
  // A list element is written as the list's converter writes it (NULL): a
  // REMOVE would shift the list.
  r = render(set(field(&Reading::slots)[1], std::nullopt));
  EXPECT_EQ(r.text, "SET #n0[1] = :v0");
  EXPECT_EQ(r.values, (Values{{":v0", AttributeValue(Null{})}}));
  // attr() paths take values as they are.
  r = render(set(attr("x"), AttributeValue(Null{})));
  EXPECT_EQ(r.text, "SET #n0 = :v0");
}

}  // namespace
}  // namespace exprtest
