#include "pipeline/srgb_profile.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>
#include <string_view>

namespace pixmill::pipeline {
namespace {

// The ICC header is 128 bytes, then a tag count and 12-byte entries (ICC.1:2010 7.3).
constexpr size_t kHeaderSize = 128;
constexpr uint32_t kMaxTags = 100;

uint32_t be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}
uint16_t be16(const uint8_t* p) { return uint16_t((p[0] << 8) | p[1]); }
double s15fixed16(const uint8_t* p) { return double(int32_t(be32(p))) / 65536.0; }

struct Tag {
  const uint8_t* data = nullptr;
  size_t size = 0;
};

class Profile {
 public:
  explicit Profile(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  std::optional<Tag> find(std::string_view signature) const {
    if (bytes_.size() < kHeaderSize + 4) return std::nullopt;
    const uint32_t count = be32(bytes_.data() + kHeaderSize);
    if (count > kMaxTags || kHeaderSize + 4 + size_t{count} * 12 > bytes_.size()) return std::nullopt;
    for (uint32_t i = 0; i < count; ++i) {
      const uint8_t* entry = bytes_.data() + kHeaderSize + 4 + i * 12;
      if (std::memcmp(entry, signature.data(), 4) != 0) continue;
      const size_t offset = be32(entry + 4), size = be32(entry + 8);
      if (offset > bytes_.size() || size > bytes_.size() - offset) return std::nullopt;
      return Tag{bytes_.data() + offset, size};
    }
    return std::nullopt;
  }

  bool header_is(size_t at, std::string_view value) const {
    return bytes_.size() >= at + 4 && std::memcmp(bytes_.data() + at, value.data(), 4) == 0;
  }

 private:
  std::span<const uint8_t> bytes_;
};

bool type_is(const Tag& tag, std::string_view type) { return tag.size >= 8 && std::memcmp(tag.data, type.data(), 4) == 0; }

// sRGB's primaries adapted to D50 with the Bradford transform, as every sRGB ICC
// profile stores them (IEC 61966-2-1 Annex; the HP profile rounds them slightly).
struct Xyz {
  double x, y, z;
};
constexpr std::array<std::pair<std::string_view, Xyz>, 3> kPrimaries = {{
    {"rXYZ", {0.4361, 0.2225, 0.0139}},
    {"gXYZ", {0.3851, 0.7169, 0.0971}},
    {"bXYZ", {0.1431, 0.0606, 0.7141}},
}};
constexpr double kPrimaryTolerance = 0.003;

bool primary_matches(const Profile& profile, std::string_view signature, Xyz want) {
  auto tag = profile.find(signature);
  if (!tag || !type_is(*tag, "XYZ ") || tag->size < 20) return false;
  const Xyz got{s15fixed16(tag->data + 8), s15fixed16(tag->data + 12), s15fixed16(tag->data + 16)};
  return std::fabs(got.x - want.x) <= kPrimaryTolerance && std::fabs(got.y - want.y) <= kPrimaryTolerance &&
         std::fabs(got.z - want.z) <= kPrimaryTolerance;
}

double srgb_to_linear(double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); }

// Within half a step of 8-bit output: the transform we skip could not do better.
constexpr double kCurveTolerance = 0.5 / 255.0;

// A sampled curve ('curv' with a table): compared with the sRGB curve across its range.
bool table_curve_is_srgb(const Tag& tag) {
  const uint32_t n = be32(tag.data + 8);
  if (n < 2 || 12 + size_t{n} * 2 > tag.size) return false;  // n == 0 is identity, 1 a pure gamma
  for (uint32_t i = 0; i < n; i += std::max<uint32_t>(1, n / 64)) {
    const double in = double(i) / (n - 1);
    const double out = be16(tag.data + 12 + i * 2) / 65535.0;
    if (std::fabs(out - srgb_to_linear(in)) > kCurveTolerance) return false;
  }
  return std::fabs(be16(tag.data + 12 + (n - 1) * 2) / 65535.0 - 1.0) <= kCurveTolerance;
}

// A parametric curve ('para', ICC v4): function type 3 is exactly the sRGB form,
// Y = (aX + b)^g for X >= d, else cX; type 4 adds offsets that must then be zero.
bool parametric_curve_is_srgb(const Tag& tag) {
  const uint16_t type = be16(tag.data + 8);
  static constexpr size_t kParams[] = {1, 3, 4, 5, 7};
  if (type > 4 || tag.size < 12 + kParams[type] * 4) return false;
  if (type != 3 && type != 4) return false;
  double p[7] = {};
  for (size_t i = 0; i < kParams[type]; ++i) p[i] = s15fixed16(tag.data + 12 + i * 4);
  const double g = p[0], a = p[1], b = p[2], c = p[3], d = p[4];
  if (type == 4 && (std::fabs(p[5]) > 1e-3 || std::fabs(p[6]) > 1e-3)) return false;
  for (int i = 0; i <= 64; ++i) {
    const double x = i / 64.0;
    const double y = x >= d ? std::pow(std::max(0.0, a * x + b), g) : c * x;
    if (!std::isfinite(y) || std::fabs(y - srgb_to_linear(x)) > kCurveTolerance) return false;
  }
  return true;
}

bool curve_is_srgb(const Profile& profile, std::string_view signature) {
  auto tag = profile.find(signature);
  if (!tag || tag->size < 12) return false;
  if (type_is(*tag, "curv")) return table_curve_is_srgb(*tag);
  if (type_is(*tag, "para")) return parametric_curve_is_srgb(*tag);
  return false;
}

}  // namespace

bool is_srgb_icc_profile(std::span<const uint8_t> bytes) {
  const Profile profile(bytes);
  // Header: data colour space at 16, connection space at 20 (ICC.1 7.2).
  if (!profile.header_is(16, "RGB ") || !profile.header_is(20, "XYZ ")) return false;
  // LUT-based transforms take precedence over the matrix in lcms: never second-guess them.
  for (std::string_view lut : {"A2B0", "A2B1", "A2B2", "B2A0", "D2B0"}) {
    if (profile.find(lut)) return false;
  }
  for (const auto& [signature, xyz] : kPrimaries) {
    if (!primary_matches(profile, signature, xyz)) return false;
  }
  for (std::string_view trc : {"rTRC", "gTRC", "bTRC"}) {
    if (!curve_is_srgb(profile, trc)) return false;
  }
  return true;
}

}  // namespace pixmill::pipeline
