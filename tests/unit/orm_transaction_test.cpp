// TransactWrite and TransactGet against FakeTransport: the exact
// TransactWriteItems / TransactGetItems bodies (conditions, version checks
// and increments, ALL_OLD on failure; puts of models without
// extra_attributes are updates, see orm_transaction_put_test.cpp), the
// idempotency token kept across executions, versions of the caller's
// objects after success only, the typed view of TransactionCanceledException
// reasons, and what is refused before sending (no actions, over 100, one
// item twice, a check without a condition, an item over 400 KB).
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "dynamate/transaction.hpp"
#include "dynamodb_test_fixture.hpp"

namespace orm_transaction_test {

struct Account {
  std::string id;
  std::int64_t balance = 0;
  std::int64_t version = 0;
};

struct Note {
  std::string owner;
  std::int64_t n = 0;
  std::string text;
};

}  // namespace orm_transaction_test

template <>
inline constexpr auto dynamate::schema_of<orm_transaction_test::Account> =
    dynamate::schema<orm_transaction_test::Account>(
        "accounts", dynamate::hash_key("id", &orm_transaction_test::Account::id),
        dynamate::attribute("balance", &orm_transaction_test::Account::balance),
        dynamate::version("version", &orm_transaction_test::Account::version));

template <>
inline constexpr auto dynamate::schema_of<orm_transaction_test::Note> =
    dynamate::schema<orm_transaction_test::Note>(
        "notes", dynamate::hash_key("owner", &orm_transaction_test::Note::owner),
        dynamate::range_key("n", &orm_transaction_test::Note::n),
        dynamate::attribute("text", &orm_transaction_test::Note::text));

