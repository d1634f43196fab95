#pragma once
// The Recipe: one plain, typed value describing everything a request may ask of the
// pipeline, in canonical units, independent of any API dialect. Dialects build it;
// validate() checks it; the pipeline runs it. Field comments give units and ranges.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  Faces,      // AI face detector: keep every face (Attention when there is none)
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


// ---- Compositing, shape and frame, colour tools (docs/compositing.md) ----------------
// Grouped so that the URL grammars (imgproxy, thumbor, Cloudflare) can map their options
// onto the same fields: watermark/wm -> overlays, text -> texts, trim/padding/round_corner
// -> frame, pixelate/gamma/tint/… -> colour_tools. Defaults mean "unchanged".

inline constexpr int kMaxOverlays = 16;        // image overlays per request (each recipe pass)
inline constexpr int kMaxTextLayers = 8;       // text layers per request (each recipe pass)
inline constexpr int kMaxTextBytes = 2000;     // UTF-8 bytes of one text layer
inline constexpr int kMaxTextSize = 500;       // text size in pixels
inline constexpr int kMaxOperations = 32;      // entries of an ordered operations list

// Where a layer sits on its base: a compass anchor (Attention/Entropy are not allowed)
// plus offsets in pixels. Offsets push away from the anchored edges, towards the inside
// (north-west: right and down; south-east: left and up); for a centred axis a positive
// offset moves right or down. -kMaxOutputDimension..kMaxOutputDimension each.
struct Placement {
  Gravity gravity = Gravity::Centre;
  int offset_x = 0;
  int offset_y = 0;
};

// How an overlay's colour meets the base (the Porter-Duff / PDF blend modes libvips'
// composite2 implements; see docs/compositing.md for the names on the wire).
enum class BlendMode { Over, Multiply, Screen, Overlay, SoftLight, HardLight, Darken, Lighten,
                       ColourDodge, ColourBurn, Difference, Exclusion, Add };

// Where an overlay's pixels come from. Dialects and the CLI resolve `reference` into
// `bytes` before the pipeline runs (dialects/overlay_sources.cpp); the pipeline reads only
// `bytes` and refuses an overlay whose bytes are missing.
struct OverlaySource {
  enum class Kind {
    Upload,  // a multipart part of the request; reference = the part's label ("watermark#1")
    Url,     // an http(s) URL, fetched through the SSRF-safe fetcher; reference = the URL
    Named,   // a file in WATERMARKS_DIR; reference = its name without extension ("logo")
    File,    // CLI only: a local path
  };
  Kind kind = Kind::Upload;
  std::string reference;
  std::shared_ptr<const std::string> bytes;  // the encoded image, once resolved
};

// A watermark value that names an uploaded part ("part:watermark#1"): dialects/upload.cpp
// writes these for multipart file parts and base64 data: URLs named `watermark`.
inline constexpr std::string_view kUploadedPartPrefix = "part:";

// An image watermark / overlay, composited after the geometry and effects.
struct Overlay {
  OverlaySource source;
  Placement placement;           // ignored when tiled
  bool tile = false;             // repeat over the whole base
  int tile_spacing = 0;          // pixels between tiles, 0..kMaxOutputDimension
  double scale = 0.0;            // overlay width as a fraction of the base width, 0 (as is) or 0.01..1
  double opacity = 1.0;          // 0..1, multiplies the overlay's own alpha
  BlendMode blend = BlendMode::Over;
};

enum class TextAlign { Left, Centre, Right };

