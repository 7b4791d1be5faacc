// botocore's signers as the reference: every vector in
// tests/data/sigv4/botocore_vectors.json (35: DynamoDB, S3 header auth, S3
// presigned URLs, generic services) is signed from its inputs and compared with
// botocore's canonical request, string to sign, signing key, signature and
// Authorization + final headers (header modes) or presigned URL (query mode).
// Layout and conventions: tests/data/sigv4/README.md section 2.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "dynamate/aws/sigv4.hpp"
#include "dynamate/bytes.hpp"
#include "support/test_data.hpp"

namespace dynamate::aws {
namespace {

using namespace std::chrono;

struct Vector {
  std::string id;
  std::string service;
  std::string region;
  std::string timestamp;  // "20250102T030405Z"
  Credentials credentials;
  std::string signing_mode;  // header | header-components | query
  bool unsigned_payload = false;
  std::optional<std::int64_t> expires;
  std::string method;
  std::string url;
  http::Headers headers_in;
  std::string body;
  // expected
  std::string canonical_uri, canonical_query_string, signed_headers, payload_hash;
  std::string canonical_request, string_to_sign, signing_key_hex, signature;
  std::string authorization;
  http::Headers headers_out;
  std::string presigned_url;
};

std::string str(simdjson::dom::element e) { return std::string(std::string_view(e)); }

http::Headers headers_of(simdjson::dom::array pairs) {
  http::Headers out;
  for (simdjson::dom::array pair : pairs) out.emplace_back(str(pair.at(0)), str(pair.at(1)));
  return out;
}

Vector parse_vector(simdjson::dom::object v) {
  Vector t;
  t.id = str(v["id"]);
  t.service = str(v["service"]);
  t.region = str(v["region"]);
  t.timestamp = str(v["timestamp"]);
  simdjson::dom::object creds = v["credentials"];
  t.credentials.access_key_id = str(creds["access_key_id"]);
  t.credentials.secret_access_key = str(creds["secret_access_key"]);
  if (!creds["session_token"].is_null()) t.credentials.session_token = str(creds["session_token"]);
  t.signing_mode = str(v["signing_mode"]);
  simdjson::dom::object options;
  if (v["options"].get(options) == simdjson::SUCCESS) {
    std::string_view signing;
    t.unsigned_payload =
        options["payload_signing"].get(signing) == simdjson::SUCCESS && signing == "unsigned";
    std::int64_t expires = 0;
    if (options["expires"].get(expires) == simdjson::SUCCESS) t.expires = expires;
  }
  simdjson::dom::object req = v["request"];
  t.method = str(req["method"]);
  t.url = str(req["url"]);
  t.headers_in = headers_of(req["headers_in"]);
  t.body = base64_decode(std::string_view(req["body_base64"])).value();
  simdjson::dom::object exp = v["expected"];
  t.canonical_uri = str(exp["canonical_uri"]);
  t.canonical_query_string = str(exp["canonical_query_string"]);
  t.signed_headers = str(exp["signed_headers"]);
  t.payload_hash = str(exp["payload_hash"]);
  t.canonical_request = str(exp["canonical_request"]);
  t.string_to_sign = str(exp["string_to_sign"]);
  t.signing_key_hex = str(exp["signing_key_hex"]);
  t.signature = str(exp["signature"]);
  if (t.signing_mode == "query") {
    t.presigned_url = str(exp["presigned_url"]);
  } else {
    t.authorization = str(exp["authorization"]);
    t.headers_out = headers_of(exp["headers_out"]);
  }
  return t;
}

struct VectorFile {
  std::string error;  // why loading failed, if it did
  std::int64_t declared_count = -1;
  std::vector<Vector> vectors;
};

// Loaded once, at test registration; a broken file yields no vectors and an
// error that the count test below reports.
const VectorFile& vector_file() {
  static const VectorFile file = [] {
    VectorFile f;
    try {
      simdjson::dom::parser parser;
      simdjson::dom::element doc = parser.load(test::data_path("sigv4/botocore_vectors.json"));
      f.declared_count = std::int64_t(doc["vector_count"]);
      for (simdjson::dom::object v : simdjson::dom::array(doc["vectors"])) {
        f.vectors.push_back(parse_vector(v));
      }
    } catch (const std::exception& e) {
      f.error = e.what();
      f.vectors.clear();
    }
    return f;
  }();
  return file;
}

std::vector<std::string> vector_ids() {
  std::vector<std::string> ids;
  for (const auto& v : vector_file().vectors) ids.push_back(v.id);
  return ids;
}

const Vector& find_vector(const std::string& id) {
  const auto& vs = vector_file().vectors;
  return *std::find_if(vs.begin(), vs.end(), [&](const Vector& v) { return v.id == id; });
}

// "20250102T030405Z" -> a UTC time point.
system_clock::time_point parse_timestamp(const std::string& ts) {
  auto num = [&](std::size_t pos, std::size_t len) { return std::stoi(ts.substr(pos, len)); };
  const year_month_day ymd{year{num(0, 4)}, month{static_cast<unsigned>(num(4, 2))},
                           day{static_cast<unsigned>(num(6, 2))}};
  return sys_days{ymd} + hours{num(9, 2)} + minutes{num(11, 2)} + seconds{num(13, 2)};
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  for (std::size_t nl; (nl = text.find('\n', pos)) != std::string::npos; pos = nl + 1) {
    lines.push_back(text.substr(pos, nl - pos));
  }
  lines.push_back(text.substr(pos));
  return lines;
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

class BotocoreVectors : public testing::TestWithParam<std::string> {};

TEST_P(BotocoreVectors, MatchesBotocore) {
  const Vector& v = find_vector(GetParam());
  SigningParams params;
  params.region = v.region;
  params.service = v.service;
  params.time = parse_timestamp(v.timestamp);
  params.s3_rules = v.service == "s3";
  params.unsigned_payload = v.unsigned_payload;
  SigningTrace trace;

  if (v.signing_mode == "query") {
    ASSERT_TRUE(v.expires.has_value());
    auto url = presign_url(v.method, v.url, v.headers_in, v.credentials, params,
                           seconds(*v.expires), &trace);
    ASSERT_TRUE(url.has_value()) << url.error().to_string();
    EXPECT_EQ(*url, v.presigned_url);
  } else {
    // "header-components" (s3-doc-put-object) passes X-Amz-Date and
    // X-Amz-Content-SHA256 in headers_in already: the signer updates them where
    // they stand, so only Authorization is added, as botocore's component
    // methods do.
    ASSERT_TRUE(v.signing_mode == "header" || v.signing_mode == "header-components");
    http::Request request{.method = v.method,
                          .url = v.url,
                          .headers = v.headers_in,
                          .body = v.body,
                          .body_source = nullptr};
    auto signed_ok = sign_request(request, v.credentials, params, &trace);
    ASSERT_TRUE(signed_ok.has_value()) << signed_ok.error().to_string();
    EXPECT_EQ(request.headers, v.headers_out);
    ASSERT_NE(http::find_header(request.headers, "Authorization"), nullptr);
    EXPECT_EQ(*http::find_header(request.headers, "Authorization"), v.authorization);
  }

  // The pieces first, so a mismatch names the part that differs.
  const auto lines = split_lines(trace.canonical_request);
  ASSERT_GE(lines.size(), 6u);
  EXPECT_EQ(lines[0], v.method);
  EXPECT_EQ(lines[1], v.canonical_uri);
  EXPECT_EQ(lines[2], v.canonical_query_string);
  EXPECT_EQ(lines[lines.size() - 2], v.signed_headers);
  EXPECT_EQ(lines.back(), v.payload_hash);
  EXPECT_EQ(trace.canonical_request, v.canonical_request);
  EXPECT_EQ(trace.string_to_sign, v.string_to_sign);
  EXPECT_EQ(trace.signing_key_hex, v.signing_key_hex);
  EXPECT_EQ(trace.signature, v.signature);
}

INSTANTIATE_TEST_SUITE_P(Botocore, BotocoreVectors, testing::ValuesIn(vector_ids()), test_name);

TEST(BotocoreVectorFile, HasAll35Vectors) {
  EXPECT_EQ(vector_file().error, "");
  EXPECT_EQ(vector_file().declared_count, 35);
  EXPECT_EQ(vector_file().vectors.size(), 35u);
  // Every signing mode is exercised.
  for (const char* mode : {"header", "header-components", "query"}) {
    EXPECT_TRUE(std::any_of(vector_file().vectors.begin(), vector_file().vectors.end(),
                            [&](const Vector& v) { return v.signing_mode == mode; }))
        << mode;
  }
}

}  // namespace
}  // namespace dynamate::aws
