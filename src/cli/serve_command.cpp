// `pixmill serve`: configuration from the environment, the route table, the server.

#include <vips/vips8>

#include <cstdlib>
#include <iostream>

#include "app/config.h"
#include "app/policies.h"
#include "app/routes.h"
#include "cli/commands.h"
#include "grammars/imgproxy_url.h"
#include "http/server.h"
#include "log/log.h"
#include "metrics/instrument.h"
#include "pipeline/vips_runtime.h"

namespace pixmill::cli {

int serve_command(int, char** argv) {
  auto config = app::load_config_from_env();
  if (!config) {
    std::cerr << "pixmill: configuration error: " << config.error().message << "\n";
    return 2;
  }
  if (auto presets = grammars::parse_imgproxy_presets(config->imgproxy_presets); !presets) {
    std::cerr << "pixmill: configuration error: " << presets.error().message << "\n";
    return 2;
  }
  log::set_level(log::parse_level(config->log_level).value_or(log::Level::Info));
  if (!pipeline::init_vips(argv[0], pipeline::VipsSettings{config->vips_concurrency})) {
    std::cerr << "pixmill: libvips failed to start\n";
    return 1;
  }
  http::ServerOptions options;
  options.host = config->host;
  options.port = config->port;
  options.io_threads = config->io_threads;
  options.workers = config->workers;
  options.queue_max = config->queue_max;
  options.max_body_bytes = config->max_upload_mb << 20;
  options.header_timeout = std::chrono::milliseconds(config->header_timeout_ms);
  options.body_timeout = std::chrono::milliseconds(config->body_timeout_ms);
  options.request_timeout = std::chrono::milliseconds(config->request_timeout_ms);
  options.shutdown_grace = std::chrono::milliseconds(config->shutdown_grace_ms);
  options.max_connections = config->max_connections;
  options.fetch_workers = config->fetch_workers;
  options.on_worker_exit = [] { vips_thread_shutdown(); };
  options.on_draining = [grace_ms = config->shutdown_grace_ms](int in_flight) {
    log::lifecycle("draining", {{"in_flight", in_flight}, {"grace_ms", grace_ms}});
  };

  auto metrics = std::make_shared<metrics::Metrics>(PIXMILL_VERSION);
  auto policies = app::build_policy_chain(*config, metrics);
  if (!policies) {
    std::cerr << "pixmill: configuration error: " << policies.error().message << "\n";
    return 2;
  }
  const std::vector<std::string_view> options_policy_names = policies->names();
  options.policies = std::move(*policies);
  http::Server server(options, app::build_router(*config, metrics));
  metrics->set_server_stats([&server] { return server.stats(); });
  if (auto s = server.listen(); !s) {
    std::cerr << "pixmill: " << s.error().message << "\n";
    return 1;
  }
  server.install_signal_handlers();
  nlohmann::ordered_json chain = nlohmann::ordered_json::array();
  for (std::string_view step : options_policy_names) chain.push_back(step);
  log::lifecycle("listening", {{"host", config->host}, {"port", server.port()}, {"workers", config->workers}, {"logLevel", config->log_level},
                               {"policies", chain}});
  const bool clean = server.run();
  if (clean) {
    log::lifecycle("stopped");
  } else {
    log::lifecycle("stopped", {{"abandoned_work", true}});
  }
  // Workers still encoding past the grace period must not race static destructors.
  if (!clean) std::_Exit(0);
  return 0;
}

}  // namespace pixmill::cli
