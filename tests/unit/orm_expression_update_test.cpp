// Update expressions (SET with values, paths, + - if_not_exists and
// list_append; REMOVE; ADD; DELETE; clause grouping) and every error the
// expression builders and the writer report.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "orm_expression_fixture.hpp"

namespace exprtest {
namespace {

using namespace dynamate;

TEST(OrmExpressionUpdate, SetWithValuesAndPaths) {
  Rendered r = render(set(&Page::title, std::string("Home")));
  EXPECT_EQ(r.text, "SET #n0 = :v0");
  EXPECT_EQ(r.names, (Names{{"#n0", "title"}}));
  EXPECT_EQ(r.values, (Values{{":v0", str("Home")}}));

  r = render(set(field(&Page::url), "u"));
  EXPECT_EQ(r.values, (Values{{":v0", str("u")}}));
  r = render(set(&Page::shout, "hey"));  // the field's converter
  EXPECT_EQ(r.values, (Values{{":v0", str("HEY")}}));
  r = render(set(field(&Page::name), field(&Page::url)));
  EXPECT_EQ(r.text, "SET #n0 = #n1");
  EXPECT_TRUE(r.values.empty());
  r = render(set(field(&Page::meta)["lang"], "en"));
  EXPECT_EQ(r.text, "SET #n0.#n1 = :v0");
  r = render(set(field(&Page::info).field(&Meta::words), 3));
  EXPECT_EQ(r.text, "SET #n0.#n1 = :v0");
  EXPECT_EQ(r.names, (Names{{"#n0", "info"}, {"#n1", "words"}}));
  r = render(set(&Page::tags, std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.values, (Values{{":v0", AttributeValue(AttributeList{str("a"), str("b")})}}));
}

TEST(OrmExpressionUpdate, ArithmeticAndFunctions) {
  Rendered r = render(set(&Page::visits, field(&Page::visits) + 1));
  EXPECT_EQ(r.text, "SET #n0 = #n0 + :v0");
  EXPECT_EQ(r.names, (Names{{"#n0", "visits"}}));
  EXPECT_EQ(r.values, (Values{{":v0", num("1")}}));
  r = render(set(&Page::visits, field(&Page::visits) - 2));
  EXPECT_EQ(r.text, "SET #n0 = #n0 - :v0");
  r = render(set(field(&Page::score), attr("a") + attr("b")));
  EXPECT_EQ(r.text, "SET #n0 = #n1 + #n2");

  r = render(set(&Page::visits, if_not_exists(field(&Page::visits), 0)));
  EXPECT_EQ(r.text, "SET #n0 = if_not_exists(#n0, :v0)");
  EXPECT_EQ(r.values, (Values{{":v0", num("0")}}));
  r = render(set(&Page::visits, if_not_exists(field(&Page::visits), value(0)) + value(1)));
  EXPECT_EQ(r.text, "SET #n0 = if_not_exists(#n0, :v0) + :v1");

  const std::vector<std::string> items = {"x"};
  r = render(set(&Page::tags, append(field(&Page::tags), items)));
  EXPECT_EQ(r.text, "SET #n0 = list_append(#n0, :v0)");
  EXPECT_EQ(r.values, (Values{{":v0", AttributeValue(AttributeList{str("x")})}}));
  r = render(set(&Page::tags, prepend(field(&Page::tags), items)));
  EXPECT_EQ(r.text, "SET #n0 = list_append(:v0, #n0)");
  r = render(set(&Page::tags, list_append(if_not_exists(field(&Page::tags), value(AttributeList{})),
                                          value(AttributeList{str("y")}))));
  EXPECT_EQ(r.text, "SET #n0 = list_append(if_not_exists(#n0, :v0), :v1)");
}

TEST(OrmExpressionUpdate, RemoveAddDelete) {
  Rendered r = render(remove(&Page::title));
  EXPECT_EQ(r.text, "REMOVE #n0");
  EXPECT_TRUE(r.values.empty());
  r = render(Update{remove(field(&Page::meta)["lang"]), remove(field(&Page::tags)[2])});
  EXPECT_EQ(r.text, "REMOVE #n0.#n1, #n2[2]");
  EXPECT_EQ(r.names, (Names{{"#n0", "meta"}, {"#n1", "lang"}, {"#n2", "tags"}}));

  r = render(add(&Page::visits, 1));
  EXPECT_EQ(r.text, "ADD #n0 :v0");
  EXPECT_EQ(r.values, (Values{{":v0", num("1")}}));
  r = render(add(&Page::labels, std::set<std::string>{"a", "b"}));
  EXPECT_EQ(r.text, "ADD #n0 :v0");
  EXPECT_EQ(r.values, (Values{{":v0", AttributeValue(StringSet{{"a", "b"}})}}));
  r = render(delete_from(&Page::codes, std::set<std::int64_t>{4}));
  EXPECT_EQ(r.text, "DELETE #n0 :v0");
  EXPECT_EQ(r.values, (Values{{":v0", AttributeValue(NumberSet{{"4"}})}}));
}

TEST(OrmExpressionUpdate, ClausesGroupedInOrder) {
  Update u{delete_from(&Page::labels, std::set<std::string>{"old"}),
           add(&Page::visits, 1),
           set(&Page::title, std::string("T")),
           remove(&Page::status),
           set(&Page::name, "N"),
           remove(field(&Page::tags)[0])};
  u.add(add(&Page::codes, std::set<std::int64_t>{7}))
      .add(Update{set(field(&Page::meta)["k"], "v")});
  Rendered r = render(u);
  EXPECT_EQ(r.text,
            "SET #n0 = :v0, #n1 = :v1, #n2.#n3 = :v2 REMOVE #n4, #n5[0] ADD #n6 :v3, #n7 :v4 "
            "DELETE #n8 :v5");
  EXPECT_EQ(r.names, (Names{{"#n0", "title"},
                            {"#n1", "name"},
                            {"#n2", "meta"},
                            {"#n3", "k"},
                            {"#n4", "status"},
                            {"#n5", "tags"},
                            {"#n6", "visits"},
                            {"#n7", "codes"},
                            {"#n8", "labels"}}));
  EXPECT_EQ(r.values.size(), 6u);
  EXPECT_EQ(r.values.at(":v5"), AttributeValue(StringSet{{"old"}}));
}

TEST(OrmExpressionUpdate, DisjointNestedPathsAreAccepted) {
  Rendered r = render(Update{set(attr("a")[0], 1), set(attr("a")[1], 2), remove(attr("m")["x"]),
                             set(attr("m")["y"], 3), set(attr("m.x"), 4)});
  EXPECT_EQ(r.text, "SET #n0[0] = :v0, #n0[1] = :v1, #n1.#n2 = :v2, #n3 = :v3 REMOVE #n1.#n4");
}

// ---- Errors ----

TEST(OrmExpressionErrors, UnmappedMember) {
  Error e = render_error(field(&Page::unmapped) == "x");
  EXPECT_EQ(e.code, ErrorCode::invalid_argument);
  EXPECT_NE(e.message.find("schema_of<exprtest::Page> does not map"), std::string::npos)
      << e.message;
  e = render_error(Update{set(&Page::unmapped, "x")});
  EXPECT_EQ(e.code, ErrorCode::invalid_argument);
  e = render_error(field(&Page::info).field(&Meta::unmapped).exists());
  EXPECT_NE(e.message.find("schema_of<exprtest::Meta>"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("under path info"), std::string::npos) << e.message;
  e = render_error(project(&Page::url, &Page::unmapped));
  EXPECT_EQ(e.code, ErrorCode::invalid_argument);
}

TEST(OrmExpressionErrors, RefusedValuesNameThePath) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Error e = render_error(field(&Page::score) < nan);
  EXPECT_EQ(e.code, ErrorCode::invalid_argument);
  EXPECT_NE(e.message.find("value for path score"), std::string::npos) << e.message;
  e = render_error(Update{set(field(&Page::info).field(&Meta::lang), "x"),
                          set(&Page::score, std::numeric_limits<double>::infinity())});
  EXPECT_NE(e.message.find("value for path score"), std::string::npos) << e.message;
  e = render_error(attr("d") == nan);
  EXPECT_NE(e.message.find("value for path d"), std::string::npos) << e.message;
  e = render_error(field(&Page::small) == -1);  // out of the uint32 member's range
  EXPECT_NE(e.message.find("out of"), std::string::npos) << e.message;
  e = render_error(Update{add(&Page::labels, std::set<std::string>{})});  // empty set refused
  EXPECT_NE(e.message.find("value for path labels"), std::string::npos) << e.message;
}

TEST(OrmExpressionErrors, InCandidateCount) {
  Error e = render_error(field(&Page::visits).in(std::vector<int>{}));
  EXPECT_EQ(e.code, ErrorCode::invalid_argument);
  EXPECT_NE(e.message.find("got 0"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("visits"), std::string::npos) << e.message;
  e = render_error(field(&Page::visits).in(std::vector<int>(101, 1)));
  EXPECT_NE(e.message.find("got 101"), std::string::npos) << e.message;
}

TEST(OrmExpressionErrors, EmptyUpdate) {
  Error e = render_error(Update{});
  EXPECT_EQ(e.code, ErrorCode::invalid_argument);
  EXPECT_NE(e.message.find("at least one action"), std::string::npos) << e.message;
}

TEST(OrmExpressionErrors, OverlappingUpdatePaths) {
  const std::vector<Update> overlapping = {
      {set(&Page::title, "a"), remove(&Page::title)},
      {set(field(&Page::meta)["k"], "a"), remove(&Page::meta)},
      {remove(field(&Page::tags)[1]), set(field(&Page::tags)[1], "x")},
      {add(&Page::visits, 1), set(&Page::visits, 5)},
      {set(attr("a")[0], 1), set(attr("a")["b"], 2)},  // index vs key: conflict
  };
  for (const Update& u : overlapping) {
    Error e = render_error(u);
    EXPECT_EQ(e.code, ErrorCode::invalid_argument);
    EXPECT_TRUE(e.message.find("overlap") != std::string::npos ||
                e.message.find("conflict") != std::string::npos)
        << e.message;
  }
}

TEST(OrmExpressionErrors, FunctionsInTheWrongPlace) {
  // Update functions inside a condition.
  Error e = render_error(Operand(field(&Page::visits) + 1) == value(3));
  EXPECT_NE(e.message.find("SET"), std::string::npos) << e.message;
  e = render_error(if_not_exists(attr("a"), value(1)) == value(1));
  EXPECT_EQ(e.code, ErrorCode::invalid_argument);
  // size() in an update; a + b + c; ADD/DELETE of the wrong type or of a path.
  e = render_error(Update{set(attr("a"), size(attr("b")))});
  EXPECT_NE(e.message.find("size()"), std::string::npos) << e.message;
  e = render_error(Update{set(attr("a"), attr("a") + value(1) + value(2))});
  EXPECT_NE(e.message.find("once"), std::string::npos) << e.message;
  e = render_error(Update{add(attr("a"), value("text"))});
  EXPECT_NE(e.message.find("not S"), std::string::npos) << e.message;
  e = render_error(Update{delete_from(attr("a"), value(1))});
  EXPECT_NE(e.message.find("takes a set"), std::string::npos) << e.message;
  e = render_error(Update{add(attr("a"), attr("b"))});
  EXPECT_NE(e.message.find("takes a value"), std::string::npos) << e.message;
}

TEST(OrmExpressionErrors, OperandComparedWithItself) {
  // DynamoDB: "The first operand must be distinct from the remaining operands".
  for (const Condition& c :
       {field(&Page::visits) > field(&Page::visits), size(attr("a")) == size(attr("a")),
        attr("a").in({1, 2}) || attr("m")["k"] == attr("m")["k"],
        between(attr("a"), value(1), attr("a"))}) {
    Error e = render_error(c);
    EXPECT_EQ(e.code, ErrorCode::invalid_argument);
    EXPECT_NE(e.message.find("compared with itself"), std::string::npos) << e.message;
  }
  EXPECT_EQ(render(attr("a") < size(attr("a"))).text, "#n0 < size(#n0)");
}

TEST(OrmExpressionErrors, BadPaths) {
  Error e = render_error(attr("") == 1);
  EXPECT_NE(e.message.find("empty attribute name"), std::string::npos) << e.message;
  e = render_error(exists(Path()));
  EXPECT_NE(e.message.find("empty document path"), std::string::npos) << e.message;
  e = render_error(exists(Path().element(1)));
  EXPECT_NE(e.message.find("starts with a list index"), std::string::npos) << e.message;
  e = render_error(field(&Page::tags)[-1] == "x");
  EXPECT_NE(e.message.find("negative list index -1 in path tags"), std::string::npos) << e.message;
  e = render_error(project(attr("a"), attr("a")["b"]));
  EXPECT_NE(e.message.find("overlap"), std::string::npos) << e.message;
}

TEST(OrmExpressionErrors, TextLongerThanDynamoDbAllows) {
  Condition c;
  for (int i = 0; i < 300; ++i) c = c && attr("a") == i;
  Error e = render_error(c);
  EXPECT_NE(e.message.find("4 KB"), std::string::npos) << e.message;
}

TEST(OrmExpressionErrors, FailedRenderLeavesTheWriterAsItWas) {
  ExpressionWriter w;
  ASSERT_TRUE(w.condition(attr("a") == 1));
  // Fails after adding names and values; they are taken back.
  auto bad = w.update(Update{set(attr("b"), 2), set(attr("c")["d"], 3), remove(attr("c"))});
  ASSERT_FALSE(bad);
  auto bad2 = w.condition(attr("e") == 1 && attr("f") < std::numeric_limits<double>::quiet_NaN());
  ASSERT_FALSE(bad2);
  EXPECT_EQ(w.names(), (Names{{"#n0", "a"}}));
  EXPECT_EQ(w.values(), (Values{{":v0", num("1")}}));
  auto next = w.condition(attr("g") == 1);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, "#n1 = :v1");
}

}  // namespace
}  // namespace exprtest
