#pragma once
// Watermarks and captions repeat across requests (a CDN stamps the same logo and the same
// "© Example" on every image): this process-wide memo keeps the few most recent decoded
// watermarks and rendered text layers, so that a repeat costs a lookup instead of a
// decode or a Pango layout. Bounded in entries and in pixels per entry; thread-safe.

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <vips/vips8>

#include "pipeline/text_render.h"
#include "pipeline/recipe_names.h"

namespace pixmill::pipeline {

class LayerMemo {
 public:
  static LayerMemo& shared();

  // A decoded watermark for exactly these encoded bytes, if kept.
  std::optional<vips::VImage> overlay(const std::shared_ptr<const std::string>& bytes);
  void keep_overlay(const std::shared_ptr<const std::string>& bytes, const vips::VImage& decoded);

  // A rendered text layer for this layer and wrap width, if kept.
  std::optional<RenderedText> text(const TextLayer& layer, int wrap_width);
  void keep_text(const TextLayer& layer, int wrap_width, const RenderedText& rendered);

  static constexpr size_t kMaxEntries = 32;
  static constexpr uint64_t kMaxPixelsPerEntry = 1'000'000;

 private:
  struct OverlayEntry {
    std::shared_ptr<const std::string> bytes;
    vips::VImage image;
  };
  std::mutex mutex_;
  std::unordered_map<size_t, OverlayEntry> overlays_;  // by hash of the bytes; the bytes are compared
  std::deque<size_t> overlay_order_;
  std::unordered_map<std::string, RenderedText> texts_;
  std::deque<std::string> text_order_;
};

}  // namespace pixmill::pipeline
