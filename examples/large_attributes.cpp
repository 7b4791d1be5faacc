// Large attributes: a crawler's page whose HTML (gzip) and cover image live in
// S3 while the item holds their s3:// URIs. Saves, reads lazily, changes one
// field (the old object is deleted, the unchanged one is not uploaded again),
// streams a value to a file, removes the item (and its objects), and runs the
// GC over the prefix.
//
//   AWS_REGION=us-east-1 AWS_ENDPOINT_URL_DYNAMODB=... AWS_ENDPOINT_URL_S3=...
//   ./example_large_attributes [NAME_PREFIX]
//
// Creates the table NAME_PREFIX + "example-crawl" and a bucket named after it,
// and deletes both again.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include <dynamate/dynamate.hpp>
#include <dynamate/large_gc.hpp>

struct Page {
  std::string url;
  dynamate::LargeText html;    // text, stored gzip-compressed
  dynamate::LargeBytes cover;  // binary, stored as it is
  std::int64_t visits = 0;
  std::int64_t version = 0;
};

template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "example-crawl", dynamate::hash_key("url", &Page::url),
    dynamate::large("html", &Page::html, {.codec = dynamate::Codec::gzip}),
    dynamate::large("cover", &Page::cover, {.content_type = "image/png"}),
    dynamate::attribute("visits", &Page::visits), dynamate::version("version", &Page::version));

namespace {

int fail(const char* what, const dynamate::Error& e) {
  std::fprintf(stderr, "%s: %s\n", what, e.to_string().c_str());
  return 1;
}

// A valid bucket name from the table prefix: lowercase letters, digits, '-'.
std::string bucket_name(const std::string& prefix) {
  std::string s;
  for (char c : prefix + "example-crawl-blobs") {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    s.push_back((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-');
  }
  return s.substr(0, 63);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace dynamate;
  using namespace std::chrono_literals;
  const std::string prefix = argc > 1 ? argv[1] : "";
  auto ddb = aws::DynamoDbClient::from_environment();
  if (!ddb) return fail("dynamodb client", ddb.error());
  auto s3_config = aws::config_from_environment("s3");
  if (!s3_config) return fail("s3 config", s3_config.error());
  auto s3 = aws::S3Client::create(std::move(*s3_config));
  if (!s3) return fail("s3 client", s3.error());

  const std::string bucket = bucket_name(prefix);
  if (auto r = s3->create_bucket(bucket); !r && r.error().code != ErrorCode::already_exists) {
    return fail("create_bucket", r.error());
  }
  Table<Page> pages(
      *ddb, {.name_prefix = prefix, .large = {.s3 = *s3, .bucket = bucket, .prefix = "pages/"}});
  if (auto r = pages.create_table(); !r) return fail("create_table", r.error());

  Page page{.url = "https://python.org"};
  page.html = "<html>" + std::string(200 * 1024, 'x') + "</html>";  // 200 KB of text
  page.cover = Bytes(std::string(300 * 1024, '\x7f'));              // 300 KB image
  if (auto r = pages.save(page); !r) return fail("save", r.error());
  std::printf("saved: html at %s\n", page.html.uri().c_str());

  auto got = pages.get("https://python.org");  // no S3 call yet
  if (!got) return fail("get", got.error());
  if (auto r = got->html.load(); !r) return fail("load html", r.error());  // fetched, checked
  std::printf("read back %zu bytes of html\n", got->html.value().size());

  // Change one field: it is uploaded, the other is not; the old object goes.
  const std::string cover_uri = got->cover.uri();
  got->html = "<html>updated</html>";
  if (auto r = pages.update(*got, {add(&Page::visits, 1)}); !r) return fail("update", r.error());
  std::printf("updated: visits %lld, cover unchanged: %s\n", static_cast<long long>(got->visits),
              got->cover.uri() == cover_uri ? "yes" : "no");

  // Stream a value to a file without holding it in memory.
  const auto file = std::filesystem::temp_directory_path() / (prefix + "example-cover.png");
  if (auto r = got->cover.download_to_file(file.string()); !r) return fail("download", r.error());
  std::printf("cover written to a file: %llu bytes\n",
              static_cast<unsigned long long>(std::filesystem::file_size(file)));
  std::filesystem::remove(file);

  // Remove the item: its objects are deleted after the item.
  if (auto r = pages.remove(*got); !r) return fail("remove", r.error());

  // Nothing is left for the GC (grace 0: no other writer runs here).
  auto gc = gc_large_objects(pages, {.grace = 0s});
  if (!gc) return fail("gc", gc.error());
  std::printf("gc: %llu objects listed, %zu orphans deleted\n",
              static_cast<unsigned long long>(gc->listed), gc->deleted.size());

  if (auto r = pages.delete_table(); !r) return fail("delete_table", r.error());
  if (auto r = s3->delete_bucket(bucket); !r) return fail("delete_bucket", r.error());
  return 0;
}
