// dynamate/detail/large_impl.hpp: template bodies of large.hpp, and the glue
// Table<T> uses to find a model's large fields. Not API.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dynamate/detail/schema_checks.hpp"
#include "dynamate/large.hpp"

namespace dynamate {

namespace detail {

// Table<T> reads and rewrites a Large's state through this.
struct LargeAccess {
  template <class V>
  static const std::shared_ptr<LargeCell<V>>& stored(const Large<V>& l) noexcept {
    return l.stored_;
  }

  // The write description of `l` (the field's resolved config in `field`).
  template <class V>
  static LargeWrite describe(const Large<V>& l, const ResolvedLargeField* field) {
    using P = typename Large<V>::Pending;
    LargeWrite w;
    w.field = field;
    if (l.stored_) {
      w.base = l.stored_->location;
      w.base_sha256 = l.stored_->location.sha256_hex;
    }
    switch (l.pending_) {
      case P::none:
        w.source = l.stored_ ? LargeWrite::Source::reference : LargeWrite::Source::none;
        break;
      case P::memory:
        w.source = LargeWrite::Source::memory;
        w.memory = LargeTraits<V>::view(*l.value_);
        break;
      case P::file:
        w.source = LargeWrite::Source::file;
        w.file = l.file_;
        break;
      case P::source:
        w.source = LargeWrite::Source::stream;
        w.stream = l.source_;
        break;
      case P::cleared:
        w.source = LargeWrite::Source::cleared;
        break;
    }
    return w;
  }

  // After a committed write: `l` holds what the item now holds. A value
  // uploaded from memory stays cached (no fetch to read it back).
  template <class V>
  static void committed(Large<V>& l, const LargeWrite& w,
                        const std::shared_ptr<const LargeContext>& context) {
    using P = typename Large<V>::Pending;
    switch (w.action) {
      case LargeWrite::Action::keep:
        if (l.pending_ == P::none) return;  // an unchanged reference
        break;
      case LargeWrite::Action::reuse:
        if (l.pending_ == P::none) return;  // the same object, its cache kept
        break;
      case LargeWrite::Action::remove:
        l = Large<V>();
        return;
      case LargeWrite::Action::upload:
        break;
    }
    if (!w.new_location) return;
    auto cell = std::make_shared<LargeCell<V>>();
    cell->location = *w.new_location;
    cell->location.context = context;
    if (l.pending_ == P::memory) cell->cache = std::move(*l.value_);
    l = Large<V>();
    l.stored_ = std::move(cell);
  }

  // A Large decoded from an item reads through the table's context.
  template <class V>
  static void attach(Large<V>& l, const std::shared_ptr<const LargeContext>& context,
                     std::string_view attribute) {
    if (l.stored_ && !l.stored_->location.context) {
      l.stored_->location.context = context;
      l.stored_->location.attribute = std::string(attribute);
    }
  }

