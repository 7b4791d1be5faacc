// Codec names and sniffing, whole-buffer gzip/zstd compression and its error
// cases, vectors written by Python's gzip module and the zstd CLI, and the
// streaming Compressor/Decompressor against the whole-buffer functions.
#include "dynamate/compression.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using dynamate::Codec;
using dynamate::Compressor;
using dynamate::Decompressor;
using dynamate::ErrorCode;

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string random_bytes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng() & 0xff);
  return out;
}

// Text that compresses well but is not one repeated byte.
std::string compressible(std::size_t n) {
  std::string out;
  out.reserve(n + 64);
  for (std::size_t i = 0; out.size() < n; ++i) {
    out += "<tr><td>row " + std::to_string(i % 97) + "</td><td>same cells</td></tr>\n";
  }
  out.resize(n);
  return out;
}

const std::string& one_mib_random() {
  static const std::string data = random_bytes(std::size_t{1} << 20, 42);
  return data;
}

std::vector<std::string> samples() {
  return {std::string(), std::string("hello, world"), one_mib_random(),
          compressible(std::size_t{1} << 20), std::string(std::size_t{3} << 20, 'a')};
}

constexpr Codec kCodecs[] = {Codec::none, Codec::gzip, Codec::zstd};

// Python: gzip.compress(b"hello world", mtime=1700000000) (pynamodb_mate's
// CompressedUnicodeAttribute writes the current time there).
constexpr std::string_view kPythonHelloWorld =
    "1f8b080000f1536502ffcb48cdc9c95728cf2fca49010085114a0d0b000000";

// ---- Names and magic numbers ----

TEST(Compression, NamesRoundTrip) {
  for (Codec c : kCodecs) EXPECT_EQ(dynamate::parse_codec(dynamate::to_string(c)), c);
  EXPECT_EQ(dynamate::to_string(Codec::gzip), "gzip");
  EXPECT_EQ(dynamate::parse_codec("GZip"), Codec::gzip);
  EXPECT_EQ(dynamate::parse_codec("x-gzip"), Codec::gzip);
  EXPECT_EQ(dynamate::parse_codec("identity"), Codec::none);
  EXPECT_EQ(dynamate::parse_codec("ZSTD"), Codec::zstd);
  EXPECT_EQ(dynamate::parse_codec(""), std::nullopt);
  EXPECT_EQ(dynamate::parse_codec("deflate"), std::nullopt);
  EXPECT_EQ(dynamate::parse_codec("gzip "), std::nullopt);
}

TEST(Compression, SniffsMagicNumbers) {
  EXPECT_EQ(dynamate::sniff_codec(from_hex(kPythonHelloWorld)), Codec::gzip);
  EXPECT_EQ(dynamate::sniff_codec(from_hex("1f8b08")), Codec::gzip);
  EXPECT_EQ(dynamate::sniff_codec(from_hex("1f8b")), std::nullopt);    // too short to tell
  EXPECT_EQ(dynamate::sniff_codec(from_hex("1f8b09")), std::nullopt);  // not deflate
  EXPECT_EQ(dynamate::sniff_codec(from_hex("28b52ffd")), Codec::zstd);
  EXPECT_EQ(dynamate::sniff_codec(from_hex("5a2a4d18")), Codec::zstd);  // skippable frame
  EXPECT_EQ(dynamate::sniff_codec(from_hex("28b52f")), std::nullopt);
  EXPECT_EQ(dynamate::sniff_codec(from_hex("789c")), std::nullopt);  // zlib is not gzip
  EXPECT_EQ(dynamate::sniff_codec("hello"), std::nullopt);
  EXPECT_EQ(dynamate::sniff_codec(""), std::nullopt);
  for (Codec c : {Codec::gzip, Codec::zstd}) {
    EXPECT_EQ(dynamate::sniff_codec(dynamate::compress(c, "x").value()), c);
  }
}

// ---- Whole-buffer round trips ----

