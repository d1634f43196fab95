#include "app/config.h"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>

#include "ai/model_catalog.h"
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

// A mount point: "/prefix" (no trailing slash kept), "/" for the root, or "off".
std::function<Status(Config&, const std::string&)> mount(std::string name, std::string Config::*field) {
  return [=](Config& c, const std::string& value) {
    if (value == "off" || value == "/") {
      c.*field = value;
      return ok_status();
    }
    std::string v = value;
    while (v.size() > 1 && v.back() == '/') v.pop_back();
    if (v.empty() || v.front() != '/' || v.find_first_of("*?#% ") != std::string::npos) {
      return Status(make_error(ErrorCode::InvalidInput, name + " must be a path such as /ip, / (the root) or off", name));
    }
    c.*field = v;
    return ok_status();
  };
}

// Comma-separated hex strings (the peers' keys and salts), checked at start-up.
std::function<Status(Config&, const std::string&)> hex_list(std::string name, std::string Config::*field) {
  return [=](Config& c, const std::string& value) {
    for (const std::string& item : core::split_comma_list(value)) {
      if (item.size() % 2 != 0 || item.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
        return Status(make_error(ErrorCode::InvalidInput, name + " must be hex-encoded (comma-separated for several)", name));
      }
    }
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
      {{"MODEL_PATH", "models/isnet-medium-fp32.onnx", "The default source of /api/model?variant=full; when set, also the segmentation model (run by AI_BACKEND), unless MODEL is set too: then MODEL's file is looked up in this file's folder (default: the installed one, in the working directory or beside the binary's folder)"}, text(&Config::model_path)},
      {{"MODEL_PRELOAD", "false", "Load the model at start-up instead of at the first background removal"}, flag(&Config::model_preload)},
      {{"MODEL_INPUT_SIZE", "(the model's)", "Square input size the image is stretched to (isnet 768, isnet-1024 1024; for a MODEL_PATH file 1024; a model with a fixed size always gets its own)"}, integer("MODEL_INPUT_SIZE", 32, 4096, &Config::model_input_size)},
      {{"MODEL", "isnet", "Background-removal model by name: isnet (ONNX Runtime, 768), isnet-1024, isnet-opencv (OpenCV DNN, 1024), u2netp (Apache-2.0, 320); see docs/ai.md"},
       [](Config& c, const std::string& v) {
         if (!ai::find_model(v)) return Status(make_error(ErrorCode::InvalidInput, "MODEL must be one of the names in docs/ai.md (isnet, isnet-1024, isnet-opencv, u2netp)", "MODEL"));
         c.model_name = v;
         c.model_name_set = true;
         return ok_status();
       }},
      {{"FACE_MODEL_PATH", "models/blazeface-back-256.onnx", "The face detector (MediaPipe BlazeFace 256, ONNX) for gravity=face and redactFaces (default: the installed one)"}, text(&Config::face_model_path)},
      {{"FACE_MIN_SCORE", "60", "Face detections below this confidence (percent) are ignored"}, integer("FACE_MIN_SCORE", 1, 99, &Config::face_min_score)},
      {{"FACE_MAX_SIDE", "2048", "Images are shrunk to this longest side before the face search (bounds its time)"}, integer("FACE_MAX_SIDE", 256, 8192, &Config::face_max_side)},
      {{"AI_BACKEND", "auto", "Runtime for the segmentation model: auto (the model's), onnxruntime or opencv"},
       [](Config& c, const std::string& v) {
         if (v != "auto" && v != "onnxruntime" && v != "opencv") {
           return Status(make_error(ErrorCode::InvalidInput, "AI_BACKEND must be auto, onnxruntime or opencv", "AI_BACKEND"));
         }
         c.ai_backend = v;
         return ok_status();
       }},
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
      {{"IMGPROXY_PATH_PREFIX", "/ip", "Where imgproxy URLs are served: a prefix, / for the root (one grammar at most), or off"},
       mount("IMGPROXY_PATH_PREFIX", &Config::imgproxy_prefix)},
      {{"THUMBOR_PATH_PREFIX", "/thumbor", "Where thumbor/imagor URLs are served: a prefix, / for the root, or off"}, mount("THUMBOR_PATH_PREFIX", &Config::thumbor_prefix)},
      {{"CLOUDFLARE_PATH_PREFIX", "/cdn-cgi/image", "Where Cloudflare Images URLs are served: a prefix, / for the root, or off"},
       mount("CLOUDFLARE_PATH_PREFIX", &Config::cloudflare_prefix)},
      {{"IMGPROXY_KEY", "(none)", "imgproxy signing keys, hex, comma-separated for rotation (unset: unsigned imgproxy URLs, with a warning)"},
       hex_list("IMGPROXY_KEY", &Config::imgproxy_key)},
      {{"IMGPROXY_SALT", "(none)", "imgproxy salts, hex, one per key"}, hex_list("IMGPROXY_SALT", &Config::imgproxy_salt)},
      {{"IMGPROXY_SIGNATURE_SIZE", "32", "Bytes of the imgproxy signature that are compared (truncated signatures)"},
       integer("IMGPROXY_SIGNATURE_SIZE", 1, 32, &Config::imgproxy_signature_size)},
      {{"IMGPROXY_PRESETS", "(none)", "imgproxy presets: name=option/option,…; a preset named default applies to every URL"}, text(&Config::imgproxy_presets)},
      {{"IMGPROXY_TTL", "31536000", "Cache-Control max-age of imgproxy answers (an expires option shortens it)"},
       integer("IMGPROXY_TTL", 0, 1'000'000'000, &Config::imgproxy_ttl_s)},
      {{"IMGPROXY_AUTO_WEBP", "false", "imgproxy URLs without a format answer WebP to clients that accept it (Vary: Accept)"}, flag(&Config::imgproxy_auto_webp)},
      {{"IMGPROXY_AUTO_AVIF", "false", "imgproxy URLs without a format answer AVIF to clients that accept it (Vary: Accept)"}, flag(&Config::imgproxy_auto_avif)},
      {{"IMGPROXY_AUTO_JXL", "false", "imgproxy URLs without a format answer JPEG XL to clients whose Accept lists image/jxl (not for animations, nor over JXL_MAX_PIXELS)"}, flag(&Config::imgproxy_auto_jxl)},
      {{"THUMBOR_SECURITY_KEY", "(none)", "thumbor's SECURITY_KEY: HMAC-SHA1 signed thumbor URLs (unset, with IMAGOR_SECRET unset: unsafe/ URLs, with a warning)"},
       text(&Config::thumbor_security_key)},
      {{"IMAGOR_SECRET", "(none)", "imagor's signing secret (errors then answer in imagor's JSON shape)"}, text(&Config::imagor_secret)},
      {{"IMAGOR_SIGNER_TYPE", "sha1", "imagor signature hash: sha1, sha256 or sha512"},
       [](Config& c, const std::string& v) {
         if (v != "sha1" && v != "sha256" && v != "sha512") {
           return Status(make_error(ErrorCode::InvalidInput, "IMAGOR_SIGNER_TYPE must be sha1, sha256 or sha512", "IMAGOR_SIGNER_TYPE"));
         }
         c.imagor_signer_type = v;
         return ok_status();
       }},
      {{"IMAGOR_SIGNER_TRUNCATE", "0", "Characters of the imagor signature kept (0: all)"}, integer("IMAGOR_SIGNER_TRUNCATE", 0, 1000, &Config::imagor_signer_truncate)},
      {{"AUTO_WEBP", "false", "thumbor/imagor URLs without format() answer WebP to clients that accept it (alias IMAGOR_AUTO_WEBP)"}, flag(&Config::thumbor_auto_webp)},
      {{"IMAGOR_AUTO_WEBP", "false", "Alias of AUTO_WEBP"}, flag(&Config::thumbor_auto_webp)},
      {{"IMAGOR_AUTO_AVIF", "false", "thumbor/imagor URLs without format() answer AVIF to clients that accept it"}, flag(&Config::thumbor_auto_avif)},
      {{"CLIENT_HINTS", "false", "URL grammars use Sec-CH-DPR / Sec-CH-Width (and DPR / Width) and answer Accept-CH (alias IMGPROXY_ENABLE_CLIENT_HINTS)"},
       flag(&Config::client_hints)},
      {{"IMGPROXY_ENABLE_CLIENT_HINTS", "false", "Alias of CLIENT_HINTS"}, flag(&Config::client_hints)},
      {{"SOURCE_BASE_URL", "(none)", "Prefix for relative sources of the URL grammars (imgproxy's base URL, Cloudflare's same-zone paths)"},
       text(&Config::source_base_url)},
      {{"SOURCE_DIR", "(none)", "A local folder for relative sources (and imgproxy local:///): paths may not leave it"}, text(&Config::source_dir)},
      {{"RESULT_CACHE_MB", "128", "Memory for cached URL-grammar results (LRU by bytes); 0 turns the cache off"},
       integer("RESULT_CACHE_MB", 0, 1'048'576, &Config::result_cache_mb)},
      {{"RESULT_CACHE_DIR", "(none)", "A folder for a disk tier of the result cache (crash-safe entries)"}, text(&Config::result_cache_dir)},
      {{"RESULT_CACHE_DISK_MB", "1024", "Size of the disk tier"}, integer("RESULT_CACHE_DISK_MB", 1, 100'000'000, &Config::result_cache_disk_mb)},
      {{"RESULT_CACHE_TTL", "86400", "Seconds a cached result is served before the source is fetched again"},
       integer("RESULT_CACHE_TTL", 1, 1'000'000'000, &Config::result_cache_ttl_s)},
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
      // libjxl 0.7 encodes a whole frame in memory (docs/input-formats.md).
      {{"JXL_MAX_PIXELS", "16000000", "Largest JPEG XL output in pixels (libjxl 0.7 encodes the whole frame in memory)"},
       limit("JXL_MAX_PIXELS", 1, 1'000'000'000LL, &recipe::Limits::max_jxl_pixels)},
      // libaom keeps up to 19 frames of an animation in memory (docs/input-formats.md).
      {{"AVIF_ANIMATION_MAX_PIXELS", "16000000", "Largest animated AVIF output: frame pixels x min(frames, 19), the encoder's lookahead (about 30 bytes a pixel)"},
       limit("AVIF_ANIMATION_MAX_PIXELS", 1, 1'000'000'000LL, &recipe::Limits::max_avif_animation_pixels)},
  };
  return table;
}

// Settings that only make sense together: one root mount at most, a salt per key.
Status check_grammar_settings(const Config& c) {
  const int roots = (c.imgproxy_prefix == "/") + (c.thumbor_prefix == "/") + (c.cloudflare_prefix == "/");
  if (roots > 1) {
    return make_error(ErrorCode::InvalidInput, "only one URL grammar can be mounted at the root (IMGPROXY_PATH_PREFIX, THUMBOR_PATH_PREFIX, CLOUDFLARE_PATH_PREFIX)",
                      "IMGPROXY_PATH_PREFIX");
  }
  if (core::split_comma_list(c.imgproxy_key).size() != core::split_comma_list(c.imgproxy_salt).size()) {
    return make_error(ErrorCode::InvalidInput, "IMGPROXY_KEY and IMGPROXY_SALT must have as many entries each", "IMGPROXY_SALT");
  }
  return ok_status();
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

std::string default_model_path() { return installed_model_path("isnet-medium-fp32.onnx"); }

std::string installed_model_path(const std::string& file) {
  namespace fs = std::filesystem;
  const fs::path relative = fs::path("models") / file;
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
  config.model_path_set = !config.model_path.empty();
  if (config.face_model_path.empty()) config.face_model_path = installed_model_path("blazeface-back-256.onnx");
  if (config.model_path.empty()) config.model_path = default_model_path();
  if (auto s = check_grammar_settings(config); !s) return s.error();
  if (config.workers == 0) config.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return config;
}

}  // namespace pixmill::app
