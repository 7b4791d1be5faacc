// dynamate/large.hpp: large attributes, values too big for a DynamoDB item
// (HTML pages, images, documents), kept in S3 while the item holds the
// object's "s3://bucket/key" URI (pynamodb_mate's representation, so either
// library reads the other's items).
//
//   struct Page {
//     std::string url;
//     dynamate::LargeText html;     // text (UTF-8)
//     dynamate::LargeBytes cover;   // binary
//     std::int64_t version = 0;
//   };
//   template <>
//   inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
//       "pages", dynamate::hash_key("url", &Page::url),
//       dynamate::large("html", &Page::html, {.codec = dynamate::Codec::gzip}),
//       dynamate::large("cover", &Page::cover),
//       dynamate::version("version", &Page::version));
//
//   dynamate::Table<Page> pages(ddb, {.large = {.s3 = s3, .bucket = "blobs",
//                                               .prefix = "pages/"}});
//   Page p{.url = "https://python.org"};
//   p.html = "<html>...</html>";
//   p.cover = dynamate::LargeBytes::from_file("cover.png");
//   pages.save(p).value();                // uploads, then writes the item
//   Page got = pages.get(p.url).value();  // no S3 call yet (lazy)
//   const std::string& html = got.html.value();  // fetched now, sha256 checked
//
// A Large<V> (V: std::string, Bytes or JsonDocument) is empty (no attribute),
// a stored reference (what an item read holds; the content is fetched on
// first access and cached, shared by copies), or a new value assigned in
// memory or from a file or stream, uploaded by the next save()/update().
// An empty value is the same as no value: the attribute is removed.
//
// The protocol (docs/LARGE.md): a write uploads every changed value first,
// in parallel, then makes one conditional DynamoDB write that returns the
// old item; on failure it deletes only the objects it uploaded that nothing
// else can reference, on success the objects the old item named and the new
// one does not. A delete removes the item (returning it), then its objects.
// So no committed item references a missing object; a failure or crash
// leaves at most orphans, which gc_large_objects() (large_gc.hpp) reclaims.
//
// Object keys (KeyLayout):
//   per_item       {prefix}{hash}[/{range}]/{attribute}/{sha256}.{write id}:
//                  key values and attribute percent-encoded (so '/', '=',
//                  spaces and non-ASCII never collide; key values longer than
//                  300 bytes escaped become "~" + their sha256), the sha256 of
//                  the value, and a random id per write: an object belongs to
//                  one write of one item, which is what makes deleting it
//                  safe. Writes and removes delete these objects.
//   shared         {prefix}{sha256}.{period}: one object per distinct value
//                  across items and LargeConfig::shared_period (12 h): a
//                  value stored again in a later period gets a new object,
//                  so a write never reuses an object old enough for the GC
//                  to be deleting it. Item writes never delete them (another
//                  item may use the value); only the GC removes them.
//   custom         LargeFieldConfig::key_function names the key. Deleted only
//                  by the GC (a key function may give two writes one key).
//   pynamodb_mate  pynamodb_mate 6's layout (see docs/LARGE.md). Deleted only
//                  by the GC, for the same reason.
//
// Codecs (compression.hpp): gzip or zstd bodies carry Content-Encoding; the
// sha256 of the uncompressed value travels as object metadata
// (x-amz-meta-dynamate-sha256) and is checked on every read (integrity).
// A missing object is ErrorCode::dangling_reference.
//
// Thread-safety: a const Large may be read (value(), load()) from several
// threads at once; assigning needs exclusive access, as for any member.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "dynamate/attribute_value.hpp"
#include "dynamate/aws/http.hpp"
#include "dynamate/aws/s3.hpp"
#include "dynamate/bytes.hpp"
#include "dynamate/compression.hpp"
#include "dynamate/converter.hpp"
#include "dynamate/detail/codec.hpp"
#include "dynamate/json_document.hpp"
#include "dynamate/model.hpp"
#include "dynamate/result.hpp"

