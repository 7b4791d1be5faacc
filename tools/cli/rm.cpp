// `dynamate rm TABLE --key JSON [--large NAME[,NAME]]`: DeleteItem returning
// the old item, then the per-item S3 objects its attributes named (found by
// their keys, LargeItemTable::remove). Prints the removed item.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "dynamate/aws/dynamodb_json.hpp"
#include "dynamate/large_item.hpp"

namespace dynamate::cli {
namespace {

struct RmOptions {
  std::string table;
  std::string key;
  std::vector<std::string> large;
  std::string bucket;
  std::string prefix;
};

int run_rm(const GlobalOptions& global, const RmOptions& o) {
  auto key = parse_item_argument("--key", o.key);
  if (!key) return fail(key.error());
  std::vector<LargeAttributeSpec> specs;
  std::set<std::string> names;
  for (const auto& name : o.large) {
    if (names.insert(name).second) specs.push_back({.name = name});
  }
  auto clients = make_clients(global);
  if (!clients) return fail(clients.error());
  auto table = LargeItemTable::open(clients->dynamodb, o.table,
                                    {.s3 = clients->s3, .bucket = o.bucket, .prefix = o.prefix},
                                    std::move(specs));
  if (!table) return fail(table.error());
  auto removed = table->remove(*key);
  if (!removed) return fail(removed.error());
  if (!removed->old_item) {
    return fail(Error(ErrorCode::not_found,
                      "no item in table " + o.table + " with key " + to_dynamodb_json(*key)));
  }
  for (const auto& uri : removed->orphaned) warn("could not delete, left for the GC: " + uri);
  std::cout << to_dynamodb_json(*removed->old_item) << "\n";
  return 0;
}

}  // namespace

Command add_rm_command(CLI::App& parent, const GlobalOptions& global) {
  auto o = std::make_shared<RmOptions>();
  auto* app = parent.add_subcommand(
      "rm",
      "Remove one item, then the S3 objects of its large attributes (per-item keys only: "
      "shared and pynamodb_mate objects are left to gc). Prints the removed item");
  app->add_option("TABLE", o->table, "An existing DynamoDB table")->required();
  app->add_option("--key", o->key,
                  "The item's key in DynamoDB JSON, e.g. '{\"url\":{\"S\":\"a\"}}' (or @FILE)")
      ->required();
  app->add_option("--large", o->large,
                  "NAME[,NAME]: the item's large attributes (optional: every attribute holding "
                  "one of this item's per-item objects is cleaned up)")
      ->delimiter(',')
      ->allow_extra_args(false);
  auto* bucket = app->add_option(
      "--bucket", o->bucket,
      "Delete only objects in this bucket (default: where the item's object keys say)");
  app->add_option("--prefix", o->prefix, "With --bucket: the objects' key prefix")->needs(bucket);
  return {app, [&global, o] { return run_rm(global, *o); }};
}

}  // namespace dynamate::cli
