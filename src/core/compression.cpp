// Codec names, magic-number sniffing and whole-buffer compression
// (compression.hpp). The whole-buffer functions keep one set of codec
// contexts per thread: creating a deflate state costs ~270 KiB of
// allocations, a zstd context more, which would dominate small values.
#include "dynamate/compression.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include "core/compression_engines.hpp"
#include "core/try.hpp"

namespace dynamate {

namespace cd = compression_detail;

std::string_view to_string(Codec codec) noexcept {
  switch (codec) {
    case Codec::none:
      return "none";
    case Codec::gzip:
      return "gzip";
    case Codec::zstd:
      return "zstd";
  }
  return "unknown";
}

namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

unsigned char byte_at(std::string_view s, std::size_t i) noexcept {
  return static_cast<unsigned char>(s[i]);
}

}  // namespace

std::optional<Codec> parse_codec(std::string_view name) noexcept {
  if (iequals(name, "none") || iequals(name, "identity")) return Codec::none;
  if (iequals(name, "gzip") || iequals(name, "x-gzip")) return Codec::gzip;
  if (iequals(name, "zstd")) return Codec::zstd;
  return std::nullopt;
}

std::optional<Codec> sniff_codec(std::string_view head) noexcept {
  if (head.size() >= 3 && byte_at(head, 0) == 0x1f && byte_at(head, 1) == 0x8b &&
      byte_at(head, 2) == 0x08) {
    return Codec::gzip;
  }
  if (head.size() >= 4 && byte_at(head, 1) == 0xb5 && byte_at(head, 2) == 0x2f &&
      byte_at(head, 3) == 0xfd && byte_at(head, 0) == 0x28) {
    return Codec::zstd;  // frame magic 0xFD2FB528, little-endian
  }
  if (head.size() >= 4 && (byte_at(head, 0) & 0xf0) == 0x50 && byte_at(head, 1) == 0x2a &&
      byte_at(head, 2) == 0x4d && byte_at(head, 3) == 0x18) {
    return Codec::zstd;  // skippable frame magic 0x184D2A5?
  }
  return std::nullopt;
}

