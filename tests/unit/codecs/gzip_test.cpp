// Bounded gzip inflation (for .svgz): exact content, every member, and a bomb stopped
// at the bound instead of inflated.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "codecs/gzip.h"
#include "gzip_builder.h"
#include "test_images.h"

namespace pixmill::codecs {
namespace {

using testing::bytes_of;
using testing::gzip_spaces;
using testing::gzip_stored;

constexpr size_t kMiB = size_t{1} << 20;

TEST(Gzip, RecognisesTheMagic) {
  EXPECT_TRUE(is_gzip(bytes_of(gzip_stored("x"))));
  EXPECT_FALSE(is_gzip(bytes_of(std::string("\x1F\x8B", 2))));
  EXPECT_FALSE(is_gzip(bytes_of(std::string("PK\x03\x04", 4))));
}

TEST(Gzip, InflatesStoredAndCompressedBlocks) {
  const std::string text = "<svg>" + std::string(70000, 'a') + "</svg>";  // two stored blocks
  auto stored = gunzip(bytes_of(gzip_stored(text)), kMiB);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(*stored, text);
  auto runs = gunzip(bytes_of(gzip_spaces("<a>", 100000, "</a>", true)), kMiB);
  ASSERT_TRUE(runs.ok()) << runs.error().message;
  EXPECT_EQ(*runs, "<a>" + std::string(100000, ' ') + "</a>");
}

TEST(Gzip, ReadsEveryMemberAndIgnoresTrailingGarbage) {
  auto both = gunzip(bytes_of(gzip_stored("first,") + gzip_stored("second")), kMiB);
  ASSERT_TRUE(both.ok()) << both.error().message;
  EXPECT_EQ(*both, "first,second");
  auto padded = gunzip(bytes_of(gzip_stored("only") + std::string("\0\0junk", 6)), kMiB);
  ASSERT_TRUE(padded.ok()) << padded.error().message;
  EXPECT_EQ(*padded, "only");
}

TEST(Gzip, CutOrCorruptStreamsAreInvalidImage) {
  const std::string whole = gzip_stored("some text that is long enough to cut");
  for (size_t cut : {size_t{4}, size_t{12}, whole.size() / 2, whole.size() - 3}) {
    auto result = gunzip(bytes_of(whole.substr(0, cut)), kMiB);
    ASSERT_FALSE(result.ok()) << "cut at " << cut;
    EXPECT_EQ(result.error().code, ErrorCode::InvalidImage);
  }
  std::string bad_crc = whole;
  bad_crc[bad_crc.size() - 6] ^= 0x40;
  EXPECT_EQ(gunzip(bytes_of(bad_crc), kMiB).error().code, ErrorCode::InvalidImage);
}

// 2 MB of gzip claiming 320 MiB: refused at the bound, never inflated whole.
TEST(Gzip, ABombStopsAtTheBound) {
  const std::string bomb = gzip_spaces("<svg", uint64_t{320} << 20, "", false);
  EXPECT_LT(bomb.size(), 3 * kMiB);
  const auto start = std::chrono::steady_clock::now();
  auto result = gunzip(bytes_of(bomb), 4 * kMiB);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::FileTooLarge);
  EXPECT_LT(took, std::chrono::seconds(5));  // a sanity bound, not a benchmark
  EXPECT_EQ(gunzip_prefix(bytes_of(bomb), 4096).size(), 4096u);
}

TEST(Gzip, PrefixStopsAtTheEndOrTheBreak) {
  EXPECT_EQ(gunzip_prefix(bytes_of(gzip_stored("short")), 4096), "short");
  const std::string whole = gzip_stored(std::string(1000, 'z'));
  EXPECT_EQ(gunzip_prefix(bytes_of(whole.substr(0, 500)), 4096), std::string(500 - 15, 'z'));
}

}  // namespace
}  // namespace pixmill::codecs
