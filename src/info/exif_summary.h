#pragma once
// The EXIF facts people ask about (camera, lens, date, exposure), read from the fields
// libvips attaches on load ("exif-ifd0-Make", …). Whether GPS data is present is always
// said; the coordinates only when the caller asks (they locate where a photo was taken).

#include <optional>
#include <string>

#include <vips/vips8>

namespace pixmill::info {

struct GpsPosition {
  double latitude = 0.0;   // degrees, north positive
  double longitude = 0.0;  // degrees, east positive
};

struct ExifSummary {
  bool present = false;
  std::string make, model, lens, software;
  std::string taken;          // DateTimeOriginal (else DateTime), "YYYY:MM:DD HH:MM:SS" as stored
  std::string exposure_time;  // as libvips renders it, e.g. "1/125 sec."
  std::string f_number;       // e.g. "f/2.8"
  std::string iso;
  std::string focal_length;   // e.g. "50.0 mm"
  bool has_gps = false;
  std::optional<GpsPosition> gps;  // only when asked for and readable
};

ExifSummary summarise_exif(const vips::VImage& image, bool with_gps_position);

// The readable value of a libvips EXIF string field: "Canon (Canon, ASCII, 6
// components, 6 bytes)" -> "Canon". Exposed for tests.
std::string exif_value(const std::string& field_text);

// Degrees from a libvips rendering of an EXIF GPS rational triple ("51, 30, 12.34"),
// negative for the S or W reference. nullopt when it does not parse.
std::optional<double> gps_degrees(const std::string& dms, const std::string& reference);

}  // namespace pixmill::info
