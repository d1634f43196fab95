#include "recipe/colour.h"

#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <vector>

namespace pixmill::recipe {

std::string Colour::to_hex() const {
  char buf[10];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x%02x", r, g, b, a);
  return buf;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<Colour> parse_hex(std::string_view hex) {
  for (char c : hex) {
    if (hex_value(c) < 0) return std::nullopt;
  }
  auto byte = [&](size_t i) { return static_cast<uint8_t>(hex_value(hex[i]) * 16 + hex_value(hex[i + 1])); };
  auto nibble = [&](size_t i) { return static_cast<uint8_t>(hex_value(hex[i]) * 17); };
  switch (hex.size()) {
    case 3: return Colour{nibble(0), nibble(1), nibble(2), 255};
    case 4: return Colour{nibble(0), nibble(1), nibble(2), nibble(3)};
    case 6: return Colour{byte(0), byte(2), byte(4), 255};
    case 8: return Colour{byte(0), byte(2), byte(4), byte(6)};
    default: return std::nullopt;
  }
}

std::optional<Colour> parse_components(std::string_view text) {
  std::vector<int> parts;
  size_t start = 0;
  while (start <= text.size() && parts.size() < 5) {
    size_t comma = text.find(',', start);
    std::string_view part = text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    int value = -1;
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (ec != std::errc() || ptr != part.data() + part.size() || value < 0 || value > 255) return std::nullopt;
    parts.push_back(value);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (parts.size() != 3 && parts.size() != 4) return std::nullopt;
  return Colour{static_cast<uint8_t>(parts[0]), static_cast<uint8_t>(parts[1]),
                static_cast<uint8_t>(parts[2]), static_cast<uint8_t>(parts.size() == 4 ? parts[3] : 255)};
}

}  // namespace

std::optional<Colour> parse_colour(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string lower = core::ascii_lower(text);
  if (lower == "white") return Colour::white();
  if (lower == "black") return Colour::black();
  if (lower == "transparent") return Colour::transparent();
  if (lower.find(',') != std::string::npos) return parse_components(lower);
  std::string_view hex = lower;
  if (hex.front() == '#') hex.remove_prefix(1);
  return parse_hex(hex);
}

}  // namespace pixmill::recipe
