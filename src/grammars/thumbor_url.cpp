// thumbor / imagor URLs. The path segments come in a fixed order, each optional; the
// filters (thumbor_filters.cpp) follow, then the image.

#include "core/base64.h"
#include "grammars/thumbor_url.h"

#include <algorithm>
#include <cmath>
#include <regex>

#include "grammars/arguments.h"
#include "grammars/thumbor_filters.h"

namespace pixmill::grammars {
namespace {

Error invalid(const std::string& message) { return make_error(ErrorCode::InvalidInput, message); }
Error not_yet(const std::string& what) { return make_error(ErrorCode::UnsupportedOption, what + " is not supported by pixmill yet", what); }

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "300x200", "-300x", "x-0", "0x0" -> the dimensions segment.
bool parse_dimensions(std::string_view seg, ThumborPlan& plan) {
  const auto x = seg.find('x');
  if (x == std::string_view::npos) return false;
  std::string_view w = seg.substr(0, x), h = seg.substr(x + 1);
  const bool neg_w = w.starts_with('-'), neg_h = h.starts_with('-');
  if (neg_w) w.remove_prefix(1);
  if (neg_h) h.remove_prefix(1);
  if ((!w.empty() && !all_digits(w)) || (!h.empty() && !all_digits(h))) return false;
  if (w.size() > 6 || h.size() > 6) return false;
  plan.width = w.empty() ? 0 : std::stoi(std::string(w));
  plan.height = h.empty() ? 0 : std::stoi(std::string(h));
  plan.flop = neg_w;
  plan.flip = neg_h;
  return true;
}

Gravity gravity_of(const std::string& h, const std::string& v) {
  const int hx = h == "left" ? -1 : h == "right" ? 1 : 0;
  const int vy = v == "top" ? -1 : v == "bottom" ? 1 : 0;
  static const Gravity kGrid[3][3] = {{Gravity::NorthWest, Gravity::North, Gravity::NorthEast},
                                      {Gravity::West, Gravity::Centre, Gravity::East},
                                      {Gravity::SouthWest, Gravity::South, Gravity::SouthEast}};
  return kGrid[vy + 1][hx + 1];
}

// trim[:top-left|bottom-right][:tolerance]. The trim step takes the top-left pixel's
// colour; thumbor's tolerance is a distance in RGB as libvips' threshold is.
Status parse_trim(std::string_view segment, ThumborPlan& plan) {
  double tolerance = 0;
  for (const std::string& part : split_all(segment, ':')) {
    if (part == "trim" || part == "top-left") continue;
    if (part == "bottom-right") return not_yet("trim:bottom-right");
    auto v = parse_decimal(part);
    if (!v || *v < 0 || *v > 442) return invalid("trim tolerance must be 0..442");
    tolerance = std::min(*v, 255.0);
  }
  plan.trim_tolerance = tolerance;
  return ok_status();
}

void build_recipe(const ThumborPlan& plan, GrammarRequest& request) {
  Recipe& recipe = request.recipe;
  request.answer = plan.meta ? AnswerKind::Json : AnswerKind::Image;
  if (plan.crop) request.pending.edge_crop = plan.crop;
  recipe.flop = plan.flop;
  recipe.flip = plan.flip;
  if (plan.width > 0 || plan.height > 0) {
    ResizeSpec spec;
    if (plan.width > 0) spec.width = std::max(1, static_cast<int>(std::lround(plan.width * plan.proportion)));
    if (plan.height > 0) spec.height = std::max(1, static_cast<int>(std::lround(plan.height * plan.proportion)));
    const bool both = plan.width > 0 && plan.height > 0;
    spec.fit = plan.stretch && both ? FitMode::Stretch : plan.fit_in || !both ? FitMode::Fit : FitMode::Fill;
    if (plan.fit_in && plan.fill && both) spec.fit = FitMode::Pad;
    spec.gravity = plan.smart ? Gravity::Attention : gravity_of(plan.halign, plan.valign);
    // thumbor enlarges crops by default but not fit-in boxes; upscale()/no_upscale() decide.
    spec.without_enlargement = !plan.upscale.value_or(!plan.fit_in);
    recipe.resize = spec;
  } else if (plan.proportion != 1.0) {
    request.pending.zoom_x = request.pending.zoom_y = plan.proportion;
  }
  if (plan.fill) recipe.background = *plan.fill;
  if (plan.trim_tolerance) {
    recipe.frame.trim.enabled = true;
    recipe.frame.trim.threshold = *plan.trim_tolerance;
  }
  if (plan.padding) recipe.frame.extend = *plan.padding;
  if (plan.focal && !plan.smart) request.pending.focus = plan.focal;
}

}  // namespace

std::string thumbor_signature(std::string_view path, const ThumborSettings& settings) {
  std::string sig = core::base64url_encode_padded(core::hmac(settings.algorithm, settings.key, path));
  if (settings.truncate > 0 && static_cast<size_t>(settings.truncate) < sig.size()) sig.resize(static_cast<size_t>(settings.truncate));
  return sig;
}

Result<GrammarRequest> parse_thumbor_url(std::string_view path, const ThumborSettings& settings, const ClientHints& hints, int64_t now_ms) {
  if (auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  while (path.starts_with('/')) path.remove_prefix(1);
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos || slash + 1 >= path.size()) return invalid("No original image was specified in the given URL");
  const std::string_view first = path.substr(0, slash);
  const std::string_view signed_part = path.substr(slash + 1);
  if (first == "unsafe") {
    if (!settings.key.empty()) return make_error(ErrorCode::SignatureInvalid, "URL has unsafe but unsafe is not allowed by the config");
  } else {
    if (settings.key.empty()) return make_error(ErrorCode::SignatureInvalid, "URL does not have hash or unsafe, or has both");
    // thumbor signs the path as sent; imagor also accepts a signature over its decoded form.
    bool valid = core::constant_time_equal(first, thumbor_signature(signed_part, settings));
    if (!valid) {
      if (auto decoded = path_unescape(signed_part)) valid = core::constant_time_equal(first, thumbor_signature(*decoded, settings));
    }
    if (!valid) return make_error(ErrorCode::SignatureInvalid, "Malformed URL: signature mismatch");
  }

  GrammarRequest request;
  request.grammar = Grammar::Thumbor;
  ThumborPlan plan;
  std::string_view rest = signed_part;
  auto peek = [&rest]() { return rest.substr(0, rest.find('/')); };
  auto take = [&rest]() {
    const size_t s = rest.find('/');
    rest = s == std::string_view::npos ? std::string_view() : rest.substr(s + 1);
  };
  // Each optional segment in thumbor's order; the first that fits none is the image.
  if (peek() == "meta") {
    plan.meta = true;
    take();
  }
  if (peek() == "trim" || peek().starts_with("trim:")) {
    if (auto s = parse_trim(peek(), plan); !s) return s.error();
    take();
  }
  if (ThumborPlan probe; parse_thumbor_crop(peek(), probe)) {
    plan.crop = probe.crop;
    take();
  }
  const std::string_view fit = peek();
  if (fit == "fit-in") {
    plan.fit_in = true;
    take();
  } else if (fit == "adaptive-fit-in" || fit == "full-fit-in" || fit == "adaptive-full-fit-in") {
    return not_yet(std::string(fit));
  }
  if (peek() == "stretch") {
    plan.stretch = true;
    take();
  }
  if (parse_dimensions(peek(), plan)) {
    take();
    static const std::regex kPadding(R"((\d+)x(\d+)(?::(\d+)x(\d+))?)");
    const std::string next(peek());
    // imagor's padding: left x top [: right x bottom], filled with fill()'s colour.
    if (std::smatch m; std::regex_match(next, m, kPadding)) {
      auto side = [&m](int i) { return m[i].length() > 6 ? kMaxOutputDimension + 1 : std::stoi(m[i].str()); };
      const int left = side(1), top = side(2);
      plan.padding = recipe::Sides{top, m[3].matched ? side(3) : left, m[4].matched ? side(4) : top, left};
      take();
    }
  }
  if (peek() == "left" || peek() == "right" || peek() == "center") {
    plan.halign = std::string(peek());
    take();
  }
  if (peek() == "top" || peek() == "bottom" || peek() == "middle") {
    plan.valign = std::string(peek());
    take();
  }
  if (peek() == "smart") {
    plan.smart = true;
    take();
  }
  if (rest.starts_with("filters:")) {
    std::string_view after;
    const auto filters = split_thumbor_filters(rest.substr(8), after);
    if (auto s = apply_thumbor_filters(filters, request, plan, settings, now_ms); !s) return s.error();
    rest = after;
  }
  if (rest.empty()) return invalid("No original image was specified in the given URL");
  auto image = path_unescape(rest);
  if (!image) return invalid("the image URL is not properly encoded");
  if (image->starts_with("b64:")) {
    auto decoded = core::base64url_decode(std::string_view(*image).substr(4));
    if (decoded) *image = *decoded;
  }
  request.source = std::move(*image);
  if (hints.width && plan.width == 0 && plan.height == 0) {
    plan.width = *hints.width;
    plan.fit_in = true;
    request.uses_client_hints = true;
  }
  build_recipe(plan, request);
  if (auto s = validate(request.recipe); !s) return make_error(ErrorCode::InvalidInput, s.error().message, s.error().field);
  return request;
}

}  // namespace pixmill::grammars
