#include "http/accept.h"

#include <gtest/gtest.h>

namespace pixmill::http {
namespace {

TEST(AcceptsMediaType, ABrowsersHeaderNamesWhatItDecodes) {
  const std::string_view chrome = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
  EXPECT_TRUE(accepts_media_type(chrome, "image/avif"));
  EXPECT_TRUE(accepts_media_type(chrome, "image/webp"));
  EXPECT_FALSE(accepts_media_type(chrome, "image/jxl"));  // image/* and */* name no format
  EXPECT_TRUE(accepts_media_type("image/jxl, image/avif;q=0.9", "image/jxl"));
}

TEST(AcceptsMediaType, AZeroWeightRefuses) {
  EXPECT_FALSE(accepts_media_type("image/avif;q=0, image/webp", "image/avif"));
  EXPECT_FALSE(accepts_media_type("image/avif ; q=0.000", "image/avif"));
  EXPECT_TRUE(accepts_media_type("image/avif;q=0.001", "image/avif"));
  EXPECT_TRUE(accepts_media_type("image/avif;level=1;q=1", "image/avif"));
}

TEST(AcceptsMediaType, OnlyTheWholeTypeMatchesIgnoringCase) {
  EXPECT_TRUE(accepts_media_type("Image/AVIF", "image/avif"));
  EXPECT_FALSE(accepts_media_type("image/avif-sequence", "image/avif"));
  EXPECT_FALSE(accepts_media_type("application/image/avif+xml", "image/avif"));
  EXPECT_FALSE(accepts_media_type("", "image/avif"));
}

TEST(AcceptsMediaType, AMalformedWeightNeverAccepts) {
  EXPECT_FALSE(accepts_media_type("image/avif;q=abc", "image/avif"));
  EXPECT_FALSE(accepts_media_type("image/avif;q=2", "image/avif"));
  EXPECT_FALSE(accepts_media_type("image/avif;q=-1", "image/avif"));
}

TEST(AcceptsMediaType, ReadsTheRequestsHeader) {
  Request request;
  request.headers = {{"accept", "image/webp"}};
  EXPECT_TRUE(accepts_media_type(request, "image/webp"));
  EXPECT_FALSE(accepts_media_type(request, "image/avif"));
}

}  // namespace
}  // namespace pixmill::http
