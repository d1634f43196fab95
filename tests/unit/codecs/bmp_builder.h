#pragma once
// BMP files built byte by byte for the codec tests: any header size, height sign,
// bit depth, compression and palette, so each variant is made exactly as specified.

#include <cstdint>
#include <string>
#include <vector>

namespace pixmill::testing {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
};

struct BmpSpec {
  BmpSpec(int32_t w, int32_t h, uint16_t b, uint32_t c = 0, uint32_t header = 40)
      : width(w), height(h), bits(b), compression(c), header_size(header) {}

  int32_t width = 0;
  int32_t height = 0;  // negative: top-down
  uint16_t bits = 24;
  uint32_t compression = 0;
  uint32_t header_size = 40;
  uint32_t colours_used = 0;
  std::vector<Rgb> palette;
  std::vector<uint32_t> masks;  // BI_BITFIELDS masks (R, G, B[, A]) after the 40 bytes
  std::string pixels;           // the pixel data as stored (rows padded, or runs)
};

inline void put_le(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

inline std::string bmp_file(const BmpSpec& spec) {
  std::string dib;
  put_le(dib, spec.header_size, 4);
  put_le(dib, static_cast<uint32_t>(spec.width), 4);
  put_le(dib, static_cast<uint32_t>(spec.height), 4);
  put_le(dib, 1, 2);
  put_le(dib, spec.bits, 2);
  put_le(dib, spec.compression, 4);
  put_le(dib, spec.pixels.size(), 4);
  put_le(dib, 2835, 4);
  put_le(dib, 2835, 4);
  put_le(dib, spec.colours_used, 4);
  put_le(dib, 0, 4);
  for (uint32_t mask : spec.masks) put_le(dib, mask, 4);
  dib.resize(spec.header_size, '\0');
  std::string palette;
  for (const Rgb& c : spec.palette) palette += {static_cast<char>(c.b), static_cast<char>(c.g), static_cast<char>(c.r), '\0'};
  const uint32_t offset = static_cast<uint32_t>(14 + dib.size() + palette.size());
  std::string file = "BM";
  put_le(file, offset + spec.pixels.size(), 4);
  put_le(file, 0, 4);
  put_le(file, offset, 4);
  return file + dib + palette + spec.pixels;
}

// Uncompressed rows in storage order, each padded to 4 bytes; pixel(x, row) gives the
// bytes of one pixel of the row-th stored row.
template <typename Pixel>
std::string stored_rows(int width, int rows, Pixel pixel) {
  std::string out;
  for (int row = 0; row < rows; ++row) {
    std::string line;
    for (int x = 0; x < width; ++x) line += pixel(x, row);
    line.resize((line.size() + 3) / 4 * 4, '\0');
    out += line;
  }
  return out;
}

inline std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

// Four distinct colours first, then a grey ramp: index i is easy to recognise.
inline std::vector<Rgb> test_palette(int entries) {
  std::vector<Rgb> palette = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
  for (int i = 4; i < entries; ++i) palette.push_back({static_cast<uint8_t>(i), static_cast<uint8_t>(i), static_cast<uint8_t>(i)});
  palette.resize(entries);
  return palette;
}

}  // namespace pixmill::testing
