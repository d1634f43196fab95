#include "metrics/instrument.h"

namespace pixmill::metrics {

void instrument_server(http::ServerOptions& options, const std::shared_ptr<Metrics>& metrics) {
  options.on_complete = [metrics](const http::ServerOptions::Completed& c) {
    metrics->request(c.method, c.route, c.status, c.bytes_in, c.bytes_out, c.seconds);
  };
  options.on_prepared = [metrics](const http::Route& route, const std::optional<Error>& failed, double seconds) {
    const std::string_view kind = route.name == "feather.model" ? "model" : "image";
    metrics->fetch(kind, failed ? error_code_name(failed->code) : std::string_view("ok"), seconds);
  };
  if (options.admit) {
    options.admit = [inner = std::move(options.admit), metrics](http::Request& request, const http::Route& route) {
      http::Admission admission = inner(request, route);
      metrics->admission(admission.refusal ? error_code_name(admission.refusal->code) : std::string_view("allowed"));
      return admission;
    };
  }
}

http::Route metrics_route(std::shared_ptr<Metrics> metrics) {
  return http::Route{"GET", "/metrics", "service.metrics",
                     [metrics](const http::Request&) {
                       http::Response response;
                       response.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                       response.set("Cache-Control", "no-store");
                       response.body = metrics->scrape();
                       return response;
                     },
                     nullptr, nullptr};
}

}  // namespace pixmill::metrics
