// BatchWrite and BatchGet: chunking, matching DynamoDB's unprocessed entries
// back to what was added, back-off between attempts, and the leftovers.
#include "dynamate/batch.hpp"

#include <algorithm>
#include <deque>
#include <random>
#include <string>
#include <utility>

#include "dynamate/aws/dynamodb_json.hpp"
#include "dynamate/decimal.hpp"
#include "orm/batch_internal.hpp"

namespace dynamate {
namespace detail {

Error versioned_batch_write(std::string_view table) {
  return Error(ErrorCode::invalid_argument,
               "table " + std::string(table) +
                   " has a version attribute and BatchWriteItem cannot check it: use "
                   "Table::save/remove or a TransactWrite, or BatchOptions{.ignore_version = "
                   "true} for an unconditional write");
}

Result<void> check_batch_options(const BatchOptions& o) {
  if (o.max_attempts < 1) {
    return unexpected(
        ErrorCode::invalid_argument,
        "BatchOptions.max_attempts must be at least 1, not " + std::to_string(o.max_attempts));
  }
  if (o.base_delay.count() < 0 || o.max_delay.count() < 0) {
    return unexpected(ErrorCode::invalid_argument,
                      "BatchOptions.base_delay and max_delay must not be negative");
  }
  return {};
}

std::chrono::nanoseconds batch_backoff(const BatchOptions& o, int streak, double unit_random) {
  using std::chrono::nanoseconds;
  const nanoseconds cap = o.max_delay;
  nanoseconds bound = o.base_delay;
  for (int i = 1; i < streak && bound < cap; ++i) bound *= 2;
  bound = std::min(bound, cap);
  if (!o.jitter) return bound;
  const double r = std::clamp(unit_random, 0.0, 1.0);
  return nanoseconds(static_cast<nanoseconds::rep>(static_cast<double>(bound.count()) * r));
}

void batch_sleep(const aws::DynamoDbClient& client, const BatchOptions& o, int streak) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const double r = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  client.config().clock->sleep_for(batch_backoff(o, streak, r));
}

std::string key_id(const AttributeMap& key) {
  // DynamoDB answers numbers normalized ("1E+22", "7" for "007", "1" for
  // "1.0"): compare them by value, through Decimal's canonical text.
  AttributeMap canonical;
  for (const auto& [name, value] : key) {
    if (const Number* n = value.as_number()) {
      if (auto d = Decimal::parse(n->text)) {
        canonical.emplace(name, AttributeValue(Number{d->to_string()}));
        continue;
      }
    }
    canonical.emplace(name, value);
  }
  return to_dynamodb_json(canonical);
}

Result<AttributeMap> project_key(const AttributeMap& item, const std::vector<std::string>& names,
                                 std::string_view table) {
  AttributeMap key;
  for (const auto& n : names) {
    auto it = item.find(n);
    if (it == item.end()) {
      return unexpected(ErrorCode::invalid_argument, "an item for table " + std::string(table) +
                                                         " lacks key attribute \"" + n + "\"");
    }
    key.emplace(n, it->second);
  }
  return key;
}

std::string seen_id(std::string_view table, const std::string& key) {
  std::string s(table);
  s += '\0';
  s += key;
  return s;
}

Error attach(Error e, std::shared_ptr<DynamoDbErrorDetail> detail) {
  if (const auto* d = e.detail<DynamoDbErrorDetail>()) {
    detail->item = d->item;
    detail->cancellation_reasons = d->cancellation_reasons;
    detail->throttling_reasons = d->throttling_reasons;
  }
  e.details = std::move(detail);
  return e;
}

}  // namespace detail

namespace {

constexpr std::size_t kWritesPerRequest = 25;

const AttributeMap& request_key_source(const aws::WriteRequest& w) {
  if (const auto* p = std::get_if<aws::PutRequest>(&w)) return p->item;
  return std::get<aws::DeleteRequest>(w).key;
}

}  // namespace

std::size_t BatchWriteLeftovers::size() const noexcept {
  std::size_t n = 0;
  for (const auto& [table, writes_of_table] : writes) n += writes_of_table.size();
  return n;
}

BatchWrite::BatchWrite(aws::DynamoDbClient client, BatchOptions options)
    : client_(std::move(client)), options_(options) {}

void BatchWrite::fail(std::string_view what, std::string_view table, Error e) {
  if (error_) return;
  e.with_context("BatchWrite " + std::string(what) + " #" + std::to_string(entries_.size() + 1) +
                 " on table " + std::string(table));
  error_ = std::move(e);
}

void BatchWrite::add_write(std::string_view what, std::string_view table,
                           const std::vector<std::string>& key_names,
                           Result<aws::WriteRequest> write, const Result<AttributeMap>& key,
                           std::function<void()> on_applied) {
  if (!write) return fail(what, table, std::move(write).error());
  if (!key) return fail(what, table, key.error());
  if (const auto* p = std::get_if<aws::PutRequest>(&*write)) {
    const std::size_t size = item_size(p->item);
    if (size > kMaxItemBytes) return fail(what, table, detail::item_too_large(table, *key, size));
  }
  key_names_.insert_or_assign(std::string(table), key_names);
  std::string id = detail::key_id(*key);
  auto [it, inserted] = seen_.emplace(detail::seen_id(table, id), entries_.size());
  if (!inserted) {
    return fail(what, table,
                Error(ErrorCode::invalid_argument, "two writes to key " + id + " (the first is #" +
                                                       std::to_string(it->second + 1) +
                                                       "): one batch can write an item only once"));
  }
  entries_.push_back(
      {std::string(table), std::move(*write), std::move(id), 0, std::move(on_applied)});
}

