#pragma once
// Settling a URL grammar's source-dependent geometry into plain Recipe fields, once
// the source header has told its EXIF-oriented size (before any pixel is decoded).

#include "core/result.h"
#include "grammars/grammar_request.h"

namespace pixmill::grammars {

// Rewrites recipe.crop / recipe.resize from `pending`. Pure arithmetic; the result
// still passes validate() when the input recipe did.
Status finalize_geometry(const PendingGeometry& pending, Size oriented_source, Recipe& recipe);

}  // namespace pixmill::grammars
