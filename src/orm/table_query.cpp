// Table<T>'s Query and Scan requests, page fetchers, COUNT and the parallel
// scan, on encoded items.
#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "dynamate/table.hpp"

namespace dynamate::detail {

namespace {

constexpr int kMaxScanThreads = 64;
constexpr int kMaxSegments = 1000000;

Result<const IndexShape*> find_index(const std::string& table, const TableShape& shape,
                                     const std::string& index_name) {
  if (index_name.empty()) return static_cast<const IndexShape*>(nullptr);
  const IndexShape* ix = shape.find_index(index_name);
  if (ix == nullptr) {
    return unexpected(ErrorCode::invalid_argument, "table " + table + " has no index \"" +
                                                       index_name + "\" in its model's schema");
  }
  return ix;
}

// Renders filter and projection into `names`/`values`-holding requests.
template <class Request>
Result<void> render_common(ExpressionWriter& w, const Condition& filter,
                           const Projection& projection, const TableShape& shape,
                           const std::string& index_name, Request& r) {
  if (!filter.empty()) {
    auto text = w.condition(filter);
    if (!text) return unexpected(std::move(text).error());
    r.filter_expression = std::move(*text);
  }
  if (!projection.empty()) {
    auto text = w.projection(with_key_attributes(projection, key_attributes(shape, index_name)));
    if (!text) return unexpected(std::move(text).error());
    r.projection_expression = std::move(*text);
  }
  r.expression_attribute_names = w.take_names();
  r.expression_attribute_values = w.take_values();
  return {};
}

// The Limit of one page: the page size, at most the items still wanted.
// Only without a filter: Limit counts the items evaluated before the filter,
// so with one a smaller Limit would only mean more requests (the pager cuts
// the last page at the total limit instead).
std::optional<std::int32_t> page_limit(std::optional<std::int32_t> page_size,
                                       std::optional<std::int64_t> max_items) {
  if (!max_items) return page_size;
  const auto cap = static_cast<std::int32_t>(
      std::min<std::int64_t>(*max_items, std::numeric_limits<std::int32_t>::max()));
  return page_size ? std::min(*page_size, cap) : cap;
}

}  // namespace

std::vector<std::string> key_attributes(const TableShape& shape, std::string_view index_name) {
  std::vector<std::string> out{shape.hash_key};
  auto add = [&](const std::string& name) {
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) {
      out.push_back(name);
    }
  };
  add(shape.range_key);
  if (!index_name.empty()) {
    if (const IndexShape* ix = shape.find_index(index_name)) {
      add(ix->hash_key);
      add(ix->range_key);
    }
  }
  return out;
}

Result<aws::QueryRequest> query_request(const std::string& table, const TableShape& shape,
                                        const AttributeValue& hash, const QueryOptions& options,
                                        bool table_consistent) {
  auto ix = find_index(table, shape, options.index_name);
  if (!ix) return unexpected(std::move(ix).error());
  aws::QueryRequest r;
  r.table_name = table;
  r.index_name = options.index_name;
  const std::string& hash_attribute = *ix ? (*ix)->hash_key : shape.hash_key;
  ExpressionWriter w;
  auto key = w.key_condition((attr(hash_attribute) == hash) && options.range_key_condition);
  if (!key) return unexpected(std::move(key).error());
  r.key_condition_expression = std::move(*key);
  auto common = render_common(w, options.filter, options.projection, shape, options.index_name, r);
  if (!common) return unexpected(std::move(common).error());
  // A global index cannot be read consistently: the table's default does not
  // apply to it.
  const bool global = *ix != nullptr && (*ix)->global;
  r.consistent_read = options.consistent_read.value_or(global ? false : table_consistent);
  r.scan_index_forward = options.scan_forward;
  r.limit = options.page_size;
  return r;
}

Result<aws::ScanRequest> scan_request(const std::string& table, const TableShape& shape,
                                      const ScanOptions& options, bool table_consistent) {
  auto ix = find_index(table, shape, options.index_name);
  if (!ix) return unexpected(std::move(ix).error());
  if (options.segment.has_value() != options.total_segments.has_value()) {
    return unexpected(ErrorCode::invalid_argument, "scan of table " + table +
                                                       ": set both segment and total_segments, or "
                                                       "neither");
  }
  aws::ScanRequest r;
  r.table_name = table;
  r.index_name = options.index_name;
  ExpressionWriter w;
  auto common = render_common(w, options.filter, options.projection, shape, options.index_name, r);
  if (!common) return unexpected(std::move(common).error());
  const bool global = *ix != nullptr && (*ix)->global;
  r.consistent_read = options.consistent_read.value_or(global ? false : table_consistent);
  r.limit = options.page_size;
  r.segment = options.segment;
  r.total_segments = options.total_segments;
  return r;
}

