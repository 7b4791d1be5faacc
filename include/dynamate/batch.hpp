// dynamate/batch.hpp: BatchWrite and BatchGet, many puts, deletes or reads
// over any number of tables, sent in as few BatchWriteItem / BatchGetItem
// calls as DynamoDB allows.
//
//   dynamate::BatchWrite w(client, {.max_attempts = 8, .base_delay = 50ms, .max_delay = 5s});
//   w.put(pages, page).remove(pages, old_page_key).put(users, user);  // any tables, any number
//   auto report = w.execute().value();       // BatchWriteReport
//   if (!report.complete()) retry_later(report.unprocessed);
//
//   dynamate::BatchGet g(client);
//   g.add(pages, "https://a").add(pages, "https://b").add_keys(users, user_keys);
//   g.execute().value();
//   std::vector<Page> got = g.items(pages).value();  // in the order added; absent keys left out
//
// Calls: BatchWriteItem with at most 25 puts/deletes each, BatchGetItem with
// at most 100 keys each. Writes DynamoDB leaves unprocessed (throughput) are
// sent again, topped up with writes not sent yet, after a back-off of
// min(max_delay, base_delay * 2^(n-1)) for the n-th consecutive response with
// unprocessed entries, with full jitter (a uniform draw below that bound;
// jitter = false uses the bound itself). The back-off sleeps through the
// client's configured Clock. An entry is sent at most max_attempts times.
// This is on top of the client's own retries of whole failed requests.
//
// Outcome of execute():
//   - success with a report. Entries still unprocessed after max_attempts
//     are NOT an error: they are in report.unprocessed (per table, as
//     AttributeMaps, with typed accessors), with everything not sent yet
//     once one entry ran out of attempts (execution stops there).
//   - ErrorCode::throttled when entries were left over and not a single
//     one could be processed (every attempt came back unprocessed), so that
//     a caller who ignores the report does not mistake this for success.
//   - the client's error when a whole request fails (validation, throttled
//     after the client's retries, transport, ...). Nothing is lost: the error
//     carries a BatchWriteErrorDetail / BatchGetErrorDetail (derived from
//     DynamoDbErrorDetail, whose fields it keeps) whose report lists what
//     was applied and, as unprocessed, the failed request's entries plus
//     everything not sent yet. Resubmit with add(report.unprocessed).
//   - invalid_argument before anything is sent: an item the converters
//     refuse or over 400 KB, two writes to one key (DynamoDB rejects them in
//     one request and their order is not kept across requests), a versioned
//     write without ignore_version, bad options.
// BatchGet drops a key added twice (one read is what was asked for).
//
// Puts replace the whole item: BatchWriteItem has no update, so unlike
// Table::save and TransactWrite::put, a put of a model without
// extra_attributes drops the attributes of the stored item that the model
// does not name. Declare extra_attributes(...) in models whose items carry
// attributes of other writers, or use Table::save / a TransactWrite.
//
// Optimistic locking: BatchWriteItem cannot be conditional. A put or a
// remove of a model object whose schema has version(...) is refused with
// invalid_argument unless options.ignore_version is true. Then the write is
// unconditional, like Table::save(item, {.check_version = false}): a put
// writes version + 1 (so other holders of the old version fail their next
// checked write) and, when the object was passed as a non-const lvalue,
// sets the object's version once its write was applied (the object must
// outlive execute(); leftovers added again with add() no longer update it).
// remove(table, key) of a key is never refused. Use a TransactWrite
// (transaction.hpp) for checked writes of up to 100 items.
//
// Idempotency: puts and deletes are idempotent; a resent entry writes the
// same item. Thread-safety: a BatchWrite / BatchGet is used by one thread at
// a time; the client it holds may be shared. execute() consumes the entries
// added so far: the object can then be reused for a new batch.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dynamate/attribute_value.hpp"
#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/aws/error_details.hpp"
#include "dynamate/detail/locking.hpp"
#include "dynamate/result.hpp"
#include "dynamate/table.hpp"

