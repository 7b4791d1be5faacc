// Compressed inline attributes (compressed.hpp) through the mapper: round
// trips, codec switches between writer and reader, pynamodb_mate's payloads,
// and the errors for values that are not compressed, corrupt or too large.
#include "dynamate/compressed.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "dynamate/detail/codec.hpp"
#include "dynamate/model.hpp"

namespace test_models {

using dynamate::Codec;

struct Doc {
  std::string id;
  std::string body;
  dynamate::Bytes blob;
  dynamate::JsonDocument meta;
  std::optional<std::string> note;
};

struct ZstdDoc {  // the same attributes, read and written with zstd
  std::string id;
  std::string body;
  dynamate::Bytes blob;
  dynamate::JsonDocument meta;
  std::optional<std::string> note;
};

struct MateDoc {  // pynamodb_mate's Compressed*Attribute classes
  std::string id;
  std::string body;
  dynamate::Bytes blob;
  dynamate::JsonDocument meta;
};

struct SmallDoc {  // a 1 KiB decompression limit
  std::string id;
  std::string body;
};

}  // namespace test_models

template <>
inline constexpr auto dynamate::schema_of<test_models::Doc> = dynamate::schema<test_models::Doc>(
    "docs", dynamate::hash_key("id", &test_models::Doc::id),
    dynamate::attribute<dynamate::CompressedText<>>("body", &test_models::Doc::body),
    dynamate::attribute<dynamate::CompressedBinary<>>("blob", &test_models::Doc::blob),
    dynamate::attribute<dynamate::CompressedJson<>>("meta", &test_models::Doc::meta),
    dynamate::attribute<dynamate::CompressedText<>>("note", &test_models::Doc::note));

template <>
inline constexpr auto dynamate::schema_of<test_models::ZstdDoc> = dynamate::schema<
    test_models::ZstdDoc>(
    "docs", dynamate::hash_key("id", &test_models::ZstdDoc::id),
    dynamate::attribute<dynamate::CompressedText<Codec::zstd>>("body", &test_models::ZstdDoc::body),
    dynamate::attribute<dynamate::CompressedBinary<Codec::zstd, 19>>("blob",
                                                                     &test_models::ZstdDoc::blob),
    dynamate::attribute<dynamate::CompressedJson<Codec::zstd>>("meta", &test_models::ZstdDoc::meta),
    dynamate::attribute<dynamate::CompressedText<Codec::zstd>>("note",
                                                               &test_models::ZstdDoc::note));

template <>
inline constexpr auto dynamate::schema_of<test_models::MateDoc> =
    dynamate::schema<test_models::MateDoc>(
        "mate", dynamate::hash_key("id", &test_models::MateDoc::id),
        dynamate::attribute<dynamate::PynamodbMateCompressedUnicode>("body",
                                                                     &test_models::MateDoc::body),
        dynamate::attribute<dynamate::PynamodbMateCompressedBinary>("blob",
                                                                    &test_models::MateDoc::blob),
        dynamate::attribute<dynamate::PynamodbMateCompressedJsonDict>("meta",
                                                                      &test_models::MateDoc::meta));

template <>
inline constexpr auto dynamate::schema_of<test_models::SmallDoc> =
    dynamate::schema<test_models::SmallDoc>(
        "small", dynamate::hash_key("id", &test_models::SmallDoc::id),
        dynamate::attribute<dynamate::CompressedText<Codec::gzip, 0, 1024>>(
            "body", &test_models::SmallDoc::body));

