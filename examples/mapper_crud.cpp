// The object mapper's basic cycle: declare a model once, create its table from
// the schema, then save, get, update, refresh and remove items, with typed
// conditions and the errors a caller handles (not_found, condition_failed).
//
//   AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:8000 ./example_mapper_crud
//   [TABLE_PREFIX]
//
// Creates TABLE_PREFIX + "example-pages", uses it and deletes it again.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <dynamate/dynamate.hpp>

struct Page {
  std::string url;
  std::optional<std::string> title;
  std::int64_t visits = 0;  // member initializers are the defaults
  double rank = 0.5;
  bool archived = false;
  std::vector<std::string> links;
  std::map<std::string, std::string> headers;
  std::set<std::string> tags;
  std::chrono::sys_time<std::chrono::microseconds> fetched_at{};
  std::int64_t version = 0;  // optimistic locking
};

template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "example-pages", dynamate::hash_key("url", &Page::url),
    dynamate::attribute("title", &Page::title), dynamate::attribute("visits", &Page::visits),
    dynamate::attribute("rank", &Page::rank), dynamate::attribute("archived", &Page::archived),
    dynamate::attribute("links", &Page::links), dynamate::attribute("headers", &Page::headers),
    dynamate::attribute("tags", &Page::tags), dynamate::attribute("fetched_at", &Page::fetched_at),
    dynamate::version("version", &Page::version));

namespace {

int fail(const char* what, const dynamate::Error& e) {
  std::fprintf(stderr, "%s: %s\n", what, e.to_string().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace dynamate;
  auto ddb = aws::DynamoDbClient::from_environment();
  if (!ddb) return fail("client", ddb.error());
  Table<Page> pages(*ddb, {.name_prefix = argc > 1 ? argv[1] : ""});
  if (auto r = pages.create_table(); !r) return fail("create_table", r.error());

  Page page{.url = "https://python.org", .title = "Welcome to Python.org"};
  page.links = {"https://docs.python.org", "https://pypi.org"};
  page.headers = {{"content-type", "text/html"}};
  page.tags = {"language", "docs"};
  page.fetched_at = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  if (auto r = pages.save(page); !r) return fail("save", r.error());
  std::printf("saved %s, version %lld\n", page.url.c_str(), static_cast<long long>(page.version));

  auto got = pages.get("https://python.org");
  if (!got) return fail("get", got.error());
  std::printf("got \"%s\" with %zu links\n", got->title.value_or("").c_str(), got->links.size());

  // Typed update: the new values come back into `got`.
  auto updated = pages.update(
      *got,
      {add(&Page::visits, 1), set(&Page::rank, 0.9), remove(field(&Page::headers)["content-type"])},
      {.condition = field(&Page::archived) == false});
  if (!updated) return fail("update", updated.error());
  std::printf("visits %lld, rank %.1f, version %lld\n", static_cast<long long>(got->visits),
              got->rank, static_cast<long long>(got->version));

  // `page` still holds version 1: saving it now would overwrite the update, so
  // optimistic locking refuses it.
  if (auto stale = pages.save(page); stale || stale.error().code != ErrorCode::condition_failed) {
    std::fprintf(stderr, "expected the stale save to fail with condition_failed\n");
    return 1;
  }
  std::puts("stale save refused: condition_failed");
  if (auto r = pages.refresh(page); !r) return fail("refresh", r.error());

  if (auto r = pages.remove(page); !r) return fail("remove", r.error());
  if (auto gone = pages.get("https://python.org");
      gone || gone.error().code != ErrorCode::not_found) {
    std::fprintf(stderr, "expected not_found after remove\n");
    return 1;
  }
  std::puts("removed; get answers not_found");
  if (auto r = pages.delete_table(); !r) return fail("delete_table", r.error());
  return 0;
}
