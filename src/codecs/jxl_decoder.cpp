#include "codecs/jxl_decoder.h"

#include <jxl/decode.h>
#include <jxl/decode_cxx.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace pixmill::codecs {
namespace {

Error invalid(const char* what) { return make_error(ErrorCode::InvalidImage, std::string("JPEG XL: ") + what); }

// Width and height after the orientation libjxl applies by default (5..8 transpose).
PixelHeader displayed(const JxlBasicInfo& info) {
  PixelHeader header;
  const bool transposed = info.orientation >= JXL_ORIENT_TRANSPOSE;
  header.width = static_cast<int>(transposed ? info.ysize : info.xsize);
  header.height = static_cast<int>(transposed ? info.xsize : info.ysize);
  header.has_alpha = info.alpha_bits > 0;
  header.bits = info.bits_per_sample > 8 ? 16 : 8;  // what jxl_decode gives
  return header;
}

// The codestream's dimensions are up to 2^30 per side: anything past int is hostile.
bool sane(const JxlBasicInfo& info) {
  return info.xsize > 0 && info.ysize > 0 && info.xsize <= (1u << 30) && info.ysize <= (1u << 30);
}

// At JXL_DEC_BASIC_INFO: the header, refused when its dimensions are hostile.
Result<JxlBasicInfo> read_basic_info(JxlDecoder* decoder) {
  JxlBasicInfo info;
  if (JxlDecoderGetBasicInfo(decoder, &info) != JXL_DEC_SUCCESS || !sane(info)) return invalid("bad dimensions");
  return info;
}

// Feeds the whole file at once (it is in memory) and stops at the first of `events`.
JxlDecoderPtr open(std::span<const uint8_t> bytes, int events) {
  JxlDecoderPtr decoder = JxlDecoderMake(nullptr);
  if (!decoder) return decoder;
  if (JxlDecoderSubscribeEvents(decoder.get(), events) != JXL_DEC_SUCCESS ||
      JxlDecoderSetInput(decoder.get(), bytes.data(), bytes.size()) != JXL_DEC_SUCCESS) {
    return nullptr;
  }
  JxlDecoderCloseInput(decoder.get());
  return decoder;
}

// Where counting frames in a header stops: far past MAX_FRAMES, so the caller refuses.
constexpr int kMaxCountedFrames = 1'000'000;

}  // namespace

bool is_jxl(std::span<const uint8_t> bytes) {
  static constexpr uint8_t kContainer[] = {0, 0, 0, 0x0C, 'J', 'X', 'L', ' ', 0x0D, 0x0A, 0x87, 0x0A};
  if (bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0x0A) return true;
  return bytes.size() >= sizeof kContainer && std::memcmp(bytes.data(), kContainer, sizeof kContainer) == 0;
}

Result<PixelHeader> jxl_read_header(std::span<const uint8_t> bytes) {
  // Frame events without the full-image event let libjxl skip each frame's data: the
  // count costs a walk over the frame headers, no decoding.
  JxlDecoderPtr decoder = open(bytes, JXL_DEC_BASIC_INFO | JXL_DEC_FRAME);
  if (!decoder) return make_error(ErrorCode::Internal, "out of memory");
  PixelHeader header;
  bool animated = false;
  header.frames = 0;
  for (;;) {
    switch (JxlDecoderProcessInput(decoder.get())) {
      case JXL_DEC_BASIC_INFO: {
        auto info = read_basic_info(decoder.get());
        if (!info) return info.error();
        header = displayed(*info);
        header.frames = 0;
        animated = info->have_animation == JXL_TRUE;
        if (!animated) {
          header.frames = 1;
          return header;
        }
        break;
      }
      case JXL_DEC_FRAME:
        // Past any sane limit the count stops: the caller refuses it anyway.
        if (++header.frames >= kMaxCountedFrames) return header;
        break;
      case JXL_DEC_SUCCESS:
        if (header.frames == 0) return invalid("the animation has no frame");
        return header;
      case JXL_DEC_NEED_MORE_INPUT:
        // A truncated or damaged animation whose first frames parsed: those play, as the
        // decoder keeps the frames before the damage.
        if (animated && header.frames > 0) return header;
        return invalid("the file is truncated");
      default:
        if (animated && header.frames > 0) return header;
        return invalid("the header could not be parsed");
    }
  }
}

