// Large attributes: the per-table context (resolved field configs), URIs,
// and the small pieces Table<T> uses around a write.
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "dynamate/detail/large_ops.hpp"

namespace dynamate {

std::string_view to_string(KeyLayout layout) noexcept {
  switch (layout) {
    case KeyLayout::per_item:
      return "per_item";
    case KeyLayout::shared:
      return "shared";
    case KeyLayout::custom:
      return "custom";
    case KeyLayout::pynamodb_mate:
      return "pynamodb_mate";
  }
  return "?";
}

namespace detail {
namespace {

std::string_view default_content_type(LargeKind kind) {
  switch (kind) {
    case LargeKind::text:
      return "text/plain; charset=utf-8";
    case LargeKind::json:
      return "application/json";
    case LargeKind::binary:
      break;
  }
  return "application/octet-stream";
}

}  // namespace

const ResolvedLargeField* LargeContext::find(std::string_view attribute) const noexcept {
  for (const auto& f : fields) {
    if (f.attribute == attribute) return &f;
  }
  return nullptr;
}

std::shared_ptr<const LargeContext> make_large_context(std::string table, LargeConfig config,
                                                       const std::vector<LargeFieldSpec>& specs) {
  auto context = std::make_shared<LargeContext>();
  context->table = std::move(table);
  for (const auto& spec : specs) {
    ResolvedLargeField f;
    f.attribute = std::string(spec.name);
    f.kind = spec.kind;
    f.s3 = config.s3;
    f.bucket = config.bucket;
    f.prefix = config.prefix;
    f.layout = spec.options.layout;
    f.codec = spec.options.codec;
    f.object.content_type = std::string(spec.options.content_type);
    if (auto it = config.fields.find(spec.name); it != config.fields.end()) {
      const LargeFieldConfig& o = it->second;
      if (o.s3) f.s3 = o.s3;
      if (o.bucket) f.bucket = *o.bucket;
      if (o.prefix) f.prefix = *o.prefix;
      if (o.layout) f.layout = *o.layout;
      if (o.codec) f.codec = *o.codec;
      if (o.object) {
        std::string schema_type = std::move(f.object.content_type);
        f.object = *o.object;
        if (f.object.content_type.empty()) f.object.content_type = std::move(schema_type);
      }
      f.key_function = o.key_function;
    }
    if (f.object.content_type.empty()) {
      f.object.content_type = std::string(default_content_type(f.kind));
    }
    context->fields.push_back(std::move(f));
  }
  context->config = std::move(config);
  return context;
}

Result<LargeLocation> parse_large_uri(std::string_view uri) {
  constexpr std::string_view scheme = "s3://";
  auto bad = [&](std::string_view why) {
    return unexpected(
        ErrorCode::schema_mismatch,
        "\"" + std::string(uri.substr(0, 200)) + "\" is not an S3 object URI: " + std::string(why));
  };
  if (!uri.starts_with(scheme)) return bad("it does not start with s3://");
  std::string_view rest = uri.substr(scheme.size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return bad("no bucket/key");
  if (slash + 1 == rest.size()) return bad("empty key");
  LargeLocation out;
  out.uri = std::string(uri);
  out.bucket = std::string(rest.substr(0, slash));
  out.key = std::string(rest.substr(slash + 1));
  std::string md5;
  content_hashes_from_key(out.key, &out.sha256_hex, &md5);
  return out;
}

Result<LargeLocation> decode_large_reference(const AttributeValue& v) {
  const std::string* s = v.as_string();
  if (s == nullptr) {
    return unexpected(ErrorCode::schema_mismatch,
                      "a large attribute holds the S3 URI of its value (S), not this type");
  }
  return parse_large_uri(*s);
}

Error large_encode_error() {
  return Error(ErrorCode::invalid_argument,
               "a large attribute holding a new value is written only by Table<T>::save() or "
               "update(), which upload it first (batches and transactions take stored values)");
}

void apply_large_writes(AttributeMap& encoded, const std::vector<LargeWrite>& writes) {
  for (const auto& w : writes) {
    switch (w.action) {
      case LargeWrite::Action::upload:
      case LargeWrite::Action::reuse:
        encoded.insert_or_assign(w.field->attribute, AttributeValue(w.new_location->uri));
        break;
      case LargeWrite::Action::remove:
      case LargeWrite::Action::keep:
        encoded.erase(w.field->attribute);
        break;
    }
  }
}

Condition large_write_condition(const std::vector<LargeWrite>& writes) {
  Condition out;
  for (const auto& w : writes) {
    if (w.action != LargeWrite::Action::reuse || !w.held_condition) continue;
    Condition held = attr(w.field->attribute) == AttributeValue(w.new_location->uri);
    out = out.empty() ? held : (out && held);
  }
  return out;
}

Result<void> check_no_large_paths(const LargeContext& context, const Update& actions) {
  for (const auto& a : actions.actions()) {
    const auto& segments = a.path().segments();
    if (segments.empty()) continue;
    const auto* name = std::get_if<std::string>(&segments.front());
    if (name != nullptr && context.find(*name) != nullptr) {
      return unexpected(ErrorCode::invalid_argument,
                        "update action on large attribute \"" + *name +
                            "\": assign the new value to the model's member and pass the model "
                            "to update() or save(), which upload it first");
    }
  }
  return {};
}

Result<void> run_parallel(std::vector<std::function<Result<void>()>>& tasks, int concurrency) {
  if (tasks.empty()) return {};
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  std::optional<Error> first;
  auto work = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= tasks.size()) return;
      Result<void> r;
      try {
        r = tasks[i]();
      } catch (const std::exception& e) {
        r = unexpected(ErrorCode::internal, std::string("exception in a worker: ") + e.what());
      }
      if (!r) {
        std::lock_guard lock(mu);
        if (!first) first = std::move(r).error();
      }
    }
  };
  const std::size_t threads =
      std::min<std::size_t>(tasks.size(), static_cast<std::size_t>(std::max(concurrency, 1)));
  {
    std::vector<std::jthread> pool;
    pool.reserve(threads - 1);
    for (std::size_t t = 1; t < threads; ++t) {
      try {
        pool.emplace_back(work);
      } catch (const std::system_error&) {
        break;  // this thread does the rest
      }
    }
    work();
  }
  if (first) return unexpected(std::move(*first));
  return {};
}

}  // namespace detail
}  // namespace dynamate
