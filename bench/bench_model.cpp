// Model <-> DynamoDB JSON throughput for the mapper: a ~1 KB user-profile
// model with 10 attributes of mixed C++ types (strings, integers, a double,
// bool, Bytes, a vector of nested structs, a nested struct, a string set).
//   encode: model -> AttributeMap (the schema's converters) -> JSON text
//   decode: JSON text -> simdjson DOM -> AttributeMap -> model
// The *_map variants stop at the AttributeMap, which shows the mapper's own
// share next to the JSON codec's (bench_item_codec measures the codec alone).
// Bytes/s count the JSON text.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "aws/dynamodb_json.hpp"
#include "aws/json_writer.hpp"
#include "dynamate/aws/dynamodb_json.hpp"
#include "dynamate/detail/codec.hpp"
#include "dynamate/model.hpp"

namespace bench {

struct Event {
  std::string kind;
  std::int64_t at = 0;
};
struct Address {
  std::string street;
  std::string city;
  std::string zip;
  double lat = 0;
  double lon = 0;
  bool verified = false;
};
struct Profile {
  std::string user_id;
  std::string profile_key;
  std::string name;
  std::string bio;
  std::int64_t visits = 0;
  double score = 0;
  dynamate::Bytes avatar;
  bool active = false;
  std::vector<Event> history;
  std::optional<Address> address;
  std::set<std::string> tags;
};

}  // namespace bench

template <>
inline constexpr auto dynamate::schema_of<bench::Event> = dynamate::schema<bench::Event>(
    dynamate::attribute("kind", &bench::Event::kind), dynamate::attribute("at", &bench::Event::at));
template <>
inline constexpr auto dynamate::schema_of<bench::Address> =
    dynamate::schema<bench::Address>(dynamate::attribute("street", &bench::Address::street),
                                     dynamate::attribute("city", &bench::Address::city),
                                     dynamate::attribute("zip", &bench::Address::zip),
                                     dynamate::attribute("lat", &bench::Address::lat),
                                     dynamate::attribute("lon", &bench::Address::lon),
                                     dynamate::attribute("verified", &bench::Address::verified));
template <>
inline constexpr auto dynamate::schema_of<bench::Profile> =
    dynamate::schema<bench::Profile>("profiles", dynamate::hash_key("pk", &bench::Profile::user_id),
                                     dynamate::range_key("sk", &bench::Profile::profile_key),
                                     dynamate::attribute("name", &bench::Profile::name),
                                     dynamate::attribute("bio", &bench::Profile::bio),
                                     dynamate::attribute("visits", &bench::Profile::visits),
                                     dynamate::attribute("score", &bench::Profile::score),
                                     dynamate::attribute("avatar", &bench::Profile::avatar),
                                     dynamate::attribute("active", &bench::Profile::active),
                                     dynamate::attribute("history", &bench::Profile::history),
                                     dynamate::attribute("address", &bench::Profile::address),
                                     dynamate::attribute("tags", &bench::Profile::tags));

namespace {

using bench::Profile;

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

Profile sample() {
  Profile p;
  p.user_id = "user#0012345678";
  p.profile_key = "profile#2024-06-01T12:34:56Z";
  p.name = "Ada Lovelace \xE2\x80\x94 \"Countess\" of Lovelace";
  p.bio = std::string(260, 'x') + "\n\tend";
  p.visits = 1234567;
  p.score = -0.098765;
  p.avatar = dynamate::Bytes(random_bytes(180, 1));
  p.active = true;
  p.history = {{"login", 1717245296}, {"purchase", 1717245390}, {"logout", 1717249000}};
  p.address = bench::Address{"12 St James's Square", "London", "SW1Y 4JH", 51.5074, -0.1349, false};
  p.tags = {"admin", "beta-tester", "newsletter", "premium", "early-adopter"};
  return p;
}

std::string json_of(const Profile& p) {
  return dynamate::to_dynamodb_json(dynamate::detail::encode_item(p).value());
}

void BM_ModelToMap(benchmark::State& state) {
  const Profile p = sample();
  for (auto _ : state) {
    auto m = dynamate::detail::encode_item(p);
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ModelToJson(benchmark::State& state) {
  const Profile p = sample();
  const std::size_t size = json_of(p).size();
  std::string json;
  for (auto _ : state) {
    auto m = dynamate::detail::encode_item(p);
    json.clear();
    dynamate::aws::detail::JsonWriter w(json);
    dynamate::aws::detail::write_item(w, *m);
    benchmark::DoNotOptimize(json.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
  state.counters["json_bytes"] = static_cast<double>(size);
}

void BM_MapToModel(benchmark::State& state) {
  const auto m = dynamate::detail::encode_item(sample()).value();
  for (auto _ : state) {
    auto p = dynamate::detail::decode_item<Profile>(m);
    if (!p) state.SkipWithError("decode");
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_JsonToModel(benchmark::State& state) {
  const std::string json = json_of(sample());
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::dom::element doc;
    if (parser.parse(json).get(doc) != simdjson::SUCCESS) state.SkipWithError("parse");
    auto m = dynamate::aws::detail::parse_item(doc);
    if (!m) state.SkipWithError("parse_item");
    auto p = dynamate::detail::decode_item<Profile>(*m);
    if (!p) state.SkipWithError("decode");
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(json.size()));
}

BENCHMARK(BM_ModelToMap);
BENCHMARK(BM_ModelToJson);
BENCHMARK(BM_MapToModel);
BENCHMARK(BM_JsonToModel);

}  // namespace
