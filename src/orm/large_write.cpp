// Writing large attributes: deciding what each field needs, the parallel
// uploads (hashing, compression, the key layouts), and the clean-up after the
// DynamoDB write. The order of these steps is the consistency protocol; see
// include/dynamate/large.hpp and docs/LARGE.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "core/crypto.hpp"
#include "core/try.hpp"
#include "dynamate/detail/large_ops.hpp"

namespace dynamate::detail {
namespace {

constexpr std::size_t kReadChunk = 256 * 1024;

std::string hex_of(std::span<const std::uint8_t> digest) {
  return hex_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

Error field_error(const ResolvedLargeField& f, Error e) {
  e.with_context("large attribute \"" + f.attribute + "\"");
  return e;
}

Result<void> check_field_config(const ResolvedLargeField& f) {
  if (!f.s3) {
    return unexpected(ErrorCode::invalid_argument,
                      "large attribute \"" + f.attribute +
                          "\" has no S3 client: set TableConfig::large.s3 (or its fields entry)");
  }
  if (f.bucket.empty()) {
    return unexpected(ErrorCode::invalid_argument,
                      "large attribute \"" + f.attribute +
                          "\" has no bucket: set TableConfig::large.bucket (or its fields entry)");
  }
  if (f.layout == KeyLayout::custom && !f.key_function) {
    return unexpected(
        ErrorCode::invalid_argument,
        "large attribute \"" + f.attribute + "\" uses KeyLayout::custom without a key_function");
  }
  return {};
}

// The bytes to store, prepared: in memory, or in a file (the original or a
// compressed temporary one), with the hashes every layout needs.
struct Prepared {
  std::string sha256_hex;  // of the value
  std::string md5_hex;     // of the stored bytes (pynamodb_mate layout)
  std::string body;        // stored bytes, when compressed in memory
  std::string_view view;   // stored bytes, when in memory (`body` or the model's value)
  std::string file;        // stored bytes, when in a file
  std::shared_ptr<http::BodySource> stream;  // stored bytes, uncompressed stream
  std::string temp;                          // a temporary file to remove afterwards
  std::string stored_sha256_hex;             // of the stored bytes, when known cheaply
  ~Prepared() {
    if (!temp.empty()) {
      std::error_code ec;
      std::filesystem::remove(temp, ec);
    }
  }
};

std::string temp_path() {
  std::error_code ec;
  auto dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  return (dir / ("dynamate-large-" + new_write_id() + ".tmp")).string();
}

// Reads `source` once from its start: hashes it, and compresses it into a
// temporary file when the field has a codec.
Result<void> prepare_stream(http::BodySource& source, Codec codec, int level, bool need_md5,
                            Prepared& out, const std::string& what) {
  if (source.size() > aws::kS3MaxObjectSize) {
    return unexpected(ErrorCode::invalid_argument,
                      what + " is " + std::to_string(source.size()) +
                          " bytes, over S3's object size limit of 5 TiB");
  }
  DYNAMATE_TRY(source.rewind());
  Sha256 sha;
  Md5 md5;
  std::optional<Compressor> compressor;
  std::ofstream file;
  if (codec != Codec::none) {
    auto c = Compressor::create(codec, level);
    if (!c) return unexpected(std::move(c).error());
    compressor.emplace(std::move(*c));
    out.temp = temp_path();
    out.file = out.temp;
    file.open(out.temp, std::ios::binary | std::ios::trunc);
    if (!file) return unexpected(ErrorCode::internal, "cannot create " + out.temp);
  }
  auto sink = [&](std::string_view chunk) -> Result<void> {
    if (need_md5) md5.update(chunk);
    file.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (!file) return unexpected(ErrorCode::internal, "cannot write " + out.temp);
    return {};
  };
  std::string buffer(kReadChunk, '\0');
  std::uint64_t total = 0;
  for (;;) {
    auto n = source.read(std::span<char>(buffer.data(), buffer.size()));
    if (!n) {
      Error e = std::move(n).error();
      e.with_context("reading " + what);
      return unexpected(std::move(e));
    }
    if (*n == 0) break;
    total += *n;
    const std::string_view chunk(buffer.data(), *n);
    sha.update(chunk);
    if (compressor) {
      DYNAMATE_TRY(compressor->write(chunk, sink));
    } else if (need_md5) {
      md5.update(chunk);
    }
  }
  if (total != source.size()) {
    return unexpected(ErrorCode::invalid_argument, what + " gave " + std::to_string(total) +
                                                       " bytes, but its size() is " +
                                                       std::to_string(source.size()));
  }
  if (compressor) {
    DYNAMATE_TRY(compressor->finish(sink));
    file.close();
    if (file.fail()) return unexpected(ErrorCode::internal, "cannot write " + out.temp);
  }
  out.sha256_hex = hex_of(sha.finish());
  if (codec == Codec::none) out.stored_sha256_hex = out.sha256_hex;  // no rehash to sign
  if (need_md5) out.md5_hex = hex_of(md5.finish());
  return {};
}

Result<void> prepare_value(const LargeWrite& w, const LargeContext& context, Prepared& out) {
  const ResolvedLargeField& f = *w.field;
  const bool need_md5 = f.layout == KeyLayout::pynamodb_mate;
  const int level = context.config.compression_level;
  switch (w.source) {
    case LargeWrite::Source::memory: {
      out.sha256_hex = w.sha256_hex.empty() ? sha256_hex(w.memory) : w.sha256_hex;
      if (f.codec == Codec::none) {
        out.view = w.memory;
        out.stored_sha256_hex = out.sha256_hex;
      } else {
        auto packed = compress(f.codec, w.memory, level);
        if (!packed) return unexpected(std::move(packed).error());
        out.body = std::move(*packed);
        out.view = out.body;
      }
      if (need_md5) out.md5_hex = md5_hex(out.view);
      return {};
    }
    case LargeWrite::Source::file: {
      auto source = http::file_body_source(w.file);
      if (!source) return unexpected(std::move(source).error());
      DYNAMATE_TRY(prepare_stream(**source, f.codec, level, need_md5, out, w.file));
      if (f.codec == Codec::none) out.file = w.file;
      return {};
    }
    case LargeWrite::Source::stream: {
      if (!w.stream) return unexpected(ErrorCode::invalid_argument, "a null stream");
      DYNAMATE_TRY(prepare_stream(*w.stream, f.codec, level, need_md5, out, "the stream"));
      if (f.codec == Codec::none) out.stream = w.stream;
      return {};
    }
    default:
      return unexpected(ErrorCode::internal, "prepare_value without a value");
  }
}

bool printable_ascii(std::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::string utc_now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
  return buf;
}

// What pynamodb_mate 6 writes along with an object: pk, sk, attr, update_at
// (values that are not printable ASCII cannot travel as S3 metadata).
void add_pynamodb_mate_metadata(std::map<std::string, std::string>& metadata,
                                const AttributeMap& item_key, std::string_view hash_name,
                                std::string_view range_name, std::string_view attribute) {
  auto text = [&](std::string_view name) -> std::string {
    auto it = item_key.find(name);
    if (it == item_key.end()) return {};
    if (const auto* s = it->second.as_string()) return *s;
    if (const auto* n = it->second.as_number()) return n->text;
    return {};
  };
  if (auto pk = text(hash_name); !pk.empty() && printable_ascii(pk)) metadata["pk"] = pk;
  if (!range_name.empty()) {
    if (auto sk = text(range_name); !sk.empty() && printable_ascii(sk)) metadata["sk"] = sk;
  }
  metadata["attr"] = std::string(attribute);
  metadata["update_at"] = utc_now_iso();
}

Result<void> put_prepared(const aws::S3Client& s3, const LargeContext& context,
                          const ResolvedLargeField& f, const std::string& key, const Prepared& p,
                          const AttributeMap& item_key, std::string_view hash_name,
                          std::string_view range_name, bool if_none_match) {
  aws::UploadOptions o;
  o.attributes = f.object;
  o.attributes.metadata["dynamate-sha256"] = p.sha256_hex;
  if (f.codec != Codec::none) o.attributes.content_encoding = std::string(to_string(f.codec));
  if (f.layout == KeyLayout::pynamodb_mate) {
    add_pynamodb_mate_metadata(o.attributes.metadata, item_key, hash_name, range_name, f.attribute);
  }
  o.if_none_match = if_none_match;
  o.multipart_threshold = context.config.multipart_threshold;
  o.part_size = context.config.part_size;
  o.concurrency = std::max(1, context.config.concurrency);
  Result<aws::UploadResult> r = [&]() -> Result<aws::UploadResult> {
    if (!p.stored_sha256_hex.empty()) o.payload.sha256_hex = p.stored_sha256_hex;
    if (!p.file.empty()) return s3.upload_file(f.bucket, key, p.file, o);
    if (p.stream) return s3.upload(f.bucket, key, p.stream, o);
    return s3.upload(f.bucket, key, http::view_body_source(p.view), o);
  }();
  if (!r) return unexpected(std::move(r).error());
  return {};
}

// {prefix}{sha256}.{period}, the period as 16 hex digits.
std::string shared_key(std::string_view prefix, std::string_view sha256_hex,
                       std::chrono::seconds period) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  const auto index =
      static_cast<std::uint64_t>(now.count() / std::max<std::int64_t>(period.count(), 1));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(index));
  std::string out(prefix);
  out.append(sha256_hex).append(".").append(buf);
  return out;
}

// Whether `location` is the shared object of this period for its value.
bool is_current_shared(const ResolvedLargeField& f, const LargeLocation& location,
                       std::chrono::seconds period) {
  return !location.sha256_hex.empty() && location.bucket == f.bucket &&
         location.key == shared_key(f.prefix, location.sha256_hex, period);
}

Result<std::string> object_key(const LargeWrite& w, const LargeContext& context,
                               const AttributeMap& key, std::string_view hash_name,
                               std::string_view range_name, const std::string& item_prefix,
                               const Prepared& p) {
  const ResolvedLargeField& f = *w.field;
  switch (f.layout) {
    case KeyLayout::per_item:
      return per_item_key(item_prefix, p.sha256_hex, new_write_id());
    case KeyLayout::shared:
      return shared_key(f.prefix, p.sha256_hex, context.config.shared_period);
    case KeyLayout::custom: {
      auto k =
          f.key_function(LargeKeyInput{context.table, key, f.attribute, p.sha256_hex, f.prefix});
      if (!k) return k;
      if (auto ok = aws::validate_object_key(*k); !ok) return unexpected(std::move(ok).error());
      return k;
    }
    case KeyLayout::pynamodb_mate:
      return pynamodb_mate_key(f.prefix, key, hash_name, range_name, f.attribute, p.md5_hex);
  }
  return unexpected(ErrorCode::internal, "unknown key layout");
}

bool owned_by_item(const ResolvedLargeField& f, const LargeLocation& location,
                   const std::string& item_prefix, std::string* sha = nullptr) {
  return location.bucket == f.bucket && parse_per_item_key(location.key, item_prefix, sha);
}

Result<void> delete_objects_of(
    const LargeContext& context,
    const std::vector<std::pair<const ResolvedLargeField*, LargeLocation>>& doomed,
    LargeWriteReport& report) {
  if (doomed.empty()) return {};
  std::mutex mu;
  std::vector<std::function<Result<void>()>> tasks;
  for (const auto& [f, location] : doomed) {
    tasks.emplace_back([&, f = f, location = location]() -> Result<void> {
      auto r = f->s3 ? f->s3->delete_object(location.bucket, location.key)
                     : Result<void>(unexpected(ErrorCode::invalid_argument, "no S3 client"));
      if (!r) {
        std::lock_guard lock(mu);
        report.orphaned.push_back(location.uri);
      }
      return {};
    });
  }
  return run_parallel(tasks, context.config.concurrency);
}

// Prepares and uploads one value (run on a worker thread).
Result<void> upload_one(const LargeContext& context, const AttributeMap& key,
                        std::string_view hash_name, std::string_view range_name,
                        const std::string& item_prefix, LargeWrite& w, Prepared& p) {
  const ResolvedLargeField& f = *w.field;
  std::string copied;  // a foreign reference's value
  if (w.source == LargeWrite::Source::reference) {
    auto value = fetch_large(*w.reference, std::nullopt);
    if (!value) return unexpected(field_error(f, std::move(value).error()));
    copied = std::move(*value);
    w.memory = copied;
    w.source = LargeWrite::Source::memory;
  }
  if (auto r = prepare_value(w, context, p); !r) {
    return unexpected(field_error(f, std::move(r).error()));
  }
  auto object = object_key(w, context, key, hash_name, range_name, item_prefix, p);
  if (!object) return unexpected(field_error(f, std::move(object).error()));
  w.sha256_hex = p.sha256_hex;
  LargeLocation location;
  location.bucket = f.bucket;
  location.key = *object;
  location.uri = make_large_uri(f.bucket, *object);
  location.sha256_hex = p.sha256_hex;
  location.attribute = f.attribute;
  const bool shared = f.layout == KeyLayout::shared;
  // Known before the PUT: a PUT whose answer is lost may have stored it.
  w.new_location = location;
  w.uploaded_by_us = true;
  w.deletable = f.layout == KeyLayout::per_item;
  auto put = put_prepared(*f.s3, context, f, *object, p, key, hash_name, range_name, shared);
  if (!put && shared && put.error().code == ErrorCode::condition_failed && !put.error().ambiguous) {
    // Stored already in this period: created since the period began, so
    // younger than any GC cut-off (see LargeConfig::shared_period).
    put = Result<void>();
  }
  if (!put) return unexpected(field_error(f, std::move(put).error()));
  return {};
}

}  // namespace

