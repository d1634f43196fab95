#include <gtest/gtest.h>

#include <algorithm>

#include "log/log.h"

namespace pixmill::log {
namespace {

TEST(LogTest, LevelsParseAndOrder) {
  EXPECT_EQ(parse_level("debug"), Level::Debug);
  EXPECT_EQ(parse_level("error"), Level::Error);
  EXPECT_FALSE(parse_level("verbose"));
  EXPECT_FALSE(parse_level("INFO"));
  set_level(Level::Warn);
  EXPECT_FALSE(enabled(Level::Debug));
  EXPECT_FALSE(enabled(Level::Info));
  EXPECT_TRUE(enabled(Level::Warn));
  EXPECT_TRUE(enabled(Level::Error));
  set_level(Level::Debug);
  EXPECT_TRUE(enabled(Level::Debug));
  set_level(Level::Info);
}

TEST(LogTest, RecordsAreOneJsonLine) {
  testing::internal::CaptureStdout();
  write(Level::Info, "hello", {{"path", "/a\nb"}, {"n", 3}});
  write(Level::Debug, "hidden");  // below the level
  const std::string out = testing::internal::GetCapturedStdout();
  ASSERT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  auto record = nlohmann::json::parse(out);
  EXPECT_EQ(record["level"], "info");
  EXPECT_EQ(record["msg"], "hello");
  EXPECT_EQ(record["path"], "/a\nb");
  EXPECT_EQ(record["n"], 3);
}

}  // namespace
}  // namespace pixmill::log
