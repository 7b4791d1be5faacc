// dynamate/table.hpp: Table<T>, the front door to a DynamoDB table whose items
// are models of type T (a struct with a schema, see model.hpp).
//
//   auto ddb = dynamate::aws::DynamoDbClient::from_environment().value();
//   dynamate::Table<Page> pages(ddb, {.name_prefix = "dev-"});
//   pages.create_table().value();
//   Page p{.url = "https://python.org"};
//   pages.save(p).value();                       // p.version is now 1
//   Page got = pages.get("https://python.org").value();
//   pages.update(got, {dynamate::add(&Page::visits, 1)}).value();  // got updated
//   for (auto& r : pages.query("https://python.org")) { Page& q = r.value(); ... }
//   pages.remove(got).value();
//
// Runtime configuration is per instance: the client, the table name (or a
// prefix before the schema's name) and the consistent-read default. A Table
// is a small value; copies share the client. All methods are const and
// thread-safe.
//
// Errors of every call are the DynamoDbClient's (dynamodb.hpp) plus:
//   not_found         get/refresh of an absent item
//   condition_failed  a condition or the version check failed
//   invalid_argument  a value the converters refuse, an item over 400 KB
//                     (before sending; the message names table, key, size)
//   schema_mismatch   an item read back does not fit the model
//
// Optimistic locking: when the schema has version(...), save/update/remove
// (and the transaction and batch helpers for puts) add a condition on the
// version the object holds (attribute_not_exists for a new object) and write
// version + 1; on success the object's version is updated. Pass
// {.check_version = false} to skip the check.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "dynamate/attribute_value.hpp"
#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/detail/codec.hpp"
#include "dynamate/expression.hpp"
#include "dynamate/model.hpp"
#include "dynamate/result.hpp"

namespace dynamate {

// The largest item DynamoDB stores.
inline constexpr std::size_t kMaxItemBytes = 400 * 1024;

struct TableConfig {
  std::string table_name{};   // empty: the schema's table name
  std::string name_prefix{};  // put before the name, e.g. "dev-"
  bool consistent_read = false;
};

struct CreateTableOptions {
  bool wait = true;  // until ACTIVE (and its indexes)
  std::chrono::milliseconds timeout = std::chrono::minutes(5);
  // Unset fields take the schema's table_options.
  std::optional<aws::BillingMode> billing_mode{};
  std::optional<std::int64_t> read_capacity{};
  std::optional<std::int64_t> write_capacity{};
  std::optional<aws::StreamViewType> stream{};
  std::vector<aws::Tag> tags{};
  bool ignore_existing = false;  // an existing table is not an error
  // Enable TTL on the schema's ttl(...) attribute after creation.
  bool enable_ttl = true;
};

struct DeleteTableOptions {
  bool wait = true;
  std::chrono::milliseconds timeout = std::chrono::minutes(5);
  bool ignore_missing = false;  // an absent table is not an error
};

struct GetOptions {
  std::optional<bool> consistent_read{};  // default: the table's
  Projection projection{};                // empty: all attributes
};

struct SaveOptions {
  Condition condition{};
  bool return_old = false;  // ReturnValues ALL_OLD
  bool check_version = true;
};

struct UpdateOptions {
  Condition condition{};
  // What DynamoDB returns; ALL_NEW and UPDATED_NEW are applied to the object
  // passed to update(T&, ...).
  aws::ReturnValues return_values = aws::ReturnValues::all_new;
  bool check_version = true;
};

struct RemoveOptions {
  Condition condition{};
  bool return_old = false;
  bool check_version = true;
};

struct QueryOptions {
  Condition range_key_condition{};  // on the range key of the table or index
  Condition filter{};
  std::string index_name{};
  std::optional<bool> consistent_read{};
  bool scan_forward = true;
  std::optional<std::int64_t> limit{};      // total items returned, across pages
  std::optional<std::int32_t> page_size{};  // Limit per request
  Projection projection{};
  std::optional<AttributeMap> exclusive_start_key{};  // resume after this key
};

struct ScanOptions {
  Condition filter{};
  std::string index_name{};
  std::optional<bool> consistent_read{};
  std::optional<std::int64_t> limit{};
  std::optional<std::int32_t> page_size{};
  Projection projection{};
  std::optional<AttributeMap> exclusive_start_key{};
  std::optional<std::int32_t> segment{};  // both or neither
  std::optional<std::int32_t> total_segments{};
};

// The answer of save/update/remove when old or new values are asked for.
template <class T>
struct WriteResult {
  std::optional<T> old_item{};              // save/remove with return_old, update ALL_OLD
  std::optional<AttributeMap> attributes{};  // what DynamoDB returned, raw
};

// A lazy sequence of query or scan results, fetched page by page as it is
// iterated. Iteration yields Result<T>; after an error, iteration ends.
// last_evaluated_key() resumes a later query where this one stopped. Not
// thread-safe; single pass.
template <class T>
class ItemPager {
 public:
  using Fetch = std::function<Result<aws::QueryResponse>(const std::optional<AttributeMap>& start)>;
  ItemPager(Fetch fetch, std::optional<AttributeMap> start, std::optional<std::int64_t> limit);

