// DynamoDB wire enums: their spelling on the wire, both ways.
#include <cstdint>

#include "aws/dynamodb_wire.hpp"

namespace dynamate::aws {

std::string_view to_string(ScalarAttributeType v) noexcept {
  switch (v) {
    case ScalarAttributeType::S:
      return "S";
    case ScalarAttributeType::N:
      return "N";
    case ScalarAttributeType::B:
      return "B";
  }
  return {};
}
std::string_view to_string(KeyType v) noexcept {
  switch (v) {
    case KeyType::hash:
      return "HASH";
    case KeyType::range:
      return "RANGE";
  }
  return {};
}
std::string_view to_string(ProjectionType v) noexcept {
  switch (v) {
    case ProjectionType::all:
      return "ALL";
    case ProjectionType::keys_only:
      return "KEYS_ONLY";
    case ProjectionType::include:
      return "INCLUDE";
  }
  return {};
}
std::string_view to_string(BillingMode v) noexcept {
  switch (v) {
    case BillingMode::provisioned:
      return "PROVISIONED";
    case BillingMode::pay_per_request:
      return "PAY_PER_REQUEST";
  }
  return {};
}
std::string_view to_string(StreamViewType v) noexcept {
  switch (v) {
    case StreamViewType::new_image:
      return "NEW_IMAGE";
    case StreamViewType::old_image:
      return "OLD_IMAGE";
    case StreamViewType::new_and_old_images:
      return "NEW_AND_OLD_IMAGES";
    case StreamViewType::keys_only:
      return "KEYS_ONLY";
  }
  return {};
}
std::string_view to_string(SseType v) noexcept {
  switch (v) {
    case SseType::aes256:
      return "AES256";
    case SseType::kms:
      return "KMS";
  }
  return {};
}
std::string_view to_string(TableClass v) noexcept {
  switch (v) {
    case TableClass::standard:
      return "STANDARD";
    case TableClass::standard_infrequent_access:
      return "STANDARD_INFREQUENT_ACCESS";
  }
  return {};
}
std::string_view to_string(ReturnValues v) noexcept {
  switch (v) {
    case ReturnValues::none:
      return "NONE";
    case ReturnValues::all_old:
      return "ALL_OLD";
    case ReturnValues::updated_old:
      return "UPDATED_OLD";
    case ReturnValues::all_new:
      return "ALL_NEW";
    case ReturnValues::updated_new:
      return "UPDATED_NEW";
  }
  return {};
}
std::string_view to_string(ReturnValuesOnConditionCheckFailure v) noexcept {
  switch (v) {
    case ReturnValuesOnConditionCheckFailure::none:
      return "NONE";
    case ReturnValuesOnConditionCheckFailure::all_old:
      return "ALL_OLD";
  }
  return {};
}
std::string_view to_string(Select v) noexcept {
  switch (v) {
    case Select::all_attributes:
      return "ALL_ATTRIBUTES";
    case Select::all_projected_attributes:
      return "ALL_PROJECTED_ATTRIBUTES";
    case Select::specific_attributes:
      return "SPECIFIC_ATTRIBUTES";
    case Select::count:
      return "COUNT";
  }
  return {};
}
std::string_view to_string(ReturnConsumedCapacity v) noexcept {
  switch (v) {
    case ReturnConsumedCapacity::none:
      return "NONE";
    case ReturnConsumedCapacity::total:
      return "TOTAL";
    case ReturnConsumedCapacity::indexes:
      return "INDEXES";
  }
  return {};
}
std::string_view to_string(ReturnItemCollectionMetrics v) noexcept {
  switch (v) {
    case ReturnItemCollectionMetrics::none:
      return "NONE";
    case ReturnItemCollectionMetrics::size:
      return "SIZE";
  }
  return {};
}
std::string_view to_string(TableStatus v) noexcept {
  switch (v) {
    case TableStatus::creating:
      return "CREATING";
    case TableStatus::updating:
      return "UPDATING";
    case TableStatus::deleting:
      return "DELETING";
    case TableStatus::active:
      return "ACTIVE";
    case TableStatus::inaccessible_encryption_credentials:
      return "INACCESSIBLE_ENCRYPTION_CREDENTIALS";
    case TableStatus::archiving:
      return "ARCHIVING";
    case TableStatus::archived:
      return "ARCHIVED";
    case TableStatus::replication_not_authorized:
      return "REPLICATION_NOT_AUTHORIZED";
    case TableStatus::unknown:
      return "UNKNOWN";
  }
  return {};
}
std::string_view to_string(IndexStatus v) noexcept {
  switch (v) {
    case IndexStatus::creating:
      return "CREATING";
    case IndexStatus::updating:
      return "UPDATING";
    case IndexStatus::deleting:
      return "DELETING";
    case IndexStatus::active:
      return "ACTIVE";
    case IndexStatus::unknown:
      return "UNKNOWN";
  }
  return {};
}
std::string_view to_string(TimeToLiveStatus v) noexcept {
  switch (v) {
    case TimeToLiveStatus::enabling:
      return "ENABLING";
    case TimeToLiveStatus::disabling:
      return "DISABLING";
    case TimeToLiveStatus::enabled:
      return "ENABLED";
    case TimeToLiveStatus::disabled:
      return "DISABLED";
    case TimeToLiveStatus::unknown:
      return "UNKNOWN";
  }
  return {};
}
std::string_view to_string(SseStatus v) noexcept {
  switch (v) {
    case SseStatus::enabling:
      return "ENABLING";
    case SseStatus::enabled:
      return "ENABLED";
    case SseStatus::disabling:
      return "DISABLING";
    case SseStatus::disabled:
      return "DISABLED";
    case SseStatus::updating:
      return "UPDATING";
    case SseStatus::unknown:
      return "UNKNOWN";
  }
  return {};
}

namespace detail {

// Every enum here has consecutive values from 0 and to_string() answers ""
// past the last one, so the reverse mapping is a short linear search.
template <class E>
std::optional<E> enum_from_string(std::string_view text) noexcept {
  for (unsigned i = 0; i < 256; ++i) {
    const auto v = static_cast<E>(i);
    const std::string_view name = to_string(v);
    if (name.empty()) break;
    if (name == text) return v;
  }
  return std::nullopt;
}

template std::optional<ScalarAttributeType> enum_from_string(std::string_view) noexcept;
template std::optional<KeyType> enum_from_string(std::string_view) noexcept;
template std::optional<ProjectionType> enum_from_string(std::string_view) noexcept;
template std::optional<BillingMode> enum_from_string(std::string_view) noexcept;
template std::optional<StreamViewType> enum_from_string(std::string_view) noexcept;
template std::optional<SseType> enum_from_string(std::string_view) noexcept;
template std::optional<TableClass> enum_from_string(std::string_view) noexcept;
template std::optional<ReturnValues> enum_from_string(std::string_view) noexcept;
template std::optional<ReturnValuesOnConditionCheckFailure> enum_from_string(
    std::string_view) noexcept;
template std::optional<Select> enum_from_string(std::string_view) noexcept;
template std::optional<ReturnConsumedCapacity> enum_from_string(std::string_view) noexcept;
template std::optional<ReturnItemCollectionMetrics> enum_from_string(std::string_view) noexcept;
template std::optional<TableStatus> enum_from_string(std::string_view) noexcept;
template std::optional<IndexStatus> enum_from_string(std::string_view) noexcept;
template std::optional<TimeToLiveStatus> enum_from_string(std::string_view) noexcept;
template std::optional<SseStatus> enum_from_string(std::string_view) noexcept;

}  // namespace detail
}  // namespace dynamate::aws
