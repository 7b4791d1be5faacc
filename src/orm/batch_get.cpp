// BatchGet: chunks of 100 keys, matching the items and unprocessed keys of
// each answer to the keys added, back-off, results in the order added.
#include <algorithm>
#include <deque>
#include <string>
#include <utility>

#include "dynamate/batch.hpp"
#include "orm/batch_internal.hpp"

namespace dynamate {
namespace {
constexpr std::size_t kKeysPerRequest = 100;
}  // namespace

std::size_t BatchGetLeftovers::size() const noexcept {
  std::size_t n = 0;
  for (const auto& [table, k] : keys) n += k.keys.size();
  return n;
}

BatchGet::BatchGet(aws::DynamoDbClient client, BatchOptions options)
    : client_(std::move(client)), options_(options) {}

void BatchGet::add_key(std::string_view table, const std::vector<std::string>& key_names,
                       bool consistent_read, Result<AttributeMap> key) {
  if (!key) {
    if (!error_) {
      error_ = std::move(key).error();
      error_->with_context("BatchGet key #" + std::to_string(entries_.size() + 1) + " on table " +
                           std::string(table));
    }
    return;
  }
  key_names_.insert_or_assign(std::string(table), key_names);
  auto [c, fresh] = consistent_.try_emplace(std::string(table), consistent_read);
  if (!fresh) c->second = c->second || consistent_read;
  std::string id = detail::key_id(*key);
  if (!seen_.emplace(detail::seen_id(table, id), entries_.size()).second) return;  // a duplicate
  entries_.push_back({std::string(table), std::move(*key), std::move(id), 0, false, {}});
}

BatchGet& BatchGet::add(const BatchGetLeftovers& leftovers) {
  for (const auto& [table, keys] : leftovers.keys) {
    auto names = leftovers.key_names.find(table);
    const std::vector<std::string> none;
    for (const auto& key : keys.keys) {
      add_key(table, names == leftovers.key_names.end() ? none : names->second,
              options_.consistent_read.value_or(keys.consistent_read), key);
    }
  }
  return *this;
}

const std::vector<AttributeMap>& BatchGet::raw_items(std::string_view table) const {
  static const std::vector<AttributeMap> kNone;
  auto it = results_.find(table);
  return it == results_.end() ? kNone : it->second;
}

const AttributeMap* BatchGet::raw_find(std::string_view table, const AttributeMap& key) const {
  auto it = result_index_.find(detail::seen_id(table, detail::key_id(key)));
  if (it == result_index_.end()) return nullptr;
  return &results_.find(table)->second.at(it->second);
}

namespace {

// Matches the items and unprocessed keys of one BatchGetItem answer to the
// chunk's entries; returns the indexes of the unprocessed ones.
std::vector<std::size_t> absorb_get_response(
    aws::BatchGetItemResponse& response, const std::vector<std::size_t>& chunk,
    std::vector<detail::BatchGetEntry>& entries, const TableKeyNames& key_names,
    std::map<std::string, std::vector<AttributeMap>, std::less<>>& strays) {
  std::map<std::string, std::size_t, std::less<>> by_key;
  for (std::size_t i : chunk)
    by_key.emplace(detail::seen_id(entries[i].table, entries[i].key_id), i);
  const auto find = [&](const std::string& table, const AttributeMap& item) {
    std::optional<std::size_t> index;
    auto names = key_names.find(table);
    if (names == key_names.end()) return index;
    auto key = detail::project_key(item, names->second, table);
    if (!key) return index;
    auto it = by_key.find(detail::seen_id(table, detail::key_id(*key)));
    if (it != by_key.end()) index = it->second;
    return index;
  };
  std::vector<char> unprocessed_flag(entries.size(), 0);
  std::vector<std::size_t> unprocessed;
  for (auto& [table, keys] : response.unprocessed_keys) {
    for (auto& key : keys.keys) {
      auto index = find(table, key);
      if (index && !unprocessed_flag[*index]) {
        unprocessed_flag[*index] = 1;
        unprocessed.push_back(*index);
      }
    }
  }
  for (auto& [table, items] : response.responses) {
    for (auto& item : items) {
      auto index = find(table, item);
      if (index && !unprocessed_flag[*index]) {
        entries[*index].item = std::move(item);
      } else {
        strays[table].push_back(std::move(item));  // e.g. a projection without the key
      }
    }
  }
  for (std::size_t i : chunk) entries[i].read = !unprocessed_flag[i];
  std::sort(unprocessed.begin(), unprocessed.end());
  return unprocessed;
}

}  // namespace

Result<BatchGetReport> BatchGet::execute() {
  auto entries = std::exchange(entries_, {});
  auto key_names = std::exchange(key_names_, {});
  auto consistent = std::exchange(consistent_, {});
  seen_.clear();
  results_.clear();
  result_index_.clear();
  if (auto e = std::exchange(error_, std::nullopt)) return unexpected(std::move(*e));
  if (auto ok = detail::check_batch_options(options_); !ok) return unexpected(ok.error());

  BatchGetReport report;
  std::deque<std::size_t> pending;
  for (std::size_t i = 0; i < entries.size(); ++i) pending.push_back(i);
  std::vector<std::size_t> leftover;
  std::map<std::string, std::vector<AttributeMap>, std::less<>> strays;
  std::optional<Error> failure;
  int streak = 0;

  while (!pending.empty()) {
    std::vector<std::size_t> chunk;
    while (!pending.empty() && chunk.size() < kKeysPerRequest) {
      chunk.push_back(pending.front());
      pending.pop_front();
    }
    aws::BatchGetItemRequest request;
    for (std::size_t i : chunk) {
      auto& e = entries[i];
      ++e.attempts;
      auto& k = request.request_items[e.table];
      k.consistent_read = consistent[e.table];
      k.keys.push_back(e.key);
    }
    ++report.requests;
    auto response = client_.batch_get_item(request);
    if (!response) {
      leftover.insert(leftover.end(), chunk.begin(), chunk.end());
      leftover.insert(leftover.end(), pending.begin(), pending.end());
      failure = std::move(response).error();
      break;
    }
    auto unprocessed = absorb_get_response(*response, chunk, entries, key_names, strays);
    if (unprocessed.empty()) {
      streak = 0;
      continue;
    }
    if (std::any_of(unprocessed.begin(), unprocessed.end(),
                    [&](std::size_t i) { return entries[i].attempts >= options_.max_attempts; })) {
      leftover.insert(leftover.end(), unprocessed.begin(), unprocessed.end());
      leftover.insert(leftover.end(), pending.begin(), pending.end());
      break;
    }
    for (auto it = unprocessed.rbegin(); it != unprocessed.rend(); ++it) pending.push_front(*it);
    detail::batch_sleep(client_, options_, ++streak);
  }

  // Results in the order the keys were added; then the report.
  for (const auto& e : entries) {
    if (e.read) ++report.read;
    if (!e.item) continue;
    auto& list = results_[e.table];
    result_index_.emplace(detail::seen_id(e.table, e.key_id), list.size());
    list.push_back(*e.item);
  }
  for (auto& [table, items] : strays) {
    for (auto& item : items) results_[table].push_back(std::move(item));
  }
  for (const auto& [table, list] : results_) report.found += list.size();
  for (std::size_t i : leftover) {
    const auto& e = entries[i];
    auto& k = report.unprocessed.keys[e.table];
    k.consistent_read = consistent[e.table];
    k.keys.push_back(e.key);
    report.unprocessed.key_names[e.table] = key_names[e.table];
  }

  if (failure || (report.read == 0 && !report.unprocessed.empty())) {
    auto detail = std::make_shared<BatchGetErrorDetail>();
    const std::size_t left = report.unprocessed.size();
    detail->report = std::move(report);
    if (failure) {
      auto e = detail::attach(std::move(*failure), detail);
      e.with_context("BatchGetItem #" + std::to_string(detail->report.requests) + " failed (" +
                     std::to_string(detail->report.read) + " keys read, " + std::to_string(left) +
                     " left over)");
      return unexpected(std::move(e));
    }
    Error e(ErrorCode::throttled, "BatchGetItem: no key was read after " +
                                      std::to_string(options_.max_attempts) +
                                      " attempts (DynamoDB returned them unprocessed); " +
                                      std::to_string(left) + " keys left over");
    e.retryable = true;
    e.details = std::move(detail);
    return unexpected(std::move(e));
  }
  return report;
}

}  // namespace dynamate