// A line (or wrapped paragraph) of text. Plain UTF-8, never markup: RTL and CJK render
// where the font (or fontconfig's fallback for it) covers the script.
struct TextLayer {
  std::string text;                  // 1..kMaxTextBytes bytes of UTF-8
  std::string font = "DejaVu Sans";  // a family fontconfig knows; unknown -> InvalidInput
  bool bold = false;
  int size = 32;                     // pixel height of the em, 4..kMaxTextSize
  Colour colour = Colour::white();   // alpha multiplies with opacity
  double opacity = 1.0;              // 0..1
  Placement placement;
  int wrap_width = 0;                // wrap at this many pixels, 0 = the base's width less offsets
  TextAlign align = TextAlign::Left;
  std::optional<Colour> shadow;      // drop shadow colour; unset = none
  int shadow_offset = 2;             // pixels right and down, 0..100
  double shadow_blur = 0.0;          // Gaussian sigma of the shadow, 0 (hard) or 0.3..50
  std::optional<Colour> outline;     // outline colour; unset = none
  int outline_width = 2;             // pixels, 1..50
};

// Per-side sizes in pixels.
struct Sides {
  int top = 0, right = 0, bottom = 0, left = 0;
  bool any() const { return top || right || bottom || left; }
  bool operator==(const Sides&) const = default;
};

enum class MaskShape { None, Circle, Ellipse };

// Trimming a uniform border (libvips find_trim) before anything else.
struct Trim {
  bool enabled = false;
  double threshold = 10.0;            // 0..255: how far from the background still counts as background
  std::optional<Colour> background;   // unset: auto, the top-left pixel's colour
};

// Shape and frame, in this order: mask (radius or shape), border, extend.
struct Frame {
  Trim trim;                          // runs first, on the oriented source
  int radius = 0;                     // rounded corners, 0..kMaxOutputDimension pixels
  MaskShape mask = MaskShape::None;   // circle: the largest centred circle; ellipse: the whole box
  // Outside a mask: transparent where the output format has alpha, else `background`.
  int border = 0;                     // pixels per side, 0..1000; follows the mask's shape
  Colour border_colour = Colour::black();
  Sides extend;                       // padding per side, 0..kMaxOutputDimension each
  std::optional<Colour> extend_colour;  // unset: the recipe's background
  bool any() const { return radius > 0 || mask != MaskShape::None || border > 0 || extend.any(); }
};

enum class ModulateSpace { Oklch, Lch };

// Unsharp mask on lightness (libvips sharpen): sigma of the blur, gain on flat areas and
// on jagged (edge) areas. sigma 0 = off.
struct Unsharp {
  double sigma = 0.0;   // 0 (off) or 0.3..10
  double flat = 1.0;    // 0..10 (libvips m1)
  double jagged = 2.0;  // 0..20 (libvips m2)
};

// Colour and detail tools. Each default means "unchanged".
struct ColourTools {
  double gamma = 1.0;         // 0.1..10: output = input^(1/gamma); above 1 lifts mid-tones
  double hue = 0.0;           // rotation in degrees, -360..360
  double lightness = 1.0;     // multiplier of lightness, 0..3 (modulate)
  double chroma = 1.0;        // multiplier of chroma, 0..3 (modulate)
  ModulateSpace space = ModulateSpace::Oklch;  // where hue/lightness/chroma are applied
  std::optional<Colour> tint;                  // tint mid-tones with this colour's hue
  std::optional<Colour> duotone_shadow;        // duotone: map dark to this …
  std::optional<Colour> duotone_highlight;     // … and light to this (both or neither)
  bool normalize = false;     // stretch lightness so 1%..99% spans black..white
  bool negate = false;        // invert colour (alpha is kept)
  int pixelate = 0;           // block size in pixels, 0 (off) or 2..1000
  Unsharp unsharp;
  bool any() const;
};

// quality=auto[:level]: the encoder quality is searched for the smallest output whose
// perceptual distance to the processed image stays within the level's bound
// (pipeline/auto_quality.h). Off: quality is a number (or the format's default).
enum class AutoQuality { Off, High, Good, Eco, Low };

struct OutputSpec {
  OutputFormat format = OutputFormat::Original;
  std::optional<int> quality;   // 1..100; unset = the format's default (jpeg/webp 80, avif 50)
  AutoQuality auto_quality = AutoQuality::Off;  // when not Off, quality is ignored
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
  bool auto_allow_jxl = false;  // Accept lists image/jxl
  // When Auto allows no format that fits, keep the source's own format (the URL grammars,
  // as imgproxy and thumbor do) instead of choosing PNG or JPEG.
  bool auto_else_original = false;
  // For OutputFormat::Original: write AVIF input as JPEG (petiteimg's rule).
  bool original_avif_as_jpeg = false;
};