BatchWrite& BatchWrite::add(const BatchWriteLeftovers& leftovers) {
  for (const auto& [table, writes] : leftovers.writes) {
    auto names = leftovers.key_names.find(table);
    if (names == leftovers.key_names.end()) {
      fail("add", table,
           Error(ErrorCode::invalid_argument, "the leftovers do not name the table's key"));
      return *this;
    }
    for (const auto& w : writes) {
      add_write("add", table, names->second, w,
                detail::project_key(request_key_source(w), names->second, table));
    }
  }
  return *this;
}

Result<BatchWriteReport> BatchWrite::execute() {
  // Take the batch: the object is empty (reusable) whatever happens.
  auto entries = std::exchange(entries_, {});
  auto key_names = std::exchange(key_names_, {});
  seen_.clear();
  if (auto e = std::exchange(error_, std::nullopt)) return unexpected(std::move(*e));
  if (auto ok = detail::check_batch_options(options_); !ok) return unexpected(ok.error());

  BatchWriteReport report;
  std::deque<std::size_t> pending;
  for (std::size_t i = 0; i < entries.size(); ++i) pending.push_back(i);
  std::vector<std::size_t> leftover;  // entry indexes, in order
  int streak = 0;

  const auto collect = [&](auto&& indexes) {
    for (std::size_t i : indexes) leftover.push_back(i);
  };
  const auto make_report = [&] {
    for (std::size_t i : leftover) {
      auto& e = entries[i];
      report.unprocessed.writes[e.table].push_back(e.request);
      report.unprocessed.key_names[e.table] = key_names[e.table];
    }
  };

  while (!pending.empty()) {
    std::vector<std::size_t> chunk;
    while (!pending.empty() && chunk.size() < kWritesPerRequest) {
      chunk.push_back(pending.front());
      pending.pop_front();
    }
    aws::BatchWriteItemRequest request;
    std::map<std::string, std::size_t, std::less<>> by_key;
    for (std::size_t k = 0; k < chunk.size(); ++k) {
      auto& e = entries[chunk[k]];
      ++e.attempts;
      request.request_items[e.table].push_back(e.request);
      by_key.emplace(detail::seen_id(e.table, e.key_id), k);
    }
    ++report.requests;
    auto response = client_.batch_write_item(request);
    if (!response) {
      collect(chunk);
      collect(pending);
      make_report();
      auto detail = std::make_shared<BatchWriteErrorDetail>();
      detail->report = std::move(report);
      auto e = detail::attach(std::move(response).error(), detail);
      e.with_context("BatchWriteItem #" + std::to_string(detail->report.requests) + " failed (" +
                     std::to_string(detail->report.written) + " writes applied, " +
                     std::to_string(detail->report.unprocessed.size()) + " left over)");
      return unexpected(std::move(e));
    }

    // Which of the chunk came back unprocessed.
    std::vector<std::size_t> unprocessed;
    std::vector<char> is_unprocessed(chunk.size(), 0);
    for (const auto& [table, writes] : response->unprocessed_items) {
      auto names = key_names.find(table);
      for (const auto& w : writes) {
        std::optional<std::size_t> pos;
        if (names != key_names.end()) {
          auto key = detail::project_key(request_key_source(w), names->second, table);
          if (key) {
            auto it = by_key.find(detail::seen_id(table, detail::key_id(*key)));
            if (it != by_key.end()) pos = it->second;
          }
        }
        if (!pos) {  // not something we sent: keep it, never drop data
          entries.push_back({table, w, {}, options_.max_attempts, {}});
          key_names.try_emplace(table);
          leftover.push_back(entries.size() - 1);
          continue;
        }
        if (!is_unprocessed[*pos]) {
          is_unprocessed[*pos] = 1;
          unprocessed.push_back(chunk[*pos]);
        }
      }
    }
    for (std::size_t k = 0; k < chunk.size(); ++k) {
      if (is_unprocessed[k]) continue;
      ++report.written;
      if (entries[chunk[k]].on_applied) entries[chunk[k]].on_applied();
    }
    if (unprocessed.empty()) {
      streak = 0;
      continue;
    }
    const bool exhausted = std::any_of(unprocessed.begin(), unprocessed.end(), [&](std::size_t i) {
      return entries[i].attempts >= options_.max_attempts;
    });
    if (exhausted) {
      collect(unprocessed);
      collect(pending);
      pending.clear();
      break;
    }
    for (auto it = unprocessed.rbegin(); it != unprocessed.rend(); ++it) pending.push_front(*it);
    detail::batch_sleep(client_, options_, ++streak);
  }
  make_report();
  if (report.written == 0 && !report.unprocessed.empty()) {
    auto detail = std::make_shared<BatchWriteErrorDetail>();
    const std::size_t left = report.unprocessed.size();
    detail->report = std::move(report);
    Error e(ErrorCode::throttled, "BatchWriteItem: no write was applied after " +
                                      std::to_string(options_.max_attempts) +
                                      " attempts (DynamoDB returned them unprocessed); " +
                                      std::to_string(left) + " writes left over");
    e.retryable = true;
    e.details = std::move(detail);
    return unexpected(std::move(e));
  }
  return report;
}

}  // namespace dynamate
