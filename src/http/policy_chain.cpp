#include "http/policy.h"

namespace pixmill::http {

PolicyChain::PolicyChain(std::vector<std::shared_ptr<Policy>> policies) : policies_(std::move(policies)) {
  for (const auto& p : policies_) {
    may_block_ = may_block_ || p->may_block();
    needs_access_class_ = needs_access_class_ || p->needs_access_class();
  }
}

void PolicyChain::on_head(Request& request) const {
  for (const auto& p : policies_) p->on_head(request);
}

std::optional<Response> PolicyChain::preflight(const Request& request) const {
  for (const auto& p : policies_) {
    if (auto answer = p->preflight(request)) return answer;
  }
  return std::nullopt;
}

std::optional<Refusal> PolicyChain::before(Exchange& exchange) const {
  for (const auto& p : policies_) {
    if (auto refusal = p->before(exchange)) return refusal;
  }
  return std::nullopt;
}

void PolicyChain::fetched(const RouteSpec& route, const std::optional<Error>& failed, double seconds) const {
  for (const auto& p : policies_) p->fetched(route, failed, seconds);
}

void PolicyChain::after(const Outcome& outcome, Response& response) const {
  for (const auto& p : policies_) p->after(outcome, response);
}

void PolicyChain::finished(const Outcome& outcome) const {
  for (const auto& p : policies_) p->finished(outcome);
}

std::vector<std::string_view> PolicyChain::names() const {
  std::vector<std::string_view> names;
  for (const auto& p : policies_) names.push_back(p->name());
  return names;
}

}  // namespace pixmill::http
