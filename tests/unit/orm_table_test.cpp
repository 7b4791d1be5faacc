// Table<T> item calls on the wire: the exact GetItem, PutItem, UpdateItem and
// DeleteItem bodies (conditions, version checks, ReturnValues) and how the
// answers are applied to the object, against FakeTransport. Lifecycle:
// orm_table_lifecycle_test.cpp; query and scan: orm_table_query_test.cpp;
// parallel scan: orm_table_parallel_test.cpp.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "orm_table_fixture.hpp"

namespace dynamate {
namespace {

using orm_table_test::Doc;
using orm_table_test::Plain;
using test::a_doc;
using test::ddb_error;
using test::doc_json;
using test::JsonEq;
using test::OrmTable;
using test::page_json;

// ---- get / refresh ----

TEST_F(OrmTable, GetDecodesTheItemWithExtras) {
  f.transport->push(200, R"({"Item":)" + doc_json("a", 1, 3, R"(,"other":{"S":"x"})") + "}");
  auto d = docs.get("a", 1);
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->id, "a");
  EXPECT_EQ(d->n, 1);
  EXPECT_EQ(d->version, 3);
  EXPECT_EQ(d->score, 7);
  EXPECT_FALSE(d->note.has_value());
  ASSERT_EQ(d->extras.size(), 1u);
  EXPECT_EQ(d->extras.at("other"), AttributeValue("x"));
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.GetItem");
  EXPECT_TRUE(JsonEq(f.body(0), R"({"TableName":"docs","Key":{"id":{"S":"a"},"n":{"N":"1"}}})"));
}

TEST_F(OrmTable, GetConsistentWithProjectionAddsKeys) {
  Table<Doc> consistent(*f.client, {.consistent_read = true});
  f.transport->push(200, R"({"Item":{"id":{"S":"a"},"n":{"N":"1"},"title":{"S":"t"}}})");
  auto d = consistent.get("a", 1, {.projection = project(&Doc::title)});
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->title, "t");
  EXPECT_EQ(d->owner, "");  // not projected: the default
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs","Key":{"id":{"S":"a"},"n":{"N":"1"}},
    "ConsistentRead":true,"ProjectionExpression":"#n0, #n1, #n2",
    "ExpressionAttributeNames":{"#n0":"title","#n1":"id","#n2":"n"}})j"));
  // The per-call option wins over the table's default.
  f.transport->push(200, R"({"Item":)" + doc_json("a", 1, 1) + "}");
  ASSERT_TRUE(consistent.get("a", 1, {.consistent_read = false}));
  EXPECT_TRUE(JsonEq(f.body(1), R"({"TableName":"docs","Key":{"id":{"S":"a"},"n":{"N":"1"}}})"));
}

TEST_F(OrmTable, GetMissingIsNotFoundNamingTableAndKey) {
  f.transport->push(200, "{}");
  auto d = plain.get("nope");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::not_found);
  EXPECT_NE(d.error().message.find("dev-plain-things"), std::string::npos) << d.error().message;
  EXPECT_NE(d.error().message.find(R"({"id":{"S":"nope"}})"), std::string::npos)
      << d.error().message;
}

TEST_F(OrmTable, GetByKeyAndSchemaMismatch) {
  f.transport->push(200, R"({"Item":{"id":{"S":"a"},"body":{"N":"5"}}})");
  auto d = plain.get_by_key({{"id", AttributeValue("a")}});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::schema_mismatch);
  EXPECT_NE(d.error().message.find("body"), std::string::npos) << d.error().message;
}

TEST_F(OrmTable, RefreshReplacesTheObjectOrReportsNotFound) {
  Doc d = a_doc(1);
  d.title = "stale";
  f.transport->push(200, R"({"Item":)" + doc_json("a", 1, 4) + "}");
  ASSERT_TRUE(docs.refresh(d, true));
  EXPECT_EQ(d.title, "t");
  EXPECT_EQ(d.version, 4);
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs","Key":{"id":{"S":"a"},"n":{"N":"1"}},
    "ConsistentRead":true})j"));
  f.transport->push(200, "{}");
  auto gone = docs.refresh(d);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::not_found);
  EXPECT_EQ(d.version, 4);
}

// ---- save ----