Result<void> prepare_large_writes(const LargeContext& context, const AttributeMap& key,
                                  std::string_view hash_name, std::string_view range_name,
                                  std::vector<LargeWrite>& writes) {
  const auto started = std::chrono::steady_clock::now();
  auto segments = item_key_segments(key, hash_name, range_name);
  if (!segments) return unexpected(std::move(segments).error());

  std::vector<std::function<Result<void>()>> uploads;
  std::vector<std::unique_ptr<Prepared>> prepared(writes.size());
  for (std::size_t i = 0; i < writes.size(); ++i) {
    LargeWrite& w = writes[i];
    const ResolvedLargeField& f = *w.field;
    const std::string item_prefix = per_item_key_prefix(f.prefix, *segments, f.attribute);
    // Only the per-item layout deletes objects, so only there does the base
    // matter (conditions, clean-up): it must be this item's own object (its
    // key says so); a value copied from another item has none.
    const bool per_item = f.layout == KeyLayout::per_item;
    if (w.source == LargeWrite::Source::reference) w.reference = w.base;
    if (per_item && w.base && !owned_by_item(f, *w.base, item_prefix)) w.base.reset();
    switch (w.source) {
      case LargeWrite::Source::none:
        w.action = w.whole_object ? LargeWrite::Action::remove : LargeWrite::Action::keep;
        continue;
      case LargeWrite::Source::cleared:
        w.action = LargeWrite::Action::remove;
        continue;
      case LargeWrite::Source::reference:
        if (f.layout == KeyLayout::shared &&
            !is_current_shared(f, *w.reference, context.config.shared_period)) {
          break;  // from an earlier period: stored again (copied below)
        }
        if (!per_item) {
          // Never deleted by item writes: written again as it is, wherever
          // it came from (another item's value included).
          w.action = LargeWrite::Action::reuse;
          w.new_location = w.reference;
          continue;
        }
        if (w.base) {  // this item's own object
          w.action = w.whole_item ? LargeWrite::Action::reuse : LargeWrite::Action::keep;
          w.held_condition = true;
          w.new_location = w.base;
          continue;
        }
        break;  // another item's object: copied below
      default:
        if (w.base && !w.base_sha256.empty() && w.source == LargeWrite::Source::memory) {
          w.sha256_hex = sha256_hex(w.memory);  // hashed once: prepare_value reuses it
        }
        if (w.base && !w.base_sha256.empty() && w.base_sha256 == w.sha256_hex &&
            (f.layout != KeyLayout::shared ||
             is_current_shared(f, *w.base, context.config.shared_period))) {
          // The object the model was read with holds this very value.
          if (per_item) {
            w.action = w.whole_item ? LargeWrite::Action::reuse : LargeWrite::Action::keep;
            w.held_condition = true;
          } else {
            w.action = LargeWrite::Action::reuse;
          }
          w.new_location = w.base;
          w.sha256_hex = w.base_sha256;
          continue;
        }
        break;
    }
    DYNAMATE_TRY(check_field_config(f));
    w.action = LargeWrite::Action::upload;
    prepared[i] = std::make_unique<Prepared>();
    uploads.emplace_back([&, i, item_prefix]() -> Result<void> {
      return upload_one(context, key, hash_name, range_name, item_prefix, writes[i], *prepared[i]);
    });
  }
  Result<void> r = run_parallel(uploads, context.config.concurrency);
  if (r && std::chrono::steady_clock::now() - started > context.config.write_deadline) {
    r = unexpected(ErrorCode::timeout,
                   "the uploads of large attributes took longer than write_deadline (" +
                       std::to_string(context.config.write_deadline.count()) +
                       " s): the item is not written, so that the GC cannot take objects it "
                       "would reference");
  }
  if (!r) {
    // No DynamoDB write was sent: whatever an upload's lost answer means,
    // the item is untouched, and this call's uploads are deleted.
    Error e = std::move(r).error();
    e.ambiguous = false;
    LargeWriteReport ignored;
    abandon_large_writes(context, writes, e, ignored);
    return unexpected(std::move(e));
  }
  return {};
}

