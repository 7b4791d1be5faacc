// Streaming Compressor and Decompressor (compression.hpp): one codec context
// and one output chunk per object, so memory stays flat whatever the size.
#include <algorithm>
#include <memory>
#include <string>

#include "core/compression_engines.hpp"
#include "core/try.hpp"
#include "dynamate/compression.hpp"

namespace dynamate {

namespace cd = compression_detail;

namespace {

Error closed_error(std::string_view what) {
  return Error(ErrorCode::invalid_argument,
               std::string(what) +
                   ": the stream is closed (finish() was called, an error occurred or the "
                   "object was moved from); call reset() to start a new one");
}

// The output chunk shared by both directions.
struct OutBuffer {
  std::string buf;
  std::size_t len = 0;

  char* tail() noexcept { return buf.data() + len; }
  std::size_t room() const noexcept { return buf.size() - len; }
  Result<void> emit(const ChunkSink& out, std::uint64_t& bytes_out) {
    if (len == 0) return {};
    const std::size_t n = len;
    len = 0;
    DYNAMATE_TRY(out(std::string_view(buf.data(), n)));
    bytes_out += n;
    return {};
  }
};

// Codec::none: hands `in` on in chunks of at most kChunkSize, without copying.
Result<void> pass_through(std::string_view in, const ChunkSink& sink, std::uint64_t& bytes_out) {
  while (!in.empty()) {
    const std::string_view chunk = in.substr(0, cd::kChunkSize);
    DYNAMATE_TRY(sink(chunk));
    bytes_out += chunk.size();
    in.remove_prefix(chunk.size());
  }
  return {};
}

}  // namespace

// ---- Compressor ----

struct Compressor::Impl {
  Codec codec = Codec::none;
  std::optional<std::uint64_t> content_size;
  std::unique_ptr<cd::GzipDeflater> gzip;
  std::unique_ptr<cd::ZstdCompressor> zstd;
  OutBuffer out;
  bool open = true;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;

  Result<std::size_t> step(std::string_view& in, bool finish, bool& done) {
    if (gzip) return gzip->step(in, out.tail(), out.room(), finish, done);
    return zstd->step(in, out.tail(), out.room(), finish, done);
  }

  Result<void> write(std::string_view in, const ChunkSink& sink) {
    if (content_size && in.size() > *content_size - bytes_in) {
      return unexpected(ErrorCode::invalid_argument,
                        std::string(to_string(codec)) + ": more input than the content size " +
                            std::to_string(*content_size) + " given to Compressor::create");
    }
    bytes_in += in.size();
    if (codec == Codec::none) return pass_through(in, sink, bytes_out);
    bool done = false;
    while (!in.empty()) {
      if (out.room() == 0) DYNAMATE_TRY(out.emit(sink, bytes_out));
      DYNAMATE_ASSIGN_OR_RETURN(std::size_t n, step(in, false, done));
      out.len += n;
    }
    return {};
  }

  Result<void> finish(const ChunkSink& sink) {
    if (content_size && bytes_in != *content_size) {
      return unexpected(ErrorCode::invalid_argument,
                        std::string(to_string(codec)) + ": the input was " +
                            std::to_string(bytes_in) + " bytes, not the content size " +
                            std::to_string(*content_size) + " given to Compressor::create");
    }
    if (codec == Codec::none) return {};
    bool done = false;
    std::string_view none;
    while (!done) {
      if (out.room() == 0) DYNAMATE_TRY(out.emit(sink, bytes_out));
      DYNAMATE_ASSIGN_OR_RETURN(std::size_t n, step(none, true, done));
      out.len += n;
    }
    return out.emit(sink, bytes_out);
  }

