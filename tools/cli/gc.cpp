// `dynamate gc TABLE --bucket B --prefix P --large NAME[,NAME]`: deletes the
// objects under the prefix that no item of the table references and that are
// older than the grace period (gc_large_objects, large_gc.hpp). Progress on
// stderr, the keys and a summary on stdout; exit 1 if S3 refused some keys.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "dynamate/large_gc.hpp"

namespace dynamate::cli {
namespace {

struct GcCommandOptions {
  std::string table;
  std::string bucket;
  std::string prefix;
  std::vector<std::string> large;
  std::int64_t grace = 24 * 3600;
  bool dry_run = false;
};

int run_gc(const GlobalOptions& global, const GcCommandOptions& o) {
  auto clients = make_clients(global);
  if (!clients) return fail(clients.error());
  GcOptions options;
  options.grace = std::chrono::seconds(o.grace);
  options.dry_run = o.dry_run;
  std::string last;
  options.progress = [&last](const GcProgress& p) {
    std::string line = "gc: " + p.phase + " " + std::to_string(p.done);
    if (line != last) std::cerr << line << "\n";
    last = std::move(line);
  };
  std::vector<GcTarget> targets{{clients->s3, o.bucket, o.prefix, o.large}};
  auto report = gc_large_objects(clients->dynamodb, o.table, targets, options);
  if (!report) return fail(report.error());
  const char* verb = o.dry_run ? "would delete " : "deleted ";
  for (const auto& key : report->deleted) std::cout << verb << key << "\n";
  std::cout << "gc " << o.table << " s3://" << o.bucket << "/" << o.prefix << ": " << report->listed
            << " objects listed, " << report->recent << " younger than the grace period, "
            << report->referenced << " referenced, " << report->refreshed
            << " refreshed since the listing, " << report->items_scanned << " items scanned, "
            << report->deleted.size()
            << (o.dry_run ? " orphans would be deleted (dry run)" : " orphans deleted") << ", "
            << report->failures.size() << " failed\n";
  if (!report->failures.empty()) {
    for (const auto& f : report->failures) {
      std::cerr << "dynamate: could not delete " << f.key << ": " << f.code << " " << f.message
                << "\n";
    }
    return 1;
  }
  return 0;
}

}  // namespace

Command add_gc_command(CLI::App& parent, const GlobalOptions& global) {
  auto o = std::make_shared<GcCommandOptions>();
  auto* app = parent.add_subcommand(
      "gc",
      "Delete orphaned large-attribute objects: under the prefix, older than the grace period, "
      "referenced by no item of the table (the prefix must belong to this table alone)");
  app->add_option("TABLE", o->table, "The DynamoDB table whose items reference the objects")
      ->required();
  app->add_option("--bucket", o->bucket, "S3 bucket")->required();
  app->add_option("--prefix", o->prefix, "Key prefix of the table's objects ('' for all)")
      ->required();
  app->add_option("--large", o->large, "NAME[,NAME]: the attributes that hold S3 URIs")
      ->required()
      ->delimiter(',')
      ->allow_extra_args(false);
  app->add_option("--grace", o->grace,
                  "Seconds: only objects older than this are candidates (longer than any write "
                  "takes; 0 only while nothing writes)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app->add_flag("--dry-run", o->dry_run, "List what would be deleted, delete nothing");
  return {app, [&global, o] { return run_gc(global, *o); }};
}

}  // namespace dynamate::cli
