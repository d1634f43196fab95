#pragma once
// The JSON answers that describe an image instead of sending it: thumbor's `meta/`,
// imagor's `meta/` and Cloudflare's `format=json`, each in its peer's documented shape.
// They are built from the source header (the same facts /api/v1/info reports first:
// format, oriented size, frames) and the geometry the recipe would apply.

#include <string>

#include "grammars/grammar_request.h"
#include "pipeline/geometry_plan.h"
#include "pipeline/source.h"

namespace pixmill::grammars {

struct MetaFacts {
  const GrammarRequest& request;
  const pipeline::SourceHeader& header;
  const pipeline::GeometryPlan& plan;
  uint64_t source_bytes = 0;
  bool imagor = false;
};

// thumbor: {"thumbor":{"source":{url,width,height,frameCount},"operations":[…],"target":{width,height}}}
// imagor:  {format,content_type,width,height,orientation,pages}
// Cloudflare: {width,height,original:{file_size,width,height,format}}
std::string meta_json(const MetaFacts& facts);

}  // namespace pixmill::grammars
