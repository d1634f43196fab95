// The Segmenter's pool with a fake backend: admission (queue full fails fast), a
// missing model answering at once, time limits, stats. No model needed.

#include <gtest/gtest.h>

// GCC 12 warns, wrongly, that destroying a Result<Mask> holding an Error frees a
// non-heap object (an inlined std::variant reset; the code is fine under ASan).
#pragma GCC diagnostic ignored "-Wfree-nonheap-object"

#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "ai/model_catalog.h"
#include "ai/model_spec.h"
#include "ai/segmenter.h"
#include "test_images.h"

namespace pixmill::ai {
namespace {

using namespace std::chrono_literals;

// A backend that waits until released, then answers a 2x2 mask.
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  int started = 0;
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    cv.notify_all();
  }
  void wait_started(int n) {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, 10s, [&] { return started >= n; });
  }
};

class GatedBackend : public SegmentationBackend {
 public:
  explicit GatedBackend(Gate& gate) : gate_(gate) {}
  Result<Mask> infer(const RgbImage&) override {
    std::unique_lock lock(gate_.mutex);
    ++gate_.started;
    gate_.cv.notify_all();
    gate_.cv.wait(lock, [&] { return gate_.open; });
    Mask mask;
    mask.width = mask.height = 2;
    mask.values.resize(4, 0.f);  // (not an initializer list: GCC 12 warns falsely about it)
    mask.values[1] = mask.values[2] = 1.f;
    return mask;
  }

 private:
  Gate& gate_;
};

class SegmenterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model_path_ = pixmill::testing::unique_temp_path("fake-model.onnx");
    std::ofstream(model_path_) << "not really a model";
  }
  void TearDown() override { std::remove(model_path_.c_str()); }

  SegmenterOptions options(int workers, int queue_max) const {
    SegmenterOptions o;
    o.model.path = model_path_;
    o.workers = workers;
    o.queue_max = queue_max;
    return o;
  }
  BackendFactory gated() {
    return [this](const ModelSpec&) -> Result<std::unique_ptr<SegmentationBackend>> {
      ++loads_;
      return std::unique_ptr<SegmentationBackend>(std::make_unique<GatedBackend>(gate_));
    };
  }
  static RgbImage tiny() { return RgbImage{1, 1, {10, 20, 30}}; }
  static Segmenter::Clock::time_point in(std::chrono::milliseconds ms) { return Segmenter::Clock::now() + ms; }

  std::string model_path_;
  Gate gate_;
  std::atomic<int> loads_{0};
};

TEST_F(SegmenterTest, MissingModelIsUnavailableAtOnceWithoutQueueing) {
  SegmenterOptions o = options(1, 0);
  o.model.path = "/nonexistent/pixmill/model.onnx";
  Segmenter segmenter(o, gated());
  auto mask = segmenter.segment(tiny(), in(10s));
  ASSERT_FALSE(mask);
  EXPECT_EQ(mask.error().code, ErrorCode::ModelUnavailable);
  EXPECT_NE(mask.error().message.find("make model"), std::string::npos);  // names the set-up step
  EXPECT_EQ(loads_, 0);
  EXPECT_EQ(segmenter.stats().inferences, 0u);
}

TEST_F(SegmenterTest, FullQueueIsRefusedAtOnceAndQueuedWorkStillRuns) {
  Segmenter segmenter(options(1, 1), gated());
  auto first = std::async(std::launch::async, [&] { return segmenter.segment(tiny(), in(20s)); });
  gate_.wait_started(1);
  auto second = std::async(std::launch::async, [&] { return segmenter.segment(tiny(), in(20s)); });
  for (int i = 0; i < 200 && segmenter.stats().queued < 1; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(segmenter.stats().queued, 1);

  const auto t0 = Segmenter::Clock::now();
  auto third = segmenter.segment(tiny(), in(20s));
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, ErrorCode::Overloaded);
  EXPECT_LT(Segmenter::Clock::now() - t0, 1s);
  EXPECT_GE(segmenter.retry_after_s(), 1);

  gate_.release();
  auto a = first.get();
  auto b = second.get();
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(a->width, 2);
  EXPECT_EQ(a->values[1], 1.f);
  const SegmenterStats s = segmenter.stats();
  EXPECT_EQ(s.inferences, 2u);
  EXPECT_EQ(s.rejected, 1u);
  EXPECT_EQ(s.failures, 0u);
  EXPECT_EQ(s.loaded_workers, 1);  // loaded once, reused
  EXPECT_EQ(loads_, 1);
  EXPECT_GT(s.inference_ms_total, 0.0);
}

