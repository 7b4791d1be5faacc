// Table<T> lifecycle against DynamoDB Local: create_table from a schema with
// a GSI (INCLUDE), an LSI (KEYS_ONLY), provisioned capacity, a stream and TTL;
// exists, describe, ignore_existing, update_ttl, delete_table with its wait
// and ignore_missing; a billing-mode override.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "orm_everything.hpp"

namespace dynamate {
namespace {

using namespace std::chrono_literals;
using orm_it::Address;
using orm_it::Everything;
using test::OrmTableLocal;
using test::sample;

TEST_F(OrmTableLocal, LifecycleFromTheSchema) {
  Table<Everything> t(client_, {.table_name = test::unique_name("dynamate-orm")});
  created_.push_back(t.name());
  auto before = t.exists();
  ASSERT_TRUE(before) << before.error().to_string();
  EXPECT_FALSE(*before);

  auto d = t.create_table({.timeout = 60s});
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->table_status, aws::TableStatus::active);
  EXPECT_TRUE(d->fully_active());
  EXPECT_EQ(d->billing_mode, aws::BillingMode::provisioned);
  ASSERT_TRUE(d->provisioned_throughput);
  EXPECT_EQ(d->provisioned_throughput->read_capacity_units, 5);
  ASSERT_EQ(d->key_schema.size(), 2u);
  EXPECT_EQ(d->key_schema[0].attribute_name, "id");
  EXPECT_EQ(d->key_schema[1].attribute_name, "seq");
  EXPECT_EQ(d->attribute_definitions.size(), 4u);  // id, seq, text, small
  const auto* gsi = d->find_global_index("by-text");
  ASSERT_NE(gsi, nullptr);
  EXPECT_EQ(gsi->projection.projection_type, aws::ProjectionType::include);
  EXPECT_EQ(std::set<std::string>(gsi->projection.non_key_attributes.begin(),
                                  gsi->projection.non_key_attributes.end()),
            (std::set<std::string>{"ratio", "flag"}));
  ASSERT_TRUE(gsi->provisioned_throughput);
  EXPECT_EQ(gsi->provisioned_throughput->write_capacity_units, 5);
  ASSERT_EQ(d->local_secondary_indexes.size(), 1u);
  EXPECT_EQ(d->local_secondary_indexes[0].index_name, "by-small");
  EXPECT_EQ(d->local_secondary_indexes[0].projection.projection_type,
            aws::ProjectionType::keys_only);
  ASSERT_TRUE(d->stream_specification);
  EXPECT_TRUE(d->stream_specification->stream_enabled);

  auto ttl = client_.describe_time_to_live(t.name());
  ASSERT_TRUE(ttl) << ttl.error().to_string();
  EXPECT_EQ(ttl->time_to_live_status, aws::TimeToLiveStatus::enabled);
  EXPECT_EQ(ttl->attribute_name, "expires");

  auto now = t.exists();
  ASSERT_TRUE(now);
  EXPECT_TRUE(*now);
  auto described = t.describe();
  ASSERT_TRUE(described);
  EXPECT_EQ(described->table_name, t.name());

  // Creating it again: already_exists, or the existing table.
  auto again = t.create_table({.timeout = 60s});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::already_exists);
  auto kept = t.create_table({.timeout = 60s, .ignore_existing = true});
  ASSERT_TRUE(kept) << kept.error().to_string();
  EXPECT_EQ(kept->table_name, t.name());

  // TTL off and on again.
  ASSERT_TRUE(t.update_ttl(false));
  ttl = client_.describe_time_to_live(t.name());
  ASSERT_TRUE(ttl);
  EXPECT_NE(ttl->time_to_live_status, aws::TimeToLiveStatus::enabled);

  ASSERT_TRUE(t.delete_table({.timeout = 60s}));
  auto after = t.exists();
  ASSERT_TRUE(after);
  EXPECT_FALSE(*after);
  auto missing = t.delete_table({.timeout = 60s});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_TRUE(t.delete_table({.timeout = 60s, .ignore_missing = true}));
}

TEST_F(OrmTableLocal, PayPerRequestOverride) {
  Table<Everything> t(client_, {.table_name = test::unique_name("dynamate-orm")});
  created_.push_back(t.name());
  auto d = t.create_table(
      {.timeout = 60s, .billing_mode = aws::BillingMode::pay_per_request, .enable_ttl = false});
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->billing_mode, aws::BillingMode::pay_per_request);
  auto ttl = client_.describe_time_to_live(t.name());
  ASSERT_TRUE(ttl);
  EXPECT_NE(ttl->time_to_live_status, aws::TimeToLiveStatus::enabled);
}

}  // namespace
}  // namespace dynamate
