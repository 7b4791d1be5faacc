// The large-attribute invariant, checked against the local servers:
//   (1) every URI a large attribute of any item holds names an object that
//       exists (HeadObject): no dangling reference, ever;
//   (2) orphans: objects under the table's prefixes that no item references
//       (allowed after an ambiguous failure, a failed clean-up or a crash;
//       none after a definite failure or a GC).
// Reads: one consistent Scan of the table (all pages), ListObjectsV2 of each
// prefix, one HeadObject per distinct URI. Thread-safe; meant to run while no
// writer does.
#pragma once

#include <string>
#include <vector>

#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/aws/s3.hpp"
#include "dynamate/table.hpp"

namespace dynamate::test {

struct LargeScope {
  aws::S3Client s3;
  std::string bucket;
  std::string prefix;
  std::vector<std::string> attributes;
};

struct LargeInvariantReport {
  std::size_t items = 0;
  std::vector<std::string> referenced;  // distinct URIs held by items (sorted)
  std::vector<std::string> missing;     // referenced URIs whose object is absent
  std::vector<std::string> orphans;     // URIs of unreferenced objects under the prefixes
  std::vector<std::string> objects;     // URIs of every object under the prefixes
  bool no_dangling() const { return missing.empty(); }
  // One line per problem, for assertion messages.
  std::string describe() const;
};

Result<LargeInvariantReport> check_large_invariant(const aws::DynamoDbClient& dynamodb,
                                                   const std::string& table,
                                                   const std::vector<LargeScope>& scopes);

// The scopes of a Table<T>'s large fields (fields sharing a bucket and prefix
// are merged), as gc_large_objects(Table<T>) computes its targets.
template <class T>
std::vector<LargeScope> large_scopes(const Table<T>& table) {
  std::vector<LargeScope> out;
  const auto& context = table.large_context();
  if (!context) return out;
  for (const auto& f : context->fields) {
    if (!f.s3) continue;
    bool merged = false;
    for (auto& s : out) {
      if (s.bucket == f.bucket && s.prefix == f.prefix) {
        s.attributes.push_back(f.attribute);
        merged = true;
      }
    }
    if (!merged) out.push_back({*f.s3, f.bucket, f.prefix, {f.attribute}});
  }
  return out;
}

template <class T>
Result<LargeInvariantReport> check_large_invariant(const Table<T>& table) {
  return check_large_invariant(table.client(), table.name(), large_scopes(table));
}

}  // namespace dynamate::test