namespace dynamate {

struct BatchOptions {
  int max_attempts = 8;  // sends of one entry, the first included (>= 1)
  std::chrono::milliseconds base_delay{50};
  std::chrono::milliseconds max_delay{5000};
  bool jitter = true;  // false: sleep exactly min(max_delay, base_delay * 2^(n-1))
  // BatchWrite: allow unconditional puts/removes of versioned models (see above).
  bool ignore_version = false;
  // BatchGet: ConsistentRead for every table; unset: each Table's own setting.
  std::optional<bool> consistent_read{};
};

// Per table, the names of its key attributes (hash, then range).
using TableKeyNames = std::map<std::string, std::vector<std::string>, std::less<>>;

// Writes not applied, per table, in BatchWriteItem's shape.
struct BatchWriteLeftovers {
  aws::WriteRequestMap writes{};
  TableKeyNames key_names{};  // of every table in `writes`, to resubmit them
  std::size_t size() const noexcept;
  bool empty() const noexcept { return size() == 0; }
};

struct BatchWriteReport {
  std::size_t written = 0;   // puts and deletes applied
  std::size_t requests = 0;  // BatchWriteItem calls made
  BatchWriteLeftovers unprocessed{};
  bool complete() const noexcept { return unprocessed.empty(); }

  // The items of the unprocessed puts on `table`, decoded.
  template <class T>
  Result<std::vector<T>> unprocessed_puts(const Table<T>& table) const;
  // The keys of the unprocessed deletes on `table`.
  template <class T>
  std::vector<AttributeMap> unprocessed_deletes(const Table<T>& table) const;
};

// Keys not read, per table, in BatchGetItem's shape.
struct BatchGetLeftovers {
  std::map<std::string, aws::KeysAndAttributes, std::less<>> keys{};
  TableKeyNames key_names{};
  std::size_t size() const noexcept;
  bool empty() const noexcept { return size() == 0; }
};

struct BatchGetReport {
  std::size_t read = 0;      // keys read (found or absent)
  std::size_t found = 0;     // items returned
  std::size_t requests = 0;  // BatchGetItem calls made
  BatchGetLeftovers unprocessed{};
  bool complete() const noexcept { return unprocessed.empty(); }

  template <class T>
  std::vector<AttributeMap> unprocessed_keys(const Table<T>& table) const;
};

// Attached to the error of a failed BatchWrite::execute (see above).
struct BatchWriteErrorDetail : DynamoDbErrorDetail {
  BatchWriteReport report;
};
struct BatchGetErrorDetail : DynamoDbErrorDetail {
  BatchGetReport report;
};

namespace detail {
template <class T>
std::vector<std::string> key_names() {
  std::vector<std::string> out{std::string(key_field<T, FieldRole::hash_key>().name)};
  if constexpr (has_role<T, FieldRole::range_key>) {
    out.emplace_back(key_field<T, FieldRole::range_key>().name);
  }
  return out;
}

struct BatchWriteEntry {
  std::string table;
  aws::WriteRequest request;
  std::string key_id;  // the key as DynamoDB JSON, numbers canonical (detail::key_id)
  int attempts = 0;
  std::function<void()> on_applied;  // sets the caller's version; may be empty
};
struct BatchGetEntry {
  std::string table;
  AttributeMap key;
  std::string key_id;
  int attempts = 0;
  bool read = false;
  std::optional<AttributeMap> item;
};
}  // namespace detail

class BatchWrite {
 public:
  explicit BatchWrite(aws::DynamoDbClient client, BatchOptions options = {});

  // PutItem-like write of `item`: it replaces the whole stored item
  // (extra attributes included), so attributes a model without
  // extra_attributes does not name are dropped (see the top).
  template <class T>
  BatchWrite& put(const Table<T>& table, T& item);
  template <class T>
  BatchWrite& put(const Table<T>& table, const T& item);
  // Delete of `item`'s key / of a key.
  template <class T>
  BatchWrite& remove(const Table<T>& table, const T& item);
  template <class T>
  BatchWrite& remove(const Table<T>& table, const AttributeMap& key);
  // Adds leftovers of an earlier batch again.
  BatchWrite& add(const BatchWriteLeftovers& leftovers);

  std::size_t size() const noexcept { return entries_.size(); }
  const BatchOptions& options() const noexcept { return options_; }

  // Sends everything added (see the header comment for the outcome).
  Result<BatchWriteReport> execute();

