// dynamate/large_item.hpp: large attributes (large.hpp) for items without a
// model: LargeItemTable writes, reads and removes AttributeMap items whose
// named attributes live in S3, with the same protocol as Table<T> (the CLI's
// put/get/rm are built on it).
//
//   auto t = dynamate::LargeItemTable::open(
//                ddb, "pages", {.s3 = s3, .bucket = "blobs", .prefix = "pages/"},
//                {{.name = "html", .kind = dynamate::LargeKind::text,
//                  .codec = dynamate::Codec::gzip}})
//                .value();
//   t.put({{"url", dynamate::AttributeValue("https://python.org")}},
//         {{"html", dynamate::LargeValue::from_file("index.html")}})
//       .value();
//   auto item = t.get({{"url", dynamate::AttributeValue("https://python.org")}}).value();
//   item.download_to_file("html", "copy.html").value();  // streamed, sha256 checked
//   t.remove(item.key()).value();                         // the item, then its objects
//
// put() is a whole-item PutItem (like aws dynamodb put-item): every declared
// large attribute of the new item is either given as a LargeValue (uploaded
// first, in parallel), or kept by giving its current "s3://..." URI in the
// item, or absent (the attribute is gone and its per-item object deleted).
// The declared attributes say how new values are stored (codec, layout);
// the clean-up after a put or remove covers every attribute of the old item:
// an object is deleted when the old item held it, the new one holds it no
// more, and its per-item key (large.hpp) says it belongs to this item and
// attribute (in the configured bucket and prefix). Shared, custom and
// pynamodb_mate objects are left to the GC (gc_large_objects, large_gc.hpp).
//
// Thread-safety: a LargeItemTable and a LargeItem are immutable after
// construction; their const methods may run on several threads at once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamate/attribute_value.hpp"
#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/aws/http.hpp"
#include "dynamate/aws/s3.hpp"
#include "dynamate/compression.hpp"
#include "dynamate/expression.hpp"
#include "dynamate/large.hpp"
#include "dynamate/result.hpp"

namespace dynamate {

// What a large attribute holds: text (UTF-8), binary or JSON. It only sets
// the objects' default Content-Type.
using LargeKind = detail::LargeKind;

// One large attribute of a LargeItemTable. LargeConfig::fields may override
// the S3 client, bucket, prefix, layout, codec and object attributes per
// attribute, as for Table<T>.
struct LargeAttributeSpec {
  std::string name;
  LargeKind kind = LargeKind::binary;
  Codec codec = Codec::none;
  KeyLayout layout = KeyLayout::per_item;
  std::string content_type{};  // empty: by kind (text/plain; charset=utf-8, ...)
};

// A value to store in a large attribute: bytes in memory, a file or a stream
// (files and streams are read when put() runs, twice: hashing, then the
// upload; memory stays flat whatever the size).
class LargeValue {
 public:
  static LargeValue from_memory(std::string bytes);
  static LargeValue from_file(std::string path);
  static LargeValue from_source(std::shared_ptr<http::BodySource> source);

 private:
  friend class LargeItemTable;
  enum class Kind : std::uint8_t { memory, file, source } kind_ = Kind::memory;
  std::string data_;  // the bytes, or the path
  std::shared_ptr<http::BodySource> source_;
};

struct LargePutOptions {
  // Added (AND) to the conditions the protocol needs, e.g.
  // attr("url").not_exists() to refuse replacing an item.
  Condition condition{};
};

struct LargeRemoveOptions {
  Condition condition{};
};

struct LargeWriteResult {
  AttributeMap item;                     // what was written (URIs in place of the values)
  std::optional<AttributeMap> old_item;  // the item replaced / removed (none: there was none)
  std::vector<std::string> orphaned;     // URIs a clean-up could not delete (left to the GC)
};

// An item read by LargeItemTable::get(): its attributes as stored, and the
// values of its large attributes on demand (lazy: get() makes no S3 call).
class LargeItem {
 public:
  const AttributeMap& attributes() const noexcept { return item_; }
  AttributeMap key() const;  // the item's primary key attributes
  // The "s3://bucket/key" URI a large attribute holds. Errors: not_found (no
  // such attribute), schema_mismatch (it holds no S3 URI).
  Result<std::string> uri(std::string_view attribute) const;
  // GetObject of the attribute's object into memory / streamed into a sink /
  // into a file (written under a temporary name, renamed once the sha256
  // check passed), decompressed by its Content-Encoding. Errors as uri(),
  // dangling_reference (the object is missing), integrity (checksum), S3's.
  Result<std::string> fetch(std::string_view attribute) const;
  Result<void> stream(std::string_view attribute, http::BodySink& sink) const;
  Result<void> download_to_file(std::string_view attribute, const std::string& path) const;

