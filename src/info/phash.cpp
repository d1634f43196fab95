#include "info/phash.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <vector>

namespace pixmill::info {
namespace {

constexpr int kKept = 8;  // the kKept x kKept lowest frequencies make the 64 bits

// The first kKept coefficients of an unnormalised DCT-II of n values (scale does not
// matter: the bits compare coefficients with their median).
std::array<double, kKept> dct_low(const double* values, int stride, int n) {
  std::array<double, kKept> out{};
  for (int k = 0; k < kKept; ++k) {
    double sum = 0.0;
    for (int i = 0; i < n; ++i) sum += values[i * stride] * std::cos(M_PI / n * (i + 0.5) * k);
    out[k] = sum;
  }
  return out;
}

}  // namespace

std::optional<uint64_t> perceptual_hash(std::span<const double> luminance) {
  constexpr int n = kPhashSide;
  if (luminance.size() != static_cast<size_t>(n) * n) return std::nullopt;
  for (double v : luminance) {
    if (!std::isfinite(v)) return std::nullopt;
  }
  // Rows first (keeping their low frequencies), then the columns of that n x kKept result.
  std::vector<double> rows(static_cast<size_t>(n) * kKept);
  for (int y = 0; y < n; ++y) {
    const auto low = dct_low(luminance.data() + static_cast<size_t>(y) * n, 1, n);
    std::copy(low.begin(), low.end(), rows.begin() + static_cast<ptrdiff_t>(y) * kKept);
  }
  std::array<double, kKept * kKept> block{};
  for (int u = 0; u < kKept; ++u) {
    const auto low = dct_low(rows.data() + u, kKept, n);
    for (int v = 0; v < kKept; ++v) block[static_cast<size_t>(v * kKept + u)] = low[v];
  }
  std::array<double, kKept * kKept> sorted = block;
  std::sort(sorted.begin(), sorted.end());
  const double median = (sorted[31] + sorted[32]) / 2.0;
  uint64_t hash = 0;
  for (double coefficient : block) hash = (hash << 1) | (coefficient > median ? 1u : 0u);
  return hash;
}

int hamming_distance(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

std::string phash_hex(uint64_t hash) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

}  // namespace pixmill::info