namespace dynamate {

enum class KeyLayout : std::uint8_t { per_item, shared, custom, pynamodb_mate };
std::string_view to_string(KeyLayout layout) noexcept;

// What a custom key function is given.
struct LargeKeyInput {
  std::string_view table;
  const AttributeMap& key;      // the item's primary key
  std::string_view attribute;   // the attribute name
  std::string_view sha256_hex;  // of the uncompressed value
  std::string_view prefix;      // the field's configured prefix
};
// Returns the object key (1..1024 bytes of UTF-8).
using LargeKeyFunction = std::function<Result<std::string>(const LargeKeyInput&)>;

// Per field, in the schema (constexpr).
struct LargeOptions {
  Codec codec = Codec::none;
  KeyLayout layout = KeyLayout::per_item;
  // Content-Type of the objects; empty: text/plain; charset=utf-8 (text),
  // application/octet-stream (binary), application/json (JSON).
  std::string_view content_type{};
};

// Per field, at run time: every set member overrides the table's default
// (LargeConfig) and the schema's options.
struct LargeFieldConfig {
  std::optional<aws::S3Client> s3{};
  std::optional<std::string> bucket{};
  std::optional<std::string> prefix{};
  std::optional<KeyLayout> layout{};
  std::optional<Codec> codec{};
  // Content type, content disposition, cache control, metadata, SSE (e.g.
  // kms with kms_key_id) and storage class of the objects written.
  std::optional<aws::ObjectAttributes> object{};
  LargeKeyFunction key_function{};  // KeyLayout::custom
};

// TableConfig::large: where a table's large attributes live.
struct LargeConfig {
  std::optional<aws::S3Client> s3{};
  std::string bucket{};
  std::string prefix{};
  std::map<std::string, LargeFieldConfig, std::less<>> fields{};  // by attribute name
  // get/query/scan fetch every large field of an item (in parallel) before
  // handing the item out, instead of on first access.
  bool eager = false;
  // Uploads (or downloads) of one item in flight at once.
  int concurrency = 8;
  int compression_level = 0;  // 0: the codec's default
  // Values from files or streams at least this large go up by multipart
  // upload in parts of part_size (memory: concurrency x part_size at most).
  std::uint64_t multipart_threshold = 16 * aws::kMiB;
  std::uint64_t part_size = 8 * aws::kMiB;
  // A write whose first upload started longer ago than this gives up before
  // the DynamoDB write (deleting its uploads): the GC's grace period must be
  // longer, so that the GC never takes an object a write is about to commit.
  std::chrono::seconds write_deadline = std::chrono::minutes(15);
  // The shared layout's period: a shared object is written (and reused) only
  // during the period it was created in, so a write never revives an object
  // the GC may be deleting. The GC's grace period must be at least
  // shared_period + write_deadline.
  std::chrono::seconds shared_period = std::chrono::hours(12);
};

namespace detail {

enum class LargeKind : std::uint8_t { text, binary, json };

// The runtime description of one large field of a table.
struct ResolvedLargeField {
  std::string attribute;
  LargeKind kind = LargeKind::binary;
  std::optional<aws::S3Client> s3;
  std::string bucket;
  std::string prefix;
  KeyLayout layout = KeyLayout::per_item;
  Codec codec = Codec::none;
  aws::ObjectAttributes object;
  LargeKeyFunction key_function;
};

// What a Table<T> knows about its large fields (built once per Table).
struct LargeContext {
  std::string table;
  LargeConfig config;
  std::vector<ResolvedLargeField> fields;  // schema order
  const ResolvedLargeField* find(std::string_view attribute) const noexcept;
};

struct LargeFieldSpec {
  std::string_view name;
  LargeKind kind;
  LargeOptions options;
};
std::shared_ptr<const LargeContext> make_large_context(std::string table, LargeConfig config,
                                                       const std::vector<LargeFieldSpec>& specs);

// Where a stored value is, and how to read it. Immutable once shared.
struct LargeLocation {
  std::string uri;  // s3://bucket/key
  std::string bucket;
  std::string key;
  std::string sha256_hex;  // expected, when the key says (per_item, shared); else empty
  std::string attribute;
  std::shared_ptr<const LargeContext> context;  // null until a Table attaches it
};

// "s3://bucket/key" -> location (schema_mismatch when it is not one).
Result<LargeLocation> parse_large_uri(std::string_view uri);

// Fetches the object into memory: GetObject, decompressed by its
// Content-Encoding (or, for objects without one, by the bytes' magic when the
// field has a codec), sha256 checked against the metadata or the key.
// Errors: dangling_reference (no such object), integrity, invalid_argument
// (no S3 client: the value was not read through a Table), S3's errors.
Result<std::string> fetch_large(const LargeLocation& location,
                                const std::optional<aws::S3Client>& client);
// The same streamed into `sink` (decompressed; the sha256 is checked at the
// end, after the sink saw the bytes: download_to_file() renames only then).
Result<void> stream_large(const LargeLocation& location, const std::optional<aws::S3Client>& client,
                          http::BodySink& sink);
Result<void> stream_large_to_file(const LargeLocation& location,
                                  const std::optional<aws::S3Client>& client,
                                  const std::string& path);

// The stored half of a Large: location plus the value once fetched.
template <class V>
struct LargeCell {
  LargeLocation location;
  std::optional<aws::S3Client> client;  // overrides the context's
  mutable std::mutex mu;
  mutable std::optional<V> cache;
};

template <class V>
struct LargeTraits;
template <>
struct LargeTraits<std::string> {
  static constexpr LargeKind kind = LargeKind::text;
  static std::string_view view(const std::string& v) noexcept { return v; }
  static std::string make(std::string&& s) { return std::move(s); }
};
template <>
struct LargeTraits<Bytes> {
  static constexpr LargeKind kind = LargeKind::binary;
  static std::string_view view(const Bytes& v) noexcept { return v.view(); }
  static Bytes make(std::string&& s) { return Bytes(std::move(s)); }
};
template <>
struct LargeTraits<JsonDocument> {
  static constexpr LargeKind kind = LargeKind::json;
  static std::string_view view(const JsonDocument& v) noexcept { return v.text; }
  static JsonDocument make(std::string&& s) { return JsonDocument{std::move(s)}; }
};

struct LargeAccess;

}  // namespace detail

template <class V>
class Large {
  using Traits = detail::LargeTraits<V>;

