// src/core/compression_engines.hpp: the zlib and zstd state machines behind
// compression.hpp, shared by the whole-buffer functions (which keep one set
// per thread) and the streaming Compressor/Decompressor (one set per object).
// Private: not installed, not API.
//
// Every engine has the same step shape: consume some of `in` (advancing it),
// write at most `cap` bytes at `dst`, return how many were written. Callers
// loop while input remains or the output space was filled.
#pragma once

#define ZLIB_CONST  // next_in is const
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dynamate/compression.hpp"
#include "dynamate/result.hpp"

namespace dynamate::compression_detail {

// Output chunk size of the streaming classes and growth step of the buffers.
inline constexpr std::size_t kChunkSize = std::size_t{128} << 10;

// The level to use for `codec` (0 -> default), or invalid_argument.
Result<int> resolve_level(Codec codec, int level);

Error integrity_error(Codec codec, std::string_view what);
Error limit_error(Codec codec, std::uint64_t max_output);

// gzip compression: deflate with a gzip wrapper (windowBits 31).
class GzipDeflater {
 public:
  GzipDeflater() = default;
  GzipDeflater(const GzipDeflater&) = delete;
  GzipDeflater& operator=(const GzipDeflater&) = delete;
  ~GzipDeflater();

  Result<void> init(int level);  // once, before anything else
  void reset() noexcept;         // starts a new member
  // finish: the input is all there is; `done` becomes true once the trailer
  // has been written.
  Result<std::size_t> step(std::string_view& in, char* dst, std::size_t cap, bool finish,
                           bool& done);
  std::size_t bound(std::size_t input_size) noexcept;

 private:
  z_stream z_{};
  bool live_ = false;
};

// gzip decompression: one or more concatenated gzip members.
class GzipInflater {
 public:
  GzipInflater() = default;
  GzipInflater(const GzipInflater&) = delete;
  GzipInflater& operator=(const GzipInflater&) = delete;
  ~GzipInflater();

  Result<void> init();
  void reset() noexcept;
  Result<std::size_t> step(std::string_view& in, char* dst, std::size_t cap);
  // Between members: nothing is pending (no member started, or it ended).
  bool idle() const noexcept { return !in_member_; }
  // integrity error unless the input so far is whole members (at least one).
  Result<void> check_complete() const;

 private:
  z_stream z_{};
  bool live_ = false;
  bool in_member_ = false;  // a member has started and not ended
  std::uint64_t members_ = 0;
};

struct ZstdCCtxFree {
  void operator()(ZSTD_CCtx* c) const noexcept { ZSTD_freeCCtx(c); }
};
struct ZstdDCtxFree {
  void operator()(ZSTD_DCtx* c) const noexcept { ZSTD_freeDCtx(c); }
};
using ZstdCCtxPtr = std::unique_ptr<ZSTD_CCtx, ZstdCCtxFree>;
using ZstdDCtxPtr = std::unique_ptr<ZSTD_DCtx, ZstdDCtxFree>;

// zstd compression with a reused context.
class ZstdCompressor {
 public:
  Result<void> init(int level);
  // Starts a new frame; `content_size` goes into the frame header if given.
  Result<void> reset(std::optional<std::uint64_t> content_size) noexcept;
  Result<std::size_t> step(std::string_view& in, char* dst, std::size_t cap, bool finish,
                           bool& done);
  ZSTD_CCtx* get() const noexcept { return ctx_.get(); }
  int level() const noexcept { return level_; }

 private:
  ZstdCCtxPtr ctx_;
  int level_ = 0;
};

// zstd decompression: one or more concatenated frames (skippable ones too).
class ZstdDecompressor {
 public:
  Result<void> init();
  void reset() noexcept;
  Result<std::size_t> step(std::string_view& in, char* dst, std::size_t cap);
  bool idle() const noexcept { return !started_ || frame_done_; }
  Result<void> check_complete() const;
  ZSTD_DCtx* get() const noexcept { return ctx_.get(); }

 private:
  ZstdDCtxPtr ctx_;
  bool started_ = false;
  bool frame_done_ = false;  // the last step ended a frame and flushed it
};

}  // namespace dynamate::compression_detail