namespace dynamate {
namespace {

using orm_transaction_test::Account;
using orm_transaction_test::Note;
using test::ddb_error;
using test::DynamoDbFixture;
using test::JsonEq;

TEST(TransactWrite, RequestShapeWithVersionChecks) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  Table<Account> accounts(*f);
  Table<Note> notes(*f);
  Account fresh{"new", 10, 0};
  Account old{"old", 5, 3};
  Account gone{"gone", 0, 8};
  TransactWrite t(*f);
  t.client_request_token("token-1");
  t.put(accounts, fresh);
  t.update(accounts, old, {add(&Account::balance, std::int64_t{-5})},
           field(&Account::balance) >= std::int64_t{5}, {.return_old_on_failure = true});
  t.remove(accounts, gone);
  t.check(notes, detail::make_key<Note>("ann", 1).value(), attr("text").exists());
  t.put(notes, Note{"ann", 2, "hi"}, attr("owner").not_exists());
  EXPECT_EQ(t.size(), 5u);
  auto r = t.execute();
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.TransactWriteItems");
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"ClientRequestToken":"token-1","TransactItems":[
    {"Update":{"TableName":"accounts","Key":{"id":{"S":"new"}},
               "UpdateExpression":"SET #n1 = :v0, #n0 = :v1",
               "ConditionExpression":"attribute_not_exists(#n0)",
               "ExpressionAttributeNames":{"#n0":"version","#n1":"balance"},
               "ExpressionAttributeValues":{":v0":{"N":"10"},":v1":{"N":"1"}}}},
    {"Update":{"TableName":"accounts","Key":{"id":{"S":"old"}},
               "UpdateExpression":"SET #n1 = :v2 ADD #n0 :v3",
               "ConditionExpression":"#n0 >= :v0 AND #n1 = :v1",
               "ExpressionAttributeNames":{"#n0":"balance","#n1":"version"},
               "ExpressionAttributeValues":{":v0":{"N":"5"},":v1":{"N":"3"},":v2":{"N":"4"},
                                            ":v3":{"N":"-5"}},
               "ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},
    {"Delete":{"TableName":"accounts","Key":{"id":{"S":"gone"}},
               "ConditionExpression":"#n0 = :v0",
               "ExpressionAttributeNames":{"#n0":"version"},
               "ExpressionAttributeValues":{":v0":{"N":"8"}}}},
    {"ConditionCheck":{"TableName":"notes","Key":{"owner":{"S":"ann"},"n":{"N":"1"}},
                       "ConditionExpression":"attribute_exists(#n0)",
                       "ExpressionAttributeNames":{"#n0":"text"}}},
    {"Update":{"TableName":"notes","Key":{"owner":{"S":"ann"},"n":{"N":"2"}},
               "UpdateExpression":"SET #n1 = :v0",
               "ConditionExpression":"attribute_not_exists(#n0)",
               "ExpressionAttributeNames":{"#n0":"owner","#n1":"text"},
               "ExpressionAttributeValues":{":v0":{"S":"hi"}}}}]})j"));
  // Versions follow the writes; a removed object keeps its own.
  EXPECT_EQ(fresh.version, 1);
  EXPECT_EQ(old.version, 4);
  EXPECT_EQ(gone.version, 8);
}

TEST(TransactWrite, UncheckedAndByKeyWritesStillMoveTheVersion) {
  DynamoDbFixture f;
  f.transport->push(200, "{}");
  Table<Account> accounts(*f);
  Account a{"a", 1, 2};
  Account b{"b", 1, 6};
  TransactWrite t(*f);
  t.put(accounts, a, {}, {.check_version = false});
  t.update(accounts, b, {set(&Account::balance, std::int64_t{0})}, {}, {.check_version = false});
  t.update(accounts, detail::make_key<Account>("c").value(),
           {set(&Account::balance, std::int64_t{1})});
  ASSERT_TRUE(t.execute());
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"ClientRequestToken":")j" + t.client_request_token() +
                                    R"j(","TransactItems":[
    {"Update":{"TableName":"accounts","Key":{"id":{"S":"a"}},
               "UpdateExpression":"SET #n0 = :v0, #n1 = :v1",
               "ExpressionAttributeNames":{"#n0":"balance","#n1":"version"},
               "ExpressionAttributeValues":{":v0":{"N":"1"},":v1":{"N":"3"}}}},
    {"Update":{"TableName":"accounts","Key":{"id":{"S":"b"}},
               "UpdateExpression":"SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1) + :v2",
               "ExpressionAttributeNames":{"#n0":"balance","#n1":"version"},
               "ExpressionAttributeValues":{":v0":{"N":"0"},":v1":{"N":"0"},":v2":{"N":"1"}}}},
    {"Update":{"TableName":"accounts","Key":{"id":{"S":"c"}},
               "UpdateExpression":"SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1) + :v2",
               "ExpressionAttributeNames":{"#n0":"balance","#n1":"version"},
               "ExpressionAttributeValues":{":v0":{"N":"1"},":v1":{"N":"0"},":v2":{"N":"1"}}}}]})j"));
  EXPECT_EQ(a.version, 3);
  EXPECT_EQ(b.version, 6);  // unknown after an unchecked increment: left alone
}