 private:
  friend class LargeItemTable;
  Result<detail::LargeLocation> location(std::string_view attribute) const;
  AttributeMap item_;
  std::vector<std::string> key_names_;
  std::shared_ptr<const detail::LargeContext> context_;
};

class LargeItemTable {
 public:
  // DescribeTable (to learn the key attributes). `config`: the S3 client,
  // bucket and prefix of the attributes (and the protocol's options, as for
  // Table<T>; `eager` is not used). `attributes` may be empty (then puts
  // and removes are plain PutItem/DeleteItem; LargeItem can still read any
  // attribute holding an S3 URI through LargeConfig::s3). Errors: not_found
  // (no such table), invalid_argument (an empty or repeated name, a large
  // attribute that is a key attribute, no S3 client), DynamoDB's errors.
  // A config without a bucket can read and remove but not put values: the
  // clean-up then deletes the per-item objects of this item wherever they
  // are (their keys say which item and attribute they belong to).
  static Result<LargeItemTable> open(aws::DynamoDbClient dynamodb, std::string table,
                                     LargeConfig config,
                                     std::vector<LargeAttributeSpec> attributes);

  const std::string& name() const noexcept;
  const std::string& hash_key_name() const noexcept;
  const std::string& range_key_name() const noexcept;  // "" when the table has none
  const std::vector<LargeAttributeSpec>& attributes() const noexcept;

  // Uploads `values` (in parallel), then PutItem of `item` with the URIs in
  // place and ReturnValues ALL_OLD; on failure deletes what it uploaded (not
  // when the outcome is unknown: then the objects stay for the GC); on
  // success deletes this item's per-item objects the old item named and the
  // new one does not (see above). Calls: PutObject (or a multipart upload), PutItem,
  // DeleteObject. Errors: invalid_argument (a key attribute missing from
  // `item`, a value for an undeclared attribute or for one `item` also
  // holds, a declared attribute in `item` that is not an S3 URI, no bucket,
  // the item over 400 KB), not_found (bucket), condition_failed, S3's and
  // DynamoDB's errors. Nothing is half-written: a failed put leaves the
  // stored item and its objects as they were. Not idempotent (each put
  // uploads new per-item objects; shared ones are deduplicated).
  Result<LargeWriteResult> put(AttributeMap item, std::map<std::string, LargeValue> values,
                               const LargePutOptions& options = {}) const;

  // GetItem (consistent read by default). Errors: invalid_argument (not
  // exactly the key attributes), not_found (no such item), DynamoDB's.
  // Idempotent.
  Result<LargeItem> get(const AttributeMap& key, bool consistent_read = true) const;

  // DeleteItem with ReturnValues ALL_OLD, then DeleteObject of this item's
  // per-item objects the old item named (in any attribute). old_item is empty when there was no
  // item (not an error). Errors: invalid_argument (the key), condition_failed, DynamoDB's.
  // Idempotent.
  Result<LargeWriteResult> remove(const AttributeMap& key,
                                  const LargeRemoveOptions& options = {}) const;

  // An item read some other way (Scan, Query), made readable like get()'s.
  LargeItem wrap(AttributeMap item) const;

 private:
  struct State;
  explicit LargeItemTable(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  Result<AttributeMap> key_from(const AttributeMap& attributes, bool exact) const;
  std::shared_ptr<const State> state_;
};

}  // namespace dynamate
