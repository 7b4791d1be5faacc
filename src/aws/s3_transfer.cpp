// S3Client::upload / upload_file: one PutObject below the threshold, else a
// multipart upload whose parts go up in parallel, aborted on failure.
//
// Parts are handed out in order under one lock. For a stream, the part's bytes
// are read under that lock into the worker's own buffer (so at most
// `concurrency` part buffers exist); for a file, a part is just a window
// [offset, offset + length) opened on its own, read by the transport.
//
// No exception leaves a worker (that would call std::terminate): one is turned
// into the run's error, and the upload is aborted like after any failure.
#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>
#include <vector>

#include "aws/s3_internal.hpp"
#include "core/try.hpp"

namespace dynamate::aws {
namespace {

struct PartPlan {
  std::uint64_t total = 0;
  std::uint64_t part_size = 0;
  int parts = 0;
  std::uint64_t length_of(int index) const {
    const std::uint64_t offset = static_cast<std::uint64_t>(index) * part_size;
    return std::min(part_size, total - offset);
  }
};

Result<void> check_size(std::uint64_t size) {
  if (size > kS3MaxObjectSize) {
    return unexpected(ErrorCode::invalid_argument,
                      "object of " + std::to_string(size) + " bytes is over S3's 5 TiB limit");
  }
  return {};
}

Result<void> check_upload(std::string_view bucket, std::string_view key,
                          const UploadOptions& options) {
  DYNAMATE_TRY(detail::check_bucket_and_key(bucket, key));
  DYNAMATE_TRY(detail::check_attributes(options.attributes));
  if (options.payload.content_md5) {
    return unexpected(ErrorCode::invalid_argument,
                      "content_md5 is not available for streamed uploads; use checksum_sha256");
  }
  return {};
}

Result<PartPlan> plan_parts(std::uint64_t total, const UploadOptions& options) {
  if (options.part_size < kS3MinPartSize || options.part_size > kS3MaxPartSize) {
    return unexpected(ErrorCode::invalid_argument,
                      "part_size " + std::to_string(options.part_size) +
                          " is outside S3's 5 MiB..5 GiB part size range");
  }
  if (options.concurrency < 1) {
    return unexpected(ErrorCode::invalid_argument, "concurrency must be at least 1");
  }
  PartPlan plan;
  plan.total = total;
  // Grow the parts so that the object fits into 10000 of them.
  const std::uint64_t max_parts = kS3MaxParts;
  plan.part_size = std::max(options.part_size, (total + max_parts - 1) / max_parts);
  plan.parts = total == 0 ? 1 : static_cast<int>((total + plan.part_size - 1) / plan.part_size);
  return plan;
}

// A part's body: bytes in memory, or a stream (a file window).
struct PartBody {
  std::string memory;
  std::shared_ptr<http::BodySource> stream;
};
// Produces part `index` (0-based) of `length` bytes; called in part order,
// one at a time.
using FetchPart = std::function<Result<PartBody>(int index, std::uint64_t length)>;

class MultipartRun {
 public:
  MultipartRun(const S3Client& client, std::string_view bucket, std::string_view key,
               const UploadOptions& options, PartPlan plan)
      : client_(client),
        bucket_(bucket),
        key_(key),
        options_(options),
        plan_(plan),
        parts_(static_cast<std::size_t>(plan.parts)) {
    part_payload_ = options.payload;
    part_payload_.sha256_hex.reset();  // the whole body's hash, not a part's
  }

  Result<UploadResult> run(const FetchPart& fetch) {
    DYNAMATE_ASSIGN_OR_RETURN(
        upload_id_, client_.create_multipart_upload(
                        bucket_, key_, {options_.attributes, options_.payload.checksum_sha256}));
    start_workers_and_join(fetch);
    if (out_of_memory_) {
      return abort_with(Error(ErrorCode::internal, "out of memory in an upload worker"));
    }
    if (error_) return abort_with(std::move(*error_));
    auto done = client_.complete_multipart_upload(bucket_, key_, upload_id_, parts_,
                                                  {options_.if_none_match});
    if (!done) return abort_with(std::move(done).error(), /*after_complete=*/true);
    return UploadResult{done->etag, done->version_id, done->checksum_sha256, plan_.parts};
  }

