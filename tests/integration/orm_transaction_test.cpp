// TransactWrite and TransactGet end to end against DynamoDB Local: a transfer
// between versioned accounts plus a put of another model, a cancellation
// whose reasons name the failed condition (with the old item), a version
// conflict from a stale copy, a token resent without applying twice, a put
// that keeps attributes the model does not name, and a transactional read
// with a missing item. Every test deletes its tables.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "dynamate/transaction.hpp"
#include "support/local_aws.hpp"

namespace orm_tx_it {

struct Account {
  std::string id;
  std::int64_t balance = 0;
  std::int64_t version = 0;
};

struct Transfer {
  std::string from;
  std::int64_t seq = 0;
  std::string to;
  std::int64_t amount = 0;
};

}  // namespace orm_tx_it

template <>
inline constexpr auto dynamate::schema_of<orm_tx_it::Account> =
    dynamate::schema<orm_tx_it::Account>(
        "accounts", dynamate::hash_key("id", &orm_tx_it::Account::id),
        dynamate::attribute("balance", &orm_tx_it::Account::balance),
        dynamate::version("version", &orm_tx_it::Account::version));

template <>
inline constexpr auto dynamate::schema_of<orm_tx_it::Transfer> =
    dynamate::schema<orm_tx_it::Transfer>("transfers",
                                          dynamate::hash_key("from", &orm_tx_it::Transfer::from),
                                          dynamate::range_key("seq", &orm_tx_it::Transfer::seq),
                                          dynamate::attribute("to", &orm_tx_it::Transfer::to),
                                          dynamate::attribute("amount",
                                                              &orm_tx_it::Transfer::amount));

namespace dynamate {
namespace {

using namespace std::chrono_literals;
using orm_tx_it::Account;
using orm_tx_it::Transfer;

class OrmTransactionLocal : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(accounts_.create_table({.timeout = 60s}));
    ASSERT_TRUE(transfers_.create_table({.timeout = 60s}));
    // Two accounts, created in one transaction.
    TransactWrite t(client_);
    t.put(accounts_, alice_).put(accounts_, bob_);
    auto r = t.execute();
    ASSERT_TRUE(r) << r.error().to_string();
    ASSERT_EQ(alice_.version, 1);
    ASSERT_EQ(bob_.version, 1);
  }
  void TearDown() override {
    auto a = accounts_.delete_table({.timeout = 60s, .ignore_missing = true});
    EXPECT_TRUE(a) << a.error().to_string();
    auto b = transfers_.delete_table({.timeout = 60s, .ignore_missing = true});
    EXPECT_TRUE(b) << b.error().to_string();
  }

  Account load(const std::string& id) {
    return accounts_.get(id, {.consistent_read = true}).value();
  }

  aws::DynamoDbClient client_ = aws::DynamoDbClient::create(test::dynamodb_config()).value();
  Table<Account> accounts_{client_, {.table_name = test::unique_name("dynamate-tx-accounts")}};
  Table<Transfer> transfers_{client_, {.table_name = test::unique_name("dynamate-tx-transfers")}};
  Account alice_{"alice", 100, 0};
  Account bob_{"bob", 20, 0};
};

TEST_F(OrmTransactionLocal, TransferCommitsEverythingAndMovesVersions) {
  TransactWrite t(client_);
  t.update(accounts_, alice_, {add(&Account::balance, std::int64_t{-30})},
           field(&Account::balance) >= std::int64_t{30})
      .update(accounts_, bob_, {add(&Account::balance, std::int64_t{30})})
      .put(transfers_, Transfer{"alice", 1, "bob", 30}, attr("from").not_exists());
  auto r = t.execute();
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(alice_.version, 2);
  EXPECT_EQ(bob_.version, 2);
  const Account a = load("alice");
  const Account b = load("bob");
  EXPECT_EQ(a.balance, 70);
  EXPECT_EQ(a.version, 2);
  EXPECT_EQ(b.balance, 50);
  EXPECT_EQ(b.version, 2);
  auto tr = transfers_.get("alice", 1, {.consistent_read = true});
  ASSERT_TRUE(tr) << tr.error().to_string();
  EXPECT_EQ(tr->amount, 30);
}

TEST_F(OrmTransactionLocal, FailedConditionCancelsWithReasonsAndOldItem) {
  TransactWrite t(client_);
  t.put(transfers_, Transfer{"bob", 1, "alice", 500})
      .update(accounts_, bob_, {add(&Account::balance, std::int64_t{-500})},
              field(&Account::balance) >= std::int64_t{500}, {.return_old_on_failure = true})
      .update(accounts_, alice_, {add(&Account::balance, std::int64_t{500})});
  auto r = t.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::transaction_canceled) << r.error().to_string();
  const auto* d = r.error().detail<TransactionErrorDetail>();
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->failed.size(), 1u) << r.error().to_string();
  const FailedAction& f = d->failed[0];
  EXPECT_EQ(f.index, 1u);
  EXPECT_EQ(f.kind, TransactActionKind::update);
  EXPECT_EQ(f.table, accounts_.name());
  EXPECT_TRUE(f.condition_failed()) << f.code;
  auto old = f.old_item_as<Account>();
  ASSERT_TRUE(old) << old.error().to_string();
  ASSERT_TRUE(old->has_value());
  EXPECT_EQ((*old)->balance, 20);
  EXPECT_NE(r.error().message.find("action #1 (update on table " + accounts_.name()),
            std::string::npos)
      << r.error().message;
  // Nothing was applied and the objects keep their versions.
  EXPECT_EQ(bob_.version, 1);
  EXPECT_EQ(alice_.version, 1);
  EXPECT_EQ(load("alice").balance, 100);
  auto none = transfers_.get("bob", 1, {.consistent_read = true});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::not_found);
}