TEST(TransactWrite, TokenIsChosenOnceAndReusedOnEveryExecute) {
  DynamoDbFixture f;
  f.transport->push_error(Error(ErrorCode::timeout, "no answer"));  // ambiguous, not retried here
  f.transport->push(200, "{}");
  Table<Note> notes(*f);
  TransactWrite t(*f);
  t.put(notes, Note{"ann", 1, "x"});
  EXPECT_TRUE(t.client_request_token().empty());
  auto first = t.execute();
  const std::string token = t.client_request_token();
  EXPECT_EQ(token.size(), 36u);
  if (first) {  // the client's own retry may already have resent it
    EXPECT_EQ(f.transport->request_count(), 2u);
  } else {
    ASSERT_TRUE(t.execute());
  }
  ASSERT_EQ(f.transport->request_count(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_NE(f.body(i).find("\"ClientRequestToken\":\"" + token + "\""), std::string::npos)
        << f.body(i);
  }
  EXPECT_EQ(f.body(0), f.body(1));

  DynamoDbFixture g;
  g.transport->push(200, "{}");
  g.transport->push(200, "{}");
  TransactWrite a(*g);
  TransactWrite b(*g);
  a.put(notes, Note{"ann", 1, "x"});
  b.put(notes, Note{"ann", 1, "x"});
  ASSERT_TRUE(a.execute());
  ASSERT_TRUE(b.execute());
  EXPECT_NE(a.client_request_token(), b.client_request_token());
}

TEST(TransactWrite, CancellationReasonsBecomeFailedActions) {
  DynamoDbFixture f;
  f.transport->push(
      400,
      ddb_error("TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons "
                "[None, ConditionalCheckFailed, TransactionConflict]",
                R"("CancellationReasons":[{"Code":"None"},
                   {"Code":"ConditionalCheckFailed","Message":"The conditional request failed",
                    "Item":{"id":{"S":"b"},"balance":{"N":"0"},"version":{"N":"9"}}},
                   {"Code":"TransactionConflict","Message":"conflict"}])"));
  Table<Account> accounts(*f);
  Table<Note> notes(*f);
  Account a{"a", 1, 0};
  Account b{"b", 1, 2};
  TransactWrite t(*f);
  t.put(accounts, a)
      .update(accounts, b, {add(&Account::balance, std::int64_t{1})}, {},
              {.return_old_on_failure = true})
      .remove(notes, detail::make_key<Note>("ann", 3).value());
  auto r = t.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::transaction_canceled);
  EXPECT_NE(r.error().message.find("action #1 (update on table accounts"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("ConditionalCheckFailed"), std::string::npos);
  const auto* d = r.error().detail<TransactionErrorDetail>();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->cancellation_reasons.size(), 3u);  // the raw ones are kept
  EXPECT_NE(r.error().detail<DynamoDbErrorDetail>(), nullptr);
  ASSERT_EQ(d->failed.size(), 2u);
  const FailedAction& cond = d->failed[0];
  EXPECT_EQ(cond.index, 1u);
  EXPECT_EQ(cond.kind, TransactActionKind::update);
  EXPECT_EQ(cond.table, "accounts");
  EXPECT_EQ(cond.key, detail::make_key<Account>("b").value());
  EXPECT_TRUE(cond.condition_failed());
  EXPECT_TRUE(cond.version_checked);
  EXPECT_EQ(cond.message, "The conditional request failed");
  auto was = cond.old_item_as<Account>();
  ASSERT_TRUE(was);
  ASSERT_TRUE(was->has_value());
  EXPECT_EQ((*was)->version, 9);  // someone else wrote it meanwhile
  const FailedAction& conflict = d->failed[1];
  EXPECT_EQ(conflict.index, 2u);
  EXPECT_EQ(conflict.kind, TransactActionKind::remove);
  EXPECT_EQ(conflict.code, "TransactionConflict");
  EXPECT_FALSE(conflict.version_checked);
  EXPECT_FALSE(conflict.old_item.has_value());
  // Nothing applied: the objects keep their versions.
  EXPECT_EQ(a.version, 0);
  EXPECT_EQ(b.version, 2);
}

