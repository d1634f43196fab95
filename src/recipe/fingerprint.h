#pragma once
// A canonical text of everything a Recipe asks, for cache keys: two recipes that make
// the same image have the same text, and any field that changes the image changes it.

#include <string>

#include "recipe/recipe.h"

namespace pixmill::recipe {

std::string recipe_fingerprint(const Recipe& recipe);

// Appends the compositing fields (overlays, text, frame, colour tools, operation passes);
// part of recipe_fingerprint(), in fingerprint_compositing.cpp.
void compositing_fingerprint(std::string& out, const Recipe& recipe);

}  // namespace pixmill::recipe