// Edge refinement is AI work: it runs on the pool (behind the same queue limit as an
// inference, so a busy pool refuses it at once), needs no model, and is not counted as
// an inference; without a refiner it is MODEL_UNAVAILABLE.
TEST_F(SegmenterTest, EdgeRefinementRunsOnThePoolBehindTheSameQueue) {
  SegmenterOptions o = options(1, 0);
  std::atomic<int> refined{0};
  o.refine_edges = [&](const RgbImage& image, std::vector<uint8_t> alpha) -> Result<std::vector<uint8_t>> {
    ++refined;
    EXPECT_EQ(alpha.size(), static_cast<size_t>(image.width) * image.height);
    for (auto& a : alpha) a = static_cast<uint8_t>(255 - a);
    return alpha;
  };
  Segmenter segmenter(o, gated());
  auto out = segmenter.refine_edges(tiny(), {40}, in(10s));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(*out, std::vector<uint8_t>{215});
  EXPECT_EQ(refined, 1);
  EXPECT_EQ(loads_, 0);  // no model needed
  EXPECT_EQ(segmenter.stats().inferences, 0u);

  // The one worker busy with an inference and no queue: refused at once.
  auto busy = std::async(std::launch::async, [&] { return segmenter.segment(tiny(), in(20s)); });
  gate_.wait_started(1);
  auto refused = segmenter.refine_edges(tiny(), {40}, in(10s));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Overloaded);
  gate_.release();
  EXPECT_TRUE(busy.get());

  Segmenter without(options(1, 0), gated());
  auto unavailable = without.refine_edges(tiny(), {40}, in(10s));
  ASSERT_FALSE(unavailable);
  EXPECT_EQ(unavailable.error().code, ErrorCode::ModelUnavailable);
}

TEST_F(SegmenterTest, WaitingPastTheDeadlineTimesOutAndTheJobIsSkipped) {
  Segmenter segmenter(options(1, 4), gated());
  auto first = std::async(std::launch::async, [&] { return segmenter.segment(tiny(), in(20s)); });
  gate_.wait_started(1);
  auto late = segmenter.segment(tiny(), in(150ms));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::Timeout);
  std::atomic<bool> cancelled{true};
  auto cancelled_call = segmenter.segment(tiny(), in(20s), &cancelled);
  ASSERT_FALSE(cancelled_call);
  EXPECT_EQ(cancelled_call.error().code, ErrorCode::Timeout);
  gate_.release();
  ASSERT_TRUE(first.get());
  // The abandoned jobs are skipped, not inferred.
  for (int i = 0; i < 200 && segmenter.stats().queued > 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(segmenter.stats().inferences, 1u);
  EXPECT_EQ(segmenter.stats().timeouts, 2u);
}

TEST_F(SegmenterTest, ALoadFailureIsReportedAndRetriedOnTheNextRequest) {
  int attempts = 0;
  BackendFactory failing = [&](const ModelSpec&) -> Result<std::unique_ptr<SegmentationBackend>> {
    ++attempts;
    return make_error(ErrorCode::ModelUnavailable, "broken model");
  };
  Segmenter segmenter(options(1, 1), failing);
  auto pre = segmenter.preload();
  ASSERT_FALSE(pre);
  EXPECT_EQ(pre.error().code, ErrorCode::ModelUnavailable);
  auto mask = segmenter.segment(tiny(), in(10s));
  ASSERT_FALSE(mask);
  EXPECT_EQ(mask.error().code, ErrorCode::ModelUnavailable);
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(segmenter.stats().loaded_workers, 0);
}

TEST(ModelSpecTest, IsnetNormalisationIsImglysMinus128Over256) {
  auto n = normalization_named("isnet");
  ASSERT_TRUE(n);
  for (int c = 0; c < 3; ++c) {
    EXPECT_NEAR((0.0f - n->mean[c]) / n->std[c], -0.5f, 1e-6);           // (0 - 128) / 256
    EXPECT_NEAR((1.0f - n->mean[c]) / n->std[c], 127.0f / 256, 1e-6);   // (255 - 128) / 256
  }
  EXPECT_TRUE(normalization_named("imagenet"));
  EXPECT_TRUE(normalization_named("symmetric"));
  EXPECT_FALSE(normalization_named("nonsense"));
}

// Every named model says which file, runtime, input and licence; the permissive one is
// U2-Netp at its fixed 320x320 with ImageNet statistics (what its ONNX export expects).
TEST(ModelCatalogTest, NamesAPermissiveModelBesideTheAgplDefault) {
  EXPECT_EQ(default_model().licence, "AGPL-3.0-only");
  const CatalogModel* u2 = find_model("u2netp");
  ASSERT_NE(u2, nullptr);
  EXPECT_EQ(u2->file, "u2netp.onnx");
  EXPECT_EQ(u2->input_size, 320);
  EXPECT_EQ(u2->licence, "Apache-2.0");
  auto n = normalization_named(u2->normalization);
  ASSERT_TRUE(n);
  EXPECT_NEAR(n->mean[0], 0.485f, 1e-6);
  EXPECT_NEAR(n->std[2], 0.225f, 1e-6);
  for (const auto& model : model_catalog()) {
    EXPECT_FALSE(model.licence.empty()) << model.name;
    EXPECT_TRUE(normalization_named(model.normalization)) << model.name;
  }
  EXPECT_EQ(find_model("u2net"), nullptr);
}

}  // namespace
}  // namespace pixmill::ai
