// Response parsing pieces shared by every DynamoDB call: ObjectReader (typed,
// error-collecting member access over a simdjson object), ConsumedCapacity
// and ItemCollectionMetrics.
#include <cmath>

#include "aws/dynamodb_json.hpp"
#include "aws/dynamodb_wire.hpp"
#include "core/try.hpp"

namespace dynamate::aws::detail {
namespace {

std::string member_path(const std::string& path, std::string_view key) {
  std::string p = path;
  if (!p.empty()) p += '.';
  p += key;
  return p;
}

std::string index_path(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

Result<Capacity> parse_capacity(element e, std::string path) {
  ObjectReader r(e, std::move(path));
  Capacity c;
  r.read("ReadCapacityUnits", c.read_capacity_units);
  r.read("WriteCapacityUnits", c.write_capacity_units);
  r.read("CapacityUnits", c.capacity_units);
  DYNAMATE_TRY(r.status());
  return c;
}

Result<void> parse_index_capacities(ObjectReader& r, std::string_view key,
                                    std::map<std::string, Capacity, std::less<>>& out) {
  auto e = r.get(key);
  if (!e) return {};
  simdjson::dom::object obj;
  if (e->get(obj) != simdjson::SUCCESS) {
    r.fail(key, "is not an object");
    return r.status();
  }
  for (auto field : obj) {
    auto c = parse_capacity(field.value, member_path(r.path(), key) + "." + std::string(field.key));
    if (!c) return unexpected(std::move(c).error());
    out.emplace(std::string(field.key), *c);
  }
  return {};
}

Result<ItemCollectionMetrics> parse_metrics(element e, std::string path) {
  ObjectReader r(e, std::move(path));
  ItemCollectionMetrics m;
  r.read("ItemCollectionKey", m.item_collection_key);
  if (auto range = r.get("SizeEstimateRangeGB")) {
    simdjson::dom::array arr;
    if (range->get(arr) != simdjson::SUCCESS) {
      r.fail("SizeEstimateRangeGB", "is not an array");
    } else {
      for (auto v : arr) {
        double d = 0;
        if (v.get(d) != simdjson::SUCCESS) {
          r.fail("SizeEstimateRangeGB", "holds a non-number");
          break;
        }
        m.size_estimate_range_gb.push_back(d);
      }
    }
  }
  DYNAMATE_TRY(r.status());
  return m;
}

}  // namespace

ObjectReader::ObjectReader(element e, std::string path) : path_(std::move(path)) {
  simdjson::dom::object obj;
  if (e.get(obj) != simdjson::SUCCESS) {
    error_ = Error(ErrorCode::protocol,
                   "DynamoDB response: " + (path_.empty() ? std::string("body") : path_) +
                       " is not a JSON object");
  } else {
    obj_ = obj;
  }
}

Result<void> ObjectReader::status() const {
  if (error_) return unexpected(*error_);
  return {};
}

std::optional<element> ObjectReader::get(std::string_view key) {
  if (!obj_ || error_) return std::nullopt;
  element e;
  if (obj_->at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
  return e;
}

void ObjectReader::fail(std::string_view key, std::string_view what) {
  if (error_) return;
  std::string m = "DynamoDB response: ";
  m += member_path(path_, key);
  m += ' ';
  m += what;
  error_ = Error(ErrorCode::protocol, std::move(m));
}

void ObjectReader::take(Error error) {
  if (!error_) error_ = std::move(error);
}

void ObjectReader::read(std::string_view key, std::string& out) {
  auto e = get(key);
  if (!e) return;
  std::string_view s;
  if (e->get(s) != simdjson::SUCCESS) return fail(key, "is not a string");
  out.assign(s);
}

void ObjectReader::read(std::string_view key, std::int64_t& out) {
  auto e = get(key);
  if (!e) return;
  if (e->get(out) != simdjson::SUCCESS) fail(key, "is not an integer");
}

void ObjectReader::read(std::string_view key, double& out) {
  auto e = get(key);
  if (!e) return;
  if (e->get(out) != simdjson::SUCCESS) fail(key, "is not a number");
}

void ObjectReader::read(std::string_view key, bool& out) {
  auto e = get(key);
  if (!e) return;
  if (e->get(out) != simdjson::SUCCESS) fail(key, "is not a boolean");
}

void ObjectReader::read(std::string_view key, std::optional<TimePoint>& out) {
  auto e = get(key);
  if (!e) return;
  double seconds = 0;
  if (e->get(seconds) != simdjson::SUCCESS) return fail(key, "is not a number of seconds");
  // Converting a double outside the duration's range to an integer count is
  // undefined behaviour, so a hostile 1e300 (or NaN) must be rejected first.
  // 1e11 s is past the year 5000, far inside the range of any TimePoint.
  constexpr double kMaxEpochSeconds = 1e11;
  if (!std::isfinite(seconds) || seconds < 0 || seconds > kMaxEpochSeconds) {
    return fail(key, "is not a plausible number of epoch seconds");
  }
  out = TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(seconds)));
}

void ObjectReader::read(std::string_view key, AttributeMap& out) {
  auto e = get(key);
  if (!e) return;
  auto item = parse_item(*e);
  if (!item) {
    take(std::move(item.error()).with_context("DynamoDB response: " + member_path(path_, key)));
    return;
  }
  out = std::move(*item);
}

void ObjectReader::read(std::string_view key, std::optional<AttributeMap>& out) {
  if (!get(key)) return;
  AttributeMap m;
  read(key, m);
  if (ok()) out = std::move(m);
}

void ObjectReader::read(std::string_view key, std::vector<AttributeMap>& out) {
  auto e = get(key);
  if (!e) return;
  simdjson::dom::array arr;
  if (e->get(arr) != simdjson::SUCCESS) return fail(key, "is not an array");
  out.reserve(arr.size());
  std::size_t i = 0;
  for (auto v : arr) {
    auto item = parse_item(v);
    if (!item) {
      take(std::move(item.error())
               .with_context("DynamoDB response: " + index_path(member_path(path_, key), i)));
      return;
    }
    out.push_back(std::move(*item));
    ++i;
  }
}

void ObjectReader::read(std::string_view key, std::vector<std::string>& out) {
  auto e = get(key);
  if (!e) return;
  simdjson::dom::array arr;
  if (e->get(arr) != simdjson::SUCCESS) return fail(key, "is not an array");
  for (auto v : arr) {
    std::string_view s;
    if (v.get(s) != simdjson::SUCCESS) return fail(key, "holds a non-string");
    out.emplace_back(s);
  }
}

Result<ConsumedCapacity> parse_consumed_capacity(element e, std::string path) {
  ObjectReader r(e, std::move(path));
  ConsumedCapacity c;
  r.read("TableName", c.table_name);
  r.read("CapacityUnits", c.capacity_units);
  r.read("ReadCapacityUnits", c.read_capacity_units);
  r.read("WriteCapacityUnits", c.write_capacity_units);
  if (auto t = r.get("Table")) {
    auto cap = parse_capacity(*t, member_path(r.path(), "Table"));
    if (!cap) return unexpected(std::move(cap).error());
    c.table = *cap;
  }
  DYNAMATE_TRY(parse_index_capacities(r, "LocalSecondaryIndexes", c.local_secondary_indexes));
  DYNAMATE_TRY(parse_index_capacities(r, "GlobalSecondaryIndexes", c.global_secondary_indexes));
  DYNAMATE_TRY(r.status());
  return c;
}

void read_consumed_capacity(ObjectReader& r, std::optional<ConsumedCapacity>& out) {
  auto e = r.get("ConsumedCapacity");
  if (!e) return;
  auto c = parse_consumed_capacity(*e, "ConsumedCapacity");
  if (!c) return r.take(std::move(c).error());
  out = std::move(*c);
}

void read_consumed_capacity(ObjectReader& r, std::vector<ConsumedCapacity>& out) {
  auto e = r.get("ConsumedCapacity");
  if (!e) return;
  simdjson::dom::array arr;
  if (e->get(arr) != simdjson::SUCCESS) return r.fail("ConsumedCapacity", "is not an array");
  std::size_t i = 0;
  for (auto v : arr) {
    auto c = parse_consumed_capacity(v, index_path("ConsumedCapacity", i++));
    if (!c) return r.take(std::move(c).error());
    out.push_back(std::move(*c));
  }
}

void read_item_collection_metrics(ObjectReader& r, std::optional<ItemCollectionMetrics>& out) {
  auto e = r.get("ItemCollectionMetrics");
  if (!e) return;
  auto m = parse_metrics(*e, "ItemCollectionMetrics");
  if (!m) return r.take(std::move(m).error());
  out = std::move(*m);
}

void read_item_collection_metrics(
    ObjectReader& r, std::map<std::string, std::vector<ItemCollectionMetrics>, std::less<>>& out) {
  auto e = r.get("ItemCollectionMetrics");
  if (!e) return;
  simdjson::dom::object obj;
  if (e->get(obj) != simdjson::SUCCESS) return r.fail("ItemCollectionMetrics", "is not an object");
  for (auto field : obj) {
    const std::string path = "ItemCollectionMetrics." + std::string(field.key);
    simdjson::dom::array arr;
    if (field.value.get(arr) != simdjson::SUCCESS) {
      return r.take(Error(ErrorCode::protocol, "DynamoDB response: " + path + " is not an array"));
    }
    auto& list = out[std::string(field.key)];
    std::size_t i = 0;
    for (auto v : arr) {
      auto m = parse_metrics(v, index_path(path, i++));
      if (!m) return r.take(std::move(m).error());
      list.push_back(std::move(*m));
    }
  }
}

}  // namespace dynamate::aws::detail
