#include "pipeline/encode.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "codecs/avif_sequence.h"
#include "codecs/bmp_codec.h"
#include "codecs/heif_encoder.h"
#include "codecs/jxl_encoder.h"
#include "pipeline/gain_map.h"

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

// A gain map is image data, not metadata: stripping keeps it (the pipeline attaches
// one only when it still matches the image; gain_map.h).
vips::VOption* jpeg_keep_option(vips::VOption* opts, bool strip) {
#if PIXMILL_VIPS_GAIN_MAPS
  if (strip) return opts->set("keep", VIPS_FOREIGN_KEEP_GAINMAP);
#endif
  return keep_option(opts, strip);
}

// 8-bit interleaved pixels for the encoders libvips' build lacks. 16-bit images are
// converted (not clipped) to 8 bits; colour_only turns grey into RGB for encoders
// that take only RGB(A).
struct Pixels8 {
  std::unique_ptr<void, decltype(&g_free)> data{nullptr, &g_free};
  int width = 0;
  int height = 0;
  int bands = 0;
  std::string icc_profile;
  const uint8_t* get() const { return static_cast<const uint8_t*>(data.get()); }
};

Pixels8 pixels8(VImage image, bool colour_only) {
  const bool grey = image.bands() <= 2;
  if (colour_only && grey) {
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  } else if (image.format() == VIPS_FORMAT_USHORT || image.format() == VIPS_FORMAT_SHORT) {
    image = image.colourspace(grey ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB);
  }
  if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
  Pixels8 out;
  if (image.get_typeof("icc-profile-data") != 0) {
    size_t length = 0;
    const void* icc = image.get_blob("icc-profile-data", &length);
    out.icc_profile.assign(static_cast<const char*>(icc), length);
  }
  size_t size = 0;
  out.data.reset(image.write_to_memory(&size));
  out.width = image.width();
  out.height = image.height();
  out.bands = image.bands();
  return out;
}

// Renders an animation's frames one at a time for the encoders that take a FrameSource:
// each request computes only that frame's rows of the pipeline, so one frame of 8-bit
// pixels is in memory, not the whole strip.
class FrameRenderer {
 public:
  FrameRenderer(VImage strip, int frame_height, bool colour_only)
      : strip_(std::move(strip)), frame_height_(frame_height), colour_only_(colour_only) {}

  // Frames are asked for in order; asking again for the last one costs nothing (a
  // sequential load cannot go back).
  const uint8_t* operator()(int index) {
    if (index != current_index_) {
      current_ = pixels8(strip_.extract_area(0, index * frame_height_, strip_.width(), frame_height_), colour_only_);
      current_index_ = index;
    }
    return current_.get();
  }

  // Of the encoded pixels: known once a frame is rendered, so the first one is.
  int bands() {
    if (current_index_ < 0) (*this)(0);
    return current_.bands;
  }
  const std::string& icc_profile() {
    if (current_index_ < 0) (*this)(0);
    return current_.icc_profile;
  }

 private:
  VImage strip_;
  int frame_height_;
  bool colour_only_;
  int current_index_ = -1;
  Pixels8 current_;
};

// An animation's frames and timing as libvips carries them: a strip of frames with
// "page-height", "delay" and "loop".
codecs::Timeline timeline_of(const VImage& image) {
  codecs::Timeline timeline;
  const int page = image.get_typeof("page-height") != 0 ? image.get_int("page-height") : image.height();
  if (page <= 0 || page >= image.height() || image.height() % page != 0) return timeline;
  timeline.frames = image.height() / page;
  if (image.get_typeof("delay") != 0) timeline.delays_ms = image.get_array_int("delay");
  timeline.delays_ms.resize(static_cast<size_t>(timeline.frames), timeline.delays_ms.empty() ? 100 : timeline.delays_ms.back());
  if (image.get_typeof("loop") != 0) timeline.loop = image.get_int("loop");
  return timeline;
}

