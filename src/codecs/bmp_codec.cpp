#include "codecs/bmp_codec.h"

#include <climits>
#include <cstdlib>
#include <memory>

// Only the BMP paths of stb are compiled in: every other stb decoder stays out of
// reach of untrusted bytes.
#define STBI_ONLY_BMP
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#include <stb/stb_image.h>

#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

namespace pixmill::codecs {
namespace {

Result<PixelHeader> header_of(std::span<const uint8_t> bytes) {
  if (bytes.size() > INT_MAX) return make_error(ErrorCode::FileTooLarge, "file too large");
  int width = 0, height = 0, channels = 0;
  if (!stbi_info_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height, &channels) ||
      width <= 0 || height <= 0) {
    return make_error(ErrorCode::InvalidImage, "BMP: the header could not be read");
  }
  return PixelHeader{width, height, channels == 4 || channels == 2};
}

uint32_t le32(std::span<const uint8_t> b, size_t at) {
  return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 | uint32_t{b[at + 3]} << 24;
}
uint16_t le16(std::span<const uint8_t> b, size_t at) { return static_cast<uint16_t>(b[at] | b[at + 1] << 8); }

// stb reads past the end of a truncated BMP as zeros and reports success, so an
// uncompressed bitmap must hold all its rows: pixel offset + stride x height.
// (stb decodes no RLE, so every BMP it accepts is uncompressed.)
Status check_complete(std::span<const uint8_t> bytes, const PixelHeader& header) {
  if (bytes.size() < 30) return make_error(ErrorCode::InvalidImage, "BMP: the file is truncated");
  const uint64_t pixel_offset = le32(bytes, 10);
  const uint32_t dib_size = le32(bytes, 14);
  const uint64_t bits = dib_size == 12 ? le16(bytes, 24) : le16(bytes, 28);
  const uint64_t stride = (static_cast<uint64_t>(header.width) * bits + 31) / 32 * 4;
  if (pixel_offset + stride * static_cast<uint64_t>(header.height) > bytes.size()) {
    return make_error(ErrorCode::InvalidImage, "BMP: the file is truncated");
  }
  return ok_status();
}

}  // namespace

Result<PixelHeader> bmp_read_header(std::span<const uint8_t> bytes) { return header_of(bytes); }

Result<PixelBuffer> bmp_decode(std::span<const uint8_t> bytes, uint64_t max_pixels) {
  auto header = header_of(bytes);
  if (!header) return header.error();
  if (static_cast<uint64_t>(header->width) * static_cast<uint64_t>(header->height) > max_pixels) {
    return make_error(ErrorCode::TooManyPixels, "image dimensions exceed the pixel limit");
  }
  if (auto complete = check_complete(bytes, *header); !complete) return complete.error();
  const int wanted = header->has_alpha ? 4 : 3;
  int width = 0, height = 0, channels = 0;
  std::unique_ptr<stbi_uc, decltype(&stbi_image_free)> data(
      stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height, &channels, wanted),
      &stbi_image_free);
  if (!data) return make_error(ErrorCode::InvalidImage, "BMP: the image could not be decoded");
  PixelBuffer buffer;
  buffer.width = width;
  buffer.height = height;
  buffer.bands = wanted;
  const size_t size = static_cast<size_t>(width) * height * wanted;
  buffer.pixels.assign(data.get(), data.get() + size);
  return buffer;
}

Result<std::vector<uint8_t>> bmp_encode(const uint8_t* pixels, int width, int height, int bands) {
  if (bands != 3 && bands != 4) return make_error(ErrorCode::Internal, "BMP encoder needs RGB or RGBA");
  std::vector<uint8_t> out;
  auto sink = [](void* context, void* data, int size) {
    auto* vec = static_cast<std::vector<uint8_t>*>(context);
    auto* bytes = static_cast<uint8_t*>(data);
    vec->insert(vec->end(), bytes, bytes + size);
  };
  if (!stbi_write_bmp_to_func(sink, &out, width, height, bands, pixels)) {
    return make_error(ErrorCode::ProcessingFailed, "BMP encoding failed");
  }
  return out;
}

}  // namespace pixmill::codecs
