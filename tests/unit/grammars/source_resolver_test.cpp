// Sources: absolute URLs, SOURCE_BASE_URL, and SOURCE_DIR without escapes.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "grammars/source_resolver.h"

namespace pixmill::grammars {
namespace {

namespace fs = std::filesystem;

class SourceDir : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("pixmill-sources-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "inside" / "deep");
    fs::create_directories(root_.parent_path() / ("pixmill-outside-" + std::to_string(::getpid())));
    outside_ = root_.parent_path() / ("pixmill-outside-" + std::to_string(::getpid())) / "secret.jpg";
    std::ofstream(root_ / "inside" / "deep" / "a.jpg") << "image bytes";
    std::ofstream(outside_) << "secret";
    fs::create_symlink(outside_, root_ / "inside" / "escape.jpg");
    fs::create_symlink(root_ / "inside" / "deep" / "a.jpg", root_ / "inside" / "alias.jpg");
    settings_.dir = (root_ / "inside").string();
  }
  void TearDown() override {
    fs::remove_all(root_);
    fs::remove_all(outside_.parent_path());
  }
  fs::path root_;
  fs::path outside_;
  SourceSettings settings_;
};

TEST_F(SourceDir, ReadsFilesInsideAndLinksThatStayInside) {
  auto r = resolve_source("/deep/a.jpg", settings_);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->local);
  std::string identity;
  auto bytes = read_local_source(r->location, 1 << 20, &identity);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes, "image bytes");
  EXPECT_NE(identity.find("file:"), std::string::npos);
  EXPECT_TRUE(resolve_source("alias.jpg", settings_));
  EXPECT_TRUE(resolve_source("local:///deep/a.jpg", settings_));
}

TEST_F(SourceDir, RefusesEveryWayOut) {
  for (const char* escape : {"../../etc/passwd", "deep/../../x.jpg", "escape.jpg", "local:///../secret.jpg", "/deep/../../../etc/passwd"}) {
    auto r = resolve_source(escape, settings_);
    ASSERT_FALSE(r) << escape;
    EXPECT_EQ(r.error().code, ErrorCode::UrlNotAllowed) << escape;
  }
  auto missing = resolve_source("nope.jpg", settings_);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

TEST_F(SourceDir, SizeLimitIsEnforced) {
  auto r = resolve_source("deep/a.jpg", settings_);
  ASSERT_TRUE(r);
  auto small = read_local_source(r->location, 4);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().code, ErrorCode::FileTooLarge);
}

TEST(SourceResolver, AbsoluteUrlsBaseUrlAndOtherSchemes) {
  SourceSettings s;
  auto abs = resolve_source("https://example.com/a.jpg", s);
  ASSERT_TRUE(abs);
  EXPECT_FALSE(abs->local);
  EXPECT_EQ(abs->location, "https://example.com/a.jpg");
  auto relative = resolve_source("img/a.jpg", s);
  ASSERT_FALSE(relative);
  EXPECT_EQ(relative.error().code, ErrorCode::InvalidInput);
  s.base_url = "https://cdn.example.com/media/";
  EXPECT_EQ(resolve_source("/img/a.jpg", s)->location, "https://cdn.example.com/media/img/a.jpg");
  s.base_url = "https://cdn.example.com/media";
  EXPECT_EQ(resolve_source("img/a.jpg", s)->location, "https://cdn.example.com/media/img/a.jpg");
  for (const char* other : {"file:///etc/passwd", "gopher://x/y", "s3://bucket/key"}) {
    auto r = resolve_source(other, s);
    ASSERT_FALSE(r) << other;
    EXPECT_EQ(r.error().code, ErrorCode::UrlNotAllowed) << other;
  }
  EXPECT_FALSE(resolve_source("local:///a.jpg", s));  // no SOURCE_DIR
}

}  // namespace
}  // namespace pixmill::grammars