  // Fetches the next page; false when there are no more. Errors as the call.
  Result<bool> next_page();
  // The items of the current page (decoded lazily by the iterator).
  const std::vector<AttributeMap>& page_items() const noexcept { return page_; }
  // Where the next page starts (nullopt: the end was reached).
  const std::optional<AttributeMap>& last_evaluated_key() const noexcept { return last_key_; }
  std::int64_t scanned_count() const noexcept { return scanned_; }

  // Everything left, decoded, as a vector (first error returned).
  Result<std::vector<T>> all();

  class iterator;
  iterator begin();
  std::default_sentinel_t end() { return {}; }

 private:
  Fetch fetch_;
  std::optional<AttributeMap> last_key_;
  std::optional<std::int64_t> remaining_;
  std::vector<AttributeMap> page_;
  std::size_t pos_ = 0;
  std::int64_t scanned_ = 0;
  bool started_ = false;
  bool done_ = false;
  std::optional<Result<T>> current_;
  friend class iterator;
};

template <class T>
class Table {
  static_assert(detail::check_table_schema<T>());

 public:
  using model_type = T;
  using hash_type = detail::hash_member_t<T>;

  explicit Table(aws::DynamoDbClient client, TableConfig config = {});

  const std::string& name() const noexcept { return name_; }
  const aws::DynamoDbClient& client() const noexcept { return client_; }
  const TableConfig& config() const noexcept { return config_; }

  // ---- Table lifecycle ----

  // CreateTable from the schema (keys, attribute definitions, indexes,
  // billing, stream), then DescribeTable until ACTIVE, then UpdateTimeToLive
  // when the schema has ttl(...). Errors: already_exists (unless
  // ignore_existing), timeout.
  Result<aws::TableDescription> create_table(const CreateTableOptions& options = {}) const;
  Result<aws::TableDescription> describe() const;
  Result<bool> exists() const;
  Result<void> delete_table(const DeleteTableOptions& options = {}) const;
  // UpdateTimeToLive on the schema's ttl attribute (compile error without one).
  Result<void> update_ttl(bool enabled) const;

  // ---- Items ----

  // GetItem. Errors: not_found when no item has the key.
  Result<T> get(const hash_type& hash, const GetOptions& options = {}) const
      requires(!detail::has_role<T, FieldRole::range_key>);
  template <class R = detail::range_member_t<T>>
  Result<T> get(const hash_type& hash, const R& range, const GetOptions& options = {}) const;
  Result<T> get_by_key(const AttributeMap& key, const GetOptions& options = {}) const;

  // PutItem of the whole object (with its extra attributes). Conditional on
  // the version when the schema has one; sets item's version on success.
  Result<WriteResult<T>> save(T& item, const SaveOptions& options = {}) const;

  // UpdateItem on item's key with `actions`; new values returned by DynamoDB
  // (ALL_NEW by default) are decoded into `item`.
  Result<WriteResult<T>> update(T& item, const Update& actions,
                                const UpdateOptions& options = {}) const;
  // UpdateItem by key; returns what return_values asked for.
  Result<WriteResult<T>> update_by_key(const AttributeMap& key, const Update& actions,
                                       const UpdateOptions& options = {}) const;

  // DeleteItem of item's key (conditional on its version).
  Result<WriteResult<T>> remove(const T& item, const RemoveOptions& options = {}) const;
  Result<WriteResult<T>> remove_by_key(const AttributeMap& key,
                                       const RemoveOptions& options = {}) const;

  // Reads the item again into `item` (not_found if it is gone).
  Result<void> refresh(T& item, std::optional<bool> consistent_read = {}) const;

  // ---- Query and scan ----

  ItemPager<T> query(const AttributeValue& hash_value, const QueryOptions& options = {}) const;
  ItemPager<T> query(const hash_type& hash, const QueryOptions& options = {}) const;
  ItemPager<T> scan(const ScanOptions& options = {}) const;
  // Select COUNT over all pages.
  Result<std::int64_t> count(const hash_type& hash, const QueryOptions& options = {}) const;
  Result<std::int64_t> count(const ScanOptions& options = {}) const;

  // Scans `segments` segments on as many threads, calling `visit` for each
  // item (from several threads at once). Stops at the first error (or when
  // visit returns false) and returns the number of items visited.
  Result<std::int64_t> parallel_scan(int segments, const std::function<bool(T&&)>& visit,
                                     const ScanOptions& options = {}) const;

  // ---- Helpers for batches and transactions ----

  Result<AttributeMap> key_of(const T& item) const { return detail::key_of(item); }
  // Encodes the item; invalid_argument when it is over 400 KB.
  Result<AttributeMap> encode(const T& item) const;
  Result<T> decode(const AttributeMap& item) const { return detail::decode_item<T>(item); }

 private:
  aws::DynamoDbClient client_;
  TableConfig config_;
  std::string name_;
};

}  // namespace dynamate

#include "dynamate/detail/table_impl.hpp"
