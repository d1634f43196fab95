// The process-wide memo of decoded watermarks and rendered text: hits only for the same
// bytes or the same rendering, bounded in entries and pixels.

#include <gtest/gtest.h>

#include "pipeline/layer_memo.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

std::shared_ptr<const std::string> bytes(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

TEST(LayerMemo, OverlayHitsOnlyForTheSameBytes) {
  LayerMemo memo;
  const auto logo = bytes("logo-bytes-1");
  memo.keep_overlay(logo, VImage::black(4, 4));
  ASSERT_TRUE(memo.overlay(bytes("logo-bytes-1")));
  EXPECT_EQ(memo.overlay(bytes("logo-bytes-1"))->width(), 4);
  EXPECT_FALSE(memo.overlay(bytes("logo-bytes-2")));
}

TEST(LayerMemo, LargeImagesAreNotKept) {
  LayerMemo memo;
  memo.keep_overlay(bytes("big"), VImage::black(2000, 1000));
  EXPECT_FALSE(memo.overlay(bytes("big")));
}

TEST(LayerMemo, KeepsTheMostRecentEntries) {
  LayerMemo memo;
  for (size_t i = 0; i < LayerMemo::kMaxEntries + 5; ++i) memo.keep_overlay(bytes("logo" + std::to_string(i)), VImage::black(2, 2));
  EXPECT_FALSE(memo.overlay(bytes("logo0")));
  EXPECT_TRUE(memo.overlay(bytes("logo" + std::to_string(LayerMemo::kMaxEntries + 4))));
}

TEST(LayerMemo, TextHitsOnlyForTheSameRendering) {
  LayerMemo memo;
  TextLayer layer;
  layer.text = "hello";
  memo.keep_text(layer, 300, RenderedText{VImage::black(10, 5), 1});
  EXPECT_TRUE(memo.text(layer, 300));
  EXPECT_FALSE(memo.text(layer, 301));  // another wrap width
  TextLayer moved = layer;
  moved.placement.offset_y = 40;        // placement does not change the pixels
  EXPECT_TRUE(memo.text(moved, 300));
  TextLayer red = layer;
  red.colour = Colour{255, 0, 0, 255};
  EXPECT_FALSE(memo.text(red, 300));
}

}  // namespace
}  // namespace pixmill::pipeline
