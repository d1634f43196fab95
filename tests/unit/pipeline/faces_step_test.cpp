// Face steps without a model: redaction covers the grown box and nothing else, each
// mode really hides the pixels, gravity=face keeps the faces in the crop, and a request
// that asks for redaction fails (never answers unredacted) when detection cannot run.

#include <gtest/gtest.h>

#pragma GCC diagnostic ignored "-Wfree-nonheap-object"

#include <vips/vips8>

#include "ai/segmenter.h"
#include "pipeline/process.h"
#include "pipeline/steps/faces.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

// A textured 300x200 frame: every pixel differs from its neighbours.
VImage textured() {
  VImage xy = VImage::xyz(300, 200);
  VImage r = (xy[0] * 37 + xy[1] * 11) % 256;
  VImage g = (xy[0] * 13 + xy[1] * 29) % 256;
  VImage b = (xy[0] * 7 + xy[1] * 53) % 256;
  return r.bandjoin(g).bandjoin(b).cast(VIPS_FORMAT_UCHAR).copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

double mean_abs_diff(const VImage& a, const VImage& b) { return (a.cast(VIPS_FORMAT_FLOAT) - b.cast(VIPS_FORMAT_FLOAT)).abs().avg(); }

const ai::FaceBox kFace{120, 60, 40, 50, 0.9};

TEST(FaceRedactionTest, EachModeHidesTheGrownBoxAndNothingElse) {
  const VImage frame = textured().copy_memory();
  const ai::FaceBox box = steps::redaction_box(kFace, frame.width(), frame.height());
  EXPECT_LE(box.x, kFace.x);
  EXPECT_GE(box.x + box.width, kFace.x + kFace.width);
  EXPECT_LE(box.y, kFace.y);
  EXPECT_GE(box.y + box.height, kFace.y + kFace.height);
  for (FaceRedaction mode : {FaceRedaction::Blur, FaceRedaction::Pixelate, FaceRedaction::Fill}) {
    FaceOptions options;
    options.redact = mode;
    VImage out = steps::redact(frame, {kFace}, options).copy_memory();
    ASSERT_EQ(out.width(), frame.width());
    const VImage face_in = frame.extract_area(int(kFace.x), int(kFace.y), int(kFace.width), int(kFace.height));
    const VImage face_out = out.extract_area(int(kFace.x), int(kFace.y), int(kFace.width), int(kFace.height));
    // The texture is gone: neighbouring pixels no longer differ much.
    EXPECT_GT(mean_abs_diff(face_in, face_out), 30) << int(mode);
    const double roughness = mean_abs_diff(face_out.extract_area(0, 0, face_out.width() - 1, face_out.height()),
                                           face_out.extract_area(1, 0, face_out.width() - 1, face_out.height()));
    EXPECT_LT(roughness, 25) << int(mode);
    // Outside the grown box: untouched.
    const VImage far_in = frame.extract_area(0, 0, 60, 40), far_out = out.extract_area(0, 0, 60, 40);
    EXPECT_EQ(mean_abs_diff(far_in, far_out), 0.0) << int(mode);
  }
}

TEST(FaceRedactionTest, FillUsesTheColour) {
  FaceOptions options;
  options.redact = FaceRedaction::Fill;
  options.fill = Colour{10, 20, 30, 255};
  VImage out = steps::redact(textured(), {kFace}, options);
  auto p = out.getpoint(140, 85);
  EXPECT_EQ(p[0], 10);
  EXPECT_EQ(p[1], 20);
  EXPECT_EQ(p[2], 30);
}

TEST(FaceCropTest, TheCropKeepsEveryFace) {
  GeometryPlan plan;
  plan.cover_crop = Size{100, 200};
  const std::vector<ai::FaceBox> faces = {{200, 20, 30, 30, 0.9}, {250, 120, 30, 30, 0.8}};
  VImage out = steps::cover_crop_faces(textured(), plan, faces);
  ASSERT_EQ(out.width(), 100);
  // The crop's left edge: both faces (x 200..280) lie inside x0..x0+100.
  const VImage frame = textured();
  int found_x = -1;
  for (int x = 0; x + 100 <= 300; ++x) {
    if (mean_abs_diff(frame.extract_area(x, 0, 100, 200), out) == 0.0) found_x = x;
  }
  ASSERT_GE(found_x, 0);
  EXPECT_LE(found_x, 200);
  EXPECT_GE(found_x + 100, 280);
}

// A face backend that cannot load: what a missing model, or any failure, looks like.
ai::FaceBackendFactory broken_faces() {
  return [](const ai::FaceModelSpec&) -> Result<std::unique_ptr<ai::FaceDetectionBackend>> {
    return make_error(ErrorCode::ModelUnavailable, "no face model");
  };
}

ai::BackendFactory no_segmentation() {
  return [](const ai::ModelSpec&) -> Result<std::unique_ptr<ai::SegmentationBackend>> {
    return make_error(ErrorCode::ModelUnavailable, "no model");
  };
}

TEST(FaceRedactionTest, WithoutADetectorTheRequestFailsClosed) {
  const std::string png = testing::encode_as(textured(), ".png");
  Recipe recipe;
  recipe.faces.redact = FaceRedaction::Blur;
  // No AI pool at all.
  auto none = process_image(testing::bytes_of(png), recipe, Limits{});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::ModelUnavailable);
  // A pool whose face model does not load.
  ai::Segmenter segmenter(ai::SegmenterOptions{}, no_segmentation(), broken_faces());
  auto broken = process_image(testing::bytes_of(png), recipe, Limits{}, Deadline(), &segmenter);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::ModelUnavailable);
  // gravity=face without a detector fails the same way (it was asked for).
  Recipe crop;
  crop.resize = ResizeSpec{100, 100, FitMode::Fill, Gravity::Faces, false};
  auto cropped = process_image(testing::bytes_of(png), crop, Limits{}, Deadline(), &segmenter);
  ASSERT_FALSE(cropped);
  EXPECT_EQ(cropped.error().code, ErrorCode::ModelUnavailable);
}

TEST(AiRecipeTest, CutoutOptionsNeedBackgroundRemovalAndAiUseIsKnown) {
  Recipe recipe;
  EXPECT_FALSE(recipe_uses_ai(recipe));
  recipe.cutout.mask_only = true;
  auto s = validate(recipe);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::InvalidInput);
  recipe.remove_background = true;
  EXPECT_TRUE(validate(recipe));
  EXPECT_TRUE(recipe_uses_ai(recipe));
  Recipe faces;
  faces.faces.redact = FaceRedaction::Pixelate;
  EXPECT_TRUE(recipe_uses_ai(faces));
  Recipe gravity;
  gravity.resize = ResizeSpec{10, 10, FitMode::Fill, Gravity::Faces, false};
  EXPECT_TRUE(recipe_uses_ai(gravity));
  faces.faces.strength = 2;
  EXPECT_FALSE(validate(faces));
}

}  // namespace
}  // namespace pixmill::pipeline
