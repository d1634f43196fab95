#pragma once
// Resolving OutputFormat::Original and OutputFormat::Auto to a concrete format.
//
// The auto rule, in order:
//   1. animated input kept animated -> WebP (when WebP is not allowed: the source's
//      format with auto_else_original, else GIF)
//   2. JPEG XL when the client accepts it (Accept: image/jxl; never from a default),
//      then AVIF when it accepts that (native dialect: Accept: image/avif)
//   3. WebP when allowed (the default)
//   4. otherwise: the source's format with auto_else_original (the URL grammars; PNG for
//      a JPEG that gained alpha); else alpha or a graphic source (PNG, GIF, BMP, SVG) ->
//      PNG, photos -> JPEG

#include "pipeline/source.h"
#include "pipeline/recipe_names.h"

namespace pixmill::pipeline {

OutputFormat resolve_output_format(const OutputSpec& spec, const SourceHeader& header, bool keeps_alpha);

}  // namespace pixmill::pipeline
