#include "demo_pages.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

namespace dynamate::cli {
namespace {

constexpr const char* kWords[] = {"python", "release",  "download", "documentation", "community",
                                  "events", "success",  "stories",  "news",          "package",
                                  "index",  "tutorial", "library",  "module",        "async",
                                  "typing", "data",     "science",  "web",           "scripting"};

}  // namespace

std::string page_path(int i) { return "/page/" + std::to_string(1000 + i); }

std::string page_html(int i, int revision) {
  std::mt19937 rng(static_cast<std::uint32_t>(i * 7919 + revision * 104729 + 1));
  const int paragraphs = 150 + static_cast<int>(rng() % 150);  // about 20-60 KB
  std::string out = "<!doctype html>\n<html><head><title>Page " + std::to_string(i) +
                    " (revision " + std::to_string(revision) + ")</title></head><body>\n";
  for (int p = 0; p < paragraphs; ++p) {
    out += "<p>";
    const int words = 12 + static_cast<int>(rng() % 20);
    for (int w = 0; w < words; ++w) {
      if (w != 0) out += ' ';
      out += kWords[rng() % std::size(kWords)];
    }
    out += ".</p>\n";
  }
  out += "</body></html>\n";
  return out;
}

std::string page_cover(int i) {
  std::mt19937_64 rng(static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ull + 7);
  const std::size_t size = 100 * 1024 + static_cast<std::size_t>(rng() % (100 * 1024));
  std::string out("\x89PNG\r\n\x1a\n", 8);
  out.reserve(size);
  while (out.size() < size) {
    std::uint64_t r = rng();
    for (int b = 0; b < 8 && out.size() < size; ++b, r >>= 8) {
      out.push_back(static_cast<char>(r & 0xff));
    }
  }
  return out;
}

Page make_page(int i) {
  Page p;
  p.site = kDemoSite;
  p.path = page_path(i);
  p.title = "Page " + std::to_string(i);
  p.visits = i * 10;
  p.tags = {"docs", "python"};
  p.fetched_at = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  p.html = page_html(i, 1);
  p.cover = Bytes(page_cover(i));
  return p;
}

Error check_failed(std::string what) { return Error(ErrorCode::integrity, std::move(what)); }

Result<void> verify_page(const Table<Page>& pages, int i, int revision,
                         std::atomic<std::uint64_t>* bytes) {
  auto got = pages.get(kDemoSite, page_path(i));
  if (!got) return unexpected(std::move(got).error());
  if (got->html.loaded() || got->cover.loaded()) {
    return unexpected(check_failed(page_path(i) + ": get() fetched a value (not lazy)"));
  }
  auto html = got->html.get();
  if (!html) return unexpected(std::move(html).error());
  if (*html != page_html(i, revision)) {
    return unexpected(check_failed(page_path(i) + ": the HTML read back differs"));
  }
  auto cover = got->cover.get();
  if (!cover) return unexpected(std::move(cover).error());
  if (cover->view() != page_cover(i)) {
    return unexpected(check_failed(page_path(i) + ": the cover read back differs"));
  }
  *bytes += html->size() + cover->size();
  return {};
}

Result<void> for_each_parallel(int n, int workers, const std::function<Result<void>(int)>& task) {
  std::atomic<int> next{0};
  std::mutex mu;
  std::optional<Error> first;
  auto work = [&] {
    for (;;) {
      const int i = next.fetch_add(1);
      if (i >= n) return;
      {
        std::lock_guard lock(mu);
        if (first) return;  // stop early after a failure
      }
      if (auto r = task(i); !r) {
        std::lock_guard lock(mu);
        if (!first) first = std::move(r).error();
      }
    }
  };
  {
    std::vector<std::jthread> pool;
    for (int t = 1; t < std::min(n, workers); ++t) pool.emplace_back(work);
    work();
  }
  if (first) return unexpected(std::move(*first));
  return {};
}

Result<ObjectStats> object_stats(const aws::S3Client& s3, const std::string& bucket,
                                 const std::string& prefix) {
  aws::ListObjectsOptions o;
  o.prefix = prefix;
  auto all = s3.list_all_objects(bucket, o);
  if (!all) return unexpected(std::move(all).error());
  ObjectStats out;
  for (const auto& object : all->objects) {
    ++out.objects;
    out.bytes += object.size;
  }
  return out;
}

std::string megabytes(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

}  // namespace dynamate::cli