TEST_F(OrmTransactionLocal, StaleCopyIsAVersionConflict) {
  Account copy = load("alice");  // version 1, like alice_
  TransactWrite first(client_);
  first.update(accounts_, alice_, {add(&Account::balance, std::int64_t{1})});
  ASSERT_TRUE(first.execute());
  EXPECT_EQ(alice_.version, 2);

  TransactWrite second(client_);
  second.put(accounts_, bob_).update(accounts_, copy, {add(&Account::balance, std::int64_t{1})});
  auto r = second.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::transaction_canceled);
  const auto* d = r.error().detail<TransactionErrorDetail>();
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->failed.size(), 1u);
  EXPECT_EQ(d->failed[0].index, 1u);
  EXPECT_TRUE(d->failed[0].version_checked);
  EXPECT_TRUE(d->failed[0].condition_failed());
  EXPECT_EQ(copy.version, 1);
  EXPECT_EQ(bob_.version, 1);
  EXPECT_EQ(load("alice").balance, 101);

  // A remove of the stale copy is refused the same way; of the fresh one it works.
  TransactWrite remove_stale(client_);
  remove_stale.remove(accounts_, copy);
  EXPECT_FALSE(remove_stale.execute());
  TransactWrite remove_fresh(client_);
  remove_fresh.remove(accounts_, alice_);
  ASSERT_TRUE(remove_fresh.execute());
  EXPECT_EQ(load("bob").balance, 20);
  auto gone = accounts_.get("alice", {.consistent_read = true});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::not_found);
}

TEST_F(OrmTransactionLocal, ExecutingAgainWithTheSameTokenAppliesOnce) {
  TransactWrite t(client_);
  t.client_request_token("dynamate-" + test::unique_name("tx").substr(0, 26));
  t.update(accounts_, detail::make_key<Account>("bob").value(),
           {add(&Account::balance, std::int64_t{5})});
  ASSERT_TRUE(t.execute());
  auto again = t.execute();  // e.g. after a timeout whose outcome was unknown
  ASSERT_TRUE(again) << again.error().to_string();
  const Account b = load("bob");
  EXPECT_EQ(b.balance, 25);
  EXPECT_EQ(b.version, 2);  // by key: ADD version 1, once
}

TEST_F(OrmTransactionLocal, PutKeepsAttributesTheModelDoesNotName) {
  // Another writer adds an attribute Account does not name.
  aws::UpdateItemRequest other;
  other.table_name = accounts_.name();
  other.key = detail::make_key<Account>("alice").value();
  other.update_expression = "SET #o = :o";
  other.expression_attribute_names = {{"#o", "owner"}};
  other.expression_attribute_values = {{":o", AttributeValue("Alice A.")}};
  ASSERT_TRUE(client_.update_item(other));

  alice_.balance = 90;
  TransactWrite t(client_);
  t.put(accounts_, alice_).put(transfers_, Transfer{"alice", 9, "bob", 10});
  auto r = t.execute();
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(alice_.version, 2);
  auto stored = client_.get_item({.table_name = accounts_.name(),
                                  .key = detail::make_key<Account>("alice").value(),
                                  .consistent_read = true});
  ASSERT_TRUE(stored && stored->item) << (stored ? "no item" : stored.error().to_string());
  EXPECT_EQ(stored->item->at("owner"), AttributeValue("Alice A."));
  EXPECT_EQ(stored->item->at("balance"), AttributeValue::number(90));
  EXPECT_EQ(stored->item->at("version"), AttributeValue::number(2));
  // The version check still guards it: a stale copy's put is refused.
  Account stale{"alice", 1, 1};
  TransactWrite again(client_);
  again.put(accounts_, stale);
  auto refused = again.execute();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::transaction_canceled);
  EXPECT_EQ(load("alice").balance, 90);
}

TEST_F(OrmTransactionLocal, TransactGetReadsTypedItemsAndMissingOnes) {
  Transfer saved{"alice", 7, "bob", 1};
  ASSERT_TRUE(transfers_.save(saved));
  TransactGet g(client_);
  auto a = g.get(accounts_, "alice");
  auto t = g.get(transfers_, "alice", 7);
  auto missing = g.get(accounts_, "carol");
  auto b = g.get(accounts_, detail::make_key<Account>("bob").value());
  auto r = g.execute();
  ASSERT_TRUE(r) << r.error().to_string();
  auto alice = g.result(a);
  ASSERT_TRUE(alice && alice->has_value());
  EXPECT_EQ((*alice)->balance, 100);
  EXPECT_EQ((*alice)->version, 1);
  auto transfer = g.result(t);
  ASSERT_TRUE(transfer && transfer->has_value());
  EXPECT_EQ((*transfer)->to, "bob");
  auto carol = g.result(missing);
  ASSERT_TRUE(carol);
  EXPECT_FALSE(carol->has_value());
  auto bob = g.result(b);
  ASSERT_TRUE(bob && bob->has_value());
  EXPECT_EQ((*bob)->balance, 20);
}

}  // namespace
}  // namespace dynamate