namespace {

using dynamate::AttributeMap;
using dynamate::AttributeValue;
using dynamate::Bytes;
using dynamate::Codec;
using dynamate::ErrorCode;
using test_models::Doc;
using test_models::MateDoc;
using test_models::ZstdDoc;

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

AttributeValue binary(std::string data) { return AttributeValue(Bytes(std::move(data))); }

// pynamodb_mate's CompressedUnicode/Binary/JSONDictAttribute values, written
// by Python's gzip.compress (level 9, mtime 1700000000).
const std::string kMateText =
    from_hex("1f8b080000f1536502ffcb48cdc9c95728cf2fca49010085114a0d0b000000");
const std::string kMateBinary = from_hex("1f8b080000f1536502ff63606462fef71f007fddd08306000000");
const std::string kMateJson = from_hex("1f8b080000f1536502ffab564a54b25230ac0500978ea1fb08000000");

Doc sample_doc() {
  Doc d;
  d.id = "d1";
  for (int i = 0; i < 200; ++i) d.body += "<p>paragraph " + std::to_string(i % 7) + "</p>\n";
  d.blob = Bytes(std::string("\x00\x01\x02\xff\xfe", 5));
  d.meta.text = R"({"tags": ["a", "b"], "n": 1.5})";
  d.note = "short";
  return d;
}

std::optional<Codec> stored_codec(const AttributeMap& item, const std::string& name) {
  const Bytes* b = item.at(name).as_bytes();
  if (b == nullptr) return std::nullopt;
  return dynamate::sniff_codec(b->view());
}

TEST(OrmCompressed, RoundTripsThroughTheMapper) {
  const Doc d = sample_doc();
  auto item = dynamate::detail::encode_item(d);
  ASSERT_TRUE(item) << item.error().message;
  EXPECT_EQ(item->at("id"), AttributeValue("d1"));
  for (const char* name : {"body", "blob", "meta", "note"}) {
    EXPECT_EQ(stored_codec(*item, name), Codec::gzip) << name;
  }
  EXPECT_LT(item->at("body").as_bytes()->size(), d.body.size() / 5);
  auto back = dynamate::detail::decode_item<Doc>(*item);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->body, d.body);
  EXPECT_EQ(back->blob, d.blob);
  EXPECT_EQ(back->meta, d.meta);
  EXPECT_EQ(back->note, d.note);
}

TEST(OrmCompressed, EmptyValues) {
  Doc d;
  d.id = "empty";
  auto item = dynamate::detail::encode_item(d).value();
  // Empty text and bytes are stored (compressed); an empty JSON document and
  // an empty optional are left out.
  EXPECT_EQ(stored_codec(item, "body"), Codec::gzip);
  EXPECT_EQ(stored_codec(item, "blob"), Codec::gzip);
  EXPECT_EQ(item.count("meta"), 0u);
  EXPECT_EQ(item.count("note"), 0u);
  Doc prefilled = sample_doc();
  ASSERT_TRUE(dynamate::detail::decode_model(item, prefilled));
  EXPECT_EQ(prefilled.body, "");
  EXPECT_TRUE(prefilled.blob.empty());
  // A compressed empty JSON text reads as an empty document.
  item["meta"] = binary(dynamate::compress(Codec::gzip, "").value());
  EXPECT_TRUE(dynamate::detail::decode_item<Doc>(item).value().meta.empty());
}

TEST(OrmCompressed, ReadersFollowTheStoredCodecNotTheSchema) {
  const Doc d = sample_doc();
  const AttributeMap gz = dynamate::detail::encode_item(d).value();
  const ZstdDoc as_zstd{d.id, d.body, d.blob, d.meta, d.note};
  const AttributeMap zs = dynamate::detail::encode_item(as_zstd).value();
  EXPECT_EQ(stored_codec(zs, "body"), Codec::zstd);
  EXPECT_EQ(stored_codec(zs, "meta"), Codec::zstd);

  auto gzip_under_zstd = dynamate::detail::decode_item<ZstdDoc>(gz);
  ASSERT_TRUE(gzip_under_zstd) << gzip_under_zstd.error().message;
  EXPECT_EQ(gzip_under_zstd->body, d.body);
  EXPECT_EQ(gzip_under_zstd->blob, d.blob);
  EXPECT_EQ(gzip_under_zstd->meta, d.meta);

  auto zstd_under_gzip = dynamate::detail::decode_item<Doc>(zs);
  ASSERT_TRUE(zstd_under_gzip) << zstd_under_gzip.error().message;
  EXPECT_EQ(zstd_under_gzip->body, d.body);
  EXPECT_EQ(zstd_under_gzip->note, d.note);
}

TEST(OrmCompressed, ReadsPynamodbMateValues) {
  const AttributeMap item{{"id", AttributeValue("m1")},
                          {"body", binary(kMateText)},
                          {"blob", binary(kMateBinary)},
                          {"meta", binary(kMateJson)}};
  auto mate = dynamate::detail::decode_item<MateDoc>(item);
  ASSERT_TRUE(mate) << mate.error().message;
  EXPECT_EQ(mate->body, "hello world");
  EXPECT_EQ(mate->blob, Bytes(std::string("\x00\x01\x02\x03\xfe\xff", 6)));
  EXPECT_EQ(mate->meta.text, R"({"a": 1})");
  // The default (gzip level 6) converters read them too.
  auto doc = dynamate::detail::decode_item<Doc>(item);
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->body, "hello world");
  EXPECT_EQ(doc->meta.text, R"({"a": 1})");
}

