// dynamate/large_gc.hpp: the garbage collector of large attributes. Deletes
// objects under a table's prefix that no item references (orphans left by
// failed or interrupted writes, superseded shared/custom/pynamodb_mate
// objects) once they are older than a grace period.
//
//   auto report = dynamate::gc_large_objects(pages, {.grace = 24h}).value();
//
// Steps: (1) ListObjectsV2 under each prefix (a prefix inside another one of
// the same bucket is listed once), keeping in memory only the objects last
// modified before the cut-off (now - grace, taken once at the start);
// (2) after the listing, one consistent parallel Scan of the table
// (projection: the attributes of all targets) collecting the s3:// URIs items
// hold: a reference held in any target's attribute keeps the object, whatever
// target listed it; (3) for each listed object no item references, a
// HeadObject (8 in parallel): an object gone is skipped, one last modified at
// or after the cut-off or since the listing is kept (`refreshed`: written
// again meanwhile); (4) DeleteObjects in
// batches of at most 1000, per-key failures reported.
//
// Safe against concurrent writers when the grace period is longer than any
// write takes from its first upload to its DynamoDB write (LargeConfig::
// write_deadline, 15 minutes by default, makes writers give up before that):
// an object a write is about to commit is younger than the cut-off, and a
// reference committed to a listed object before the scan is seen by it.
// Shared objects are reused only within LargeConfig::shared_period (their key
// names it), so with a grace period of at least shared_period +
// write_deadline none the GC deletes is being committed. One window remains
// for custom and pynamodb_mate keys (which carry no period): a writer storing
// such a key again between the GC's HeadObject and its DeleteObjects
// (milliseconds, for an object no item held for the whole grace period)
// would commit an item whose object is then deleted; pynamodb_mate writers
// also skip the upload when the object exists. Do not collect such prefixes
// while writers store values there. A prefix must belong to one table:
// objects another table references would be taken for orphans.
//
// Calls: ListObjectsV2, Scan (ConsistentRead), HeadObject, DeleteObjects.
// Idempotent (run it again after a failure). Thread-safe; blocks until done.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/aws/s3.hpp"
#include "dynamate/result.hpp"
#include "dynamate/table.hpp"

namespace dynamate {

struct GcProgress {
  std::string phase;       // "list", "scan", "check", "delete", in this order
  std::uint64_t done = 0;  // objects listed / items scanned / checked / deleted so far
};

struct GcOptions {
  std::chrono::seconds grace = std::chrono::hours(24);
  bool dry_run = false;  // report what would be deleted, delete nothing
  // Called from the calling thread after each listed page, every ~100 ms
  // while the scan and the checks run, after each delete batch, and once at
  // the end of every phase (with its total), whether or not it had work.
  std::function<void(const GcProgress&)> progress{};
  // Scan segments run in parallel (1..64).
  int scan_segments = 4;
};

struct GcReport {
  std::uint64_t listed = 0;      // objects under the prefixes
  std::uint64_t recent = 0;      // younger than the cut-off: left alone
  std::uint64_t referenced = 0;  // old enough but an item holds them
  std::uint64_t refreshed = 0;   // unreferenced but touched since the listing: kept
  std::uint64_t items_scanned = 0;
  std::vector<std::string> deleted;              // keys deleted (dry_run: that would be)
  std::vector<aws::DeleteObjectError> failures;  // keys S3 did not delete
};

// Where a table's large objects are: one bucket and prefix, and the
// attributes that reference objects there.
struct GcTarget {
  aws::S3Client s3;
  std::string bucket;
  // Listed as is (a plain key prefix, no '/' added); may be empty: the whole
  // bucket (then it must be the table's alone).
  std::string prefix;
  std::vector<std::string> attributes;
};

// The collector itself, for any table (the CLI uses it with a runtime list
// of attributes). Errors: not_found (table or bucket), access_denied, and
// the calls' own errors (nothing is deleted when the listing, the scan or a
// HeadObject fails; a DeleteObjects request failing as a whole ends the run
// with its error); invalid_argument for no targets, a target without bucket
// or attributes, an empty table or attribute name, scan_segments outside
// 1..64, or a negative grace period (0 is for tests and quiet systems only:
// it is safe only while no writer runs).
Result<GcReport> gc_large_objects(const aws::DynamoDbClient& dynamodb, const std::string& table,
                                  const std::vector<GcTarget>& targets,
                                  const GcOptions& options = {});

namespace detail {
// The targets of a table's large fields: each field lists the prefix its key
// layout writes under (the configured prefix; for KeyLayout::pynamodb_mate
// the prefix as pynamodb_mate normalises it, plus '/'; KeyLayout::custom
// keys outside the configured prefix are never collected); fields with the
// same bucket and listing prefix share a target. invalid_argument as below.
Result<std::vector<GcTarget>> large_gc_targets(const LargeContext* context, std::string_view table);
}  // namespace detail

// For a Table<T>: every bucket/prefix its large fields use (see
// detail::large_gc_targets). invalid_argument when the model has no large
// field or a field has no S3 client or bucket.
template <class T>
Result<GcReport> gc_large_objects(const Table<T>& table, const GcOptions& options = {}) {
  auto targets = detail::large_gc_targets(table.large_context().get(), table.name());
  if (!targets) return unexpected(std::move(targets).error());
  return gc_large_objects(table.client(), table.name(), *targets, options);
}

}  // namespace dynamate
