// Streaming Compressor/Decompressor: odd chunk sizes give the same bytes as
// the whole-buffer functions, chunks stay bounded, and truncation, limits,
// sink errors and misuse are reported.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "dynamate/compression.hpp"

namespace {

using dynamate::Codec;
using dynamate::Compressor;
using dynamate::Decompressor;
using dynamate::ErrorCode;
using dynamate::Result;

std::string sample(std::size_t n) {
  std::mt19937_64 rng(7);
  std::string out;
  out.reserve(n);
  // Half random words, half repeats: neither trivial nor incompressible.
  while (out.size() < n) {
    if (rng() % 2 == 0) {
      out += "the same phrase again; ";
    } else {
      for (int i = 0; i < 16; ++i) out.push_back(static_cast<char>('a' + rng() % 26));
    }
  }
  out.resize(n);
  return out;
}

// Collects the output and remembers the largest chunk.
struct Collector {
  std::string data;
  std::size_t calls = 0;
  std::size_t largest = 0;
  dynamate::ChunkSink sink() {
    return [this](std::string_view chunk) -> Result<void> {
      data.append(chunk);
      ++calls;
      largest = std::max(largest, chunk.size());
      return {};
    };
  }
};

// Feeds `data` in pieces cycling through `sizes`.
template <class Stream>
Result<void> feed(Stream& s, std::string_view data, const std::vector<std::size_t>& sizes,
                  const dynamate::ChunkSink& out) {
  std::size_t i = 0;
  while (!data.empty()) {
    const std::size_t n = std::min(sizes[i++ % sizes.size()], data.size());
    auto r = s.write(data.substr(0, n), out);
    if (!r) return r;
    data.remove_prefix(n);
  }
  return s.finish(out);
}

const std::vector<std::size_t> kOddSizes = {1, 7, 4093, 65537, 3, 200000, 13};

TEST(CompressionStream, CompressorMatchesWholeBuffer) {
  const std::string data = sample(std::size_t{3} << 20);
  for (Codec c : {Codec::none, Codec::gzip, Codec::zstd}) {
    SCOPED_TRACE(dynamate::to_string(c));
    const std::string whole = dynamate::compress(c, data).value();
    // zstd frames may differ in their block layout, not in their content.
    auto sized = Compressor::create(c, 0, data.size()).value();
    Collector a;
    ASSERT_TRUE(feed(sized, data, kOddSizes, a.sink()));
    if (c != Codec::zstd) {
      EXPECT_TRUE(a.data == whole);
    }
    EXPECT_TRUE(dynamate::decompress(c, a.data).value() == data);
    EXPECT_LE(a.largest, std::size_t{128} << 10);
    EXPECT_EQ(sized.bytes_in(), data.size());
    EXPECT_EQ(sized.bytes_out(), a.data.size());
    if (c == Codec::zstd) {  // the content size is in the frame header
      const auto fhd = static_cast<unsigned char>(a.data.at(4));
      EXPECT_TRUE((fhd & 0x20) != 0 || (fhd >> 6) != 0) << int{fhd};
    }
    // Without it, gzip is still byte-identical and zstd decodes the same.
    auto unsized = Compressor::create(c).value();
    Collector b;
    ASSERT_TRUE(feed(unsized, data, {1000, 1, 77777}, b.sink()));
    if (c != Codec::zstd) {
      EXPECT_TRUE(b.data == whole);
    }
    EXPECT_TRUE(dynamate::decompress(c, b.data).value() == data);
  }
}

TEST(CompressionStream, DecompressorMatchesWholeBuffer) {
  const std::string data = sample(std::size_t{2} << 20);
  for (Codec c : {Codec::none, Codec::gzip, Codec::zstd}) {
    SCOPED_TRACE(dynamate::to_string(c));
    const std::string packed = dynamate::compress(c, data).value();
    auto d = Decompressor::create(c).value();
    Collector out;
    ASSERT_TRUE(feed(d, packed, kOddSizes, out.sink()));
    EXPECT_TRUE(out.data == data);
    EXPECT_LE(out.largest, std::size_t{128} << 10);
    EXPECT_EQ(d.bytes_in(), packed.size());
    EXPECT_EQ(d.bytes_out(), data.size());
    // One byte at a time, on a smaller input.
    const std::string small = dynamate::compress(c, data.substr(0, 20000)).value();
    d.reset();
    Collector bytewise;
    ASSERT_TRUE(feed(d, small, {1}, bytewise.sink()));
    EXPECT_EQ(bytewise.data, data.substr(0, 20000));
  }
}

TEST(CompressionStream, ConcatenatedMembersAcrossWrites) {
  for (Codec c : {Codec::gzip, Codec::zstd}) {
    const std::string joined = dynamate::compress(c, "alpha ").value() +
                               dynamate::compress(c, "").value() +
                               dynamate::compress(c, sample(100000)).value();
    auto d = Decompressor::create(c).value();
    Collector out;
    ASSERT_TRUE(feed(d, joined, {5, 11}, out.sink()));
    EXPECT_EQ(out.data, "alpha " + sample(100000));
  }
}

TEST(CompressionStream, EmptyStreams) {
  for (Codec c : {Codec::gzip, Codec::zstd}) {
    auto comp = Compressor::create(c).value();
    Collector packed;
    ASSERT_TRUE(comp.finish(packed.sink()));
    EXPECT_EQ(dynamate::decompress(c, packed.data).value(), "");
    auto d = Decompressor::create(c).value();
    Collector none;
    auto r = d.finish(none.sink());  // no input at all: not a gzip member / zstd frame
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::integrity);
    EXPECT_NE(r.error().message.find("empty input"), std::string::npos) << r.error().message;
  }
  auto d = Decompressor::create(Codec::none).value();
  Collector none;
  EXPECT_TRUE(d.finish(none.sink()));
  EXPECT_EQ(none.calls, 0u);
}

