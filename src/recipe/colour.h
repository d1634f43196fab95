#pragma once
// An sRGB colour with alpha, as used for backgrounds (pad, rotate, flatten).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pixmill::recipe {

struct Colour {
  uint8_t r = 255, g = 255, b = 255, a = 255;

  static Colour white() { return {255, 255, 255, 255}; }
  static Colour black() { return {0, 0, 0, 255}; }
  static Colour transparent() { return {0, 0, 0, 0}; }
  bool operator==(const Colour&) const = default;
  std::string to_hex() const;  // "#rrggbbaa"
};

// Accepts "#rgb", "#rrggbb", "#rrggbbaa" (with or without '#'), "r,g,b[,a]", and the
// names white, black, transparent. nullopt for anything else.
std::optional<Colour> parse_colour(std::string_view text);

}  // namespace pixmill::recipe
