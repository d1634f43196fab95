#include "pipeline/encode.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "codecs/bmp_codec.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

std::string take_blob(VipsBlob* blob) {
  size_t size = 0;
  const void* data = vips_blob_get(blob, &size);
  std::string out(static_cast<const char*>(data), size);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

vips::VOption* keep_option(vips::VOption* opts, bool strip) {
#if VIPS_MAJOR_VERSION > 8 || (VIPS_MAJOR_VERSION == 8 && VIPS_MINOR_VERSION >= 15)
  return opts->set("keep", strip ? VIPS_FOREIGN_KEEP_NONE : VIPS_FOREIGN_KEEP_ALL);
#else
  // libvips before 8.15 (Debian 12's 8.14, -DPIXMILL_VIPS=system) has only "strip".
  return opts->set("strip", strip);
#endif
}

int scaled_effort(std::optional<int> effort, int fallback, int max) {
  if (!effort) return fallback;
  return static_cast<int>(std::lround(*effort * static_cast<double>(max) / 9.0));
}

std::string encode_jpeg(const VImage& image, const EncodeSettings& s) {
  auto* opts = keep_option(VImage::option(), s.strip_metadata)
                   ->set("Q", s.quality)
                   ->set("interlace", s.progressive)
                   ->set("optimize_coding", true);
  if (s.max_compression) {
    // mozjpeg's slower settings: trellis quantisation, scan optimisation.
    opts->set("trellis_quant", true)->set("overshoot_deringing", true)->set("optimize_scans", true)->set("quant_table", 3);
  }
  return take_blob(image.jpegsave_buffer(opts));
}

std::string encode_png(const VImage& image, const EncodeSettings& s) {
  int compression = s.preview ? 1 : scaled_effort(s.effort, 6, 9);
  if (s.max_compression) compression = 9;
  auto* opts = keep_option(VImage::option(), s.strip_metadata)
                   ->set("compression", compression)
                   ->set("interlace", s.progressive);
  if (s.palette) opts->set("palette", true)->set("Q", s.quality)->set("effort", s.preview ? 1 : 7);
  return take_blob(image.pngsave_buffer(opts));
}

std::string encode_webp(const VImage& image, const EncodeSettings& s) {
  int effort = s.preview ? 0 : scaled_effort(s.effort, 4, 6);
  if (s.max_compression) effort = 6;
  auto* opts = keep_option(VImage::option(), s.strip_metadata)
                   ->set("Q", s.quality)
                   ->set("effort", effort)
                   ->set("lossless", s.lossless);
  return take_blob(image.webpsave_buffer(opts));
}

std::string encode_avif(const VImage& image, const EncodeSettings& s) {
  int effort = s.preview ? 0 : scaled_effort(s.effort, 4, 9);
  if (s.max_compression) effort = std::max(effort, 7);
  auto* opts = keep_option(VImage::option(), s.strip_metadata)
                   ->set("Q", s.quality)
                   ->set("effort", effort)
                   ->set("lossless", s.lossless)
                   ->set("compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1)
                   ->set("bitdepth", 8);
  return take_blob(image.heifsave_buffer(opts));
}

std::string encode_gif(const VImage& image, const EncodeSettings& s) {
  int effort = s.preview ? 1 : scaled_effort(s.effort, 7, 10);
  auto* opts = keep_option(VImage::option(), s.strip_metadata)
                   ->set("effort", std::max(1, effort))
                   ->set("interlace", s.progressive);
  return take_blob(image.gifsave_buffer(opts));
}

std::string encode_tiff(const VImage& image, const EncodeSettings& s) {
  auto* opts = keep_option(VImage::option(), s.strip_metadata);
  if (s.lossless || image.has_alpha()) {
    opts->set("compression", VIPS_FOREIGN_TIFF_COMPRESSION_DEFLATE);
  } else {
    opts->set("compression", VIPS_FOREIGN_TIFF_COMPRESSION_JPEG)->set("Q", s.quality);
  }
  return take_blob(image.tiffsave_buffer(opts));
}

std::string encode_bmp(VImage image) {
  // stb writes 8-bit RGB or RGBA only.
  if (image.bands() <= 2) image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
  size_t size = 0;
  void* pixels = image.write_to_memory(&size);
  std::unique_ptr<void, decltype(&g_free)> owned(pixels, &g_free);
  auto encoded = codecs::bmp_encode(static_cast<const uint8_t*>(pixels), image.width(), image.height(), image.bands());
  if (!encoded) throw vips::VError("bmp encoding failed");
  return std::string(encoded->begin(), encoded->end());
}

}  // namespace

int default_quality(OutputFormat format) {
  switch (format) {
    case OutputFormat::Avif: return 50;
    case OutputFormat::Tiff: return 75;
    default: return 80;
  }
}

EncodeSettings encode_settings_for(const OutputSpec& spec, OutputFormat format) {
  EncodeSettings s;
  s.format = format;
  s.quality = spec.quality.value_or(default_quality(format));
  s.effort = spec.effort;
  s.progressive = spec.progressive;
  s.lossless = spec.lossless;
  s.strip_metadata = spec.strip_metadata;
  s.max_compression = spec.max_compression;
  s.preview = spec.preview;
  s.palette = spec.palette && format == OutputFormat::Png;
  return s;
}

bool quality_applies(const EncodeSettings& s) {
  switch (s.format) {
    case OutputFormat::Jpeg: return true;
    case OutputFormat::Webp:
    case OutputFormat::Avif: return !s.lossless;
    case OutputFormat::Tiff: return !s.lossless;
    case OutputFormat::Png: return s.palette;
    default: return false;
  }
}

std::string encode(const VImage& image, const EncodeSettings& s) {
  switch (s.format) {
    case OutputFormat::Jpeg: return encode_jpeg(image, s);
    case OutputFormat::Png: return encode_png(image, s);
    case OutputFormat::Webp: return encode_webp(image, s);
    case OutputFormat::Avif: return encode_avif(image, s);
    case OutputFormat::Gif: return encode_gif(image, s);
    case OutputFormat::Tiff: return encode_tiff(image, s);
    case OutputFormat::Bmp: return encode_bmp(image);
    default: throw vips::VError("encode needs a concrete format");
  }
}

}  // namespace pixmill::pipeline
