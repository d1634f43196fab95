#include "codecs/avif_sequence.h"

#include <avif/avif.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

namespace pixmill::codecs {
namespace {

struct DecoderFree {
  void operator()(avifDecoder* d) const { avifDecoderDestroy(d); }
};
struct EncoderFree {
  void operator()(avifEncoder* e) const { avifEncoderDestroy(e); }
};
struct ImageFree {
  void operator()(avifImage* i) const { avifImageDestroy(i); }
};
using DecoderPtr = std::unique_ptr<avifDecoder, DecoderFree>;
using EncoderPtr = std::unique_ptr<avifEncoder, EncoderFree>;
using ImagePtr = std::unique_ptr<avifImage, ImageFree>;

// Far past any MAX_FRAMES: a longer sequence is refused while parsing.
constexpr uint32_t kMaxCountedFrames = 1'000'000;

Error invalid(const std::string& what) { return make_error(ErrorCode::InvalidImage, "AVIF: " + what); }
Error failed(const std::string& what) { return make_error(ErrorCode::ProcessingFailed, "AVIF encoding: " + what); }

// The file is in memory and outlives the decoder. Only the sequence track is read: Exif
// and XMP of an animation are not carried (as for GIF). Parsing reads the boxes only;
// callers check the dimensions before any frame is decoded.
Result<DecoderPtr> parse(std::span<const uint8_t> bytes) {
  DecoderPtr decoder(avifDecoderCreate());
  if (!decoder) return make_error(ErrorCode::Internal, "out of memory");
  decoder->ignoreExif = AVIF_TRUE;
  decoder->ignoreXMP = AVIF_TRUE;
  decoder->maxThreads = 1;
  decoder->imageCountLimit = kMaxCountedFrames;
  if (avifDecoderSetIOMemory(decoder.get(), bytes.data(), bytes.size()) != AVIF_RESULT_OK) {
    return make_error(ErrorCode::Internal, "out of memory");
  }
  const avifResult parsed = avifDecoderParse(decoder.get());
  if (parsed != AVIF_RESULT_OK) return invalid(avifResultToString(parsed));
  return decoder;
}

// libheif's quality onto AV1's quantizer (0 best .. 63), so a sequence and a still of
// the same quality look alike.
int quantizer_for(int quality) { return std::clamp(((100 - std::clamp(quality, 0, 100)) * 63 + 50) / 100, 0, 63); }

}  // namespace

Result<PixelHeader> avif_sequence_header(std::span<const uint8_t> bytes) {
  auto decoder = parse(bytes);
  if (!decoder) return decoder.error();
  const avifDecoder* d = decoder->get();
  PixelHeader header;
  header.width = static_cast<int>(std::min<uint32_t>(d->image->width, INT32_MAX));
  header.height = static_cast<int>(std::min<uint32_t>(d->image->height, INT32_MAX));
  header.has_alpha = d->alphaPresent == AVIF_TRUE;
  header.frames = d->imageCount > 1 ? d->imageCount : 1;
  return header;
}

Result<PixelBuffer> avif_sequence_decode(std::span<const uint8_t> bytes, uint64_t max_pixels, int max_frames) {
  // Frames past max_frames are not decoded: a longer animation is cut, not refused.
  auto parsed = parse(bytes);
  if (!parsed) return parsed.error();
  avifDecoder* decoder = parsed->get();
  // decoder->image is rewritten by every frame: the first frame's size is kept apart.
  const uint32_t width = decoder->image->width;
  const uint32_t height = decoder->image->height;
  if (width == 0 || height == 0) return invalid("bad dimensions");
  const int wanted = std::min(std::max(decoder->imageCount, 1), std::max(max_frames, 1));
  const uint64_t frame_pixels = uint64_t{width} * height;
  if (frame_pixels > max_pixels || frame_pixels * static_cast<uint64_t>(wanted) > max_pixels) {
    return make_error(ErrorCode::TooManyPixels, "image dimensions exceed the pixel limit");
  }
  PixelBuffer buffer;
  buffer.width = static_cast<int>(width);
  buffer.height = static_cast<int>(height);
  buffer.bands = decoder->alphaPresent ? 4 : 3;
  buffer.timeline.frames = 0;
  buffer.pixels.reserve(buffer.frame_bytes() * static_cast<size_t>(wanted));
  for (int i = 0; i < wanted; ++i) {
    if (avifDecoderNextImage(decoder) != AVIF_RESULT_OK) break;  // keeps the frames before
    const avifImage* image = decoder->image;
    if (image->width != width || image->height != height) break;
    if (i == 0 && image->icc.size > 0) buffer.icc_profile.assign(reinterpret_cast<const char*>(image->icc.data), image->icc.size);
    const size_t offset = buffer.frame_bytes() * static_cast<size_t>(i);
    buffer.pixels.resize(offset + buffer.frame_bytes());
    avifRGBImage rgb;
    avifRGBImageSetDefaults(&rgb, image);
    rgb.depth = 8;
    rgb.format = buffer.bands == 4 ? AVIF_RGB_FORMAT_RGBA : AVIF_RGB_FORMAT_RGB;
    rgb.pixels = buffer.pixels.data() + offset;
    rgb.rowBytes = static_cast<uint32_t>(buffer.width * buffer.bands);
    if (avifImageYUVToRGB(image, &rgb) != AVIF_RESULT_OK) {
      buffer.pixels.resize(offset);
      break;
    }
    // Clamped before rounding: a hostile timescale makes durations past any integer.
    const double ms = std::clamp(decoder->imageTiming.duration * 1000.0, 0.0, 655350.0);
    buffer.timeline.delays_ms.push_back(static_cast<int>(std::lround(ms)));
    buffer.timeline.frames = i + 1;
  }
  if (buffer.timeline.frames == 0) return invalid("the first frame could not be decoded");
  if (buffer.timeline.frames == 1) buffer.timeline.delays_ms.clear();
  return buffer;
}

Result<std::string> avif_sequence_encode(const FrameSource& read_frame, int width, int height, int bands,
                                         const std::string& icc_profile, const Timeline& timeline,
                                         const AvifSequenceOptions& options) {
  if (width <= 0 || height <= 0 || (bands != 3 && bands != 4)) return failed("bad image shape");
  EncoderPtr encoder(avifEncoderCreate());
  if (!encoder) return make_error(ErrorCode::Internal, "out of memory");
  const int quantizer = options.lossless ? 0 : quantizer_for(options.quality);
  encoder->maxThreads = std::max(options.threads, 1);
  // libaom's fastest speeds (9, 10: its real-time mode) are not lossless on inter frames
  // (measured: samples off by up to 128 from the second frame on), so lossless stops at 8.
  encoder->speed = std::clamp(options.speed, 0, options.lossless ? 8 : 10);
  encoder->timescale = 1000;  // durations in milliseconds, the unit of GIF and WebP delays
  encoder->minQuantizer = encoder->maxQuantizer = quantizer;
  encoder->minQuantizerAlpha = encoder->maxQuantizerAlpha = options.lossless ? 0 : quantizer;

  const avifPixelFormat yuv = options.subsample && !options.lossless ? AVIF_PIXEL_FORMAT_YUV420 : AVIF_PIXEL_FORMAT_YUV444;
  const int frames = std::max(timeline.frames, 1);
  for (int i = 0; i < frames; ++i) {
    ImagePtr image(avifImageCreate(static_cast<uint32_t>(width), static_cast<uint32_t>(height), 8, yuv));
    if (!image) return make_error(ErrorCode::Internal, "out of memory");
    if (options.lossless) image->matrixCoefficients = AVIF_MATRIX_COEFFICIENTS_IDENTITY;
    image->yuvRange = AVIF_RANGE_FULL;
    if (!icc_profile.empty()) {
      avifImageSetProfileICC(image.get(), reinterpret_cast<const uint8_t*>(icc_profile.data()), icc_profile.size());
    }
    avifRGBImage rgb;
    avifRGBImageSetDefaults(&rgb, image.get());
    rgb.format = bands == 4 ? AVIF_RGB_FORMAT_RGBA : AVIF_RGB_FORMAT_RGB;
    rgb.pixels = const_cast<uint8_t*>(read_frame(i));
    rgb.rowBytes = static_cast<uint32_t>(width * bands);
    if (avifImageRGBToYUV(image.get(), &rgb) != AVIF_RESULT_OK) return failed("colour conversion");
    const size_t index = static_cast<size_t>(i);
    const int delay = index < timeline.delays_ms.size() ? timeline.delays_ms[index] : 100;
    const avifAddImageFlags flags = frames == 1 ? AVIF_ADD_IMAGE_FLAG_SINGLE : AVIF_ADD_IMAGE_FLAG_NONE;
    // Frames are encoded as they are added; libavif keeps the compressed ones only.
    const avifResult added = avifEncoderAddImage(encoder.get(), image.get(), static_cast<uint64_t>(std::max(delay, 1)), flags);
    if (added != AVIF_RESULT_OK) return failed(avifResultToString(added));
  }
  avifRWData output = AVIF_DATA_EMPTY;
  const avifResult finished = avifEncoderFinish(encoder.get(), &output);
  if (finished != AVIF_RESULT_OK) return failed(avifResultToString(finished));
  std::string out(reinterpret_cast<const char*>(output.data), output.size);
  avifRWDataFree(&output);
  return out;
}

Result<std::string> avif_sequence_encode(const uint8_t* pixels, int width, int height, int bands,
                                         const std::string& icc_profile, const Timeline& timeline,
                                         const AvifSequenceOptions& options) {
  const size_t frame_bytes = static_cast<size_t>(std::max(width, 0)) * std::max(height, 0) * std::max(bands, 0);
  return avif_sequence_encode(frames_in(pixels, frame_bytes), width, height, bands, icc_profile, timeline, options);
}

}  // namespace pixmill::codecs