TEST(OrmCompressed, WritesWhatPynamodbMateReads) {
  MateDoc m{"m1", "hello world", Bytes(std::string("\x00\x01\x02\x03\xfe\xff", 6)), {"{\"a\": 1}"}};
  const AttributeMap item = dynamate::detail::encode_item(m).value();
  // gzip.decompress reads any header; dynamate writes Python's
  // gzip.compress(value, mtime=0): level 9 (XFL 2), mtime 0, the same CRC-32
  // and size trailer.
  const std::string body = item.at("body").as_bytes()->str();
  EXPECT_EQ(body.substr(0, 9), from_hex("1f8b08000000000002"));
  EXPECT_EQ(body.substr(body.size() - 8), kMateText.substr(kMateText.size() - 8));
  const std::string blob = item.at("blob").as_bytes()->str();
  EXPECT_EQ(blob.substr(blob.size() - 8), kMateBinary.substr(kMateBinary.size() - 8));
  const std::string meta = item.at("meta").as_bytes()->str();
  EXPECT_EQ(meta.substr(meta.size() - 8), kMateJson.substr(kMateJson.size() - 8));
  EXPECT_EQ(dynamate::decompress(Codec::gzip, body).value(), "hello world");
}

void expect_decode_error(const AttributeMap& item, ErrorCode code, std::string_view words) {
  auto r = dynamate::detail::decode_item<Doc>(item);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
}

TEST(OrmCompressed, RejectsValuesThatAreNotCompressed) {
  AttributeMap item = dynamate::detail::encode_item(sample_doc()).value();
  AttributeMap plain = item;
  plain["body"] = binary("just text");
  expect_decode_error(plain, ErrorCode::schema_mismatch, "neither gzip nor zstd");
  expect_decode_error(plain, ErrorCode::schema_mismatch, "attribute \"body\"");
  expect_decode_error(plain, ErrorCode::schema_mismatch, "0x6a757374");
  plain["body"] = binary("");
  expect_decode_error(plain, ErrorCode::schema_mismatch, "is empty");
  // zlib (RFC 1950) is neither gzip nor zstd.
  plain["body"] = binary(from_hex("789ccb48cdc9c95728cf2fca4901001a0b045d"));
  expect_decode_error(plain, ErrorCode::schema_mismatch, "neither gzip nor zstd");
  plain["body"] = AttributeValue("hello");  // a plain UnicodeAttribute
  expect_decode_error(plain, ErrorCode::schema_mismatch, "expected B, found S");

  AttributeMap corrupt = item;
  std::string bytes = corrupt["body"].as_bytes()->str();
  corrupt["body"] = binary(bytes.substr(0, bytes.size() - 4));
  expect_decode_error(corrupt, ErrorCode::integrity, "gzip: truncated");
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x40);
  corrupt["body"] = binary(bytes);
  expect_decode_error(corrupt, ErrorCode::integrity, "attribute \"body\"");

  // Valid compression of invalid JSON.
  AttributeMap bad_json = item;
  bad_json["meta"] = binary(dynamate::compress(Codec::zstd, "{not json").value());
  expect_decode_error(bad_json, ErrorCode::schema_mismatch, "attribute \"meta\"");
}

TEST(OrmCompressed, EncodingRejectsInvalidJson) {
  Doc d = sample_doc();
  d.meta.text = "{\"a\": }";
  auto r = dynamate::detail::encode_item(d);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("attribute \"meta\""), std::string::npos);
}

TEST(OrmCompressed, DecompressedSizeIsCapped) {
  using test_models::SmallDoc;
  const AttributeMap ok =
      dynamate::detail::encode_item(SmallDoc{"s", std::string(1024, 'x')}).value();
  EXPECT_EQ(dynamate::detail::decode_item<SmallDoc>(ok).value().body, std::string(1024, 'x'));
  // A 1025-byte value, or a hostile 16 MiB one, compresses to a few bytes.
  for (std::size_t n : {std::size_t{1025}, std::size_t{16} << 20}) {
    const AttributeMap big{
        {"id", AttributeValue("s")},
        {"body", binary(dynamate::compress(Codec::zstd, std::string(n, 'x')).value())}};
    auto r = dynamate::detail::decode_item<SmallDoc>(big);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::limit_exceeded);
    EXPECT_NE(r.error().message.find("limit of 1024 bytes"), std::string::npos)
        << r.error().message;
  }
  static_assert(dynamate::kCompressedAttributeMaxSize == 64u << 20);
}

}  // namespace
