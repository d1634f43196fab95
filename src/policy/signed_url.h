#pragma once
// Signed URLs for the GET routes, so a page or a CDN can embed a pixmill URL without an
// API key. The signature is HMAC-SHA256, keyed by one of several live signing keys
// (SIGNING_KEYS="kid:secret[:plan],…", so keys can rotate), over the canonical form of
// the path and the query: every parameter but `sig`, percent-encoded the same way
// whatever the client's spelling, sorted. `kid` names the key and `exp` (epoch seconds,
// optional) bounds the URL's life; both are inside the signed text, so neither can be
// changed. Signed requests count against the signing key's plan.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace pixmill::policy {

struct SigningKey {
  std::string id;
  std::string secret;
  std::string plan;  // "free" unless given
};

// The parameters a signature adds to a URL (removed from the query once verified).
inline constexpr std::string_view kSigParam = "sig";
inline constexpr std::string_view kKidParam = "kid";
inline constexpr std::string_view kExpParam = "exp";

Result<std::vector<SigningKey>> parse_signing_keys(std::string_view setting);

// "/path?a=1&b=x%20y": decoded parameters re-encoded (RFC 3986 unreserved kept), `sig`
// left out, sorted by name then value.
std::string canonical_request(std::string_view path, const http::Fields& query);
std::string sign_hex(std::string_view secret, std::string_view canonical);

enum class SignatureCheck { Absent, Valid, Invalid, Expired, UnknownKey };

struct SignatureResult {
  SignatureCheck check = SignatureCheck::Absent;
  const SigningKey* key = nullptr;
};

// Judges the request's signature; on Valid, removes sig/kid/exp from the query so the
// dialect sees only its own parameters.
SignatureResult verify_signed_request(http::Request& request, const std::vector<SigningKey>& keys, int64_t now_s);

// The full URL with kid, exp (when expires_at > 0) and sig appended. `url` is
// "http://host[:port]/path?query" or just "/path?query".
Result<std::string> sign_url(std::string_view url, const SigningKey& key, int64_t expires_at);

}  // namespace pixmill::policy