  Result<void> restart(std::optional<std::uint64_t> size) noexcept {
    content_size = size;
    out.len = 0;
    bytes_in = 0;
    bytes_out = 0;
    open = true;
    if (gzip) gzip->reset();
    if (zstd) return zstd->reset(size);
    return {};
  }
};

Compressor::Compressor(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
Compressor::Compressor(Compressor&&) noexcept = default;
Compressor& Compressor::operator=(Compressor&&) noexcept = default;
Compressor::~Compressor() = default;

Result<Compressor> Compressor::create(Codec codec, int level,
                                      std::optional<std::uint64_t> content_size) {
  DYNAMATE_ASSIGN_OR_RETURN(const int lvl, cd::resolve_level(codec, level));
  auto impl = std::make_unique<Impl>();
  impl->codec = codec;
  impl->content_size = content_size;
  if (codec == Codec::gzip) {
    impl->gzip = std::make_unique<cd::GzipDeflater>();
    DYNAMATE_TRY(impl->gzip->init(lvl));
  } else if (codec == Codec::zstd) {
    impl->zstd = std::make_unique<cd::ZstdCompressor>();
    DYNAMATE_TRY(impl->zstd->init(lvl));
    DYNAMATE_TRY(impl->zstd->reset(content_size));
  }
  if (codec != Codec::none) impl->out.buf.resize(cd::kChunkSize);
  return Compressor(std::move(impl));
}

Codec Compressor::codec() const noexcept { return impl_ ? impl_->codec : Codec::none; }

Result<void> Compressor::write(std::string_view in, const ChunkSink& out) {
  if (!impl_ || !impl_->open) return unexpected(closed_error("Compressor::write"));
  auto r = impl_->write(in, out);
  if (!r) impl_->open = false;
  return r;
}

Result<void> Compressor::finish(const ChunkSink& out) {
  if (!impl_ || !impl_->open) return unexpected(closed_error("Compressor::finish"));
  impl_->open = false;
  return impl_->finish(out);
}

void Compressor::reset(std::optional<std::uint64_t> content_size) noexcept {
  if (!impl_) return;
  if (!impl_->restart(content_size)) impl_->open = false;
}

std::uint64_t Compressor::bytes_in() const noexcept { return impl_ ? impl_->bytes_in : 0; }
std::uint64_t Compressor::bytes_out() const noexcept { return impl_ ? impl_->bytes_out : 0; }

// ---- Decompressor ----

struct Decompressor::Impl {
  Codec codec = Codec::none;
  std::uint64_t max_output = 0;
  std::unique_ptr<cd::GzipInflater> gzip;
  std::unique_ptr<cd::ZstdDecompressor> zstd;
  OutBuffer out;
  bool open = true;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;

  // Runs the engine until it needs more input than `in` holds and has no
  // output pending; output past max_output is refused before it is emitted.
  Result<void> pump(std::string_view& in, const ChunkSink& sink) {
    while (true) {
      if (out.room() == 0) DYNAMATE_TRY(out.emit(sink, bytes_out));
      // One byte more than the limit allows, to tell "exactly at" from "past".
      const std::uint64_t left = max_output - (bytes_out + out.len);
      const std::size_t cap = left >= out.room() ? out.room() : static_cast<std::size_t>(left + 1);
      const std::size_t before = in.size();
      auto n = gzip ? gzip->step(in, out.tail(), cap) : zstd->step(in, out.tail(), cap);
      if (!n) return unexpected(std::move(n).error());
      bytes_in += before - in.size();
      out.len += *n;
      if (bytes_out + out.len > max_output) {
        return unexpected(cd::limit_error(codec, max_output));
      }
      if (in.empty() && *n < cap) return {};          // all input used, nothing pending
      if (*n == 0 && in.size() == before) return {};  // no progress possible
    }
  }

  Result<void> write(std::string_view in, const ChunkSink& sink) {
    if (codec == Codec::none) {
      if (in.size() > max_output - bytes_out) return unexpected(cd::limit_error(codec, max_output));
      bytes_in += in.size();
      return pass_through(in, sink, bytes_out);
    }
    return pump(in, sink);
  }

  Result<void> finish(const ChunkSink& sink) {
    if (codec == Codec::none) return {};
    std::string_view none;
    DYNAMATE_TRY(pump(none, sink));
    if (gzip) {
      DYNAMATE_TRY(gzip->check_complete());
    } else {
      DYNAMATE_TRY(zstd->check_complete());
    }
    return out.emit(sink, bytes_out);
  }
};

Decompressor::Decompressor(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
Decompressor::Decompressor(Decompressor&&) noexcept = default;
Decompressor& Decompressor::operator=(Decompressor&&) noexcept = default;
Decompressor::~Decompressor() = default;

Result<Decompressor> Decompressor::create(Codec codec, std::uint64_t max_output) {
  auto impl = std::make_unique<Impl>();
  impl->codec = codec;
  impl->max_output = max_output;
  if (codec == Codec::gzip) {
    impl->gzip = std::make_unique<cd::GzipInflater>();
    DYNAMATE_TRY(impl->gzip->init());
  } else if (codec == Codec::zstd) {
    impl->zstd = std::make_unique<cd::ZstdDecompressor>();
    DYNAMATE_TRY(impl->zstd->init());
  } else if (codec != Codec::none) {
    return unexpected(ErrorCode::invalid_argument, "unknown codec");
  }
  if (codec != Codec::none) impl->out.buf.resize(cd::kChunkSize);
  return Decompressor(std::move(impl));
}

Codec Decompressor::codec() const noexcept { return impl_ ? impl_->codec : Codec::none; }

Result<void> Decompressor::write(std::string_view in, const ChunkSink& out) {
  if (!impl_ || !impl_->open) return unexpected(closed_error("Decompressor::write"));
  auto r = impl_->write(in, out);
  if (!r) impl_->open = false;
  return r;
}

Result<void> Decompressor::finish(const ChunkSink& out) {
  if (!impl_ || !impl_->open) return unexpected(closed_error("Decompressor::finish"));
  impl_->open = false;
  return impl_->finish(out);
}

void Decompressor::reset() noexcept {
  if (!impl_) return;
  impl_->out.len = 0;
  impl_->bytes_in = 0;
  impl_->bytes_out = 0;
  impl_->open = true;
  if (impl_->gzip) impl_->gzip->reset();
  if (impl_->zstd) impl_->zstd->reset();
}

std::uint64_t Decompressor::bytes_in() const noexcept { return impl_ ? impl_->bytes_in : 0; }
std::uint64_t Decompressor::bytes_out() const noexcept { return impl_ ? impl_->bytes_out : 0; }

}  // namespace dynamate
