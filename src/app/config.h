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
  int model_input_size = 0;        // 0 = the model's own (MODEL's catalog entry; 1024 for MODEL_PATH)
  std::string model_normalize = "isnet";
  // Model choice (src/ai/model_catalog.h): a name, or an explicit MODEL_PATH file run by AI_BACKEND.
  std::string model_name = "isnet";
  std::string ai_backend = "auto";  // auto (the model's runtime) | onnxruntime | opencv
  bool model_path_set = false;      // MODEL_PATH was given: it is the segmentation model, unless MODEL is too
  bool model_name_set = false;      // MODEL was given: it names the model, whose file is looked up beside MODEL_PATH
  // Face detection (gravity=face, redactFaces), on the AI workers.
  std::string face_model_path;      // empty: the installed models/blazeface-back-256.onnx
  int face_min_score = 60;          // percent
  int face_max_side = 2048;         // images are shrunk to this before the search
  std::string huggingface_token;
  int model_fetch_timeout_ms = 60000;
  // The peers' URL grammars (src/grammars): where each is mounted ("/" = the root, "off"),
  // their secrets under the peers' own names, and where relative sources come from.
  std::string imgproxy_prefix = "/ip";
  std::string thumbor_prefix = "/thumbor";
  std::string cloudflare_prefix = "/cdn-cgi/image";
  std::string imgproxy_key;             // hex, comma-separated for rotation (IMGPROXY_KEY)
  std::string imgproxy_salt;            // hex, one per key (IMGPROXY_SALT)
  int imgproxy_signature_size = 32;     // bytes of the signature compared (IMGPROXY_SIGNATURE_SIZE)
  std::string imgproxy_presets;         // name=options,… (IMGPROXY_PRESETS)
  int imgproxy_ttl_s = 31'536'000;      // Cache-Control max-age of imgproxy answers (IMGPROXY_TTL)
  bool imgproxy_auto_webp = false;      // IMGPROXY_AUTO_WEBP: WebP when Accept allows and no format is given
  bool imgproxy_auto_avif = false;      // IMGPROXY_AUTO_AVIF
  bool imgproxy_auto_jxl = false;       // IMGPROXY_AUTO_JXL: JPEG XL first, when Accept lists image/jxl
  std::string thumbor_security_key;     // THUMBOR_SECURITY_KEY (thumbor's SECURITY_KEY)
  std::string imagor_secret;            // IMAGOR_SECRET
  std::string imagor_signer_type = "sha1";  // sha1, sha256, sha512 (IMAGOR_SIGNER_TYPE)
  int imagor_signer_truncate = 0;       // characters of the signature kept, 0 = all (IMAGOR_SIGNER_TRUNCATE)
  bool thumbor_auto_webp = false;       // AUTO_WEBP of thumbor, IMAGOR_AUTO_WEBP
  bool thumbor_auto_avif = false;       // IMAGOR_AUTO_AVIF
  bool client_hints = false;            // use Sec-CH-DPR / Sec-CH-Width, answer Accept-CH
  std::string source_base_url;          // prefix for relative sources
  std::string source_dir;               // a local folder for relative sources (no escape)
  // The result cache (src/cache).
  uint64_t result_cache_mb = 128;       // memory tier, 0 = off
  std::string result_cache_dir;         // disk tier folder, empty = off
  uint64_t result_cache_disk_mb = 1024;
  int result_cache_ttl_s = 86400;
  std::string watermarks_dir;      // empty: named watermarks are off
  recipe::Limits limits;
};

struct ConfigVar {
  std::string name;
  std::string default_text;
  std::string doc;
};

// Every variable, for the table in docs/configuration.md and `pixmill config`.
const std::vector<ConfigVar>& config_vars();

// The installed model (scripts/install-model.sh) when MODEL_PATH is not set:
// models/isnet-medium-fp32.onnx in the working directory, else beside the folder of
// the binary (build/pixmill finds the repository's models/).
std::string default_model_path();
// The same lookup for any file that scripts/install-model.sh writes into models/.
std::string installed_model_path(const std::string& file);

// Reads the environment; errors name the variable and the allowed range.
Result<Config> load_config_from_env();

}  // namespace pixmill::app