 public:
  using value_type = V;

  Large() = default;
  Large(V value) { assign(std::move(value)); }  // NOLINT(implicit): page.html = "..."
  template <class S>
  requires(std::is_same_v<V, std::string>&& std::is_convertible_v<const S&, std::string_view> &&
           !std::is_same_v<S, std::string>) Large(const S& s)  // NOLINT(implicit)
      : Large(std::string(std::string_view(s))) {}

  // A value read from a file / a stream when the item is written (streamed:
  // memory stays flat whatever the size). A BodySource is rewound and read
  // twice (hashing, then the upload; more on retries).
  static Large from_file(std::string path) {
    Large l;
    l.set_file(std::move(path));
    return l;
  }
  static Large from_source(std::shared_ptr<http::BodySource> source) {
    Large l;
    l.set_source(std::move(source));
    return l;
  }

  // Assigning keeps track of the object the item held (so that update() can
  // condition its write on it and delete it afterwards); prefer these to
  // replacing the whole Large on an object read from a table.
  Large& operator=(V value) {
    drop_pending();
    assign(std::move(value));
    return *this;
  }
  template <class S>
  requires(std::is_same_v<V, std::string>&& std::is_convertible_v<const S&, std::string_view> &&
           !std::is_same_v<S, std::string>) Large&
  operator=(const S& s) {
    return *this = std::string(std::string_view(s));
  }
  void set_file(std::string path) {
    drop_pending();
    file_ = std::move(path);
    pending_ = Pending::file;
  }
  void set_source(std::shared_ptr<http::BodySource> source) {
    drop_pending();
    source_ = std::move(source);
    pending_ = Pending::source;
  }
  // No value: the next write removes the attribute (and its object).
  void clear() {
    drop_pending();
    pending_ = Pending::cleared;
  }

  // No value at all (no stored reference and no new value, or cleared).
  bool empty() const noexcept {
    return pending_ == Pending::cleared || (pending_ == Pending::none && !stored_);
  }
  // Holds a new value (or a clear()) not written yet.
  bool modified() const noexcept { return pending_ != Pending::none; }
  // The value is in memory (a new in-memory value, or a stored one fetched).
  bool loaded() const {
    if (pending_ == Pending::memory) return true;
    if (pending_ != Pending::none || !stored_) return false;
    std::lock_guard lock(stored_->mu);
    return stored_->cache.has_value();
  }
  // The URI of the stored object ("" when there is none or after a change).
  const std::string& uri() const noexcept {
    static const std::string none;
    return pending_ == Pending::none && stored_ ? stored_->location.uri : none;
  }

  // Fetches a stored value now (no-op when loaded or new). Errors: see
  // detail::fetch_large.
  Result<void> load() const {
    if (pending_ != Pending::none || !stored_) return {};
    std::lock_guard lock(stored_->mu);
    if (stored_->cache) return {};
    auto bytes = detail::fetch_large(stored_->location, stored_->client);
    if (!bytes) return unexpected(std::move(bytes).error());
    stored_->cache.emplace(Traits::make(std::move(*bytes)));
    return {};
  }
  // Reads through `client` from now on (e.g. a Large decoded outside a
  // Table, which has no client), then load().
  Result<void> load(const aws::S3Client& client) {
    if (stored_) {
      auto cell = std::make_shared<detail::LargeCell<V>>();
      cell->location = stored_->location;
      cell->client = client;
      stored_ = std::move(cell);
    }
    return load();
  }

