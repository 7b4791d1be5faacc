// dynamate/aws/error_details.hpp: the structured data that DynamoDB and S3 put
// in their error responses, attached to dynamate::Error as an ErrorDetail.
//
//   if (auto* d = error.detail<dynamate::DynamoDbErrorDetail>()) {
//     for (auto& reason : d->cancellation_reasons) ...   // TransactWriteItems
//     if (d->item) ...  // ConditionalCheckFailed with ReturnValuesOnConditionCheckFailure
//   }
//   if (auto* d = error.detail<dynamate::S3ErrorDetail>()) d->fields["Key"] ...
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dynamate/attribute_value.hpp"
#include "dynamate/error.hpp"

namespace dynamate {

// One entry of TransactionCanceledException.CancellationReasons, in the order
// of the transaction's actions. `code` is "None" for actions that did not fail,
// otherwise e.g. "ConditionalCheckFailed", "TransactionConflict",
// "ThrottlingError", "ItemCollectionSizeLimitExceeded", "ValidationError".
struct CancellationReason {
  std::string code;
  std::string message;  // empty when DynamoDB sent none
  // The item as it was, when the request asked for
  // ReturnValuesOnConditionCheckFailure=ALL_OLD and this action's check failed.
  std::optional<AttributeMap> item;
};

// One entry of ThrottlingReasons (ProvisionedThroughputExceeded,
// RequestLimitExceeded, ThrottlingException): which limit, on which resource.
struct ThrottlingReason {
  std::string reason;    // e.g. "TableReadProvisionedThroughputExceeded"
  std::string resource;  // ARN of the table or index
};

struct DynamoDbErrorDetail : ErrorDetail {
  // ConditionalCheckFailedException.Item (ReturnValuesOnConditionCheckFailure=ALL_OLD).
  std::optional<AttributeMap> item;
  // TransactionCanceledException.CancellationReasons, one per action.
  std::vector<CancellationReason> cancellation_reasons;
  std::vector<ThrottlingReason> throttling_reasons;
};

struct S3ErrorDetail : ErrorDetail {
  // Every child of <Error> other than Code, Message, RequestId and HostId, as
  // text: Key, BucketName, Resource, Region, Endpoint, RangeRequested,
  // ActualObjectSize, and SignatureDoesNotMatch's StringToSign and
  // CanonicalRequest (compare those with what the signer produced).
  std::map<std::string, std::string> fields;
  std::string host_id;        // x-amz-id-2 (or the body's HostId)
  std::string bucket_region;  // x-amz-bucket-region, sent with region errors
};

}  // namespace dynamate
