// TransactWrite and TransactGet: validation before sending, rendering of each
// action's expressions, the idempotency token, and the per-action view of a
// TransactionCanceledException.
#include "dynamate/transaction.hpp"

#include <map>
#include <string>
#include <utility>

#include "core/crypto.hpp"
#include "core/try.hpp"
#include "dynamate/aws/dynamodb_json.hpp"

namespace dynamate {

std::string_view to_string(TransactActionKind kind) noexcept {
  switch (kind) {
    case TransactActionKind::check:
      return "check";
    case TransactActionKind::put:
      return "put";
    case TransactActionKind::update:
      return "update";
    case TransactActionKind::remove:
      return "remove";
    case TransactActionKind::get:
      return "get";
  }
  return "action";
}

namespace {

constexpr std::size_t kMaxActions = 100;

// What the cancellation view needs to know of each action.
struct ActionInfo {
  TransactActionKind kind;
  const std::string* table;
  const AttributeMap* key;
  bool version_checked;
};

std::string describe(std::size_t index, const ActionInfo& a) {
  return "action #" + std::to_string(index) + " (" + std::string(to_string(a.kind)) + " on table " +
         *a.table + ", key " + to_dynamodb_json(*a.key) + ")";
}

// 1..100 actions, no item twice.
Result<void> check_actions(std::string_view call, const std::vector<ActionInfo>& actions) {
  if (actions.empty()) {
    return unexpected(ErrorCode::invalid_argument, std::string(call) + ": no actions");
  }
  if (actions.size() > kMaxActions) {
    return unexpected(ErrorCode::invalid_argument, std::string(call) + ": " +
                                                       std::to_string(actions.size()) +
                                                       " actions, over DynamoDB's limit of 100");
  }
  std::map<std::string, std::size_t, std::less<>> seen;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    std::string id = *actions[i].table + '\0' + to_dynamodb_json(*actions[i].key);
    auto [it, fresh] = seen.emplace(std::move(id), i);
    if (!fresh) {
      return unexpected(ErrorCode::invalid_argument,
                        std::string(call) + ": " + describe(i, actions[i]) + " and action #" +
                            std::to_string(it->second) +
                            " touch the same item; a transaction can touch an item only once");
    }
  }
  return {};
}

// transaction_canceled: a TransactionErrorDetail listing the failed actions.
Error explain_cancellation(Error e, const std::vector<ActionInfo>& actions) {
  if (e.code != ErrorCode::transaction_canceled) return e;
  auto detail = std::make_shared<TransactionErrorDetail>();
  if (const auto* d = e.detail<DynamoDbErrorDetail>()) {
    detail->item = d->item;
    detail->cancellation_reasons = d->cancellation_reasons;
    detail->throttling_reasons = d->throttling_reasons;
  }
  std::string summary;
  const auto& reasons = detail->cancellation_reasons;
  for (std::size_t i = 0; i < reasons.size() && i < actions.size(); ++i) {
    const auto& r = reasons[i];
    if (r.code.empty() || r.code == "None") continue;
    const auto& a = actions[i];
    detail->failed.push_back(
        {i, a.kind, *a.table, *a.key, r.code, r.message, r.item, a.version_checked});
    if (!summary.empty()) summary += "; ";
    summary += describe(i, a) + ": " + r.code;
  }
  e.details = std::move(detail);
  if (!summary.empty()) e.with_context(summary);
  return e;
}

Result<aws::TransactWriteItem> render(const detail::TransactWriteAction& a) {
  ExpressionWriter w;
  std::string condition;
  if (!a.condition.empty()) {
    DYNAMATE_ASSIGN_OR_RETURN(condition, w.condition(a.condition));
  }
  const auto on_failure = a.return_old_on_failure
                              ? aws::ReturnValuesOnConditionCheckFailure::all_old
                              : aws::ReturnValuesOnConditionCheckFailure::none;
  switch (a.kind) {
    case TransactActionKind::check:
      if (condition.empty()) {
        return unexpected(ErrorCode::invalid_argument, "a condition check needs a condition");
      }
      return aws::TransactWriteItem(aws::ConditionCheck{
          a.table, a.key, std::move(condition), w.take_names(), w.take_values(), on_failure});
    case TransactActionKind::put: {
      if (a.update.empty()) {
        return aws::TransactWriteItem(aws::TransactPut{
            a.table, a.item, std::move(condition), w.take_names(), w.take_values(), on_failure});
      }
      // A model without extra_attributes: an update keeping what it does not name.
      std::string update;
      DYNAMATE_ASSIGN_OR_RETURN(update, w.update(a.update));
      return aws::TransactWriteItem(aws::TransactUpdate{a.table, a.key, std::move(update),
                                                        std::move(condition), w.take_names(),
                                                        w.take_values(), on_failure});
    }
    case TransactActionKind::update: {
      if (a.update.empty()) {
        return unexpected(ErrorCode::invalid_argument, "an update needs at least one action");
      }
      std::string update;
      DYNAMATE_ASSIGN_OR_RETURN(update, w.update(a.update));
      return aws::TransactWriteItem(aws::TransactUpdate{a.table, a.key, std::move(update),
                                                        std::move(condition), w.take_names(),
                                                        w.take_values(), on_failure});
    }
    case TransactActionKind::remove:
      return aws::TransactWriteItem(aws::TransactDelete{
          a.table, a.key, std::move(condition), w.take_names(), w.take_values(), on_failure});
    case TransactActionKind::get:
      break;
  }
  return unexpected(ErrorCode::internal, "TransactWrite: a get is not a write");
}

}  // namespace

