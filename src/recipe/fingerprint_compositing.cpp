// The compositing part of recipe_fingerprint(): overlays, text, frame, colour tools and
// the operation passes. Until the URL grammars mapped their watermark, trim, border and
// colour options, such recipes got a key no other request shared (never cached); now
// every field is written out so identical URLs share one cache entry.

#include "core/digest.h"
#include "recipe/fingerprint.h"
#include "recipe/fingerprint_fields.h"

namespace pixmill::recipe {
namespace {

// A new field changes these sizes and stops the build until it is added below.
static_assert(sizeof(Overlay) == 104 && sizeof(OverlaySource) == 56 && sizeof(Placement) == 12,
              "an Overlay field was added or removed: update compositing_fingerprint()");
static_assert(sizeof(TextLayer) == 144, "a TextLayer field was added or removed: update compositing_fingerprint()");
static_assert(sizeof(Frame) == 64 && sizeof(Trim) == 24, "a Frame field was added or removed: update compositing_fingerprint()");
static_assert(sizeof(ColourTools) == 88 && sizeof(Unsharp) == 24,
              "a ColourTools field was added or removed: update compositing_fingerprint()");

using namespace fingerprint_fields;

void placement(std::string& out, const Placement& p) {
  integer(out, "pg", static_cast<int>(p.gravity));
  integer(out, "px", p.offset_x);
  integer(out, "py", p.offset_y);
}

void overlay(std::string& out, const Overlay& o) {
  integer(out, "ov.kind", static_cast<int>(o.source.kind));
  text(out, "ov.ref", o.source.reference);
  // Uploaded parts have no stable name: their bytes stand for them.
  if (o.source.kind == OverlaySource::Kind::Upload && o.source.bytes) text(out, "ov.sha", core::sha256_hex(*o.source.bytes));
  placement(out, o.placement);
  integer(out, "ov.tile", o.tile);
  integer(out, "ov.sp", o.tile_spacing);
  number(out, "ov.sc", o.scale);
  number(out, "ov.op", o.opacity);
  integer(out, "ov.bl", static_cast<int>(o.blend));
}

void text_layer(std::string& out, const TextLayer& t) {
  text(out, "tx", t.text);
  text(out, "tx.font", t.font);
  integer(out, "tx.bold", t.bold);
  integer(out, "tx.size", t.size);
  colour(out, "tx.col", t.colour);
  number(out, "tx.op", t.opacity);
  placement(out, t.placement);
  integer(out, "tx.wrap", t.wrap_width);
  integer(out, "tx.al", static_cast<int>(t.align));
  colour(out, "tx.sh", t.shadow);
  integer(out, "tx.sho", t.shadow_offset);
  number(out, "tx.shb", t.shadow_blur);
  colour(out, "tx.ol", t.outline);
  integer(out, "tx.olw", t.outline_width);
}

void frame(std::string& out, const Frame& f) {
  integer(out, "trim", f.trim.enabled);
  number(out, "trim.t", f.trim.threshold);
  colour(out, "trim.bg", f.trim.background);
  integer(out, "radius", f.radius);
  integer(out, "mask", static_cast<int>(f.mask));
  integer(out, "border", f.border);
  colour(out, "border.c", f.border_colour);
  out += "ext=" + std::to_string(f.extend.top) + "," + std::to_string(f.extend.right) + "," + std::to_string(f.extend.bottom) + "," +
         std::to_string(f.extend.left) + ";";
  colour(out, "ext.c", f.extend_colour);
}

void colour_tools(std::string& out, const ColourTools& c) {
  number(out, "gamma", c.gamma);
  number(out, "hue", c.hue);
  number(out, "light", c.lightness);
  number(out, "chroma", c.chroma);
  integer(out, "space", static_cast<int>(c.space));
  colour(out, "tint", c.tint);
  colour(out, "duo.s", c.duotone_shadow);
  colour(out, "duo.h", c.duotone_highlight);
  integer(out, "norm", c.normalize);
  integer(out, "neg", c.negate);
  integer(out, "pix", c.pixelate);
  number(out, "us.s", c.unsharp.sigma);
  number(out, "us.f", c.unsharp.flat);
  number(out, "us.j", c.unsharp.jagged);
}

}  // namespace

void compositing_fingerprint(std::string& out, const Recipe& r) {
  colour_tools(out, r.colour_tools);
  list(out, "overlays", r.overlays, overlay);
  list(out, "texts", r.texts, text_layer);
  frame(out, r.frame);
  // Each pass is a whole recipe of its own: its full fingerprint, length-prefixed.
  list(out, "ops", r.operations, [](std::string& o, const Recipe& step) { text(o, "op", recipe_fingerprint(step)); });
}

}  // namespace pixmill::recipe