  // The value, fetched on first access. Throws dynamate::Exception when the
  // fetch fails (load() first gives a Result instead) or when the value
  // comes from a file or stream. An empty Large reads as an empty V.
  const V& value() const {
    static const V none{};
    switch (pending_) {
      case Pending::memory:
        return *value_;
      case Pending::cleared:
        return none;
      case Pending::file:
      case Pending::source:
        throw Exception(Error(ErrorCode::invalid_argument, kFromStream));
      case Pending::none:
        break;
    }
    if (!stored_) return none;
    if (auto r = load(); !r) throw Exception(std::move(r).error());
    std::lock_guard lock(stored_->mu);
    return *stored_->cache;
  }
  // A copy of the value. Errors as load().
  Result<V> get() const {
    if (pending_ == Pending::file || pending_ == Pending::source) {
      return unexpected(ErrorCode::invalid_argument, kFromStream);
    }
    if (auto r = load(); !r) return unexpected(std::move(r).error());
    return value();
  }

  // Streams the value into `sink` / a file without holding it in memory
  // (decompressed and sha256-checked; a file is written under a temporary
  // name and renamed once the check passed). Errors as load().
  Result<void> download_to(http::BodySink& sink) const;
  Result<void> download_to_file(const std::string& path) const;

 private:
  friend struct detail::LargeAccess;
  enum class Pending : std::uint8_t { none, memory, file, source, cleared };
  static constexpr const char* kFromStream =
      "this large value comes from a file or stream: it is read when the item is written "
      "(read it back from the table, or use download_to)";

  void assign(V value) {
    if (Traits::view(value).empty()) {
      pending_ = Pending::cleared;
      return;
    }
    value_.emplace(std::move(value));
    pending_ = Pending::memory;
  }
  void drop_pending() {
    value_.reset();
    file_.clear();
    source_.reset();
    pending_ = Pending::none;
  }

  // With no pending change: the stored object (what the item held when read
  // or last written). With one: that object still (the base of the change).
  std::shared_ptr<detail::LargeCell<V>> stored_;
  Pending pending_ = Pending::none;
  std::optional<V> value_;
  std::string file_;
  std::shared_ptr<http::BodySource> source_;
};

using LargeText = Large<std::string>;
using LargeBytes = Large<Bytes>;
using LargeJson = Large<JsonDocument>;

template <class T>
inline constexpr bool is_large_v = false;
template <class V>
inline constexpr bool is_large_v<Large<V>> = true;

// The item holds the S3 URI (S). A stored reference encodes as its URI; a
// new value cannot be encoded outside Table<T>::save/update (which upload it
// first): invalid_argument.
template <class V>
struct Converter<Large<V>> {
  static bool omit(const Large<V>& v);
  static Result<AttributeValue> encode(const Large<V>& v);
  static Result<void> decode(const AttributeValue& v, Large<V>& out);
};

// A large field in a schema.
template <class T, class V>
struct LargeField : Field<T, Large<V>, Converter<Large<V>>, FieldRole::attribute> {
  LargeOptions large{};
};
namespace detail {
template <class T, class V>
struct is_field<LargeField<T, V>> : std::true_type {};
template <class T, class V>
inline constexpr bool is_large_field_v<LargeField<T, V>> = true;
}  // namespace detail

template <class T, class M>
constexpr auto large(std::string_view name, M T::*member, LargeOptions options = {}) {
  static_assert(is_large_v<M>,
                "dynamate: large(name, &T::member) needs a member of type dynamate::LargeText, "
                "LargeBytes or LargeJson (Large<V>); plain members are stored in the item");
  static_cast<void>(options);
  return attribute(name, member, {});
}
template <class T, class V>
constexpr LargeField<T, V> large(std::string_view name, Large<V> T::*member,
                                 LargeOptions options = {}) {
  LargeField<T, V> f;
  f.name = name;
  f.member = member;
  f.large = options;
  return f;
}

}  // namespace dynamate

// The non-template operations, then the template bodies (large_ops.hpp
// includes large_impl.hpp itself when it is included first).
#ifndef DYNAMATE_DETAIL_LARGE_OPS_INCLUDING_LARGE_
#include "dynamate/detail/large_ops.hpp"
#endif
