// dynamate/transaction.hpp: TransactWrite and TransactGet, all-or-nothing
// writes and one consistent read over any items of any tables.
//
//   dynamate::TransactWrite t(client);
//   t.put(pages, page)                                       // page.version checked
//    .update(users, user, {dynamate::add(&User::pages, 1)})  // user.version checked
//    .remove(drafts, draft_key, dynamate::attr("state") == std::string("done"))
//    .check(quotas, quota_key, dynamate::field(&Quota::left) > 0);
//   auto done = t.execute();   // then page.version and user.version are the new ones
//   if (!done && done.error().code == dynamate::ErrorCode::transaction_canceled) {
//     for (auto& f : done.error().detail<dynamate::TransactionErrorDetail>()->failed) ...
//   }
//
//   dynamate::TransactGet g(client);
//   auto a = g.get(pages, "https://a");
//   auto b = g.get(users, user_key);
//   g.execute().value();
//   std::optional<Page> page = g.result(a).value();  // nullopt: no such item
//
// Calls: one TransactWriteItems / TransactGetItems. 1 to 100 actions, no two
// on the same item (table and key); otherwise invalid_argument before
// sending, as for an item over 400 KB, an expression that does not render,
// a check() without a condition, or a version whose next value does not fit
// its type.
//
// put() writes the whole object but, like Table::save, never drops
// attributes of the stored item that the model does not name: a model with
// extra_attributes carries them (TransactPut); a model without is sent as a
// TransactUpdate that SETs its attributes and REMOVEs its fields that are
// left out (empty optionals and sets), with the same conditions. The
// cancellation view still reports such an action as a put.
//
// Optimistic locking: for a model whose schema has version(...), an action
// on a model object (put, update, remove or check of an object, not of a
// key) adds the condition that the stored version is the one the object
// holds (attribute_not_exists for a never-saved object), unless
// {.check_version = false}. A put writes the object's version + 1; an
// update of an object adds SET version = that new value (unchecked, or by
// key: SET version = if_not_exists(version, 0) + 1, as Table::update does,
// so that other holders notice the change). After a
// successful execute() the version of every object passed as a non-const
// lvalue to put(), or to a checked update(), is set to the new one: the
// transaction keeps a pointer to it, so the object must outlive execute(). Other fields of an
// updated object are not refreshed (transactions return no values). Items are encoded when added.
//
// Errors of execute(): the client's (dynamodb.hpp), notably
//   transaction_canceled  a condition failed, a conflict with another
//                         transaction, throttling of one item...: the error
//                         carries a TransactionErrorDetail (a
//                         DynamoDbErrorDetail, with the raw reasons) whose
//                         `failed` lists each failed action: index, kind,
//                         table, key, code (e.g. "ConditionalCheckFailed",
//                         "TransactionConflict") and, with
//                         {.return_old_on_failure = true}, the item as it was;
//   transaction_conflict, throttled (TransactionInProgress), validation
//   (IdempotentParameterMismatch: the token was used for other actions).
//
// Idempotency: TransactWriteItems sends a client request token; the
// transaction chooses one (a random UUID, or the one set with
// client_request_token()) on its first execute() and sends the same token
// every time it is executed again, so calling execute() again after an
// ambiguous failure (timeout, connection lost) applies it at most once
// within DynamoDB's 10 minutes. TransactGet is idempotent.
//
// Thread-safety: a transaction object is used by one thread at a time; the
// client it holds may be shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamate/attribute_value.hpp"
#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/aws/error_details.hpp"
#include "dynamate/detail/locking.hpp"
#include "dynamate/detail/table_ops.hpp"
#include "dynamate/expression.hpp"
#include "dynamate/result.hpp"
#include "dynamate/table.hpp"

namespace dynamate {

enum class TransactActionKind : std::uint8_t { check, put, update, remove, get };
std::string_view to_string(TransactActionKind kind) noexcept;

struct TransactActionOptions {
  // Version condition and increment for versioned models (see above).
  bool check_version = true;
  // ReturnValuesOnConditionCheckFailure=ALL_OLD: a failed condition reports
  // the item as it was in FailedAction::old_item.
  bool return_old_on_failure = false;
};

// One action of a canceled transaction that failed.
struct FailedAction {
  std::size_t index = 0;  // position in the transaction, from 0
  TransactActionKind kind = TransactActionKind::check;
  std::string table;
  AttributeMap key;
  std::string code;     // e.g. "ConditionalCheckFailed", "TransactionConflict"
  std::string message;  // empty when DynamoDB sent none
  std::optional<AttributeMap> old_item;
  bool version_checked = false;  // the action carried a version condition

