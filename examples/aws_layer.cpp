// The low-level AWS layer on its own: a DynamoDB item and an S3 object, with
// region, endpoint and credentials taken from the AWS environment conventions
// (AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB / _S3, the default credentials chain).
//
//   AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:8000 ./example_aws_layer T B
//
// The table needs a string hash key "pk"; the bucket must exist.
#include <cstdio>

#include <dynamate/aws/dynamodb.hpp>
#include <dynamate/aws/dynamodb_json.hpp>
#include <dynamate/aws/s3.hpp>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s TABLE BUCKET\n", argv[0]);
    return 2;
  }
  using namespace dynamate;
  auto ddb = aws::DynamoDbClient::from_environment();
  if (!ddb) {
    std::fprintf(stderr, "%s\n", ddb.error().to_string().c_str());
    return 1;
  }
  // Create only if absent: a second run fails with condition_failed, which we
  // report as such rather than as a crash.
  aws::PutItemRequest put;
  put.table_name = argv[1];
  put.item = {{"pk", AttributeValue("hello")}, {"n", AttributeValue::number(std::int64_t{42})}};
  put.condition_expression = "attribute_not_exists(pk)";
  if (auto r = ddb->put_item(put); !r) {
    if (r.error().code != ErrorCode::condition_failed) {
      std::fprintf(stderr, "put_item: %s\n", r.error().to_string().c_str());
      return 1;
    }
    std::puts("item existed already");
  }
  aws::GetItemRequest get;
  get.table_name = argv[1];
  get.key = {{"pk", AttributeValue("hello")}};
  get.consistent_read = true;
  auto item = ddb->get_item(get);
  if (!item) {
    std::fprintf(stderr, "get_item: %s\n", item.error().to_string().c_str());
    return 1;
  }
  std::printf("item: %s\n", item->item ? to_dynamodb_json(*item->item).c_str() : "(none)");

  auto s3_config = aws::config_from_environment("s3");
  if (!s3_config) {
    std::fprintf(stderr, "%s\n", s3_config.error().to_string().c_str());
    return 1;
  }
  auto s3 = aws::S3Client::create(std::move(*s3_config));
  if (!s3) return 1;
  if (auto r = s3->put_object(argv[2], "hello.txt", "hello, world"); !r) {
    std::fprintf(stderr, "put_object: %s\n", r.error().to_string().c_str());
    return 1;
  }
  auto obj = s3->get_object(argv[2], "hello.txt");
  if (!obj) {
    std::fprintf(stderr, "get_object: %s\n", obj.error().to_string().c_str());
    return 1;
  }
  std::printf("object: %s\n", obj->body.str().c_str());
  return 0;
}
