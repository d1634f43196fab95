#include "grammars/pending_geometry.h"

#include <algorithm>
#include <cmath>

namespace pixmill::grammars {
namespace {

int round_px(double v) { return std::max(1, static_cast<int>(std::lround(v))); }

// A side given as a fraction (<= 1) or in pixels, or 0 for the whole side.
int side(double given, int whole) {
  if (given <= 0) return whole;
  if (given <= 1) return round_px(given * whole);
  return std::min(whole, round_px(given));
}

// Where a window of `inner` starts inside `outer` for a gravity's horizontal/vertical part.
int place(int outer, int inner, int where /* -1 start, 0 centre, 1 end */) {
  if (where < 0) return 0;
  if (where > 0) return outer - inner;
  return (outer - inner) / 2;
}

int horizontal(Gravity g) {
  if (g == Gravity::West || g == Gravity::NorthWest || g == Gravity::SouthWest) return -1;
  if (g == Gravity::East || g == Gravity::NorthEast || g == Gravity::SouthEast) return 1;
  return 0;
}
int vertical(Gravity g) {
  if (g == Gravity::North || g == Gravity::NorthWest || g == Gravity::NorthEast) return -1;
  if (g == Gravity::South || g == Gravity::SouthWest || g == Gravity::SouthEast) return 1;
  return 0;
}

// A window of `inner` inside `outer`, centred on a focus point as far as the edges allow.
int around(int outer, int inner, double focus) {
  const int start = static_cast<int>(std::lround(focus * outer - inner / 2.0));
  return std::clamp(start, 0, outer - inner);
}

// Crops `current` (the region of the source in play) to a window, in source coordinates.
void crop_within(Recipe& recipe, Size& current, int x, int y, int w, int h) {
  const int base_x = recipe.crop ? recipe.crop->x : 0;
  const int base_y = recipe.crop ? recipe.crop->y : 0;
  recipe.crop = CropRect{base_x + x, base_y + y, w, h};
  current = {w, h};
}

void apply_edge_crop(const EdgeCrop& e, Recipe& recipe, Size& current) {
  const double sx = e.fractions ? current.width : 1.0;
  const double sy = e.fractions ? current.height : 1.0;
  const int left = std::clamp(static_cast<int>(std::lround(e.left * sx)), 0, current.width - 1);
  const int top = std::clamp(static_cast<int>(std::lround(e.top * sy)), 0, current.height - 1);
  const int right = std::clamp(static_cast<int>(std::lround(e.right * sx)), 0, current.width);
  const int bottom = std::clamp(static_cast<int>(std::lround(e.bottom * sy)), 0, current.height);
  // thumbor ignores a window with no area rather than failing the request.
  if (right <= left || bottom <= top) return;
  crop_within(recipe, current, left, top, right - left, bottom - top);
}

void apply_sized_crop(const SizedCrop& c, Recipe& recipe, Size& current) {
  const int w = side(c.width, current.width);
  const int h = side(c.height, current.height);
  int x = place(current.width, w, horizontal(c.gravity));
  int y = place(current.height, h, vertical(c.gravity));
  if (c.focus) {
    x = around(current.width, w, c.focus->x);
    y = around(current.height, h, c.focus->y);
  }
  crop_within(recipe, current, x, y, w, h);
}

// Fill around a focus point: cut the box's aspect ratio out of the source there, then
// scale it to the box (the cut has the box's shape, so nothing more is cropped).
void apply_focus(const FocusPoint& focus, Recipe& recipe, Size& current) {
  const ResizeSpec& spec = *recipe.resize;
  const double aspect = static_cast<double>(*spec.width) / *spec.height;
  int w = current.width;
  int h = current.height;
  if (static_cast<double>(w) / h > aspect) {
    w = std::min(current.width, round_px(h * aspect));
  } else {
    h = std::min(current.height, round_px(w / aspect));
  }
  crop_within(recipe, current, around(current.width, w, focus.x), around(current.height, h, focus.y), w, h);
}

double fit_scale(Size in, int box_w, int box_h, bool enlarge) {
  const double s = std::min(static_cast<double>(box_w) / in.width, static_cast<double>(box_h) / in.height);
  return enlarge ? s : std::min(s, 1.0);
}

}  // namespace

Status finalize_geometry(const PendingGeometry& pending, Size source, Recipe& recipe) {
  if (source.width < 1 || source.height < 1) return ok_status();
  Size current = source;
  std::optional<FocusPoint> focus = pending.focus;
  if (focus && focus->pixels) focus = FocusPoint{focus->x / source.width, focus->y / source.height, false};
  if (pending.trim) {
    const EdgeTrim& t = *pending.trim;
    const int w = current.width - t.left - t.right;
    const int h = current.height - t.top - t.bottom;
    if (w >= 1 && h >= 1 && t.left >= 0 && t.top >= 0) crop_within(recipe, current, t.left, t.top, w, h);
  }
  if (pending.edge_crop) apply_edge_crop(*pending.edge_crop, recipe, current);
  if (pending.sized_crop) apply_sized_crop(*pending.sized_crop, recipe, current);

  ResizeSpec* spec = recipe.resize ? &*recipe.resize : nullptr;
  const bool box = spec && spec->width && spec->height;
  if (box && pending.auto_fit) {
    const bool source_landscape = current.width >= current.height;
    const bool box_landscape = *spec->width >= *spec->height;
    spec->fit = source_landscape == box_landscape ? FitMode::Fill : FitMode::Fit;
  }
  if (box && pending.fill_down && (current.width < *spec->width || current.height < *spec->height)) {
    // imgproxy fill-down: never enlarge, but keep the asked aspect ratio by shrinking the box.
    const double s = std::min(static_cast<double>(current.width) / *spec->width, static_cast<double>(current.height) / *spec->height);
    spec->width = round_px(*spec->width * s);
    spec->height = round_px(*spec->height * s);
  }
  if (box && focus && spec->fit == FitMode::Fill) apply_focus(*focus, recipe, current);
  if (box && pending.extend_aspect_ratio && spec->fit == FitMode::Fit) {
    const double s = fit_scale(current, *spec->width, *spec->height, !spec->without_enlargement);
    const int fw = round_px(current.width * s);
    const int fh = round_px(current.height * s);
    const double aspect = static_cast<double>(*spec->width) / *spec->height;
    if (static_cast<double>(fw) / fh > aspect) {
      spec->width = fw;
      spec->height = round_px(fw / aspect);
    } else {
      spec->height = fh;
      spec->width = round_px(fh * aspect);
    }
    spec->fit = FitMode::Pad;
  }
  if (!spec && (pending.zoom_x != 1.0 || pending.zoom_y != 1.0 || pending.dpr != 1.0)) {
    double sx = pending.zoom_x * pending.dpr;
    double sy = pending.zoom_y * pending.dpr;
    if (!pending.enlarge) {
      sx = std::min(sx, 1.0);
      sy = std::min(sy, 1.0);
    }
    if (sx != 1.0 || sy != 1.0) {
      recipe.resize = ResizeSpec{std::min(kMaxOutputDimension, round_px(current.width * sx)),
                                 std::min(kMaxOutputDimension, round_px(current.height * sy)), FitMode::Stretch, Gravity::Centre, false};
    }
  }
  if (pending.min_width > 0 || pending.min_height > 0) {
    // The output size the resize would give, grown (keeping the aspect) to the minimum.
    double scale = 1.0;
    if (recipe.resize && recipe.resize->width && recipe.resize->height && recipe.resize->fit != FitMode::Stretch) {
      scale = fit_scale(current, *recipe.resize->width, *recipe.resize->height, !recipe.resize->without_enlargement);
      if (recipe.resize->fit == FitMode::Fill) scale = std::max(static_cast<double>(*recipe.resize->width) / current.width,
                                                                static_cast<double>(*recipe.resize->height) / current.height);
    } else if (recipe.resize && recipe.resize->width) {
      scale = static_cast<double>(*recipe.resize->width) / current.width;
    } else if (recipe.resize && recipe.resize->height) {
      scale = static_cast<double>(*recipe.resize->height) / current.height;
    }
    const double need = std::max(pending.min_width > 0 ? static_cast<double>(pending.min_width) / current.width : 0.0,
                                 pending.min_height > 0 ? static_cast<double>(pending.min_height) / current.height : 0.0);
    if (need > scale) {
      const int w = std::min(kMaxOutputDimension, round_px(current.width * need));
      const int h = std::min(kMaxOutputDimension, round_px(current.height * need));
      if (recipe.resize && recipe.resize->fit == FitMode::Fill && recipe.resize->width && recipe.resize->height) {
        recipe.resize->without_enlargement = false;  // the minimum wins over enlarge; the box still crops
      } else {
        recipe.resize = ResizeSpec{w, h, FitMode::Stretch, Gravity::Centre, false};
      }
    }
  }
  return ok_status();
}

}  // namespace pixmill::grammars
