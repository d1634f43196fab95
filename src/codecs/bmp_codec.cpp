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

namespace pixmill {
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

}  // namespace

Result<PixelHeader> bmp_read_header(std::span<const uint8_t> bytes) { return header_of(bytes); }

Result<PixelBuffer> bmp_decode(std::span<const uint8_t> bytes, uint64_t max_pixels) {
  auto header = header_of(bytes);
  if (!header) return header.error();
  if (static_cast<uint64_t>(header->width) * static_cast<uint64_t>(header->height) > max_pixels) {
    return make_error(ErrorCode::TooManyPixels, "image dimensions exceed the pixel limit");
  }
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

}  // namespace pixmill
