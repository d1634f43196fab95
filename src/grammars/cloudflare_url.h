#pragma once
// Cloudflare Images' URL grammar: /cdn-cgi/image/{key=value,key=value}/{source}, the
// source an absolute URL or a path on the same zone (SOURCE_BASE_URL / SOURCE_DIR),
// not URL-encoded (developers.cloudflare.com/images/transform-images/transform-via-url).
// Unsigned, as on Cloudflare: protect it with the rate limits or keys.

#include <string_view>

#include "core/result.h"
#include "grammars/grammar_request.h"

namespace pixmill::grammars {

// `path`: the request target after the mount prefix. Errors: InvalidInput (Cloudflare's
// 9401), UnsupportedOption (an option pixmill cannot do yet, also 9401).
Result<GrammarRequest> parse_cloudflare_url(std::string_view path, const ClientHints& hints);

}  // namespace pixmill::grammars
