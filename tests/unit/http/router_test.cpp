#include "http/router.h"
#include "http/stages.h"

#include <gtest/gtest.h>

namespace pixmill::http {
namespace {

Response named(std::string body) {
  Response r;
  r.body = std::move(body);
  return r;
}

RouteSpec page(std::string method, std::string pattern, std::string name) {
  return {.method = std::move(method), .pattern = std::move(pattern), .name = name, .access = AccessClass::Public,
          .inline_handler = [name](const Request&) { return named(name); }};
}

TEST(Router, MatchesExactPathsAndPrefixesInOrder) {
  Router router;
  router.add(page("GET", "/api/v1/preset/*", "preset"));
  router.add(page("GET", "/api/v1/process", "process"));
  router.add(page("GET", "/*", "root"));
  EXPECT_EQ(router.match("GET", "/api/v1/process").route->name, "process");
  EXPECT_EQ(router.match("GET", "/api/v1/preset/ig-post").route->name, "preset");
  // A prefix needs something after it.
  EXPECT_EQ(router.match("GET", "/api/v1/preset/").route->name, "root");
  EXPECT_EQ(router.match("GET", "/anything").route->name, "root");
}

TEST(Router, HeadIsAnsweredLikeGet) {
  Router router;
  router.add(page("GET", "/healthz", "healthz"));
  ASSERT_NE(router.match("HEAD", "/healthz").route, nullptr);
  EXPECT_EQ(router.match("HEAD", "/healthz").route->name, "healthz");
}

TEST(Router, AnotherMethodOnAKnownPathIs405NotFound) {
  Router router;
  router.add(page("GET", "/v1/presets", "presets"));
  const RouteMatch m = router.match("POST", "/v1/presets");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_known);
  const RouteMatch unknown = router.match("GET", "/v1/nothing");
  EXPECT_EQ(unknown.route, nullptr);
  EXPECT_FALSE(unknown.path_known);
}

TEST(Router, AGroupsErrorShapeCoversItsUnknownPaths) {
  Router router;
  auto shaped = [](std::string tag) { return [tag](const Error&) { return named(tag); }; };
  router.add(RouteGroup{.error_prefix = "/api/", .render_error = shaped("feather"), .routes = {page("GET", "/api/health", "health")}});
  router.add(RouteGroup{.error_prefix = "/api/v1/", .render_error = shaped("native")});
  const Error e = make_error(ErrorCode::NotFound, "x");
  // The longest prefix owns the path.
  ASSERT_NE(router.match("GET", "/api/v1/nope").render_error, nullptr);
  EXPECT_EQ((*router.match("GET", "/api/v1/nope").render_error)(e).body, "native");
  EXPECT_EQ((*router.match("GET", "/api/nope").render_error)(e).body, "feather");
  EXPECT_EQ(router.match("GET", "/elsewhere").render_error, nullptr);
}

TEST(Router, SpecsCarryTheirAccessClassAndClassifier) {
  Router router;
  router.add(RouteSpec{.method = "POST", .pattern = "/work", .name = "work",
                       .stages = stages<std::string>({
                           .parse = [](Request& r) -> Result<std::string> { return std::move(r.body); },
                           .classify = [](const std::string& body) { return body == "ai" ? AccessClass::Ai : AccessClass::Cpu; },
                           .work = [](std::string&, const Request&, const core::Deadline&) -> Result<Response> { return named("done"); },
                       })});
  const RouteSpec* route = router.match("POST", "/work").route;
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->access, AccessClass::Cpu);  // the default: keys and limits apply
  Request ai;
  ai.body = "ai";
  StageValue ai_value;
  EXPECT_EQ(route->stages.classify(ai, ai_value), AccessClass::Ai);
  Request cpu;
  StageValue cpu_value;
  EXPECT_EQ(route->stages.classify(cpu, cpu_value), AccessClass::Cpu);
  EXPECT_EQ(route->fetch_kind, "image");
}

}  // namespace
}  // namespace pixmill::http
