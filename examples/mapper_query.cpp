// Query and scan with the mapper: a table with a range key and a global
// secondary index; a range-key condition, a filter, descending order, pages
// resumed from last_evaluated_key, an index query, a count and a parallel scan.
//
//   AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:8000 ./example_mapper_query
//   [TABLE_PREFIX]
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>

#include <dynamate/dynamate.hpp>

struct Order {
  std::string customer;
  std::int64_t number = 0;
  std::string status;
  std::int64_t total_cents = 0;
};

template <>
inline constexpr auto dynamate::schema_of<Order> = dynamate::schema<Order>(
    "example-orders", dynamate::hash_key("customer", &Order::customer),
    dynamate::range_key("number", &Order::number), dynamate::attribute("status", &Order::status),
    dynamate::attribute("total_cents", &Order::total_cents),
    dynamate::global_index("by_status", &Order::status, &Order::total_cents,
                           dynamate::projection::keys_only()));

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
  Table<Order> orders(*ddb, {.name_prefix = argc > 1 ? argv[1] : ""});
  if (auto r = orders.create_table(); !r) return fail("create_table", r.error());

  for (std::int64_t n = 1; n <= 40; ++n) {
    Order o{"ada", n, n % 4 == 0 ? "shipped" : "open", n * 250};
    if (auto r = orders.save(o); !r) return fail("save", r.error());
  }

  // Orders 11..20 of "ada", newest first, those over 30.00, 3 per request.
  int seen = 0;
  for (auto& r : orders.query("ada", {.range_key_condition = field(&Order::number).between(11, 20),
                                     .filter = field(&Order::total_cents) > 3000,
                                     .scan_forward = false,
                                     .page_size = 3})) {
    if (!r) return fail("query", r.error());
    std::printf("order %lld: %s\n", static_cast<long long>(r->number), r->status.c_str());
    ++seen;
  }

  // Stop after 5 items, then resume exactly where the first query stopped.
  auto first = orders.query("ada", {.limit = 5});
  auto head = first.all();
  if (!head) return fail("query", head.error());
  auto rest = orders.query("ada", {.exclusive_start_key = first.last_evaluated_key()}).all();
  if (!rest) return fail("query", rest.error());
  std::printf("%zu + %zu orders in two runs\n", head->size(), rest->size());

  // The index projects keys only: other members keep their defaults.
  auto shipped = orders.count("ada", {.filter = field(&Order::status) == "shipped"});
  if (!shipped) return fail("count", shipped.error());
  auto via_index = orders.query(AttributeValue("shipped"), {.index_name = "by_status"}).all();
  if (!via_index) return fail("index query", via_index.error());
  std::printf("%lld shipped (count), %zu via the index\n", static_cast<long long>(*shipped),
              via_index->size());

  std::atomic<std::int64_t> cents{0};
  auto scanned = orders.parallel_scan(4, [&](Order&& o) {
    cents += o.total_cents;
    return true;
  });
  if (!scanned) return fail("parallel_scan", scanned.error());
  std::printf("parallel scan: %lld orders, %lld cents\n", static_cast<long long>(*scanned),
              static_cast<long long>(cents.load()));
  if (auto r = orders.delete_table(); !r) return fail("delete_table", r.error());
  return seen > 0 ? 0 : 1;
}
