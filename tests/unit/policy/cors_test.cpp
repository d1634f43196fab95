#include <gtest/gtest.h>

#include "policy/cors.h"

namespace pixmill::policy {
namespace {

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
