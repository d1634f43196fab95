#include "app/policies.h"

#include "policy/cors.h"
#include "policy/rate_limiter.h"

namespace pixmill::app {

std::shared_ptr<void> install_policies(const Config& config, http::ServerOptions& options) {
  auto cors = std::make_shared<policy::Cors>(config.cors_origins);
  auto limiter = std::make_shared<policy::RateLimiter>(config.rate_limit_per_minute);
  if (cors->enabled()) {
    options.decorate = [cors](const http::Request& req, http::Response& res) { cors->decorate(req, res); };
    options.preflight = [cors](const http::Request& req) { return cors->preflight(req); };
  }
  if (limiter->enabled()) {
    options.admit = [limiter](const http::Request& req, const http::Route&) {
      policy::RateDecision d = limiter->hit(req.client_ip);
      http::Admission a;
      a.headers = {{"X-RateLimit-Limit", std::to_string(d.limit)},
                   {"X-RateLimit-Remaining", std::to_string(d.remaining)},
                   {"X-RateLimit-Reset", std::to_string(d.reset_epoch_s)}};
      if (!d.allowed) {
        a.headers.emplace_back("Retry-After", std::to_string(d.retry_after_s));
        a.refusal = make_error(ErrorCode::RateLimited, "rate limit exceeded: " + std::to_string(d.limit) + " requests per minute");
      }
      return a;
    };
  }
  struct Holder {
    std::shared_ptr<policy::Cors> cors;
    std::shared_ptr<policy::RateLimiter> limiter;
  };
  return std::make_shared<Holder>(Holder{cors, limiter});
}

}  // namespace pixmill::app
