// Links against the installed library and exercises code from several layers
// without a network: base64, DynamoDB JSON, SigV4 presigning.
#include <cstdio>

#include <dynamate/dynamate.hpp>  // the umbrella header must compile on its own

int main() {
  using namespace dynamate;
  auto item = item_from_dynamodb_json(R"({"pk":{"S":"a"},"b":{"B":"AAE="}})");
  if (!item || to_dynamodb_json(*item) != R"({"b":{"B":"AAE="},"pk":{"S":"a"}})") return 1;
  aws::Credentials creds{"AKIDEXAMPLE", "secret", "", {}, "static"};
  aws::SigningParams params;
  params.region = "us-east-1";
  params.service = "s3";
  params.s3_rules = true;
  params.time = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  auto url = aws::presign_url("GET", "https://b.s3.amazonaws.com/k", {}, creds, params,
                              std::chrono::seconds(60));
  if (!url || url->find("X-Amz-Signature=") == std::string::npos) return 1;
  std::puts("consumer ok");
  return 0;
}