// ---- TransactWrite ----

TransactWrite::TransactWrite(aws::DynamoDbClient client) : client_(std::move(client)) {}

void TransactWrite::add_action(Result<detail::TransactWriteAction> action) {
  if (action) {
    actions_.push_back(std::move(*action));
    return;
  }
  if (error_) return;
  error_ = std::move(action).error();
  error_->with_context("TransactWrite action #" + std::to_string(actions_.size()));
}

TransactWrite& TransactWrite::client_request_token(std::string token) {
  token_ = std::move(token);
  return *this;
}

Result<void> TransactWrite::execute() {
  if (error_) return unexpected(*error_);
  std::vector<ActionInfo> info;
  info.reserve(actions_.size());
  for (const auto& a : actions_) info.push_back({a.kind, &a.table, &a.key, a.version_checked});
  DYNAMATE_TRY(check_actions("TransactWrite", info));

  aws::TransactWriteItemsRequest request;
  request.transact_items.reserve(actions_.size());
  for (std::size_t i = 0; i < actions_.size(); ++i) {
    auto item = render(actions_[i]);
    if (!item) {
      return unexpected(
          std::move(item).error().with_context("TransactWrite " + describe(i, info[i])));
    }
    request.transact_items.push_back(std::move(*item));
  }
  if (token_.empty()) token_ = detail::random_uuid();
  request.client_request_token = token_;

  auto response = client_.transact_write_items(request);
  if (!response) return unexpected(explain_cancellation(std::move(response).error(), info));
  for (auto& a : actions_) {
    if (a.on_success) a.on_success();
  }
  return {};
}

// ---- TransactGet ----

TransactGet::TransactGet(aws::DynamoDbClient client) : client_(std::move(client)) {}

std::size_t TransactGet::add_get(std::string_view table, Result<AttributeMap> key) {
  const std::size_t index = keys_.size();
  if (!key) {
    if (!error_) {
      error_ = std::move(key).error();
      error_->with_context("TransactGet get #" + std::to_string(index) + " on table " +
                           std::string(table));
    }
    // Keep the numbering of later gets: a placeholder that is never sent.
    keys_.emplace_back(std::string(table), AttributeMap{});
    return index;
  }
  keys_.emplace_back(std::string(table), std::move(*key));
  return index;
}

Result<void> TransactGet::execute() {
  results_.reset();
  if (error_) return unexpected(*error_);
  std::vector<ActionInfo> info;
  info.reserve(keys_.size());
  for (const auto& [table, key] : keys_) {
    info.push_back({TransactActionKind::get, &table, &key, false});
  }
  DYNAMATE_TRY(check_actions("TransactGet", info));

  aws::TransactGetItemsRequest request;
  request.transact_items.reserve(keys_.size());
  for (const auto& [table, key] : keys_) request.transact_items.push_back({table, key, {}, {}});
  auto response = client_.transact_get_items(request);
  if (!response) return unexpected(explain_cancellation(std::move(response).error(), info));
  if (response->responses.size() != keys_.size()) {
    return unexpected(ErrorCode::protocol,
                      "TransactGetItems answered " + std::to_string(response->responses.size()) +
                          " responses for " + std::to_string(keys_.size()) + " gets");
  }
  results_ = std::move(response->responses);
  return {};
}

Result<std::optional<AttributeMap>> TransactGet::raw_result(std::size_t index) const {
  if (!results_) {
    return unexpected(ErrorCode::invalid_argument,
                      "TransactGet: no result before a successful execute()");
  }
  if (index >= results_->size()) {
    return unexpected(ErrorCode::invalid_argument,
                      "TransactGet: no get #" + std::to_string(index) + " in this transaction");
  }
  return (*results_)[index];
}

}  // namespace dynamate