TEST_F(OrmTable, SaveNewObjectRequiresAbsentVersion) {
  Doc d = a_doc();
  d.extras = {{"legacy", AttributeValue("kept")}};
  f.transport->push(200, "{}");
  auto r = docs.save(d);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(d.version, 1);
  EXPECT_FALSE(r->old_item);
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.PutItem");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs",
    "Item":)j" + doc_json("a", 1, 1, R"(,"legacy":{"S":"kept"})") +
                                    R"j(,
    "ConditionExpression":"attribute_not_exists(#n0)",
    "ExpressionAttributeNames":{"#n0":"v"}})j"));
}

TEST_F(OrmTable, SaveWithUserConditionAndReturnOld) {
  Doc d = a_doc(2);
  f.transport->push(200, R"({"Attributes":)" + doc_json("a", 1, 2) + "}");
  auto r = docs.save(d, {.condition = field(&Doc::score) < 10, .return_old = true});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(d.version, 3);
  ASSERT_TRUE(r->old_item);
  EXPECT_EQ(r->old_item->version, 2);
  ASSERT_TRUE(r->attributes);
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs","Item":)j" + doc_json("a", 1, 3) + R"j(,
    "ConditionExpression":"#n0 < :v0 AND #n1 = :v1",
    "ExpressionAttributeNames":{"#n0":"score","#n1":"v"},
    "ExpressionAttributeValues":{":v0":{"N":"10"},":v1":{"N":"2"}},
    "ReturnValues":"ALL_OLD"})j"));
}

TEST_F(OrmTable, SaveConditionFailureLeavesTheVersion) {
  Doc d = a_doc(2);
  f.transport->push(400,
                    ddb_error("ConditionalCheckFailedException", "The conditional request failed"));
  auto r = docs.save(d);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::condition_failed);
  EXPECT_EQ(d.version, 2);
}

TEST_F(OrmTable, SaveWithoutVersionCheck) {
  Doc d = a_doc(5);
  f.transport->push(200, "{}");
  ASSERT_TRUE(docs.save(d, {.check_version = false}));
  EXPECT_EQ(d.version, 6);
  EXPECT_TRUE(JsonEq(f.body(0), R"({"TableName":"docs","Item":)" + doc_json("a", 1, 6) + "}"));
}

TEST_F(OrmTable, SaveModelWithoutVersionIsUnconditional) {
  // Plain has no extra_attributes member: save is an UpdateItem that SETs the
  // model's attributes, so attributes it does not name stay in the item.
  Plain p{"k", "hello"};
  f.transport->push(200, "{}");
  ASSERT_TRUE(plain.save(p));
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.UpdateItem");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"dev-plain-things","Key":{"id":{"S":"k"}},
    "UpdateExpression":"SET #n0 = :v0","ExpressionAttributeNames":{"#n0":"body"},
    "ExpressionAttributeValues":{":v0":{"S":"hello"}}})j"));
}

TEST_F(OrmTable, ItemOver400KbIsRefusedBeforeSending) {
  // "id" + "big" + "body" + the body: one byte over the limit.
  Plain p{"big", std::string(kMaxItemBytes - 8, 'x')};
  auto r = plain.save(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("dev-plain-things"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(R"({"id":{"S":"big"}})"), std::string::npos);
  EXPECT_NE(r.error().message.find(std::to_string(kMaxItemBytes + 1)), std::string::npos)
      << r.error().message;
  EXPECT_EQ(f.transport->request_count(), 0u);
  // Exactly at the limit goes out.
  p.body.pop_back();
  f.transport->push(200, "{}");
  EXPECT_TRUE(plain.save(p));
  EXPECT_EQ(f.transport->request_count(), 1u);
}

TEST_F(OrmTable, BadExpressionIsReportedBeforeSending) {
  Doc d = a_doc(1);
  auto r = docs.save(d, {.condition = attr("x").in(std::vector<int>{})});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(f.transport->request_count(), 0u);
  EXPECT_EQ(d.version, 1);
}

// ---- update ----

TEST_F(OrmTable, UpdateAddsVersionAndDecodesAllNew) {
  Doc d = a_doc(2);
  f.transport->push(200, R"({"Attributes":)" + doc_json("a", 1, 3, R"(,"note":{"S":"hi"})") + "}");
  auto r = docs.update(d, {set(&Doc::note, std::string("hi")), add(&Doc::score, 1)},
                       {.condition = field(&Doc::owner) == "ann"});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(d.version, 3);
  EXPECT_EQ(d.note, "hi");
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.UpdateItem");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs","Key":{"id":{"S":"a"},"n":{"N":"1"}},
    "UpdateExpression":"SET #n0 = :v0, #n1 = :v1 ADD #n2 :v2",
    "ConditionExpression":"#n3 = :v3 AND #n1 = :v4",
    "ExpressionAttributeNames":{"#n0":"note","#n1":"v","#n2":"score","#n3":"owner"},
    "ExpressionAttributeValues":{":v0":{"S":"hi"},":v1":{"N":"3"},":v2":{"N":"1"},
      ":v3":{"S":"ann"},":v4":{"N":"2"}},
    "ReturnValues":"ALL_NEW"})j"));
}

