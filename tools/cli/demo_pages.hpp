// The demo's model and data: crawled pages of a site, each with its HTML
// (text, gzip) and a cover image (binary) kept in S3 as large attributes;
// deterministic content so that every read can be checked byte for byte.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include "dynamate/table.hpp"

namespace dynamate::cli {

struct Page {
  std::string site;
  std::string path;
  std::string title;
  std::int64_t visits = 0;
  std::set<std::string> tags;
  std::chrono::sys_time<std::chrono::microseconds> fetched_at{};
  LargeText html;
  LargeBytes cover;
  std::int64_t version = 0;
};

}  // namespace dynamate::cli

template <>
inline constexpr auto dynamate::schema_of<dynamate::cli::Page> =
    dynamate::schema<dynamate::cli::Page>(
        "pages", dynamate::hash_key("site", &dynamate::cli::Page::site),
        dynamate::range_key("path", &dynamate::cli::Page::path),
        dynamate::attribute("title", &dynamate::cli::Page::title),
        dynamate::attribute("visits", &dynamate::cli::Page::visits),
        dynamate::attribute("tags", &dynamate::cli::Page::tags),
        dynamate::attribute("fetched_at", &dynamate::cli::Page::fetched_at),
        dynamate::large("html", &dynamate::cli::Page::html,
                        {.codec = dynamate::Codec::gzip,
                         .content_type = "text/html; charset=utf-8"}),
        dynamate::large("cover", &dynamate::cli::Page::cover, {.content_type = "image/png"}),
        dynamate::version("version", &dynamate::cli::Page::version),
        dynamate::global_index("by_visits", &dynamate::cli::Page::site,
                               &dynamate::cli::Page::visits, dynamate::projection::keys_only()));

namespace dynamate::cli {

inline constexpr const char* kDemoSite = "python.org";

std::string page_path(int i);
// The HTML of page i in its revision `revision` (tens of KB, compressible).
std::string page_html(int i, int revision);
// The cover image of page i (100-200 KB, incompressible).
std::string page_cover(int i);
// Page i as first crawled (values in memory, not saved yet).
Page make_page(int i);

// A failed check of the demo (ErrorCode::integrity).
Error check_failed(std::string what);
// Reads page i back and checks both values byte for byte (revision of the
// HTML), and that the get itself fetched nothing (lazy). Adds the bytes read
// to *bytes.
Result<void> verify_page(const Table<Page>& pages, int i, int revision,
                         std::atomic<std::uint64_t>* bytes);

// Runs task(0) .. task(n-1) on up to `workers` threads; the first error.
Result<void> for_each_parallel(int n, int workers, const std::function<Result<void>(int)>& task);

// What is under a prefix of a bucket.
struct ObjectStats {
  std::size_t objects = 0;
  std::uint64_t bytes = 0;
};
Result<ObjectStats> object_stats(const aws::S3Client& s3, const std::string& bucket,
                                 const std::string& prefix);

// "1.23 MB"
std::string megabytes(std::uint64_t bytes);

}  // namespace dynamate::cli
