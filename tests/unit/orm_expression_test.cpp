// Condition, key-condition and projection expressions: the exact text, the
// name placeholders and the values each construct renders to, precedence,
// reserved words and odd attribute names, nested paths, and the typed values.
// Updates and the errors are in orm_expression_update_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "orm_expression_fixture.hpp"

namespace exprtest {
namespace {

using namespace dynamate;

TEST(OrmExpressionCondition, ComparisonsOnAnIntegerMember) {
  const std::vector<std::pair<Condition, std::string>> cases = {
      {field(&Page::visits) == 100, "#n0 = :v0"}, {field(&Page::visits) != 100, "#n0 <> :v0"},
      {field(&Page::visits) < 100, "#n0 < :v0"},  {field(&Page::visits) <= 100, "#n0 <= :v0"},
      {field(&Page::visits) > 100, "#n0 > :v0"},  {field(&Page::visits) >= 100, "#n0 >= :v0"},
  };
  for (const auto& [c, text] : cases) {
    Rendered r = render(c);
    EXPECT_EQ(r.text, text);
    EXPECT_EQ(r.names, (Names{{"#n0", "visits"}}));
    EXPECT_EQ(r.values, (Values{{":v0", num("100")}}));
  }
}

TEST(OrmExpressionCondition, TypedValues) {
  // const char* for a string member, a string for an optional string.
  Rendered r = render(field(&Page::url) == "x");
  EXPECT_EQ(r.text, "#n0 = :v0");
  EXPECT_EQ(r.values, (Values{{":v0", str("x")}}));
  r = render(field(&Page::title) == std::string("Home"));
  EXPECT_EQ(r.names, (Names{{"#n0", "title"}}));
  EXPECT_EQ(r.values, (Values{{":v0", str("Home")}}));
  // An int for a double member, a bool for a bool member.
  r = render(field(&Page::score) >= 2);
  EXPECT_EQ(r.values, (Values{{":v0", num("2")}}));
  r = render(field(&Page::flag) == true);
  EXPECT_EQ(r.values, (Values{{":v0", AttributeValue(true)}}));
  // The field's own converter encodes the value.
  r = render(field(&Page::shout) == "quiet");
  EXPECT_EQ(r.values, (Values{{":v0", str("QUIET")}}));
  // attr() paths take numbers as numbers, not as bools.
  r = render(attr("n") == 5 && attr("d") < 1.5 && attr("b") == false && attr("s") == "t");
  EXPECT_EQ(r.text, "#n0 = :v0 AND #n1 < :v1 AND #n2 = :v2 AND #n3 = :v3");
  EXPECT_EQ(r.values, (Values{{":v0", num("5")},
                              {":v1", num("1.5")},
                              {":v2", AttributeValue(false)},
                              {":v3", str("t")}}));
}

TEST(OrmExpressionCondition, ValueTypesAreCheckedAtCompileTime) {
  // The operators static_assert on this trait.
  static_assert(detail::accepts_value_v<std::int64_t, int>);
  static_assert(detail::accepts_value_v<double, int>);
  static_assert(detail::accepts_value_v<std::string, const char*>);
  static_assert(detail::accepts_value_v<std::string, char[3]>);
  static_assert(detail::accepts_value_v<std::optional<std::string>, char[3]>);
  static_assert(detail::accepts_value_v<AttributeValue, int>);
  static_assert(!detail::accepts_value_v<std::int64_t, std::string>);
  static_assert(!detail::accepts_value_v<std::int64_t, double>);
  static_assert(!detail::accepts_value_v<std::int64_t, bool>);
  static_assert(!detail::accepts_value_v<bool, int>);
  static_assert(!detail::accepts_value_v<std::string, int>);
  static_assert(!detail::accepts_value_v<std::set<std::string>, std::string>);
  static_assert(std::is_same_v<detail::contains_element_t<std::set<std::int64_t>>, std::int64_t>);
  static_assert(std::is_same_v<detail::contains_element_t<std::vector<std::string>>, std::string>);
  static_assert(std::is_same_v<detail::contains_element_t<std::string>, std::string>);
  static_assert(std::is_void_v<detail::contains_element_t<std::int64_t>>);
  SUCCEED();
}

TEST(OrmExpressionCondition, BetweenAndIn) {
  Rendered r = render(field(&Page::visits).between(1, 5));
  EXPECT_EQ(r.text, "#n0 BETWEEN :v0 AND :v1");
  EXPECT_EQ(r.values, (Values{{":v0", num("1")}, {":v1", num("5")}}));

  r = render(field(&Page::status).in({"new", "old", "gone"}));
  EXPECT_EQ(r.text, "#n0 IN (:v0, :v1, :v2)");
  EXPECT_EQ(r.names, (Names{{"#n0", "status"}}));
  EXPECT_EQ(r.values, (Values{{":v0", str("new")}, {":v1", str("old")}, {":v2", str("gone")}}));

  r = render(field(&Page::visits).in(std::vector<int>{7}));
  EXPECT_EQ(r.text, "#n0 IN (:v0)");
  EXPECT_EQ(r.values, (Values{{":v0", num("7")}}));

  std::vector<std::int64_t> hundred(100);
  for (std::size_t i = 0; i < hundred.size(); ++i) hundred[i] = static_cast<std::int64_t>(i);
  r = render(field(&Page::visits).in(hundred));
  EXPECT_EQ(r.values.size(), 100u);
  EXPECT_EQ(r.values.at(":v99"), num("99"));
}

TEST(OrmExpressionCondition, Functions) {
  Rendered r = render(field(&Page::title).exists());
  EXPECT_EQ(r.text, "attribute_exists(#n0)");
  EXPECT_EQ(r.names, (Names{{"#n0", "title"}}));
  EXPECT_TRUE(r.values.empty());

  r = render(not_exists(field(&Page::title)));
  EXPECT_EQ(r.text, "attribute_not_exists(#n0)");

  r = render(field(&Page::url).begins_with("https://"));
  EXPECT_EQ(r.text, "begins_with(#n0, :v0)");
  EXPECT_EQ(r.values, (Values{{":v0", str("https://")}}));

  // contains: a substring of a string, an element of a set or list.
  r = render(field(&Page::url).contains("python"));
  EXPECT_EQ(r.text, "contains(#n0, :v0)");
  EXPECT_EQ(r.values, (Values{{":v0", str("python")}}));
  r = render(field(&Page::labels).contains("news"));
  EXPECT_EQ(r.values, (Values{{":v0", str("news")}}));
  r = render(field(&Page::codes).contains(404));
  EXPECT_EQ(r.values, (Values{{":v0", num("404")}}));
  r = render(field(&Page::tags).contains(std::string("x")));
  EXPECT_EQ(r.values, (Values{{":v0", str("x")}}));

  r = render(size(field(&Page::tags)) > 3);
  EXPECT_EQ(r.text, "size(#n0) > :v0");
  EXPECT_EQ(r.names, (Names{{"#n0", "tags"}}));
  EXPECT_EQ(r.values, (Values{{":v0", num("3")}}));
  r = render(between(size(field(&Page::url)), value(1), value(10)));
  EXPECT_EQ(r.text, "size(#n0) BETWEEN :v0 AND :v1");
  r = render(size(field(&Page::tags)) == size(field(&Page::labels)));
  EXPECT_EQ(r.text, "size(#n0) = size(#n1)");
}

TEST(OrmExpressionCondition, AttributeTypeNames) {
  using T = AttributeValue::Type;
  const std::vector<std::pair<T, const char*>> types = {
      {T::S, "S"},   {T::N, "N"}, {T::B, "B"}, {T::SS, "SS"},    {T::NS, "NS"},
      {T::BS, "BS"}, {T::M, "M"}, {T::L, "L"}, {T::NUL, "NULL"}, {T::BOOL, "BOOL"}};
  for (const auto& [type, name] : types) {
    Rendered r = render(attr("x").type_is(type));
    EXPECT_EQ(r.text, "attribute_type(#n0, :v0)");
    EXPECT_EQ(r.values, (Values{{":v0", str(name)}}));
  }
}

TEST(OrmExpressionCondition, AndOrNotParenthesisation) {
  const Condition a = attr("a") == 1;
  const Condition b = attr("b") == 2;
  const Condition c = attr("c") == 3;
  EXPECT_EQ(render(a && b && c).text, "#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2");
  EXPECT_EQ(render(a || b || c).text, "#n0 = :v0 OR #n1 = :v1 OR #n2 = :v2");
  EXPECT_EQ(render((a || b) && c).text, "(#n0 = :v0 OR #n1 = :v1) AND #n2 = :v2");
  EXPECT_EQ(render(a || (b && c)).text, "#n0 = :v0 OR (#n1 = :v1 AND #n2 = :v2)");
  EXPECT_EQ(render((a && b) || (b && c)).text,
            "(#n0 = :v0 AND #n1 = :v1) OR (#n1 = :v2 AND #n2 = :v3)");
  EXPECT_EQ(render(a && (b && c)).text, "#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2");
  EXPECT_EQ(render(!a).text, "NOT (#n0 = :v0)");
  EXPECT_EQ(render(!(a && b)).text, "NOT (#n0 = :v0 AND #n1 = :v1)");
  EXPECT_EQ(render(!(a || b) && c).text, "NOT (#n0 = :v0 OR #n1 = :v1) AND #n2 = :v2");
  EXPECT_EQ(render(!!a).text, "NOT (NOT (#n0 = :v0))");
  EXPECT_EQ(render(a && !attr("d").exists()).text, "#n0 = :v0 AND NOT attribute_exists(#n1)");
  EXPECT_EQ(render(!attr("d").begins_with("x") || a).text,
            "NOT begins_with(#n0, :v0) OR #n1 = :v1");
}

TEST(OrmExpressionCondition, EmptyCondition) {
  const Condition empty;
  EXPECT_TRUE(empty.empty());
  ExpressionWriter w;
  auto text = w.condition(empty);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "");
  EXPECT_TRUE(w.names().empty());
  const Condition a = attr("a") == 1;
  EXPECT_EQ((a && empty).node(), a.node());
  EXPECT_EQ((empty && a).node(), a.node());
  EXPECT_EQ((a || empty).node(), a.node());
  EXPECT_TRUE((!empty).empty());
  EXPECT_TRUE((empty && empty).empty());
  EXPECT_EQ(render(a && empty).text, render(a).text);
}

TEST(OrmExpressionCondition, TwoAttributesCompared) {
  Rendered r = render(field(&Page::visits) > field(&Page::score));
  EXPECT_EQ(r.text, "#n0 > #n1");
  EXPECT_EQ(r.names, (Names{{"#n0", "visits"}, {"#n1", "score"}}));
  EXPECT_TRUE(r.values.empty());
  r = render(field(&Page::url) == field(&Page::name));
  EXPECT_EQ(r.text, "#n0 = #n1");
  r = render(Operand(attr("a")) != attr("b"));
  EXPECT_EQ(r.text, "#n0 <> #n1");
  // A plain Path == Path is whether the paths are the same.
  EXPECT_TRUE(Path("a").child("b") == Path("a").child("b"));
  EXPECT_FALSE(Path("a").element(1) == Path("a").element(2));
}

TEST(OrmExpressionCondition, ReservedAndOddNamesGoThroughPlaceholders) {
  const std::vector<std::pair<Condition, std::string>> cases = {
      {field(&Page::size) == "s", "size"},         {field(&Page::name) == "s", "name"},
      {field(&Page::status) == "s", "status"},     {field(&Page::dotted) == "s", "a.b"},
      {field(&Page::spaced) == "s", "with space"}, {field(&Page::hashed) == "s", "#x"},
      {field(&Page::coloned) == "s", ":y"},        {field(&Page::unicode) == "s", "ünïcode"},
  };
  for (const auto& [c, name] : cases) {
    Rendered r = render(c);
    EXPECT_EQ(r.text, "#n0 = :v0") << name;
    EXPECT_EQ(r.names, (Names{{"#n0", name}}));
  }
}

TEST(OrmExpressionCondition, NestedPaths) {
  Rendered r = render(field(&Page::meta)["lang"] == "en");
  EXPECT_EQ(r.text, "#n0.#n1 = :v0");
  EXPECT_EQ(r.names, (Names{{"#n0", "meta"}, {"#n1", "lang"}}));
  EXPECT_EQ(r.values, (Values{{":v0", str("en")}}));

  r = render(field(&Page::tags)[3] == "x");
  EXPECT_EQ(r.text, "#n0[3] = :v0");
  EXPECT_EQ(r.names, (Names{{"#n0", "tags"}}));

  r = render(field(&Page::info).field(&Meta::lang) == "de" &&
             field(&Page::extra).field(&Meta::words) > 10);
  EXPECT_EQ(r.text, "#n0.#n1 = :v0 AND #n2.#n3 > :v1");
  EXPECT_EQ(r.names, (Names{{"#n0", "info"}, {"#n1", "lang"}, {"#n2", "extra"}, {"#n3", "words"}}));
  EXPECT_EQ(r.values, (Values{{":v0", str("de")}, {":v1", num("10")}}));

  // Equal names share one placeholder, at any depth; dots stay inside names.
  r = render(attr("a")["a"][2]["b.c"].exists() && attr("b.c") == 1);
  EXPECT_EQ(r.text, "attribute_exists(#n0.#n0[2].#n1) AND #n1 = :v0");
  EXPECT_EQ(r.names, (Names{{"#n0", "a"}, {"#n1", "b.c"}}));
  EXPECT_EQ((field(&Page::meta)["k"]).to_string(), "meta.k");
  EXPECT_EQ(attr("l")[0][1]["m"].to_string(), "l[0][1].m");
}

TEST(OrmExpressionCondition, OneWriterSharesPlaceholdersAcrossExpressions) {
  ExpressionWriter w;
  auto cond = w.condition(field(&Page::visits) < 100 && field(&Page::title).exists());
  ASSERT_TRUE(cond) << cond.error().to_string();
  auto upd = w.update({add(&Page::visits, 1), set(&Page::title, std::string("t"))});
  ASSERT_TRUE(upd) << upd.error().to_string();
  auto proj = w.projection(project(&Page::url, &Page::visits));
  ASSERT_TRUE(proj) << proj.error().to_string();
  EXPECT_EQ(*cond, "#n0 < :v0 AND attribute_exists(#n1)");
  EXPECT_EQ(*upd, "SET #n1 = :v1 ADD #n0 :v2");
  EXPECT_EQ(*proj, "#n2, #n0");
  EXPECT_EQ(w.names(), (Names{{"#n0", "visits"}, {"#n1", "title"}, {"#n2", "url"}}));
  EXPECT_EQ(w.values(), (Values{{":v0", num("100")}, {":v1", str("t")}, {":v2", num("1")}}));
  EXPECT_EQ(w.name("visits"), "#n0");
  EXPECT_EQ(w.value(num("9")), ":v3");
  auto p = w.path(attr("visits")[1]);
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, "#n0[1]");

