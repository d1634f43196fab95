#pragma once
// The Recipe: one plain, typed value describing everything a request may ask of the
// pipeline, in canonical units, independent of any API dialect. Dialects build it;
// validate() checks it; the pipeline runs it. Field comments give units and ranges.

#include <cstdint>
#include <optional>

#include "core/result.h"
#include "recipe/colour.h"
#include "recipe/format.h"

namespace pixmill::recipe {

// How a resize box is filled (sharp's names in brackets).
enum class FitMode {
  Fit,      // scale to fit inside the box, keep aspect [inside]
  Fill,     // scale to cover the box, then crop to it [cover]
  Pad,      // scale to fit inside, then pad to the box with the background [contain]
  Stretch,  // scale each axis to the box, ignore aspect [fill]
};

// Which part of the image survives a Fill crop.
enum class Gravity {
  Centre, North, NorthEast, East, SouthEast, South, SouthWest, West, NorthWest,
  Attention,  // libvips smartcrop: skin tones, saturation, edges
  Entropy,    // libvips smartcrop: the busiest region
};

// A crop rectangle in pixels of the EXIF-oriented source image.
struct CropRect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

struct Size {
  int width = 0;
  int height = 0;
  bool operator==(const Size&) const = default;
};

struct ResizeSpec {
  std::optional<int> width;   // 1..kMaxOutputDimension; at least one of width/height
  std::optional<int> height;  // 1..kMaxOutputDimension
  FitMode fit = FitMode::Fit;
  Gravity gravity = Gravity::Centre;
  bool without_enlargement = false;  // never scale up
};

// Effects in canonical units. Each default means "unchanged".
struct Effects {
  double brightness = 1.0;     // multiplier of lightness, 0.1..3
  double contrast = 1.0;       // multiplier of contrast around mid-grey, 0.1..3
  double saturation = 1.0;     // multiplier of chroma, 0..3
  double blur_sigma = 0.0;     // Gaussian sigma in pixels, 0 (off) or 0.3..100
  double sharpen_sigma = 0.0;  // unsharp-mask sigma, 0 (off) or 0.3..10
  bool grayscale = false;
  bool sepia = false;

  bool any() const;
};

struct OutputSpec {
  OutputFormat format = OutputFormat::Original;
  std::optional<int> quality;   // 1..100; unset = the format's default (jpeg/webp 80, avif 50)
  bool progressive = false;     // progressive JPEG, interlaced PNG/GIF
  std::optional<int> effort;    // 0..9 encoder effort (WebP, AVIF, PNG, GIF)
  bool lossless = false;        // WebP/AVIF lossless
  bool strip_metadata = true;   // drop EXIF/XMP/IPTC (orientation is applied first, colour kept)
  bool max_compression = false; // slower encoder settings for smaller files (petiteimg super_saver)
  bool palette = false;         // PNG: quantise to a palette (lossy, much smaller; quality applies)
  std::optional<uint64_t> target_bytes;  // largest acceptable output, bytes
  bool allow_larger = false;    // with target_bytes: may the output outgrow an untouched input of the same format
  bool preview = false;         // fast encode: lowest useful effort
  // Candidates for OutputFormat::Auto (the native dialect sets them from Accept).
  bool auto_allow_avif = false;
  bool auto_allow_webp = true;
  // For OutputFormat::Original: write AVIF input as JPEG (petiteimg's rule).
  bool original_avif_as_jpeg = false;
};

struct Recipe {
  std::optional<CropRect> crop;    // applied first, on the oriented source
  std::optional<ResizeSpec> resize;
  std::optional<Size> centre_crop; // after resizing: centre-crop to at most this (petiteimg's crop)
  double rotate = 0.0;             // degrees clockwise, -360..360; right angles are exact
  bool flip = false;               // mirror top-bottom
  bool flop = false;               // mirror left-right
  Effects effects;
  OutputSpec output;
  Colour background = Colour::white();  // for pad, rotate and flattening alpha
  bool remove_background = false;  // AI cut-out (MODEL_UNAVAILABLE until a model is loaded)
  // With remove_background: composite the cut-out onto this colour (bgColor) instead of
  // leaving it transparent. Unset: transparent where the format has alpha.
  std::optional<Colour> cutout_background;
};

// Limits enforced before the expensive work. Defaults match the documented config.
struct Limits {
  uint64_t max_pixels = 100'000'000;  // width*height of the source (all frames together)
  int max_frames = 1000;              // animation frames
  int max_output_dimension = 8000;    // either side of the result
  int svg_timeout_ms = 5000;          // rasterising one SVG
  uint64_t svg_max_memory_mb = 1024;  // address space of the SVG rasteriser process
  // JPEG shrink-on-load down to the target (as sharp's fastShrinkOnLoad) instead of
  // leaving a factor of two for the final resize (as vips_thumbnail): much less decode
  // work on big photos, at the price of slightly sharper edges.
  bool fast_shrink_on_load = true;
};

inline constexpr int kMaxOutputDimension = 8000;

// Checks every field's bounds. The error names the field and the allowed range.
Status validate(const Recipe& recipe);

}  // namespace pixmill::recipe
