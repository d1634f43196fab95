#pragma once
// Configuration: one table of environment variables (name, default, doc), loaded
// and validated at start-up; a bad value stops start-up naming the variable.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "recipe/recipe.h"

namespace pixmill::app {

struct Config {
  std::string host = "0.0.0.0";
  int port = 3000;
  int workers = 0;                 // 0 = number of cores
  int io_threads = 2;
  int queue_max = 64;
  uint64_t max_upload_mb = 25;
  int request_timeout_ms = 30000;
  int header_timeout_ms = 10000;
  int body_timeout_ms = 60000;
  int shutdown_grace_ms = 10000;
  int max_connections = 1024;
  int rate_limit_per_minute = 60;
  std::string cors_origins;        // empty: no CORS headers
  // Access control (src/policy): keys, plans, shared counters, signed URLs, proxies.
  int ai_rate_limit_per_minute = 10;
  std::string keys_file;           // empty: open, limits per client address
  std::string redis_url;           // empty: counters in process memory
  int redis_timeout_ms = 100;
  bool rate_limit_fail_open = true;
  std::string signing_keys;        // kid:secret[:plan],…
  std::string trust_proxy;         // false | true | CIDR list
  std::string log_level = "info";
  std::string app_env = "production";
  int vips_concurrency = 1;
  // Image URLs (src/fetch): the address policy and limits of the fetcher.
  bool fetch_enabled = true;
  bool fetch_allow_private = false;
  bool fetch_allow_http = true;
  std::string fetch_allow_hosts;  // comma-separated
  std::string fetch_deny_hosts;
  std::string fetch_allow_cidrs;
  int fetch_max_redirects = 3;
  int fetch_timeout_ms = 10000;
  uint64_t fetch_max_mb = 25;
  int fetch_workers = 8;
  int cache_max_age_s = 86400;
  // Feather's /api/model proxy.
  std::string model_full_url;
  std::string model_quantized_url;
  std::string model_cache_dir;
  std::string model_path;          // resolved at load: see default_model_path()
  // Background removal (src/ai).
  int ai_workers = 1;
  int ai_queue_max = 2;
  int ai_threads = 0;              // 0 = OpenCV's default (all cores)
  bool model_preload = false;
  int model_input_size = 1024;
  std::string model_normalize = "isnet";
  std::string huggingface_token;
  int model_fetch_timeout_ms = 60000;
  std::string watermarks_dir;      // empty: named watermarks are off
  recipe::Limits limits;
};

struct ConfigVar {
  std::string name;
  std::string default_text;
  std::string doc;
};

// Every variable, for the README table and `pixmill config`.
const std::vector<ConfigVar>& config_vars();

// The installed model (scripts/install-model.sh) when MODEL_PATH is not set:
// models/isnet-medium-fp32.onnx in the working directory, else beside the folder of
// the binary (build/pixmill finds the repository's models/).
std::string default_model_path();

// Reads the environment; errors name the variable and the allowed range.
Result<Config> load_config_from_env();

}  // namespace pixmill::app
