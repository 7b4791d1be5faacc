// Result<T>, Error and Exception behaviour.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "dynamate/result.hpp"

namespace dynamate {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return unexpected(ErrorCode::invalid_argument, "not positive: " + std::to_string(v));
  return v;
}

TEST(Result, HoldsValueOrError) {
  auto ok = parse_positive(3);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 3);
  EXPECT_EQ(ok.value(), 3);
  auto bad = parse_positive(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(bad.error().message, "not positive: -1");
  EXPECT_EQ(bad.value_or(7), 7);
}

TEST(Result, ValueThrowsExceptionCarryingTheError) {
  auto bad = parse_positive(0);
  try {
    (void)bad.value();
    FAIL() << "value() on an error must throw";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("invalid_argument: not positive: 0"), std::string::npos);
  }
}

TEST(Result, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(Result, VoidResult) {
  Result<void> ok;
  EXPECT_TRUE(ok);
  EXPECT_NO_THROW(ok.value());
  Result<void> bad = unexpected(ErrorCode::timeout, "slow");
  EXPECT_FALSE(bad);
  EXPECT_THROW(bad.value(), Exception);
}

TEST(Error, ToStringIncludesServiceFields) {
  Error e(ErrorCode::condition_failed, "The conditional request failed");
  e.aws_code = "ConditionalCheckFailedException";
  e.http_status = 400;
  e.request_id = "ABC";
  EXPECT_EQ(e.to_string(),
            "condition_failed: ConditionalCheckFailedException: The conditional request failed "
            "(HTTP 400, request id ABC)");
  e.with_context("saving page");
  EXPECT_EQ(e.message, "saving page: The conditional request failed");
}

TEST(Error, EveryCodeHasAName) {
  for (int c = 0; c <= static_cast<int>(ErrorCode::internal); ++c) {
    EXPECT_NE(to_string(static_cast<ErrorCode>(c)), "unknown") << c;
  }
}

struct MyDetail : ErrorDetail {
  int n = 42;
};

TEST(Error, TypedDetail) {
  Error e(ErrorCode::service, "x");
  EXPECT_EQ(e.detail<MyDetail>(), nullptr);
  e.details = std::make_shared<MyDetail>();
  ASSERT_NE(e.detail<MyDetail>(), nullptr);
  EXPECT_EQ(e.detail<MyDetail>()->n, 42);
}

}  // namespace
}  // namespace dynamate
