#include "fetch/model_proxy.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace pixmill::fetch {
namespace {

std::shared_ptr<const std::string> read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  auto data = std::make_shared<std::string>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (data->empty()) return nullptr;
  return data;
}

// Written to a temporary name, then renamed: a crash never leaves half a model behind.
void persist(const std::string& dir, const std::string& name, const std::string& bytes) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string final_path = dir + "/" + name;
  const std::string temp_path = final_path + ".part";
  {
    std::ofstream out(temp_path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return;
  }
  std::filesystem::rename(temp_path, final_path, ec);
}

Error fetch_failed(const std::string& why) { return make_error(ErrorCode::ModelFetchFailed, why); }

}  // namespace

Result<std::shared_ptr<const std::string>> ModelProxy::get(const std::string& variant) {
  if (variant != "full" && variant != "quantized") {
    return make_error(ErrorCode::InvalidInput, "variant must be full or quantized", "variant");
  }
  std::lock_guard lock(mutex_);
  if (auto it = memory_.find(variant); it != memory_.end()) {
    ++stats_.memory_hits;
    return it->second;
  }
  auto loaded = load(variant);
  if (loaded) memory_[variant] = *loaded;
  return loaded;
}

Result<std::shared_ptr<const std::string>> ModelProxy::load(const std::string& variant) {
  const std::string file_name = "model-" + variant + ".onnx";
  if (variant == "full" && !config_.local_full_path.empty()) {
    if (auto local = read_whole(config_.local_full_path)) {
      ++stats_.disk_hits;
      return local;
    }
  }
  if (!config_.cache_dir.empty()) {
    if (auto cached = read_whole(config_.cache_dir + "/" + file_name)) {
      ++stats_.disk_hits;
      return cached;
    }
  }
  const std::string& url = variant == "full" ? config_.full_url : config_.quantized_url;
  if (url.empty()) return fetch_failed("no source is configured for the " + variant + " model");
  FetchOptions options = config_.fetch;
  options.timeout_ms = config_.timeout_ms;
  if (!config_.token.empty()) options.headers.emplace_back("Authorization", "Bearer " + config_.token);
  auto fetched = fetch_url(url, options);
  if (!fetched) {
    return fetched.error().code == ErrorCode::Timeout ? fetch_failed("fetching the model timed out")
                                                      : fetch_failed("the model could not be fetched from its upstream");
  }
  ++stats_.upstream_fetches;
  auto bytes = std::make_shared<const std::string>(std::move(fetched->body));
  if (!config_.cache_dir.empty()) persist(config_.cache_dir, file_name, *bytes);
  return bytes;
}

ModelProxy::Stats ModelProxy::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace pixmill::fetch