TEST(Compression, RoundTripsEveryCodecAndSample) {
  for (Codec c : kCodecs) {
    for (const std::string& data : samples()) {
      SCOPED_TRACE(std::string(dynamate::to_string(c)) + " " + std::to_string(data.size()));
      auto packed = dynamate::compress(c, data);
      ASSERT_TRUE(packed) << packed.error().message;
      auto back = dynamate::decompress(c, *packed);
      ASSERT_TRUE(back) << back.error().message;
      EXPECT_TRUE(*back == data);
      if (c == Codec::none) {
        EXPECT_EQ(*packed, data);
      }
      if (c != Codec::none && data.size() >= (std::size_t{1} << 20) && data != one_mib_random()) {
        EXPECT_LT(packed->size(), data.size() / 10);
      }
      // Incompressible data grows only by the format's overhead.
      if (c != Codec::none && data == one_mib_random()) {
        EXPECT_LT(packed->size(), data.size() + 1024);
      }
    }
  }
}

TEST(Compression, LevelsAreChecked) {
  const std::string data = compressible(100000);
  for (int level : {1, 9}) {
    auto p = dynamate::compress(Codec::gzip, data, level);
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(dynamate::decompress(Codec::gzip, *p).value(), data);
  }
  for (int level : {-5, 1, 19}) {
    auto p = dynamate::compress(Codec::zstd, data, level);
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(dynamate::decompress(Codec::zstd, *p).value(), data);
  }
  // Level 0 is the default: gzip 6, zstd 3.
  EXPECT_EQ(dynamate::compress(Codec::gzip, data).value(),
            dynamate::compress(Codec::gzip, data, 6).value());
  EXPECT_EQ(dynamate::compress(Codec::zstd, data).value(),
            dynamate::compress(Codec::zstd, data, 3).value());
  EXPECT_NE(dynamate::compress(Codec::gzip, data, 1).value(),
            dynamate::compress(Codec::gzip, data, 9).value());
  for (int bad : {-1, 10}) {
    auto r = dynamate::compress(Codec::gzip, data, bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(r.error().message.find("gzip compression level must be 1..9"), std::string::npos);
  }
  auto z = dynamate::compress(Codec::zstd, data, 23);
  ASSERT_FALSE(z);
  EXPECT_EQ(z.error().code, ErrorCode::invalid_argument);
  EXPECT_FALSE(Compressor::create(Codec::gzip, 12));
  EXPECT_EQ(dynamate::compress(Codec::none, "abc", 99).value(), "abc");  // ignored
}

TEST(Compression, GzipIsDeterministicWithMtimeZero) {
  const auto a = dynamate::compress(Codec::gzip, "hello world", 9).value();
  EXPECT_EQ(a, dynamate::compress(Codec::gzip, "hello world", 9).value());
  // 1f 8b, deflate, no flags, mtime 0, XFL 2 (level 9), OS.
  ASSERT_GE(a.size(), 18u);
  EXPECT_EQ(a.substr(0, 9), from_hex("1f8b08000000000002"));
  // Trailer: CRC-32 and size, little-endian, as in Python's output.
  EXPECT_EQ(a.substr(a.size() - 8), from_hex("85114a0d0b000000"));
  EXPECT_EQ(a.substr(a.size() - 8), from_hex(kPythonHelloWorld).substr(23));
}

TEST(Compression, ZstdFrameCarriesContentSizeAndChecksum) {
  const auto packed = dynamate::compress(Codec::zstd, compressible(5000)).value();
  ASSERT_GE(packed.size(), 5u);
  const auto fhd = static_cast<unsigned char>(packed[4]);
  EXPECT_TRUE((fhd & 0x20) != 0 || (fhd >> 6) != 0) << "no content size, FHD " << int{fhd};
  EXPECT_NE(fhd & 0x04, 0) << "no content checksum";
}

// ---- Vectors from other implementations ----

TEST(Compression, ReadsPythonGzip) {
  // pynamodb_mate's Compressed*Attribute payloads: gzip.compress(..., mtime=1700000000).
  EXPECT_EQ(dynamate::decompress(Codec::gzip, from_hex(kPythonHelloWorld)).value(), "hello world");
  EXPECT_EQ(dynamate::decompress(Codec::gzip,
                                 from_hex("1f8b080000f1536502ff63606462fef71f007fddd08306000000"))
                .value(),
            std::string("\x00\x01\x02\x03\xfe\xff", 6));
  EXPECT_EQ(dynamate::decompress(
                Codec::gzip, from_hex("1f8b080000f1536502ffab564a54b25230ac0500978ea1fb08000000"))
                .value(),
            R"({"a": 1})");
  EXPECT_EQ(dynamate::decompress(Codec::gzip, from_hex("1f8b080000f1536502ff03000000000000000000"))
                .value(),
            "");
  // Every optional header field: FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT.
  EXPECT_EQ(dynamate::decompress(
                Codec::gzip,
                from_hex("1f8b081fd202964900030400414200006e616d652e747874006120636f6d6d656e7400"
                         "6b634bcb494c2f56482d4b2daa2ccf482d4a05005f0fb19610000000"))
                .value(),
            "flags everywhere");
}

TEST(Compression, ReadsConcatenatedGzipMembers) {
  // gzip.compress(b"first,", mtime=1) + gzip.compress(b"second", mtime=2)
  const std::string python = from_hex(
      "1f8b08000100000002ff4bcb2c2a2ed10100d7364715060000001f8b08000200000002ff2b4e4dcecf4b010069"
      "111fb606000000");
  EXPECT_EQ(dynamate::decompress(Codec::gzip, python).value(), "first,second");
  const std::string big = compressible(300000);
  const std::string joined = dynamate::compress(Codec::gzip, big).value() +
                             dynamate::compress(Codec::gzip, "").value() +
                             dynamate::compress(Codec::gzip, one_mib_random(), 1).value();
  EXPECT_TRUE(dynamate::decompress(Codec::gzip, joined).value() == big + one_mib_random());
}

TEST(Compression, ReadsZstdCliFramesAndConcatenations) {
  // `zstd -c file` (content size in the header) and `... | zstd -c` (none).
  EXPECT_EQ(dynamate::decompress(Codec::zstd, from_hex("28b52ffd240a51000068656c6c6f207a737464cfdb"
                                                       "609c"))
                .value(),
            "hello zstd");
  EXPECT_EQ(dynamate::decompress(Codec::zstd, from_hex("28b52ffd045851000068656c6c6f207a737464cf"
                                                       "db609c"))
                .value(),
            "hello zstd");
  EXPECT_EQ(dynamate::decompress(Codec::zstd, from_hex("28b52ffd240001000099e9d851")).value(), "");
  // A skippable frame (magic 0x184D2A50, 3 bytes of payload), then two frames.
  const std::string joined = from_hex("502a4d1803000000abcdef") +
                             dynamate::compress(Codec::zstd, "one ").value() +
                             dynamate::compress(Codec::zstd, compressible(200000)).value();
  EXPECT_EQ(dynamate::decompress(Codec::zstd, joined).value(), "one " + compressible(200000));
}

// ---- Bad input ----

void expect_integrity(Codec c, std::string_view data, std::string_view words) {
  auto r = dynamate::decompress(c, data);
  ASSERT_FALSE(r) << "decompressed " << data.size() << " bytes without complaint";
  EXPECT_EQ(r.error().code, ErrorCode::integrity) << r.error().message;
  const std::string prefix = std::string(dynamate::to_string(c)) + ": ";
  EXPECT_EQ(r.error().message.rfind(prefix, 0), 0u) << r.error().message;
  EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
}

TEST(Compression, RejectsCorruptTruncatedAndTrailingData) {
  for (Codec c : {Codec::gzip, Codec::zstd}) {
    SCOPED_TRACE(dynamate::to_string(c));
    const std::string good = dynamate::compress(c, one_mib_random()).value();
    std::string corrupt = good;
    corrupt[good.size() / 2] = static_cast<char>(corrupt[good.size() / 2] ^ 0x55);
    expect_integrity(c, corrupt, "corrupt");
    expect_integrity(c, good.substr(0, good.size() - 1), "truncated");
    expect_integrity(c, good.substr(0, good.size() / 2), "truncated");
    expect_integrity(c, good.substr(0, 2), "");
    expect_integrity(c, "", "empty input");
    expect_integrity(c, good + "garbage!", "trailing data");
    expect_integrity(c, dynamate::compress(c, "x").value() + std::string(8, '\0'), "trailing data");
    expect_integrity(c, "plain text, not compressed", "");
  }
  // A flipped bit in the stored CRC-32.
  std::string crc = from_hex(kPythonHelloWorld);
  crc[crc.size() - 6] = static_cast<char>(crc[crc.size() - 6] ^ 1);
  expect_integrity(Codec::gzip, crc, "incorrect data check");
  // zlib-wrapped (RFC 1950) data is not gzip, as for Python's gzip.decompress.
  expect_integrity(Codec::gzip, from_hex("789ccb48cdc9c95728cf2fca4901001a0b045d"), "corrupt");
  // Each codec's data under the other codec.
  expect_integrity(Codec::zstd, from_hex(kPythonHelloWorld), "");
  expect_integrity(Codec::gzip, dynamate::compress(Codec::zstd, "x").value(), "");
}

TEST(Compression, OutputLimitGuardsAgainstBombs) {
  const std::string data = compressible(std::size_t{1} << 20);
  for (Codec c : kCodecs) {
    SCOPED_TRACE(dynamate::to_string(c));
    const std::string packed = dynamate::compress(c, data).value();
    EXPECT_EQ(dynamate::decompress(c, packed, data.size()).value(), data);  // exactly at it
    auto r = dynamate::decompress(c, packed, data.size() - 1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::limit_exceeded);
    EXPECT_NE(r.error().message.find("exceeds the limit of 1048575 bytes"), std::string::npos)
        << r.error().message;
    EXPECT_EQ(dynamate::decompress(c, packed, 0).error().code, ErrorCode::limit_exceeded);
  }
  // 64 MiB of zeros is ~64 KiB of gzip and ~2 KiB of zstd; a 1 MiB limit
  // stops both without producing the rest.
  std::string bomb_gz;
  std::string bomb_zst;
  for (auto [codec, out] : {std::pair{Codec::gzip, &bomb_gz}, std::pair{Codec::zstd, &bomb_zst}}) {
    auto c = Compressor::create(codec, 9).value();
    const std::string zeros(std::size_t{1} << 20, '\0');
    std::string* dst = out;
    auto sink = [dst](std::string_view chunk) -> dynamate::Result<void> {
      dst->append(chunk);
      return {};
    };
    for (int i = 0; i < 64; ++i) ASSERT_TRUE(c.write(zeros, sink));
    ASSERT_TRUE(c.finish(sink));
  }
  EXPECT_LT(bomb_gz.size(), std::size_t{80} << 10);
  EXPECT_LT(bomb_zst.size(), std::size_t{80} << 10);
  EXPECT_EQ(dynamate::decompress(Codec::gzip, bomb_gz, 1 << 20).error().code,
            ErrorCode::limit_exceeded);
  EXPECT_EQ(dynamate::decompress(Codec::zstd, bomb_zst, 1 << 20).error().code,
            ErrorCode::limit_exceeded);
  // A frame whose header claims more than the limit fails before decoding.
  const std::string claimed = dynamate::compress(Codec::zstd, std::string(5000, 'z')).value();
  EXPECT_EQ(dynamate::decompress(Codec::zstd, claimed, 4999).error().code,
            ErrorCode::limit_exceeded);
}

TEST(Compression, ThreadsCompressIndependently) {
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &failures] {
      for (int i = 0; i < 20; ++i) {
        const std::string data = compressible(static_cast<std::size_t>(1000 * (t + 1) + i));
        for (Codec c : {Codec::gzip, Codec::zstd}) {
          auto p = dynamate::compress(c, data, t + 1);
          if (!p || dynamate::decompress(c, *p).value_or("") != data) ++failures[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
