// Positive control: a complete valid model compiles, with a Table, keys,
// expressions, the Table operations and every kind of schema part.
// expect: compiles
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dynamate/dynamate.hpp"

enum class Kind { article, video };
template <>
inline constexpr auto dynamate::enum_names<Kind> =
    dynamate::names<Kind>({{Kind::article, "article"}, {Kind::video, "video"}});

struct Author {
  std::string name;
  std::optional<std::string> email;
};
template <>
inline constexpr auto dynamate::schema_of<Author> =
    dynamate::schema<Author>(dynamate::attribute("name", &Author::name, {.required = true}),
                             dynamate::attribute("email", &Author::email));

struct Page {
  std::string site;
  std::string url;
  std::string title = "untitled";
  std::int64_t visits = 0;
  double score = 0;
  dynamate::Decimal price;
  bool published = false;
  dynamate::Bytes cover;
  Kind kind = Kind::article;
  std::vector<std::string> links;
  std::map<std::string, std::int32_t> counters;
  std::set<std::string> tags;
  std::set<std::int64_t> ids;
  std::chrono::system_clock::time_point created;
  std::optional<std::chrono::sys_seconds> seen;
  std::chrono::sys_seconds expires;
  dynamate::JsonDocument meta;
  Author author;
  std::vector<Author> editors;
  dynamate::AttributeValue raw;
  std::int64_t version = 0;
  dynamate::AttributeMap extras;
};
template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "pages", dynamate::hash_key("site", &Page::site), dynamate::range_key("url", &Page::url),
    dynamate::attribute("title", &Page::title), dynamate::attribute("visits", &Page::visits),
    dynamate::attribute("score", &Page::score), dynamate::attribute("price", &Page::price),
    dynamate::attribute("published", &Page::published), dynamate::attribute("cover", &Page::cover),
    dynamate::attribute("kind", &Page::kind), dynamate::attribute("links", &Page::links),
    dynamate::attribute("counters", &Page::counters), dynamate::attribute("tags", &Page::tags),
    dynamate::attribute("ids", &Page::ids), dynamate::attribute("created", &Page::created),
    dynamate::attribute<dynamate::datetime::Iso8601>("seen", &Page::seen),
    dynamate::ttl("expires", &Page::expires), dynamate::attribute("meta", &Page::meta),
    dynamate::attribute("author", &Page::author), dynamate::attribute("editors", &Page::editors),
    dynamate::attribute("raw", &Page::raw), dynamate::version("version", &Page::version),
    dynamate::extra_attributes(&Page::extras),
    dynamate::global_index("by_kind", &Page::kind, &Page::visits,
                           dynamate::projection::include("title")),
    dynamate::local_index("by_price", &Page::price, dynamate::projection::keys_only()),
    dynamate::table_options({.billing_mode = dynamate::aws::BillingMode::pay_per_request}));

static_assert(sizeof(dynamate::Table<Page>) > 0);

dynamate::Result<dynamate::AttributeMap> encode(const dynamate::Table<Page>& t, const Page& p) {
  return t.encode(p);
}
dynamate::Result<Page> decode(const dynamate::Table<Page>& t, const dynamate::AttributeMap& m) {
  return t.decode(m);
}
dynamate::Result<dynamate::AttributeMap> key(const dynamate::Table<Page>& t, const Page& p) {
  return t.key_of(p);
}
dynamate::Condition condition() {
  using dynamate::field;
  return field(&Page::visits) < 100 && field(&Page::title) == "Home" &&
         field(&Page::price) >= dynamate::Decimal(5);
}
dynamate::Update update() {
  return {dynamate::set(&Page::title, std::string("New")), dynamate::add(&Page::visits, 1)};
}
void operations(const dynamate::Table<Page>& t, Page& p) {
  (void)t.save(p);
  (void)t.get(std::string("site"), std::string("url"));
  (void)t.update(p, update(), {.condition = condition()});
  (void)t.remove(p);
  (void)t.update_ttl(true);
  for (auto& r : t.query(std::string("site"))) (void)r;
}
