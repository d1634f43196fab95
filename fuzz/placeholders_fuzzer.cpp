// libFuzzer target for the hand-written encoders of /api/v1/info: BlurHash, ThumbHash,
// the perceptual hash, the palette, and the EXIF text parsers.
//
// Input: byte 0 and 1 give the width and height (1..64), byte 2 the BlurHash component
// counts; the rest are RGBA pixels (zero-padded), also read as 32 x 32 luminance values
// for the perceptual hash and as text for the EXIF parsers.
// Invariants: BlurHash has 6 + 2 (x y - 1) characters of its alphabet; ThumbHash has its
// header and at most 5 + 1 + 32 bytes; palette shares are positive and sum to at most 1;
// nothing reads outside the pixels (ASan).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "info/blurhash.h"
#include "info/exif_summary.h"
#include "info/palette.h"
#include "info/phash.h"
#include "info/thumbhash.h"

using namespace pixmill;

namespace {

constexpr std::string_view kBase83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

void check_blurhash(const info::RgbaView& view, int x, int y) {
  const auto hash = info::blurhash_encode(view, x, y);
  fuzz::check(hash.has_value());
  fuzz::check(hash->size() == static_cast<size_t>(6 + 2 * (x * y - 1)));
  for (char c : *hash) fuzz::check(kBase83.find(c) != std::string_view::npos);
}

void check_thumbhash(const info::RgbaView& view) {
  const auto hash = info::thumbhash_encode(view);
  fuzz::check(hash.has_value());
  fuzz::check(hash->size() >= 5 && hash->size() <= 5 + 1 + 32);
}

void check_palette(const info::RgbaView& view) {
  double total = 0;
  for (const auto& entry : info::dominant_colours(view)) {
    fuzz::check(entry.share > 0 && entry.share <= 1);
    total += entry.share;
  }
  fuzz::check(total <= 1.0 + 1e-9);
  (void)info::average_colour(view);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3 || size > 64 * 64 * 4 + 3) return 0;
  const int width = 1 + data[0] % 64, height = 1 + data[1] % 64;
  const int x = 1 + data[2] % 9, y = 1 + (data[2] / 9) % 9;
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * 4, 0);
  std::copy(data + 3, data + std::min(size, pixels.size() + 3), pixels.begin());
  const info::RgbaView view{width, height, pixels};
  check_blurhash(view, x, y);
  check_thumbhash(view);
  check_palette(view);

  std::vector<double> luminance(info::kPhashSide * info::kPhashSide);
  for (size_t i = 0; i < luminance.size(); ++i) luminance[i] = i + 3 < size ? data[i + 3] : 0;
  fuzz::check(info::perceptual_hash(luminance).has_value());

  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)info::exif_value(text);
  const size_t split = text.find('|');
  if (auto degrees = info::gps_degrees(text.substr(0, split), split == std::string::npos ? "" : text.substr(split + 1))) {
    fuzz::check(*degrees >= -180 && *degrees <= 180);
  }
  return 0;
}