TEST_F(OrmTable, UpdateOfANewObjectRequiresAbsentVersion) {
  Doc d = a_doc(0);
  f.transport->push(200, "{}");
  ASSERT_TRUE(docs.update(d, {set(&Doc::title, std::string("x"))},
                          {.return_values = aws::ReturnValues::none}));
  EXPECT_EQ(d.version, 1);
  EXPECT_EQ(d.title, "t");  // NONE: nothing to apply
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs","Key":{"id":{"S":"a"},"n":{"N":"1"}},
    "UpdateExpression":"SET #n0 = :v0, #n1 = :v1",
    "ConditionExpression":"attribute_not_exists(#n1)",
    "ExpressionAttributeNames":{"#n0":"title","#n1":"v"},
    "ExpressionAttributeValues":{":v0":{"S":"x"},":v1":{"N":"1"}}})j"));
}

TEST_F(OrmTable, UpdateWithoutVersionCheckIncrementsOnTheServer) {
  Doc d = a_doc(7);
  f.transport->push(200, R"({"Attributes":{"v":{"N":"12"},"title":{"S":"x"}}})");
  auto r = docs.update(d, {set(&Doc::title, std::string("x"))},
                       {.return_values = aws::ReturnValues::updated_new, .check_version = false});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(d.version, 12);  // what the server holds now
  EXPECT_EQ(d.title, "x");
  EXPECT_EQ(d.owner, "ann");  // untouched members stay
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs","Key":{"id":{"S":"a"},"n":{"N":"1"}},
    "UpdateExpression":"SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1) + :v2",
    "ExpressionAttributeNames":{"#n0":"title","#n1":"v"},
    "ExpressionAttributeValues":{":v0":{"S":"x"},":v1":{"N":"0"},":v2":{"N":"1"}},
    "ReturnValues":"UPDATED_NEW"})j"));
}

TEST_F(OrmTable, UpdatedNewMergesAndDropsRemovedAttributes) {
  Doc d = a_doc(1);
  d.note = "old";
  d.extras = {{"meta", AttributeValue(
                           AttributeMap{{"a", AttributeValue("1")}, {"b", AttributeValue("2")}})}};
  f.transport->push(
      200, R"({"Attributes":{"v":{"N":"2"},"meta":{"M":{"b":{"S":"3"}}},"score":{"N":"9"}}})");
  auto r = docs.update(
      d,
      {remove(field(&Doc::note)), set(attr("meta")["b"], AttributeValue("3")), set(&Doc::score, 9)},
      {.return_values = aws::ReturnValues::updated_new});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_FALSE(d.note.has_value());
  EXPECT_EQ(d.score, 9);
  EXPECT_EQ(d.version, 2);
  ASSERT_TRUE(d.extras.count("meta"));
  EXPECT_EQ(d.extras.at("meta"),
            AttributeValue(AttributeMap{{"a", AttributeValue("1")}, {"b", AttributeValue("3")}}));
  ASSERT_TRUE(r->attributes);
  EXPECT_EQ(r->attributes->size(), 3u);
}

TEST_F(OrmTable, UpdatedNewOfListElementsAsksForAllNew) {
  Plain p{"k", "b"};
  f.transport->push(200,
                    R"({"Attributes":{"id":{"S":"k"},"body":{"S":"b"},"l":{"L":[{"S":"x"}]}}})");
  ASSERT_TRUE(plain.update(p, {set(attr("l")[0], AttributeValue("x"))},
                           {.return_values = aws::ReturnValues::updated_new}));
  EXPECT_NE(f.body(0).find(R"("ReturnValues":"ALL_NEW")"), std::string::npos) << f.body(0);
}