 private:
  // Runs work() on `concurrency` threads (this one included) until every part
  // is sent or one fails. A thread that cannot be started just leaves its
  // share to the others.
  void start_workers_and_join(const FetchPart& fetch) {
    const int extra = std::min(options_.concurrency, plan_.parts) - 1;
    std::vector<std::jthread> threads;
    try {
      threads.reserve(static_cast<std::size_t>(extra));
      for (int i = 0; i < extra; ++i) threads.emplace_back([&] { work(fetch); });
    } catch (const std::system_error&) {
      // Thread limit reached: carry on with the workers already running.
    } catch (const std::bad_alloc&) {
      // Likewise.
    }
    work(fetch);
  }  // joins

  // A worker: never throws. An exception (bad_alloc of a part buffer, or one
  // from the body source or transport) becomes the run's error.
  void work(const FetchPart& fetch) noexcept {
    try {
      work_parts(fetch);
    } catch (...) {
      fail_from_exception(std::current_exception());
    }
  }

  // Records the exception as the first failure; if even that throws (no
  // memory left), sets out_of_memory_, which also stops the run.
  void fail_from_exception(const std::exception_ptr& thrown) noexcept {
    try {
      std::string what;
      try {
        std::rethrow_exception(thrown);
      } catch (const std::bad_alloc&) {
        what = "out of memory (part buffers take up to concurrency * part_size = " +
               std::to_string(static_cast<std::uint64_t>(options_.concurrency) * plan_.part_size) +
               " bytes; lower part_size or concurrency)";
      } catch (const std::exception& e) {
        what = std::string("exception: ") + e.what();
      } catch (...) {
        what = "unknown exception";
      }
      Error error(ErrorCode::internal, "upload s3://" + std::string(bucket_) + "/" +
                                           std::string(key_) + ": worker failed: " + what);
      std::lock_guard lock(mu_);
      if (!error_) error_ = std::move(error);
    } catch (...) {
      out_of_memory_ = true;
    }
  }

  void work_parts(const FetchPart& fetch) {
    for (;;) {
      int index = 0;
      Result<PartBody> body = PartBody{};
      {
        std::lock_guard lock(mu_);
        if (error_ || out_of_memory_ || next_ >= plan_.parts) return;
        index = next_++;
        body = fetch(index, plan_.length_of(index));
      }
      Result<CompletedPart> part = send(index + 1, std::move(body));
      std::lock_guard lock(mu_);
      if (!part) {
        if (!error_) error_ = std::move(part).error();
        return;
      }
      parts_[static_cast<std::size_t>(index)] = std::move(*part);
    }
  }

  Result<CompletedPart> send(int number, Result<PartBody> body) const {
    if (!body) return unexpected(std::move(body).error());
    if (body->stream) {
      return client_.upload_part(bucket_, key_, upload_id_, number, std::move(body->stream),
                                 part_payload_);
    }
    return client_.upload_part(bucket_, key_, upload_id_, number, std::move(body->memory),
                               part_payload_);
  }

  // Aborts the upload and returns `error`. `after_complete`: `error` is
  // CompleteMultipartUpload's; if it is ambiguous (a retry after a lost answer
  // found NoSuchUpload or, with if_none_match, the object our own earlier
  // attempt created), the upload may be complete, and an abort finding no
  // upload is what that looks like rather than a second failure.
  Unexpected abort_with(Error error, bool after_complete = false) {
    auto aborted = client_.abort_multipart_upload(bucket_, key_, upload_id_);
    if (aborted) return unexpected(std::move(error));
    if (after_complete && error.ambiguous && aborted.error().code == ErrorCode::not_found) {
      error.message += "; upload " + upload_id_ +
                       " is gone (AbortMultipartUpload: NoSuchUpload), so it most likely "
                       "completed and the object is this upload's";
    } else {
      error.message +=
          "; aborting upload " + upload_id_ + " failed too: " + aborted.error().to_string();
    }
    return unexpected(std::move(error));
  }

