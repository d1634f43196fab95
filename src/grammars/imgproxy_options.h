#pragma once
// imgproxy's processing options (docs.imgproxy.net/usage/processing), collected as
// imgproxy collects them — each option sets values, later ones override earlier ones —
// then turned into a Recipe once the whole URL has been read.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "grammars/grammar_request.h"

namespace pixmill::grammars {

// One named gravity with optional offsets or a focus point.
struct ImgproxyGravity {
  std::string type = "ce";  // no so ea we noea nowe soea sowe ce sm fp
  double x = 0;             // offsets (pixels), or the focus point (0..1) for fp
  double y = 0;
};

// imgproxy's watermark option (wm) and Pro's watermark_url (wmu).
struct ImgproxyWatermark {
  double opacity = 0;        // 0: no watermark
  std::string position = "ce";  // a gravity type or "re" (replicate: tile)
  double x = 0;              // offsets in pixels; spacing between tiles for "re"
  double y = 0;
  double scale = 0;          // fraction of the result's width, 0 = as is
  std::string source = "default";  // WATERMARKS_DIR name, or an http(s) URL (wmu)
};

struct ImgproxyOptions {
  std::string resizing_type = "fit";  // fit fill fill-down force auto
  int width = 0;
  int height = 0;
  int min_width = 0;
  int min_height = 0;
  double zoom_x = 1.0;
  double zoom_y = 1.0;
  double dpr = 1.0;
  bool enlarge = false;
  bool extend = false;
  bool extend_aspect_ratio = false;
  ImgproxyGravity gravity;
  std::optional<SizedCrop> crop;
  int rotate = 0;
  bool flip_horizontal = false;
  bool flip_vertical = false;
  std::optional<Colour> background;
  double blur = 0;
  double sharpen = 0;
  int pixelate = 0;
  recipe::Trim trim;
  recipe::Sides padding;  // CSS pixels: multiplied by dpr
  ImgproxyWatermark watermark;
  bool strip_metadata = true;
  int quality = 0;
  recipe::AutoQuality auto_quality = recipe::AutoQuality::Off;  // q:auto, q:auto:eco
  std::map<OutputFormat, int> format_quality;
  long long max_bytes = 0;
  std::optional<OutputFormat> format;
  std::string cachebuster;
  std::optional<long long> expires;
  std::string filename;
  bool return_attachment = false;
  std::vector<std::string> used_presets;
};

using ImgproxyPresets = std::map<std::string, std::string>;  // name -> "opt:a:b/opt2:c"

struct ImgproxyOptionContext {
  const ImgproxyPresets* presets = nullptr;
  int64_t now_s = 0;
};

// Applies one option (`name` as written: full or short). Errors: InvalidInput for an
// unknown option or a bad argument, UnsupportedOption for one pixmill cannot do yet,
// Expired for a past `expires`.
Status apply_imgproxy_option(ImgproxyOptions& options, const std::string& name, const std::vector<std::string>& args,
                             const ImgproxyOptionContext& context, int preset_depth = 0);

// Parses "rs:fill:300:200/q:80" (a preset's text) into `options`.
Status apply_imgproxy_option_path(ImgproxyOptions& options, std::string_view text, const ImgproxyOptionContext& context,
                                  int preset_depth);

// trim, padding, pixelate, watermark, watermark_url (imgproxy_compositing.cpp): each
// errs as the other options do.
Status imgproxy_trim(ImgproxyOptions& options, const std::vector<std::string>& args);
Status imgproxy_padding(ImgproxyOptions& options, const std::vector<std::string>& args);
Status imgproxy_pixelate(ImgproxyOptions& options, const std::vector<std::string>& args);
Status imgproxy_watermark(ImgproxyOptions& options, const std::vector<std::string>& args);
Status imgproxy_watermark_url(ImgproxyOptions& options, const std::vector<std::string>& args);
// The recipe's frame, colour tools and overlay from those options.
void build_imgproxy_compositing(const ImgproxyOptions& options, Recipe& recipe);

// The Recipe and the source-dependent geometry the collected options describe.
void build_imgproxy_request(const ImgproxyOptions& options, GrammarRequest& request);

}  // namespace pixmill::grammars
