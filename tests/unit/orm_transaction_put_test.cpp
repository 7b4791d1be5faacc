// TransactWrite::put keeps attributes the model does not name, like
// Table::save: a model without extra_attributes is sent as a TransactUpdate
// (SET its attributes, REMOVE its empty fields, key excluded, the same
// conditions), a model with extra_attributes as a TransactPut, and a model
// that is only its key as a TransactPut (an update needs an expression).
// Against FakeTransport.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "dynamate/transaction.hpp"
#include "dynamodb_test_fixture.hpp"

namespace orm_transaction_put_test {

struct Profile {
  std::string id;
  std::string name;
  std::optional<std::string> bio;
  std::set<std::string> tags;
  std::int64_t version = 0;
};

struct Open {
  std::string id;
  std::string name;
  dynamate::AttributeMap extras;
};

struct KeyOnly {
  std::string id;
};

}  // namespace orm_transaction_put_test

template <>
inline constexpr auto dynamate::schema_of<orm_transaction_put_test::Profile> =
    dynamate::schema<orm_transaction_put_test::Profile>(
        "profiles", dynamate::hash_key("id", &orm_transaction_put_test::Profile::id),
        dynamate::attribute("name", &orm_transaction_put_test::Profile::name),
        dynamate::attribute("bio", &orm_transaction_put_test::Profile::bio),
        dynamate::attribute("tags", &orm_transaction_put_test::Profile::tags),
        dynamate::version("version", &orm_transaction_put_test::Profile::version));

template <>
inline constexpr auto dynamate::schema_of<orm_transaction_put_test::Open> =
    dynamate::schema<orm_transaction_put_test::Open>(
        "open", dynamate::hash_key("id", &orm_transaction_put_test::Open::id),
        dynamate::attribute("name", &orm_transaction_put_test::Open::name),
        dynamate::extra_attributes(&orm_transaction_put_test::Open::extras));

template <>
inline constexpr auto dynamate::schema_of<orm_transaction_put_test::KeyOnly> =
    dynamate::schema<orm_transaction_put_test::KeyOnly>(
        "keys", dynamate::hash_key("id", &orm_transaction_put_test::KeyOnly::id));

namespace dynamate {
namespace {

using orm_transaction_put_test::KeyOnly;
using orm_transaction_put_test::Open;
using orm_transaction_put_test::Profile;
using test::ddb_error;
using test::DynamoDbFixture;
using test::JsonEq;

TEST(TransactWritePut, ModelsWithoutExtraAttributesAreUpdatesKeepingUnknownAttributes) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  Table<Profile> profiles(*f);
  Table<Open> open(*f);
  Table<KeyOnly> keys(*f);
  Profile p{"p", "Ann", std::nullopt, {}, 2};
  TransactWrite t(*f);
  t.client_request_token("tok");
  t.put(profiles, p, attr("name").exists(), {.return_old_on_failure = true});
  t.put(open, Open{"o", "x", {{"legacy", AttributeValue("kept")}}});
  t.put(keys, KeyOnly{"k"});
  auto r = t.execute();
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"ClientRequestToken":"tok","TransactItems":[
    {"Update":{"TableName":"profiles","Key":{"id":{"S":"p"}},
               "UpdateExpression":"SET #n0 = :v1, #n1 = :v2 REMOVE #n2, #n3",
               "ConditionExpression":"attribute_exists(#n0) AND #n1 = :v0",
               "ExpressionAttributeNames":{"#n0":"name","#n1":"version","#n2":"bio","#n3":"tags"},
               "ExpressionAttributeValues":{":v0":{"N":"2"},":v1":{"S":"Ann"},":v2":{"N":"3"}},
               "ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},
    {"Put":{"TableName":"open",
            "Item":{"id":{"S":"o"},"name":{"S":"x"},"legacy":{"S":"kept"}}}},
    {"Put":{"TableName":"keys","Item":{"id":{"S":"k"}}}}]})j"));
  EXPECT_EQ(p.version, 3);
}

TEST(TransactWritePut, AFailedUpdatePutIsReportedAsAPut) {
  DynamoDbFixture f;
  f.transport->push(400, ddb_error("TransactionCanceledException", "Transaction cancelled",
                                   R"("CancellationReasons":[{"Code":"ConditionalCheckFailed",)"
                                   R"("Message":"The conditional request failed"}])"));
  Table<Profile> profiles(*f);
  Profile p{"p", "Ann", "bio", {"a"}, 0};
  TransactWrite t(*f);
  t.put(profiles, p);
  auto r = t.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::transaction_canceled);
  const auto* d = r.error().detail<TransactionErrorDetail>();
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->failed.size(), 1u);
  EXPECT_EQ(d->failed[0].kind, TransactActionKind::put);
  EXPECT_TRUE(d->failed[0].version_checked);
  EXPECT_EQ(d->failed[0].key, (AttributeMap{{"id", AttributeValue("p")}}));
  EXPECT_EQ(p.version, 0);  // not written
  // The update SETs every attribute of the object (nothing to remove).
  EXPECT_NE(
      f.body(0).find(R"("UpdateExpression":"SET #n1 = :v0, #n2 = :v1, #n3 = :v2, #n0 = :v3")"),
      std::string::npos)
      << f.body(0);
}

}  // namespace
}  // namespace dynamate