  bool condition_failed() const noexcept { return code == "ConditionalCheckFailed"; }
  // The old item as a T (nullopt when none was returned).
  template <class T>
  Result<std::optional<T>> old_item_as() const;
};

// Attached to transaction_canceled errors of execute().
struct TransactionErrorDetail : DynamoDbErrorDetail {
  std::vector<FailedAction> failed;  // in action order; reasons other than "None"
};

namespace detail {
struct TransactWriteAction {
  TransactActionKind kind = TransactActionKind::check;
  std::string table;
  AttributeMap key;
  AttributeMap item;  // put: the whole item
  // update; put of a model without extra_attributes: the update that writes
  // `item` keeping unknown attributes (sent as a TransactUpdate; empty when
  // `item` is only its key, then sent as a TransactPut)
  Update update;
  Condition condition;
  bool version_checked = false;
  bool return_old_on_failure = false;
  std::function<void()> on_success;  // sets the caller's version; may be empty
};
}  // namespace detail

class TransactWrite {
 public:
  explicit TransactWrite(aws::DynamoDbClient client);

  // Put of the whole object (see Optimistic locking for versioned models).
  // Like Table::save, attributes of the stored item that T does not name
  // are kept: a T with extra_attributes carries them (TransactPut), a T
  // without is written with a TransactUpdate that SETs its attributes and
  // REMOVEs its fields that are left out.
  template <class T>
  TransactWrite& put(const Table<T>& table, T& item, Condition condition = {},
                     TransactActionOptions options = {});
  template <class T>
  TransactWrite& put(const Table<T>& table, const T& item, Condition condition = {},
                     TransactActionOptions options = {});
  // Update of an object's item / of a key.
  template <class T>
  TransactWrite& update(const Table<T>& table, T& item, const Update& actions,
                        Condition condition = {}, TransactActionOptions options = {});
  template <class T>
  TransactWrite& update(const Table<T>& table, const AttributeMap& key, const Update& actions,
                        Condition condition = {}, TransactActionOptions options = {});
  // Delete of an object's item / of a key.
  template <class T>
  TransactWrite& remove(const Table<T>& table, const T& item, Condition condition = {},
                        TransactActionOptions options = {});
  template <class T>
  TransactWrite& remove(const Table<T>& table, const AttributeMap& key, Condition condition = {},
                        TransactActionOptions options = {});
  // Condition check without a write (the condition is required for a key;
  // for a versioned object the version check is enough).
  template <class T>
  TransactWrite& check(const Table<T>& table, const AttributeMap& key, Condition condition,
                       TransactActionOptions options = {});
  template <class T>
  TransactWrite& check(const Table<T>& table, const T& item, Condition condition = {},
                       TransactActionOptions options = {});

  // The idempotency token (at most 36 characters); see Idempotency.
  TransactWrite& client_request_token(std::string token);
  // The token set or chosen; empty before the first execute() without one.
  const std::string& client_request_token() const noexcept { return token_; }

  std::size_t size() const noexcept { return actions_.size(); }

  // TransactWriteItems with every action added. The actions are kept: a
  // second execute() sends the same request with the same token.
  Result<void> execute();

  // Low level (what the templates use): one action; an error is kept and
  // returned by execute() without sending.
  void add_action(Result<detail::TransactWriteAction> action);

 private:
  aws::DynamoDbClient client_;
  std::vector<detail::TransactWriteAction> actions_;
  std::optional<Error> error_;
  std::string token_;
};

class TransactGet {
 public:
  // Names one get of a T; pass it to result().
  template <class T>
  struct Handle {
    std::size_t index = 0;
    // The table's large attributes, which the result reads through.
    std::shared_ptr<const detail::LargeContext> large{};
  };

  explicit TransactGet(aws::DynamoDbClient client);

