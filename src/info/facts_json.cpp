// facts_json(): the /api/v1/info and `pixmill info` answer. Empty facts are left out
// rather than sent as empty strings.

#include <string_view>

#include "core/base64.h"
#include "info/describe.h"
#include "info/phash.h"

namespace pixmill::info {
namespace {

using nlohmann::json;

std::string hex_rgb(recipe::Colour c) { return c.to_hex().substr(0, 7); }

json exif_json(const ExifSummary& e) {
  json out = {{"present", e.present}, {"gps", e.has_gps}};
  const std::pair<const char*, const std::string*> fields[] = {
      {"make", &e.make}, {"model", &e.model}, {"lens", &e.lens}, {"software", &e.software}, {"taken", &e.taken},
      {"exposureTime", &e.exposure_time}, {"fNumber", &e.f_number}, {"iso", &e.iso}, {"focalLength", &e.focal_length}};
  for (const auto& [name, value] : fields) {
    if (!value->empty()) out[name] = *value;
  }
  if (e.gps) out["gpsPosition"] = {{"latitude", e.gps->latitude}, {"longitude", e.gps->longitude}};
  return out;
}

}  // namespace

json facts_json(const ImageFacts& f) {
  const pipeline::SourceHeader& h = f.header;
  json out = {{"format", recipe::input_format_name(h.format)},
              {"width", f.display.width},
              {"height", f.display.height},
              {"storedWidth", h.width},
              {"storedHeight", h.height},
              {"orientation", h.orientation},
              {"frames", h.frames},
              {"hasAlpha", h.has_alpha},
              {"colourSpace", h.colour_space},
              {"bitDepth", h.bits_per_sample},
              {"bytes", f.bytes}};
  if (!f.delays_ms.empty()) out["delays"] = f.delays_ms;
  if (f.loop) out["loop"] = *f.loop;
  out["icc"] = {{"present", h.has_icc}};
  if (!f.icc_description.empty()) out["icc"]["description"] = f.icc_description;
  out["exif"] = exif_json(f.exif);
  out["averageColour"] = hex_rgb(f.average);
  json palette = json::array();
  for (const PaletteEntry& entry : f.palette) {
    palette.push_back({{"colour", hex_rgb(entry.colour)}, {"share", std::round(entry.share * 1000) / 1000}});
  }
  out["dominantColours"] = palette;
  if (!f.blurhash.empty()) out["blurhash"] = f.blurhash;
  if (!f.thumbhash.empty()) out["thumbhash"] = core::base64_encode(std::string_view(reinterpret_cast<const char*>(f.thumbhash.data()), f.thumbhash.size()));
  out["phash"] = phash_hex(f.phash);
  return out;
}

}  // namespace pixmill::info