TEST(TransactWrite, RefusedBeforeSending) {
  DynamoDbFixture f;
  Table<Note> notes(*f);
  Table<Note> other(*f, {.table_name = "other"});
  Table<Account> accounts(*f);

  TransactWrite empty(*f);
  auto r = empty.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("no actions"), std::string::npos);

  TransactWrite big(*f);
  for (int i = 0; i < 101; ++i) big.put(notes, Note{"a", i, ""});
  r = big.execute();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("101 actions"), std::string::npos) << r.error().message;

  TransactWrite twice(*f);
  twice.put(notes, Note{"a", 1, ""})
      .put(other, Note{"a", 1, ""})  // same key, other table: fine
      .remove(notes, detail::make_key<Note>("a", 1).value());
  r = twice.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("action #2 (remove on table notes"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("same item"), std::string::npos) << r.error().message;

  TransactWrite unconditional(*f);
  unconditional.check(notes, detail::make_key<Note>("a", 1).value(), Condition{});
  r = unconditional.execute();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("needs a condition"), std::string::npos) << r.error().message;

  TransactWrite no_update(*f);
  no_update.update(notes, detail::make_key<Note>("a", 1).value(), Update{});
  EXPECT_FALSE(no_update.execute());

  TransactWrite huge(*f);
  huge.put(notes, Note{"a", 1, ""}).put(notes, Note{"b", 1, std::string(kMaxItemBytes, 'x')});
  r = huge.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("action #1"), std::string::npos) << r.error().message;

  // A versioned object is checked by its version alone.
  f.transport->push(200, "{}");
  TransactWrite versioned(*f);
  versioned.check(accounts, Account{"a", 0, 4});
  EXPECT_TRUE(versioned.execute());
  EXPECT_NE(f.body(0).find(R"("ConditionExpression":"#n0 = :v0")"), std::string::npos) << f.body(0);
  EXPECT_EQ(f.transport->request_count(), 1u);
}

TEST(TransactGet, HandlesGiveTypedResultsAndMissingIsNullopt) {
  DynamoDbFixture f;
  f.transport->push(200, R"({"Responses":[
      {"Item":{"id":{"S":"a"},"balance":{"N":"12"},"version":{"N":"3"}}},
      {},
      {"Item":{"owner":{"S":"ann"},"n":{"N":"2"},"text":{"S":"hello"}}}]})");
  Table<Account> accounts(*f);
  Table<Note> notes(*f);
  TransactGet g(*f);
  auto a = g.get(accounts, "a");
  auto missing = g.get(accounts, detail::make_key<Account>("zz").value());
  auto note = g.get(notes, "ann", 2);
  EXPECT_EQ(g.size(), 3u);
  auto early = g.result(a);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::invalid_argument);

  ASSERT_TRUE(g.execute());
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.TransactGetItems");
  EXPECT_TRUE(JsonEq(f.body(0), R"({"TransactItems":[
      {"Get":{"TableName":"accounts","Key":{"id":{"S":"a"}}}},
      {"Get":{"TableName":"accounts","Key":{"id":{"S":"zz"}}}},
      {"Get":{"TableName":"notes","Key":{"owner":{"S":"ann"},"n":{"N":"2"}}}}]})"));
  auto got = g.result(a);
  ASSERT_TRUE(got) << got.error().to_string();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->balance, 12);
  EXPECT_EQ((*got)->version, 3);
  auto none = g.result(missing);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  auto n = g.result(note);
  ASSERT_TRUE(n);
  ASSERT_TRUE(n->has_value());
  EXPECT_EQ((*n)->text, "hello");
  EXPECT_FALSE(g.result(TransactGet::Handle<Note>{7}));
}

TEST(TransactGet, RefusedBeforeSendingAndCancellation) {
  DynamoDbFixture f;
  Table<Account> accounts(*f);
  TransactGet twice(*f);
  (void)twice.get(accounts, "a");
  (void)twice.get(accounts, "a");
  auto r = twice.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_FALSE(TransactGet(*f).execute());
  EXPECT_EQ(f.transport->request_count(), 0u);

  f.transport->push(400, ddb_error("TransactionCanceledException", "cancelled",
                                   R"("CancellationReasons":[{"Code":"None"},
                                      {"Code":"TransactionConflict","Message":"busy"}])"));
  TransactGet g(*f);
  (void)g.get(accounts, "a");
  (void)g.get(accounts, "b");
  r = g.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::transaction_canceled);
  const auto* d = r.error().detail<TransactionErrorDetail>();
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->failed.size(), 1u);
  EXPECT_EQ(d->failed[0].index, 1u);
  EXPECT_EQ(d->failed[0].kind, TransactActionKind::get);
  EXPECT_EQ(d->failed[0].code, "TransactionConflict");
}

}  // namespace
}  // namespace dynamate