  // After take_*, new placeholders do not collide with the ones taken.
  Names names = w.take_names();
  Values values = w.take_values();
  EXPECT_EQ(names.size(), 3u);
  EXPECT_EQ(values.size(), 4u);
  auto again = w.condition(attr("visits") == 1);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, "#n3 = :v4");
  EXPECT_EQ(w.names(), (Names{{"#n3", "visits"}}));
}

TEST(OrmExpressionKeyCondition, AllowedForms) {
  const Condition hash = attr("pk") == "p";
  const std::vector<std::pair<Condition, std::string>> cases = {
      {hash, "#n0 = :v0"},
      {hash && attr("sk") == 1, "#n0 = :v0 AND #n1 = :v1"},
      {hash && attr("sk") < 1, "#n0 = :v0 AND #n1 < :v1"},
      {hash && attr("sk") <= 1, "#n0 = :v0 AND #n1 <= :v1"},
      {hash && attr("sk") > 1, "#n0 = :v0 AND #n1 > :v1"},
      {hash && attr("sk") >= 1, "#n0 = :v0 AND #n1 >= :v1"},
      {hash && attr("sk").between(1, 2), "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"},
      {hash && attr("sk").begins_with("a"), "#n0 = :v0 AND begins_with(#n1, :v1)"},
  };
  for (const auto& [c, text] : cases) {
    ExpressionWriter w;
    auto k = w.key_condition(c);
    ASSERT_TRUE(k) << k.error().to_string();
    EXPECT_EQ(*k, text);
  }
}

