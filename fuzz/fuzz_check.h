#pragma once
// What every fuzz target asserts besides "no crash": an invariant broken is a
// finding, reported through __builtin_trap so libFuzzer keeps the input.

#include <string_view>

#include "core/error.h"
#include "recipe/recipe.h"

namespace pixmill::fuzz {

inline void check(bool condition) {
  if (!condition) __builtin_trap();
}

// A rejection a client sees must be typed and explained: a parser may refuse input,
// but only as INVALID_INPUT (or the given code) with a message.
inline void check_rejection(const Error& error, ErrorCode expected = ErrorCode::InvalidInput) {
  check(error.code == expected);
  check(!error.message.empty());
}

// A recipe a dialect accepted: validate() passes it, or refuses it as a client error
// that names the field at fault.
inline void check_validated(const recipe::Recipe& recipe) {
  const Status status = validate(recipe);
  if (!status.ok()) {
    check_rejection(status.error());
    check(!status.error().field.empty());
  }
}

}  // namespace pixmill::fuzz
