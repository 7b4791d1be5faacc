// Header lookup and the stock body sources.
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "dynamate/aws/http.hpp"

namespace dynamate::http {

namespace {
bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

// Reads `view_`: bytes it owns (`owned_`) or bytes its caller keeps alive.
class StringSource final : public BodySource {
 public:
  explicit StringSource(std::string data) : owned_(std::move(data)), view_(owned_) {}
  explicit StringSource(std::string_view data) : view_(data) {}
  std::uint64_t size() const override { return view_.size(); }
  Result<std::size_t> read(std::span<char> out) override {
    const std::size_t n = std::min(out.size(), view_.size() - pos_);
    std::memcpy(out.data(), view_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  Result<void> rewind() override {
    pos_ = 0;
    return {};
  }

 private:
  std::string owned_;
  std::string_view view_;
  std::size_t pos_ = 0;
};

class FileSource final : public BodySource {
 public:
  FileSource(std::FILE* f, std::string path, std::uint64_t offset, std::uint64_t length)
      : f_(f), path_(std::move(path)), offset_(offset), length_(length) {}
  ~FileSource() override { std::fclose(f_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  std::uint64_t size() const override { return length_; }
  Result<std::size_t> read(std::span<char> out) override {
    if (!positioned_) {
      auto r = rewind();
      if (!r) return unexpected(std::move(r).error());
    }
    const std::uint64_t left = length_ - done_;
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), left));
    if (want == 0) return std::size_t{0};
    const std::size_t got = std::fread(out.data(), 1, want, f_);
    if (got == 0) {
      return unexpected(ErrorCode::invalid_argument, "file " + path_ +
                                                         " ended or failed to read at byte " +
                                                         std::to_string(offset_ + done_) +
                                                         " (was it truncated while uploading?)");
    }
    done_ += got;
    return got;
  }
  Result<void> rewind() override {
    if (fseeko(f_, static_cast<off_t>(offset_), SEEK_SET) != 0) {
      return unexpected(ErrorCode::invalid_argument, "cannot seek in " + path_);
    }
    done_ = 0;
    positioned_ = true;
    return {};
  }

 private:
  std::FILE* f_;
  std::string path_;
  std::uint64_t offset_;
  std::uint64_t length_;
  std::uint64_t done_ = 0;
  bool positioned_ = false;
};

}  // namespace

const std::string* find_header(const Headers& headers, std::string_view name) noexcept {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return &v;
  }
  return nullptr;
}

std::shared_ptr<BodySource> string_body_source(std::string data) {
  return std::make_shared<StringSource>(std::move(data));
}

std::shared_ptr<BodySource> view_body_source(std::string_view data) {
  return std::make_shared<StringSource>(data);
}

Result<std::shared_ptr<BodySource>> file_range_body_source(const std::string& path,
                                                           std::uint64_t offset,
                                                           std::uint64_t length) {
  std::error_code ec;
  const auto file_size = std::filesystem::file_size(path, ec);
  if (ec)
    return unexpected(ErrorCode::invalid_argument, "cannot open " + path + ": " + ec.message());
  if (offset > file_size || length > file_size - offset) {
    return unexpected(ErrorCode::invalid_argument,
                      "range " + std::to_string(offset) + "+" + std::to_string(length) +
                          " lies outside " + path + " (" + std::to_string(file_size) + " bytes)");
  }
  // "e": O_CLOEXEC, so the descriptor is not inherited by spawned processes.
  std::FILE* f = std::fopen(path.c_str(), "rbe");
  if (f == nullptr) {
    return unexpected(ErrorCode::invalid_argument,
                      "cannot open " + path + ": " + std::strerror(errno));
  }
  return std::shared_ptr<BodySource>(std::make_shared<FileSource>(f, path, offset, length));
}

Result<std::shared_ptr<BodySource>> file_body_source(const std::string& path) {
  std::error_code ec;
  const auto file_size = std::filesystem::file_size(path, ec);
  if (ec)
    return unexpected(ErrorCode::invalid_argument, "cannot open " + path + ": " + ec.message());
  return file_range_body_source(path, 0, file_size);
}

}  // namespace dynamate::http
