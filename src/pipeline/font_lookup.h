#pragma once
// Which font file a family name means, asked of fontconfig (Debian's, reading the same
// /etc/fonts as the libvips build's own). Pango would silently fall back to another
// family; this lookup is how an unknown family becomes a clear error instead.

#include <string>

#include "core/result.h"

namespace pixmill::pipeline {

struct FontMatch {
  std::string family;  // as fontconfig spells it
  std::string file;    // the font file for the family (and weight)
};

// InvalidInput (field "font") when no installed family has this name (case-insensitive).
// Results are cached; safe to call from any thread.
Result<FontMatch> find_font(const std::string& family, bool bold);

}  // namespace pixmill::pipeline
