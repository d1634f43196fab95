#include <gtest/gtest.h>

#include "web/embedded_assets.h"
#include "web/web_routes.h"

namespace pixmill::web {
namespace {

http::Response get(const http::Router& router, const std::string& path, http::Fields headers = {}) {
  http::Request request;
  request.method = "GET";
  request.path = path;
  request.headers = std::move(headers);
  auto match = router.match("GET", path);
  EXPECT_NE(match.route, nullptr) << path;
  return match.route->inline_handler(request);
}

class WebRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (auto& route : web_routes(std::make_shared<std::string>(R"({"openapi":"3.1.0"})"))) router.add(std::move(route));
  }
  http::Router router;
};

TEST_F(WebRoutesTest, PlaygroundIsServedFromTheBinary) {
  auto page = get(router, "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("/assets/app.js"), std::string::npos);
  EXPECT_NE(page.header("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  for (const char* path : {"/assets/app.js", "/assets/app.css", "/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"}) {
    auto asset = get(router, path);
    EXPECT_EQ(asset.status, 200) << path;
    EXPECT_GT(asset.body.size(), 100u) << path;
    EXPECT_EQ(asset.header("X-Content-Type-Options"), "nosniff");
  }
  EXPECT_EQ(get(router, "/assets/app.js").header("Content-Type"), "text/javascript; charset=utf-8");
}

TEST_F(WebRoutesTest, EtagRevalidationAnswers304) {
  auto first = get(router, "/assets/app.js");
  const std::string etag(first.header("ETag"));
  ASSERT_FALSE(etag.empty());
  auto again = get(router, "/assets/app.js", {{"if-none-match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(WebRoutesTest, UnknownFilesAre404) {
  EXPECT_EQ(get(router, "/assets/nope.js").status, 404);
  EXPECT_EQ(get(router, "/assets/../CMakeLists.txt").status, 404);
  EXPECT_EQ(get(router, "/docs/assets/swagger-ui-bundle.js.map").status, 404);
}

TEST_F(WebRoutesTest, OpenApiIsServedAsJson) {
  auto doc = get(router, "/openapi.json");
  EXPECT_EQ(doc.status, 200);
  EXPECT_EQ(doc.body, R"({"openapi":"3.1.0"})");
}

}  // namespace
}  // namespace pixmill::web
