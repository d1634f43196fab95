#include "recipe/auto_quality.h"

#include "core/text.h"

namespace pixmill::recipe {

std::optional<AutoQuality> parse_auto_quality(std::string_view text) {
  const std::string lower = core::ascii_lower(text);
  if (lower == "auto" || lower == "auto:good") return AutoQuality::Good;
  if (lower == "auto:high") return AutoQuality::High;
  if (lower == "auto:eco") return AutoQuality::Eco;
  if (lower == "auto:low") return AutoQuality::Low;
  return std::nullopt;
}

std::string_view auto_quality_name(AutoQuality level) {
  switch (level) {
    case AutoQuality::High: return "auto:high";
    case AutoQuality::Good: return "auto:good";
    case AutoQuality::Eco: return "auto:eco";
    case AutoQuality::Low: return "auto:low";
    case AutoQuality::Off: break;
  }
  return "";
}

const std::vector<std::string>& auto_quality_words() {
  static const std::vector<std::string> words = {"auto", "auto:high", "auto:good", "auto:eco", "auto:low"};
  return words;
}

}  // namespace pixmill::recipe
