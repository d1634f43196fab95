#include "app/config.h"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>

#include "core/text.h"

namespace pixmill::app {
namespace {

struct Binding {
  ConfigVar var;
  std::function<Status(Config&, const std::string&)> set;
};

Status int_into(const std::string& name, const std::string& text, long long min, long long max, long long& out) {
  long long v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max) {
    return make_error(ErrorCode::InvalidInput,
                      name + " must be a whole number between " + std::to_string(min) + " and " + std::to_string(max), name);
  }
  out = v;
  return ok_status();
}

template <typename T>
std::function<Status(Config&, const std::string&)> integer(std::string name, long long min, long long max, T Config::*field) {
  return [=](Config& c, const std::string& text) {
    long long v = 0;
    if (auto s = int_into(name, text, min, max, v); !s) return s;
    c.*field = static_cast<T>(v);
    return ok_status();
  };
}

template <typename T>
std::function<Status(Config&, const std::string&)> limit(std::string name, long long min, long long max, T recipe::Limits::*field) {
  return [=](Config& c, const std::string& text) {
    long long v = 0;
    if (auto s = int_into(name, text, min, max, v); !s) return s;
    c.limits.*field = static_cast<T>(v);
    return ok_status();
  };
}

std::function<Status(Config&, const std::string&)> flag(bool Config::*field) {
  return [=](Config& c, const std::string& value) {
    auto parsed = core::parse_bool(value);
    if (!parsed) return Status(make_error(ErrorCode::InvalidInput, "expected true or false, got " + value));
    c.*field = *parsed;
    return ok_status();
  };
}

std::function<Status(Config&, const std::string&)> text(std::string Config::*field) {
  return [=](Config& c, const std::string& value) {
    c.*field = value;
    return ok_status();
  };
}

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> table = {
      {{"HOST", "0.0.0.0", "Address to listen on"}, text(&Config::host)},
      {{"PORT", "3000", "TCP port to listen on"}, integer("PORT", 0, 65535, &Config::port)},
      {{"WORKERS", "cores", "Image worker threads"}, integer("WORKERS", 0, 256, &Config::workers)},
      {{"IO_THREADS", "2", "Network I/O threads"}, integer("IO_THREADS", 1, 64, &Config::io_threads)},
      {{"QUEUE_MAX", "64", "Requests waiting for a worker before 503"}, integer("QUEUE_MAX", 0, 100000, &Config::queue_max)},
      {{"MAX_UPLOAD_MB", "25", "Largest request body (413 above it)"}, integer("MAX_UPLOAD_MB", 1, 4096, &Config::max_upload_mb)},
      {{"MAX_PIXELS", "100000000", "Largest source image in pixels (all frames)"}, limit("MAX_PIXELS", 1, 10'000'000'000LL, &recipe::Limits::max_pixels)},
      {{"MAX_FRAMES", "1000", "Most animation frames"}, limit("MAX_FRAMES", 1, 100000, &recipe::Limits::max_frames)},
      {{"REQUEST_TIMEOUT_MS", "30000", "Time budget for one image's work (504 past it)"}, integer("REQUEST_TIMEOUT_MS", 100, 3'600'000, &Config::request_timeout_ms)},
      {{"HEADER_TIMEOUT_MS", "10000", "Time to receive request headers (slow clients)"}, integer("HEADER_TIMEOUT_MS", 100, 600'000, &Config::header_timeout_ms)},
      {{"BODY_TIMEOUT_MS", "60000", "Time to receive a request body"}, integer("BODY_TIMEOUT_MS", 100, 3'600'000, &Config::body_timeout_ms)},
      {{"SHUTDOWN_GRACE_MS", "10000", "How long SIGTERM waits for in-flight requests"}, integer("SHUTDOWN_GRACE_MS", 0, 600'000, &Config::shutdown_grace_ms)},
      {{"MAX_CONNECTIONS", "1024", "Open connections before new ones are refused"}, integer("MAX_CONNECTIONS", 1, 1'000'000, &Config::max_connections)},
      {{"RATE_LIMIT_PER_MINUTE", "60", "Requests per minute per client IP (0 disables)"}, integer("RATE_LIMIT_PER_MINUTE", 0, 10'000'000, &Config::rate_limit_per_minute)},
      {{"CORS_ORIGINS", "(none)", "Comma-separated allowed origins, or *"}, text(&Config::cors_origins)},
      {{"AI_RATE_LIMIT_PER_MINUTE", "10", "Background removals per minute per client IP when no keys are required (0 disables)"},
       integer("AI_RATE_LIMIT_PER_MINUTE", 0, 10'000'000, &Config::ai_rate_limit_per_minute)},
      {{"KEYS_FILE", "(none)", "JSON or TOML file of API keys (SHA-256 hashes) and plans; set: keys are required"}, text(&Config::keys_file)},
      {{"REDIS_URL", "(none)", "redis://[:password@]host:port[/db]: share rate-limit and quota counters across replicas"}, text(&Config::redis_url)},
      {{"REDIS_TIMEOUT_MS", "100", "Connect and command timeout for Redis"}, integer("REDIS_TIMEOUT_MS", 1, 10'000, &Config::redis_timeout_ms)},
      {{"RATE_LIMIT_FAIL_MODE", "open", "When Redis is unreachable: open (let requests through, log, count) or closed (503)"},
       [](Config& c, const std::string& v) {
         if (v != "open" && v != "closed") return Status(make_error(ErrorCode::InvalidInput, "RATE_LIMIT_FAIL_MODE must be open or closed", "RATE_LIMIT_FAIL_MODE"));
         c.rate_limit_fail_open = v == "open";
         return ok_status();
       }},
      {{"SIGNING_KEYS", "(none)", "Signed-URL keys: kid:secret[:plan], comma-separated (several for rotation)"}, text(&Config::signing_keys)},
      {{"TRUST_PROXY", "false", "Take the client address from X-Forwarded-For: true (loopback/private proxies) or a CIDR list"}, text(&Config::trust_proxy)},
      {{"SVG_TIMEOUT_MS", "5000", "Wall-clock limit for rasterising one SVG"}, limit("SVG_TIMEOUT_MS", 100, 600'000, &recipe::Limits::svg_timeout_ms)},
      {{"SVG_MAX_MEMORY_MB", "1024", "Address-space limit of the SVG rasteriser process"}, limit("SVG_MAX_MEMORY_MB", 64, 65536, &recipe::Limits::svg_max_memory_mb)},
      {{"VIPS_CONCURRENCY", "1", "libvips threads per image"}, integer("VIPS_CONCURRENCY", 1, 64, &Config::vips_concurrency)},
      {{"FAST_SHRINK_ON_LOAD", "true", "JPEG shrink-on-load as far as the target allows (sharp's default); false leaves 2x for the resize"},
       [](Config& c, const std::string& v) {
         auto parsed = core::parse_bool(v);
         if (!parsed) return Status(make_error(ErrorCode::InvalidInput, "FAST_SHRINK_ON_LOAD must be true or false"));
         c.limits.fast_shrink_on_load = *parsed;
         return ok_status();
       }},
      {{"FETCH_ENABLED", "true", "Accept image URLs (url= / url field)"}, flag(&Config::fetch_enabled)},
      {{"FETCH_ALLOW_PRIVATE", "false", "Let image URLs reach loopback/private/CGNAT/ULA addresses"}, flag(&Config::fetch_allow_private)},
      {{"FETCH_ALLOW_HTTP", "true", "Accept plain http:// image URLs (https is always accepted)"}, flag(&Config::fetch_allow_http)},
      {{"FETCH_ALLOW_HOSTS", "(any)", "Comma-separated host names (or .suffix) image URLs may use"}, text(&Config::fetch_allow_hosts)},
      {{"FETCH_DENY_HOSTS", "(none)", "Comma-separated host names (or .suffix) always refused"}, text(&Config::fetch_deny_hosts)},
      {{"FETCH_ALLOW_CIDRS", "(none)", "Address ranges allowed whatever the rules (e.g. 10.1.2.0/24)"}, text(&Config::fetch_allow_cidrs)},
      {{"FETCH_MAX_REDIRECTS", "3", "Redirects followed, each checked again"}, integer("FETCH_MAX_REDIRECTS", 0, 20, &Config::fetch_max_redirects)},
      {{"FETCH_TIMEOUT_MS", "10000", "Connect + transfer limit for one image URL"}, integer("FETCH_TIMEOUT_MS", 100, 600'000, &Config::fetch_timeout_ms)},
      {{"FETCH_MAX_MB", "25", "Largest image fetched from a URL (streamed limit)"}, integer("FETCH_MAX_MB", 1, 4096, &Config::fetch_max_mb)},
      {{"FETCH_WORKERS", "8", "Threads that wait on upstream servers"}, integer("FETCH_WORKERS", 1, 256, &Config::fetch_workers)},
      {{"CACHE_MAX_AGE", "86400", "Cache-Control max-age (s) of answers made from a URL"}, integer("CACHE_MAX_AGE", 0, 31'536'000, &Config::cache_max_age_s)},
      {{"MODEL_PATH", "models/isnet-medium-fp32.onnx", "The ONNX segmentation model for background removal and the default source of /api/model?variant=full (default: the installed one, in the working directory or beside the binary's folder)"}, text(&Config::model_path)},
      {{"MODEL_PRELOAD", "false", "Load the model at start-up instead of at the first background removal"}, flag(&Config::model_preload)},
      {{"MODEL_INPUT_SIZE", "1024", "Square input size of the model (ISNet and BiRefNet 1024, U2-Net 320, MODNet 512)"}, integer("MODEL_INPUT_SIZE", 32, 4096, &Config::model_input_size)},
      {{"MODEL_NORMALIZE", "isnet", "Pixel normalisation the model expects: isnet ((x-128)/256), imagenet (mean/std), symmetric ((x-127.5)/127.5)"},
       [](Config& c, const std::string& v) {
         if (v != "isnet" && v != "imagenet" && v != "symmetric") {
           return Status(make_error(ErrorCode::InvalidInput, "MODEL_NORMALIZE must be isnet, imagenet or symmetric", "MODEL_NORMALIZE"));
         }
         c.model_normalize = v;
         return ok_status();
       }},
      {{"AI_WORKERS", "1", "Background removals at once (each holds its own copy of the model, ~0.4 GB)"}, integer("AI_WORKERS", 1, 64, &Config::ai_workers)},
      {{"AI_QUEUE_MAX", "2", "Background removals waiting for an AI worker before 503 + Retry-After"}, integer("AI_QUEUE_MAX", 0, 10000, &Config::ai_queue_max)},
      {{"AI_THREADS", "0", "CPU threads for one inference (0: all cores)"}, integer("AI_THREADS", 0, 256, &Config::ai_threads)},
      {{"MODEL_FULL_URL", "(none)", "Upstream of /api/model?variant=full"}, text(&Config::model_full_url)},
      {{"MODEL_QUANTIZED_URL", "(none)", "Upstream of /api/model?variant=quantized"}, text(&Config::model_quantized_url)},
      {{"MODEL_CACHE_DIR", "(none)", "Where fetched models are kept across restarts"}, text(&Config::model_cache_dir)},
      {{"MODEL_FETCH_TIMEOUT_MS", "60000", "Limit for fetching a model upstream (502 past it)"}, integer("MODEL_FETCH_TIMEOUT_MS", 100, 3'600'000, &Config::model_fetch_timeout_ms)},
      {{"HUGGINGFACE_TOKEN", "(none)", "Sent as a Bearer token to the model upstream"}, text(&Config::huggingface_token)},
      {{"LOG_LEVEL", "info", "debug, info, warn or error, for every log line (warn and error drop the per-request access lines)"},
       [](Config& c, const std::string& v) {
         if (v != "debug" && v != "info" && v != "warn" && v != "error") {
           return Status(make_error(ErrorCode::InvalidInput, "LOG_LEVEL must be debug, info, warn or error", "LOG_LEVEL"));
         }
         c.log_level = v;
         return ok_status();
       }},
      {{"APP_ENV", "production", "Reported by /api/health"}, text(&Config::app_env)},
      // Watermarks (docs/compositing.md).
      {{"WATERMARKS_DIR", "(none)", "Folder of named watermarks: watermark=logo uses logo.png (or .webp, .svg, .jpg, .gif, .avif) from it"},
       text(&Config::watermarks_dir)},
      {{"WATERMARK_MAX_PIXELS", "25000000", "Largest watermark image in pixels"},
       limit("WATERMARK_MAX_PIXELS", 1, 1'000'000'000LL, &recipe::Limits::max_overlay_pixels)},
  };
  return table;
}

}  // namespace

const std::vector<ConfigVar>& config_vars() {
  static const std::vector<ConfigVar> vars = [] {
    std::vector<ConfigVar> v;
    for (const auto& b : bindings()) v.push_back(b.var);
    return v;
  }();
  return vars;
}

std::string default_model_path() {
  namespace fs = std::filesystem;
  const fs::path relative = "models/isnet-medium-fp32.onnx";
  std::error_code ec;
  if (fs::is_regular_file(relative, ec)) return relative.string();
  char exe[4096];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n > 0) {
    const fs::path beside = fs::path(std::string(exe, static_cast<size_t>(n))).parent_path().parent_path() / relative;
    if (fs::is_regular_file(beside, ec)) return beside.string();
  }
  return relative.string();  // not installed: MODEL_UNAVAILABLE names the set-up step
}

Result<Config> load_config_from_env() {
  Config config;
  for (const auto& b : bindings()) {
    const char* value = std::getenv(b.var.name.c_str());
    if (value == nullptr || *value == '\0') continue;
    if (auto s = b.set(config, value); !s) return s.error();
  }
  if (config.model_path.empty()) config.model_path = default_model_path();
  if (config.workers == 0) config.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return config;
}

}  // namespace pixmill::app
