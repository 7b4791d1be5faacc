// large_writer: the child process of tests/integration/large_kill_test.cpp.
// It writes items with large attributes in a loop until it is killed, so that
// the parent can SIGKILL it at any point of the protocol.
//
//   large_writer setup TABLE                    creates the table, exits 0
//   large_writer run TABLE BUCKET PREFIX SEED   save/update/remove forever
//
// The endpoints come from $DYNAMATE_LOCAL_AWS, as for the tests. `run`
// prints "start" once ready, then one line per finished operation to stdout;
// on any unexpected error
// it prints it to stderr and exits with status 3 (a single writer meets no
// conflicts, so every error is unexpected).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "dynamate/table.hpp"
#include "support/local_aws.hpp"

namespace large_kill {

// Keep in sync with kAttributes in large_kill_test.cpp.
struct Doc {
  std::string id;
  dynamate::LargeText body;   // per-item keys, gzip
  dynamate::LargeBytes blob;  // per-item keys
  dynamate::LargeText tag;    // shared layout
  std::int64_t views = 0;
  std::int64_t version = 0;
};

}  // namespace large_kill

template <>
inline constexpr auto dynamate::schema_of<large_kill::Doc> = dynamate::schema<large_kill::Doc>(
    "docs", dynamate::hash_key("id", &large_kill::Doc::id),
    dynamate::large("body", &large_kill::Doc::body, {.codec = dynamate::Codec::gzip}),
    dynamate::large("blob", &large_kill::Doc::blob),
    dynamate::large("tag", &large_kill::Doc::tag, {.layout = dynamate::KeyLayout::shared}),
    dynamate::attribute("views", &large_kill::Doc::views),
    dynamate::version("version", &large_kill::Doc::version));

namespace {

using dynamate::ErrorCode;
using large_kill::Doc;

[[noreturn]] void die(const std::string& what, const dynamate::Error& e) {
  std::fprintf(stderr, "large_writer: %s: %s\n", what.c_str(), e.to_string().c_str());
  std::exit(3);
}

std::string value(std::mt19937_64& rng, char kind) {
  // A small pool, so that values come back (A -> B -> A) and repeat.
  const auto pick = static_cast<int>(rng() % 4);
  const std::size_t size = 2000 + static_cast<std::size_t>(pick) * 15000;
  std::string s(1, kind);
  s += std::to_string(pick) + ":";
  for (std::size_t i = s.size(); i < size; ++i) {
    s.push_back(static_cast<char>('a' + (i * 7 + static_cast<std::size_t>(pick)) % 26));
  }
  return s;
}

// Changes some large fields of `d` (at least one).
void change(Doc& d, std::mt19937_64& rng) {
  const auto mask = 1 + rng() % 7;
  if ((mask & 1) != 0) d.body = value(rng, 'b');
  if ((mask & 2) != 0) {
    if (rng() % 5 == 0) {
      d.blob.clear();
    } else {
      d.blob = dynamate::Bytes(value(rng, 'x'));
    }
  }
  if ((mask & 4) != 0) d.tag = value(rng, 't');
}

int run(const dynamate::Table<Doc>& docs, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::printf("start\n");
  std::fflush(stdout);
  for (std::uint64_t n = 0;; ++n) {
    const std::string id = "doc-" + std::to_string(rng() % 3);
    auto got = docs.get(id);
    Doc d{.id = id};
    if (got) {
      d = std::move(*got);
    } else if (got.error().code != ErrorCode::not_found) {
      die("get " + id, got.error());
    }
    const auto op = rng() % 4;
    if (op == 0 && got) {
      auto r = docs.remove(d);
      if (!r) die("remove " + id, r.error());
    } else if (op == 1 && got) {
      change(d, rng);
      auto r = docs.update(d, {dynamate::add(&Doc::views, 1)});
      if (!r) die("update " + id, r.error());
    } else {
      change(d, rng);
      auto r = docs.save(d);
      if (!r) die("save " + id, r.error());
    }
    std::printf("%llu\n", static_cast<unsigned long long>(n));
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (!((mode == "setup" && argc == 3) || (mode == "run" && argc == 6))) {
    std::fprintf(stderr,
                 "usage: large_writer setup TABLE | large_writer run TABLE BUCKET PREFIX SEED\n");
    return 2;
  }
  try {
    auto ddb = dynamate::aws::DynamoDbClient::create(dynamate::test::dynamodb_config());
    auto s3 = dynamate::aws::S3Client::create(dynamate::test::s3_config());
    if (!ddb || !s3) {
      std::fprintf(stderr, "large_writer: cannot create the clients\n");
      return 3;
    }
    dynamate::TableConfig config{.table_name = argv[2], .consistent_read = true};
    if (mode == "setup") {
      dynamate::Table<Doc> docs(*ddb, config);
      auto created = docs.create_table();
      if (!created) die("create table", created.error());
      return 0;
    }
    config.large = {.s3 = *s3, .bucket = argv[3], .prefix = argv[4]};
    dynamate::Table<Doc> docs(*ddb, config);
    return run(docs, std::strtoull(argv[5], nullptr, 10));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "large_writer: %s\n", e.what());
    return 3;
  }
}
