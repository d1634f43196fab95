#include "metrics/metrics.h"

#include <prometheus/text_serializer.h>

#include "metrics/process_stats.h"

namespace pixmill::metrics {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Histogram;

// Request latency: from a health check (sub-millisecond) to a large AVIF encode.
const Histogram::BucketBoundaries kLatencyBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

}  // namespace

std::string_view dialect_of_route(std::string_view route) {
  for (std::string_view dialect : {"native", "petiteimg", "feather", "imgproxy", "thumbor", "cloudflare"}) {
    if (route.size() > dialect.size() && route.substr(0, dialect.size()) == dialect && route[dialect.size()] == '.') return dialect;
  }
  return "service";
}

Metrics::Metrics(std::string version)
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(BuildCounter().Name("pixmill_http_requests_total").Help("HTTP requests answered, by route, dialect, method and status").Register(*registry_)),
      latency_(BuildHistogram().Name("pixmill_http_request_duration_seconds").Help("Time from the request's first header to the response written, by route").Register(*registry_)),
      bytes_in_(BuildCounter().Name("pixmill_http_request_bytes_total").Help("Request body bytes received, by dialect").Register(*registry_)),
      bytes_out_(BuildCounter().Name("pixmill_http_response_bytes_total").Help("Response body bytes sent, by dialect").Register(*registry_)),
      admissions_(BuildCounter().Name("pixmill_admission_decisions_total").Help("Admission decisions on image routes (rate limits): allowed, or the refusal's code").Register(*registry_)),
      fetches_(BuildCounter().Name("pixmill_fetch_total").Help("Upstream fetches (image URLs, models) by outcome: ok or the error code").Register(*registry_)),
      fetch_latency_(BuildHistogram().Name("pixmill_fetch_duration_seconds").Help("Upstream fetch time, by kind").Register(*registry_)),
      inference_(BuildHistogram().Name("pixmill_model_inference_seconds").Help("Model inference time, by model").Register(*registry_)),
      queue_depth_(BuildGauge().Name("pixmill_queue_depth").Help("Requests waiting for an image worker").Register(*registry_).Add({})),
      queue_rejections_(BuildCounter().Name("pixmill_queue_rejections_total").Help("Requests refused with 503 because the work queue was full").Register(*registry_).Add({})),
      timeouts_(BuildCounter().Name("pixmill_request_timeouts_total").Help("Requests answered 504 past REQUEST_TIMEOUT_MS").Register(*registry_).Add({})),
      workers_(BuildGauge().Name("pixmill_workers").Help("Image worker threads").Register(*registry_).Add({})),
      workers_busy_(BuildGauge().Name("pixmill_workers_busy").Help("Image workers running a job now").Register(*registry_).Add({})),
      worker_utilisation_(BuildGauge().Name("pixmill_worker_utilization_ratio").Help("Busy image workers / image workers, now").Register(*registry_).Add({})),
      in_flight_(BuildGauge().Name("pixmill_http_requests_in_flight").Help("Requests received and not yet answered").Register(*registry_).Add({})),
      connections_(BuildGauge().Name("pixmill_http_connections").Help("Open client connections").Register(*registry_).Add({})),
      model_proxy_(BuildCounter().Name("pixmill_model_proxy_loads_total").Help("Where /api/model answers came from: memory, disk or upstream").Register(*registry_)),
      result_cache_events_(BuildCounter().Name("pixmill_result_cache_events_total").Help("Result cache events: hit, miss, store, eviction, coalesced_wait, disk_write_failure, disk_corrupt_entry").Register(*registry_)),
      result_cache_bytes_(BuildGauge().Name("pixmill_result_cache_bytes").Help("Bytes held by the result cache, by tier (memory, disk)").Register(*registry_)),
      result_cache_entries_(BuildGauge().Name("pixmill_result_cache_entries").Help("Entries in the result cache, by tier (memory, disk)").Register(*registry_)),
      source_fetches_(BuildCounter().Name("pixmill_grammar_source_fetches_total").Help("Sources fetched or read for URL-grammar requests (cache hits and coalesced waits fetch nothing)").Register(*registry_).Add({})),
      resident_bytes_(BuildGauge().Name("process_resident_memory_bytes").Help("Resident memory size in bytes").Register(*registry_).Add({})),
      virtual_bytes_(BuildGauge().Name("process_virtual_memory_bytes").Help("Virtual memory size in bytes").Register(*registry_).Add({})),
      cpu_seconds_(BuildCounter().Name("process_cpu_seconds_total").Help("User and system CPU time spent in seconds").Register(*registry_).Add({})),
      open_fds_(BuildGauge().Name("process_open_fds").Help("Open file descriptors").Register(*registry_).Add({})),
      start_time_(BuildGauge().Name("process_start_time_seconds").Help("Start time of the process since the epoch in seconds").Register(*registry_).Add({})) {
  BuildGauge().Name("pixmill_build_info").Help("Always 1; the version is a label").Register(*registry_).Add({{"version", std::move(version)}}).Set(1);
}

