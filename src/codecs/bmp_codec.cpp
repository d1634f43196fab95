#include "codecs/bmp_codec.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <memory>
#include <string>

#include "codecs/bmp_rle.h"

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

// biCompression values (Microsoft's BITMAPINFOHEADER).
constexpr uint32_t kRgb = 0;
constexpr uint32_t kRle8 = 1;
constexpr uint32_t kRle4 = 2;
constexpr uint32_t kBitfields = 3;
constexpr uint32_t kEmbeddedJpeg = 4;
constexpr uint32_t kEmbeddedPng = 5;
constexpr uint32_t kOs2HeaderSize = 64;  // OS/2 2.x, where 3 and 4 mean Huffman 1D and RLE24
constexpr int64_t kMaxSide = 1 << 24;    // stb_image's own bound on either side

uint32_t le32(std::span<const uint8_t> b, size_t at) {
  return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 | uint32_t{b[at + 3]} << 24;
}
uint16_t le16(std::span<const uint8_t> b, size_t at) { return static_cast<uint16_t>(b[at] | b[at + 1] << 8); }

// The fields of the file and DIB headers that choose the decoder.
struct BmpInfo {
  uint32_t pixel_offset = 0;
  uint32_t header_size = 0;
  int64_t width = 0;
  int64_t height = 0;  // negative: rows stored top-down
  uint16_t bits = 0;
  uint32_t compression = kRgb;
  uint32_t colours_used = 0;

  int64_t rows() const { return height < 0 ? -height : height; }
  bool rle() const { return compression == kRle8 || compression == kRle4; }
};

Result<BmpInfo> parse_info(std::span<const uint8_t> bytes) {
  if (bytes.size() < 26) return make_error(ErrorCode::InvalidImage, "BMP: the file is truncated");
  BmpInfo info;
  info.pixel_offset = le32(bytes, 10);
  info.header_size = le32(bytes, 14);
  if (info.header_size == 12) {  // OS/2 1.x: 16-bit sizes, no compression
    info.width = le16(bytes, 18);
    info.height = le16(bytes, 20);
    info.bits = le16(bytes, 24);
    return info;
  }
  if (info.header_size < 40 || bytes.size() < 14 + 40) {
    return make_error(ErrorCode::InvalidImage, "BMP: the header could not be read");
  }
  info.width = static_cast<int32_t>(le32(bytes, 18));
  info.height = static_cast<int32_t>(le32(bytes, 22));
  info.bits = le16(bytes, 28);
  info.compression = le32(bytes, 30);
  info.colours_used = le32(bytes, 46);
  return info;
}

Error unsupported(const std::string& variant) {
  return make_error(ErrorCode::UnsupportedFormat, "BMP: " + variant + " is not supported");
}

// Variants that are valid BMP but that nothing here decodes are named (415); headers
// that contradict themselves are broken files (422).
Status check_variant(const BmpInfo& info) {
  if (info.header_size == kOs2HeaderSize && (info.compression == 3 || info.compression == 4)) {
    return unsupported("OS/2 Huffman 1D or RLE24 compression");
  }
  if (info.compression == kEmbeddedJpeg) return unsupported("an embedded JPEG (BI_JPEG)");
  if (info.compression == kEmbeddedPng) return unsupported("an embedded PNG (BI_PNG)");
  if (info.compression > kEmbeddedPng) return unsupported("compression type " + std::to_string(info.compression));
  if (info.bits != 1 && info.bits != 4 && info.bits != 8 && info.bits != 16 && info.bits != 24 && info.bits != 32) {
    return unsupported(std::to_string(info.bits) + " bits per pixel");
  }
  if ((info.compression == kRle8 && info.bits != 8) || (info.compression == kRle4 && info.bits != 4) ||
      (info.compression == kBitfields && info.bits != 16 && info.bits != 32)) {
    return make_error(ErrorCode::InvalidImage, "BMP: the compression does not match the bits per pixel");
  }
  if (info.rle() && info.height < 0) return make_error(ErrorCode::InvalidImage, "BMP: an RLE bitmap cannot be top-down");
  if (info.width <= 0 || info.height == 0) return make_error(ErrorCode::InvalidImage, "BMP: the image has no pixels");
  if (info.width > kMaxSide || info.rows() > kMaxSide) {
    return make_error(ErrorCode::TooManyPixels, "BMP: image dimensions exceed the pixel limit");
  }
  return ok_status();
}

