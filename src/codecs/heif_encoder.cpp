#include "codecs/heif_encoder.h"

#include <libheif/heif.h>

#include <cstring>
#include <memory>

namespace pixmill::codecs {
namespace {

struct ContextDeleter {
  void operator()(heif_context* c) const { heif_context_free(c); }
};
struct EncoderDeleter {
  void operator()(heif_encoder* e) const { heif_encoder_release(e); }
};
struct ImageDeleter {
  void operator()(heif_image* i) const { heif_image_release(i); }
};

Error failed(const char* what) { return make_error(ErrorCode::ProcessingFailed, std::string("HEIC encoding: ") + what); }

heif_error append(heif_context*, const void* data, size_t size, void* userdata) {
  static_cast<std::string*>(userdata)->append(static_cast<const char*>(data), size);
  return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
}

Result<std::unique_ptr<heif_image, ImageDeleter>> make_image(const uint8_t* pixels, int width, int height, int bands) {
  heif_image* raw = nullptr;
  const heif_chroma chroma = bands == 4 ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB;
  if (heif_image_create(width, height, heif_colorspace_RGB, chroma, &raw).code != heif_error_Ok) {
    return failed("no image");
  }
  std::unique_ptr<heif_image, ImageDeleter> image(raw);
  if (heif_image_add_plane(raw, heif_channel_interleaved, width, height, 8).code != heif_error_Ok) {
    return failed("no plane");
  }
  int stride = 0;
  uint8_t* plane = heif_image_get_plane(raw, heif_channel_interleaved, &stride);
  const size_t row_bytes = static_cast<size_t>(width) * bands;
  if (plane == nullptr || static_cast<size_t>(stride) < row_bytes) return failed("bad plane");
  for (int y = 0; y < height; ++y) {
    std::memcpy(plane + static_cast<size_t>(stride) * y, pixels + row_bytes * y, row_bytes);
  }
  return image;
}

}  // namespace

bool heic_encoder_available() { return heif_have_encoder_for_format(heif_compression_HEVC) != 0; }

Result<std::string> heic_encode(const uint8_t* pixels, int width, int height, int bands, const std::string& icc_profile,
                                const HeicEncodeOptions& options) {
  if (width <= 0 || height <= 0 || (bands != 3 && bands != 4)) return failed("bad image shape");
  std::unique_ptr<heif_context, ContextDeleter> context(heif_context_alloc());
  if (!context) return make_error(ErrorCode::Internal, "out of memory");
  heif_encoder* raw_encoder = nullptr;
  if (heif_context_get_encoder_for_format(context.get(), heif_compression_HEVC, &raw_encoder).code != heif_error_Ok ||
      raw_encoder == nullptr) {
    return make_error(ErrorCode::UnsupportedFormat,
                      "HEIC output needs libheif's HEVC encoder (x265), which this installation lacks");
  }
  std::unique_ptr<heif_encoder, EncoderDeleter> encoder(raw_encoder);
  heif_encoder_set_lossy_quality(raw_encoder, options.quality);
  heif_encoder_set_lossless(raw_encoder, options.lossless ? 1 : 0);
  // An unknown preset name leaves libheif's default: not worth failing the request.
  heif_encoder_set_parameter_string(raw_encoder, "preset", options.preset.c_str());

  auto image = make_image(pixels, width, height, bands);
  if (!image) return image.error();
  if (!icc_profile.empty()) {
    heif_image_set_raw_color_profile(image->get(), "prof", icc_profile.data(), icc_profile.size());
  }
  if (heif_context_encode_image(context.get(), image->get(), raw_encoder, nullptr, nullptr).code != heif_error_Ok) {
    return failed("the encoder failed");
  }
  std::string out;
  heif_writer writer{};
  writer.writer_api_version = 1;
  writer.write = append;
  if (heif_context_write(context.get(), &writer, &out).code != heif_error_Ok) return failed("could not write");
  return out;
}

}  // namespace pixmill::codecs
