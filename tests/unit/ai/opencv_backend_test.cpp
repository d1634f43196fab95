// The OpenCV backend's failure paths, without the real model: a missing or corrupt
// file is MODEL_UNAVAILABLE, never a crash.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "ai/opencv_backend.h"
#include "test_images.h"

namespace pixmill::ai {
namespace {

TEST(OpenCvBackendTest, MissingFileIsModelUnavailable) {
  ModelSpec spec;
  spec.path = "/nonexistent/pixmill/model.onnx";
  auto backend = opencv_backend_factory()(spec);
  ASSERT_FALSE(backend);
  EXPECT_EQ(backend.error().code, ErrorCode::ModelUnavailable);
}

TEST(OpenCvBackendTest, CorruptFileIsModelUnavailable) {
  ModelSpec spec;
  spec.path = pixmill::testing::unique_temp_path("corrupt-model.onnx");
  std::ofstream(spec.path) << "this is not an ONNX protobuf \x01\x02\x03";
  auto backend = opencv_backend_factory()(spec);
  std::remove(spec.path.c_str());
  ASSERT_FALSE(backend);
  EXPECT_EQ(backend.error().code, ErrorCode::ModelUnavailable);
  EXPECT_NE(backend.error().message.find("MODEL_PATH"), std::string::npos);
}

}  // namespace
}  // namespace pixmill::ai
