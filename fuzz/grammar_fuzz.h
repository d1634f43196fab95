#pragma once
// What the URL-grammar fuzz targets check of every parse: a refusal is one of the typed
// refusals a peer answers (with a message), and an accepted URL gives a recipe that
// validate() accepts — also after its source-dependent geometry is settled for a
// source size taken from the input, from 1x1 up to the largest dimensions.

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "grammars/grammar_request.h"
#include "grammars/pending_geometry.h"

namespace pixmill::fuzz {

inline void check_grammar_refusal(const Error& error) {
  check(error.code == ErrorCode::InvalidInput || error.code == ErrorCode::UnsupportedOption ||
        error.code == ErrorCode::SignatureInvalid || error.code == ErrorCode::Expired || error.code == ErrorCode::UnsupportedFormat);
  check(!error.message.empty());
}

inline void check_grammar_result(const Result<grammars::GrammarRequest>& parsed, std::string_view input) {
  if (!parsed) {
    check_grammar_refusal(parsed.error());
    return;
  }
  check(validate(parsed->recipe).ok());
  uint32_t seed = 2166136261u;
  for (char c : input) seed = (seed ^ static_cast<uint8_t>(c)) * 16777619u;
  const recipe::Size sources[] = {{1, 1}, {static_cast<int>(seed % 9000) + 1, static_cast<int>((seed >> 13) % 9000) + 1}, {8000, 3}, {640, 480}};
  for (recipe::Size source : sources) {
    recipe::Recipe settled = parsed->recipe;
    check(grammars::finalize_geometry(parsed->pending, source, settled).ok());
    check(validate(settled).ok());
  }
}

}  // namespace pixmill::fuzz
