#pragma once
// The pipeline's entry point: bytes + recipe in, encoded bytes + facts out.
// Knows nothing of HTTP; the CLI and every dialect call this.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "ai/segmenter.h"
#include "core/result.h"
#include "pipeline/deadline.h"
#include "pipeline/source.h"
#include "pipeline/recipe_names.h"

namespace pixmill::pipeline {

struct ProcessResult {
  std::string bytes;                      // the encoded image
  OutputFormat format = OutputFormat::Jpeg;
  InputFormat input_format = InputFormat::Unknown;
  int width = 0;
  int height = 0;                         // of one frame
  int frames = 1;
  std::optional<int> quality;             // the quality used, where quality applies
  int iterations = 1;                     // encodes done (target-size search)
  bool target_met = true;                 // true when no target was asked
  bool resized = false;                   // the output size differs from the source
  uint64_t bytes_in = 0;
  double elapsed_ms = 0.0;
};

// Runs the recipe. Every failure is a typed Error; nothing throws. `segmenter` serves
// recipe.remove_background; without one that step is MODEL_UNAVAILABLE.
Result<ProcessResult> process_image(std::span<const uint8_t> input, const Recipe& recipe, const Limits& limits,
                                    const Deadline& deadline = Deadline(), ai::Segmenter* segmenter = nullptr);

// The format process_image() writes for this recipe and source: Original and Auto
// resolved, with the cut-out's and the JPEG XL limit's rules.
OutputFormat output_format_for(const Recipe& recipe, const SourceHeader& header, const Limits& limits);

// The header facts `pixmill info` prints.
Result<SourceHeader> probe_image(std::span<const uint8_t> input, const Limits& limits);

}  // namespace pixmill::pipeline