std::string encode_jpeg(const VImage& image, const EncodeSettings& s) {
  auto* opts = jpeg_keep_option(VImage::option(), s.strip_metadata)
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

// Effort 3 (aom speed 6) with full-resolution chroma by default: on the photo corpus it
// spends 4.6x less CPU than sharp's default (effort 4, aom's slower search) for +0.8%
// bytes; effort 4 costs 4-5x the CPU for 0.8% fewer bytes at the same quality. Chroma
// subsampling saves little at effort 3 and loses on small and red-heavy images.
// bench/RESULTS.md, "AVIF encoder settings". Preview stays the fastest: effort 0, 4:2:0.
// An animation goes to libavif (avif_sequence.h) with the same settings, a frame at a time.
std::string encode_avif_sequence(const VImage& image, const EncodeSettings& s, int effort, const codecs::Timeline& timeline) {
  const int frame_height = image.height() / timeline.frames;
  FrameRenderer frames(image, frame_height, true);
  codecs::AvifSequenceOptions options;
  options.quality = s.quality;
  options.lossless = s.lossless;
  options.speed = 9 - effort;  // libvips' own mapping of effort onto aom's speed
  options.subsample = s.preview;
  options.threads = vips_concurrency_get();
  auto encoded = codecs::avif_sequence_encode(std::ref(frames), image.width(), frame_height, frames.bands(),
                                              frames.icc_profile(), timeline, options);
  if (!encoded) throw vips::VError(encoded.error().message.c_str());
  return std::move(*encoded);
}

std::string encode_avif(const VImage& image, const EncodeSettings& s) {
  int effort = s.preview ? 0 : scaled_effort(s.effort, 3, 9);
  if (s.max_compression) effort = std::max(effort, 7);
  if (const codecs::Timeline timeline = timeline_of(image); timeline.frames > 1) {
    return encode_avif_sequence(image, s, effort, timeline);
  }
  auto* opts = keep_option(VImage::option(), s.strip_metadata)
                   ->set("Q", s.quality)
                   ->set("effort", effort)
                   ->set("lossless", s.lossless)
                   ->set("compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1)
                   ->set("subsample_mode", s.preview ? VIPS_FOREIGN_SUBSAMPLE_AUTO : VIPS_FOREIGN_SUBSAMPLE_OFF)
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

std::string encode_bmp(const VImage& image) {
  // stb writes 8-bit RGB or RGBA only.
  const Pixels8 px = pixels8(image, true);
  auto encoded = codecs::bmp_encode(px.get(), px.width, px.height, px.bands);
  if (!encoded) throw vips::VError("bmp encoding failed");
  return std::string(encoded->begin(), encoded->end());
}

std::string encode_jxl(const VImage& image, const EncodeSettings& s) {
  codecs::JxlEncodeOptions options;
  options.quality = s.quality;
  options.lossless = s.lossless;
  // Our 0..9 onto libjxl's 1..9; preview is libjxl's fastest (1), the default its 7.
  options.effort = s.preview ? 1 : std::max(1, scaled_effort(s.effort, 7, 9));
  if (s.max_compression) options.effort = std::max(options.effort, 8);
  options.max_pixels = s.max_encode_pixels;
  options.timeline = timeline_of(image);
  const int frame_height = image.height() / options.timeline.frames;
  FrameRenderer frames(image, frame_height, false);
  auto encoded = codecs::jxl_encode(std::ref(frames), image.width(), frame_height, frames.bands(), frames.icc_profile(), options);
  if (!encoded) throw vips::VError(encoded.error().message.c_str());
  return std::move(*encoded);
}

std::string encode_heic(const VImage& image, const EncodeSettings& s) {
  const Pixels8 px = pixels8(image, true);
  codecs::HeicEncodeOptions options;
  options.quality = s.quality;
  options.lossless = s.lossless;
  // Our effort 0..9 onto x265's presets, fastest to slowest; the default (4) is "medium".
  static constexpr const char* kPresets[] = {"ultrafast", "superfast", "veryfast", "faster", "medium",
                                             "medium",    "slow",      "slower",   "veryslow", "placebo"};
  options.preset = s.preview ? "ultrafast" : kPresets[std::clamp(s.effort.value_or(4), 0, 9)];
  if (s.max_compression) options.preset = "slower";
  auto encoded = codecs::heic_encode(px.get(), px.width, px.height, px.bands, px.icc_profile, options);
  if (!encoded) throw vips::VError(encoded.error().message.c_str());
  return std::move(*encoded);
}

}  // namespace

int default_quality(OutputFormat format) {
  switch (format) {
    case OutputFormat::Avif: return 50;
    case OutputFormat::Heic: return 50;
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

// libaom's lookahead (lag-in-frames) in good-quality mode, which libavif 0.11 does not lower.
constexpr int kAomLookaheadFrames = 19;

Status check_encodable(OutputFormat format, int width, int height, int frames, const Limits& limits) {
  const uint64_t frame_pixels = static_cast<uint64_t>(width) * static_cast<uint64_t>(height);
  if (format == OutputFormat::Avif && frames > 1 &&
      frame_pixels * static_cast<uint64_t>(std::min(frames, kAomLookaheadFrames)) > limits.max_avif_animation_pixels) {
    return make_error(ErrorCode::TooManyPixels,
                      "animated AVIF output of " + std::to_string(frames) + " frames of " + std::to_string(width) + "x" +
                          std::to_string(height) + ": its encoder holds up to " + std::to_string(kAomLookaheadFrames) +
                          " frames at once, over AVIF_ANIMATION_MAX_PIXELS (" +
                          std::to_string(limits.max_avif_animation_pixels) + " pixels); ask for WebP, or fewer or smaller frames");
  }
  if (format == OutputFormat::Jxl && frame_pixels > limits.max_jxl_pixels) {
    return make_error(ErrorCode::TooManyPixels, "JPEG XL output is " + std::to_string(width) + "x" +
                                                    std::to_string(height) + ", over JXL_MAX_PIXELS (" +
                                                    std::to_string(limits.max_jxl_pixels) + " pixels)");
  }
  if (format == OutputFormat::Heic && !codecs::heic_encoder_available()) {
    return make_error(ErrorCode::UnsupportedFormat,
                      "HEIC output needs libheif's HEVC encoder (x265), which this installation lacks");
  }
  return ok_status();
}

bool quality_applies(const EncodeSettings& s) {
  switch (s.format) {
    case OutputFormat::Jpeg: return true;
    case OutputFormat::Webp:
    case OutputFormat::Avif:
    case OutputFormat::Jxl:
    case OutputFormat::Heic: return !s.lossless;
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
    case OutputFormat::Jxl: return encode_jxl(image, s);
    case OutputFormat::Heic: return encode_heic(image, s);
    default: throw vips::VError("encode needs a concrete format");
  }
}

}  // namespace pixmill::pipeline
