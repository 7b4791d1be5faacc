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
//   schema_mismatch   an item read back does not fit the model. When it
//                     is what a write returned (update's ALL_NEW or
//                     UPDATED_NEW, return_old), the write WAS applied: the
//                     message starts "the write was applied, but", the
//                     error carries a WriteAppliedDetail, and a versioned
//                     object already holds its new version. Do not resend
//                     such a write (an add() would count twice).
//
// Optimistic locking: when the schema has version(...), save/update/remove
// (and the transaction and batch helpers for puts) add a condition on the
// version the object holds (attribute_not_exists for a new object) and write
// version + 1; on success (only) the object's version is updated. Pass
// {.check_version = false} to skip the check (the version still increments).
//
// Idempotency: conditional writes and updates are not resent after an
// ambiguous failure (see dynamodb.hpp); reads, queries and scans are.
// Index key attributes cannot hold an empty string or empty binary
// (DynamoDB refuses the item with validation). An index may be keyed on a
// std::optional member (of a string, number or Bytes): items whose optional
// is empty have no such attribute and are left out of the index (a sparse
// index). Table keys cannot be optional.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "dynamate/attribute_value.hpp"
#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/detail/codec.hpp"
#include "dynamate/error.hpp"
#include "dynamate/expression.hpp"
#include "dynamate/large.hpp"
#include "dynamate/model.hpp"
#include "dynamate/result.hpp"

namespace dynamate {

// The largest item DynamoDB stores.
inline constexpr std::size_t kMaxItemBytes = 400 * 1024;

struct TableConfig {
  std::string table_name{};   // empty: the schema's table name
  std::string name_prefix{};  // put before the name, e.g. "dev-"
  bool consistent_read = false;
  // S3 client, bucket, prefix and options of the model's large attributes
  // (large.hpp); unused by models without any.
  LargeConfig large{};
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

// Attached to the schema_mismatch error of a write that DynamoDB applied
// but whose returned attributes do not decode into the model:
//   if (auto* d = r.error().detail<dynamate::WriteAppliedDetail>()) ...
struct WriteAppliedDetail : ErrorDetail {
  AttributeMap attributes;  // what DynamoDB returned, raw
};

// The answer of save/update/remove when old or new values are asked for.
template <class T>
struct WriteResult {
  std::optional<T> old_item{};               // save/remove with return_old, update ALL_OLD
  std::optional<AttributeMap> attributes{};  // what DynamoDB returned, raw
  std::optional<T> new_item{};               // update_by_key with ALL_NEW
  // Large attributes: URIs of objects this write made unreferenced but could
  // not delete (left to the GC, large_gc.hpp).
  std::vector<std::string> orphaned{};
};

namespace detail {
// One page fetcher of a query or scan: `start` is the ExclusiveStartKey,
// `max_items` (set when a total limit is left) caps the page's Limit.
using PageFetch = std::function<Result<aws::QueryResponse>(const std::optional<AttributeMap>& start,
                                                           std::optional<std::int64_t> max_items)>;

// The non-template part of ItemPager: pages, the total limit and the resume
// key (src/orm/table_pager.cpp).
class PageCursor {
 public:
  PageCursor(PageFetch fetch, std::optional<AttributeMap> start, std::optional<std::int64_t> limit,
             std::vector<std::string> key_attributes);

  // Fetches the next page into items() (consumed() == 0); false at the end.
  Result<bool> fetch();
  const std::vector<AttributeMap>& items() const noexcept { return page_; }
  std::size_t consumed() const noexcept { return pos_; }
  // The next unconsumed item of the page, or nullptr.
  const AttributeMap* take() noexcept { return pos_ < page_.size() ? &page_[pos_++] : nullptr; }
  void consume_all() noexcept { pos_ = page_.size(); }
  bool done() const noexcept { return done_; }
  // The key after the last consumed item (nullopt: nothing is left).
  std::optional<AttributeMap> resume_key() const;
  std::int64_t scanned_count() const noexcept { return scanned_; }

 private:
  AttributeMap key_of_item(const AttributeMap& item) const;

  PageFetch fetch_;
  std::vector<std::string> key_attributes_;
  std::optional<AttributeMap> page_start_;  // ExclusiveStartKey of the current page
  std::optional<AttributeMap> page_end_;    // where the page after it starts
  std::optional<std::int64_t> remaining_;
  std::vector<AttributeMap> page_;
  std::size_t pos_ = 0;
  std::int64_t scanned_ = 0;
  bool done_ = false;
};
}  // namespace detail

// A lazy sequence of query or scan results, fetched page by page as it is
// iterated. Iteration yields Result<T>; after an error, iteration ends.
// last_evaluated_key() is the key after the last item handed out (by the
// iterator, or the whole page after next_page()); a query or scan given it as
// exclusive_start_key continues exactly there, also when `limit` stopped in
// the middle of a page. Iterating after next_page() goes on with the items
// after that page (begin() continues where the pager is). Not thread-safe;
// single pass.
template <class T>
class ItemPager {
 public:
  using Fetch = detail::PageFetch;
  // `key_attributes`: the attribute names that make up a key of the table or
  // index queried (the table's keys plus the index's), to resume mid-page.
  // `large`: the table's large attributes (null for models without), which
  // the items handed out read through.
  ItemPager(Fetch fetch, std::optional<AttributeMap> start, std::optional<std::int64_t> limit,
            std::vector<std::string> key_attributes,
            std::shared_ptr<const detail::LargeContext> large = nullptr);