  const S3Client& client_;
  std::string_view bucket_;
  std::string_view key_;
  const UploadOptions& options_;
  PartPlan plan_;
  PayloadOptions part_payload_;
  std::string upload_id_;
  std::mutex mu_;
  int next_ = 0;                            // guarded by mu_
  std::optional<Error> error_;              // guarded by mu_; the first failure
  std::atomic<bool> out_of_memory_{false};  // a failure that could not be recorded
  std::vector<CompletedPart> parts_;        // each slot written by one worker
};

PutObjectOptions single_put_options(const UploadOptions& options) {
  PutObjectOptions put;
  put.attributes = options.attributes;
  put.payload = options.payload;
  put.if_none_match = options.if_none_match;
  return put;
}

UploadResult single_put_result(const PutObjectResult& put) {
  return UploadResult{put.etag, put.version_id, put.checksum_sha256, 0};
}

// Reads exactly out.size() bytes.
Result<void> read_exactly(http::BodySource& source, std::span<char> out, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < out.size()) {
    DYNAMATE_ASSIGN_OR_RETURN(const std::size_t n, source.read(out.subspan(done)));
    if (n == 0) {
      return unexpected(ErrorCode::invalid_argument,
                        "body source ended at byte " + std::to_string(offset + done) +
                            ", before the " + std::to_string(source.size()) +
                            " bytes its size() promised");
    }
    done += n;
  }
  return {};
}

}  // namespace

Result<UploadResult> S3Client::upload(std::string_view bucket, std::string_view key,
                                      std::shared_ptr<http::BodySource> body,
                                      const UploadOptions& options) const {
  if (!body) return unexpected(ErrorCode::invalid_argument, "upload body source is null");
  DYNAMATE_TRY(check_upload(bucket, key, options));
  const std::uint64_t size = body->size();
  DYNAMATE_TRY(check_size(size));
  if (size < options.multipart_threshold) {
    DYNAMATE_ASSIGN_OR_RETURN(
        const auto put, put_object(bucket, key, std::move(body), single_put_options(options)));
    return single_put_result(put);
  }
  DYNAMATE_ASSIGN_OR_RETURN(const PartPlan plan, plan_parts(size, options));
  // Parts are read straight from the source (no hashing pass rewinds it
  // first), and the object starts at its first byte.
  DYNAMATE_TRY(body->rewind());
  MultipartRun run(*this, bucket, key, options, plan);
  std::uint64_t offset = 0;
  return run.run([&](int /*index*/, std::uint64_t length) -> Result<PartBody> {
    PartBody part;
    part.memory.resize(static_cast<std::size_t>(length));
    DYNAMATE_TRY(read_exactly(*body, part.memory, offset));
    offset += length;
    return part;
  });
}

Result<UploadResult> S3Client::upload_file(std::string_view bucket, std::string_view key,
                                           const std::string& path,
                                           const UploadOptions& options) const {
  DYNAMATE_TRY(check_upload(bucket, key, options));
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    return unexpected(ErrorCode::invalid_argument, "cannot upload " + path + ": " + ec.message());
  }
  DYNAMATE_TRY(check_size(size));
  if (size < options.multipart_threshold) {
    DYNAMATE_ASSIGN_OR_RETURN(auto source, http::file_body_source(path));
    DYNAMATE_ASSIGN_OR_RETURN(
        const auto put, put_object(bucket, key, std::move(source), single_put_options(options)));
    return single_put_result(put);
  }
  DYNAMATE_ASSIGN_OR_RETURN(const PartPlan plan, plan_parts(size, options));
  MultipartRun run(*this, bucket, key, options, plan);
  return run.run([&](int index, std::uint64_t length) -> Result<PartBody> {
    PartBody part;
    DYNAMATE_ASSIGN_OR_RETURN(
        part.stream, http::file_range_body_source(
                         path, static_cast<std::uint64_t>(index) * plan.part_size, length));
    return part;
  });
}

}  // namespace dynamate::aws
