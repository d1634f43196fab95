#include "pipeline/auto_format.h"

namespace pixmill::pipeline {
namespace {

bool is_graphic(InputFormat f) {
  return f == InputFormat::Png || f == InputFormat::Gif || f == InputFormat::Bmp || f == InputFormat::Svg;
}

OutputFormat original_format(const OutputSpec& spec, const SourceHeader& header) {
  if (header.format == InputFormat::Avif && spec.original_avif_as_jpeg) return OutputFormat::Jpeg;
  return output_for_original(header.format);
}

// The source's format when Auto allows nothing that fits; PNG for a JPEG that gained alpha.
OutputFormat auto_fallback(const OutputSpec& spec, const SourceHeader& header, bool keeps_alpha) {
  const OutputFormat original = original_format(spec, header);
  return keeps_alpha && original == OutputFormat::Jpeg ? OutputFormat::Png : original;
}

OutputFormat choose_auto(const OutputSpec& spec, const SourceHeader& header, bool keeps_alpha) {
  // An animation becomes WebP, which every browser that asks for an image plays; animated
  // AVIF and JPEG XL are written when asked for by name (Safari's animated AVIF support
  // came late, and encoding AV1 frames costs many times WebP's CPU).
  const bool animated = header.frames > 1 && input_can_animate(header.format);
  if (animated) {
    if (spec.auto_allow_webp) return OutputFormat::Webp;
    return spec.auto_else_original ? auto_fallback(spec, header, keeps_alpha) : OutputFormat::Gif;
  }
  if (spec.auto_allow_jxl) return OutputFormat::Jxl;
  if (spec.auto_allow_avif) return OutputFormat::Avif;
  if (spec.auto_allow_webp) return OutputFormat::Webp;
  if (spec.auto_else_original) return auto_fallback(spec, header, keeps_alpha);
  if (keeps_alpha || is_graphic(header.format)) return OutputFormat::Png;
  return OutputFormat::Jpeg;
}

}  // namespace

OutputFormat resolve_output_format(const OutputSpec& spec, const SourceHeader& header, bool keeps_alpha) {
  switch (spec.format) {
    case OutputFormat::Auto: return choose_auto(spec, header, keeps_alpha);
    case OutputFormat::Original: return original_format(spec, header);
    default: return spec.format;
  }
}

}  // namespace pixmill::pipeline
