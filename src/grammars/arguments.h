#pragma once
// Strict parsing of the small values inside URL options ("300", "0.5", "ff00aa",
// "true"): the whole text must be the value, and non-finite numbers are refused.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grammars/recipe_names.h"

namespace pixmill::grammars {

std::optional<long long> parse_integer(std::string_view text);
std::optional<double> parse_decimal(std::string_view text);  // finite only
// Go's strconv.ParseBool spellings (what imgproxy accepts): 1 t T TRUE true True, 0 f F FALSE false False.
std::optional<bool> parse_go_bool(std::string_view text);
// "rgb" / "rrggbb" / "rrggbbaa" hex, no '#'.
std::optional<Colour> parse_hex_colour(std::string_view text);

// Splits on every `separator` (empty pieces kept).
std::vector<std::string> split_all(std::string_view text, char separator);

// Percent-decoding of a path segment ('+' stays '+'); nullopt on a bad escape or NUL.
std::optional<std::string> path_unescape(std::string_view text);

}  // namespace pixmill::grammars
