#include "pipeline/font_lookup.h"

#include <fontconfig/fontconfig.h>

#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "core/text.h"

namespace pixmill::pipeline {
namespace {

struct PatternDeleter {
  void operator()(FcPattern* p) const { FcPatternDestroy(p); }
};
using Pattern = std::unique_ptr<FcPattern, PatternDeleter>;

// The matched font's family names (a font may list several, e.g. "DejaVu Sans" and
// "DejaVu Sans Condensed"): does one of them equal the one asked for?
bool family_matches(FcPattern* font, const std::string& wanted, std::string& spelled) {
  FcChar8* name = nullptr;
  for (int i = 0; FcPatternGetString(font, FC_FAMILY, i, &name) == FcResultMatch; ++i) {
    const std::string candidate(reinterpret_cast<const char*>(name));
    if (core::ascii_lower(candidate) == core::ascii_lower(wanted)) {
      spelled = candidate;
      return true;
    }
  }
  return false;
}

Result<FontMatch> look_up(const std::string& family, bool bold) {
  Pattern pattern(FcPatternCreate());
  FcPatternAddString(pattern.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
  FcPatternAddInteger(pattern.get(), FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
  FcConfigSubstitute(nullptr, pattern.get(), FcMatchPattern);
  FcDefaultSubstitute(pattern.get());
  FcResult result = FcResultNoMatch;
  Pattern font(FcFontMatch(nullptr, pattern.get(), &result));
  FontMatch match;
  FcChar8* file = nullptr;
  if (!font || !family_matches(font.get(), family, match.family) ||
      FcPatternGetString(font.get(), FC_FILE, 0, &file) != FcResultMatch) {
    const std::string shown = family.size() > 64 ? family.substr(0, 64) + "..." : family;
    return make_error(ErrorCode::InvalidInput, "unknown font: " + shown + " (fc-list : family lists the installed ones)", "font");
  }
  match.file = reinterpret_cast<const char*>(file);
  return match;
}

}  // namespace

Result<FontMatch> find_font(const std::string& family, bool bold) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, bool>, Result<FontMatch>> cache;
  std::lock_guard lock(mutex);
  const auto key = std::make_pair(core::ascii_lower(family), bold);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  // A client can ask for any number of different names: remember only the first few
  // hundred (the installed families and the common typos), look the rest up each time.
  Result<FontMatch> found = look_up(family, bold);
  if (cache.size() < 512) cache.emplace(key, found);
  return found;
}

}  // namespace pixmill::pipeline
