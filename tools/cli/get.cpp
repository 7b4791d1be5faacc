// `dynamate get TABLE --key JSON [--out NAME=FILE]...`: prints the item as
// DynamoDB JSON and streams large attributes' values into files (verified by
// their sha256 before the file gets its name).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cli_common.hpp"
#include "dynamate/aws/dynamodb_json.hpp"
#include "dynamate/large_item.hpp"

namespace dynamate::cli {
namespace {

struct GetOptions {
  std::string table;
  std::string key;
  std::vector<std::string> out;
};

int run_get(const GlobalOptions& global, const GetOptions& o) {
  auto key = parse_item_argument("--key", o.key);
  if (!key) return fail(key.error());
  std::vector<std::pair<std::string, std::string>> outputs;
  std::vector<LargeAttributeSpec> specs;
  std::set<std::string> names;
  for (const auto& arg : o.out) {
    auto kv = split_assignment("--out", "NAME=FILE", arg);
    if (!kv) return fail(kv.error());
    if (kv->second.empty()) {
      return fail(Error(ErrorCode::invalid_argument, "--out \"" + arg + "\": no file name"));
    }
    if (names.insert(kv->first).second) specs.push_back({.name = kv->first});
    outputs.push_back(std::move(*kv));
  }
  auto clients = make_clients(global);
  if (!clients) return fail(clients.error());
  auto table =
      LargeItemTable::open(clients->dynamodb, o.table, {.s3 = clients->s3}, std::move(specs));
  if (!table) return fail(table.error());
  auto item = table->get(*key);
  if (!item) return fail(item.error());
  for (const auto& [name, file] : outputs) {
    if (auto r = item->download_to_file(name, file); !r) {
      Error e = std::move(r).error();
      e.with_context("--out " + name + "=" + file);
      return fail(e);
    }
  }
  std::cout << to_dynamodb_json(item->attributes()) << "\n";
  return 0;
}

}  // namespace

Command add_get_command(CLI::App& parent, const GlobalOptions& global) {
  auto o = std::make_shared<GetOptions>();
  auto* app = parent.add_subcommand(
      "get",
      "Read one item (consistent read): print it as DynamoDB JSON, write large attributes' "
      "values to files (streamed, sha256-checked)");
  app->add_option("TABLE", o->table, "An existing DynamoDB table")->required();
  app->add_option("--key", o->key,
                  "The item's key in DynamoDB JSON, e.g. '{\"url\":{\"S\":\"a\"}}' (or @FILE)")
      ->required();
  app->add_option("--out", o->out,
                  "NAME=FILE: write the value of large attribute NAME to FILE (repeat for "
                  "several)")
      ->allow_extra_args(false);
  return {app, [&global, o] { return run_get(global, *o); }};
}

}  // namespace dynamate::cli
