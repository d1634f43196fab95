#pragma once
// Animated AVIF (an AV1 image sequence, brand "avis") through Debian's libavif (0.11).
// libvips' HEIF loader and saver handle still images only, and the libheif inside our
// libvips build keeps its sequence API private; stills stay with libvips (source.cpp,
// encode.cpp). libavif encodes with the same AV1 encoder (libaom) as libvips does.

#include <cstdint>
#include <span>
#include <string>

#include "codecs/pixel_buffer.h"
#include "core/result.h"

namespace pixmill::codecs {

// The size of the sequence's frames (as its track declares them: libavif applies no
// rotation or mirroring to sequences) and their number, 1 when the file has no sequence
// (a still AVIF), from the container alone. Failure means libavif cannot parse the file.
Result<PixelHeader> avif_sequence_header(std::span<const uint8_t> bytes);

// Decodes up to max_frames frames of the sequence to 8-bit RGB(A) with their durations,
// refusing, before any is decoded, frames whose pixels together pass max_pixels. A broken
// later frame, or one of another size, ends the animation before it, as for GIF and WebP.
Result<PixelBuffer> avif_sequence_decode(std::span<const uint8_t> bytes, uint64_t max_pixels, int max_frames);

struct AvifSequenceOptions {
  int quality = 50;        // 1..100, onto AV1's quantizer the way libheif maps it for stills
  bool lossless = false;   // quantizer 0, 4:4:4, identity matrix
  int speed = 6;           // libaom's cpu-used, 0 (slowest) .. 10; libvips' effort e is speed 9 - e
  bool subsample = false;  // 4:2:0 chroma instead of 4:4:4
  int threads = 1;
};

// Encodes the timeline's frames of interleaved 8-bit RGB or RGBA (width x height each) as
// an image sequence with their durations, reading one frame at a time. An empty
// icc_profile means sRGB. libavif 0.11 has no loop count: the sequence plays forever, as
// browsers play "avis".
Result<std::string> avif_sequence_encode(const FrameSource& frames, int width, int height, int bands,
                                         const std::string& icc_profile, const Timeline& timeline,
                                         const AvifSequenceOptions& options);
// The same for frames already in memory, one under the other.
Result<std::string> avif_sequence_encode(const uint8_t* pixels, int width, int height, int bands,
                                         const std::string& icc_profile, const Timeline& timeline,
                                         const AvifSequenceOptions& options);

}  // namespace pixmill::codecs
