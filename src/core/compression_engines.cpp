// The zlib and zstd state machines behind compression.hpp (see
// compression_engines.hpp).
#include "core/compression_engines.hpp"

#include <algorithm>
#include <climits>
#include <string>

namespace dynamate::compression_detail {
namespace {

std::string zlib_message(const z_stream& z, int rc) {
  if (z.msg != nullptr) return z.msg;
  return "zlib error " + std::to_string(rc);
}

uInt clamp_uint(std::size_t n) noexcept {
  return static_cast<uInt>(std::min<std::size_t>(n, UINT_MAX));
}

}  // namespace

Result<int> resolve_level(Codec codec, int level) {
  switch (codec) {
    case Codec::none:
      return 0;
    case Codec::gzip:
      if (level == 0) return kGzipDefaultLevel;
      if (level < 1 || level > 9) {
        return unexpected(ErrorCode::invalid_argument,
                          "gzip compression level must be 1..9 (or 0 for the default " +
                              std::to_string(kGzipDefaultLevel) + "), got " +
                              std::to_string(level));
      }
      return level;
    case Codec::zstd:
      if (level == 0) return kZstdDefaultLevel;
      if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel()) {
        return unexpected(ErrorCode::invalid_argument,
                          "zstd compression level must be " + std::to_string(ZSTD_minCLevel()) +
                              ".." + std::to_string(ZSTD_maxCLevel()) + " (or 0 for the default " +
                              std::to_string(kZstdDefaultLevel) + "), got " +
                              std::to_string(level));
      }
      return level;
  }
  return unexpected(ErrorCode::invalid_argument, "unknown codec");
}

Error integrity_error(Codec codec, std::string_view what) {
  std::string msg(to_string(codec));
  msg += ": ";
  msg += what;
  return Error(ErrorCode::integrity, std::move(msg));
}

Error limit_error(Codec codec, std::uint64_t max_output) {
  return Error(ErrorCode::limit_exceeded, std::string(to_string(codec)) +
                                              ": decompressed data exceeds the limit of " +
                                              std::to_string(max_output) + " bytes");
}

// ---- gzip ----

GzipDeflater::~GzipDeflater() {
  if (live_) deflateEnd(&z_);
}

Result<void> GzipDeflater::init(int level) {
  // windowBits 15 + 16: a gzip wrapper with zlib's default header (mtime 0).
  const int rc = deflateInit2(&z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  if (rc != Z_OK) {
    return unexpected(ErrorCode::internal, "gzip: deflateInit2 failed: " + zlib_message(z_, rc));
  }
  live_ = true;
  return {};
}

void GzipDeflater::reset() noexcept { deflateReset(&z_); }

std::size_t GzipDeflater::bound(std::size_t input_size) noexcept {
  return static_cast<std::size_t>(deflateBound(&z_, static_cast<uLong>(input_size)));
}

Result<std::size_t> GzipDeflater::step(std::string_view& in, char* dst, std::size_t cap,
                                       bool finish, bool& done) {
  const uInt in_n = clamp_uint(in.size());
  const uInt out_n = clamp_uint(cap);
  z_.next_in = reinterpret_cast<const Bytef*>(in.data());
  z_.avail_in = in_n;
  z_.next_out = reinterpret_cast<Bytef*>(dst);
  z_.avail_out = out_n;
  const bool last = finish && in_n == in.size();
  const int rc = deflate(&z_, last ? Z_FINISH : Z_NO_FLUSH);
  in.remove_prefix(in_n - z_.avail_in);
  if (rc == Z_STREAM_END) {
    done = true;
  } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
    return unexpected(ErrorCode::internal, "gzip: deflate failed: " + zlib_message(z_, rc));
  }
  return std::size_t{out_n - z_.avail_out};
}

GzipInflater::~GzipInflater() {
  if (live_) inflateEnd(&z_);
}

Result<void> GzipInflater::init() {
  const int rc = inflateInit2(&z_, 15 + 16);  // gzip only, any window size
  if (rc != Z_OK) {
    return unexpected(ErrorCode::internal, "gzip: inflateInit2 failed: " + zlib_message(z_, rc));
  }
  live_ = true;
  return {};
}

void GzipInflater::reset() noexcept {
  inflateReset(&z_);
  in_member_ = false;
  members_ = 0;
}

Result<std::size_t> GzipInflater::step(std::string_view& in, char* dst, std::size_t cap) {
  if (!in_member_) {
    if (in.empty()) return std::size_t{0};
    if (members_ > 0) inflateReset(&z_);  // the next of concatenated members
    in_member_ = true;
  }
  const uInt in_n = clamp_uint(in.size());
  const uInt out_n = clamp_uint(cap);
  z_.next_in = reinterpret_cast<const Bytef*>(in.data());
  z_.avail_in = in_n;
  z_.next_out = reinterpret_cast<Bytef*>(dst);
  z_.avail_out = out_n;
  const int rc = inflate(&z_, Z_NO_FLUSH);
  in.remove_prefix(in_n - z_.avail_in);
  const std::size_t produced = out_n - z_.avail_out;
  switch (rc) {
    case Z_STREAM_END:
      in_member_ = false;
      ++members_;
      return produced;
    case Z_OK:
    case Z_BUF_ERROR:  // no progress possible: needs input or output space
      return produced;
    case Z_MEM_ERROR:
      return unexpected(ErrorCode::internal, "gzip: out of memory while decompressing");
    default:
      break;
  }
  // A failure within the first bytes of a member after the first one: what
  // follows the data is not another gzip member.
  if (members_ > 0 && z_.total_in <= 10) {
    return unexpected(integrity_error(
        Codec::gzip, "trailing data after the end of the compressed data is not a gzip member (" +
                         zlib_message(z_, rc) + ")"));
  }
  return unexpected(integrity_error(Codec::gzip, "corrupt data (" + zlib_message(z_, rc) + ")"));
}

