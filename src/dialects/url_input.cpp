#include "dialects/url_input.h"

#include <algorithm>

#include "core/text.h"
#include "dialects/upload.h"

namespace pixmill::dialects {
namespace {

// A URL field can only be in a small body: anything larger carries the image itself.
constexpr size_t kMaxBodyWithUrl = 64 * 1024;

bool is_url(const std::pair<std::string, std::string>& field) { return field.first == "url"; }

}  // namespace

bool wants_url_input(const http::Request& request) {
  if (std::any_of(request.query.begin(), request.query.end(), is_url)) return true;
  return request.body.size() <= kMaxBodyWithUrl && request.body.find("url") != std::string::npos;
}

http::PrepareHandler url_input_stage(UrlInput input) {
  return [input](http::Request& request, const core::Deadline& deadline) -> std::optional<Error> {
    std::string url;
    for (const auto& f : request.query) {
      if (is_url(f)) url = f.second;
    }
    Params body_fields;
    if (url.empty() && !request.body.empty()) {
      UploadOptions options;
      http::Request probe = request;  // small (see wants_url_input); extraction consumes its body
      auto upload = extract_upload(probe, options);
      if (!upload) return upload.error();
      if (upload->has_image()) {
        // The body carried the image after all: leave the request as it came.
        return std::nullopt;
      }
      body_fields = std::move(upload->fields);
      for (const auto& f : body_fields) {
        if (is_url(f)) url = f.second;
      }
    }
    if (url.empty()) return std::nullopt;
    if (!input.enabled) return make_error(ErrorCode::UrlNotAllowed, "image URLs are disabled on this server", "url");

    fetch::FetchOptions options = input.fetch;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline.remaining());
    options.timeout_ms = static_cast<int>(std::min<long long>(options.timeout_ms, std::max<long long>(left.count(), 1)));
    auto fetched = fetch::fetch_url(url, options, deadline.cancel_flag());
    if (!fetched) {
      Error e = fetched.error();
      e.field = "url";
      return e;
    }
    request.body = std::move(fetched->body);
    for (auto& f : body_fields) {
      if (!is_url(f)) request.query.push_back(std::move(f));
    }
    request.query.erase(std::remove_if(request.query.begin(), request.query.end(), is_url), request.query.end());
    for (auto& [name, value] : request.headers) {
      if (name == "content-type") value = "application/octet-stream";
    }
    request.fetched_url = fetched->final_url;
    return std::nullopt;
  };
}

}  // namespace pixmill::dialects