namespace {

// Per-thread codec contexts for the whole-buffer functions. Never handed to
// user code, so no re-entrancy.
struct ThreadCodecs {
  std::array<std::unique_ptr<cd::GzipDeflater>, 10> deflaters;  // by level
  std::unique_ptr<cd::GzipInflater> inflater;
  std::unique_ptr<cd::ZstdCompressor> zstd_c;
  std::unique_ptr<cd::ZstdDecompressor> zstd_d;
};

ThreadCodecs& thread_codecs() {
  thread_local ThreadCodecs codecs;
  return codecs;
}

Result<cd::GzipDeflater*> gzip_deflater(int level) {
  auto& slot = thread_codecs().deflaters[static_cast<std::size_t>(level)];
  if (!slot) {
    auto d = std::make_unique<cd::GzipDeflater>();
    DYNAMATE_TRY(d->init(level));
    slot = std::move(d);
  } else {
    slot->reset();
  }
  return slot.get();
}

Result<cd::GzipInflater*> gzip_inflater() {
  auto& slot = thread_codecs().inflater;
  if (!slot) {
    auto d = std::make_unique<cd::GzipInflater>();
    DYNAMATE_TRY(d->init());
    slot = std::move(d);
  } else {
    slot->reset();
  }
  return slot.get();
}

Result<cd::ZstdCompressor*> zstd_compressor(int level) {
  auto& slot = thread_codecs().zstd_c;
  if (!slot) {
    auto c = std::make_unique<cd::ZstdCompressor>();
    DYNAMATE_TRY(c->init(level));
    slot = std::move(c);
  } else if (slot->level() != level) {
    DYNAMATE_TRY(slot->init(level));
  }
  return slot.get();
}

Result<cd::ZstdDecompressor*> zstd_decompressor() {
  auto& slot = thread_codecs().zstd_d;
  if (!slot) {
    auto d = std::make_unique<cd::ZstdDecompressor>();
    DYNAMATE_TRY(d->init());
    slot = std::move(d);
  } else {
    slot->reset();
  }
  return slot.get();
}

// Drops the slack of a buffer sized for the worst case, when it is large.
void trim(std::string& out, std::size_t len) {
  out.resize(len);
  if (out.capacity() - len > std::max<std::size_t>(len / 8, 4096)) out.shrink_to_fit();
}

Result<std::string> gzip_compress(std::string_view data, int level) {
  DYNAMATE_ASSIGN_OR_RETURN(cd::GzipDeflater * d, gzip_deflater(level));
  std::string out;
  out.resize(d->bound(data.size()));
  std::size_t len = 0;
  bool done = false;
  while (!done) {
    if (len == out.size()) out.resize(out.size() + cd::kChunkSize);  // beyond the bound: never
    DYNAMATE_ASSIGN_OR_RETURN(std::size_t n,
                              d->step(data, out.data() + len, out.size() - len, true, done));
    len += n;
  }
  trim(out, len);
  return out;
}

Result<std::string> zstd_compress(std::string_view data, int level) {
  DYNAMATE_ASSIGN_OR_RETURN(cd::ZstdCompressor * c, zstd_compressor(level));
  DYNAMATE_TRY(c->reset(std::nullopt));
  std::string out;
  out.resize(ZSTD_compressBound(data.size()));
  // One call with the whole input: the frame header gets the content size.
  const size_t rc = ZSTD_compress2(c->get(), out.data(), out.size(), data.data(), data.size());
  if (ZSTD_isError(rc)) {
    return unexpected(ErrorCode::internal,
                      std::string("zstd: compression failed: ") + ZSTD_getErrorName(rc));
  }
  trim(out, rc);
  return out;
}

// Runs a decompression engine over all of `data` into a growing buffer whose
// size never passes max_output + 1.
template <class Engine>
Result<std::string> drain(Codec codec, Engine& engine, std::string_view data,
                          std::uint64_t max_output, std::uint64_t size_hint) {
  const std::uint64_t cap_limit =
      max_output >= std::uint64_t{SIZE_MAX} - 1 ? SIZE_MAX : max_output + 1;
  std::string out;
  out.resize(static_cast<std::size_t>(std::min(size_hint, cap_limit)));
  std::size_t len = 0;
  while (!(data.empty() && engine.idle())) {
    if (len == out.size()) {
      if (out.size() >= cap_limit) return unexpected(cd::limit_error(codec, max_output));
      const std::uint64_t grown = std::max<std::uint64_t>(out.size() * std::uint64_t{2}, 4096);
      out.resize(static_cast<std::size_t>(std::min(grown, cap_limit)));
    }
    const std::size_t before = data.size();
    DYNAMATE_ASSIGN_OR_RETURN(std::size_t n, engine.step(data, out.data() + len, out.size() - len));
    len += n;
    if (len > max_output) return unexpected(cd::limit_error(codec, max_output));
    if (n == 0 && data.size() == before) break;  // stuck: truncated input
  }
  DYNAMATE_TRY(engine.check_complete());
  trim(out, len);
  return out;
}

// How much of a size claimed by the data itself (gzip ISIZE, zstd content
// size) is allocated up front: corrupt or hostile data can claim anything, so
// beyond ordinary compression ratios the buffer grows as output arrives.
std::uint64_t trusted_size(std::uint64_t claimed, std::size_t input_size) {
  return std::min<std::uint64_t>(claimed, std::uint64_t{input_size} * 16 + (64 << 10));
}

Result<std::string> gzip_decompress(std::string_view data, std::uint64_t max_output) {
  DYNAMATE_ASSIGN_OR_RETURN(cd::GzipInflater * d, gzip_inflater());
  // The trailer's ISIZE (size mod 2^32 of the last member) sizes the buffer
  // for the usual single member.
  std::uint64_t hint = 0;
  if (data.size() >= 18) {
    std::uint32_t isize = 0;
    for (int i = 0; i < 4; ++i) {
      isize |= std::uint32_t{byte_at(data, data.size() - 4 + static_cast<std::size_t>(i))}
               << (8 * i);
    }
    hint = trusted_size(isize, data.size());
  }
  return drain(Codec::gzip, *d, data, max_output, hint);
}

Result<std::string> zstd_decompress(std::string_view data, std::uint64_t max_output) {
  DYNAMATE_ASSIGN_OR_RETURN(cd::ZstdDecompressor * d, zstd_decompressor());
  const unsigned long long content = ZSTD_getFrameContentSize(data.data(), data.size());
  const bool known = content != ZSTD_CONTENTSIZE_UNKNOWN && content != ZSTD_CONTENTSIZE_ERROR;
  if (known && content > max_output) return unexpected(cd::limit_error(Codec::zstd, max_output));
  if (known && content == trusted_size(content, data.size()) &&
      ZSTD_findFrameCompressedSize(data.data(), data.size()) == data.size()) {
    // One frame of known size: decode it in one call into an exact buffer.
    std::string out;
    out.resize(static_cast<std::size_t>(content));
    const size_t rc =
        ZSTD_decompressDCtx(d->get(), out.data(), out.size(), data.data(), data.size());
    if (ZSTD_isError(rc)) {
      return unexpected(cd::integrity_error(
          Codec::zstd, std::string("corrupt data (") + ZSTD_getErrorName(rc) + ")"));
    }
    if (rc != out.size()) {
      return unexpected(cd::integrity_error(
          Codec::zstd, "corrupt data (the frame is shorter than its content size)"));
    }
    return out;
  }
  const std::uint64_t hint =
      trusted_size(known ? content : std::uint64_t{data.size()} * 4, data.size());
  return drain(Codec::zstd, *d, data, max_output, hint);
}

}  // namespace

Result<std::string> compress(Codec codec, std::string_view data, int level) {
  DYNAMATE_ASSIGN_OR_RETURN(const int lvl, cd::resolve_level(codec, level));
  switch (codec) {
    case Codec::none:
      return std::string(data);
    case Codec::gzip:
      return gzip_compress(data, lvl);
    case Codec::zstd:
      return zstd_compress(data, lvl);
  }
  return unexpected(ErrorCode::invalid_argument, "unknown codec");
}

Result<std::string> decompress(Codec codec, std::string_view data, std::uint64_t max_output) {
  switch (codec) {
    case Codec::none:
      if (data.size() > max_output) return unexpected(cd::limit_error(codec, max_output));
      return std::string(data);
    case Codec::gzip:
      return gzip_decompress(data, max_output);
    case Codec::zstd:
      return zstd_decompress(data, max_output);
  }
  return unexpected(ErrorCode::invalid_argument, "unknown codec");
}

}  // namespace dynamate
