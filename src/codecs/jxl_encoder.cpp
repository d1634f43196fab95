#include "codecs/jxl_encoder.h"

#include <jxl/encode.h>
#include <jxl/encode_cxx.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace pixmill::codecs {
namespace {

Error failed(const char* what) { return make_error(ErrorCode::ProcessingFailed, std::string("JPEG XL encoding: ") + what); }

Status describe(JxlEncoder* encoder, int width, int height, int bands, int bits, const std::string& icc, bool lossless,
                const Timeline& timeline) {
  const bool alpha = bands == 2 || bands == 4;
  const bool grey = bands <= 2;
  JxlBasicInfo info;
  JxlEncoderInitBasicInfo(&info);
  info.xsize = static_cast<uint32_t>(width);
  info.ysize = static_cast<uint32_t>(height);
  info.bits_per_sample = static_cast<uint32_t>(bits);
  info.num_color_channels = grey ? 1 : 3;
  info.num_extra_channels = alpha ? 1 : 0;
  info.alpha_bits = alpha ? static_cast<uint32_t>(bits) : 0;
  // Lossless must keep the original samples; lossy works in XYB, the format's best.
  info.uses_original_profile = lossless ? JXL_TRUE : JXL_FALSE;
  if (timeline.frames > 1) {
    // Ticks of a millisecond, the unit of GIF and WebP delays.
    info.have_animation = JXL_TRUE;
    info.animation.tps_numerator = 1000;
    info.animation.tps_denominator = 1;
    info.animation.num_loops = static_cast<uint32_t>(std::max(timeline.loop, 0));
  }
  if (JxlEncoderSetBasicInfo(encoder, &info) != JXL_ENC_SUCCESS) return failed("basic info refused");
  if (alpha) {
    JxlExtraChannelInfo channel;
    JxlEncoderInitExtraChannelInfo(JXL_CHANNEL_ALPHA, &channel);
    channel.bits_per_sample = static_cast<uint32_t>(bits);
    if (JxlEncoderSetExtraChannelInfo(encoder, 0, &channel) != JXL_ENC_SUCCESS) return failed("alpha refused");
  }
  if (!icc.empty() &&
      JxlEncoderSetICCProfile(encoder, reinterpret_cast<const uint8_t*>(icc.data()), icc.size()) == JXL_ENC_SUCCESS) {
    return ok_status();
  }
  // No profile, or one libjxl cannot use: the pixels are sRGB (the pipeline's output space).
  JxlColorEncoding colour;
  JxlColorEncodingSetToSRGB(&colour, grey ? JXL_TRUE : JXL_FALSE);
  if (JxlEncoderSetColorEncoding(encoder, &colour) != JXL_ENC_SUCCESS) return failed("colour encoding refused");
  return ok_status();
}

// Takes what the encoder has written so far onto out; done once the input is closed.
Status drain(JxlEncoder* encoder, std::string& out) {
  size_t used = out.size();
  if (out.size() < used + 64 * 1024) out.resize(used + 64 * 1024);
  for (;;) {
    uint8_t* next = reinterpret_cast<uint8_t*>(out.data()) + used;
    size_t avail = out.size() - used;
    const JxlEncoderStatus status = JxlEncoderProcessOutput(encoder, &next, &avail);
    used = out.size() - avail;
    if (status == JXL_ENC_SUCCESS) break;
    if (status != JXL_ENC_NEED_MORE_OUTPUT) return failed("the encoder failed");
    out.resize(out.size() * 2);
  }
  out.resize(used);
  return ok_status();
}

struct Box {
  int x = 0, y = 0, width = 0, height = 0;
};

// The smallest box holding every pixel that differs between two frames of the same size
// (at least one pixel: an unchanged frame never reaches here, it is merged).
Box changed_box(const uint8_t* before, const uint8_t* after, int width, int height, size_t pixel_bytes) {
  int x0 = width, y0 = height, x1 = -1, y1 = -1;
  const size_t row_bytes = static_cast<size_t>(width) * pixel_bytes;
  for (int y = 0; y < height; ++y) {
    const uint8_t* a = before + row_bytes * static_cast<size_t>(y);
    const uint8_t* b = after + row_bytes * static_cast<size_t>(y);
    if (std::memcmp(a, b, row_bytes) == 0) continue;
    int first = 0, last = width - 1;
    while (std::memcmp(a + first * pixel_bytes, b + first * pixel_bytes, pixel_bytes) == 0) ++first;
    while (std::memcmp(a + last * pixel_bytes, b + last * pixel_bytes, pixel_bytes) == 0) --last;
    x0 = std::min(x0, first);
    x1 = std::max(x1, last);
    y0 = std::min(y0, y);
    y1 = y;
  }
  if (x1 < 0) return Box{0, 0, 1, 1};
  return Box{x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

// The box's pixels, row after row, into `out` (its allocation is reused frame to frame).
void copy_box(const uint8_t* frame, int width, size_t pixel_bytes, const Box& box, std::vector<uint8_t>& out) {
  const size_t row = static_cast<size_t>(box.width) * pixel_bytes;
  out.resize(row * static_cast<size_t>(box.height));
  for (int y = 0; y < box.height; ++y) {
    std::memcpy(out.data() + row * static_cast<size_t>(y),
                frame + (static_cast<size_t>(box.y + y) * width + box.x) * pixel_bytes, row);
  }
}

}  // namespace

float jxl_distance_for_quality(int quality) {
  const double q = std::clamp(quality, 1, 100);
  if (q >= 100) return 0.0f;
  if (q >= 30) return static_cast<float>(0.1 + (100 - q) * 0.09);
  return static_cast<float>(6.4 + std::pow(2.5, (30 - q) / 5.0) / 6.25);
}

Result<std::string> jxl_encode(const FrameSource& read_frame, int width, int height, int bands, const std::string& icc_profile,
                               const JxlEncodeOptions& options) {
  if (width <= 0 || height <= 0 || bands < 1 || bands > 4 || (options.bits != 8 && options.bits != 16)) return failed("bad image shape");
  if (static_cast<uint64_t>(width) * static_cast<uint64_t>(height) > options.max_pixels) {
    return make_error(ErrorCode::TooManyPixels, "JPEG XL output is " + std::to_string(width) + "x" +
                                                    std::to_string(height) + ", over JXL_MAX_PIXELS (" +
                                                    std::to_string(options.max_pixels) + ")");
  }
  const Timeline& timeline = options.timeline;
  const int frames = std::max(timeline.frames, 1);
  JxlEncoderPtr encoder = JxlEncoderMake(nullptr);
  if (!encoder) return make_error(ErrorCode::Internal, "out of memory");
  if (auto s = describe(encoder.get(), width, height, bands, options.bits, icc_profile, options.lossless, timeline); !s) {
    return s.error();
  }

  JxlEncoderFrameSettings* frame = JxlEncoderFrameSettingsCreate(encoder.get(), nullptr);
  const bool lossless = options.lossless || options.quality >= 100;
  if (JxlEncoderSetFrameLossless(frame, lossless ? JXL_TRUE : JXL_FALSE) != JXL_ENC_SUCCESS ||
      (!lossless && JxlEncoderSetFrameDistance(frame, jxl_distance_for_quality(options.quality)) != JXL_ENC_SUCCESS) ||
      JxlEncoderFrameSettingsSetOption(frame, JXL_ENC_FRAME_SETTING_EFFORT, std::clamp(options.effort, 1, 9)) !=
          JXL_ENC_SUCCESS) {
    return failed("settings refused");
  }
  const JxlPixelFormat format{static_cast<uint32_t>(bands), options.bits == 16 ? JXL_TYPE_UINT16 : JXL_TYPE_UINT8, JXL_NATIVE_ENDIAN, 0};
  const size_t size = static_cast<size_t>(width) * height * bands * (options.bits / 8);
  // Identical consecutive frames become one shown for their summed delays, as libwebp
  // does: libjxl 0.7 codes every frame whole, so a repeated frame would cost its full size.
  const auto delay_of = [&](int i) {
    const size_t index = static_cast<size_t>(i);
    return std::max(index < timeline.delays_ms.size() ? timeline.delays_ms[index] : 100, 0);
  };
  const size_t pixel_bytes = static_cast<size_t>(bands) * (options.bits / 8);
  std::vector<uint8_t> current;   // the frame to write next (a copy: the source moves on)
  std::vector<uint8_t> previous;  // the frame written before it
  std::vector<uint8_t> region;    // the changed part of `current`
  const uint8_t* ahead = read_frame(0);
  std::string out;
  for (int i = 0; i < frames;) {
    current.assign(ahead, ahead + size);
    int next = i + 1;
    int64_t duration = delay_of(i);
    ahead = nullptr;
    while (next < frames) {
      ahead = read_frame(next);
      if (std::memcmp(ahead, current.data(), size) != 0) break;
      duration += delay_of(next++);
      ahead = nullptr;
    }
    const uint8_t* pixels_to_write = current.data();
    size_t bytes_to_write = size;
    if (frames > 1) {
      JxlFrameHeader header;
      JxlEncoderInitFrameHeader(&header);
      // A frame of duration 0 is a layer of the next one, not shown by itself: a GIF's 0
      // delay (which browsers show for 100 ms) stays a frame of its own.
      header.duration = static_cast<uint32_t>(std::clamp<int64_t>(duration, 1, UINT32_MAX));
      // Only what changed since the frame before is coded, replacing that part of the
      // canvas it left (kept as reference 1): libjxl 0.7 has no inter-frame prediction, so
      // a static background would otherwise be coded again in every frame.
      header.layer_info.blend_info.blendmode = JXL_BLEND_REPLACE;
      header.layer_info.blend_info.source = 1;
      header.layer_info.save_as_reference = 1;
      if (!previous.empty()) {
        const Box changed = changed_box(previous.data(), current.data(), width, height, pixel_bytes);
        if (changed.width < width || changed.height < height) {
          header.layer_info.have_crop = JXL_TRUE;
          header.layer_info.crop_x0 = changed.x;
          header.layer_info.crop_y0 = changed.y;
          header.layer_info.xsize = static_cast<uint32_t>(changed.width);
          header.layer_info.ysize = static_cast<uint32_t>(changed.height);
          copy_box(current.data(), width, pixel_bytes, changed, region);
          pixels_to_write = region.data();
          bytes_to_write = region.size();
        }
      }
      if (JxlEncoderSetFrameHeader(frame, &header) != JXL_ENC_SUCCESS) return failed("frame header refused");
      if ((bands == 2 || bands == 4) &&
          JxlEncoderSetExtraChannelBlendInfo(frame, 0, &header.layer_info.blend_info) != JXL_ENC_SUCCESS) {
        return failed("alpha blending refused");
      }
    }
    if (JxlEncoderAddImageFrame(frame, &format, pixels_to_write, bytes_to_write) != JXL_ENC_SUCCESS) {
      return failed("frame refused");
    }
    if (next == frames) JxlEncoderCloseInput(encoder.get());
    if (auto s = drain(encoder.get(), out); !s) return s.error();
    previous.swap(current);
    i = next;
  }
  return out;
}

Result<std::string> jxl_encode(const uint8_t* pixels, int width, int height, int bands, const std::string& icc_profile,
                               const JxlEncodeOptions& options) {
  const size_t frame_bytes = static_cast<size_t>(std::max(width, 0)) * std::max(height, 0) * std::max(bands, 0) * (options.bits / 8);
  return jxl_encode(frames_in(pixels, frame_bytes), width, height, bands, icc_profile, options);
}

}  // namespace pixmill::codecs