void abandon_large_writes(const LargeContext& context, const std::vector<LargeWrite>& writes,
                          const Error& error, LargeWriteReport& report) {
  std::vector<std::pair<const ResolvedLargeField*, LargeLocation>> doomed;
  for (const auto& w : writes) {
    if (!w.uploaded_by_us || !w.deletable || !w.new_location) continue;
    if (error.ambiguous) {
      report.orphaned.push_back(w.new_location->uri);  // the write may have committed
    } else {
      doomed.emplace_back(w.field, *w.new_location);
    }
  }
  static_cast<void>(delete_objects_of(context, doomed, report));
}

void delete_superseded(const LargeContext& context, const AttributeMap& key,
                       std::string_view hash_name, std::string_view range_name,
                       const AttributeMap& old_item, const std::vector<LargeWrite>& written,
                       LargeWriteReport& report) {
  auto segments = item_key_segments(key, hash_name, range_name);
  if (!segments) return;
  std::vector<std::pair<const ResolvedLargeField*, LargeLocation>> doomed;
  for (const auto& w : written) {
    if (w.action == LargeWrite::Action::keep) continue;
    auto it = old_item.find(w.field->attribute);
    if (it == old_item.end()) continue;
    auto old = decode_large_reference(it->second);
    if (!old) continue;  // not a URI: nothing of ours
    if (w.new_location && w.new_location->uri == old->uri) continue;
    const std::string item_prefix =
        per_item_key_prefix(w.field->prefix, *segments, w.field->attribute);
    if (owned_by_item(*w.field, *old, item_prefix)) doomed.emplace_back(w.field, std::move(*old));
  }
  static_cast<void>(delete_objects_of(context, doomed, report));
}

void delete_removed(const LargeContext& context, const AttributeMap& key,
                    std::string_view hash_name, std::string_view range_name,
                    const AttributeMap& old_item, LargeWriteReport& report) {
  auto segments = item_key_segments(key, hash_name, range_name);
  if (!segments) return;
  std::vector<std::pair<const ResolvedLargeField*, LargeLocation>> doomed;
  for (const auto& f : context.fields) {
    auto it = old_item.find(f.attribute);
    if (it == old_item.end()) continue;
    auto old = decode_large_reference(it->second);
    if (!old) continue;
    if (owned_by_item(f, *old, per_item_key_prefix(f.prefix, *segments, f.attribute))) {
      doomed.emplace_back(&f, std::move(*old));
    }
  }
  static_cast<void>(delete_objects_of(context, doomed, report));
}

}  // namespace dynamate::detail
