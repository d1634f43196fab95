#include "dialects/overlay_sources.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "fetch/fetcher.h"
#include "recipe/overlay_source.h"

namespace pixmill::dialects {
namespace {

using Bytes = std::shared_ptr<const std::string>;

Error field_error(const std::string& field, ErrorCode code, const std::string& message) {
  return make_error(code, field + ": " + message, field);
}

Error watermark_error(ErrorCode code, const std::string& message) { return field_error("watermark", code, message); }

std::string shown(const std::string& reference) { return reference.size() > 80 ? reference.substr(0, 80) + "..." : reference; }

Result<Bytes> read_limited(const std::filesystem::path& path, uint64_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || !std::filesystem::is_regular_file(path, ec)) return watermark_error(ErrorCode::InvalidInput, "cannot read " + path.filename().string());
  if (size > max_bytes) return watermark_error(ErrorCode::FileTooLarge, path.filename().string() + " is too large");
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) return watermark_error(ErrorCode::InvalidInput, "cannot read " + path.filename().string());
  return std::make_shared<const std::string>(std::move(bytes));
}

Result<Bytes> from_attachment(const std::string& reference, const std::vector<Attachment>& attachments) {
  const std::string label = reference.substr(recipe::kUploadedPartPrefix.size());
  for (const Attachment& a : attachments) {
    if (a.label == label) return a.bytes;
  }
  return watermark_error(ErrorCode::InvalidInput, "no uploaded part " + shown(label) + " in this request");
}

// The name is checked again here (the parser only classified it): it becomes part of a path.
Result<Bytes> from_named(const std::string& name, const OverlaySourceOptions& options) {
  if (options.watermarks_dir.empty()) {
    return watermark_error(ErrorCode::InvalidInput, "named watermarks are not configured on this server (WATERMARKS_DIR)");
  }
  if (!recipe::is_watermark_name(name)) return watermark_error(ErrorCode::InvalidInput, "invalid watermark name");
  for (const char* extension : {".png", ".webp", ".svg", ".jpg", ".jpeg", ".gif", ".avif"}) {
    const std::filesystem::path path = std::filesystem::path(options.watermarks_dir) / (name + extension);
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) return read_limited(path, options.max_bytes);
  }
  return watermark_error(ErrorCode::InvalidInput, "unknown watermark name " + name);
}

Result<Bytes> from_url(const std::string& url, const OverlaySourceOptions& options, const core::Deadline& deadline,
                       const std::string& field = "watermark") {
  if (!options.url_input.enabled) return field_error(field, ErrorCode::UrlNotAllowed, "image URLs are disabled on this server");
  fetch::FetchOptions fetch_options = options.url_input.fetch;
  fetch_options.max_bytes = std::min<uint64_t>(fetch_options.max_bytes, options.max_bytes);
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline.remaining());
  fetch_options.timeout_ms = static_cast<int>(std::min<long long>(fetch_options.timeout_ms, std::max<long long>(left.count(), 1)));
  auto fetched = fetch::fetch_url(url, fetch_options, deadline.cancel_flag());
  if (!fetched) return field_error(field, fetched.error().code, fetched.error().message);
  return std::make_shared<const std::string>(std::move(fetched->body));
}

Result<Bytes> fetch_source(const recipe::OverlaySource& source, const std::vector<Attachment>& attachments,
                           const OverlaySourceOptions& options, const core::Deadline& deadline) {
  switch (source.kind) {
    case recipe::OverlaySource::Kind::Upload: return from_attachment(source.reference, attachments);
    case recipe::OverlaySource::Kind::Named: return from_named(source.reference, options);
    case recipe::OverlaySource::Kind::Url: return from_url(source.reference, options, deadline);
    case recipe::OverlaySource::Kind::File: break;
  }
  if (!options.allow_local_files) {
    return watermark_error(ErrorCode::InvalidInput, "must be an http(s) URL, a watermark name or an uploaded part named watermark");
  }
  return read_limited(source.reference, options.max_bytes);
}

Status resolve_list(std::vector<recipe::Overlay>& overlays, const std::vector<Attachment>& attachments,
                    const OverlaySourceOptions& options, const core::Deadline& deadline) {
  for (recipe::Overlay& overlay : overlays) {
    if (overlay.source.bytes) continue;
    auto bytes = fetch_source(overlay.source, attachments, options, deadline);
    if (!bytes) return bytes.error();
    overlay.source.bytes = *bytes;
  }
  return ok_status();
}

}  // namespace

Status resolve_overlay_sources(recipe::Recipe& recipe, const std::vector<Attachment>& attachments,
                               const OverlaySourceOptions& options, const core::Deadline& deadline) {
  if (auto s = resolve_list(recipe.overlays, attachments, options, deadline); !s) return s;
  for (recipe::Recipe& step : recipe.operations) {
    if (auto s = resolve_list(step.overlays, attachments, options, deadline); !s) return s;
  }
  recipe::Cutout& cutout = recipe.cutout;
  if (!cutout.background_url.empty() && !cutout.background_image) {
    auto bytes = from_url(cutout.background_url, options, deadline, "bgImage");
    if (!bytes) return bytes.error();
    cutout.background_image = *bytes;
  }
  return ok_status();
}

}  // namespace pixmill::dialects
