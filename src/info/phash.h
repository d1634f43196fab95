#pragma once
// A 64-bit perceptual hash (the DCT hash of Zauner's thesis as the `imagehash` library
// computes it): the 8 x 8 lowest frequencies of the 32 x 32 luminance, one bit each for
// "above the median". Near-identical images (re-encoded, resized) differ in a few bits.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace pixmill::info {

inline constexpr int kPhashSide = 32;

// `luminance` is kPhashSide x kPhashSide values, row-major (any scale).
std::optional<uint64_t> perceptual_hash(std::span<const double> luminance);

// Number of differing bits.
int hamming_distance(uint64_t a, uint64_t b);

// 16 lower-case hex digits, most significant first.
std::string phash_hex(uint64_t hash);

}  // namespace pixmill::info
