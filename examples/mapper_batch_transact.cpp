// Batches and transactions across two tables: BatchWrite of many items (25
// per request, unprocessed ones retried with back-off), BatchGet of them
// back (100 keys per request), then a transfer between two accounts as one
// TransactWrite with a condition, a cancelled transaction with its typed
// reasons, and a TransactGet.
//
//   AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:8000 ./example_mapper_batch_transact
//   [TABLE_PREFIX]
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <dynamate/dynamate.hpp>

struct Account {
  std::string id;
  std::int64_t balance = 0;
  std::int64_t version = 0;
};
template <>
inline constexpr auto dynamate::schema_of<Account> =
    dynamate::schema<Account>("example-accounts", dynamate::hash_key("id", &Account::id),
                              dynamate::attribute("balance", &Account::balance),
                              dynamate::version("version", &Account::version));

struct Entry {
  std::string account;
  std::int64_t seq = 0;
  std::int64_t amount = 0;
};
template <>
inline constexpr auto dynamate::schema_of<Entry> = dynamate::schema<Entry>(
    "example-ledger", dynamate::hash_key("account", &Entry::account),
    dynamate::range_key("seq", &Entry::seq), dynamate::attribute("amount", &Entry::amount));

namespace {
int fail(const char* what, const dynamate::Error& e) {
  std::fprintf(stderr, "%s: %s\n", what, e.to_string().c_str());
  return 1;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace dynamate;
  auto ddb = aws::DynamoDbClient::from_environment();
  if (!ddb) return fail("client", ddb.error());
  const TableConfig config{.name_prefix = argc > 1 ? argv[1] : ""};
  Table<Account> accounts(*ddb, config);
  Table<Entry> ledger(*ddb, config);
  if (auto r = accounts.create_table(); !r) return fail("create_table", r.error());
  if (auto r = ledger.create_table(); !r) return fail("create_table", r.error());

  // 120 ledger entries and two accounts in one BatchWrite (5 requests).
  BatchWrite w(*ddb);
  for (std::int64_t i = 1; i <= 120; ++i) w.put(ledger, Entry{"alice", i, i % 7});
  Account alice{"alice", 100, 0};
  Account bob{"bob", 0, 0};
  auto written =
      BatchWrite(*ddb, {.ignore_version = true}).put(accounts, alice).put(accounts, bob).execute();
  if (!written) return fail("batch write accounts", written.error());
  auto report = w.execute();
  if (!report) return fail("batch write", report.error());
  std::printf("batch wrote %zu items in %zu requests, %zu left over\n",
              static_cast<std::size_t>(report->written), static_cast<std::size_t>(report->requests),
              static_cast<std::size_t>(report->unprocessed.size()));

  BatchGet g(*ddb);
  for (std::int64_t i = 1; i <= 120; i += 2) g.add(ledger, std::string("alice"), i);
  if (auto r = g.execute(); !r) return fail("batch get", r.error());
  auto entries = g.items(ledger);
  if (!entries) return fail("batch get items", entries.error());
  std::printf("batch read %zu entries\n", entries->size());

  // Transfer 30 from alice to bob: both versions checked, balance condition.
  if (auto r = accounts.refresh(alice); !r) return fail("refresh", r.error());
  if (auto r = accounts.refresh(bob); !r) return fail("refresh", r.error());
  TransactWrite transfer(*ddb);
  transfer.update(accounts, alice, {add(&Account::balance, -30)}, field(&Account::balance) >= 30)
      .update(accounts, bob, {add(&Account::balance, 30)})
      .put(ledger, Entry{"alice", 121, -30});
  if (auto r = transfer.execute(); !r) return fail("transfer", r.error());
  std::printf("transfer done; alice version %lld\n", static_cast<long long>(alice.version));

  // Overdrawing is cancelled; the reasons say which action failed and why.
  TransactWrite overdraw(*ddb);
  overdraw
      .update(accounts, alice, {add(&Account::balance, -1000)}, field(&Account::balance) >= 1000)
      .update(accounts, bob, {add(&Account::balance, 1000)});
  auto cancelled = overdraw.execute();
  if (cancelled || cancelled.error().code != ErrorCode::transaction_canceled) {
    std::fprintf(stderr, "expected transaction_canceled\n");
    return 1;
  }
  for (const auto& f : cancelled.error().detail<TransactionErrorDetail>()->failed) {
    std::printf("cancelled: action #%zu on %s: %s\n", f.index, f.table.c_str(), f.code.c_str());
  }

  TransactGet read(*ddb);
  auto a = read.get(accounts, std::string("alice"));
  auto b = read.get(accounts, std::string("bob"));
  if (auto r = read.execute(); !r) return fail("transact get", r.error());
  std::printf("balances: alice %lld, bob %lld\n",
              static_cast<long long>(read.result(a).value()->balance),
              static_cast<long long>(read.result(b).value()->balance));
  if (auto r = accounts.delete_table(); !r) return fail("delete_table", r.error());
  if (auto r = ledger.delete_table(); !r) return fail("delete_table", r.error());
  return 0;
}