PageFetch failed_fetch(Error error) {
  return [error = std::move(error)](const std::optional<AttributeMap>&,
                                    std::optional<std::int64_t>) -> Result<aws::QueryResponse> {
    return unexpected(error);
  };
}

PageFetch query_fetch(const aws::DynamoDbClient& client, Result<aws::QueryRequest> request) {
  if (!request) return failed_fetch(std::move(request).error());
  auto shared = std::make_shared<const aws::QueryRequest>(std::move(*request));
  return [client, shared](const std::optional<AttributeMap>& start,
                          std::optional<std::int64_t> max_items) {
    aws::QueryRequest r = *shared;
    r.exclusive_start_key = start;
    if (r.filter_expression.empty()) r.limit = page_limit(r.limit, max_items);
    return client.query(r);
  };
}

PageFetch scan_fetch(const aws::DynamoDbClient& client, Result<aws::ScanRequest> request) {
  if (!request) return failed_fetch(std::move(request).error());
  auto shared = std::make_shared<const aws::ScanRequest>(std::move(*request));
  return [client, shared](const std::optional<AttributeMap>& start,
                          std::optional<std::int64_t> max_items) {
    aws::ScanRequest r = *shared;
    r.exclusive_start_key = start;
    if (r.filter_expression.empty()) r.limit = page_limit(r.limit, max_items);
    return client.scan(r);
  };
}

Result<std::int64_t> count_pages(const PageFetch& fetch, std::optional<AttributeMap> start,
                                 std::optional<std::int64_t> limit) {
  std::int64_t total = 0;
  if (limit && *limit <= 0) return 0;
  for (;;) {
    std::optional<std::int64_t> left;
    if (limit) left = *limit - total;
    auto page = fetch(start, left);
    if (!page) return unexpected(std::move(page).error());
    total += page->count;
    if (limit && total >= *limit) return *limit;
    if (!page->last_evaluated_key) return total;
    start = std::move(page->last_evaluated_key);
  }
}

Result<std::int64_t> parallel_scan_items(
    const aws::DynamoDbClient& client, const aws::ScanRequest& request, int segments,
    std::optional<std::int64_t> limit,
    const std::function<Result<bool>(const AttributeMap&)>& visit) {
  if (segments < 1 || segments > kMaxSegments) {
    return unexpected(ErrorCode::invalid_argument,
                      "parallel_scan of table " + request.table_name + ": segments must be 1.." +
                          std::to_string(kMaxSegments) + ", not " + std::to_string(segments));
  }
  if (limit && *limit <= 0) return 0;
  std::atomic<bool> stop{false};
  std::atomic<int> next_segment{0};
  std::atomic<std::int64_t> claimed{0};
  std::atomic<std::int64_t> visited{0};
  std::mutex mu;
  std::optional<Error> first_error;
  std::exception_ptr first_exception;
  auto fail = [&](Error e) {
    std::lock_guard lock(mu);
    if (!first_error) first_error = std::move(e);
    stop = true;
  };
  auto scan_segment = [&](int segment) {
    aws::ScanRequest r = request;
    r.segment = segment;
    r.total_segments = segments;
    for (;;) {
      if (stop) return;
      auto page = client.scan(r);
      if (!page) return fail(std::move(page).error());
      for (const auto& item : page->items) {
        if (stop) return;
        if (limit && claimed.fetch_add(1) >= *limit) {
          stop = true;
          return;
        }
        auto keep = visit(item);
        if (!keep) return fail(std::move(keep).error());
        ++visited;
        if (!*keep) {
          stop = true;
          return;
        }
      }
      if (!page->last_evaluated_key) return;
      r.exclusive_start_key = std::move(page->last_evaluated_key);
    }
  };
  auto worker = [&] {
    try {
      for (int s = next_segment++; s < segments && !stop; s = next_segment++) scan_segment(s);
    } catch (...) {
      std::lock_guard lock(mu);
      if (!first_exception) first_exception = std::current_exception();
      stop = true;
    }
  };
  const int n = std::min(segments, kMaxScanThreads);
  std::vector<std::thread> threads;
  try {
    threads.reserve(static_cast<std::size_t>(n - 1));
    for (int i = 1; i < n; ++i) threads.emplace_back(worker);
  } catch (const std::system_error&) {
    // Fewer threads than asked: the ones running take every segment.
  }
  worker();  // the calling thread scans too
  for (auto& t : threads) t.join();
  if (first_exception) std::rethrow_exception(first_exception);
  if (first_error) return unexpected(std::move(*first_error));
  return visited.load();
}

}  // namespace dynamate::detail
