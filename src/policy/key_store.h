#pragma once
// API keys: a keys file (KEYS_FILE, JSON or TOML) lists each key by the SHA-256 of its
// text (never the key itself) with a name and a plan, and may define plans. A presented
// key is hashed and compared with every stored hash in constant time, so neither the
// comparison nor the lookup order says how close a guess was.
//
// JSON:  {"plans": {"team": {"cpu_per_minute": 300, "ai_per_minute": 20,
//                            "images_per_month": 5000, "max_upload_mb": 50}},
//         "keys": [{"name": "acme", "plan": "pro", "sha256": "<64 hex digits>"}]}
// TOML:  [plans.team] cpu_per_minute = 300 …   [[keys]] name = "acme" plan = "pro" sha256 = "…"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.h"
#include "core/result.h"
#include "http/message.h"
#include "policy/plan.h"

namespace pixmill::policy {

struct ApiKey {
  std::string name;
  std::string plan;
  core::Sha256 sha256{};
};

class KeyStore {
 public:
  // Parses a keys file's text; `toml` picks the syntax. Every key's plan must exist.
  static Result<KeyStore> parse(std::string_view text, bool toml);
  // Reads KEYS_FILE: TOML when the name ends in .toml, JSON otherwise.
  static Result<KeyStore> load(const std::string& path);

  // The key whose hash matches, scanning every entry whatever matches.
  const ApiKey* find(std::string_view presented) const;
  const Plan* plan(const std::string& name) const;
  const std::map<std::string, Plan>& plans() const { return plans_; }
  size_t size() const { return keys_.size(); }

 private:
  std::vector<ApiKey> keys_;
  std::map<std::string, Plan> plans_ = builtin_plans();
};

// The key a client sent: `Authorization: Bearer` (petiteimg), `X-API-Key`, or
// `X-RapidAPI-Key` (TheGlitch's examples). Empty when none.
std::string_view presented_key(const http::Request& request);

// A fresh random key ("pm_" + 43 base64url characters, 256 bits from the OpenSSL CSPRNG).
std::string generate_api_key();
// The 32 bytes of 64 hex digits (a SHA-256 or an HMAC-SHA256), or nullopt.
std::optional<core::Sha256> parse_hex32(std::string_view hex);

}  // namespace pixmill::policy
