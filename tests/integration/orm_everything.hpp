// Shared by the Table<T> integration tests (orm_table_test.cpp,
// orm_table_lifecycle_test.cpp): a model with many attribute types, a GSI
// (INCLUDE), an LSI (KEYS_ONLY), TTL, version, extra attributes, provisioned
// capacity and a stream; a sample object; a fixture whose tables are deleted
// in TearDown.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dynamate/datetime.hpp"
#include "dynamate/table.hpp"
#include "support/local_aws.hpp"

namespace orm_it {

enum class Color { red, green, blue };

struct Address {
  std::string city;
  std::int32_t zip = 0;
  friend bool operator==(const Address&, const Address&) = default;
};

struct Everything {
  std::string id;
  std::int64_t seq = 0;
  std::string text;
  std::int32_t small = 0;
  std::uint64_t big = 0;
  double ratio = 0;
  float f = 0;
  bool flag = false;
  dynamate::Bytes blob;
  std::optional<std::string> maybe;
  std::vector<std::string> list;
  std::map<std::string, std::int64_t> counts;
  std::set<std::string> tags;
  std::set<std::int64_t> numbers;
  Address address;
  std::vector<Address> history;
  Color color = Color::red;
  std::chrono::sys_time<std::chrono::microseconds> at{};
  std::chrono::sys_seconds expires{};
  std::int64_t version = 0;
  dynamate::AttributeMap extras;
  friend bool operator==(const Everything&, const Everything&) = default;
};

}  // namespace orm_it

template <>
inline constexpr auto dynamate::enum_names<orm_it::Color> = dynamate::names<orm_it::Color>(
    {{orm_it::Color::red, "red"}, {orm_it::Color::green, "green"}, {orm_it::Color::blue, "blue"}});

template <>
inline constexpr auto dynamate::schema_of<orm_it::Address> =
    dynamate::schema<orm_it::Address>(dynamate::attribute("city", &orm_it::Address::city),
                                      dynamate::attribute("zip", &orm_it::Address::zip));

template <>
inline constexpr auto dynamate::schema_of<orm_it::Everything> =
    dynamate::schema<orm_it::Everything>(
        "everything", dynamate::hash_key("id", &orm_it::Everything::id),
        dynamate::range_key("seq", &orm_it::Everything::seq),
        dynamate::attribute("text", &orm_it::Everything::text),
        dynamate::attribute("small", &orm_it::Everything::small),
        dynamate::attribute("big", &orm_it::Everything::big),
        dynamate::attribute("ratio", &orm_it::Everything::ratio),
        dynamate::attribute("f", &orm_it::Everything::f),
        dynamate::attribute("flag", &orm_it::Everything::flag),
        dynamate::attribute("blob", &orm_it::Everything::blob),
        dynamate::attribute("maybe", &orm_it::Everything::maybe),
        dynamate::attribute("list", &orm_it::Everything::list),
        dynamate::attribute("counts", &orm_it::Everything::counts),
        dynamate::attribute("tags", &orm_it::Everything::tags),
        dynamate::attribute("numbers", &orm_it::Everything::numbers),
        dynamate::attribute("address", &orm_it::Everything::address),
        dynamate::attribute("history", &orm_it::Everything::history),
        dynamate::attribute("color", &orm_it::Everything::color),
        dynamate::attribute("at", &orm_it::Everything::at),
        dynamate::ttl("expires", &orm_it::Everything::expires),
        dynamate::version("version", &orm_it::Everything::version),
        dynamate::extra_attributes(&orm_it::Everything::extras),
        dynamate::global_index("by-text", &orm_it::Everything::text, &orm_it::Everything::seq,
                               dynamate::projection::include("ratio", "flag")),
        dynamate::local_index("by-small", &orm_it::Everything::small,
                              dynamate::projection::keys_only()),
        dynamate::table_options({.billing_mode = dynamate::aws::BillingMode::provisioned,
                                 .read_capacity = 5,
                                 .write_capacity = 5,
                                 .stream = dynamate::aws::StreamViewType::new_and_old_images}));

namespace dynamate::test {

using namespace std::chrono_literals;
using orm_it::Address;
using orm_it::Color;
using orm_it::Everything;

inline Everything sample(std::string id, std::int64_t seq) {
  Everything e;
  e.id = std::move(id);
  e.seq = seq;
  e.text = "hello \"world\" \xc3\xa9";
  e.small = -42;
  e.big = 18446744073709551615ull;
  e.ratio = 0.1;
  e.f = 1.5f;
  e.flag = true;
  e.blob = Bytes(std::string("\x00\x01\xff binary", 10));
  e.maybe = "present";
  e.list = {"a", "b", ""};
  e.counts = {{"x", 1}, {"y", -9007199254740993}};
  e.tags = {"red", "green"};
  e.numbers = {1, 2, 300};
  e.address = {"Paris", 75001};
  e.history = {{"Lyon", 69001}, {"Nice", 6000}};
  e.color = Color::blue;
  e.at = std::chrono::sys_days(std::chrono::year(2024) / 2 / 29) + 12h + 34min + 56s + 789012us;
  e.expires = std::chrono::sys_days(std::chrono::year(2030) / 1 / 1);
  e.extras = {{"legacy_field", AttributeValue("from python")}};
  return e;
}

class OrmTableLocal : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const auto& name : created_) {
      Table<Everything> t(client_, {.table_name = name});
      auto r = t.delete_table({.timeout = 60s, .ignore_missing = true});
      EXPECT_TRUE(r) << r.error().to_string();
    }
  }

  // A fresh table of Everything with a unique name.
  Table<Everything> make_table() {
    Table<Everything> t(client_, {.table_name = unique_name("dynamate-orm")});
    created_.push_back(t.name());
    auto d = t.create_table({.timeout = 60s, .tags = {{"suite", "orm"}}});
    EXPECT_TRUE(d) << d.error().to_string();
    return t;
  }

  aws::DynamoDbClient client_ = aws::DynamoDbClient::create(dynamodb_config()).value();
  std::vector<std::string> created_;
};

}  // namespace dynamate::test