TEST_F(OrmTable, UpdateAllOldAndUpdatedOld) {
  Doc d = a_doc(1);
  f.transport->push(200, R"({"Attributes":)" + doc_json("a", 1, 1) + "}");
  auto r = docs.update(d, {set(&Doc::title, std::string("new"))},
                       {.return_values = aws::ReturnValues::all_old});
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_TRUE(r->old_item);
  EXPECT_EQ(r->old_item->title, "t");
  EXPECT_EQ(d.version, 2);

  f.transport->push(200, R"({"Attributes":{"title":{"S":"new"},"v":{"N":"2"}}})");
  r = docs.update(d, {set(&Doc::title, std::string("newer"))},
                  {.return_values = aws::ReturnValues::updated_old});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_FALSE(r->old_item);
  ASSERT_TRUE(r->attributes);
  EXPECT_EQ(r->attributes->at("title"), AttributeValue("new"));
  EXPECT_EQ(d.version, 3);
}

TEST_F(OrmTable, UpdateConditionFailureLeavesTheObject) {
  Doc d = a_doc(4);
  f.transport->push(400,
                    ddb_error("ConditionalCheckFailedException", "The conditional request failed"));
  auto r = docs.update(d, {add(&Doc::score, 1)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::condition_failed);
  EXPECT_EQ(d.version, 4);
  EXPECT_EQ(d.score, 7);
}

TEST_F(OrmTable, UpdateTouchingTheVersionIsRefused) {
  Doc d = a_doc(4);
  auto r = docs.update(d, {set(&Doc::version, 10)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(f.transport->request_count(), 0u);
}

TEST_F(OrmTable, UpdateByKey) {
  f.transport->push(200, R"({"Attributes":)" + doc_json("a", 1, 5) + "}");
  auto r = docs.update_by_key({{"id", AttributeValue("a")}, {"n", AttributeValue::number(1)}},
                              {add(&Doc::score, 2)}, {.condition = attr("id").exists()});
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_TRUE(r->new_item);
  EXPECT_EQ(r->new_item->version, 5);
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs","Key":{"id":{"S":"a"},"n":{"N":"1"}},
    "UpdateExpression":"SET #n0 = if_not_exists(#n0, :v0) + :v1 ADD #n1 :v2",
    "ConditionExpression":"attribute_exists(#n2)",
    "ExpressionAttributeNames":{"#n0":"v","#n1":"score","#n2":"id"},
    "ExpressionAttributeValues":{":v0":{"N":"0"},":v1":{"N":"1"},":v2":{"N":"2"}},
    "ReturnValues":"ALL_NEW"})j"));
}

// ---- remove ----

TEST_F(OrmTable, RemoveChecksVersionAndReturnsOld) {
  Doc d = a_doc(3);
  f.transport->push(200, R"({"Attributes":)" + doc_json("a", 1, 3) + "}");
  auto r = docs.remove(d, {.return_old = true});
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_TRUE(r->old_item);
  EXPECT_EQ(r->old_item->version, 3);
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.DeleteItem");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"docs","Key":{"id":{"S":"a"},"n":{"N":"1"}},
    "ConditionExpression":"#n0 = :v0","ExpressionAttributeNames":{"#n0":"v"},
    "ExpressionAttributeValues":{":v0":{"N":"3"}},"ReturnValues":"ALL_OLD"})j"));

  f.transport->push(400,
                    ddb_error("ConditionalCheckFailedException", "The conditional request failed"));
  auto stale = docs.remove(d, {.condition = field(&Doc::score) > 1});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::condition_failed);
  EXPECT_TRUE(JsonEq(f.body(1), R"j({"TableName":"docs","Key":{"id":{"S":"a"},"n":{"N":"1"}},
    "ConditionExpression":"#n0 > :v0 AND #n1 = :v1",
    "ExpressionAttributeNames":{"#n0":"score","#n1":"v"},
    "ExpressionAttributeValues":{":v0":{"N":"1"},":v1":{"N":"3"}}})j"));
}

TEST_F(OrmTable, RemoveWithoutCheckAndByKey) {
  Doc d = a_doc(3);
  f.transport->push(200, "{}");
  f.transport->push(200, "{}");
  ASSERT_TRUE(docs.remove(d, {.check_version = false}));
  ASSERT_TRUE(plain.remove_by_key({{"id", AttributeValue("k")}}));
  EXPECT_TRUE(JsonEq(f.body(0), R"({"TableName":"docs","Key":{"id":{"S":"a"},"n":{"N":"1"}}})"));
  EXPECT_TRUE(JsonEq(f.body(1), R"({"TableName":"dev-plain-things","Key":{"id":{"S":"k"}}})"));
}

}  // namespace
}  // namespace dynamate
