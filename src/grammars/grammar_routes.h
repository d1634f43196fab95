#pragma once
// The peer grammars' routes: GET (and so HEAD) under each configured mount point: the
// URL parsed, the source fetched on the fetch pool, the image work on the workers. A grammar mounted
// at the root is registered last, so every other route keeps its path.

#include <memory>

#include "grammars/grammar_service.h"
#include "http/router.h"

namespace pixmill::grammars {

// Routes under prefixes ("/ip/*", …). Call again with `root_only` after every other
// route, for the grammar (at most one) mounted at "/".
std::vector<http::RouteGroup> grammar_routes(const std::shared_ptr<GrammarService>& service, bool root_only);

}  // namespace pixmill::grammars
