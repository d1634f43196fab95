#include "info/exif_summary.h"

#include <charconv>
#include <cmath>

#include "core/text.h"

namespace pixmill::info {
namespace {

// libvips keeps these as reference-counted strings (VIPS_TYPE_REF_STRING), which
// vips_image_get_string() reads; a field of another type is treated as absent.
std::string field(const vips::VImage& image, const char* name) {
  if (image.get_typeof(name) == 0) return {};
  const char* text = nullptr;
  if (vips_image_get_string(image.get_image(), name, &text) != 0 || !text) {
    vips_error_clear();
    return {};
  }
  return exif_value(text);
}

std::optional<double> number_at(std::string_view& text) {
  text = core::trim_spaces(text);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || !std::isfinite(value)) return std::nullopt;
  text.remove_prefix(static_cast<size_t>(end - text.data()));
  text = core::trim_spaces(text);
  if (!text.empty() && text.front() == ',') text.remove_prefix(1);
  return value;
}

}  // namespace

std::string exif_value(const std::string& text) {
  // libvips writes "<raw> (<readable>, <format>, <n> components, <m> bytes)", where raw is
  // the readable text again (ASCII) or the numbers ("51/1 30/1 1234/100"). The readable
  // part may itself hold " (" and ", ": cut the three annotation fields off the end, then
  // take the first " (" whose left side is a plausible raw part.
  const std::string_view all = text;
  if (all.size() < 8 || all.back() != ')' || all.substr(all.size() - 7) != " bytes)") return std::string(core::trim_spaces(all));
  size_t end = all.size();
  for (int field = 0; field < 3 && end != std::string_view::npos; ++field) end = all.rfind(", ", end - 1);
  if (end == std::string_view::npos) return std::string(core::trim_spaces(all));
  for (size_t open = all.find(" ("); open != std::string_view::npos && open + 2 <= end; open = all.find(" (", open + 1)) {
    const std::string_view raw = core::trim_spaces(all.substr(0, open));
    const std::string_view readable = all.substr(open + 2, end - open - 2);
    const bool numbers = raw.find_first_not_of("0123456789/- ") == std::string_view::npos;
    if (raw == core::trim_spaces(readable) || numbers) return std::string(core::trim_spaces(readable));
  }
  return std::string(core::trim_spaces(all));
}

std::optional<double> gps_degrees(const std::string& dms, const std::string& reference) {
  std::string_view rest = dms;
  double degrees = 0, scale = 1;
  for (int part = 0; part < 3 && !core::trim_spaces(rest).empty(); ++part) {
    auto value = number_at(rest);
    if (!value) return std::nullopt;
    degrees += *value / scale;
    scale *= 60;
  }
  if (!core::trim_spaces(rest).empty() || scale == 1 || degrees > 180) return std::nullopt;
  const std::string ref = core::ascii_lower(core::trim_spaces(reference));
  if (ref == "s" || ref == "w" || ref.rfind("south", 0) == 0 || ref.rfind("west", 0) == 0) degrees = -degrees;
  return degrees;
}

ExifSummary summarise_exif(const vips::VImage& image, bool with_gps_position) {
  ExifSummary s;
  s.present = image.get_typeof("exif-data") != 0;
  if (!s.present) return s;
  s.make = field(image, "exif-ifd0-Make");
  s.model = field(image, "exif-ifd0-Model");
  s.software = field(image, "exif-ifd0-Software");
  s.lens = field(image, "exif-ifd2-LensModel");
  s.taken = field(image, "exif-ifd2-DateTimeOriginal");
  if (s.taken.empty()) s.taken = field(image, "exif-ifd0-DateTime");
  s.exposure_time = field(image, "exif-ifd2-ExposureTime");
  s.f_number = field(image, "exif-ifd2-FNumber");
  s.iso = field(image, "exif-ifd2-ISOSpeedRatings");
  s.focal_length = field(image, "exif-ifd2-FocalLength");
  const std::string latitude = field(image, "exif-ifd3-GPSLatitude");
  const std::string longitude = field(image, "exif-ifd3-GPSLongitude");
  s.has_gps = !latitude.empty() || !longitude.empty();
  if (with_gps_position && s.has_gps) {
    auto lat = gps_degrees(latitude, field(image, "exif-ifd3-GPSLatitudeRef"));
    auto lon = gps_degrees(longitude, field(image, "exif-ifd3-GPSLongitudeRef"));
    if (lat && lon) s.gps = GpsPosition{*lat, *lon};
  }
  return s;
}

}  // namespace pixmill::info
