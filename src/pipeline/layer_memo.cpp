#include "pipeline/layer_memo.h"

#include <functional>
#include <string_view>

namespace pixmill::pipeline {
namespace {

using vips::VImage;

bool small_enough(const VImage& image) {
  return static_cast<uint64_t>(image.width()) * image.height() <= LayerMemo::kMaxPixelsPerEntry;
}

// Everything that changes the rendered pixels (placement does not: it only moves them).
std::string text_key(const TextLayer& l, int wrap_width) {
  std::string key = l.text;
  key += '\0' + l.font + '\0' + std::to_string(l.bold) + ',' + std::to_string(l.size) + ',' + l.colour.to_hex() + ',' +
         std::to_string(l.opacity) + ',' + std::to_string(wrap_width) + ',' + std::to_string(static_cast<int>(l.align));
  key += ',' + (l.shadow ? l.shadow->to_hex() : std::string("-")) + ',' + std::to_string(l.shadow_offset) + ',' +
         std::to_string(l.shadow_blur);
  key += ',' + (l.outline ? l.outline->to_hex() : std::string("-")) + ',' + std::to_string(l.outline_width);
  return key;
}

template <typename Map, typename Key>
void evict_oldest(Map& map, std::deque<Key>& order) {
  while (order.size() >= LayerMemo::kMaxEntries) {
    map.erase(order.front());
    order.pop_front();
  }
}

}  // namespace

LayerMemo& LayerMemo::shared() {
  static LayerMemo memo;
  return memo;
}

std::optional<VImage> LayerMemo::overlay(const std::shared_ptr<const std::string>& bytes) {
  const size_t hash = std::hash<std::string_view>{}(*bytes);
  std::lock_guard lock(mutex_);
  auto it = overlays_.find(hash);
  // The hash only finds the entry: the bytes decide, so that no crafted collision can
  // hand one client's watermark to another.
  if (it == overlays_.end() || *it->second.bytes != *bytes) return std::nullopt;
  return it->second.image;
}

void LayerMemo::keep_overlay(const std::shared_ptr<const std::string>& bytes, const VImage& decoded) {
  if (!small_enough(decoded)) return;
  const size_t hash = std::hash<std::string_view>{}(*bytes);
  std::lock_guard lock(mutex_);
  if (overlays_.count(hash)) return;
  evict_oldest(overlays_, overlay_order_);
  overlays_.emplace(hash, OverlayEntry{bytes, decoded});
  overlay_order_.push_back(hash);
}

std::optional<RenderedText> LayerMemo::text(const TextLayer& layer, int wrap_width) {
  const std::string key = text_key(layer, wrap_width);
  std::lock_guard lock(mutex_);
  auto it = texts_.find(key);
  if (it == texts_.end()) return std::nullopt;
  return it->second;
}

void LayerMemo::keep_text(const TextLayer& layer, int wrap_width, const RenderedText& rendered) {
  if (!small_enough(rendered.image)) return;
  std::string key = text_key(layer, wrap_width);
  std::lock_guard lock(mutex_);
  if (texts_.count(key)) return;
  evict_oldest(texts_, text_order_);
  text_order_.push_back(key);
  texts_.emplace(std::move(key), rendered);
}

}  // namespace pixmill::pipeline
