#include "codecs/bmp_rle.h"

#include <algorithm>

namespace pixmill::codecs {
namespace {

// The escape codes that follow a zero count (Microsoft's "Bitmap Compression").
constexpr uint8_t kEndOfLine = 0;
constexpr uint8_t kEndOfBitmap = 1;
constexpr uint8_t kDelta = 2;

Error truncated() { return make_error(ErrorCode::InvalidImage, "BMP: the RLE data is truncated"); }

// Writes runs into an RGBA canvas, bottom-up row `y` first. The position only moves
// forward (right within a row, then up), so each pixel is written at most once and
// counting writes tells whether any pixel was skipped.
class Canvas {
 public:
  explicit Canvas(const BmpRle& rle)
      : rle_(rle), pixels_(static_cast<size_t>(rle.width) * static_cast<size_t>(rle.height) * 4, 0) {}

  bool finished() const { return y_ >= rle_.height; }

  // Puts `count` pixels; index_at(i) gives the palette index of the i-th. Pixels past
  // the row's end are dropped without a loop over them.
  template <typename IndexAt>
  void put(int count, IndexAt index_at) {
    const int visible = std::min(count, rle_.width - x_);
    uint8_t* out = row_start() + static_cast<size_t>(x_) * 4;
    for (int i = 0; i < visible; ++i, out += 4) colour(index_at(i), out);
    written_ += static_cast<uint64_t>(std::max(visible, 0));
    x_ = std::min(x_ + count, rle_.width);
  }

  void end_line() {
    x_ = 0;
    ++y_;
  }

  void move(int dx, int dy) {
    x_ = std::min(x_ + dx, rle_.width);
    y_ += dy;
  }

  PixelBuffer finish() && {
    PixelBuffer buffer;
    buffer.width = rle_.width;
    buffer.height = rle_.height;
    buffer.bands = 4;
    if (written_ == static_cast<uint64_t>(rle_.width) * static_cast<uint64_t>(rle_.height)) {
      // Every pixel came from the stream: no alpha to carry.
      size_t to = 0;
      for (size_t from = 0; from < pixels_.size(); from += 4, to += 3) {
        pixels_[to] = pixels_[from];
        pixels_[to + 1] = pixels_[from + 1];
        pixels_[to + 2] = pixels_[from + 2];
      }
      pixels_.resize(to);
      buffer.bands = 3;
    }
    buffer.pixels = std::move(pixels_);
    return buffer;
  }

 private:
  // Output rows are top-down; the stream's rows are bottom-up.
  uint8_t* row_start() {
    const size_t row = static_cast<size_t>(rle_.height - 1 - y_);
    return pixels_.data() + row * static_cast<size_t>(rle_.width) * 4;
  }

  void colour(uint8_t index, uint8_t* out) const {
    const size_t at = static_cast<size_t>(index) * 4;
    if (at + 3 <= rle_.palette.size()) {
      out[0] = rle_.palette[at + 2];
      out[1] = rle_.palette[at + 1];
      out[2] = rle_.palette[at];
    }  // else black: the canvas is zeroed
    out[3] = 255;
  }

  const BmpRle& rle_;
  std::vector<uint8_t> pixels_;
  int x_ = 0;
  int y_ = 0;
  uint64_t written_ = 0;
};

// The i-th 4-bit index of packed nibbles, high nibble first.
uint8_t nibble(std::span<const uint8_t> packed, int i) {
  const uint8_t byte = packed[static_cast<size_t>(i) / 2];
  return (i % 2 == 0) ? byte >> 4 : byte & 0x0F;
}

}  // namespace

Result<PixelBuffer> bmp_rle_decode(const BmpRle& rle) {
  if (rle.width <= 0 || rle.height <= 0 || (rle.bits != 8 && rle.bits != 4)) {
    return make_error(ErrorCode::InvalidImage, "BMP: bad RLE bitmap header");
  }
  Canvas canvas(rle);
  const std::span<const uint8_t> data = rle.data;
  size_t at = 0;
  while (!canvas.finished()) {
    if (at + 2 > data.size()) return truncated();
    const uint8_t count = data[at];
    const uint8_t value = data[at + 1];
    at += 2;
    if (count > 0) {
      // An encoded run: one index repeated (RLE8), or two alternating (RLE4).
      const uint8_t pair[2] = {static_cast<uint8_t>(value >> 4), static_cast<uint8_t>(value & 0x0F)};
      if (rle.bits == 8) {
        canvas.put(count, [value](int) { return value; });
      } else {
        canvas.put(count, [&pair](int i) { return pair[i % 2]; });
      }
    } else if (value == kEndOfLine) {
      canvas.end_line();
    } else if (value == kEndOfBitmap) {
      break;
    } else if (value == kDelta) {
      if (at + 2 > data.size()) return truncated();
      canvas.move(data[at], data[at + 1]);
      at += 2;
    } else {
      // Absolute mode: `value` literal indices, padded to a 16-bit boundary.
      const size_t bytes = rle.bits == 8 ? value : (value + 1u) / 2;
      if (at + bytes > data.size()) return truncated();
      const std::span<const uint8_t> literal = data.subspan(at, bytes);
      if (rle.bits == 8) {
        canvas.put(value, [literal](int i) { return literal[static_cast<size_t>(i)]; });
      } else {
        canvas.put(value, [literal](int i) { return nibble(literal, i); });
      }
      at += bytes + (bytes % 2);
    }
  }
  return std::move(canvas).finish();
}

}  // namespace pixmill::codecs
