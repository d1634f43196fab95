#pragma once
// The peers' response conventions: caching headers (strong ETag, Last-Modified, 304,
// Cache-Control and Expires per grammar), negotiation headers (Vary, Accept-CH),
// Content-Disposition, and each peer's error shape.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cache/cache_entry.h"
#include "core/error.h"
#include "grammars/grammar_request.h"
#include "http/message.h"

namespace pixmill::grammars {

struct ResponseFacts {
  Grammar grammar = Grammar::Imgproxy;
  bool imagor = false;
  int ttl_s = 0;                      // Cache-Control max-age before an expiry shortens it
  std::optional<int64_t> expires_at;  // a signed URL's end of life (imgproxy expires, imagor expire)
  bool vary_accept = false;
  bool client_hints = false;
  std::string filename;               // without extension
  bool attachment = false;
};

// 200 with the result, or 304 when If-None-Match / If-Modified-Since say the client has it.
http::Response build_image_response(const cache::CachedResult& result, const ResponseFacts& facts, const http::Request& request, int64_t now_s);

// imgproxy: text/plain public message; thumbor: status and a short text; imagor:
// {"message", "status"} JSON; Cloudflare: "ERROR 9401: …" and Cf-Resized: err=9401.
http::Response render_grammar_error(Grammar grammar, bool imagor, const Error& error);

// "https://x/a/photo.jpg?v=1" -> "photo"; safe inside a quoted header value.
std::string source_base_name(std::string_view source);

// RFC 9110 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") and back (nullopt when malformed).
std::string http_date(int64_t epoch_s);
std::optional<int64_t> parse_http_date(std::string_view text);

}  // namespace pixmill::grammars