TEST(OrmExpressionKeyCondition, RefusedForms) {
  const Condition hash = attr("pk") == "p";
  const std::vector<Condition> refused = {
      hash || attr("sk") == 1,       hash && attr("sk") != 1,
      hash && !(attr("sk") == 1),    hash && attr("sk").contains("a"),
      hash && attr("sk").exists(),   hash && attr("sk").in({1, 2}),
      hash && attr("m")["k"] == 1,   hash && attr("a") == 1 && attr("b") == 2,
      hash && size(attr("sk")) == 1,
  };
  for (const Condition& c : refused) {
    ExpressionWriter w;
    auto k = w.key_condition(c);
    ASSERT_FALSE(k) << *k;
    EXPECT_EQ(k.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(k.error().message.find("key condition"), std::string::npos) << k.error().message;
    EXPECT_TRUE(w.names().empty());
  }
}

TEST(OrmExpressionProjection, PathsAndPlaceholders) {
  ExpressionWriter w;
  auto p = w.projection(
      project(&Page::url, field(&Page::meta)["lang"], "status", field(&Page::tags)[0], "url"));
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(*p, "#n0, #n1.#n2, #n3, #n4[0]");  // the repeated "url" is left out
  EXPECT_EQ(
      w.names(),
      (Names{
          {"#n0", "url"}, {"#n1", "meta"}, {"#n2", "lang"}, {"#n3", "status"}, {"#n4", "tags"}}));
  EXPECT_TRUE(w.values().empty());
  auto empty = w.projection(Projection{});
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, "");
}

}  // namespace
}  // namespace exprtest
