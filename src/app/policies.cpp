#include "app/policies.h"

#include "http/access_log.h"
#include "metrics/instrument.h"
#include "policy/access_policy.h"
#include "policy/cors.h"
#include "policy/memory_counter_store.h"
#include "policy/redis_counter_store.h"

namespace pixmill::app {
namespace {

// TRUST_PROXY: the client's address from X-Forwarded-For, fixed as the head is read, so
// no later step (or thread) rewrites it.
class ClientAddress final : public http::Policy {
 public:
  explicit ClientAddress(policy::ClientIpResolver resolver) : resolver_(std::move(resolver)) {}
  std::string_view name() const override { return "client-address"; }
  void on_head(http::Request& request) const override { request.client_ip = resolver_.resolve(request); }

 private:
  policy::ClientIpResolver resolver_;
};

class CorsStep final : public http::Policy {
 public:
  explicit CorsStep(policy::Cors cors) : cors_(std::move(cors)) {}
  std::string_view name() const override { return "cors"; }
  std::optional<http::Response> preflight(const http::Request& request) const override {
    if (request.method != "OPTIONS") return std::nullopt;
    return cors_.preflight(request);
  }
  void after(const http::Outcome& outcome, http::Response& response) override { cors_.decorate(outcome.request, response); }

 private:
  policy::Cors cors_;
};

// Keys, signatures, plans, limits and quotas. Inline routes (health, formats, the web
// page's assets when keys are required) are only authenticated, in memory; work routes
// are admitted and counted in the request's access class.
class AccessStep final : public http::Policy {
 public:
  AccessStep(std::shared_ptr<policy::AccessPolicy> access, bool remote_store, std::shared_ptr<metrics::Metrics> metrics)
      : access_(std::move(access)), remote_store_(remote_store), metrics_(std::move(metrics)) {}
  std::string_view name() const override { return "access"; }
  bool may_block() const override { return remote_store_; }  // hiredis waits on the network
  bool needs_access_class() const override { return true; }

  std::optional<http::Refusal> before(http::Exchange& exchange) override {
    if (exchange.route.inline_handler) {
      auto refusal = access_->authorize(exchange.request, exchange.route.access);
      if (!refusal) return std::nullopt;
      exchange.headers.emplace_back("WWW-Authenticate", "Bearer");
      return http::Refusal{std::move(*refusal), 401};
    }
    policy::AccessDecision d = access_->admit(exchange.request, exchange.route.access, [&exchange] { return exchange.access(); });
    for (auto& header : d.headers) exchange.headers.push_back(std::move(header));
    metrics_->admission(d.refusal ? error_code_name(d.refusal->code) : std::string_view("allowed"));
    if (!d.refusal) return std::nullopt;
    return http::Refusal{std::move(*d.refusal), 429};
  }

 private:
  std::shared_ptr<policy::AccessPolicy> access_;
  bool remote_store_;
  std::shared_ptr<metrics::Metrics> metrics_;
};

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

Result<http::PolicyChain> build_policy_chain(const Config& config, const std::shared_ptr<metrics::Metrics>& metrics) {
  auto settings = access_settings(config);
  if (!settings) return settings.error();
  std::shared_ptr<policy::CounterStore> store;
  if (config.redis_url.empty()) {
    store = std::make_shared<policy::MemoryCounterStore>();
  } else {
    auto endpoint = policy::parse_redis_url(config.redis_url);
    if (!endpoint) return endpoint.error();
    store = std::make_shared<policy::RedisCounterStore>(*endpoint, std::chrono::milliseconds(config.redis_timeout_ms));
  }
  const policy::ClientIpResolver client_ip = settings->client_ip;
  auto access = std::make_shared<policy::AccessPolicy>(std::move(*settings), store);
  policy::Cors cors(config.cors_origins);

  // The chain, in the order its steps run.
  std::vector<std::shared_ptr<http::Policy>> chain;
  if (client_ip.enabled()) chain.push_back(std::make_shared<ClientAddress>(client_ip));
  if (cors.enabled()) chain.push_back(std::make_shared<CorsStep>(std::move(cors)));
  if (access->active()) chain.push_back(std::make_shared<AccessStep>(access, !config.redis_url.empty(), metrics));
  chain.push_back(metrics::metrics_policy(metrics));
  // Access lines are info-level: LOG_LEVEL=warn or error silences them.
  if (config.log_level == "debug" || config.log_level == "info") chain.push_back(std::make_shared<http::AccessLog>());
  return http::PolicyChain(std::move(chain));
}

}  // namespace pixmill::app