// AI cut-out options: what becomes of the mask once remove_background has made it.
struct Cutout {
  // Refine the uncertain edge band with alpha matting (refineEdges): hair and fur take
  // their alpha from the photo's colours. Seconds of CPU on the AI workers.
  bool refine_edges = false;
  bool mask_only = false;          // output the alpha as a grey image (output=mask)
  bool crop_to_subject = false;    // crop=subject: tight box around the subject...
  double subject_margin = 0.05;    // ...grown by this fraction of its larger side, 0..1
  // A replacement background (encoded image bytes), cover-resized under the subject.
  std::shared_ptr<const std::string> background_image;
  // bgImage=<http(s) URL>: fetched into background_image (through the SSRF-safe fetcher)
  // before the pipeline runs, like a watermark URL.
  std::string background_url;
  bool shadow = false;             // a soft drop shadow under the subject
  double shadow_opacity = 0.5;     // 0..1
  double shadow_blur = 12.0;       // Gaussian sigma, pixels, 0..100
  int shadow_dx = 0;               // offset, pixels, -1000..1000
  int shadow_dy = 12;

  bool any() const {
    return mask_only || crop_to_subject || background_image || !background_url.empty() || shadow || refine_edges;
  }
};

// Face redaction, before every other step so no unredacted pixel reaches the output.
enum class FaceRedaction { None, Blur, Pixelate, Fill };
struct FaceOptions {
  FaceRedaction redact = FaceRedaction::None;
  double strength = 0.5;  // 0..1: blur sigma / pixel block as a fraction of the face size
  Colour fill = Colour{0, 0, 0, 255};  // for Fill
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
  Cutout cutout;      // with remove_background
  FaceOptions faces;  // redaction (gravity Faces is in resize)
  // Compositing, shape and frame, colour tools (grouped above; docs/compositing.md).
  // In the fixed order: trim first; colour tools after the effects; then overlays, text,
  // then the frame (mask, border, extend).
  ColourTools colour_tools;
  std::vector<Overlay> overlays;   // at most kMaxOverlays, applied in order
  std::vector<TextLayer> texts;    // at most kMaxTextLayers, applied in order
  Frame frame;
  // Ordered passes after the fixed pipeline: each entry is a recipe of its own (geometry,
  // effects, colour tools, overlays, text, frame; no output settings, no nesting) applied
  // to the result of the previous one, for requests whose order matters (text after a
  // blur, a watermark before a crop). At most kMaxOperations.
  std::vector<Recipe> operations;
};

// True when the recipe needs an AI model (the segmenter or the face detector): such a
// request is metered in the AI bucket and runs on the AI pool.
bool recipe_uses_ai(const Recipe& recipe);
// The AI options' bounds, and that cut-out options come with remove_background
// (ai_options.cpp; called by validate()).
Status validate_ai_options(const Recipe& recipe);

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
  uint64_t max_overlay_pixels = 25'000'000;  // width*height of one watermark image
  // JPEG XL output: libjxl 0.7 has no chunked encoder, so the whole frame and its
  // working set (~90 bytes a pixel at effort 7) are in memory at once.
  uint64_t max_jxl_pixels = 16'000'000;
  // Animated AVIF output: libaom keeps up to 19 frames of lookahead (twice with alpha),
  // about 30 bytes a pixel of them: frame pixels x min(frames, 19) are bounded by this.
  uint64_t max_avif_animation_pixels = 16'000'000;
};

inline constexpr int kMaxOutputDimension = 8000;

// Checks every field's bounds. The error names the field and the allowed range.
Status validate(const Recipe& recipe);
// The compositing, frame and colour-tool fields and the operations list (validate() calls it).
Status validate_compositing(const Recipe& recipe);

}  // namespace pixmill::recipe
