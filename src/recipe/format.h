#pragma once
// Image formats: what we can read (sniffed from bytes) and what we can write.

#include <optional>
#include <string_view>

namespace pixmill::recipe {

enum class InputFormat { Unknown, Jpeg, Png, Webp, Avif, Heif, Tiff, Gif, Bmp, Svg, Jxl };

enum class OutputFormat {
  Original,  // the input's own format when we can write it (see output_for_original)
  Auto,      // chosen from the content: see choose_auto_format in pipeline/auto_format.h
  Jpeg,
  Png,
  Webp,
  Avif,
  Gif,
  Tiff,
  Bmp,
  Jxl,   // JPEG XL through Debian's libjxl (codecs/jxl_encoder.h)
  Heic,  // HEVC in HEIF through Debian's libheif + x265 (codecs/heif_encoder.h)
};

std::string_view input_format_name(InputFormat f);
std::string_view output_format_name(OutputFormat f);     // "jpeg", "png", …
std::string_view output_format_mime(OutputFormat f);     // "image/jpeg", …
std::string_view output_format_extension(OutputFormat f);  // "jpg", "png", …

// Parses "jpeg"/"jpg", "png", "webp", "avif", "gif", "tiff"/"tif", "bmp", "jxl", "heic", "auto",
// "original" (case-insensitive). nullopt for anything else.
std::optional<OutputFormat> parse_output_format(std::string_view name);

bool format_has_alpha(OutputFormat f);      // can the format carry an alpha channel
bool format_is_animated(OutputFormat f);    // can the format carry several frames
bool input_can_animate(InputFormat f);      // do we decode the format's animations
bool format_is_lossy(OutputFormat f);       // does quality mean anything
bool is_concrete(OutputFormat f);           // not Original/Auto

// The output format that "keep the input's format" means for an input format.
// HEIF stays JPEG (HEIC output is asked for by name: x265 is slow), SVG becomes PNG.
OutputFormat output_for_original(InputFormat in);

}  // namespace pixmill::recipe
