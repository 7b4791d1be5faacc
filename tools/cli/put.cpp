// `dynamate put TABLE --item JSON [--large NAME=@FILE]... --bucket B ...`:
// one item written by LargeItemTable::put (files uploaded to S3 in parallel,
// then one PutItem holding their URIs). Prints the item as written.
#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "dynamate/aws/dynamodb_json.hpp"
#include "dynamate/large_item.hpp"

namespace dynamate::cli {
namespace {

struct PutOptions {
  std::string table;
  std::string item;
  std::vector<std::string> large;
  std::string bucket;
  std::string prefix;
  std::string codec = "none";
  std::string layout = "item";
  bool if_absent = false;
};

KeyLayout layout_of(const std::string& name) {
  if (name == "shared") return KeyLayout::shared;
  if (name == "pynamodb_mate") return KeyLayout::pynamodb_mate;
  return KeyLayout::per_item;
}

int run_put(const GlobalOptions& global, const PutOptions& o) {
  auto item = parse_item_argument("--item", o.item);
  if (!item) return fail(item.error());
  std::map<std::string, LargeValue> values;
  std::vector<LargeAttributeSpec> specs;
  for (const auto& arg : o.large) {
    auto kv = split_assignment("--large", "NAME=@FILE", arg);
    if (!kv) return fail(kv.error());
    auto& [name, file] = *kv;
    if (!file.starts_with("@") || file.size() < 2) {
      return fail(
          Error(ErrorCode::invalid_argument,
                "--large \"" + arg + "\": expected NAME=@FILE (the value comes from FILE)"));
    }
    if (values.contains(name)) {
      return fail(Error(ErrorCode::invalid_argument, "--large " + name + " is given twice"));
    }
    values.emplace(name, LargeValue::from_file(file.substr(1)));
    specs.push_back({.name = name,
                     .kind = LargeKind::binary,
                     .codec = parse_codec(o.codec).value_or(Codec::none),
                     .layout = layout_of(o.layout)});
  }
  auto clients = make_clients(global);
  if (!clients) return fail(clients.error());
  auto table = LargeItemTable::open(clients->dynamodb, o.table,
                                    {.s3 = clients->s3, .bucket = o.bucket, .prefix = o.prefix},
                                    std::move(specs));
  if (!table) return fail(table.error());
  LargePutOptions options;
  if (o.if_absent) options.condition = attr(table->hash_key_name()).not_exists();
  auto put = table->put(std::move(*item), std::move(values), options);
  if (!put) return fail(put.error());
  for (const auto& uri : put->orphaned) warn("left for the GC: " + uri);
  std::cout << to_dynamodb_json(put->item) << "\n";
  return 0;
}

}  // namespace

Command add_put_command(CLI::App& parent, const GlobalOptions& global) {
  auto o = std::make_shared<PutOptions>();
  auto* app = parent.add_subcommand(
      "put",
      "Write one item; --large values go to S3 first (in parallel), the item holds their "
      "s3:// URIs. Prints the item as written (DynamoDB JSON)");
  app->add_option("TABLE", o->table, "An existing DynamoDB table")->required();
  app->add_option("--item", o->item,
                  "The item in DynamoDB JSON, with its key attributes, e.g. "
                  "'{\"url\":{\"S\":\"a\"}}' (or @FILE)")
      ->required();
  app->add_option("--large", o->large,
                  "NAME=@FILE: attribute NAME's value is FILE's content, stored in S3 (repeat "
                  "for several)")
      ->allow_extra_args(false);
  app->add_option("--bucket", o->bucket, "S3 bucket of the large values")->required();
  app->add_option("--prefix", o->prefix, "Key prefix of the objects, e.g. pages/ (default: none)");
  app->add_option("--codec", o->codec, "Compression of the objects")
      ->check(CLI::IsMember({"none", "gzip", "zstd"}))
      ->capture_default_str();
  app->add_option("--layout", o->layout,
                  "Object keys: item (per item, deleted with it), shared (by content, deleted "
                  "only by gc), pynamodb_mate (pynamodb_mate 6's keys, deleted only by gc)")
      ->check(CLI::IsMember({"item", "shared", "pynamodb_mate"}))
      ->capture_default_str();
  app->add_flag("--if-absent", o->if_absent,
                "Fail (condition_failed) if an item with this key exists");
  return {app, [&global, o] { return run_put(global, *o); }};
}

}  // namespace dynamate::cli
