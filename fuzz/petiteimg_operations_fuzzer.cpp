// libFuzzer target for petiteimg's `operations` JSON (/v1/process).
// Invariants: a refusal is a typed INVALID_INPUT with a message; an accepted array
// yields a recipe that validate() accepts or refuses the same typed way.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dialects/petiteimg_operations.h"
#include "fuzz_check.h"

using namespace pixmill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto recipe = dialects::parse_petiteimg_operations(text);
  if (recipe) {
    fuzz::check_validated(*recipe);
  } else {
    fuzz::check_rejection(recipe.error());
  }
  return 0;
}
