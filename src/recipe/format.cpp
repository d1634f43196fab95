#include "recipe/format.h"

#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace pixmill::recipe {

std::string_view input_format_name(InputFormat f) {
  switch (f) {
    case InputFormat::Jpeg: return "jpeg";
    case InputFormat::Png: return "png";
    case InputFormat::Webp: return "webp";
    case InputFormat::Avif: return "avif";
    case InputFormat::Heif: return "heif";
    case InputFormat::Tiff: return "tiff";
    case InputFormat::Gif: return "gif";
    case InputFormat::Bmp: return "bmp";
    case InputFormat::Svg: return "svg";
    case InputFormat::Jxl: return "jxl";
    case InputFormat::Unknown: break;
  }
  return "unknown";
}

std::string_view output_format_name(OutputFormat f) {
  switch (f) {
    case OutputFormat::Original: return "original";
    case OutputFormat::Auto: return "auto";
    case OutputFormat::Jpeg: return "jpeg";
    case OutputFormat::Png: return "png";
    case OutputFormat::Webp: return "webp";
    case OutputFormat::Avif: return "avif";
    case OutputFormat::Gif: return "gif";
    case OutputFormat::Tiff: return "tiff";
    case OutputFormat::Bmp: return "bmp";
    case OutputFormat::Jxl: return "jxl";
    case OutputFormat::Heic: return "heic";
  }
  return "original";
}

std::string_view output_format_mime(OutputFormat f) {
  switch (f) {
    case OutputFormat::Jpeg: return "image/jpeg";
    case OutputFormat::Png: return "image/png";
    case OutputFormat::Webp: return "image/webp";
    case OutputFormat::Avif: return "image/avif";
    case OutputFormat::Gif: return "image/gif";
    case OutputFormat::Tiff: return "image/tiff";
    case OutputFormat::Bmp: return "image/bmp";
    case OutputFormat::Jxl: return "image/jxl";
    case OutputFormat::Heic: return "image/heic";
    default: return "application/octet-stream";
  }
}

std::string_view output_format_extension(OutputFormat f) {
  switch (f) {
    case OutputFormat::Jpeg: return "jpg";
    case OutputFormat::Tiff: return "tif";
    default: return output_format_name(f);
  }
}

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  const std::string lower = core::ascii_lower(name);
  if (lower == "jpeg" || lower == "jpg") return OutputFormat::Jpeg;
  if (lower == "png") return OutputFormat::Png;
  if (lower == "webp") return OutputFormat::Webp;
  if (lower == "avif") return OutputFormat::Avif;
  if (lower == "gif") return OutputFormat::Gif;
  if (lower == "tiff" || lower == "tif") return OutputFormat::Tiff;
  if (lower == "bmp") return OutputFormat::Bmp;
  if (lower == "jxl") return OutputFormat::Jxl;
  if (lower == "heic") return OutputFormat::Heic;
  if (lower == "auto") return OutputFormat::Auto;
  if (lower == "original") return OutputFormat::Original;
  return std::nullopt;
}

bool format_has_alpha(OutputFormat f) {
  return f == OutputFormat::Png || f == OutputFormat::Webp || f == OutputFormat::Avif ||
         f == OutputFormat::Gif || f == OutputFormat::Tiff || f == OutputFormat::Bmp || f == OutputFormat::Jxl ||
         f == OutputFormat::Heic;
}

bool format_is_animated(OutputFormat f) {
  return f == OutputFormat::Gif || f == OutputFormat::Webp || f == OutputFormat::Avif || f == OutputFormat::Jxl;
}

bool input_can_animate(InputFormat f) {
  return f == InputFormat::Gif || f == InputFormat::Webp || f == InputFormat::Avif || f == InputFormat::Jxl;
}

bool format_is_lossy(OutputFormat f) {
  return f == OutputFormat::Jpeg || f == OutputFormat::Webp || f == OutputFormat::Avif ||
         f == OutputFormat::Gif || f == OutputFormat::Tiff || f == OutputFormat::Jxl || f == OutputFormat::Heic;
}

bool is_concrete(OutputFormat f) { return f != OutputFormat::Original && f != OutputFormat::Auto; }

OutputFormat output_for_original(InputFormat in) {
  switch (in) {
    case InputFormat::Jpeg: return OutputFormat::Jpeg;
    case InputFormat::Png: return OutputFormat::Png;
    case InputFormat::Webp: return OutputFormat::Webp;
    case InputFormat::Avif: return OutputFormat::Avif;
    case InputFormat::Tiff: return OutputFormat::Tiff;
    case InputFormat::Gif: return OutputFormat::Gif;
    case InputFormat::Bmp: return OutputFormat::Bmp;
    case InputFormat::Svg: return OutputFormat::Png;
    case InputFormat::Jxl: return OutputFormat::Jxl;
    case InputFormat::Heif: return OutputFormat::Jpeg;
    case InputFormat::Unknown: break;
  }
  return OutputFormat::Jpeg;
}

}  // namespace pixmill::recipe
