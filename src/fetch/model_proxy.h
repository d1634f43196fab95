#pragma once
// Feather's /api/model: the background-removal model for in-browser use, served from
// memory when warm, else from MODEL_CACHE_DIR, else fetched from its upstream URL
// through the same SSRF-safe fetcher and persisted. One fetch per variant at a time.

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/result.h"
#include "fetch/fetcher.h"

namespace pixmill::fetch {

struct ModelProxyConfig {
  std::string full_url;       // MODEL_FULL_URL
  std::string quantized_url;  // MODEL_QUANTIZED_URL
  std::string cache_dir;      // MODEL_CACHE_DIR; empty: memory only
  std::string token;          // HUGGINGFACE_TOKEN, sent as a Bearer header upstream
  std::string local_full_path;  // a locally installed model (MODEL_PATH): the default source of "full"
  int timeout_ms = 60000;     // MODEL_FETCH_TIMEOUT_MS
  FetchOptions fetch;         // policy and limits (max_bytes raised for models)
};

class ModelProxy {
 public:
  explicit ModelProxy(ModelProxyConfig config) : config_(std::move(config)) {}

  // variant: "full" or "quantized". InvalidInput for anything else; ModelFetchFailed
  // when there is no source or the upstream fails; the error never carries upstream text.
  Result<std::shared_ptr<const std::string>> get(const std::string& variant);

  struct Stats {
    int memory_hits = 0, disk_hits = 0, upstream_fetches = 0;
  };
  Stats stats() const;

 private:
  Result<std::shared_ptr<const std::string>> load(const std::string& variant);

  ModelProxyConfig config_;
  mutable std::mutex mutex_;  // guards the cache and serialises cold loads
  std::map<std::string, std::shared_ptr<const std::string>> memory_;
  Stats stats_;
};

}  // namespace pixmill::fetch
