#pragma once
// Prometheus metrics of the service (prometheus-cpp's registry and text format).
// Event counters are fed by observers (src/metrics/instrument.h); levels such as
// queue depth and process memory are sampled when /metrics is scraped.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "fetch/model_proxy.h"
#include "http/server.h"

namespace pixmill::metrics {

// The result cache and the URL grammars' source fetches (src/cache, src/grammars).
struct ResultCacheSample {
  uint64_t hits = 0, misses = 0, stores = 0, evictions = 0, coalesced_waits = 0;
  uint64_t memory_bytes = 0, memory_entries = 0, disk_bytes = 0, disk_entries = 0;
  uint64_t disk_write_failures = 0, disk_corrupt_entries = 0;
  uint64_t source_fetches = 0;
};

class Metrics {
 public:
  explicit Metrics(std::string version);

  // One answered request. `route` is the route's name ("native.process"), "-" if none.
  void request(std::string_view method, std::string_view route, int status, size_t bytes_in, size_t bytes_out, double seconds);
  // An admission decision: "allowed", or the refusal's code ("RATE_LIMIT_EXCEEDED").
  void admission(std::string_view decision);
  // A fetch stage (image URL or model): "ok" or the error code.
  void fetch(std::string_view kind, std::string_view outcome, double seconds);
  // Model inference time, for the background-removal model (src/ai). Thread-safe.
  void model_inference(std::string_view model, double seconds);
  // An observer to hand to code that runs a model, so it needs no metrics header.
  std::function<void(std::string_view model, double seconds)> inference_observer();

  // Sources sampled at scrape time; set once at start-up.
  void set_server_stats(std::function<http::Server::Stats()> source);
  void set_model_proxy_stats(std::function<fetch::ModelProxy::Stats()> source);
  void set_result_cache_stats(std::function<ResultCacheSample()> source);

  // The Prometheus text exposition (version 0.0.4).
  std::string scrape();

 private:
  void sample();
  void advance(prometheus::Counter& counter, double now_total);  // counters fed by totals

  std::shared_ptr<prometheus::Registry> registry_;
  std::mutex mutex_;  // scrape-time sampling and label lookups
  std::function<http::Server::Stats()> server_stats_;
  std::function<fetch::ModelProxy::Stats()> model_proxy_stats_;
  std::function<ResultCacheSample()> result_cache_stats_;

  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Counter>& bytes_in_;
  prometheus::Family<prometheus::Counter>& bytes_out_;
  prometheus::Family<prometheus::Counter>& admissions_;
  prometheus::Family<prometheus::Counter>& fetches_;
  prometheus::Family<prometheus::Histogram>& fetch_latency_;
  prometheus::Family<prometheus::Histogram>& inference_;
  prometheus::Gauge& queue_depth_;
  prometheus::Counter& queue_rejections_;
  prometheus::Counter& timeouts_;
  prometheus::Gauge& workers_;
  prometheus::Gauge& workers_busy_;
  prometheus::Gauge& worker_utilisation_;
  prometheus::Gauge& in_flight_;
  prometheus::Gauge& connections_;
  prometheus::Family<prometheus::Counter>& model_proxy_;
  prometheus::Family<prometheus::Counter>& result_cache_events_;
  prometheus::Family<prometheus::Gauge>& result_cache_bytes_;
  prometheus::Family<prometheus::Gauge>& result_cache_entries_;
  prometheus::Counter& source_fetches_;
  prometheus::Gauge& resident_bytes_;
  prometheus::Gauge& virtual_bytes_;
  prometheus::Counter& cpu_seconds_;
  prometheus::Gauge& open_fds_;
  prometheus::Gauge& start_time_;
};

// "native", "petiteimg", "feather" from a route name; "service" for the rest.
std::string_view dialect_of_route(std::string_view route);

}  // namespace pixmill::metrics
