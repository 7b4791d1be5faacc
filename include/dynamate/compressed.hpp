// dynamate/compressed.hpp: compressed attributes kept inline in the item, as
// converters for attribute<Conv>(...) (model.hpp):
//
//   struct Doc { std::string id; std::string body; dynamate::Bytes blob;
//                dynamate::JsonDocument meta; };
//   ... dynamate::attribute<dynamate::CompressedText<>>("body", &Doc::body),
//       dynamate::attribute<dynamate::CompressedBinary<dynamate::Codec::zstd>>("blob", &Doc::blob),
//       dynamate::attribute<dynamate::CompressedJson<>>("meta", &Doc::meta) ...
//
//   converter                       member        stored as
//   CompressedText<Codec, Level>    std::string   B: compress(text)
//   CompressedBinary<Codec, Level>  Bytes         B: compress(bytes)
//   CompressedJson<Codec, Level>    JsonDocument  B: compress(JSON text); left
//                                                 out when the text is empty
// Codec is gzip (the default) or zstd; Level 0 is the codec's default
// (compression.hpp). They also serve std::optional members of these types.
//
// The value is one gzip member or zstd frame, raw (no base64, no header of
// our own). Reading recognises the codec from the bytes themselves, so a
// field written with gzip still reads after the schema switches to zstd, and
// the other way round. pynamodb_mate's CompressedUnicodeAttribute,
// CompressedBinaryAttribute and CompressedJSONDictAttribute store the same
// thing (B holding gzip.compress(value), level 9): dynamate reads theirs and
// they read what dynamate writes with gzip. PynamodbMateCompressedUnicode,
// ...Binary and ...JsonDict are the gzip level 9 converters, to write exactly
// what pynamodb_mate writes (but for the header's mtime, which is 0).
//
// Errors. encode: invalid_argument for invalid JSON. decode: schema_mismatch
// when the attribute is not a B or its bytes are neither gzip nor zstd data
// (e.g. an uncompressed value), integrity when the compressed data is
// corrupt or truncated, limit_exceeded when it would decompress to more than
// MaxSize bytes (64 MiB by default), so a hostile item cannot exhaust memory.
// DynamoDB's 400 KB item limit applies to the compressed size.
//
// Thread-safety: stateless; compression keeps per-thread contexts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "dynamate/attribute_value.hpp"
#include "dynamate/bytes.hpp"
#include "dynamate/compression.hpp"
#include "dynamate/json_document.hpp"
#include "dynamate/result.hpp"

namespace dynamate {

// Default limit on the decompressed size of a compressed attribute.
inline constexpr std::uint64_t kCompressedAttributeMaxSize = std::uint64_t{64} << 20;

namespace detail {

// src/orm/compressed.cpp.
Result<AttributeValue> encode_compressed(std::string_view data, Codec codec, int level);
Result<std::string> decode_compressed(const AttributeValue& value, std::uint64_t max_size);

template <Codec C, int Level>
constexpr bool valid_compressed_params() {
  static_assert(C == Codec::gzip || C == Codec::zstd,
                "dynamate: a compressed attribute needs Codec::gzip or Codec::zstd");
  static_assert(C != Codec::gzip || (Level >= 0 && Level <= 9),
                "dynamate: the gzip level must be 1..9 (or 0 for the default)");
  static_assert(C != Codec::zstd || (Level >= -(1 << 17) && Level <= 22),
                "dynamate: the zstd level must be -131072..22 (or 0 for the default)");
  return true;
}

}  // namespace detail

template <Codec C = Codec::gzip, int Level = 0, std::uint64_t MaxSize = kCompressedAttributeMaxSize>
struct CompressedText {
  static_assert(detail::valid_compressed_params<C, Level>());
  static Result<AttributeValue> encode(const std::string& v) {
    return detail::encode_compressed(v, C, Level);
  }
  static Result<void> decode(const AttributeValue& v, std::string& out) {
    auto text = detail::decode_compressed(v, MaxSize);
    if (!text) return unexpected(std::move(text).error());
    out = std::move(*text);
    return {};
  }
};

template <Codec C = Codec::gzip, int Level = 0, std::uint64_t MaxSize = kCompressedAttributeMaxSize>
struct CompressedBinary {
  static_assert(detail::valid_compressed_params<C, Level>());
  static Result<AttributeValue> encode(const Bytes& v) {
    return detail::encode_compressed(v.view(), C, Level);
  }
  static Result<void> decode(const AttributeValue& v, Bytes& out) {
    auto data = detail::decode_compressed(v, MaxSize);
    if (!data) return unexpected(std::move(data).error());
    out = Bytes(std::move(*data));
    return {};
  }
};

template <Codec C = Codec::gzip, int Level = 0, std::uint64_t MaxSize = kCompressedAttributeMaxSize>
struct CompressedJson {
  static_assert(detail::valid_compressed_params<C, Level>());
  static bool omit(const JsonDocument& v) { return v.text.empty(); }
  static Result<AttributeValue> encode(const JsonDocument& v) {
    auto ok = detail::validate_json(v.text, ErrorCode::invalid_argument);
    if (!ok) return unexpected(std::move(ok).error());
    return detail::encode_compressed(v.text, C, Level);
  }
  static Result<void> decode(const AttributeValue& v, JsonDocument& out) {
    auto text = detail::decode_compressed(v, MaxSize);
    if (!text) return unexpected(std::move(text).error());
    if (text->empty()) {  // what an empty document would be, had it been written
      out.text.clear();
      return {};
    }
    auto ok = detail::validate_json(*text, ErrorCode::schema_mismatch);
    if (!ok) return ok;
    out.text = std::move(*text);
    return {};
  }
};

// pynamodb_mate's CompressedUnicodeAttribute, CompressedBinaryAttribute and
// CompressedJSONDictAttribute: gzip at level 9, as Python's gzip.compress.
using PynamodbMateCompressedUnicode = CompressedText<Codec::gzip, 9>;
using PynamodbMateCompressedBinary = CompressedBinary<Codec::gzip, 9>;
using PynamodbMateCompressedJsonDict = CompressedJson<Codec::gzip, 9>;

}  // namespace dynamate