  // Low level (what the templates use): one write to `table`, whose key is
  // `key`. An error is kept and returned by execute() without sending.
  void add_write(std::string_view what, std::string_view table,
                 const std::vector<std::string>& key_names, Result<aws::WriteRequest> write,
                 const Result<AttributeMap>& key, std::function<void()> on_applied = {});

 private:
  template <class T>
  BatchWrite& put_object(const Table<T>& table, const T& item, T* track);
  void fail(std::string_view what, std::string_view table, Error e);

  aws::DynamoDbClient client_;
  BatchOptions options_;
  std::vector<detail::BatchWriteEntry> entries_;
  TableKeyNames key_names_;
  std::map<std::string, std::size_t, std::less<>> seen_;  // table + key_id -> entry
  std::optional<Error> error_;
};

class BatchGet {
 public:
  explicit BatchGet(aws::DynamoDbClient client, BatchOptions options = {});

  // The item with this key (hash key only / hash and range key).
  template <class T>
  BatchGet& add(const Table<T>& table, const typename Table<T>::hash_type& hash) requires(
      !detail::has_role<T, FieldRole::range_key>);
  template <class T, class R>
  BatchGet& add(const Table<T>& table, const typename Table<T>::hash_type& hash, const R& range);
  template <class T>
  BatchGet& add(const Table<T>& table, const AttributeMap& key);
  template <class T>
  BatchGet& add_keys(const Table<T>& table, const std::vector<AttributeMap>& keys);
  // Adds leftovers of an earlier batch again.
  BatchGet& add(const BatchGetLeftovers& leftovers);

  std::size_t size() const noexcept { return entries_.size(); }
  const BatchOptions& options() const noexcept { return options_; }

  // Reads every key added; the items are then available below until the
  // next execute(). On error, the items read before the error are kept.
  Result<BatchGetReport> execute();

  // The items found in `table`, in the order their keys were added.
  template <class T>
  Result<std::vector<T>> items(const Table<T>& table) const;
  // The item with `key`, nullopt when absent (or not read).
  template <class T>
  Result<std::optional<T>> find(const Table<T>& table, const AttributeMap& key) const;
  const std::vector<AttributeMap>& raw_items(std::string_view table) const;
  const AttributeMap* raw_find(std::string_view table, const AttributeMap& key) const;

  // Low level: one key of `table`.
  void add_key(std::string_view table, const std::vector<std::string>& key_names,
               bool consistent_read, Result<AttributeMap> key);

