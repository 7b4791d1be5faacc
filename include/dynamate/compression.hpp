// dynamate/compression.hpp: the codecs dynamate compresses values with (Codec:
// none, gzip, zstd), whole-buffer compress/decompress, and streaming
// Compressor/Decompressor classes whose memory stays flat for values of any
// size. Used by compressed inline attributes (compressed.hpp) and by large
// attributes stored in S3 (the Codec name is the object's Content-Encoding).
//
// Formats:
//   gzip  one RFC 1952 gzip member written by zlib (mtime 0, no file name), so
//         equal input and level give equal output. Reading accepts any header
//         (mtime, FNAME, FEXTRA, FCOMMENT, FHCRC, as Python's gzip writes) and
//         several concatenated members (as `cat a.gz b.gz`), nothing else: no
//         zlib (RFC 1950) or raw deflate data, no trailing bytes, not even
//         zero padding. Levels 1..9, default 6.
//   zstd  one standard Zstandard frame with the content size in its header.
//         Reading accepts concatenated and skippable frames. Levels
//         ZSTD_minCLevel()..22 (negative = faster), default 3.
//   none  the bytes as they are.
// Level 0 always means the codec's default; it is ignored for Codec::none.
//
// Errors: compress fails with invalid_argument for a level out of range (and
// internal if the library fails, e.g. out of memory). Decompression fails with
// integrity, naming the codec, for corrupt, truncated or empty input and for
// trailing data, and with limit_exceeded when the output would be larger than
// `max_output` (a guard against decompression bombs: a few KiB of gzip can
// expand to GiB).
//
// Thread-safety: the free functions are safe to call from any thread (they
// keep per-thread codec contexts for speed). A Compressor or Decompressor is
// used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dynamate/result.hpp"

namespace dynamate {

enum class Codec : std::uint8_t { none, gzip, zstd };

// "none", "gzip", "zstd" (the HTTP Content-Encoding names for gzip and zstd).
std::string_view to_string(Codec codec) noexcept;

// The codec named by `name`, ignoring ASCII case: "none" or "identity" (the
// HTTP name for no encoding) -> none, "gzip" or "x-gzip" -> gzip, "zstd" ->
// zstd. Anything else (including "" and "deflate") -> nullopt.
std::optional<Codec> parse_codec(std::string_view name) noexcept;

// The codec whose magic number `head` (the first bytes of some data) starts
// with: 1f 8b 08 -> gzip; 28 b5 2f fd (a zstd frame) or 5? 2a 4d 18 (a zstd
// skippable frame) -> zstd. Anything else, including data too short to tell,
// -> nullopt (uncompressed data is not recognised as Codec::none).
std::optional<Codec> sniff_codec(std::string_view head) noexcept;

inline constexpr int kGzipDefaultLevel = 6;
inline constexpr int kZstdDefaultLevel = 3;
// Default output limit of decompress and Decompressor: 4 GiB.
inline constexpr std::uint64_t kDefaultMaxDecompressedSize = std::uint64_t{4} << 30;

// Compresses `data` into one gzip member or zstd frame (see above).
Result<std::string> compress(Codec codec, std::string_view data, int level = 0);

// Decompresses all of `data`; see the errors above.
Result<std::string> decompress(Codec codec, std::string_view data,
                               std::uint64_t max_output = kDefaultMaxDecompressedSize);

// Where a streaming Compressor/Decompressor delivers its output, in chunks of
// at most 128 KiB. An error returned here stops the stream and is returned by
// the write/finish call that produced the chunk.
using ChunkSink = std::function<Result<void>(std::string_view chunk)>;

// Streaming compression: write() any number of times, then finish() once.
// Output is buffered and handed to `out` when a chunk is full and at
// finish(). The gzip output is byte for byte compress(codec, all input,
// level), however the input was split. zstd output decompresses to the same
// data (not always the same bytes); given `content_size` (the total input
// size) the frame header carries it, as compress() writes it, and writing
// more or less than that fails with invalid_argument. After finish() (or any
// error) the stream is closed: write/finish fail with invalid_argument until
// reset() starts a new stream, reusing the codec context (cheaper than a new
// Compressor). A moved-from object only fails.
class Compressor {
 public:
  static Result<Compressor> create(Codec codec, int level = 0,
                                   std::optional<std::uint64_t> content_size = std::nullopt);

  Compressor(Compressor&&) noexcept;
  Compressor& operator=(Compressor&&) noexcept;
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;
  ~Compressor();

  Codec codec() const noexcept;
  Result<void> write(std::string_view in, const ChunkSink& out);
  Result<void> finish(const ChunkSink& out);
  void reset(std::optional<std::uint64_t> content_size = std::nullopt) noexcept;

  std::uint64_t bytes_in() const noexcept;   // input consumed in this stream
  std::uint64_t bytes_out() const noexcept;  // output handed to sinks in this stream

 private:
  struct Impl;
  explicit Compressor(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

// Streaming decompression with the same rules as decompress(): write() the
// compressed bytes in chunks of any size, then finish(), which fails with
// integrity if the input ended inside a gzip member or zstd frame (or there
// was no input). Output beyond `max_output` bytes fails with limit_exceeded
// before it reaches `out`. Closed after finish() or an error until reset().
class Decompressor {
 public:
  static Result<Decompressor> create(Codec codec,
                                     std::uint64_t max_output = kDefaultMaxDecompressedSize);

  Decompressor(Decompressor&&) noexcept;
  Decompressor& operator=(Decompressor&&) noexcept;
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;
  ~Decompressor();

  Codec codec() const noexcept;
  Result<void> write(std::string_view in, const ChunkSink& out);
  Result<void> finish(const ChunkSink& out);
  void reset() noexcept;

  std::uint64_t bytes_in() const noexcept;
  std::uint64_t bytes_out() const noexcept;

 private:
  struct Impl;
  explicit Decompressor(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dynamate
