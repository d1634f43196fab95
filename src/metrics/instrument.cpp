#include "metrics/instrument.h"

namespace pixmill::metrics {

namespace {

class MetricsStep final : public http::Policy {
 public:
  explicit MetricsStep(std::shared_ptr<Metrics> metrics) : metrics_(std::move(metrics)) {}
  std::string_view name() const override { return "metrics"; }
  void fetched(const http::RouteSpec& route, const std::optional<Error>& failed, double seconds) override {
    metrics_->fetch(route.fetch_kind, failed ? error_code_name(failed->code) : std::string_view("ok"), seconds);
  }
  void after(const http::Outcome& o, http::Response&) override {
    metrics_->request(o.request.method, o.route, o.status, o.bytes_in, o.bytes_out, o.seconds);
  }

 private:
  std::shared_ptr<Metrics> metrics_;
};

}  // namespace

std::shared_ptr<http::Policy> metrics_policy(std::shared_ptr<Metrics> metrics) { return std::make_shared<MetricsStep>(std::move(metrics)); }

http::RouteSpec metrics_route(std::shared_ptr<Metrics> metrics) {
  return {.method = "GET",
          .pattern = "/metrics",
          .name = "service.metrics",
          .access = http::AccessClass::Public,
          .inline_handler = [metrics](const http::Request&) {
            http::Response response;
            response.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            response.set("Cache-Control", "no-store");
            response.body = metrics->scrape();
            return response;
          }};
}

}  // namespace pixmill::metrics
