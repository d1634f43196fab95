#include "pipeline/auto_format.h"

namespace pixmill::pipeline {
namespace {

bool is_graphic(InputFormat f) {
  return f == InputFormat::Png || f == InputFormat::Gif || f == InputFormat::Bmp || f == InputFormat::Svg;
}

OutputFormat choose_auto(const OutputSpec& spec, const SourceHeader& header, bool keeps_alpha) {
  const bool animated = header.frames > 1 && (header.format == InputFormat::Gif || header.format == InputFormat::Webp);
  if (animated) return spec.auto_allow_webp ? OutputFormat::Webp : OutputFormat::Gif;
  if (spec.auto_allow_jxl) return OutputFormat::Jxl;
  if (spec.auto_allow_avif) return OutputFormat::Avif;
  if (spec.auto_allow_webp) return OutputFormat::Webp;
  if (keeps_alpha || is_graphic(header.format)) return OutputFormat::Png;
  return OutputFormat::Jpeg;
}

}  // namespace

OutputFormat resolve_output_format(const OutputSpec& spec, const SourceHeader& header, bool keeps_alpha) {
  switch (spec.format) {
    case OutputFormat::Auto: return choose_auto(spec, header, keeps_alpha);
    case OutputFormat::Original:
      if (header.format == InputFormat::Avif && spec.original_avif_as_jpeg) return OutputFormat::Jpeg;
      return output_for_original(header.format);
    default: return spec.format;
  }
}

}  // namespace pixmill::pipeline
