#include "codecs/heif_decoder.h"

#include <libheif/heif.h>

#include <cstring>
#include <memory>

namespace pixmill::codecs {
namespace {

struct ContextDeleter {
  void operator()(heif_context* c) const { heif_context_free(c); }
};
struct HandleDeleter {
  void operator()(heif_image_handle* h) const { heif_image_handle_release(h); }
};
struct ImageDeleter {
  void operator()(heif_image* i) const { heif_image_release(i); }
};
using ContextPtr = std::unique_ptr<heif_context, ContextDeleter>;
using HandlePtr = std::unique_ptr<heif_image_handle, HandleDeleter>;
using ImagePtr = std::unique_ptr<heif_image, ImageDeleter>;

Error invalid(const char* what) { return make_error(ErrorCode::InvalidImage, std::string("HEIF: ") + what); }

struct Opened {
  ContextPtr context;
  HandlePtr handle;
};

Result<Opened> open_primary(std::span<const uint8_t> bytes) {
  ContextPtr context(heif_context_alloc());
  if (!context) return make_error(ErrorCode::Internal, "out of memory");
  // libheif reads from the caller's memory without copying; the bytes outlive the context.
  heif_error err = heif_context_read_from_memory_without_copy(context.get(), bytes.data(), bytes.size(), nullptr);
  if (err.code != heif_error_Ok) return invalid("the file could not be parsed");
  heif_image_handle* raw = nullptr;
  err = heif_context_get_primary_image_handle(context.get(), &raw);
  if (err.code != heif_error_Ok || raw == nullptr) return invalid("no primary image");
  return Opened{std::move(context), HandlePtr(raw)};
}

}  // namespace

Result<PixelHeader> heif_read_header(std::span<const uint8_t> bytes) {
  auto opened = open_primary(bytes);
  if (!opened) return opened.error();
  heif_image_handle* handle = opened->handle.get();
  PixelHeader header;
  header.width = heif_image_handle_get_width(handle);
  header.height = heif_image_handle_get_height(handle);
  header.has_alpha = heif_image_handle_has_alpha_channel(handle) != 0;
  if (header.width <= 0 || header.height <= 0) return invalid("bad dimensions");
  return header;
}

Result<PixelBuffer> heif_decode(std::span<const uint8_t> bytes, uint64_t max_pixels) {
  auto opened = open_primary(bytes);
  if (!opened) return opened.error();
  heif_image_handle* handle = opened->handle.get();
  const int width = heif_image_handle_get_width(handle);
  const int height = heif_image_handle_get_height(handle);
  if (width <= 0 || height <= 0) return invalid("bad dimensions");
  if (static_cast<uint64_t>(width) * static_cast<uint64_t>(height) > max_pixels) {
    return make_error(ErrorCode::TooManyPixels, "image dimensions exceed the pixel limit");
  }
  const bool alpha = heif_image_handle_has_alpha_channel(handle) != 0;

  heif_image* raw_image = nullptr;
  heif_error err = heif_decode_image(handle, &raw_image, heif_colorspace_RGB,
                                     alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, nullptr);
  if (err.code != heif_error_Ok || raw_image == nullptr) return invalid("the image could not be decoded");
  ImagePtr image(raw_image);

  int stride = 0;
  const uint8_t* plane = heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
  const int out_width = heif_image_get_width(image.get(), heif_channel_interleaved);
  const int out_height = heif_image_get_height(image.get(), heif_channel_interleaved);
  if (plane == nullptr || out_width <= 0 || out_height <= 0) return invalid("no pixel data");

  PixelBuffer buffer;
  buffer.width = out_width;
  buffer.height = out_height;
  buffer.bands = alpha ? 4 : 3;
  const size_t row_bytes = static_cast<size_t>(out_width) * buffer.bands;
  if (static_cast<size_t>(stride) < row_bytes) return invalid("bad stride");
  buffer.pixels.resize(row_bytes * out_height);
  for (int y = 0; y < out_height; ++y) {
    std::memcpy(buffer.pixels.data() + row_bytes * y, plane + static_cast<size_t>(stride) * y, row_bytes);
  }

  // Keep the colour profile so that the pipeline converts to sRGB correctly.
  if (heif_image_handle_get_color_profile_type(handle) == heif_color_profile_type_prof ||
      heif_image_handle_get_color_profile_type(handle) == heif_color_profile_type_rICC) {
    size_t size = heif_image_handle_get_raw_color_profile_size(handle);
    if (size > 0 && size < (size_t{16} << 20)) {
      buffer.icc_profile.resize(size);
      if (heif_image_handle_get_raw_color_profile(handle, buffer.icc_profile.data()).code != heif_error_Ok) {
        buffer.icc_profile.clear();
      }
    }
  }
  return buffer;
}

}  // namespace pixmill::codecs
