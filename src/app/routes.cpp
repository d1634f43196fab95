#include "app/routes.h"

#include <iostream>

#include "ai/alpha_matting.h"
#include "app/model_choice.h"
#include "core/hex.h"
#include "core/text.h"
#include "dialects/dialect.h"
#include "grammars/grammar_routes.h"
#include "log/log.h"
#include "metrics/instrument.h"
#include "web/openapi.h"
#include "web/web_routes.h"

namespace pixmill::app {

dialects::UrlInput url_input_from(const Config& config) {
  dialects::UrlInput input;
  input.enabled = config.fetch_enabled;
  input.cache_max_age_s = config.cache_max_age_s;
  fetch::FetchOptions& f = input.fetch;
  f.policy.allow_private = config.fetch_allow_private;
  f.policy.allow_http = config.fetch_allow_http;
  f.policy.allow_hosts = core::split_comma_list(config.fetch_allow_hosts);
  f.policy.deny_hosts = core::split_comma_list(config.fetch_deny_hosts);
  for (const auto& cidr : core::split_comma_list(config.fetch_allow_cidrs)) {
    if (auto parsed = net::parse_cidr(cidr)) f.policy.allow_cidrs.push_back(*parsed);
  }
  f.max_redirects = config.fetch_max_redirects;
  f.timeout_ms = config.fetch_timeout_ms;
  f.max_bytes = config.fetch_max_mb << 20;
  f.user_agent = "pixmill/" PIXMILL_VERSION;
  return input;
}

namespace {

std::vector<std::pair<std::string, std::string>> imgproxy_keys(const Config& config) {
  std::vector<std::pair<std::string, std::string>> pairs;
  const auto keys = core::split_comma_list(config.imgproxy_key);
  const auto salts = core::split_comma_list(config.imgproxy_salt);
  // load_config_from_env() checked the hex and that the lists have the same length.
  for (size_t i = 0; i < keys.size() && i < salts.size(); ++i) {
    const auto key = core::hex_decode(keys[i]).value_or(std::vector<uint8_t>{});
    const auto salt = core::hex_decode(salts[i]).value_or(std::vector<uint8_t>{});
    pairs.emplace_back(std::string(key.begin(), key.end()), std::string(salt.begin(), salt.end()));
  }
  return pairs;
}

grammars::GrammarSettings grammar_settings_from(const Config& config, const dialects::UrlInput& url_input) {
  grammars::GrammarSettings g;
  g.imgproxy.keys = imgproxy_keys(config);
  g.imgproxy.signature_size = config.imgproxy_signature_size;
  // `pixmill serve` refused a broken IMGPROXY_PRESETS before building the routes.
  if (auto presets = grammars::parse_imgproxy_presets(config.imgproxy_presets)) g.imgproxy.presets = *presets;
  g.thumbor.key = config.imagor_secret.empty() ? config.thumbor_security_key : config.imagor_secret;
  g.thumbor.imagor = !config.imagor_secret.empty();
  g.thumbor.algorithm = config.imagor_signer_type == "sha256"   ? core::HmacAlgorithm::Sha256
                        : config.imagor_signer_type == "sha512" ? core::HmacAlgorithm::Sha512
                                                                : core::HmacAlgorithm::Sha1;
  g.thumbor.truncate = config.imagor_signer_truncate;
  g.sources = {config.source_base_url, config.source_dir};
  g.fetch = url_input.fetch;
  g.limits = config.limits;
  g.imgproxy_prefix = config.imgproxy_prefix;
  g.thumbor_prefix = config.thumbor_prefix;
  g.cloudflare_prefix = config.cloudflare_prefix;
  g.imgproxy_ttl_s = config.imgproxy_ttl_s;
  g.max_age_s = config.cache_max_age_s;
  g.imgproxy_auto_webp = config.imgproxy_auto_webp;
  g.imgproxy_auto_avif = config.imgproxy_auto_avif;
  g.imgproxy_auto_jxl = config.imgproxy_auto_jxl;
  g.thumbor_auto_webp = config.thumbor_auto_webp;
  g.thumbor_auto_avif = config.thumbor_auto_avif;
  g.client_hints = config.client_hints;
  g.watermarks_dir = config.watermarks_dir;  // imgproxy's default watermark, thumbor's watermark(name, …)
  g.watermark_max_bytes = config.max_upload_mb << 20;
  return g;
}

std::shared_ptr<grammars::GrammarService> make_grammar_service(const Config& config, const dialects::DialectContext& context,
                                                               metrics::Metrics& metrics) {
  cache::CacheSettings cache_settings;
  cache_settings.memory_bytes = config.result_cache_mb << 20;
  cache_settings.dir = config.result_cache_dir;
  cache_settings.disk_bytes = config.result_cache_disk_mb << 20;
  cache_settings.ttl_s = config.result_cache_ttl_s;
  auto cache = std::make_shared<cache::ResultCache>(cache_settings);
  auto service = std::make_shared<grammars::GrammarService>(grammar_settings_from(config, context.url_input), cache, context.segmenter);
  for (const std::string& warning : service->warnings()) log::write(log::Level::Warn, "grammars.unsigned", {{"detail", warning}});
  metrics.set_result_cache_stats([cache, service] {
    const cache::CacheStats c = cache->stats();
    metrics::ResultCacheSample s;
    s.hits = c.hits;
    s.misses = c.misses;
    s.stores = c.stores;
    s.evictions = c.evictions;
    s.coalesced_waits = c.coalesced_waits;
    s.memory_bytes = c.memory_bytes;
    s.memory_entries = c.memory_entries;
    s.disk_bytes = c.disk_bytes;
    s.disk_entries = c.disk_entries;
    s.disk_write_failures = c.disk_write_failures;
    s.disk_corrupt_entries = c.disk_corrupt_entries;
    s.source_fetches = service->stats().source_fetches;
    return s;
  });
  return service;
}

}  // namespace

std::shared_ptr<ai::Segmenter> make_segmenter(const Config& config, std::function<void(double)> on_inference) {
  const ModelChoice choice = choose_model(config);
  ai::SegmenterOptions options;
  options.model = choice.spec;
  options.workers = config.ai_workers;
  options.queue_max = config.ai_queue_max;
  options.on_inference = std::move(on_inference);
  options.faces.path = config.face_model_path;
  options.faces.threads = config.ai_threads;
  options.faces.min_score = config.face_min_score / 100.0;
  options.face_limits.max_side = config.face_max_side;
  options.refine_edges = [](const ai::RgbImage& image, std::vector<uint8_t> alpha) {
    return ai::refine_alpha(image, std::move(alpha));
  };
  // The one place a backend is chosen (app/model_choice.cpp).
  auto segmenter = std::make_shared<ai::Segmenter>(options, backend_factory(choice.runtime), face_backend_factory());
  if (config.model_preload) {
    if (auto loaded = segmenter->preload(); !loaded) {
      // Not fatal: the rest of the service works, and remove-bg answers 503 naming the fix.
      std::cerr << "pixmill: MODEL_PRELOAD: " << loaded.error().message << "\n";
    }
  }
  return segmenter;
}

http::Router build_router(const Config& config, std::shared_ptr<metrics::Metrics> metrics) {
  http::Router router;
  dialects::DialectContext context;
  context.limits = config.limits;
  context.max_upload_bytes = config.max_upload_mb << 20;
  context.env = config.app_env;
  context.version = PIXMILL_VERSION;
  context.url_input = url_input_from(config);
  context.watermarks_dir = config.watermarks_dir;
  fetch::ModelProxyConfig model;
  model.full_url = config.model_full_url;
  model.quantized_url = config.model_quantized_url;
  model.cache_dir = config.model_cache_dir;
  model.local_full_path = config.model_path;
  model.token = config.huggingface_token;
  model.timeout_ms = config.model_fetch_timeout_ms;
  model.fetch = context.url_input.fetch;
  model.fetch.max_bytes = uint64_t{1} << 30;  // models are far larger than images
  context.model_proxy = std::make_shared<fetch::ModelProxy>(model);
  if (!metrics) metrics = std::make_shared<metrics::Metrics>(PIXMILL_VERSION);
  context.segmenter = make_segmenter(config, [observe = metrics->inference_observer(), model_label = choose_model(config).name](double seconds) {
    observe(model_label, seconds);
  });

  // Every route, in match order: the first route whose method and path match answers.
  auto grammar_service = make_grammar_service(config, context, *metrics);
  metrics->set_model_proxy_stats([proxy = context.model_proxy] { return proxy->stats(); });
  auto openapi_json = std::make_shared<std::string>();
  // Liveness for orchestrators: answered on the I/O thread, never waits for a worker.
  router.add(http::RouteSpec{.method = "GET", .pattern = "/healthz", .name = "healthz", .access = http::AccessClass::Public,
                             .inline_handler = [](const http::Request&) { return http::json_response(200, R"({"status":"ok"})"); }});
  router.add(dialects::native_routes(context));  // /api/v1/* (before /api/*: longer prefix)
  router.add(dialects::petiteimg_routes(context));
  router.add(dialects::feather_routes(context));
  // The peers' URL grammars (/ip/, /thumbor/, /cdn-cgi/image/ by default).
  for (auto& group : grammars::grammar_routes(grammar_service, false)) router.add(std::move(group));
  // The service's own pages and monitoring (public).
  router.add(metrics::metrics_route(metrics));
  for (auto& route : web::web_routes(openapi_json)) router.add(std::move(route));
  // A grammar mounted at "/" comes last: it would shadow everything after it.
  for (auto& group : grammars::grammar_routes(grammar_service, true)) router.add(std::move(group));
  // The OpenAPI document describes the finished table, itself included.
  *openapi_json = web::openapi_document(router, PIXMILL_VERSION).dump();
  return router;
}

}  // namespace pixmill::app
