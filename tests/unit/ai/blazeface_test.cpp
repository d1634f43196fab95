// BlazeFace output decoding with synthetic outputs: where an anchor's box lands, the
// score threshold, and outputs of the wrong shape (an error, never a read past the end).

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ai/blazeface.h"

namespace pixmill::ai {
namespace {

struct Outputs {
  std::vector<float> scores16 = std::vector<float>(512, -10.f), boxes16 = std::vector<float>(512 * 16, 0.f);
  std::vector<float> scores8 = std::vector<float>(384, -10.f), boxes8 = std::vector<float>(384 * 16, 0.f);
  std::vector<blazeface::Layer> layers() const { return {{16, scores16, boxes16}, {8, scores8, boxes8}}; }
};

TEST(BlazeFaceDecodeTest, AnAnchorAboveTheThresholdBecomesABoxAroundItsCell) {
  Outputs out;
  // Row 3, column 5, second anchor of the 16x16 layer; centre offset (+4, -2) px, 40 x 48 px.
  const int i = (3 * 16 + 5) * 2 + 1;
  out.scores16[i] = 3.f;  // sigmoid 0.95
  out.boxes16[i * 16 + 0] = 4.f;
  out.boxes16[i * 16 + 1] = -2.f;
  out.boxes16[i * 16 + 2] = 40.f;
  out.boxes16[i * 16 + 3] = 48.f;
  auto faces = blazeface::decode(out.layers(), 256, 0.6);
  ASSERT_TRUE(faces);
  ASSERT_EQ(faces->size(), 1u);
  const FaceBox& f = faces->front();
  const double cx = (5 + 0.5) * 16 + 4, cy = (3 + 0.5) * 16 - 2;
  EXPECT_NEAR(f.x, cx - 20, 1e-3);
  EXPECT_NEAR(f.y, cy - 24, 1e-3);
  EXPECT_NEAR(f.width, 40, 1e-3);
  EXPECT_NEAR(f.height, 48, 1e-3);
  EXPECT_NEAR(f.score, 1 / (1 + std::exp(-3.0)), 1e-6);
}

TEST(BlazeFaceDecodeTest, TheCoarseLayerUsesItsOwnGridAndScoresBelowTheThresholdAreDropped) {
  Outputs out;
  const int i = (7 * 8 + 0) * 6 + 5;  // last row, first column, sixth anchor
  out.scores8[i] = 1.f;
  out.boxes8[i * 16 + 2] = out.boxes8[i * 16 + 3] = 32.f;
  out.scores16[10] = -1.f;  // sigmoid 0.27: below 0.6
  auto faces = blazeface::decode(out.layers(), 256, 0.6);
  ASSERT_TRUE(faces);
  ASSERT_EQ(faces->size(), 1u);
  EXPECT_NEAR(faces->front().x, 0.5 * 32 - 16, 1e-3);
  EXPECT_NEAR(faces->front().y, 7.5 * 32 - 16, 1e-3);
}

TEST(BlazeFaceDecodeTest, NonFiniteAndEmptyBoxesAreSkipped) {
  Outputs out;
  out.scores16[0] = std::numeric_limits<float>::quiet_NaN();
  out.scores16[1] = 5.f;
  out.boxes16[1 * 16 + 2] = std::numeric_limits<float>::infinity();
  out.boxes16[1 * 16 + 3] = 10.f;
  out.scores16[2] = 5.f;  // zero width and height
  auto faces = blazeface::decode(out.layers(), 256, 0.6);
  ASSERT_TRUE(faces);
  EXPECT_TRUE(faces->empty());
}

TEST(BlazeFaceDecodeTest, OutputsOfTheWrongShapeAreAnError) {
  Outputs out;
  out.boxes16.resize(100);
  EXPECT_FALSE(blazeface::decode(out.layers(), 256, 0.6));
  Outputs odd;
  odd.scores8.resize(383);
  EXPECT_FALSE(blazeface::decode(odd.layers(), 256, 0.6));
}

}  // namespace
}  // namespace pixmill::ai