  // Fetches the next page and marks it consumed; false when there are no
  // more. Errors as the call.
  Result<bool> next_page();
  // The items of the current page (raw; the iterator decodes them).
  const std::vector<AttributeMap>& page_items() const noexcept { return cursor_.items(); }
  // Where a later query resumes (nullopt: the end was reached).
  std::optional<AttributeMap> last_evaluated_key() const { return cursor_.resume_key(); }
  // Items DynamoDB evaluated (before filters) over the pages fetched.
  std::int64_t scanned_count() const noexcept { return cursor_.scanned_count(); }

  // Everything left, decoded, as a vector (first error returned).
  Result<std::vector<T>> all();

  // An input iterator over Result<T>.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Result<T>;
    using difference_type = std::ptrdiff_t;
    using reference = Result<T>&;
    using pointer = Result<T>*;

    iterator() = default;
    reference operator*() const { return *pager_->current_; }
    pointer operator->() const { return &*pager_->current_; }
    iterator& operator++() {
      pager_->advance();
      return *this;
    }
    void operator++(int) { pager_->advance(); }
    friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
      return it.at_end();
    }

   private:
    friend class ItemPager;
    explicit iterator(ItemPager* pager) : pager_(pager) {}
    bool at_end() const noexcept { return pager_ == nullptr || !pager_->current_.has_value(); }
    ItemPager* pager_ = nullptr;
  };
  iterator begin();
  std::default_sentinel_t end() { return {}; }

 private:
  void advance();

  detail::PageCursor cursor_;
  std::shared_ptr<const detail::LargeContext> large_;
  std::optional<Result<T>> current_;
  bool failed_ = false;
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

  // CreateTable from the schema (attribute definitions of every key of the
  // table and its indexes, key schema, indexes and their projections, billing
  // and capacities, stream, tags), then DescribeTable until ACTIVE (`wait`),
  // then UpdateTimeToLive when the schema has ttl(...) and enable_ttl (only
  // with `wait`). Errors: already_exists (unless ignore_existing: then the
  // existing table is described, waited for and its TTL enabled if it is
  // off), timeout, limit_exceeded. Not idempotent.
  Result<aws::TableDescription> create_table(const CreateTableOptions& options = {}) const;
  // DescribeTable. Errors: not_found.
  Result<aws::TableDescription> describe() const;
  // DescribeTable: false when DynamoDB answers not_found.
  Result<bool> exists() const;
  // DeleteTable, then (with `wait`) DescribeTable until it is gone. Errors:
  // not_found (unless ignore_missing), timeout.
  Result<void> delete_table(const DeleteTableOptions& options = {}) const;
  // UpdateTimeToLive on the schema's ttl attribute (compile error without
  // one). Errors: validation when TTL is already in that state.
  Result<void> update_ttl(bool enabled) const;

  // ---- Items ----

  // GetItem (consistent read by default when the table config says so).
  // Errors: not_found when no item has the key (the message names the table
  // and the key); schema_mismatch when the item does not fit T. A projection
  // always includes the key attributes.
  Result<T> get(const hash_type& hash, const GetOptions& options = {}) const
      requires(!detail::has_role<T, FieldRole::range_key>);
  template <class U = T>
  Result<T> get(
      const hash_type& hash, const detail::range_member_t<U>& range,
      const GetOptions& options = {}) const requires detail::has_role<U, FieldRole::range_key>;
  Result<T> get_by_key(const AttributeMap& key, const GetOptions& options = {}) const;

  // Writes the whole object, conditional on options.condition and on the
  // version when the schema has one. Attributes of the stored item that the
  // model does not name are never dropped: a model with extra_attributes
  // carries them and is written with one PutItem; a model without is written
  // with one UpdateItem that SETs its attributes and REMOVEs its fields that
  // are left out (empty optionals and sets), leaving the others in place
  // (a model of more than about 200 attributes should declare
  // extra_attributes: DynamoDB limits an update expression to 4 KB). The
  // written item carries version + 1, which `item` holds after success (and
  // only then). Errors: condition_failed, invalid_argument (over 400 KB, or
  // the next version does not fit the version's type; nothing sent),
  // schema_mismatch with WriteAppliedDetail when return_old's item does not
  // decode. Not resent after an ambiguous failure when conditional.
  Result<WriteResult<T>> save(T& item, const SaveOptions& options = {}) const;

