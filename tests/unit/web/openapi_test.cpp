// The OpenAPI document against the real route table: every route is documented and
// appears with its method, and every operation in the document is a route.

#include <gtest/gtest.h>

#include <set>

#include "app/routes.h"
#include "dialects/native_params.h"
#include "web/openapi.h"
#include "web/route_docs.h"

namespace pixmill {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override { doc = web::openapi_document(router, "test"); }
  app::Config config;
  http::Router router = app::build_router(config);
  nlohmann::ordered_json doc;
};

TEST_F(OpenApiTest, EveryRouteIsDocumentedWithItsMethod) {
  ASSERT_FALSE(router.routes().empty());
  for (const auto& route : router.routes()) {
    EXPECT_NE(web::find_route_doc(route.name), nullptr) << route.name << " has no entry in src/web/route_docs.cpp";
    const std::string path = web::openapi_path(route);
    ASSERT_TRUE(doc["paths"].contains(path)) << path;
    EXPECT_TRUE(doc["paths"][path].contains(lower(route.method))) << route.method << " " << path;
  }
}

TEST_F(OpenApiTest, EveryOperationIsARoute) {
  std::set<std::pair<std::string, std::string>> routes;
  for (const auto& route : router.routes()) routes.insert({web::openapi_path(route), lower(route.method)});
  size_t operations = 0;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      ++operations;
      EXPECT_TRUE(routes.count({path, method})) << method << " " << path << " is documented but not routed";
    }
  }
  EXPECT_EQ(operations, router.routes().size());
}

TEST_F(OpenApiTest, NativeParametersCarryTheParserBounds) {
  const auto& params = doc["paths"]["/api/v1/process"]["get"]["parameters"];
  std::set<std::string> names;
  for (const auto& p : params) names.insert(p["name"].get<std::string>());
  for (const auto& spec : dialects::native_params()) EXPECT_TRUE(names.count(spec.name)) << spec.name;
  for (const auto& p : params) {
    const auto* spec = dialects::find_param(dialects::native_params(), p["name"].get<std::string>());
    if (!spec || spec->type != dialects::ParamType::Integer) continue;
    // A number or a word (quality: 80 or auto:eco) is a oneOf of the two.
    const auto& number = spec->choices.empty() ? p["schema"] : p["schema"]["oneOf"][0];
    EXPECT_EQ(number["minimum"].get<double>(), spec->min) << spec->name;
    EXPECT_EQ(number["maximum"].get<double>(), spec->max) << spec->name;
    if (!spec->choices.empty()) {
      EXPECT_EQ(p["schema"]["oneOf"][1]["enum"].get<std::vector<std::string>>(), spec->choices);
    }
  }
}

TEST_F(OpenApiTest, EndpointsListOnlyWhatTheyAccept) {
  // /convert takes output parameters only: width would be refused, so it is not offered.
  std::set<std::string> names;
  for (const auto& p : doc["paths"]["/api/v1/convert"]["post"]["parameters"]) names.insert(p["name"].get<std::string>());
  EXPECT_TRUE(names.count("format"));
  EXPECT_FALSE(names.count("width"));
  EXPECT_FALSE(names.count("brightness"));
}

TEST_F(OpenApiTest, ErrorStatusesFollowTheDialect) {
  // petiteimg answers most input errors with 400, so it never documents 415 or 422.
  const auto& petite = doc["paths"]["/v1/process"]["post"]["responses"];
  EXPECT_TRUE(petite.contains("400"));
  EXPECT_FALSE(petite.contains("415"));
  const auto& native = doc["paths"]["/api/v1/process"]["post"]["responses"];
  EXPECT_TRUE(native.contains("415"));
  EXPECT_TRUE(native.contains("422"));
  EXPECT_EQ(native["415"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/NativeError");
}

}  // namespace
}  // namespace pixmill
