#include "policy/key_store.h"

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <toml++/toml.h>

#include <fstream>
#include <sstream>

#include "core/base64.h"
#include "core/digest.h"
#include "core/hex.h"
#include "core/text.h"

namespace pixmill::policy {
namespace {

Error bad(std::string why) { return make_error(ErrorCode::InvalidInput, "KEYS_FILE: " + why, "KEYS_FILE"); }

// One neutral shape for both syntaxes, so JSON and TOML share the validation below.
struct RawPlan {
  std::string name;
  std::map<std::string, int64_t> numbers;
};
struct RawKey {
  std::string name, plan, sha256;
};

Result<Plan> plan_from(const RawPlan& raw, const std::map<std::string, Plan>& existing) {
  auto it = existing.find(raw.name);
  Plan plan = it != existing.end() ? it->second : Plan{raw.name, 0, 0, 0, 0};
  for (const auto& [field, value] : raw.numbers) {
    if (value < 0) return bad("plan " + raw.name + ": " + field + " must not be negative");
    if (field == "cpu_per_minute") {
      plan.cpu_per_minute = value;
    } else if (field == "ai_per_minute") {
      plan.ai_per_minute = value;
    } else if (field == "images_per_month") {
      plan.images_per_month = value;
    } else if (field == "max_upload_mb") {
      plan.max_upload_mb = static_cast<uint64_t>(value);
    } else {
      return bad("plan " + raw.name + ": unknown setting " + field);
    }
  }
  return plan;
}

Status read_json(std::string_view text, std::vector<RawPlan>& plans, std::vector<RawKey>& keys) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad("not a JSON object");
  if (doc.contains("plans")) {
    if (!doc["plans"].is_object()) return bad("plans must be an object");
    for (const auto& [name, fields] : doc["plans"].items()) {
      if (!fields.is_object()) return bad("plan " + name + " must be an object");
      RawPlan raw{name, {}};
      for (const auto& [field, value] : fields.items()) {
        if (!value.is_number_integer()) return bad("plan " + name + ": " + field + " must be a whole number");
        raw.numbers[field] = value.get<int64_t>();
      }
      plans.push_back(std::move(raw));
    }
  }
  if (!doc.contains("keys") || !doc["keys"].is_array()) return bad("keys must be an array");
  for (const auto& entry : doc["keys"]) {
    if (!entry.is_object()) return bad("each key must be an object");
    RawKey raw;
    for (auto [field, out] : {std::pair{"name", &raw.name}, {"plan", &raw.plan}, {"sha256", &raw.sha256}}) {
      if (entry.contains(field) && !entry[field].is_string()) return bad(std::string(field) + " must be a string");
      if (entry.contains(field)) *out = entry[field].get<std::string>();
    }
    keys.push_back(std::move(raw));
  }
  return ok_status();
}

Status read_toml(std::string_view text, std::vector<RawPlan>& plans, std::vector<RawKey>& keys) {
  toml::table root;
  try {  // Debian's toml++ is built with exceptions: a syntax error throws
    root = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return bad("TOML syntax error at line " + std::to_string(e.source().begin.line));
  }
  if (const toml::table* plan_table = root["plans"].as_table()) {
    for (const auto& [name, node] : *plan_table) {
      const toml::table* fields = node.as_table();
      if (!fields) return bad("plan " + std::string(name.str()) + " must be a table");
      RawPlan raw{std::string(name.str()), {}};
      for (const auto& [field, value] : *fields) {
        auto number = value.value_exact<int64_t>();
        if (!number) return bad("plan " + raw.name + ": " + std::string(field.str()) + " must be a whole number");
        raw.numbers[std::string(field.str())] = *number;
      }
      plans.push_back(std::move(raw));
    }
  }
  const toml::array* entries = root["keys"].as_array();
  if (!entries) return bad("keys must be an array of tables ([[keys]])");
  for (const auto& node : *entries) {
    const toml::table* entry = node.as_table();
    if (!entry) return bad("each key must be a table");
    RawKey raw;
    raw.name = (*entry)["name"].value_or(std::string());
    raw.plan = (*entry)["plan"].value_or(std::string());
    raw.sha256 = (*entry)["sha256"].value_or(std::string());
    keys.push_back(std::move(raw));
  }
  return ok_status();
}

}  // namespace

std::optional<core::Sha256> parse_hex32(std::string_view hex) {
  auto bytes = core::hex_decode(hex);
  if (!bytes || bytes->size() != 32) return std::nullopt;
  core::Sha256 out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

Result<KeyStore> KeyStore::parse(std::string_view text, bool toml) {
  std::vector<RawPlan> raw_plans;
  std::vector<RawKey> raw_keys;
  if (auto s = toml ? read_toml(text, raw_plans, raw_keys) : read_json(text, raw_plans, raw_keys); !s) return s.error();
  KeyStore store;
  for (const auto& raw : raw_plans) {
    auto plan = plan_from(raw, store.plans_);
    if (!plan) return plan.error();
    store.plans_[raw.name] = *plan;
  }
  for (const auto& raw : raw_keys) {
    if (raw.name.empty()) return bad("a key has no name");
    if (raw.plan.empty()) return bad("key " + raw.name + " has no plan");
    if (!store.plans_.count(raw.plan)) return bad("key " + raw.name + " names an unknown plan " + raw.plan);
    auto hash = parse_hex32(raw.sha256);
    if (!hash) return bad("key " + raw.name + ": sha256 must be 64 hex digits (the hash, never the key)");
    store.keys_.push_back(ApiKey{raw.name, raw.plan, *hash});
  }
  return store;
}

Result<KeyStore> KeyStore::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return bad("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  const bool toml = path.size() >= 5 && path.compare(path.size() - 5, 5, ".toml") == 0;
  return parse(text.str(), toml);
}

const ApiKey* KeyStore::find(std::string_view presented) const {
  if (presented.empty()) return nullptr;
  const auto hash = core::sha256(presented);
  const ApiKey* found = nullptr;
  // No early exit: every entry is compared, and each comparison takes the same time.
  for (const ApiKey& key : keys_) {
    const bool same = CRYPTO_memcmp(key.sha256.data(), hash.data(), hash.size()) == 0;
    if (same && found == nullptr) found = &key;
  }
  return found;
}

const Plan* KeyStore::plan(const std::string& name) const {
  auto it = plans_.find(name);
  return it == plans_.end() ? nullptr : &it->second;
}

std::string_view presented_key(const http::Request& request) {
  std::string_view auth = request.header("authorization");
  if (auth.size() > 7 && core::iequals(auth.substr(0, 7), "bearer ")) {
    std::string_view token = auth.substr(7);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    return token;
  }
  if (std::string_view k = request.header("x-api-key"); !k.empty()) return k;
  return request.header("x-rapidapi-key");
}

std::string generate_api_key() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return {};
  return "pm_" + core::base64url_encode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

}  // namespace pixmill::policy
