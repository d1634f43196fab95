#pragma once
// What a peer URL grammar (imgproxy, thumbor/imagor, Cloudflare Images) parses into:
// the same Recipe every dialect builds, plus what only a URL grammar has — where the
// source is, the geometry that needs the source's size, and response options.
// Parsers are pure functions of (path, settings, hints, clock): no I/O.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "grammars/recipe_names.h"

namespace pixmill::grammars {

enum class Grammar { Imgproxy, Thumbor, Cloudflare };

std::string_view grammar_name(Grammar grammar);  // "imgproxy", "thumbor", "cloudflare"

// A point of the EXIF-oriented source, as fractions of its width and height (0..1).
struct FocusPoint {
  double x = 0.5;
  double y = 0.5;
  bool pixels = false;  // x, y are source pixels (thumbor focal()), settled by finalize_geometry()
};

// A crop by size, placed by a gravity or a focus point (imgproxy `crop:w:h:g`).
// Sizes <= 1 are fractions of the source side; 0 means the whole side.
struct SizedCrop {
  double width = 0;
  double height = 0;
  Gravity gravity = Gravity::Centre;
  std::optional<FocusPoint> focus;
};

// A crop in source pixels or, with `fractions`, in fractions of the source (imagor
// accepts both): left, top, right, bottom edges.
struct EdgeCrop {
  double left = 0;
  double top = 0;
  double right = 0;
  double bottom = 0;
  bool fractions = false;
};

// Pixels cut from each edge of the source (Cloudflare trim=top;right;bottom;left).
struct EdgeTrim {
  int top = 0;
  int right = 0;
  int bottom = 0;
  int left = 0;
};

// Geometry that can only be settled once the source's size is known (after its
// header is read, before any pixel is decoded). See finalize_geometry().
struct PendingGeometry {
  std::optional<SizedCrop> sized_crop;
  std::optional<EdgeCrop> edge_crop;
  std::optional<EdgeTrim> trim;
  std::optional<FocusPoint> focus;  // a Fill crop centred here instead of on a gravity
  bool auto_fit = false;            // imgproxy rt:auto: fill when source and box share orientation, else fit
  int min_width = 0;                // imgproxy min-width / min-height
  int min_height = 0;
  double zoom_x = 1.0;              // imgproxy zoom, when no size was given to multiply
  double zoom_y = 1.0;
  double dpr = 1.0;                 // scales a size-less result (zoom) too
  bool extend_aspect_ratio = false; // imgproxy extend_aspect_ratio: pad to the box's aspect ratio
  bool fill_down = false;           // imgproxy fill-down: a smaller source gives a smaller box of the same aspect
  bool enlarge = false;             // may zoom/dpr scale a size-less result up
  bool any() const {
    return sized_crop || edge_crop || trim || focus || auto_fit || min_width || min_height || zoom_x != 1.0 || zoom_y != 1.0 ||
           extend_aspect_ratio || fill_down;
  }
};

// What the answer is: the image, or a JSON description (thumbor `meta`, Cloudflare
// `format=json`).
enum class AnswerKind { Image, Json };

struct GrammarRequest {
  Grammar grammar = Grammar::Imgproxy;
  Recipe recipe;
  PendingGeometry pending;
  std::string source;                // absolute URL, or a path for SOURCE_BASE_URL / SOURCE_DIR
  bool format_explicit = false;      // the URL chose the format: no negotiation
  bool negotiate_format = false;     // Cloudflare format=auto: pick from Accept
  std::map<OutputFormat, int> format_quality;  // imgproxy format_quality, chosen after the format
  std::optional<int64_t> expires_at; // epoch seconds; already checked by the parser
  std::string filename;              // Content-Disposition name (no extension)
  bool attachment = false;
  AnswerKind answer = AnswerKind::Image;
  std::optional<int> max_age_s;      // a URL-given cache lifetime (thumbor max_age)
  std::string cache_salt;            // imgproxy cachebuster: a new result for a new value
  bool redirect_on_error = false;    // Cloudflare onerror=redirect
  bool uses_client_hints = false;    // a size came from Sec-CH-DPR / Sec-CH-Width
};

// Client hints the server is willing to use (CLIENT_HINTS=true), from the request.
struct ClientHints {
  std::optional<double> dpr;  // Sec-CH-DPR or DPR
  std::optional<int> width;   // Sec-CH-Width or Width (physical pixels)
};

}  // namespace pixmill::grammars
