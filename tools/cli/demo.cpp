// The demo: a table and a bucket are created, items are put, read, updated,
// queried and deleted, objects are put, read, listed and deleted, and both are
// removed again. Every step prints what it did; any failure stops the demo with
// a one-line error and exit status 1.
#include "demo.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "dynamate/aws/dynamodb_json.hpp"

namespace dynamate::cli {
namespace {

using Clock = std::chrono::steady_clock;

class Steps {
 public:
  template <class F>
  Result<void> run(const std::string& what, F&& step) {
    const auto start = Clock::now();
    Result<std::string> r = step();
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    if (!r) {
      std::printf("  FAILED %-44s\n", what.c_str());
      return unexpected(std::move(r).error().with_context(what));
    }
    std::printf("  ok %-48s %8.2f ms  %s\n", what.c_str(), static_cast<double>(us) / 1000.0,
                r->c_str());
    ++count_;
    return {};
  }
  int count() const { return count_; }

 private:
  int count_ = 0;
};

#define DEMO_STEP(steps, what, ...)                                             \
  do {                                                                          \
    auto demo_r_ = (steps).run(what, [&]() -> Result<std::string> __VA_ARGS__); \
    if (!demo_r_) return fail(demo_r_.error());                                 \
  } while (0)

AttributeMap page_item(int i) {
  AttributeMap item;
  item["pk"] = AttributeValue("site#python.org");
  item["sk"] = AttributeValue("page#" + std::to_string(1000 + i));
  item["title"] = AttributeValue("Page " + std::to_string(i));
  item["visits"] = AttributeValue::number(std::int64_t{i});
  item["tags"] = AttributeValue(StringSet{{"docs", "python"}});
  item["raw"] = AttributeValue(Bytes(std::string("\x00\x01\x02", 3)));
  return item;
}

}  // namespace

int run_demo(const GlobalOptions& global, const DemoOptions& options) {
  auto clients = make_clients(global);
  if (!clients) return fail(clients.error());
  const auto& ddb = clients->dynamodb;
  const auto& s3 = clients->s3;
  const std::string suffix =
      std::to_string(::getpid()) + "-" +
      std::to_string(std::chrono::system_clock::now().time_since_epoch() / std::chrono::seconds(1));
  const std::string table = "dynamate-demo-" + suffix;
  const std::string bucket = "dynamate-demo-" + suffix;
  std::printf("dynamate demo: DynamoDB %s, S3 %s, region %s\n", ddb.config().endpoint.c_str(),
              s3.config().endpoint.c_str(), ddb.config().region.c_str());
  Steps steps;
  const auto start = Clock::now();

  std::printf("DynamoDB table %s\n", table.c_str());
  DEMO_STEP(steps, "create table (pk, sk), wait until active", {
    aws::CreateTableRequest req;
    req.table_name = table;
    req.attribute_definitions = {{"pk", aws::ScalarAttributeType::S},
                                 {"sk", aws::ScalarAttributeType::S}};
    req.key_schema = {{"pk", aws::KeyType::hash}, {"sk", aws::KeyType::range}};
    auto created = ddb.create_table(req);
    if (!created) return unexpected(std::move(created).error());
    auto active =
        ddb.wait_until_active(table, std::chrono::seconds(60), std::chrono::milliseconds(100));
    if (!active) return unexpected(std::move(active).error());
    return std::string("status ACTIVE");
  });
  DEMO_STEP(steps, "put " + std::to_string(options.items) + " items", {
    for (int i = 0; i < options.items; ++i) {
      aws::PutItemRequest req;
      req.table_name = table;
      req.item = page_item(i);
      req.condition_expression = "attribute_not_exists(pk)";
      auto r = ddb.put_item(req);
      if (!r) return unexpected(std::move(r).error());
    }
    return std::string("conditional creates");
  });
  DEMO_STEP(steps, "get item page#1000 (consistent)", {
    aws::GetItemRequest req;
    req.table_name = table;
    req.key = {{"pk", AttributeValue("site#python.org")}, {"sk", AttributeValue("page#1000")}};
    req.consistent_read = true;
    auto r = ddb.get_item(req);
    if (!r) return unexpected(std::move(r).error());
    if (!r->item) return unexpected(ErrorCode::not_found, "item page#1000 missing");
    return to_dynamodb_json(*r->item);
  });
  DEMO_STEP(steps, "update item page#1000: ADD visits 10, SET title", {
    aws::UpdateItemRequest req;
    req.table_name = table;
    req.key = {{"pk", AttributeValue("site#python.org")}, {"sk", AttributeValue("page#1000")}};
    req.update_expression = "ADD visits :n SET #t = :t";
    req.condition_expression = "attribute_exists(pk)";
    req.expression_attribute_names = {{"#t", "title"}};
    req.expression_attribute_values = {{":n", AttributeValue::number(std::int64_t{10})},
                                       {":t", AttributeValue("Welcome to Python.org")}};
    req.return_values = aws::ReturnValues::updated_new;
    auto r = ddb.update_item(req);
    if (!r) return unexpected(std::move(r).error());
    return r->attributes ? to_dynamodb_json(*r->attributes) : std::string("{}");
  });
  DEMO_STEP(steps, "query pk = site#python.org, 2 per page", {
    aws::QueryRequest req;
    req.table_name = table;
    req.key_condition_expression = "pk = :pk AND begins_with(sk, :p)";
    req.expression_attribute_values = {{":pk", AttributeValue("site#python.org")},
                                       {":p", AttributeValue("page#")}};
    req.limit = 2;
    int items = 0;
    int pages = 0;
    for (;;) {
      auto r = ddb.query(req);
      if (!r) return unexpected(std::move(r).error());
      items += static_cast<int>(r->items.size());
      ++pages;
      if (!r->last_evaluated_key) break;
      req.exclusive_start_key = std::move(r->last_evaluated_key);
    }
    if (items != options.items) {
      return unexpected(ErrorCode::internal, "query found " + std::to_string(items) + " items");
    }
    return std::to_string(items) + " items in " + std::to_string(pages) + " pages";
  });
  DEMO_STEP(steps, "delete item page#1001, returning the old item", {
    aws::DeleteItemRequest req;
    req.table_name = table;
    req.key = {{"pk", AttributeValue("site#python.org")}, {"sk", AttributeValue("page#1001")}};
    req.return_values = aws::ReturnValues::all_old;
    auto r = ddb.delete_item(req);
    if (!r) return unexpected(std::move(r).error());
    return std::string("old title: ") + (r->attributes && r->attributes->count("title")
                                             ? *r->attributes->at("title").as_string()
                                             : "?");
  });

  std::printf("S3 bucket %s\n", bucket.c_str());
  DEMO_STEP(steps, "create bucket", {
    auto r = s3.create_bucket(bucket);
    if (!r) return unexpected(std::move(r).error());
    return std::string();
  });
  std::vector<std::string> keys;
  DEMO_STEP(steps, "put " + std::to_string(options.items) + " objects (sha256-checked)", {
    for (int i = 0; i < options.items; ++i) {
      aws::PutObjectOptions o;
      o.attributes.content_type = "text/html; charset=utf-8";
      o.payload.checksum_sha256 = true;
      keys.push_back("pages/page-" + std::to_string(i) + ".html");
      auto r = s3.put_object(bucket, keys.back(),
                             "<html><body>page " + std::to_string(i) + "</body></html>", o);
      if (!r) return unexpected(std::move(r).error());
    }
    return std::string("under pages/");
  });
  DEMO_STEP(steps, "get object pages/page-0.html", {
    auto r = s3.get_object(bucket, "pages/page-0.html");
    if (!r) return unexpected(std::move(r).error());
    if (r->body.view() != "<html><body>page 0</body></html>") {
      return unexpected(ErrorCode::integrity, "object content differs from what was put");
    }
    return std::to_string(r->body.size()) + " bytes, " + r->info.content_type;
  });
  DEMO_STEP(steps, "list objects under pages/", {
    aws::ListObjectsOptions o;
    o.prefix = "pages/";
    auto r = s3.list_all_objects(bucket, o);
    if (!r) return unexpected(std::move(r).error());
    return std::to_string(r->objects.size()) + " objects";
  });
  DEMO_STEP(steps, "delete objects (one DeleteObjects request)", {
    auto r = s3.delete_objects(bucket, keys);
    if (!r) return unexpected(std::move(r).error());
    if (!r->errors.empty()) {
      return unexpected(ErrorCode::service, "could not delete " + r->errors.front().key);
    }
    return std::to_string(keys.size()) + " deleted";
  });

  if (!options.keep) {
    std::printf("clean-up\n");
    DEMO_STEP(steps, "delete bucket", {
      auto r = s3.delete_bucket(bucket);
      if (!r) return unexpected(std::move(r).error());
      return std::string();
    });
    DEMO_STEP(steps, "delete table, wait until gone", {
      auto r = ddb.delete_table(table);
      if (!r) return unexpected(std::move(r).error());
      auto gone =
          ddb.wait_until_deleted(table, std::chrono::seconds(60), std::chrono::milliseconds(100));
      if (!gone) return unexpected(std::move(gone).error());
      return std::string();
    });
  }
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  std::printf("demo complete: %d steps in %lld ms\n", steps.count(), static_cast<long long>(ms));
  return 0;
}

}  // namespace dynamate::cli
