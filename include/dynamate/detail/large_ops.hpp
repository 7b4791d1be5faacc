// dynamate/detail/large_ops.hpp: the non-template half of the large-attribute
// protocol (src/orm/large_*.cpp): object keys, uploads, and the clean-up after
// a DynamoDB write. Table<T> collects a LargeWrite per large field of a model
// and hands them here. Not API.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamate/expression.hpp"
#define DYNAMATE_DETAIL_LARGE_OPS_INCLUDING_LARGE_
#include "dynamate/large.hpp"
#undef DYNAMATE_DETAIL_LARGE_OPS_INCLUDING_LARGE_

namespace dynamate::detail {

// ---- Keys (large_keys.cpp) ----

// Percent-encodes everything but [A-Za-z0-9_-] (so '/', '=', '.', '~', spaces
// and non-ASCII never appear raw): one key segment, injective.
std::string escape_key_segment(std::string_view raw);
// The item-key part of a per-item key: "{hash}" or "{hash}/{range}", each the
// escaped text of the key value (numbers as DynamoDB holds them, binary as
// lowercase hex); a part longer than 300 bytes becomes "~" + its sha256.
Result<std::string> item_key_segments(const AttributeMap& key, std::string_view hash_name,
                                      std::string_view range_name);
// {prefix}{item}/{attribute}/ : every per-item key of this item and field
// starts with it.
std::string per_item_key_prefix(std::string_view prefix, std::string_view item_segments,
                                std::string_view attribute);
// per_item_key_prefix + "{sha256}.{write id}".
std::string per_item_key(std::string_view key_prefix, std::string_view sha256_hex,
                         std::string_view write_id);
// Whether `key` is a per-item key under `key_prefix` (the rest is exactly
// "<64 hex>.<16 hex>"); sets *sha256_hex.
bool parse_per_item_key(std::string_view key, std::string_view key_prefix,
                        std::string* sha256_hex = nullptr);
// pynamodb_mate 6: "{prefix}/pk={hash}[/sk={range}]/attr={attribute}/md5={md5}"
// with its prefix normalisation (one leading or else one trailing '/' cut).
Result<std::string> pynamodb_mate_key(std::string_view prefix, const AttributeMap& key,
                                      std::string_view hash_name, std::string_view range_name,
                                      std::string_view attribute, std::string_view md5_hex);
// 16 random hex digits.
std::string new_write_id();
std::string make_large_uri(std::string_view bucket, std::string_view key);
// What a key tells about its content: a trailing "<64 hex>" or
// "<64 hex>.<16 hex>" segment is the sha256 of the uncompressed value
// (dynamate's layouts, pynamodb_mate 5's s3backed keys), a trailing
// "md5=<32 hex>" the md5 of the stored bytes (pynamodb_mate 6).
void content_hashes_from_key(std::string_view key, std::string* sha256_hex, std::string* md5_hex);

// ---- Writes (large_write.cpp) ----

// One large field of a model being written.
struct LargeWrite {
  const ResolvedLargeField* field = nullptr;
  enum class Source : std::uint8_t {
    none,
    memory,
    file,
    stream,
    cleared,
    reference
  } source = Source::none;
  std::string_view memory;                   // Source::memory: the value (in the model)
  std::string file;                          // Source::file
  std::shared_ptr<http::BodySource> stream;  // Source::stream
  // Source::reference (an unchanged value) and the base of a change: the
  // object the model was read with, when known.
  std::optional<LargeLocation> base;
  std::string base_sha256;  // of base's value, when known
  // Source::reference: the object referenced (base may be cleared when it
  // is not this item's own).
  std::optional<LargeLocation> reference;
  // save() writes the whole object: an empty Large removes the attribute
  // (update() leaves it alone).
  bool whole_object = false;
  // A whole-item PutItem (model with extra_attributes) writes unchanged
  // references again (reuse); an UpdateItem leaves them out (keep).
  bool whole_item = false;

  // Filled by prepare_large_writes():
  enum class Action : std::uint8_t {
    keep,    // nothing to write: the attribute stays as the item has it
    reuse,   // write the URI again (same value); see held_condition
    upload,  // new object at new_location (uploaded_by_us)
    remove,  // REMOVE the attribute
  } action = Action::keep;
  std::optional<LargeLocation> new_location;
  // reuse of this item's own per-item object: conditioned on the item still
  // holding it (the writer that replaced it may have deleted it).
  bool held_condition = false;
  std::string sha256_hex;  // of the value written
  bool uploaded_by_us = false;
  bool deletable = false;  // a per-item object of this write: deleted if the write fails
};

struct LargeWriteReport {
  std::vector<std::string> orphaned;  // URIs left for the GC (a clean-up failed)
};

// Decides each field's action and uploads the new values, in parallel
// (LargeConfig::concurrency), then checks the write deadline. On failure,
// deletes what it uploaded (deletable ones) and returns the first error.
// `key`: the item's primary key; hash/range names for the key layouts.
Result<void> prepare_large_writes(const LargeContext& context, const AttributeMap& key,
                                  std::string_view hash_name, std::string_view range_name,
                                  std::vector<LargeWrite>& writes);

// After a DynamoDB write failed with `error`: deletes this write's deletable
// uploads, unless the failure is ambiguous (the write may have committed:
// the objects stay for the GC). Returns URIs left behind.
void abandon_large_writes(const LargeContext& context, const std::vector<LargeWrite>& writes,
                          const Error& error, LargeWriteReport& report);

// Deletes per-item objects of `key`'s item named by `old_item` (what the
// write or delete returned) that `written` does not name any more: only
// objects the per-item layout gave to this item and attribute, never shared,
// custom or pynamodb_mate keys. `fields`: the attributes written (all large
// fields for a whole-item write; a field whose action is keep is skipped).
void delete_superseded(const LargeContext& context, const AttributeMap& key,
                       std::string_view hash_name, std::string_view range_name,
                       const AttributeMap& old_item, const std::vector<LargeWrite>& written,
                       LargeWriteReport& report);
// After DeleteItem returned `old_item`: deletes its per-item objects.
void delete_removed(const LargeContext& context, const AttributeMap& key,
                    std::string_view hash_name, std::string_view range_name,
                    const AttributeMap& old_item, LargeWriteReport& report);

// The condition that makes a write safe for the given actions: for reuse,
// "attribute = base URI" (an object is only ever written again while the item
// still holds it). Empty when none is needed.
Condition large_write_condition(const std::vector<LargeWrite>& writes);

// invalid_argument when an update action's path starts at a large attribute
// (large values change by assignment to the model, then save()/update()).
Result<void> check_no_large_paths(const LargeContext& context, const Update& actions);

}  // namespace dynamate::detail

#include "dynamate/detail/large_impl.hpp"
