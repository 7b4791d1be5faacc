// Reading large attributes: GetObject, decompression by Content-Encoding (or
// by magic bytes for objects without one), and the sha256 / md5 checks.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "core/crypto.hpp"
#include "core/try.hpp"
#include "dynamate/detail/large_ops.hpp"

namespace dynamate::detail {
namespace {

constexpr std::string_view kShaMetadata = "dynamate-sha256";

Result<aws::S3Client> client_for(const LargeLocation& location,
                                 const std::optional<aws::S3Client>& client) {
  if (client) return *client;
  if (location.context) {
    if (const auto* f = location.context->find(location.attribute); f != nullptr && f->s3) {
      return *f->s3;
    }
    if (location.context->config.s3) return *location.context->config.s3;
  }
  return unexpected(ErrorCode::invalid_argument,
                    "no S3 client to read " + location.uri +
                        ": read the item through a Table whose TableConfig::large has one, or "
                        "call load(client)");
}

const ResolvedLargeField* field_of(const LargeLocation& location) {
  return location.context ? location.context->find(location.attribute) : nullptr;
}

// A missing object (or bucket) behind a URI an item holds.
Error read_error(const LargeLocation& location, Error e) {
  if (e.code == ErrorCode::not_found) {
    Error out(ErrorCode::dangling_reference, "large attribute \"" + location.attribute +
                                                 "\" references " + location.uri +
                                                 ", which does not exist (" + e.aws_code + ")");
    out.aws_code = std::move(e.aws_code);
    out.request_id = std::move(e.request_id);
    out.http_status = e.http_status;
    return out;
  }
  e.with_context("reading " + location.uri);
  return e;
}

// The codec of a stored object: its Content-Encoding, else (objects written
// by others, e.g. pynamodb_mate 5's gzip bodies) the magic bytes when the
// field expects a codec or the key is pynamodb_mate 5's.
Result<Codec> codec_of(const LargeLocation& location, const aws::ObjectInfo& info,
                       std::string_view head) {
  if (!info.content_encoding.empty() && info.content_encoding != "identity") {
    auto c = parse_codec(info.content_encoding);
    if (!c) {
      return unexpected(ErrorCode::integrity, location.uri + " has Content-Encoding \"" +
                                                  info.content_encoding +
                                                  "\", which dynamate cannot decode");
    }
    return *c;
  }
  const auto* f = field_of(location);
  const bool expect = (f != nullptr && f->codec != Codec::none) ||
                      location.key.find("s3backed/") != std::string::npos;
  if (expect && info.metadata.find(std::string(kShaMetadata)) == info.metadata.end()) {
    if (auto sniffed = sniff_codec(head)) return *sniffed;
  }
  return Codec::none;
}

std::string expected_sha256(const LargeLocation& location, const aws::ObjectInfo& info) {
  if (auto it = info.metadata.find(std::string(kShaMetadata)); it != info.metadata.end()) {
    return it->second;
  }
  return location.sha256_hex;
}

std::string expected_md5(const LargeLocation& location) {
  std::string sha, md5;
  content_hashes_from_key(location.key, &sha, &md5);
  return md5;
}

Result<void> check_hashes(const LargeLocation& location, const std::string& want_sha,
                          const std::string& got_sha, const std::string& want_md5,
                          const std::string& got_md5) {
  if (!want_sha.empty() && want_sha != got_sha) {
    return unexpected(ErrorCode::integrity, location.uri + ": the value's sha256 is " + got_sha +
                                                ", expected " + want_sha);
  }
  if (!want_md5.empty() && want_md5 != got_md5) {
    return unexpected(ErrorCode::integrity,
                      location.uri + ": the object's md5 is " + got_md5 + ", expected " + want_md5);
  }
  return {};
}

std::string hex_of(std::span<const std::uint8_t> digest) {
  return hex_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

// Decompresses (when needed) and hashes a streamed body on its way to `out`.
class DecodingSink final : public http::BodySink {
 public:
  // `want_md5`: only pynamodb_mate keys carry an md5 to check.
  DecodingSink(Codec codec, http::BodySink& out, bool want_md5)
      : codec_(codec), out_(out), want_md5_(want_md5) {}

  Result<void> write(std::string_view chunk) override {
    if (want_md5_) md5_->update(chunk);
    if (codec_ == Codec::none) return deliver(chunk);
    if (!decompressor_) {
      auto d = Decompressor::create(codec_);
      if (!d) return unexpected(std::move(d).error());
      decompressor_.emplace(std::move(*d));
    }
    return decompressor_->write(chunk, [this](std::string_view c) { return deliver(c); });
  }
  Result<void> reset() override {
    md5_ = std::make_unique<Md5>();
    sha_ = std::make_unique<Sha256>();
    decompressor_.reset();
    return out_.reset();
  }
  Result<void> finish() {
    if (decompressor_) {
      return decompressor_->finish([this](std::string_view c) { return deliver(c); });
    }
    if (codec_ != Codec::none) {
      return unexpected(ErrorCode::integrity,
                        "an empty body cannot be " + std::string(to_string(codec_)) + " data");
    }
    return {};
  }
  std::string sha256() { return hex_of(sha_->finish()); }
  std::string md5() { return hex_of(md5_->finish()); }

 private:
  Result<void> deliver(std::string_view chunk) {
    sha_->update(chunk);
    return out_.write(chunk);
  }

  Codec codec_;
  http::BodySink& out_;
  bool want_md5_;
  std::unique_ptr<Md5> md5_ = std::make_unique<Md5>();
  std::unique_ptr<Sha256> sha_ = std::make_unique<Sha256>();
  std::optional<Decompressor> decompressor_;
};

class FileSink final : public http::BodySink {
 public:
  explicit FileSink(std::string path) : path_(std::move(path)) {}
  Result<void> open() {
    file_.open(path_, std::ios::binary | std::ios::trunc);
    if (!file_) {
      return unexpected(ErrorCode::invalid_argument, "cannot open " + path_ + " for writing");
    }
    return {};
  }
  Result<void> write(std::string_view chunk) override {
    file_.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (!file_) return unexpected(ErrorCode::internal, "cannot write " + path_);
    return {};
  }
  Result<void> reset() override {
    file_.close();
    return open();
  }
  Result<void> close() {
    file_.close();
    if (file_.fail()) return unexpected(ErrorCode::internal, "cannot write " + path_);
    return {};
  }

 private:
  std::string path_;
  std::ofstream file_;
};

}  // namespace

Result<std::string> fetch_large(const LargeLocation& location,
                                const std::optional<aws::S3Client>& client) {
  DYNAMATE_ASSIGN_OR_RETURN(aws::S3Client s3, client_for(location, client));
  auto got = s3.get_object(location.bucket, location.key);
  if (!got) return unexpected(read_error(location, std::move(got).error()));
  std::string stored = got->body.release();
  DYNAMATE_ASSIGN_OR_RETURN(Codec codec, codec_of(location, got->info, stored));
  const std::string want_md5 = expected_md5(location);
  const std::string got_md5 = want_md5.empty() ? std::string() : md5_hex(stored);
  std::string value;
  if (codec == Codec::none) {
    value = std::move(stored);
  } else {
    auto plain = decompress(codec, stored);
    if (!plain) {
      Error e = std::move(plain).error();
      e.with_context("decoding " + location.uri);
      return unexpected(std::move(e));
    }
    value = std::move(*plain);
  }
  const std::string want_sha = expected_sha256(location, got->info);
  DYNAMATE_TRY(check_hashes(location, want_sha, want_sha.empty() ? "" : sha256_hex(value), want_md5,
                            got_md5));
  return value;
}

Result<void> stream_large(const LargeLocation& location, const std::optional<aws::S3Client>& client,
                          http::BodySink& sink) {
  DYNAMATE_ASSIGN_OR_RETURN(aws::S3Client s3, client_for(location, client));
  // The codec and expected hash come with the headers, before the body: a
  // HEAD first, then a GET of that very object (If-Match).
  auto head = s3.head_object(location.bucket, location.key);
  if (!head) return unexpected(read_error(location, std::move(head).error()));
  Codec codec = Codec::none;
  if (!head->content_encoding.empty() && head->content_encoding != "identity") {
    DYNAMATE_ASSIGN_OR_RETURN(codec, codec_of(location, *head, {}));
  } else if (const auto* f = field_of(location);
             (f != nullptr && f->codec != Codec::none) ||
             location.key.find("s3backed/") != std::string::npos) {
    // Objects without Content-Encoding (written by others): sniff 4 bytes.
    auto first = s3.get_object(location.bucket, location.key,
                               {.range = aws::ByteRange{0, 3}, .if_match = head->etag});
    if (!first) return unexpected(read_error(location, std::move(first).error()));
    DYNAMATE_ASSIGN_OR_RETURN(codec, codec_of(location, *head, first->body.view()));
  }
  const std::string want_md5 = expected_md5(location);
  DecodingSink decoding(codec, sink, !want_md5.empty());
  auto got = s3.get_object(location.bucket, location.key, decoding, {.if_match = head->etag});
  if (!got) return unexpected(read_error(location, std::move(got).error()));
  if (auto r = decoding.finish(); !r) {
    Error e = std::move(r).error();
    e.with_context("decoding " + location.uri);
    return unexpected(std::move(e));
  }
  const std::string want_sha = expected_sha256(location, *head);
  return check_hashes(location, want_sha, want_sha.empty() ? "" : decoding.sha256(), want_md5,
                      want_md5.empty() ? "" : decoding.md5());
}

Result<void> write_file_atomically(const std::string& path,
                                   const std::function<Result<void>(http::BodySink&)>& produce) {
  const std::string temp = path + ".dynamate-" + new_write_id() + ".tmp";
  FileSink file(temp);
  DYNAMATE_TRY(file.open());
  auto r = produce(file);
  if (r) r = file.close();
  std::error_code ec;
  if (r) {
    std::filesystem::rename(temp, path, ec);
    if (!ec) return {};
    r = unexpected(ErrorCode::internal,
                   "cannot rename " + temp + " to " + path + ": " + ec.message());
  }
  static_cast<void>(file.close());  // already reporting an error
  std::filesystem::remove(temp, ec);
  return r;
}

Result<void> stream_large_to_file(const LargeLocation& location,
                                  const std::optional<aws::S3Client>& client,
                                  const std::string& path) {
  return write_file_atomically(
      path, [&](http::BodySink& sink) { return stream_large(location, client, sink); });
}

}  // namespace dynamate::detail
