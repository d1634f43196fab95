#pragma once
// The words every dialect's quality field accepts besides a number: "auto" (the
// default level, good) and "auto:high|good|eco|low".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recipe/recipe.h"

namespace pixmill::recipe {

// "auto", "auto:high", "auto:good", "auto:eco", "auto:low" (case-insensitive), else nullopt.
std::optional<AutoQuality> parse_auto_quality(std::string_view text);

std::string_view auto_quality_name(AutoQuality level);  // "auto:good", …; "" for Off

// The words above, for parameter tables and the API reference.
const std::vector<std::string>& auto_quality_words();

}  // namespace pixmill::recipe
