// Shared by the BatchWrite and BatchGet unit tests: two models (one
// versioned, with a range key), FakeTransport handlers that answer
// BatchWriteItem / BatchGetItem calls and return chosen entries unprocessed,
// and readers of the request bodies.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "dynamate/batch.hpp"
#include "dynamodb_test_fixture.hpp"

namespace orm_batch_test {

struct Page {
  std::string url;
  std::string html;
  std::int64_t visits = 0;
};

struct User {
  std::string id;
  std::int64_t n = 0;
  std::string name;
  std::int64_t version = 0;
};

}  // namespace orm_batch_test

template <>
inline constexpr auto dynamate::schema_of<orm_batch_test::Page> =
    dynamate::schema<orm_batch_test::Page>("pages",
                                           dynamate::hash_key("url", &orm_batch_test::Page::url),
                                           dynamate::attribute("html", &orm_batch_test::Page::html),
                                           dynamate::attribute("visits",
                                                               &orm_batch_test::Page::visits));

template <>
inline constexpr auto dynamate::schema_of<orm_batch_test::User> =
    dynamate::schema<orm_batch_test::User>("users",
                                           dynamate::hash_key("id", &orm_batch_test::User::id),
                                           dynamate::range_key("n", &orm_batch_test::User::n),
                                           dynamate::attribute("name", &orm_batch_test::User::name),
                                           dynamate::version("version",
                                                             &orm_batch_test::User::version));

namespace dynamate::batch_test {

using orm_batch_test::Page;
using orm_batch_test::User;
using test::DynamoDbFixture;

// One entry of a batch request as sent: its table, the hash key value (an
// "S" or "N" text) and its JSON (to echo it back as unprocessed).
struct Sent {
  std::string table;
  std::string id;
  std::string json;
};

inline std::string key_text(simdjson::dom::object key_or_item, std::string_view hash) {
  simdjson::dom::object v = key_or_item[hash].get_object().value();
  for (auto field : v) return std::string(field.value.get_string().value());
  return {};
}

inline std::string hash_name(std::string_view table) {
  return table.ends_with("users") ? "id" : "url";
}

// The entries of a BatchWriteItem body, in order.
inline std::vector<Sent> write_entries(const std::string& body) {
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(simdjson::padded_string(body)).value();
  std::vector<Sent> out;
  simdjson::dom::object tables = doc["RequestItems"].get_object().value();
  for (auto table : tables) {
    simdjson::dom::array writes = table.value.get_array().value();
    for (simdjson::dom::element w : writes) {
      simdjson::dom::element inner;
      const bool put = w["PutRequest"].get(inner) == simdjson::SUCCESS;
      if (!put) inner = w["DeleteRequest"].value();
      simdjson::dom::object obj = inner[put ? "Item" : "Key"].get_object().value();
      out.push_back(
          {std::string(table.key), key_text(obj, hash_name(table.key)), simdjson::minify(w)});
    }
  }
  return out;
}

// The keys of a BatchGetItem body, in order, and each table's ConsistentRead.
inline std::vector<Sent> get_keys(const std::string& body,
                                  std::map<std::string, bool>* consistent = {}) {
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(simdjson::padded_string(body)).value();
  std::vector<Sent> out;
  simdjson::dom::object tables = doc["RequestItems"].get_object().value();
  for (auto table : tables) {
    bool c = false;
    if (table.value["ConsistentRead"].get_bool().get(c) != simdjson::SUCCESS) c = false;
    if (consistent != nullptr) (*consistent)[std::string(table.key)] = c;
    simdjson::dom::array keys = table.value["Keys"].get_array().value();
    for (simdjson::dom::element k : keys) {
      out.push_back({std::string(table.key), key_text(k.get_object().value(), hash_name(table.key)),
                     simdjson::minify(k)});
    }
  }
  return out;
}

inline std::string group(const std::vector<Sent>& entries, bool keys_object) {
  std::map<std::string, std::string> by_table;
  for (const auto& e : entries) {
    auto& s = by_table[e.table];
    s += (s.empty() ? "" : ",") + e.json;
  }
  std::string out = "{";
  for (const auto& [table, list] : by_table) {
    if (out.size() > 1) out += ",";
    out += "\"" + table + "\":" + (keys_object ? "{\"Keys\":[" + list + "]}" : "[" + list + "]");
  }
  return out + "}";
}

inline http::Response ok(std::string body) {
  http::Response r;
  r.status = 200;
  r.body = std::move(body);
  return r;
}

// Answers BatchWriteItem calls: `unprocessed(call, entries)` picks which of
// the sent entries come back unprocessed (call counts from 0).
using PickUnprocessed = std::function<std::vector<Sent>(int, const std::vector<Sent>&)>;
inline void answer_writes(DynamoDbFixture& f, PickUnprocessed unprocessed) {
  auto calls = std::make_shared<int>(0);
  f.transport->set_handler([calls, unprocessed](const http::Request& r) -> Result<http::Response> {
    auto left = unprocessed((*calls)++, write_entries(r.body));
    if (left.empty()) return ok("{}");
    return ok("{\"UnprocessedItems\":" + group(left, false) + "}");
  });
}

// Answers BatchGetItem calls with an item for each key whose id `exists`
// says exists, except those `unprocessed` picks.
inline void answer_gets(DynamoDbFixture& f, std::function<bool(const std::string&)> exists,
                        PickUnprocessed unprocessed) {
  auto calls = std::make_shared<int>(0);
  f.transport->set_handler([=](const http::Request& r) -> Result<http::Response> {
    auto keys = get_keys(r.body);
    auto left = unprocessed((*calls)++, keys);
    std::set<std::string> skipped;
    for (const auto& k : left) skipped.insert(k.table + "/" + k.id);
    std::vector<Sent> items;
    for (const auto& k : keys) {
      if (skipped.count(k.table + "/" + k.id) || !exists(k.id)) continue;
      std::string item = k.json;
      item.insert(item.size() - 1, ",\"html\":{\"S\":\"<p>" + k.id + "</p>\"}");
      items.push_back({k.table, k.id, item});
    }
    std::string body = "{\"Responses\":" + group(items, false);
    if (!left.empty()) body += ",\"UnprocessedKeys\":" + group(left, true);
    return ok(body + "}");
  });
}

inline std::vector<Page> pages_named(const std::string& prefix, int n) {
  std::vector<Page> out;
  for (int i = 0; i < n; ++i) out.push_back({prefix + std::to_string(i), "<p>x</p>", i});
  return out;
}

inline std::vector<std::chrono::milliseconds> sleeps_ms(const DynamoDbFixture& f) {
  std::vector<std::chrono::milliseconds> out;
  for (auto d : f.clock->sleeps())
    out.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(d));
  return out;
}

inline const auto kNone = [](int, const std::vector<Sent>&) { return std::vector<Sent>{}; };

}  // namespace dynamate::batch_test
