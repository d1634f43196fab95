// libFuzzer target for the whole decode -> process -> encode path on arbitrary bytes.
//
// Input layout: 4 bytes choose the recipe (output format, a resize, effects), the rest
// is the image. Limits are small (a 1-megapixel source, 16 frames, 256-pixel outputs,
// a 2 s budget) so one execution stays cheap and the fuzzer reaches each limit check.
// libvips comes from sharp's prebuilt library and is not instrumented: the target
// finds bugs in our code around it (sniffing, header checks, the BMP/HEIF codecs,
// geometry planning, encoding, target size) and libvips crashes on hostile input.
//
// Invariants: every failure is a client-facing type (never INTERNAL); every success
// is a non-empty image of the requested format within the output limit.
// SVG is skipped: it is rasterised in a child `pixmill svg-render` process that this
// binary is not (the hostile-input suite covers SVG through the server).

#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_check.h"
#include "pipeline/process.h"
#include "pipeline/sniff.h"
#include "pipeline/vips_runtime.h"

using namespace pixmill;

namespace {

constexpr recipe::OutputFormat kFormats[] = {recipe::OutputFormat::Original, recipe::OutputFormat::Auto, recipe::OutputFormat::Jpeg,
                                     recipe::OutputFormat::Png,      recipe::OutputFormat::Webp, recipe::OutputFormat::Gif,
                                     recipe::OutputFormat::Tiff,     recipe::OutputFormat::Bmp,  recipe::OutputFormat::Avif};

recipe::Recipe recipe_from(const uint8_t* k) {
  recipe::Recipe r;
  r.output.format = kFormats[k[0] % std::size(kFormats)];
  if (r.output.format == recipe::OutputFormat::Avif && (k[0] & 0x80) == 0) r.output.format = recipe::OutputFormat::Webp;  // AVIF is slow
  r.output.quality = 1 + k[1] % 100;
  r.output.effort = 0;
  if (k[2] & 1) {
    recipe::ResizeSpec s;
    s.width = 1 + k[3] % 64;
    if (k[2] & 2) s.height = 1 + (k[3] >> 2) % 64;
    s.fit = static_cast<recipe::FitMode>((k[2] >> 2) % 4);
    r.resize = s;
  }
  if (k[2] & 0x10) r.rotate = (k[2] & 0x20) ? 90 : 33;
  if (k[2] & 0x40) r.effects.grayscale = true;
  if (k[2] & 0x80) r.effects.blur_sigma = 1.0;
  if (k[1] & 0x80) r.output.target_bytes = 2048;
  return r;
}

bool client_facing(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput:
    case ErrorCode::UnsupportedFormat:
    case ErrorCode::InvalidImage:
    case ErrorCode::TooManyPixels:
    case ErrorCode::TooManyFrames:
    case ErrorCode::Timeout:
    case ErrorCode::ProcessingFailed:  // a valid image an encoder could not write: 500, typed
      return true;
    default:
      return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  if (!pipeline::init_vips((*argv)[0], pipeline::VipsSettings{})) __builtin_trap();
  (void)argc;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const std::span<const uint8_t> image(data + 4, size - 4);
  if (pipeline::sniff_format(image) == recipe::InputFormat::Svg) return 0;
  const recipe::Recipe recipe = recipe_from(data);

  recipe::Limits limits;
  limits.max_pixels = 1'000'000;
  limits.max_frames = 16;
  limits.max_output_dimension = 256;

  auto result = pipeline::process_image(image, recipe, limits, core::Deadline::after(std::chrono::seconds(2)));
  if (!result) {
    fuzz::check(client_facing(result.error().code));
    fuzz::check(!result.error().message.empty());
    pipeline::clear_vips_error();
    return 0;
  }
  fuzz::check(!result->bytes.empty());
  fuzz::check(result->width >= 1 && result->height >= 1);
  fuzz::check(result->width <= limits.max_output_dimension && result->height <= limits.max_output_dimension);
  if (recipe.output.format != recipe::OutputFormat::Original && recipe.output.format != recipe::OutputFormat::Auto) {
    fuzz::check(result->format == recipe.output.format);
  }
  return 0;
}