void Metrics::request(std::string_view method, std::string_view route, int status, size_t bytes_in, size_t bytes_out, double seconds) {
  const std::string route_label = route == "-" ? "unmatched" : std::string(route);
  const std::string dialect(dialect_of_route(route));
  // Unknown methods would make unbounded label values: fold them.
  std::string method_label(method);
  if (method_label != "GET" && method_label != "POST" && method_label != "HEAD" && method_label != "OPTIONS") method_label = "other";
  requests_.Add({{"route", route_label}, {"dialect", dialect}, {"method", method_label}, {"status", std::to_string(status)}}).Increment();
  latency_.Add({{"route", route_label}, {"dialect", dialect}}, kLatencyBuckets).Observe(seconds);
  bytes_in_.Add({{"dialect", dialect}}).Increment(static_cast<double>(bytes_in));
  bytes_out_.Add({{"dialect", dialect}}).Increment(static_cast<double>(bytes_out));
}

void Metrics::admission(std::string_view decision) { admissions_.Add({{"decision", std::string(decision)}}).Increment(); }

void Metrics::fetch(std::string_view kind, std::string_view outcome, double seconds) {
  fetches_.Add({{"kind", std::string(kind)}, {"outcome", std::string(outcome)}}).Increment();
  fetch_latency_.Add({{"kind", std::string(kind)}}, kLatencyBuckets).Observe(seconds);
}

void Metrics::model_inference(std::string_view model, double seconds) {
  inference_.Add({{"model", std::string(model)}}, kLatencyBuckets).Observe(seconds);
}

std::function<void(std::string_view, double)> Metrics::inference_observer() {
  return [this](std::string_view model, double seconds) { model_inference(model, seconds); };
}

void Metrics::set_server_stats(std::function<http::Server::Stats()> source) {
  std::lock_guard lock(mutex_);
  server_stats_ = std::move(source);
}

void Metrics::set_model_proxy_stats(std::function<fetch::ModelProxy::Stats()> source) {
  std::lock_guard lock(mutex_);
  model_proxy_stats_ = std::move(source);
}

void Metrics::set_result_cache_stats(std::function<ResultCacheSample()> source) {
  std::lock_guard lock(mutex_);
  result_cache_stats_ = std::move(source);
}

void Metrics::advance(prometheus::Counter& counter, double now_total) {
  const double delta = now_total - counter.Value();
  if (delta > 0) counter.Increment(delta);
}

void Metrics::sample() {
  if (server_stats_) {
    const http::Server::Stats s = server_stats_();
    queue_depth_.Set(s.queued);
    workers_.Set(s.workers);
    workers_busy_.Set(s.busy_workers);
    worker_utilisation_.Set(s.workers > 0 ? static_cast<double>(s.busy_workers) / s.workers : 0.0);
    in_flight_.Set(s.in_flight);
    connections_.Set(s.connections);
    advance(queue_rejections_, static_cast<double>(s.rejected_busy));
    advance(timeouts_, static_cast<double>(s.timed_out));
  }
  if (model_proxy_stats_) {
    const fetch::ModelProxy::Stats m = model_proxy_stats_();
    advance(model_proxy_.Add({{"source", "memory"}}), m.memory_hits);
    advance(model_proxy_.Add({{"source", "disk"}}), m.disk_hits);
    advance(model_proxy_.Add({{"source", "upstream"}}), m.upstream_fetches);
  }
  if (result_cache_stats_) {
    const ResultCacheSample c = result_cache_stats_();
    const std::pair<const char*, uint64_t> events[] = {{"hit", c.hits}, {"miss", c.misses}, {"store", c.stores}, {"eviction", c.evictions},
                                                       {"coalesced_wait", c.coalesced_waits}, {"disk_write_failure", c.disk_write_failures},
                                                       {"disk_corrupt_entry", c.disk_corrupt_entries}};
    for (const auto& [event, total] : events) advance(result_cache_events_.Add({{"event", event}}), static_cast<double>(total));
    result_cache_bytes_.Add({{"tier", "memory"}}).Set(static_cast<double>(c.memory_bytes));
    result_cache_bytes_.Add({{"tier", "disk"}}).Set(static_cast<double>(c.disk_bytes));
    result_cache_entries_.Add({{"tier", "memory"}}).Set(static_cast<double>(c.memory_entries));
    result_cache_entries_.Add({{"tier", "disk"}}).Set(static_cast<double>(c.disk_entries));
    advance(source_fetches_, static_cast<double>(c.source_fetches));
  }
  const ProcessStats p = read_process_stats();
  resident_bytes_.Set(static_cast<double>(p.resident_bytes));
  virtual_bytes_.Set(static_cast<double>(p.virtual_bytes));
  advance(cpu_seconds_, p.cpu_seconds);
  open_fds_.Set(p.open_fds);
  start_time_.Set(p.start_time_s);
}

std::string Metrics::scrape() {
  std::lock_guard lock(mutex_);
  sample();
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace pixmill::metrics
