// DynamoDB JSON codec throughput: encode (AttributeMap -> JSON text) and
// decode (JSON text -> simdjson DOM -> AttributeMap) for
//   small: a ~1 KB item with 10 attributes of mixed types (S, N, B, BOOL, L, M, SS)
//   large: one 300 KB binary attribute (base64 on the wire) plus a key
// Bytes/s count the JSON text. Decode includes simdjson's parse of the text,
// i.e. what a client pays per response; encode includes building the string.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <random>
#include <string>

#include "aws/dynamodb_json.hpp"
#include "aws/json_writer.hpp"
#include "dynamate/aws/dynamodb_json.hpp"

namespace {

using dynamate::AttributeList;
using dynamate::AttributeMap;
using dynamate::AttributeValue;
using dynamate::Bytes;
using dynamate::Number;
using dynamate::StringSet;

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

AttributeMap small_item() {
  return {
      {"pk", AttributeValue("user#0012345678")},
      {"sk", AttributeValue("profile#2024-06-01T12:34:56Z")},
      {"name", AttributeValue("Ada Lovelace \xE2\x80\x94 \"Countess\" of Lovelace")},
      {"bio", AttributeValue(std::string(260, 'x') + "\n\tend")},
      {"visits", AttributeValue(Number{"1234567"})},
      {"score", AttributeValue(Number{"-98.765E-3"})},
      {"avatar", AttributeValue(Bytes(random_bytes(180, 1)))},
      {"active", AttributeValue(true)},
      {"history", AttributeValue(AttributeList{
                      AttributeValue(Number{"1"}), AttributeValue("login"),
                      AttributeValue(Number{"1717245296"}), AttributeValue("purchase"),
                      AttributeValue(AttributeMap{{"sku", AttributeValue("B00X4WHP5E")},
                                                  {"qty", AttributeValue(Number{"2"})}})})},
      {"address", AttributeValue(AttributeMap{
                      {"street", AttributeValue("12 St James's Square")},
                      {"city", AttributeValue("London")},
                      {"zip", AttributeValue("SW1Y 4JH")},
                      {"geo", AttributeValue(AttributeList{AttributeValue(Number{"51.5074"}),
                                                           AttributeValue(Number{"-0.1349"})})},
                      {"verified", AttributeValue(false)}})},
      {"tags", AttributeValue(
                   StringSet{{"admin", "beta-tester", "newsletter", "premium", "early-adopter"}})},
  };
}

AttributeMap large_item() {
  return {{"pk", AttributeValue("blob#1")},
          {"data", AttributeValue(Bytes(random_bytes(300 * 1024, 2)))}};
}

void encode(benchmark::State& state, const AttributeMap& item) {
  const std::size_t size = dynamate::to_dynamodb_json(item).size();
  for (auto _ : state) {
    std::string json = dynamate::to_dynamodb_json(item);
    benchmark::DoNotOptimize(json.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
  state.counters["json_bytes"] = static_cast<double>(size);
}

// Reusing one output buffer, as a client can per thread.
void encode_reused(benchmark::State& state, const AttributeMap& item) {
  std::string json;
  for (auto _ : state) {
    json.clear();
    dynamate::aws::detail::JsonWriter w(json);
    dynamate::aws::detail::write_item(w, item);
    benchmark::DoNotOptimize(json.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(json.size()));
}

void decode(benchmark::State& state, const AttributeMap& item) {
  const std::string json = dynamate::to_dynamodb_json(item);
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::dom::element doc;
    if (parser.parse(json).get(doc) != simdjson::SUCCESS) state.SkipWithError("parse");
    auto parsed = dynamate::aws::detail::parse_item(doc);
    if (!parsed) state.SkipWithError("parse_item");
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(json.size()));
}

void BM_EncodeSmall(benchmark::State& s) { encode(s, small_item()); }
void BM_EncodeSmallReusedBuffer(benchmark::State& s) { encode_reused(s, small_item()); }
void BM_DecodeSmall(benchmark::State& s) { decode(s, small_item()); }
void BM_EncodeLarge(benchmark::State& s) { encode(s, large_item()); }
void BM_EncodeLargeReusedBuffer(benchmark::State& s) { encode_reused(s, large_item()); }
void BM_DecodeLarge(benchmark::State& s) { decode(s, large_item()); }

BENCHMARK(BM_EncodeSmall);
BENCHMARK(BM_EncodeSmallReusedBuffer);
BENCHMARK(BM_DecodeSmall);
BENCHMARK(BM_EncodeLarge);
BENCHMARK(BM_EncodeLargeReusedBuffer);
BENCHMARK(BM_DecodeLarge);

}  // namespace
