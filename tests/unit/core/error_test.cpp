#include "core/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace lbrec::core {
namespace {

struct Expected {
  ErrorCode code;
  int status;
  std::string_view name;
};

const std::vector<Expected>& all_codes() {
  static const std::vector<Expected> table = {
      {ErrorCode::kInvalidInput, 400, "invalid_input"},
      {ErrorCode::kNotFound, 404, "not_found"},
      {ErrorCode::kBlocked, 503, "blocked"},
      {ErrorCode::kRateLimited, 429, "rate_limited"},
      {ErrorCode::kUnavailable, 503, "unavailable"},
      {ErrorCode::kUpstreamError, 502, "upstream_error"},
      {ErrorCode::kParseError, 502, "parse_error"},
      {ErrorCode::kUnauthorized, 401, "unauthorized"},
      {ErrorCode::kConfigError, 500, "config_error"},
      {ErrorCode::kInternal, 500, "internal"},
  };
  return table;
}

TEST(ErrorCode, HttpStatusForEveryCode) {
  for (const auto& e : all_codes()) {
    EXPECT_EQ(http_status(e.code), e.status) << to_string(e.code);
  }
}

TEST(ErrorCode, NamesForEveryCode) {
  for (const auto& e : all_codes())
    EXPECT_EQ(to_string(e.code), e.name);
}

TEST(ErrorCode, TableCoversEveryEnumerator) {
  // kInternal is the last enumerator; the table above must list every value up to it.
  EXPECT_EQ(all_codes().size(), static_cast<std::size_t>(ErrorCode::kInternal) + 1);
}

TEST(ErrorCode, NamesAreUniqueLowerSnakeCase) {
  std::set<std::string_view> seen;
  for (const auto& e : all_codes()) {
    const std::string_view name = to_string(e.code);
    EXPECT_TRUE(seen.insert(name).second) << "duplicate " << name;
    ASSERT_FALSE(name.empty());
    for (char c : name)
      EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << name;
  }
}

TEST(ErrorCode, StatusesAreErrorStatuses) {
  for (const auto& e : all_codes()) {
    EXPECT_GE(http_status(e.code), 400);
    EXPECT_LE(http_status(e.code), 599);
  }
}

TEST(ErrorCode, OutOfRangeValueFallsBackToInternal) {
  const auto bogus = static_cast<ErrorCode>(250);
  EXPECT_EQ(http_status(bogus), 500);
  EXPECT_EQ(to_string(bogus), "internal");
}

TEST(Error, DefaultIsInternalAndNotRetryable) {
  const Error e;
  EXPECT_EQ(e.code, ErrorCode::kInternal);
  EXPECT_TRUE(e.message.empty());
  EXPECT_FALSE(e.retryable);
}

Result<int> half(int n) {
  if (n % 2 != 0) return fail(ErrorCode::kInvalidInput, "odd: " + std::to_string(n));
  return n / 2;
}

Result<std::string> fetch(bool up) {
  if (!up) return fail(ErrorCode::kUnavailable, "upstream down", /*retryable=*/true);
  return std::string("ok");
}

TEST(Fail, ProducesAResultHoldingTheError) {
  const Result<int> r = half(3);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(r.error().message, "odd: 3");
  EXPECT_FALSE(r.error().retryable);
}

TEST(Fail, CarriesRetryable) {
  const auto r = fetch(false);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(r.error().retryable);
  EXPECT_EQ(http_status(r.error().code), 503);
}

TEST(Fail, SuccessPathHoldsTheValue) {
  const Result<int> r = half(8);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 4);
  EXPECT_EQ(*fetch(true), "ok");
}

TEST(Fail, ComposesWithAndThen) {
  const auto quarter = [](int n) { return half(n).and_then(half); };
  EXPECT_EQ(*quarter(8), 2);
  const auto r = quarter(6);  // 6 -> 3 -> odd
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "odd: 3");
}

TEST(Fail, WorksForVoidResults) {
  const Result<void> r = fail(ErrorCode::kNotFound, "gone");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  const Result<void> ok;
  EXPECT_TRUE(ok.has_value());
}

}  // namespace
}  // namespace lbrec::core
