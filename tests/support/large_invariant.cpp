#include "support/large_invariant.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace dynamate::test {

std::string LargeInvariantReport::describe() const {
  std::string out = std::to_string(items) + " items, " + std::to_string(referenced.size()) +
                    " referenced objects, " + std::to_string(objects.size()) +
                    " objects under the prefixes";
  for (const auto& m : missing) out += "\n  DANGLING (referenced, missing): " + m;
  for (const auto& o : orphans) out += "\n  orphan: " + o;
  return out;
}

Result<LargeInvariantReport> check_large_invariant(const aws::DynamoDbClient& dynamodb,
                                                   const std::string& table,
                                                   const std::vector<LargeScope>& scopes) {
  if (scopes.empty()) return unexpected(ErrorCode::invalid_argument, "no large scopes");
  std::set<std::string, std::less<>> attributes;
  for (const auto& s : scopes) attributes.insert(s.attributes.begin(), s.attributes.end());

  LargeInvariantReport report;
  std::set<std::string> referenced;
  aws::ScanRequest scan;
  scan.table_name = table;
  scan.consistent_read = true;
  for (;;) {
    auto page = dynamodb.scan(scan);
    if (!page) return unexpected(std::move(page).error());
    for (const auto& item : page->items) {
      ++report.items;
      for (const auto& [name, value] : item) {
        if (!attributes.contains(name)) continue;
        const std::string* s = value.as_string();
        if (s != nullptr && s->starts_with("s3://")) referenced.insert(*s);
      }
    }
    if (!page->last_evaluated_key) break;
    scan.exclusive_start_key = std::move(page->last_evaluated_key);
  }
  report.referenced.assign(referenced.begin(), referenced.end());

  for (const auto& uri : report.referenced) {
    const std::string rest = uri.substr(5);
    const auto slash = rest.find('/');
    if (slash == std::string::npos) {
      report.missing.push_back(uri);
      continue;
    }
    const std::string bucket = rest.substr(0, slash), key = rest.substr(slash + 1);
    const LargeScope* scope = &scopes.front();
    for (const auto& s : scopes) {
      if (s.bucket == bucket) scope = &s;
    }
    auto head = scope->s3.head_object(bucket, key);
    if (!head) {
      if (head.error().code != ErrorCode::not_found) return unexpected(std::move(head).error());
      report.missing.push_back(uri);
    }
  }

  std::set<std::string> listed;
  for (const auto& s : scopes) {
    auto all = s.s3.list_all_objects(s.bucket, {.prefix = s.prefix});
    if (!all) return unexpected(std::move(all).error());
    for (const auto& o : all->objects) listed.insert("s3://" + s.bucket + "/" + o.key);
  }
  report.objects.assign(listed.begin(), listed.end());
  for (const auto& uri : listed) {
    if (!referenced.contains(uri)) report.orphans.push_back(uri);
  }
  return report;
}

}  // namespace dynamate::test
