// Helpers shared by BatchWrite (batch.cpp) and BatchGet (batch_get.cpp).
// Private.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dynamate/batch.hpp"

namespace dynamate::detail {

// invalid_argument for max_attempts < 1 or negative delays.
Result<void> check_batch_options(const BatchOptions& o);
// The back-off before the next request after `streak` consecutive answers
// with unprocessed entries; unit_random in [0, 1] (used with jitter).
std::chrono::nanoseconds batch_backoff(const BatchOptions& o, int streak, double unit_random);
// Sleeps batch_backoff(o, streak, random) on the client's clock.
void batch_sleep(const aws::DynamoDbClient& client, const BatchOptions& o, int streak);
// A key as text, for matching and duplicate detection: DynamoDB JSON with
// numbers in Decimal's canonical text, so that "1.0", "1" and "1E0" match.
std::string key_id(const AttributeMap& key);
std::string seen_id(std::string_view table, const std::string& key);
// The key attributes `names` of `item`.
Result<AttributeMap> project_key(const AttributeMap& item, const std::vector<std::string>& names,
                                 std::string_view table);
// Puts `detail` on `e`, keeping the fields of e's DynamoDbErrorDetail.
Error attach(Error e, std::shared_ptr<DynamoDbErrorDetail> detail);

}  // namespace dynamate::detail