  template <class V>
  static void set_stored(Large<V>& l, LargeLocation location) {
    l = Large<V>();
    l.stored_ = std::make_shared<LargeCell<V>>();
    l.stored_->location = std::move(location);
  }
};

template <class T>
constexpr bool has_large_fields() {
  if constexpr (!has_schema<T>) {
    return false;
  } else {
    bool any = false;
    for_each_field(schema_of<T>, [&](const auto& f) {
      if constexpr (is_large_field_v<std::remove_cvref_t<decltype(f)>>) any = true;
    });
    return any;
  }
}
template <class T>
inline constexpr bool has_large = has_large_fields<T>();

template <class T>
std::vector<LargeFieldSpec> large_field_specs() {
  std::vector<LargeFieldSpec> out;
  for_each_field(schema_of<T>, [&](const auto& f) {
    using F = std::remove_cvref_t<decltype(f)>;
    if constexpr (is_large_field_v<F>) {
      using V = typename F::member_type::value_type;
      out.push_back({f.name, LargeTraits<V>::kind, f.large});
    }
  });
  return out;
}

// One LargeWrite per large field of `item`, in schema order (the order of
// LargeContext::fields).
template <class T>
std::vector<LargeWrite> describe_large_writes(const T& item, const LargeContext& context) {
  std::vector<LargeWrite> out;
  std::size_t i = 0;
  for_each_field(schema_of<T>, [&](const auto& f) {
    if constexpr (is_large_field_v<std::remove_cvref_t<decltype(f)>>) {
      out.push_back(LargeAccess::describe(item.*(f.member), &context.fields[i++]));
    }
  });
  return out;
}

template <class T>
void commit_large_writes(T& item, const std::vector<LargeWrite>& writes,
                         const std::shared_ptr<const LargeContext>& context) {
  std::size_t i = 0;
  for_each_field(schema_of<T>, [&](const auto& f) {
    if constexpr (is_large_field_v<std::remove_cvref_t<decltype(f)>>) {
      LargeAccess::committed(item.*(f.member), writes[i++], context);
    }
  });
}

// Puts the written fields' attributes into `encoded` (URI or nothing).
void apply_large_writes(AttributeMap& encoded, const std::vector<LargeWrite>& writes);

template <class T>
void attach_large(T& item, const std::shared_ptr<const LargeContext>& context) {
  if constexpr (has_large<T>) {
    for_each_field(schema_of<T>, [&](const auto& f) {
      if constexpr (is_large_field_v<std::remove_cvref_t<decltype(f)>>) {
        LargeAccess::attach(item.*(f.member), context, f.name);
      }
    });
  }
}

// Fetches every large field of `item` (in parallel). Errors: the first.
Result<void> run_parallel(std::vector<std::function<Result<void>()>>& tasks, int concurrency);
template <class T>
Result<void> load_all_large(const T& item, int concurrency) {
  std::vector<std::function<Result<void>()>> tasks;
  for_each_field(schema_of<T>, [&](const auto& f) {
    if constexpr (is_large_field_v<std::remove_cvref_t<decltype(f)>>) {
      const auto& l = item.*(f.member);
      if (!l.empty() && !l.loaded()) tasks.emplace_back([&l] { return l.load(); });
    }
  });
  if (tasks.empty()) return {};
  return run_parallel(tasks, concurrency);
}

Error large_encode_error();
Result<LargeLocation> decode_large_reference(const AttributeValue& v);
Result<void> write_file_atomically(const std::string& path,
                                   const std::function<Result<void>(http::BodySink&)>& produce);

}  // namespace detail

template <class V>
bool Converter<Large<V>>::omit(const Large<V>& v) {
  return v.empty();
}

template <class V>
Result<AttributeValue> Converter<Large<V>>::encode(const Large<V>& v) {
  if (v.modified() || !detail::LargeAccess::stored(v))
    return unexpected(detail::large_encode_error());
  return AttributeValue(detail::LargeAccess::stored(v)->location.uri);
}

template <class V>
Result<void> Converter<Large<V>>::decode(const AttributeValue& v, Large<V>& out) {
  auto location = detail::decode_large_reference(v);
  if (!location) return unexpected(std::move(location).error());
  detail::LargeAccess::set_stored(out, std::move(*location));
  return {};
}

template <class V>
Result<void> Large<V>::download_to(http::BodySink& sink) const {
  if (pending_ == Pending::memory) return sink.write(Traits::view(*value_));
  if (pending_ == Pending::file || pending_ == Pending::source) {
    return unexpected(ErrorCode::invalid_argument, kFromStream);
  }
  if (pending_ == Pending::cleared || !stored_) return {};
  {
    std::lock_guard lock(stored_->mu);
    if (stored_->cache) return sink.write(Traits::view(*stored_->cache));
  }
  return detail::stream_large(stored_->location, stored_->client, sink);
}

template <class V>
Result<void> Large<V>::download_to_file(const std::string& path) const {
  if (pending_ == Pending::none && stored_) {
    std::unique_lock lock(stored_->mu);
    if (!stored_->cache) {
      lock.unlock();
      return detail::stream_large_to_file(stored_->location, stored_->client, path);
    }
  }
  return detail::write_file_atomically(path, [this](http::BodySink& s) { return download_to(s); });
}

}  // namespace dynamate
