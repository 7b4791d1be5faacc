// LargeItemTable: the large-attribute protocol (large_write.cpp) for
// AttributeMap items, with the key attributes learnt from DescribeTable.
#include "dynamate/large_item.hpp"

#include <set>
#include <utility>

#include "core/try.hpp"
#include "dynamate/aws/dynamodb_json.hpp"
#include "dynamate/detail/large_ops.hpp"
#include "dynamate/detail/table_ops.hpp"
#include "dynamate/table.hpp"

namespace dynamate {

struct LargeItemTable::State {
  aws::DynamoDbClient dynamodb;
  std::string table;
  std::string hash_name;
  std::string range_name;
  std::vector<LargeAttributeSpec> attributes;
  std::shared_ptr<const detail::LargeContext> context;
};

namespace {

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string key_description(const std::string& hash, const std::string& range) {
  std::string out = hash + " (HASH)";
  if (!range.empty()) out += ", " + range + " (RANGE)";
  return out;
}

std::string declared_names(const std::vector<LargeAttributeSpec>& attributes) {
  std::string out;
  for (const auto& a : attributes) {
    if (!out.empty()) out += ", ";
    out += a.name;
  }
  return out;
}

// Takes the bucket and prefix of field `f` (one without a configured
// bucket) from the per-item object `location`, when its key says it belongs
// to this item and attribute: {prefix}{item}/{attribute}/{sha256}.{write id}.
void infer_location(detail::ResolvedLargeField& f, const std::string& item_segments,
                    const detail::LargeLocation& location) {
  constexpr std::size_t kTail = 64 + 1 + 16;  // "<sha256>.<write id>"
  const std::string middle = detail::per_item_key_prefix("", item_segments, f.attribute);
  const std::string& k = location.key;
  if (k.size() < middle.size() + kTail) return;
  const std::size_t at = k.size() - kTail - middle.size();
  if (k.compare(at, middle.size(), middle) != 0) return;
  f.bucket = location.bucket;
  f.prefix = k.substr(0, at);
}

// The fields whose objects a remove or a put cleans up after its DynamoDB
// write: the declared ones (`with_declared`), and every other attribute of
// `old_item` holding an S3 URI that `new_item` does not hold any more (its
// objects are found by their per-item keys, as a declared field's are, in
// the configured bucket and prefix). Fields without a bucket take the one
// the old item's URI names, when its key says it belongs to this item and
// attribute. detail::delete_removed() then deletes exactly the per-item
// objects of this item that these fields of `old_item` named.
detail::LargeContext cleanup_context(const detail::LargeContext& context, bool with_declared,
                                     const AttributeMap& key, const std::string& hash,
                                     const std::string& range, const AttributeMap& old_item,
                                     const AttributeMap* new_item) {
  detail::LargeContext out;
  out.table = context.table;
  out.config = context.config;
  if (with_declared) out.fields = context.fields;
  std::set<std::string_view> still_held;
  if (new_item != nullptr) {
    for (const auto& [name, value] : *new_item) {
      if (const std::string* s = value.as_string()) still_held.insert(*s);
    }
  }
  for (const auto& [name, value] : old_item) {
    if (context.find(name) != nullptr || name == hash || name == range) continue;
    const std::string* uri = value.as_string();
    if (uri == nullptr || !uri->starts_with("s3://") || still_held.contains(*uri)) continue;
    detail::ResolvedLargeField f;
    f.attribute = name;
    f.s3 = context.config.s3;
    f.bucket = context.config.bucket;
    f.prefix = context.config.prefix;
    out.fields.push_back(std::move(f));
  }
  auto segments = detail::item_key_segments(key, hash, range);
  if (!segments) return out;
  for (auto& f : out.fields) {
    if (!f.bucket.empty()) continue;
    auto it = old_item.find(f.attribute);
    if (it == old_item.end()) continue;
    if (auto location = detail::decode_large_reference(it->second)) {
      infer_location(f, *segments, *location);
    }
  }
  return out;
}

}  // namespace

// ---- LargeValue ----

LargeValue LargeValue::from_memory(std::string bytes) {
  LargeValue v;
  v.kind_ = Kind::memory;
  v.data_ = std::move(bytes);
  return v;
}

LargeValue LargeValue::from_file(std::string path) {
  LargeValue v;
  v.kind_ = Kind::file;
  v.data_ = std::move(path);
  return v;
}

LargeValue LargeValue::from_source(std::shared_ptr<http::BodySource> source) {
  LargeValue v;
  v.kind_ = Kind::source;
  v.source_ = std::move(source);
  return v;
}

// ---- LargeItem ----

AttributeMap LargeItem::key() const {
  AttributeMap out;
  for (const auto& name : key_names_) {
    if (auto it = item_.find(name); it != item_.end()) out.insert(*it);
  }
  return out;
}

Result<detail::LargeLocation> LargeItem::location(std::string_view attribute) const {
  auto it = item_.find(attribute);
  if (it == item_.end()) {
    return unexpected(ErrorCode::not_found, "the item has no attribute " + quoted(attribute));
  }
  auto location = detail::decode_large_reference(it->second);
  if (!location) {
    Error e = std::move(location).error();
    e.with_context("attribute " + quoted(attribute));
    return unexpected(std::move(e));
  }
  location->attribute = std::string(attribute);
  location->context = context_;
  return location;
}

Result<std::string> LargeItem::uri(std::string_view attribute) const {
  DYNAMATE_ASSIGN_OR_RETURN(auto where, location(attribute));
  return std::move(where.uri);
}

Result<std::string> LargeItem::fetch(std::string_view attribute) const {
  DYNAMATE_ASSIGN_OR_RETURN(auto where, location(attribute));
  return detail::fetch_large(where, std::nullopt);
}

Result<void> LargeItem::stream(std::string_view attribute, http::BodySink& sink) const {
  DYNAMATE_ASSIGN_OR_RETURN(auto where, location(attribute));
  return detail::stream_large(where, std::nullopt, sink);
}

Result<void> LargeItem::download_to_file(std::string_view attribute,
                                         const std::string& path) const {
  DYNAMATE_ASSIGN_OR_RETURN(auto where, location(attribute));
  return detail::stream_large_to_file(where, std::nullopt, path);
}

// ---- LargeItemTable ----

Result<LargeItemTable> LargeItemTable::open(aws::DynamoDbClient dynamodb, std::string table,
                                            LargeConfig config,
                                            std::vector<LargeAttributeSpec> attributes) {
  std::set<std::string_view> seen;
  for (const auto& a : attributes) {
    if (a.name.empty()) {
      return unexpected(ErrorCode::invalid_argument,
                        "LargeItemTable " + table + ": a large attribute has an empty name");
    }
    if (!seen.insert(a.name).second) {
      return unexpected(
          ErrorCode::invalid_argument,
          "LargeItemTable " + table + ": large attribute " + quoted(a.name) + " is named twice");
    }
  }
  auto described = dynamodb.describe_table(table);
  if (!described) {
    Error e = std::move(described).error();
    if (e.code == ErrorCode::not_found) e.message = "table " + quoted(table) + " does not exist";
    return unexpected(std::move(e));
  }
  auto state =
      std::make_shared<State>(State{std::move(dynamodb), std::move(table), {}, {}, {}, {}});
  for (const auto& k : described->key_schema) {
    (k.key_type == aws::KeyType::hash ? state->hash_name : state->range_name) = k.attribute_name;
  }
  const std::string& name = state->table;
  if (state->hash_name.empty()) {
    return unexpected(ErrorCode::protocol, "DescribeTable of " + name + " gave no hash key");
  }
  for (const auto& a : attributes) {
    if (a.name == state->hash_name || a.name == state->range_name) {
      return unexpected(ErrorCode::invalid_argument,
                        "large attribute " + quoted(a.name) + " is a key attribute of table " +
                            name +
                            " (key: " + key_description(state->hash_name, state->range_name) +
                            "): key attributes cannot live in S3");
    }
  }
  std::vector<detail::LargeFieldSpec> specs;
  for (const auto& a : attributes) {
    specs.push_back(
        {a.name, a.kind, {.codec = a.codec, .layout = a.layout, .content_type = a.content_type}});
  }
  // make_large_context copies what the specs' views point at.
  state->context = detail::make_large_context(name, std::move(config), specs);
  for (const auto& f : state->context->fields) {
    if (!f.s3) {
      return unexpected(ErrorCode::invalid_argument,
                        "large attribute " + quoted(f.attribute) +
                            " has no S3 client: set LargeConfig::s3 (or its fields entry)");
    }
  }
  state->attributes = std::move(attributes);
  return LargeItemTable(std::move(state));
}

const std::string& LargeItemTable::name() const noexcept { return state_->table; }
const std::string& LargeItemTable::hash_key_name() const noexcept { return state_->hash_name; }
const std::string& LargeItemTable::range_key_name() const noexcept { return state_->range_name; }
const std::vector<LargeAttributeSpec>& LargeItemTable::attributes() const noexcept {
  return state_->attributes;
}

Result<AttributeMap> LargeItemTable::key_from(const AttributeMap& attributes, bool exact) const {
  const State& s = *state_;
  AttributeMap key;
  for (const std::string* name : {&s.hash_name, &s.range_name}) {
    if (name->empty()) continue;
    auto it = attributes.find(*name);
    if (it == attributes.end()) {
      return unexpected(ErrorCode::invalid_argument,
                        std::string(exact ? "the key" : "the item") + " has no key attribute " +
                            quoted(*name) + " (table " + s.table +
                            "'s key: " + key_description(s.hash_name, s.range_name) + ")");
    }
    key.insert(*it);
  }
  if (exact && key.size() != attributes.size()) {
    return unexpected(ErrorCode::invalid_argument,
                      "the key " + to_dynamodb_json(attributes) +
                          " has attributes other than table " + s.table +
                          "'s key: " + key_description(s.hash_name, s.range_name));
  }
  return key;
}

Result<LargeWriteResult> LargeItemTable::put(AttributeMap item,
                                             std::map<std::string, LargeValue> values,
                                             const LargePutOptions& options) const {
  const State& s = *state_;
  const detail::LargeContext& context = *s.context;
  DYNAMATE_ASSIGN_OR_RETURN(AttributeMap key, key_from(item, false));
  for (const auto& [name, value] : values) {
    if (context.find(name) == nullptr) {
      return unexpected(ErrorCode::invalid_argument,
                        quoted(name) + " is not a large attribute of this LargeItemTable (" +
                            declared_names(s.attributes) + ")");
    }
    if (item.contains(name)) {
      return unexpected(
          ErrorCode::invalid_argument,
          "attribute " + quoted(name) + " is given both in the item and as a large value");
    }
    if (value.kind_ == LargeValue::Kind::source && !value.source_) {
      return unexpected(ErrorCode::invalid_argument,
                        "large attribute " + quoted(name) + ": a null BodySource");
    }
  }
  std::vector<detail::LargeWrite> writes;
  for (const auto& f : context.fields) {
    if (f.bucket.empty()) {
      return unexpected(ErrorCode::invalid_argument,
                        "large attribute " + quoted(f.attribute) +
                            " has no bucket: put() needs LargeConfig::bucket (or its fields "
                            "entry)");
    }
    detail::LargeWrite w;
    w.field = &f;
    w.whole_object = true;
    w.whole_item = true;
    if (auto v = values.find(f.attribute); v != values.end()) {
      switch (v->second.kind_) {
        case LargeValue::Kind::memory:
          w.source = detail::LargeWrite::Source::memory;
          w.memory = v->second.data_;
          break;
        case LargeValue::Kind::file:
          w.source = detail::LargeWrite::Source::file;
          w.file = v->second.data_;
          break;
        case LargeValue::Kind::source:
          w.source = detail::LargeWrite::Source::stream;
          w.stream = v->second.source_;
          break;
      }
    } else if (auto held = item.find(f.attribute); held != item.end()) {
      auto location = detail::decode_large_reference(held->second);
      if (!location) {
        return unexpected(ErrorCode::invalid_argument,
                          "large attribute " + quoted(f.attribute) +
                              " must hold an S3 URI (s3://bucket/key) in the item, or come as "
                              "a large value; the item holds a " +
                              std::string(held->second.type_name()) + " that is not one");
      }
      location->attribute = f.attribute;
      location->context = s.context;
      w.source = detail::LargeWrite::Source::reference;
      w.base_sha256 = location->sha256_hex;
      w.base = std::move(*location);
    }
    writes.push_back(std::move(w));
  }

  DYNAMATE_TRY(detail::prepare_large_writes(context, key, s.hash_name, s.range_name, writes));
  detail::LargeWriteReport report;
  detail::apply_large_writes(item, writes);
  if (const std::size_t size = item_size(item); size > kMaxItemBytes) {
    detail::abandon_large_writes(context, writes, Error(ErrorCode::invalid_argument, ""), report);
    return unexpected(detail::item_too_large(s.table, key, size));
  }
  Condition condition = options.condition;
  if (Condition extra = detail::large_write_condition(writes); !extra.empty()) {
    condition = condition.empty() ? extra : (condition && extra);
  }
  auto r = detail::put_item(s.dynamodb, s.table, item, condition, true);
  if (!r) {
    detail::abandon_large_writes(context, writes, r.error(), report);
    return unexpected(std::move(r).error());
  }
  LargeWriteResult out;
  if (r->attributes) {
    detail::delete_superseded(context, key, s.hash_name, s.range_name, *r->attributes, writes,
                              report);
    const auto others =
        cleanup_context(context, false, key, s.hash_name, s.range_name, *r->attributes, &item);
    detail::delete_removed(others, key, s.hash_name, s.range_name, *r->attributes, report);
  }
  out.item = std::move(item);
  out.old_item = std::move(r->attributes);
  out.orphaned = std::move(report.orphaned);
  return out;
}

Result<LargeItem> LargeItemTable::get(const AttributeMap& key, bool consistent_read) const {
  const State& s = *state_;
  DYNAMATE_ASSIGN_OR_RETURN(AttributeMap k, key_from(key, true));
  auto r = s.dynamodb.get_item(
      {.table_name = s.table, .key = std::move(k), .consistent_read = consistent_read});
  if (!r) return unexpected(std::move(r).error());
  if (!r->item) return unexpected(detail::item_not_found(s.table, key));
  return wrap(std::move(*r->item));
}

Result<LargeWriteResult> LargeItemTable::remove(const AttributeMap& key,
                                                const LargeRemoveOptions& options) const {
  const State& s = *state_;
  DYNAMATE_ASSIGN_OR_RETURN(AttributeMap k, key_from(key, true));
  auto r = detail::delete_item(s.dynamodb, s.table, k, options.condition, true);
  if (!r) return unexpected(std::move(r).error());
  LargeWriteResult out;
  if (r->attributes) {
    detail::LargeWriteReport report;
    const auto cleanup =
        cleanup_context(*s.context, true, k, s.hash_name, s.range_name, *r->attributes, nullptr);
    detail::delete_removed(cleanup, k, s.hash_name, s.range_name, *r->attributes, report);
    out.orphaned = std::move(report.orphaned);
    out.old_item = std::move(r->attributes);
  }
  out.item = std::move(k);
  return out;
}

LargeItem LargeItemTable::wrap(AttributeMap item) const {
  LargeItem out;
  out.item_ = std::move(item);
  out.key_names_.push_back(state_->hash_name);
  if (!state_->range_name.empty()) out.key_names_.push_back(state_->range_name);
  out.context_ = state_->context;
  return out;
}

}  // namespace dynamate