  // UpdateItem on item's key with `actions` (plus SET version = held + 1 and
  // the version condition when the schema has a version; with
  // check_version = false the version is incremented without the check).
  // Like UpdateItem, it creates an absent item (a new object's version
  // condition is attribute_not_exists). Actions on the version attribute
  // are refused (invalid_argument: overlapping paths).
  // ALL_NEW (the default) is decoded into `item`; UPDATED_NEW is merged into
  // it (top-level attributes; REMOVEd top-level attributes are dropped),
  // except that an update UPDATED_NEW cannot describe (a list element, a
  // nested REMOVE, a DELETE, which may empty a set and so remove it) asks
  // for ALL_NEW instead, so `item` always matches the stored item;
  // ALL_OLD comes back in old_item, UPDATED_OLD in attributes. Errors:
  // condition_failed, validation (e.g. an empty update), invalid_argument
  // when the next version does not fit the version's type, schema_mismatch
  // with WriteAppliedDetail (see the top). Not idempotent.
  Result<WriteResult<T>> update(T& item, const Update& actions,
                                const UpdateOptions& options = {}) const;
  // UpdateItem by key; returns what return_values asked for: ALL_NEW decoded
  // in new_item, ALL_OLD in old_item, and always the raw attributes. A
  // version attribute is incremented (if_not_exists(version, 0) + 1), never
  // checked.
  Result<WriteResult<T>> update_by_key(const AttributeMap& key, const Update& actions,
                                       const UpdateOptions& options = {}) const;

  // DeleteItem of item's key, conditional on options.condition and on the
  // version it holds. return_old: the deleted item in old_item. Errors:
  // condition_failed.
  Result<WriteResult<T>> remove(const T& item, const RemoveOptions& options = {}) const;
  Result<WriteResult<T>> remove_by_key(const AttributeMap& key,
                                       const RemoveOptions& options = {}) const;

  // Reads the item again into `item` (not_found if it is gone; `item` is
  // unchanged on error).
  Result<void> refresh(T& item, std::optional<bool> consistent_read = {}) const;

  // ---- Query and scan ----

  // Query: hash-key equality on the table's (or options.index_name's) hash
  // key && options.range_key_condition. Lazy: pages are fetched as the pager
  // is iterated (errors arrive through it: invalid_argument for an index the
  // schema does not declare, plus Query's errors). A GSI is never read
  // consistently unless options.consistent_read says so. The hash value of
  // an index whose hash key has another type than the table's is passed as
  // an AttributeValue.
  ItemPager<T> query(const AttributeValue& hash_value, const QueryOptions& options = {}) const;
  ItemPager<T> query(const hash_type& hash, const QueryOptions& options = {}) const;
  ItemPager<T> query(const char* hash, const QueryOptions& options = {})
      const requires std::is_same_v<hash_type, std::string>;
  // Scan (one segment when options.segment/total_segments are set).
  ItemPager<T> scan(const ScanOptions& options = {}) const;
  // Select COUNT, summed over all pages (at most options.limit). The
  // projection is ignored.
  Result<std::int64_t> count(const AttributeValue& hash_value,
                             const QueryOptions& options = {}) const;
  Result<std::int64_t> count(const hash_type& hash, const QueryOptions& options = {}) const;
  Result<std::int64_t> count(const char* hash, const QueryOptions& options = {})
      const requires std::is_same_v<hash_type, std::string>;
  Result<std::int64_t> count(const ScanOptions& options = {}) const;

  // Scans `segments` segments (1..1000000) on min(segments, 64) threads,
  // calling `visit` for each item (from several threads at once). Stops at
  // the first error (returned) or when visit returns false, and returns the
  // number of items visited. options.segment/total_segments are ignored;
  // options.limit caps the items visited in all.
  Result<std::int64_t> parallel_scan(int segments, const std::function<bool(T&&)>& visit,
                                     const ScanOptions& options = {}) const;

  // ---- Helpers for batches and transactions ----

  Result<AttributeMap> key_of(const T& item) const { return detail::key_of(item); }
  // Encodes the item; invalid_argument when it is over 400 KB. A large
  // attribute holding a new value is refused (invalid_argument): see
  // encode_uploading.
  Result<AttributeMap> encode(const T& item) const;
  // The same, after uploading the item's new large values (in parallel),
  // for writes that cannot return the old item: BatchWrite and TransactWrite
  // puts use it. Those writes are unconditional on the large attributes, so
  // the objects they supersede, and the uploads of a write that never
  // happens, are left to the GC (large_gc.hpp). Without large attributes,
  // the same as encode().
  Result<AttributeMap> encode_uploading(const T& item) const;
  // Decodes an item; its large attributes read through this table.
  Result<T> decode(const AttributeMap& item) const;

  // The table's large attributes (null for a model without any).
  const std::shared_ptr<const detail::LargeContext>& large_context() const noexcept {
    return large_;
  }

 private:
  aws::DynamoDbClient client_;
  TableConfig config_;
  std::string name_;
  std::shared_ptr<const detail::LargeContext> large_;
};

}  // namespace dynamate

// The non-template operations, then the template bodies. When table_ops.hpp
// is included first it includes this header and then table_impl.hpp itself.
#ifndef DYNAMATE_DETAIL_TABLE_OPS_INCLUDING_TABLE_
#include "dynamate/detail/table_impl.hpp"
#include "dynamate/detail/table_ops.hpp"
#endif