Result<void> GzipInflater::check_complete() const {
  if (in_member_) {
    return unexpected(
        integrity_error(Codec::gzip, "truncated data (the input ends inside a gzip member, after " +
                                         std::to_string(z_.total_in) + " bytes of it)"));
  }
  if (members_ == 0) return unexpected(integrity_error(Codec::gzip, "empty input"));
  return {};
}

// ---- zstd ----

Result<void> ZstdCompressor::init(int level) {
  ctx_.reset(ZSTD_createCCtx());
  if (!ctx_) return unexpected(ErrorCode::internal, "zstd: cannot allocate a compression context");
  level_ = level;
  size_t rc = ZSTD_CCtx_setParameter(ctx_.get(), ZSTD_c_compressionLevel, level);
  if (!ZSTD_isError(rc)) rc = ZSTD_CCtx_setParameter(ctx_.get(), ZSTD_c_checksumFlag, 1);
  if (!ZSTD_isError(rc)) rc = ZSTD_CCtx_setParameter(ctx_.get(), ZSTD_c_contentSizeFlag, 1);
  if (ZSTD_isError(rc)) {
    return unexpected(ErrorCode::internal,
                      std::string("zstd: cannot set parameters: ") + ZSTD_getErrorName(rc));
  }
  return {};
}

Result<void> ZstdCompressor::reset(std::optional<std::uint64_t> content_size) noexcept {
  size_t rc = ZSTD_CCtx_reset(ctx_.get(), ZSTD_reset_session_only);
  if (!ZSTD_isError(rc)) {
    rc = ZSTD_CCtx_setPledgedSrcSize(ctx_.get(),
                                     content_size ? *content_size : ZSTD_CONTENTSIZE_UNKNOWN);
  }
  if (ZSTD_isError(rc)) {
    return unexpected(ErrorCode::internal,
                      std::string("zstd: cannot start a frame: ") + ZSTD_getErrorName(rc));
  }
  return {};
}

Result<std::size_t> ZstdCompressor::step(std::string_view& in, char* dst, std::size_t cap,
                                         bool finish, bool& done) {
  ZSTD_inBuffer ib{in.data(), in.size(), 0};
  ZSTD_outBuffer ob{dst, cap, 0};
  const size_t rc =
      ZSTD_compressStream2(ctx_.get(), &ob, &ib, finish ? ZSTD_e_end : ZSTD_e_continue);
  in.remove_prefix(ib.pos);
  if (ZSTD_isError(rc)) {
    if (ZSTD_getErrorCode(rc) == ZSTD_error_srcSize_wrong) {
      return unexpected(ErrorCode::invalid_argument,
                        "zstd: the input size differs from the content size given");
    }
    return unexpected(ErrorCode::internal,
                      std::string("zstd: compression failed: ") + ZSTD_getErrorName(rc));
  }
  if (finish && rc == 0) done = true;
  return ob.pos;
}

Result<void> ZstdDecompressor::init() {
  ctx_.reset(ZSTD_createDCtx());
  if (!ctx_) {
    return unexpected(ErrorCode::internal, "zstd: cannot allocate a decompression context");
  }
  return {};
}

void ZstdDecompressor::reset() noexcept {
  ZSTD_DCtx_reset(ctx_.get(), ZSTD_reset_session_only);
  started_ = false;
  frame_done_ = false;
}

Result<std::size_t> ZstdDecompressor::step(std::string_view& in, char* dst, std::size_t cap) {
  if (in.empty() && idle()) return std::size_t{0};
  const bool at_frame_start = frame_done_;
  ZSTD_inBuffer ib{in.data(), in.size(), 0};
  ZSTD_outBuffer ob{dst, cap, 0};
  const size_t rc = ZSTD_decompressStream(ctx_.get(), &ob, &ib);
  in.remove_prefix(ib.pos);
  if (ZSTD_isError(rc)) {
    const std::string name = ZSTD_getErrorName(rc);
    if (ZSTD_getErrorCode(rc) == ZSTD_error_frameParameter_windowTooLarge) {
      return unexpected(
          ErrorCode::limit_exceeded,
          "zstd: the frame needs a window larger than this decoder allows (" + name + ")");
    }
    if (ZSTD_getErrorCode(rc) == ZSTD_error_memory_allocation) {
      return unexpected(ErrorCode::internal, "zstd: out of memory while decompressing");
    }
    if (at_frame_start) {
      return unexpected(integrity_error(
          Codec::zstd,
          "trailing data after the end of the compressed data is not a zstd frame (" + name + ")"));
    }
    return unexpected(integrity_error(Codec::zstd, "corrupt data (" + name + ")"));
  }
  if (ib.pos > 0) started_ = true;
  frame_done_ = started_ && rc == 0;
  return ob.pos;
}

Result<void> ZstdDecompressor::check_complete() const {
  if (!started_) return unexpected(integrity_error(Codec::zstd, "empty input"));
  if (!frame_done_) {
    return unexpected(
        integrity_error(Codec::zstd, "truncated data (the input ends inside a zstd frame)"));
  }
  return {};
}

}  // namespace dynamate::compression_detail
