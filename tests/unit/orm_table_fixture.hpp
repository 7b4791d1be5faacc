// Shared by the Table<T> unit tests (orm_table_*_test.cpp): two models (one
// with range key, version, TTL, extra attributes, two GSIs and an LSI, one
// minimal), a fixture with a Table of each on FakeTransport, and helpers
// writing items and Query pages as DynamoDB JSON.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "dynamate/table.hpp"
#include "dynamodb_test_fixture.hpp"

namespace orm_table_test {

struct Doc {
  std::string id;
  std::int64_t n = 0;
  std::string owner;
  std::string title;
  std::int64_t score = 0;
  std::optional<std::string> note;
  std::chrono::sys_seconds expires{};
  std::int64_t version = 0;
  dynamate::AttributeMap extras;
};

struct Plain {
  std::string id;
  std::string body;
};

}  // namespace orm_table_test

template <>
inline constexpr auto dynamate::schema_of<orm_table_test::Doc> =
    dynamate::schema<orm_table_test::Doc>(
        "docs", dynamate::hash_key("id", &orm_table_test::Doc::id),
        dynamate::range_key("n", &orm_table_test::Doc::n),
        dynamate::attribute("owner", &orm_table_test::Doc::owner),
        dynamate::attribute("title", &orm_table_test::Doc::title),
        dynamate::attribute("score", &orm_table_test::Doc::score),
        dynamate::attribute("note", &orm_table_test::Doc::note),
        dynamate::ttl("expires", &orm_table_test::Doc::expires),
        dynamate::version("v", &orm_table_test::Doc::version),
        dynamate::extra_attributes(&orm_table_test::Doc::extras),
        dynamate::global_index("by-owner", &orm_table_test::Doc::owner, &orm_table_test::Doc::score,
                               dynamate::projection::include("title")),
        dynamate::global_index("by-title", &orm_table_test::Doc::title, nullptr,
                               dynamate::projection::keys_only(), 5, 6),
        dynamate::local_index("by-score", &orm_table_test::Doc::score),
        dynamate::table_options({.billing_mode = dynamate::aws::BillingMode::provisioned,
                                 .read_capacity = 3,
                                 .write_capacity = 4,
                                 .stream = dynamate::aws::StreamViewType::new_image}));

template <>
inline constexpr auto dynamate::schema_of<orm_table_test::Plain> =
    dynamate::schema<orm_table_test::Plain>("plain",
                                            dynamate::hash_key("id", &orm_table_test::Plain::id),
                                            dynamate::attribute("body",
                                                                &orm_table_test::Plain::body));

namespace dynamate::test {

using orm_table_test::Doc;
using orm_table_test::Plain;

// Doc items as DynamoDB JSON.
inline std::string doc_json(const std::string& id, std::int64_t n, std::int64_t v,
                            const std::string& extra = {}) {
  return R"({"id":{"S":")" + id + R"("},"n":{"N":")" + std::to_string(n) +
         R"("},"owner":{"S":"ann"},"title":{"S":"t"},"score":{"N":"7"},"expires":{"N":"0"},"v":{"N":")" +
         std::to_string(v) + "\"}" + extra + "}";
}

inline Doc a_doc(std::int64_t version = 0) {
  Doc d;
  d.id = "a";
  d.n = 1;
  d.owner = "ann";
  d.title = "t";
  d.score = 7;
  d.version = version;
  return d;
}

class OrmTable : public ::testing::Test {
 protected:
  DynamoDbFixture f;
  Table<Doc> docs{*f.client};
  Table<Plain> plain{*f.client, {.table_name = "plain-things", .name_prefix = "dev-"}};
};

// A page of Doc items numbered [from, to) with an optional LastEvaluatedKey.
inline std::string page_json(std::int64_t from, std::int64_t to, std::optional<std::int64_t> last) {
  std::string items;
  for (std::int64_t i = from; i < to; ++i) {
    if (!items.empty()) items += ",";
    items += doc_json("a", i, 1);
  }
  std::string out = R"({"Items":[)" + items + R"(],"Count":)" + std::to_string(to - from) +
                    R"(,"ScannedCount":)" + std::to_string(to - from);
  if (last) {
    out += R"(,"LastEvaluatedKey":{"id":{"S":"a"},"n":{"N":")" + std::to_string(*last) + "\"}}";
  }
  return out + "}";
}

}  // namespace dynamate::test
