// The face search over tiles with a fake detector that "sees" white squares: faces of
// any size anywhere in a large image are found once, in image pixels; detector errors
// are returned, never an empty list.

#include <gtest/gtest.h>

#include <algorithm>

#include "ai/face_detector.h"

namespace pixmill::ai {
namespace {

// Reports the bounding box of the white (255, 255, 255) pixels of a tile when they form
// one square big enough to be a face at this scale.
class WhiteSquareDetector : public FaceDetectionBackend {
 public:
  int input_size() const override { return 128; }
  Result<std::vector<FaceBox>> detect_tile(const RgbImage& tile) override {
    ++calls;
    if (fail) return make_error(ErrorCode::ProcessingFailed, "detector broke");
    int x0 = tile.width, y0 = tile.height, x1 = -1, y1 = -1, white = 0;
    for (int y = 0; y < tile.height; ++y) {
      for (int x = 0; x < tile.width; ++x) {
        const uint8_t* p = &tile.pixels[(size_t(y) * tile.width + x) * 3];
        if (p[0] > 250 && p[1] > 250 && p[2] > 250) {
          x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
          ++white;
        }
      }
    }
    // Nothing, too small, or two squares at once (a box mostly not white): no face here.
    if (x1 < 0 || x1 - x0 < 6 || white < 0.8 * (x1 - x0 + 1) * (y1 - y0 + 1)) return std::vector<FaceBox>{};
    return std::vector<FaceBox>{{double(x0), double(y0), double(x1 - x0 + 1), double(y1 - y0 + 1), 0.9}};
  }
  int calls = 0;
  bool fail = false;
};

RgbImage grey_with_squares(int w, int h, const std::vector<std::array<int, 3>>& squares) {
  RgbImage image{w, h, std::vector<uint8_t>(size_t(w) * h * 3, 90)};
  for (auto [sx, sy, side] : squares) {
    for (int y = sy; y < sy + side; ++y) {
      for (int x = sx; x < sx + side; ++x) std::fill_n(&image.pixels[(size_t(y) * w + x) * 3], 3, uint8_t{255});
    }
  }
  return image;
}

TEST(FaceSearchTest, FindsSmallAndLargeFacesOnceEachInImagePixels) {
  WhiteSquareDetector detector;
  FaceSearchLimits limits;
  limits.max_side = 1024;
  limits.min_tile = 128;
  const RgbImage image = grey_with_squares(1000, 700, {{100, 80, 300}, {800, 500, 40}});
  auto faces = find_faces(detector, image, limits);
  ASSERT_TRUE(faces);
  ASSERT_EQ(faces->size(), 2u);
  std::sort(faces->begin(), faces->end(), [](const FaceBox& a, const FaceBox& b) { return a.width > b.width; });
  EXPECT_NEAR((*faces)[0].x, 100, 8);
  EXPECT_NEAR((*faces)[0].width, 300, 12);
  EXPECT_NEAR((*faces)[1].x, 800, 4);
  EXPECT_NEAR((*faces)[1].y, 500, 4);
  EXPECT_NEAR((*faces)[1].width, 40, 6);
  EXPECT_LE(detector.calls, limits.max_tiles);
}

TEST(FaceSearchTest, ABigImageIsShrunkFirstAndBoxesComeBackInItsPixels) {
  WhiteSquareDetector detector;
  FaceSearchLimits limits;
  limits.max_side = 500;
  limits.min_tile = 128;
  const RgbImage image = grey_with_squares(2000, 1000, {{1200, 400, 200}});
  auto faces = find_faces(detector, image, limits);
  ASSERT_TRUE(faces);
  ASSERT_EQ(faces->size(), 1u);
  EXPECT_NEAR(faces->front().x, 1200, 12);
  EXPECT_NEAR(faces->front().height, 200, 16);
}

TEST(FaceSearchTest, NoFaceIsAnEmptyListAndADetectorErrorIsAnError) {
  WhiteSquareDetector detector;
  auto none = find_faces(detector, grey_with_squares(300, 200, {}), FaceSearchLimits{});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  detector.fail = true;
  auto broken = find_faces(detector, grey_with_squares(300, 200, {{10, 10, 50}}), FaceSearchLimits{});
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::ProcessingFailed);
}

TEST(FaceSearchTest, BoxIou) {
  EXPECT_DOUBLE_EQ(box_iou({0, 0, 10, 10, 1}, {0, 0, 10, 10, 1}), 1.0);
  EXPECT_DOUBLE_EQ(box_iou({0, 0, 10, 10, 1}, {20, 20, 10, 10, 1}), 0.0);
  EXPECT_NEAR(box_iou({0, 0, 10, 10, 1}, {5, 0, 10, 10, 1}), 50.0 / 150.0, 1e-9);
}

}  // namespace
}  // namespace pixmill::ai