 private:
  aws::DynamoDbClient client_;
  BatchOptions options_;
  std::vector<detail::BatchGetEntry> entries_;
  TableKeyNames key_names_;
  std::map<std::string, bool, std::less<>> consistent_;
  std::map<std::string, std::size_t, std::less<>> seen_;
  std::optional<Error> error_;
  // Results of the last execute().
  std::map<std::string, std::vector<AttributeMap>, std::less<>> results_;
  std::map<std::string, std::size_t, std::less<>> result_index_;  // table + key_id -> position
};

// ---- Template bodies ----

namespace detail {
Error versioned_batch_write(std::string_view table);
}  // namespace detail

template <class T>
Result<std::vector<T>> BatchWriteReport::unprocessed_puts(const Table<T>& table) const {
  std::vector<T> out;
  auto it = unprocessed.writes.find(table.name());
  if (it == unprocessed.writes.end()) return out;
  for (const auto& w : it->second) {
    if (const auto* p = std::get_if<aws::PutRequest>(&w)) {
      auto item = table.decode(p->item);
      if (!item) return unexpected(std::move(item).error());
      out.push_back(std::move(*item));
    }
  }
  return out;
}

template <class T>
std::vector<AttributeMap> BatchWriteReport::unprocessed_deletes(const Table<T>& table) const {
  std::vector<AttributeMap> out;
  auto it = unprocessed.writes.find(table.name());
  if (it == unprocessed.writes.end()) return out;
  for (const auto& w : it->second) {
    if (const auto* d = std::get_if<aws::DeleteRequest>(&w)) out.push_back(d->key);
  }
  return out;
}

template <class T>
std::vector<AttributeMap> BatchGetReport::unprocessed_keys(const Table<T>& table) const {
  auto it = unprocessed.keys.find(table.name());
  return it == unprocessed.keys.end() ? std::vector<AttributeMap>{} : it->second.keys;
}

template <class T>
BatchWrite& BatchWrite::put_object(const Table<T>& table, const T& item, T* track) {
  auto encoded = table.encode_uploading(item);
  std::function<void()> on_applied;
  if constexpr (detail::has_version<T>) {
    if (!options_.ignore_version) {
      fail("put", table.name(), detail::versioned_batch_write(table.name()));
      return *this;
    }
    auto next = detail::next_version(item);
    if (!next) {
      fail("put", table.name(), std::move(next).error());
      return *this;
    }
    if (encoded) {
      encoded->insert_or_assign(std::string(detail::version_name<T>()),
                                AttributeValue::number(*next));
    }
    if (track != nullptr) on_applied = [track, n = *next] { detail::set_version(*track, n); };
  }
  Result<aws::WriteRequest> write = encoded ? Result<aws::WriteRequest>(aws::PutRequest{*encoded})
                                            : Result<aws::WriteRequest>(encoded.error());
  add_write("put", table.name(), detail::key_names<T>(), std::move(write), table.key_of(item),
            std::move(on_applied));
  return *this;
}

template <class T>
BatchWrite& BatchWrite::put(const Table<T>& table, T& item) {
  return put_object(table, item, &item);
}

template <class T>
BatchWrite& BatchWrite::put(const Table<T>& table, const T& item) {
  return put_object<T>(table, item, nullptr);
}

template <class T>
BatchWrite& BatchWrite::remove(const Table<T>& table, const T& item) {
  if constexpr (detail::has_version<T>) {
    if (!options_.ignore_version) {
      fail("remove", table.name(), detail::versioned_batch_write(table.name()));
      return *this;
    }
  }
  auto key = table.key_of(item);
  Result<aws::WriteRequest> write = key ? Result<aws::WriteRequest>(aws::DeleteRequest{*key})
                                        : Result<aws::WriteRequest>(key.error());
  add_write("remove", table.name(), detail::key_names<T>(), std::move(write), key);
  return *this;
}

template <class T>
BatchWrite& BatchWrite::remove(const Table<T>& table, const AttributeMap& key) {
  add_write("remove", table.name(), detail::key_names<T>(),
            aws::WriteRequest(aws::DeleteRequest{key}), Result<AttributeMap>(key));
  return *this;
}

template <class T>
BatchGet& BatchGet::add(const Table<T>& table, const typename Table<T>::hash_type& hash) requires(
    !detail::has_role<T, FieldRole::range_key>) {
  add_key(table.name(), detail::key_names<T>(),
          options_.consistent_read.value_or(table.config().consistent_read),
          detail::make_key<T>(hash));
  return *this;
}

template <class T, class R>
BatchGet& BatchGet::add(const Table<T>& table, const typename Table<T>::hash_type& hash,
                        const R& range) {
  add_key(table.name(), detail::key_names<T>(),
          options_.consistent_read.value_or(table.config().consistent_read),
          detail::make_key<T>(hash, range));
  return *this;
}

template <class T>
BatchGet& BatchGet::add(const Table<T>& table, const AttributeMap& key) {
  add_key(table.name(), detail::key_names<T>(),
          options_.consistent_read.value_or(table.config().consistent_read), key);
  return *this;
}

template <class T>
BatchGet& BatchGet::add_keys(const Table<T>& table, const std::vector<AttributeMap>& keys) {
  for (const auto& key : keys) add(table, key);
  return *this;
}

template <class T>
Result<std::vector<T>> BatchGet::items(const Table<T>& table) const {
  std::vector<T> out;
  const auto& raw = raw_items(table.name());
  out.reserve(raw.size());
  for (const auto& item : raw) {
    auto decoded = table.decode(item);
    if (!decoded) return unexpected(std::move(decoded).error());
    out.push_back(std::move(*decoded));
  }
  return out;
}

template <class T>
Result<std::optional<T>> BatchGet::find(const Table<T>& table, const AttributeMap& key) const {
  const AttributeMap* raw = raw_find(table.name(), key);
  if (raw == nullptr) return std::optional<T>();
  auto decoded = table.decode(*raw);
  if (!decoded) return unexpected(std::move(decoded).error());
  return std::optional<T>(std::move(*decoded));
}

}  // namespace dynamate
