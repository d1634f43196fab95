#pragma once
// Small files built byte by byte for the damaged-input tests: PNG chunks with a bad
// CRC, GIF animations with a chosen frame's LZW data.

#include <cstdint>
#include <string>
#include <vector>

#include "test_images.h"

namespace pixmill::testing {

inline uint32_t be32(const std::string& s, size_t at) {
  return uint32_t{static_cast<uint8_t>(s[at])} << 24 | uint32_t{static_cast<uint8_t>(s[at + 1])} << 16 |
         uint32_t{static_cast<uint8_t>(s[at + 2])} << 8 | static_cast<uint8_t>(s[at + 3]);
}

// Offset of the first PNG chunk of `kind` (its length field), or npos.
inline size_t png_chunk_at(const std::string& png, const std::string& kind) {
  for (size_t at = 8; at + 12 <= png.size(); at += 12 + be32(png, at)) {
    if (png.compare(at + 4, 4, kind) == 0) return at;
  }
  return std::string::npos;
}

inline std::string png_with_bad_crc(const std::string& kind) {
  std::string png = testing::encode_as(testing::synthetic(64, 48), ".png");
  const size_t at = png_chunk_at(png, kind);
  if (at == std::string::npos) return png;
  png[at + 8 + be32(png, at)] ^= 0x5A;
  return png;
}

// GIF LZW for `pixels` (min code size 2) that resets its table before every code, so
// the codes stay 3 bits wide: clear, index, clear, index, ..., end of information.
inline std::string gif_lzw(const std::vector<int>& pixels) {
  std::vector<int> codes;
  for (int p : pixels) codes.insert(codes.end(), {4, p});
  codes.push_back(5);
  std::string raw;
  uint32_t bits = 0;
  int count = 0;
  for (int code : codes) {
    bits |= static_cast<uint32_t>(code) << count;
    count += 3;
    for (; count >= 8; count -= 8, bits >>= 8) raw += static_cast<char>(bits & 0xFF);
  }
  if (count > 0) raw += static_cast<char>(bits & 0xFF);
  return raw;
}

// An animated GIF of 16x16 frames; `frame_data[i]` is frame i's LZW stream.
inline std::string animated_gif(const std::vector<std::string>& frame_data) {
  std::string gif = "GIF89a";
  gif += std::string("\x10\x00\x10\x00\xF1\x00\x00", 7);
  gif += std::string("\xFF\x00\x00\x00\xFF\x00\x00\x00\xFF\xFF\xFF\xFF", 12);
  gif += std::string("\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00", 19);
  for (const std::string& lzw : frame_data) {
    gif += std::string("\x21\xF9\x04\x00\x0A\x00\x00\x00", 8);
    gif += std::string("\x2C\x00\x00\x00\x00\x10\x00\x10\x00\x00", 10);
    gif += '\x02';
    for (size_t at = 0; at < lzw.size(); at += 255) {
      const std::string block = lzw.substr(at, 255);
      gif += static_cast<char>(block.size());
      gif += block;
    }
    gif += '\x00';
  }
  return gif + "\x3B";
}

inline std::string gif_frame(int colour) { return gif_lzw(std::vector<int>(256, colour)); }

}  // namespace pixmill::testing
