#include "app/policies.h"

#include "policy/access_policy.h"
#include "policy/cors.h"
#include "policy/memory_counter_store.h"
#include "policy/redis_counter_store.h"

namespace pixmill::app {

namespace {

// A query parameter that runs a model (AI_QUERY_PARAMS) moves a CPU route into the AI bucket.
bool query_runs_model(std::string_view name, std::string_view value) {
  if (name == "removeBackground" || name == "removeBg") return value == "true" || value == "1" || value == "yes" || value == "on";
  if (name == "redactFaces" || name == "redact") return !value.empty() && value != "none";
  if (name == "gravity" || name == "position") return value == "face" || value == "faces";
  return false;
}

// `/api/v1/process?removeBackground=true` runs the model: it counts in the AI bucket like
// remove-bg; so do face redaction and gravity=face. (A flag inside a form or JSON body is
// only known after parsing; it counts as CPU until the access class is derived from the
// parsed Recipe: recipe_uses_ai() in recipe/recipe.h is that test.)
http::AccessClass effective_access(const http::Request& req, const http::Route& route) {
  if (route.access != http::AccessClass::Cpu) return route.access;
  // Cloudflare's segment=foreground is background removal: metered as AI like remove-bg.
  if (route.name == "cloudflare.image" && req.path.find("segment=foreground") != std::string::npos) return http::AccessClass::Ai;
  for (const auto& [name, value] : req.query) {
    if (query_runs_model(name, value)) return http::AccessClass::Ai;
  }
  return route.access;
}

Result<policy::AccessSettings> access_settings(const Config& config) {
  policy::AccessSettings s;
  if (!config.keys_file.empty()) {
    auto keys = policy::KeyStore::load(config.keys_file);
    if (!keys) return keys.error();
    s.keys = std::move(*keys);
    s.plans = s.keys->plans();
  }
  auto signing = policy::parse_signing_keys(config.signing_keys);
  if (!signing) return signing.error();
  for (const auto& key : *signing) {
    if (!s.plans.count(key.plan)) {
      return make_error(ErrorCode::InvalidInput, "SIGNING_KEYS: key " + key.id + " names an unknown plan " + key.plan, "SIGNING_KEYS");
    }
  }
  s.signing_keys = std::move(*signing);
  auto client_ip = policy::ClientIpResolver::parse(config.trust_proxy);
  if (!client_ip) return client_ip.error();
  s.client_ip = std::move(*client_ip);
  s.anonymous = policy::Plan{"anonymous", config.rate_limit_per_minute, config.ai_rate_limit_per_minute, 0, 0};
  s.fail_open = config.rate_limit_fail_open;
  return s;
}

}  // namespace

Result<std::shared_ptr<void>> install_policies(const Config& config, http::ServerOptions& options) {
  auto cors = std::make_shared<policy::Cors>(config.cors_origins);
  if (cors->enabled()) {
    options.decorate = [cors](const http::Request& req, http::Response& res) { cors->decorate(req, res); };
    options.preflight = [cors](const http::Request& req) { return cors->preflight(req); };
  }

  auto settings = access_settings(config);
  if (!settings) return settings.error();
  std::shared_ptr<policy::CounterStore> store;
  if (config.redis_url.empty()) {
    store = std::make_shared<policy::MemoryCounterStore>();
  } else {
    auto endpoint = policy::parse_redis_url(config.redis_url);
    if (!endpoint) return endpoint.error();
    store = std::make_shared<policy::RedisCounterStore>(*endpoint, std::chrono::milliseconds(config.redis_timeout_ms));
    options.admit_blocks = true;  // hiredis waits on the network: keep it off the I/O threads
  }
  auto access = std::make_shared<policy::AccessPolicy>(std::move(*settings), store);
  if (access->active()) {
    options.admit = [access](http::Request& req, const http::Route& route) {
      policy::AccessDecision d = access->admit(req, effective_access(req, route));
      return http::Admission{std::move(d.refusal), std::move(d.headers)};
    };
  }
  if (access->requires_keys()) {
    options.authorize = [access](const http::Request& req, const http::Route& route) { return access->authorize(req, route.access); };
  }
  struct Holder {
    std::shared_ptr<policy::Cors> cors;
    std::shared_ptr<policy::AccessPolicy> access;
  };
  return std::shared_ptr<void>(std::make_shared<Holder>(Holder{cors, access}));
}

}  // namespace pixmill::app
