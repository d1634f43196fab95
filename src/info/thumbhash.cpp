#include "info/thumbhash.h"

#include <algorithm>
#include <cmath>

namespace pixmill::info {
namespace {

// One channel's DCT terms: the constant (DC) term, and the varying (AC) terms in the
// triangle cx * ny < nx * (ny - cy), normalised to 0..1 by their largest magnitude.
struct ChannelTerms {
  double dc = 0.0;
  std::vector<double> ac;
  double scale = 0.0;
};

ChannelTerms encode_channel(const std::vector<double>& channel, int width, int height, int nx, int ny) {
  ChannelTerms terms;
  std::vector<double> cos_x(static_cast<size_t>(width));
  for (int cy = 0; cy < ny; ++cy) {
    for (int cx = 0; cx * ny < nx * (ny - cy); ++cx) {
      for (int x = 0; x < width; ++x) cos_x[x] = std::cos(M_PI / width * cx * (x + 0.5));
      double f = 0.0;
      for (int y = 0; y < height; ++y) {
        const double cos_y = std::cos(M_PI / height * cy * (y + 0.5));
        for (int x = 0; x < width; ++x) f += channel[static_cast<size_t>(x + y * width)] * cos_x[x] * cos_y;
      }
      f /= static_cast<double>(width) * height;
      if (cx > 0 || cy > 0) {
        terms.ac.push_back(f);
        terms.scale = std::max(terms.scale, std::fabs(f));
      } else {
        terms.dc = f;
      }
    }
  }
  if (terms.scale > 0) {
    for (double& value : terms.ac) value = 0.5 + 0.5 / terms.scale * value;
  }
  return terms;
}

int round_int(double v) { return static_cast<int>(std::lround(v)); }

}  // namespace

std::optional<std::vector<uint8_t>> thumbhash_encode(const RgbaView& image) {
  if (!image.valid() || image.width > kThumbHashMaxSide || image.height > kThumbHashMaxSide) return std::nullopt;
  const int w = image.width, h = image.height;
  const size_t count = static_cast<size_t>(w) * h;

  // The alpha-weighted average colour: transparent pixels are composited onto it.
  double avg_r = 0, avg_g = 0, avg_b = 0, avg_a = 0;
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* p = image.pixels.data() + i * 4;
    const double alpha = p[3] / 255.0;
    avg_r += alpha / 255.0 * p[0];
    avg_g += alpha / 255.0 * p[1];
    avg_b += alpha / 255.0 * p[2];
    avg_a += alpha;
  }
  if (avg_a > 0) {
    avg_r /= avg_a;
    avg_g /= avg_a;
    avg_b /= avg_a;
  }

  const bool has_alpha = avg_a < static_cast<double>(count);
  const int l_limit = has_alpha ? 5 : 7;  // fewer luminance terms leave room for alpha
  const int longest = std::max(w, h);
  const int lx = std::max(1, round_int(static_cast<double>(l_limit * w) / longest));
  const int ly = std::max(1, round_int(static_cast<double>(l_limit * h) / longest));

  // RGBA to luminance L, yellow-blue P, red-green Q and alpha A.
  std::vector<double> l(count), p(count), q(count), a(count);
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* px = image.pixels.data() + i * 4;
    const double alpha = px[3] / 255.0;
    const double r = avg_r * (1 - alpha) + alpha / 255.0 * px[0];
    const double g = avg_g * (1 - alpha) + alpha / 255.0 * px[1];
    const double b = avg_b * (1 - alpha) + alpha / 255.0 * px[2];
    l[i] = (r + g + b) / 3;
    p[i] = (r + g) / 2 - b;
    q[i] = r - g;
    a[i] = alpha;
  }

  const ChannelTerms lt = encode_channel(l, w, h, std::max(3, lx), std::max(3, ly));
  const ChannelTerms pt = encode_channel(p, w, h, 3, 3);
  const ChannelTerms qt = encode_channel(q, w, h, 3, 3);
  const ChannelTerms at = has_alpha ? encode_channel(a, w, h, 5, 5) : ChannelTerms{};

  const bool landscape = w > h;
  const uint32_t header24 = static_cast<uint32_t>(round_int(63 * lt.dc)) |
                            (static_cast<uint32_t>(round_int(31.5 + 31.5 * pt.dc)) << 6) |
                            (static_cast<uint32_t>(round_int(31.5 + 31.5 * qt.dc)) << 12) |
                            (static_cast<uint32_t>(round_int(31 * lt.scale)) << 18) | (has_alpha ? 1u << 23 : 0u);
  const uint32_t header16 = static_cast<uint32_t>(landscape ? ly : lx) | (static_cast<uint32_t>(round_int(63 * pt.scale)) << 3) |
                            (static_cast<uint32_t>(round_int(63 * qt.scale)) << 9) | (landscape ? 1u << 15 : 0u);
  std::vector<uint8_t> hash = {static_cast<uint8_t>(header24 & 255), static_cast<uint8_t>((header24 >> 8) & 255),
                               static_cast<uint8_t>(header24 >> 16), static_cast<uint8_t>(header16 & 255),
                               static_cast<uint8_t>(header16 >> 8)};
  if (has_alpha) hash.push_back(static_cast<uint8_t>(round_int(15 * at.dc) | (round_int(15 * at.scale) << 4)));

  // The AC terms, four bits each, two to a byte (low nibble first).
  const size_t ac_start = hash.size();
  size_t ac_index = 0;
  std::vector<const ChannelTerms*> channels = {&lt, &pt, &qt};
  if (has_alpha) channels.push_back(&at);
  for (const ChannelTerms* channel : channels) {
    for (double f : channel->ac) {
      const size_t byte = ac_start + (ac_index >> 1);
      if (byte >= hash.size()) hash.push_back(0);
      hash[byte] = static_cast<uint8_t>(hash[byte] | (round_int(15 * f) << ((ac_index & 1) << 2)));
      ++ac_index;
    }
  }
  return hash;
}

}  // namespace pixmill::info