  template <class T>
  Handle<T> get(const Table<T>& table, const typename Table<T>::hash_type& hash) requires(
      !detail::has_role<T, FieldRole::range_key>);
  template <class T, class R>
  Handle<T> get(const Table<T>& table, const typename Table<T>::hash_type& hash, const R& range);
  template <class T>
  Handle<T> get(const Table<T>& table, const AttributeMap& key);

  std::size_t size() const noexcept { return keys_.size(); }

  // TransactGetItems of every get added.
  Result<void> execute();

  // The item of one get after execute(): nullopt when there is no such
  // item. Errors: invalid_argument before a successful execute() or for a
  // handle of another transaction; schema_mismatch when the item does not
  // fit T.
  template <class T>
  Result<std::optional<T>> result(Handle<T> handle) const;
  Result<std::optional<AttributeMap>> raw_result(std::size_t index) const;

  // Low level: one get; returns its index.
  std::size_t add_get(std::string_view table, Result<AttributeMap> key);

 private:
  aws::DynamoDbClient client_;
  std::vector<std::pair<std::string, AttributeMap>> keys_;  // table, key
  std::optional<Error> error_;
  std::optional<std::vector<std::optional<AttributeMap>>> results_;
};

// ---- Template bodies ----

template <class T>
Result<std::optional<T>> FailedAction::old_item_as() const {
  if (!old_item) return std::optional<T>();
  auto decoded = detail::decode_item<T>(*old_item);
  if (!decoded) return unexpected(std::move(decoded).error());
  return std::optional<T>(std::move(*decoded));
}

template <class T>
TransactWrite& TransactWrite::put(const Table<T>& table, const T& item, Condition condition,
                                  TransactActionOptions options) {
  detail::TransactWriteAction a{.kind = TransactActionKind::put, .table = table.name()};
  auto encoded = table.encode_uploading(item);
  auto key = table.key_of(item);
  if (!encoded) return add_action(std::move(encoded).error()), *this;
  if (!key) return add_action(std::move(key).error()), *this;
  a.item = std::move(*encoded);
  a.key = std::move(*key);
  a.condition = std::move(condition);
  if constexpr (detail::has_version<T>) {
    auto next = detail::next_version(item);
    if (!next) return add_action(std::move(next).error()), *this;
    a.item.insert_or_assign(std::string(detail::version_name<T>()), AttributeValue::number(*next));
    a.condition = detail::with_version_check(a.condition, item, options.check_version);
    a.version_checked = options.check_version;
  }
  if constexpr (!detail::has_extras<T>) {
    // As Table::save: an update that keeps the attributes T does not name.
    a.update = detail::keeping_unknown_update(a.item, detail::key_attribute_names<T>(),
                                              detail::field_attribute_names<T>())
                   .update;
  }
  a.return_old_on_failure = options.return_old_on_failure;
  add_action(std::move(a));
  return *this;
}

template <class T>
TransactWrite& TransactWrite::put(const Table<T>& table, T& item, Condition condition,
                                  TransactActionOptions options) {
  const std::size_t before = actions_.size();
  put(table, static_cast<const T&>(item), std::move(condition), options);
  if constexpr (detail::has_version<T>) {
    auto next = detail::next_version(item);
    if (!error_ && actions_.size() > before && next) {
      actions_.back().on_success = [p = &item, n = *next] { detail::set_version(*p, n); };
    }
  }
  return *this;
}

template <class T>
TransactWrite& TransactWrite::update(const Table<T>& table, T& item, const Update& actions,
                                     Condition condition, TransactActionOptions options) {
  auto key = table.key_of(item);
  if (!key) return add_action(std::move(key).error()), *this;
  detail::TransactWriteAction a{.kind = TransactActionKind::update, .table = table.name()};
  a.key = std::move(*key);
  a.update = actions;
  a.condition = std::move(condition);
  if constexpr (detail::has_version<T>) {
    const std::string name(detail::version_name<T>());
    if (options.check_version) {
      auto n = detail::next_version(item);
      if (!n) return add_action(std::move(n).error()), *this;
      const std::int64_t next = *n;
      a.update.add(set(attr(name), AttributeValue::number(next)));
      a.condition = a.condition && detail::version_condition(item);
      a.version_checked = true;
      a.on_success = [p = &item, next] { detail::set_version(*p, next); };
    } else {
      a.update.add(detail::increment_version_action(name));
    }
  }
  a.return_old_on_failure = options.return_old_on_failure;
  add_action(std::move(a));
  return *this;
}

template <class T>
TransactWrite& TransactWrite::update(const Table<T>& table, const AttributeMap& key,
                                     const Update& actions, Condition condition,
                                     TransactActionOptions options) {
  detail::TransactWriteAction a{.kind = TransactActionKind::update, .table = table.name()};
  a.key = key;
  a.update = actions;
  if constexpr (detail::has_version<T>) {  // nothing to check: just move the version on
    a.update.add(detail::increment_version_action(std::string(detail::version_name<T>())));
  }
  a.condition = std::move(condition);
  a.return_old_on_failure = options.return_old_on_failure;
  add_action(std::move(a));
  return *this;
}

template <class T>
TransactWrite& TransactWrite::remove(const Table<T>& table, const T& item, Condition condition,
                                     TransactActionOptions options) {
  auto key = table.key_of(item);
  if (!key) return add_action(std::move(key).error()), *this;
  detail::TransactWriteAction a{.kind = TransactActionKind::remove, .table = table.name()};
  a.key = std::move(*key);
  a.condition = detail::with_version_check(condition, item, options.check_version);
  a.version_checked = detail::has_version<T> && options.check_version;
  a.return_old_on_failure = options.return_old_on_failure;
  add_action(std::move(a));
  return *this;
}

template <class T>
TransactWrite& TransactWrite::remove(const Table<T>& table, const AttributeMap& key,
                                     Condition condition, TransactActionOptions options) {
  detail::TransactWriteAction a{.kind = TransactActionKind::remove, .table = table.name()};
  a.key = key;
  a.condition = std::move(condition);
  a.return_old_on_failure = options.return_old_on_failure;
  add_action(std::move(a));
  return *this;
}

template <class T>
TransactWrite& TransactWrite::check(const Table<T>& table, const AttributeMap& key,
                                    Condition condition, TransactActionOptions options) {
  detail::TransactWriteAction a{.kind = TransactActionKind::check, .table = table.name()};
  a.key = key;
  a.condition = std::move(condition);
  a.return_old_on_failure = options.return_old_on_failure;
  add_action(std::move(a));
  return *this;
}

template <class T>
TransactWrite& TransactWrite::check(const Table<T>& table, const T& item, Condition condition,
                                    TransactActionOptions options) {
  auto key = table.key_of(item);
  if (!key) return add_action(std::move(key).error()), *this;
  detail::TransactWriteAction a{.kind = TransactActionKind::check, .table = table.name()};
  a.key = std::move(*key);
  a.condition = detail::with_version_check(condition, item, options.check_version);
  a.version_checked = detail::has_version<T> && options.check_version;
  a.return_old_on_failure = options.return_old_on_failure;
  add_action(std::move(a));
  return *this;
}

template <class T>
TransactGet::Handle<T> TransactGet::get(
    const Table<T>& table,
    const typename Table<T>::hash_type& hash) requires(!detail::has_role<T, FieldRole::range_key>) {
  return {add_get(table.name(), detail::make_key<T>(hash)), table.large_context()};
}

template <class T, class R>
TransactGet::Handle<T> TransactGet::get(const Table<T>& table,
                                        const typename Table<T>::hash_type& hash, const R& range) {
  return {add_get(table.name(), detail::make_key<T>(hash, range)), table.large_context()};
}

template <class T>
TransactGet::Handle<T> TransactGet::get(const Table<T>& table, const AttributeMap& key) {
  return {add_get(table.name(), key), table.large_context()};
}

template <class T>
Result<std::optional<T>> TransactGet::result(Handle<T> handle) const {
  auto raw = raw_result(handle.index);
  if (!raw) return unexpected(std::move(raw).error());
  if (!*raw) return std::optional<T>();
  auto decoded = detail::decode_item<T>(**raw);
  if (!decoded) return unexpected(std::move(decoded).error());
  if constexpr (detail::has_large<T>) detail::attach_large(*decoded, handle.large);
  return std::optional<T>(std::move(*decoded));
}

}  // namespace dynamate