Result<PixelHeader> header_of(std::span<const uint8_t> bytes, BmpInfo& info) {
  if (bytes.size() > INT_MAX) return make_error(ErrorCode::FileTooLarge, "file too large");
  auto parsed = parse_info(bytes);
  if (!parsed) return parsed.error();
  info = *parsed;
  if (auto s = check_variant(info); !s) return s.error();
  const PixelHeader header{static_cast<int>(info.width), static_cast<int>(info.rows()), false};
  // Whether skipped pixels make an RLE bitmap transparent is known only after decoding.
  if (info.rle()) return header;
  int width = 0, height = 0, channels = 0;
  if (!stbi_info_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height, &channels)) {
    if (info.header_size != 12 && info.header_size != 40 && info.header_size != 56 && info.header_size != 108 &&
        info.header_size != 124) {
      return unsupported("the " + std::to_string(info.header_size) + "-byte header variant");
    }
    return make_error(ErrorCode::InvalidImage, "BMP: the header could not be read");
  }
  return PixelHeader{header.width, header.height, channels == 4 || channels == 2};
}

// stb reads past the end of a truncated BMP as zeros and reports success, so an
// uncompressed bitmap must hold all its rows: pixel offset + stride x height.
Status check_complete(std::span<const uint8_t> bytes, const BmpInfo& info) {
  const uint64_t stride = (static_cast<uint64_t>(info.width) * info.bits + 31) / 32 * 4;
  if (uint64_t{info.pixel_offset} + stride * static_cast<uint64_t>(info.rows()) > bytes.size()) {
    return make_error(ErrorCode::InvalidImage, "BMP: the file is truncated");
  }
  return ok_status();
}

Result<PixelBuffer> decode_rle(std::span<const uint8_t> bytes, const BmpInfo& info) {
  if (info.pixel_offset >= bytes.size()) return make_error(ErrorCode::InvalidImage, "BMP: the file is truncated");
  // The palette follows the DIB header, up to the pixels: 2^bits entries unless
  // biClrUsed says fewer.
  const size_t palette_at = 14 + static_cast<size_t>(info.header_size);
  const size_t palette_end = std::min<size_t>(info.pixel_offset, bytes.size());
  size_t entries = size_t{1} << info.bits;
  if (info.colours_used > 0) entries = std::min<size_t>(entries, info.colours_used);
  BmpRle rle;
  rle.width = static_cast<int>(info.width);
  rle.height = static_cast<int>(info.rows());
  rle.bits = info.bits;
  if (palette_at < palette_end) rle.palette = bytes.subspan(palette_at, std::min(entries * 4, palette_end - palette_at));
  rle.data = bytes.subspan(info.pixel_offset);
  return bmp_rle_decode(rle);
}

Result<PixelBuffer> decode_with_stb(std::span<const uint8_t> bytes, const BmpInfo& info, const PixelHeader& header) {
  if (auto complete = check_complete(bytes, info); !complete) return complete.error();
  const int wanted = header.has_alpha ? 4 : 3;
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

}  // namespace

Result<PixelHeader> bmp_read_header(std::span<const uint8_t> bytes) {
  BmpInfo info;
  return header_of(bytes, info);
}

Result<PixelBuffer> bmp_decode(std::span<const uint8_t> bytes, uint64_t max_pixels) {
  BmpInfo info;
  auto header = header_of(bytes, info);
  if (!header) return header.error();
  if (static_cast<uint64_t>(header->width) * static_cast<uint64_t>(header->height) > max_pixels) {
    return make_error(ErrorCode::TooManyPixels, "image dimensions exceed the pixel limit");
  }
  return info.rle() ? decode_rle(bytes, info) : decode_with_stb(bytes, info, *header);
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