Result<PixelBuffer> jxl_decode(std::span<const uint8_t> bytes, uint64_t max_pixels, int max_frames) {
  JxlDecoderPtr decoder =
      open(bytes, JXL_DEC_BASIC_INFO | JXL_DEC_COLOR_ENCODING | JXL_DEC_FRAME | JXL_DEC_FULL_IMAGE);
  if (!decoder) return make_error(ErrorCode::Internal, "out of memory");
  PixelBuffer buffer;
  buffer.timeline.frames = 0;
  JxlPixelFormat format{0, JXL_TYPE_UINT8, JXL_NATIVE_ENDIAN, 0};
  double ms_per_tick = 0;
  const auto finished = [&]() -> Result<PixelBuffer> {
    if (buffer.timeline.frames == 0) return invalid("no pixel data");
    buffer.timeline.delays_ms.resize(static_cast<size_t>(buffer.timeline.frames));
    buffer.pixels.resize(buffer.frame_bytes() * static_cast<size_t>(buffer.timeline.frames));
    if (buffer.timeline.frames == 1) buffer.timeline.delays_ms.clear();
    return std::move(buffer);
  };
  for (;;) {
    switch (JxlDecoderProcessInput(decoder.get())) {
      case JXL_DEC_BASIC_INFO: {
        auto read = read_basic_info(decoder.get());
        if (!read) return read.error();
        const JxlBasicInfo& info = *read;
        if (uint64_t{info.xsize} * info.ysize > max_pixels) {
          return make_error(ErrorCode::TooManyPixels, "image dimensions exceed the pixel limit");
        }
        const PixelHeader header = displayed(info);
        buffer.width = header.width;
        buffer.height = header.height;
        buffer.bands = static_cast<int>((info.num_color_channels == 1 ? 1 : 3) + (header.has_alpha ? 1 : 0));
        format.num_channels = static_cast<uint32_t>(buffer.bands);
        // A file with more than 8 bits per sample (10, 12, 16, or float: HDR and
        // camera output) is read as 16 bits, so its gradations reach the pipeline.
        if (info.bits_per_sample > 8) {
          buffer.bits = 16;
          format.data_type = JXL_TYPE_UINT16;
        }
        // The strip's room at once when the frames wanted fit the pixel budget (the
        // pipeline checked the header's count against it): no reallocation per frame.
        if (max_frames > 1 && static_cast<uint64_t>(max_frames) * info.xsize * info.ysize <= max_pixels) {
          buffer.pixels.reserve(buffer.frame_bytes() * static_cast<size_t>(max_frames));
        }
        if (info.have_animation == JXL_TRUE && info.animation.tps_numerator > 0) {
          ms_per_tick = 1000.0 * info.animation.tps_denominator / info.animation.tps_numerator;
          buffer.timeline.loop = static_cast<int>(std::min<uint32_t>(info.animation.num_loops, 65535));
        }
        break;
      }
      case JXL_DEC_COLOR_ENCODING: {
        // The profile of the pixels we ask for (the original space, or sRGB for XYB
        // files), so the pipeline converts to sRGB correctly.
        size_t size = 0;
        if (JxlDecoderGetICCProfileSize(decoder.get(), &format, JXL_COLOR_PROFILE_TARGET_DATA, &size) ==
                JXL_DEC_SUCCESS &&
            size > 0 && size < (size_t{16} << 20)) {
          buffer.icc_profile.resize(size);
          if (JxlDecoderGetColorAsICCProfile(decoder.get(), &format, JXL_COLOR_PROFILE_TARGET_DATA,
                                             reinterpret_cast<uint8_t*>(buffer.icc_profile.data()),
                                             size) != JXL_DEC_SUCCESS) {
            buffer.icc_profile.clear();
          }
        }
        break;
      }
      case JXL_DEC_FRAME: {
        // Frames past the cap, or past the pixel budget of all frames together, are not decoded.
        if (buffer.timeline.frames >= max_frames ||
            static_cast<uint64_t>(buffer.timeline.frames + 1) * static_cast<uint64_t>(buffer.width) * static_cast<uint64_t>(buffer.height) > max_pixels) {
          return finished();
        }
        JxlFrameHeader frame;
        const bool timed = JxlDecoderGetFrameHeader(decoder.get(), &frame) == JXL_DEC_SUCCESS;
        // Clamped before rounding: a hostile tick rate makes durations past any integer.
        const double ms = timed ? std::clamp(frame.duration * ms_per_tick, 0.0, 655350.0) : 0.0;
        buffer.timeline.delays_ms.push_back(static_cast<int>(std::lround(ms)));
        break;
      }
      case JXL_DEC_NEED_IMAGE_OUT_BUFFER: {
        size_t size = 0;
        if (JxlDecoderImageOutBufferSize(decoder.get(), &format, &size) != JXL_DEC_SUCCESS || size != buffer.frame_bytes()) {
          return invalid("unexpected frame size");
        }
        // Each frame lands under the one before: the strip libvips reads as an animation.
        const size_t offset = size * static_cast<size_t>(buffer.timeline.frames);
        buffer.pixels.resize(offset + size);
        if (JxlDecoderSetImageOutBuffer(decoder.get(), &format, buffer.pixels.data() + offset, size) != JXL_DEC_SUCCESS) {
          return invalid("the image could not be decoded");
        }
        break;
      }
      case JXL_DEC_FULL_IMAGE:
        if (++buffer.timeline.frames >= max_frames) return finished();
        break;
      case JXL_DEC_SUCCESS: return finished();
      case JXL_DEC_NEED_MORE_INPUT:
        // A truncated animation keeps the frames before the break, as GIF and WebP do.
        if (buffer.timeline.frames > 0) return finished();
        return invalid("the file is truncated");
      default:
        if (buffer.timeline.frames > 0) return finished();
        return invalid("the image could not be decoded");
    }
  }
}

}  // namespace pixmill::codecs