TEST(CompressionStream, TruncatedAndCorruptInput) {
  const std::string data = sample(500000);
  for (Codec c : {Codec::gzip, Codec::zstd}) {
    SCOPED_TRACE(dynamate::to_string(c));
    const std::string packed = dynamate::compress(c, data).value();
    auto d = Decompressor::create(c).value();
    Collector out;
    auto r = feed(d, std::string_view(packed).substr(0, packed.size() - 3), {4096}, out.sink());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::integrity);
    EXPECT_NE(r.error().message.find("truncated"), std::string::npos) << r.error().message;

    d.reset();
    std::string corrupt = packed;
    corrupt[packed.size() / 3] = static_cast<char>(corrupt[packed.size() / 3] ^ 0x20);
    Collector out2;
    r = feed(d, corrupt, {4096}, out2.sink());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::integrity) << r.error().message;

    d.reset();
    Collector out3;
    r = feed(d, packed + "tail", {100000}, out3.sink());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::integrity);
    EXPECT_NE(r.error().message.find("trailing data"), std::string::npos) << r.error().message;
  }
}

TEST(CompressionStream, OutputLimitStopsBeforeTheSink) {
  const std::string data = sample(1000000);
  for (Codec c : {Codec::none, Codec::gzip, Codec::zstd}) {
    SCOPED_TRACE(dynamate::to_string(c));
    const std::string packed = dynamate::compress(c, data).value();
    auto exact = Decompressor::create(c, data.size()).value();
    Collector ok;
    ASSERT_TRUE(feed(exact, packed, {9999}, ok.sink()));
    EXPECT_TRUE(ok.data == data);

    auto tight = Decompressor::create(c, 300000).value();
    Collector out;
    auto r = feed(tight, packed, {9999}, out.sink());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::limit_exceeded);
    EXPECT_LE(out.data.size(), 300000u);
    EXPECT_EQ(out.data, data.substr(0, out.data.size()));
    // The stream is closed after an error.
    EXPECT_EQ(tight.write("x", out.sink()).error().code, ErrorCode::invalid_argument);
  }
}

TEST(CompressionStream, SinkErrorsStopTheStream) {
  const std::string data = sample(1000000);
  for (Codec c : {Codec::none, Codec::gzip, Codec::zstd}) {
    auto comp = Compressor::create(c).value();
    int calls = 0;
    auto failing = [&calls](std::string_view) -> Result<void> {
      ++calls;
      return dynamate::unexpected(ErrorCode::cancelled, "disk full");
    };
    Result<void> r = comp.write(data, failing);
    if (r) r = comp.finish(failing);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::cancelled);
    EXPECT_EQ(r.error().message, "disk full");
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(comp.finish(failing).error().code, ErrorCode::invalid_argument);
  }
}

TEST(CompressionStream, ClosedAfterFinishUntilReset) {
  auto comp = Compressor::create(Codec::zstd, 5).value();
  EXPECT_EQ(comp.codec(), Codec::zstd);
  Collector first;
  ASSERT_TRUE(comp.write("first", first.sink()));
  ASSERT_TRUE(comp.finish(first.sink()));
  auto again = comp.write("more", first.sink());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(again.error().message.find("call reset()"), std::string::npos);
  comp.reset(6);
  EXPECT_EQ(comp.bytes_in(), 0u);
  Collector second;
  ASSERT_TRUE(comp.write("second", second.sink()));
  ASSERT_TRUE(comp.finish(second.sink()));
  EXPECT_EQ(dynamate::decompress(Codec::zstd, first.data).value(), "first");
  EXPECT_EQ(dynamate::decompress(Codec::zstd, second.data).value(), "second");
  EXPECT_EQ(static_cast<unsigned char>(second.data.at(5)), 6u);  // content size, 1 byte

  // A moved-from object fails instead of crashing.
  Compressor moved = std::move(comp);
  EXPECT_EQ(comp.write("x", second.sink()).error().code,  // NOLINT(bugprone-use-after-move)
            ErrorCode::invalid_argument);
  moved.reset();
  Collector third;
  ASSERT_TRUE(moved.finish(third.sink()));
  EXPECT_EQ(dynamate::decompress(Codec::zstd, third.data).value(), "");
}

TEST(CompressionStream, ContentSizeMustMatch) {
  for (Codec c : {Codec::none, Codec::gzip, Codec::zstd}) {
    SCOPED_TRACE(dynamate::to_string(c));
    Collector out;
    auto more = Compressor::create(c, 0, 3).value();
    auto r = more.write("four", out.sink());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
    auto less = Compressor::create(c, 0, 5).value();
    ASSERT_TRUE(less.write("four", out.sink()));
    r = less.finish(out.sink());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(r.error().message.find("not the content size 5"), std::string::npos);
  }
}

}  // namespace
