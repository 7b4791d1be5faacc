// Attribute types beyond the basics: exact decimals, enums stored by name,
// time points in pynamodb's format and in ISO 8601, TTL, JSON documents,
// nested structs, unknown attributes kept, and a user-defined type through
// the Converter customization point.
//
//   AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:8000 ./example_mapper_types
//   [TABLE_PREFIX]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <dynamate/dynamate.hpp>

// A user type: money in integer cents, stored as a DynamoDB number.
struct Money {
  std::int64_t cents = 0;
};
template <>
struct dynamate::Converter<Money> {
  static constexpr aws::ScalarAttributeType key_type = aws::ScalarAttributeType::N;
  static Result<AttributeValue> encode(const Money& m) { return AttributeValue::number(m.cents); }
  static Result<void> decode(const AttributeValue& v, Money& out) {
    return Converter<std::int64_t>::decode(v, out.cents);
  }
};

enum class Status { draft, published, retired };
template <>
inline constexpr auto dynamate::enum_names<Status> = dynamate::names<Status>(
    {{Status::draft, "DRAFT"}, {Status::published, "PUBLISHED"}, {Status::retired, "RETIRED"}});

struct Dimensions {
  double width_cm = 0;
  double height_cm = 0;
};
template <>
inline constexpr auto dynamate::schema_of<Dimensions> =
    dynamate::schema<Dimensions>(dynamate::attribute("w", &Dimensions::width_cm),
                                 dynamate::attribute("h", &Dimensions::height_cm));

struct Product {
  std::string sku;
  Money price;
  dynamate::Decimal weight_kg;  // exact: 38 significant digits
  Status status = Status::draft;
  std::chrono::sys_time<std::chrono::microseconds> created{};  // pynamodb's UTCDateTime text
  std::chrono::sys_time<std::chrono::milliseconds> updated{};  // ISO 8601
  std::optional<std::chrono::sys_seconds> expires;             // DynamoDB TTL
  dynamate::JsonDocument spec;                                 // JSON stored as a string
  std::optional<Dimensions> size;                              // nested map
  dynamate::AttributeMap unknown;                              // attributes other services wrote
};

template <>
inline constexpr auto dynamate::schema_of<Product> = dynamate::schema<Product>(
    "example-products", dynamate::hash_key("sku", &Product::sku),
    dynamate::attribute("price", &Product::price),
    dynamate::attribute("weight", &Product::weight_kg),
    dynamate::attribute("status", &Product::status),
    dynamate::attribute("created", &Product::created),
    dynamate::attribute<dynamate::datetime::Iso8601>("updated", &Product::updated),
    dynamate::ttl("expires", &Product::expires), dynamate::attribute("spec", &Product::spec),
    dynamate::attribute("size", &Product::size), dynamate::extra_attributes(&Product::unknown));

namespace {
int fail(const char* what, const dynamate::Error& e) {
  std::fprintf(stderr, "%s: %s\n", what, e.to_string().c_str());
  return 1;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace dynamate;
  using namespace std::chrono;
  auto ddb = aws::DynamoDbClient::from_environment();
  if (!ddb) return fail("client", ddb.error());
  Table<Product> products(*ddb, {.name_prefix = argc > 1 ? argv[1] : ""});
  if (auto r = products.create_table(); !r) return fail("create_table", r.error());

  Product p;
  p.sku = "LAMP-01";
  p.price = Money{4999};
  p.weight_kg = Decimal::parse("1.2500000000000000000000000000000000001").value();
  p.status = Status::published;
  p.created = floor<microseconds>(system_clock::now());
  p.updated = floor<milliseconds>(system_clock::now());
  p.expires = floor<seconds>(system_clock::now()) + hours(24 * 30);
  p.spec = JsonDocument{R"({"bulb":"E27","watts":[40,60]})"};
  p.size = Dimensions{20.5, 45};
  p.unknown["legacy_code"] = AttributeValue("L-77");  // kept and written back
  if (auto r = products.save(p); !r) return fail("save", r.error());

  auto got = products.get("LAMP-01", {.consistent_read = true});
  if (!got) return fail("get", got.error());
  std::printf("price %lld cents, weight %s kg, status %s\n",
              static_cast<long long>(got->price.cents), got->weight_kg.to_string().c_str(),
              got->status == Status::published ? "PUBLISHED" : "?");
  std::printf("exact weight kept: %s; unknown attribute kept: %s\n",
              got->weight_kg == p.weight_kg ? "yes" : "no",
              got->unknown.count("legacy_code") == 1 ? "yes" : "no");
  std::printf("created round-trips: %s\n", got->created == p.created ? "yes" : "no");

  // A wrong type in the table is reported, not guessed at: another writer
  // stored "price" as a string.
  aws::PutItemRequest raw;
  raw.table_name = products.name();
  raw.item = {{"sku", AttributeValue("BAD-01")}, {"price", AttributeValue("cheap")}};
  if (auto r = ddb->put_item(raw); !r) return fail("put_item", r.error());
  auto bad = products.get("BAD-01");
  if (bad || bad.error().code != ErrorCode::schema_mismatch) {
    std::fprintf(stderr, "expected schema_mismatch\n");
    return 1;
  }
  std::printf("schema_mismatch: %s\n", bad.error().message.c_str());
  if (auto r = products.delete_table(); !r) return fail("delete_table", r.error());
  return 0;
}
