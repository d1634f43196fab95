#include "info/blurhash.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace pixmill::info {
namespace {

constexpr std::string_view kDigits =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

double srgb_to_linear(uint8_t value) {
  const double v = value / 255.0;
  return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}

int linear_to_srgb(double value) {
  const double v = std::clamp(value, 0.0, 1.0);
  const double encoded = v <= 0.0031308 ? v * 12.92 : 1.055 * std::pow(v, 1.0 / 2.4) - 0.055;
  return static_cast<int>(std::lround(encoded * 255.0));
}

double signed_pow(double value, double exponent) { return std::copysign(std::pow(std::fabs(value), exponent), value); }

using Factor = std::array<double, 3>;

// One DCT basis function's weight in each channel, over the whole image.
Factor basis_factor(const RgbaView& image, const std::vector<std::array<double, 3>>& linear, int i, int j) {
  Factor sum = {0, 0, 0};
  const double normalisation = (i == 0 && j == 0) ? 1.0 : 2.0;
  std::vector<double> cos_x(image.width);
  for (int x = 0; x < image.width; ++x) cos_x[x] = std::cos(M_PI * i * x / image.width);
  for (int y = 0; y < image.height; ++y) {
    const double cos_y = std::cos(M_PI * j * y / image.height);
    for (int x = 0; x < image.width; ++x) {
      const double basis = cos_x[x] * cos_y;
      const auto& pixel = linear[static_cast<size_t>(y) * image.width + x];
      for (int c = 0; c < 3; ++c) sum[c] += basis * pixel[c];
    }
  }
  const double scale = normalisation / (static_cast<double>(image.width) * image.height);
  for (double& s : sum) s *= scale;
  return sum;
}

long long encode_dc(const Factor& f) {
  return (static_cast<long long>(linear_to_srgb(f[0])) << 16) + (linear_to_srgb(f[1]) << 8) + linear_to_srgb(f[2]);
}

long long encode_ac(const Factor& f, double maximum) {
  long long value = 0;
  for (double component : f) {
    const double q = std::floor(signed_pow(component / maximum, 0.5) * 9.0 + 9.5);
    value = value * 19 + static_cast<long long>(std::clamp(q, 0.0, 18.0));
  }
  return value;
}

}  // namespace

std::string base83_encode(long long value, int length) {
  std::string out(static_cast<size_t>(length), '0');
  for (int i = length - 1; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kDigits[static_cast<size_t>(value % 83)];
    value /= 83;
  }
  return out;
}

std::optional<std::string> blurhash_encode(const RgbaView& image, int x_components, int y_components) {
  if (!image.valid() || x_components < 1 || x_components > 9 || y_components < 1 || y_components > 9) return std::nullopt;
  std::vector<std::array<double, 3>> linear(static_cast<size_t>(image.width) * image.height);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const uint8_t* p = image.at(x, y);
      linear[static_cast<size_t>(y) * image.width + x] = {srgb_to_linear(p[0]), srgb_to_linear(p[1]), srgb_to_linear(p[2])};
    }
  }
  std::vector<Factor> factors;
  for (int j = 0; j < y_components; ++j) {
    for (int i = 0; i < x_components; ++i) factors.push_back(basis_factor(image, linear, i, j));
  }
  std::string hash = base83_encode((x_components - 1) + (y_components - 1) * 9, 1);
  double maximum = 1.0;
  if (factors.size() > 1) {
    double largest = 0.0;
    for (size_t k = 1; k < factors.size(); ++k) {
      for (double c : factors[k]) largest = std::max(largest, std::fabs(c));
    }
    const int quantised = static_cast<int>(std::clamp(std::floor(largest * 166.0 - 0.5), 0.0, 82.0));
    maximum = (quantised + 1) / 166.0;
    hash += base83_encode(quantised, 1);
  } else {
    hash += base83_encode(0, 1);
  }
  hash += base83_encode(encode_dc(factors[0]), 4);
  for (size_t k = 1; k < factors.size(); ++k) hash += base83_encode(encode_ac(factors[k], maximum), 2);
  return hash;
}

}  // namespace pixmill::info
