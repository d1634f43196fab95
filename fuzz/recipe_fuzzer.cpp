// libFuzzer target for validate(): the last gate before the pipeline.
//
// Builds a Recipe from arbitrary bytes (extreme integers, NaN, infinities,
// subnormals) and checks validate() against an independent statement of the
// documented bounds: validate() accepts exactly the recipes inside them.

#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "fuzz_check.h"
#include "recipe/recipe.h"

using namespace pixmill;

namespace {

double any_double(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0: return NAN;
    case 1: return in.ConsumeBool() ? INFINITY : -INFINITY;
    case 2: return in.ConsumeFloatingPoint<double>();
    case 3: return in.ConsumeFloatingPointInRange<double>(-1.0, 400.0);
    case 4: return 0.0;
    default: return static_cast<double>(in.ConsumeIntegral<int16_t>()) / 10.0;
  }
}

int any_int(FuzzedDataProvider& in) {
  return in.ConsumeBool() ? in.ConsumeIntegral<int>() : in.ConsumeIntegralInRange<int>(-2, 8002);
}

template <typename T, typename F>
std::optional<T> maybe(FuzzedDataProvider& in, F make) {
  if (in.ConsumeBool()) return make();
  return std::nullopt;
}

bool finite_in(double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; }
bool off_or_in(double v, double lo, double hi) { return v == 0.0 || finite_in(v, lo, hi); }
bool dim_ok(int v) { return v >= 1 && v <= recipe::kMaxOutputDimension; }

// The documented bounds (the parameter table in docs/api.md, recipe.h comments), restated.
bool within_documented_bounds(const recipe::Recipe& r) {
  if (r.crop) {
    const recipe::CropRect& c = *r.crop;
    if (c.x < 0 || c.y < 0 || c.x > 1'000'000 || c.y > 1'000'000) return false;
    if (c.width < 1 || c.height < 1 || c.width > 1'000'000 || c.height > 1'000'000) return false;
  }
  if (r.resize) {
    if (!r.resize->width && !r.resize->height) return false;
    if (r.resize->width && !dim_ok(*r.resize->width)) return false;
    if (r.resize->height && !dim_ok(*r.resize->height)) return false;
  }
  if (r.centre_crop && (!dim_ok(r.centre_crop->width) || !dim_ok(r.centre_crop->height))) return false;
  if (!finite_in(r.rotate, -360, 360)) return false;
  const recipe::Effects& e = r.effects;
  if (!finite_in(e.brightness, 0.1, 3) || !finite_in(e.contrast, 0.1, 3) || !finite_in(e.saturation, 0, 3)) return false;
  if (!off_or_in(e.blur_sigma, 0.3, 100) || !off_or_in(e.sharpen_sigma, 0.3, 10)) return false;
  const recipe::OutputSpec& o = r.output;
  if (o.quality && (*o.quality < 1 || *o.quality > 100)) return false;
  if (o.effort && (*o.effort < 0 || *o.effort > 9)) return false;
  if (o.target_bytes && (*o.target_bytes < 1024 || *o.target_bytes > (uint64_t{1} << 32))) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  recipe::Recipe r;
  r.crop = maybe<recipe::CropRect>(in, [&] { return recipe::CropRect{any_int(in), any_int(in), any_int(in), any_int(in)}; });
  r.resize = maybe<recipe::ResizeSpec>(in, [&] {
    recipe::ResizeSpec s;
    if (in.ConsumeBool()) s.width = any_int(in);
    if (in.ConsumeBool()) s.height = any_int(in);
    return s;
  });
  r.centre_crop = maybe<recipe::Size>(in, [&] { return recipe::Size{any_int(in), any_int(in)}; });
  r.rotate = in.ConsumeBool() ? any_double(in) : 0.0;
  if (in.ConsumeBool()) r.effects.brightness = any_double(in);
  if (in.ConsumeBool()) r.effects.contrast = any_double(in);
  if (in.ConsumeBool()) r.effects.saturation = any_double(in);
  if (in.ConsumeBool()) r.effects.blur_sigma = any_double(in);
  if (in.ConsumeBool()) r.effects.sharpen_sigma = any_double(in);
  r.output.quality = maybe<int>(in, [&] { return any_int(in); });
  r.output.effort = maybe<int>(in, [&] { return any_int(in); });
  r.output.target_bytes = maybe<uint64_t>(in, [&] { return in.ConsumeIntegral<uint64_t>() >> in.ConsumeIntegralInRange(0, 63); });

  const Status status = validate(r);
  fuzz::check(status.ok() == within_documented_bounds(r));
  if (!status.ok()) {
    fuzz::check_rejection(status.error());
    fuzz::check(!status.error().field.empty());
  }
  return 0;
}
