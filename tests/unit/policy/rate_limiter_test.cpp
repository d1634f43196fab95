#include <gtest/gtest.h>

#include "policy/cors.h"
#include "policy/rate_limiter.h"

namespace pixmill::policy {
namespace {

using Clock = RateLimiter::Clock;

Clock::time_point at(int64_t seconds) { return Clock::time_point(std::chrono::seconds(seconds)); }

TEST(RateLimiter, AllowsUpToTheLimitPerWindow) {
  RateLimiter limiter(3);
  for (int i = 0; i < 3; ++i) {
    auto d = limiter.hit("1.2.3.4", at(6000 + i));
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, 2 - i);
    EXPECT_EQ(d.reset_epoch_s, 6060);
  }
  auto refused = limiter.hit("1.2.3.4", at(6010));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_s, 50);
}

TEST(RateLimiter, WindowEdgeStartsAFreshCount) {
  RateLimiter limiter(1);
  EXPECT_TRUE(limiter.hit("k", at(6059)).allowed);
  EXPECT_FALSE(limiter.hit("k", at(6059)).allowed);
  EXPECT_TRUE(limiter.hit("k", at(6060)).allowed);
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter limiter(1);
  EXPECT_TRUE(limiter.hit("a", at(0)).allowed);
  EXPECT_TRUE(limiter.hit("b", at(0)).allowed);
  EXPECT_FALSE(limiter.hit("a", at(1)).allowed);
}

TEST(RateLimiter, ZeroDisables) { EXPECT_FALSE(RateLimiter(0).enabled()); }

TEST(Cors, AllowlistAndPreflight) {
  Cors cors("https://a.example, https://b.example/");
  http::Request req;
  req.headers = {{"origin", "https://b.example"}};
  http::Response res;
  cors.decorate(req, res);
  EXPECT_EQ(res.header("Access-Control-Allow-Origin"), "https://b.example");
  EXPECT_NE(res.header("Access-Control-Expose-Headers").find("X-Output-Bytes"), std::string_view::npos);
  EXPECT_EQ(cors.preflight(req).status, 204);
  req.headers = {{"origin", "https://evil.example"}};
  http::Response other;
  cors.decorate(req, other);
  EXPECT_TRUE(other.header("Access-Control-Allow-Origin").empty());
  EXPECT_EQ(cors.preflight(req).status, 403);
}

TEST(Cors, Wildcard) {
  Cors cors("*");
  http::Request req;
  req.headers = {{"origin", "https://any.example"}};
  http::Response res;
  cors.decorate(req, res);
  EXPECT_EQ(res.header("Access-Control-Allow-Origin"), "*");
}

}  // namespace
}  // namespace pixmill::policy
