#include "core/base64.h"
#include "grammars/imgproxy_url.h"

#include <algorithm>
#include <cmath>
#include <regex>

#include "core/digest.h"
#include "core/text.h"
#include "grammars/arguments.h"

namespace pixmill::grammars {
namespace {

Error invalid_url(const std::string& message) { return make_error(ErrorCode::InvalidInput, message); }

// Proxies and CDNs "normalise" paths: `%3A` in the options, and `scheme://` squeezed to
// `scheme:/` in a plain source. imgproxy undoes both before checking the signature.
std::string redenormalise(std::string_view path) {
  std::string options;
  std::string plain;
  bool has_plain = false;
  if (path.starts_with("plain/")) {
    plain = path.substr(6);
    has_plain = true;
  } else if (auto at = path.find("/plain/"); at != std::string_view::npos) {
    options = path.substr(0, at);
    plain = path.substr(at + 7);
    has_plain = true;
  } else {
    options = path;
  }
  std::string fixed;
  for (size_t i = 0; i < options.size(); ++i) {
    if (options.compare(i, 3, "%3A") == 0) {
      fixed += ':';
      i += 2;
    } else {
      fixed += options[i];
    }
  }
  if (!has_plain) return std::string(fixed.starts_with('/') ? fixed.substr(1) : fixed);
  static const std::regex kSqueezedScheme(R"(^(\S+?):/([^/]))");
  std::smatch m;
  if (std::regex_search(plain, m, kSqueezedScheme)) {
    std::string replacement = m[1].str() + "://" + (m[1].str() == "local" ? "/" : "") + m[2].str();
    plain = replacement + plain.substr(static_cast<size_t>(m.length(0)));
  }
  std::string out = fixed + "/plain/" + plain;
  return out.starts_with('/') ? out.substr(1) : out;
}

struct DecodedSource {
  std::string url;
  std::string extension;
};

Result<DecodedSource> decode_plain(const std::vector<std::string>& parts) {
  std::string encoded;
  for (size_t i = 0; i < parts.size(); ++i) encoded += (i ? "/" : "") + parts[i];
  const auto pieces = split_all(encoded, '@');
  if (pieces[0].empty()) return invalid_url("Image URL is empty");
  if (pieces.size() > 2) return invalid_url("Multiple formats are specified");
  auto unescaped = path_unescape(pieces[0]);
  if (!unescaped) return invalid_url("Invalid url encoding");
  return DecodedSource{*unescaped, pieces.size() == 2 ? pieces[1] : ""};
}

Result<DecodedSource> decode_base64(const std::vector<std::string>& parts) {
  std::string encoded;
  for (const auto& p : parts) encoded += p;  // a long base64 source may be split by '/'
  const auto pieces = split_all(encoded, '.');
  if (pieces[0].empty()) return invalid_url("Image URL is empty");
  if (pieces.size() > 2) return invalid_url("Multiple formats are specified");
  auto decoded = core::base64url_decode(pieces[0]);
  if (!decoded) return invalid_url("Invalid url encoding");
  return DecodedSource{*decoded, pieces.size() == 2 ? pieces[1] : ""};
}

int scaled(int value, double factor) { return static_cast<int>(std::lround(value * factor)); }

bool is_resizing_type(std::string_view part) {
  return part == "fit" || part == "fill" || part == "fill-down" || part == "force" || part == "auto";
}

}  // namespace

Gravity imgproxy_gravity(std::string_view type) {
  if (type == "no") return Gravity::North;
  if (type == "so") return Gravity::South;
  if (type == "ea") return Gravity::East;
  if (type == "we") return Gravity::West;
  if (type == "noea") return Gravity::NorthEast;
  if (type == "nowe") return Gravity::NorthWest;
  if (type == "soea") return Gravity::SouthEast;
  if (type == "sowe") return Gravity::SouthWest;
  if (type == "sm") return Gravity::Attention;
  return Gravity::Centre;
}

Result<OutputFormat> imgproxy_format(std::string_view name) {
  if (name == "jpg" || name == "jpeg") return OutputFormat::Jpeg;
  if (name == "png") return OutputFormat::Png;
  if (name == "webp") return OutputFormat::Webp;
  if (name == "avif") return OutputFormat::Avif;
  if (name == "gif") return OutputFormat::Gif;
  if (name == "tiff") return OutputFormat::Tiff;
  if (name == "bmp") return OutputFormat::Bmp;
  if (name == "ico" || name == "svg" || name == "heic" || name == "jxl" || name == "pdf" || name == "mp4" || name == "best") {
    return make_error(ErrorCode::UnsupportedFormat, "Resulting image format is not supported: " + std::string(name), "format");
  }
  return make_error(ErrorCode::InvalidInput, "Invalid format: " + std::string(name.substr(0, 64)) + " (expected supported image format)", "format");
}

std::string imgproxy_signature(std::string_view path, std::string_view key, std::string_view salt, int signature_size) {
  std::string message(salt);
  if (path.empty() || path.front() != '/') message += '/';
  message += path;
  std::string mac = core::hmac(HmacAlgorithm::Sha256, key, message);
  mac.resize(static_cast<size_t>(std::clamp(signature_size, 1, 32)));
  return core::base64url_encode(mac);
}

Status verify_imgproxy_signature(std::string_view signature, std::string_view signed_path, const ImgproxySettings& settings) {
  if (settings.keys.empty()) {
    if (signature.find(':') != std::string_view::npos) {
      return make_error(ErrorCode::SignatureInvalid,
                        "The signature appears to be a processing option. The signature section should always be present in the URL.");
    }
    return ok_status();
  }
  auto given = core::base64url_decode(signature);
  if (!given) return make_error(ErrorCode::SignatureInvalid, "Invalid signature encoding");
  bool matched = false;
  for (const auto& [key, salt] : settings.keys) {
    std::string message = salt;
    if (signed_path.empty() || signed_path.front() != '/') message += '/';
    message += signed_path;
    std::string expected = core::hmac(HmacAlgorithm::Sha256, key, message);
    expected.resize(static_cast<size_t>(std::clamp(settings.signature_size, 1, 32)));
    // Every pair is tried, matched or not: the time taken says nothing about which.
    matched = core::constant_time_equal(*given, expected) || matched;
  }
  if (!matched) return make_error(ErrorCode::SignatureInvalid, "Invalid signature");
  return ok_status();
}

Result<ImgproxyPresets> parse_imgproxy_presets(std::string_view setting) {
  ImgproxyPresets presets;
  for (const std::string& item : core::split_comma_list(setting)) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
      return make_error(ErrorCode::InvalidInput, "IMGPROXY_PRESETS: entries are name=options, got " + item.substr(0, 64), "IMGPROXY_PRESETS");
    }
    presets[item.substr(0, eq)] = item.substr(eq + 1);
  }
  // Each preset must parse on its own, so a typo stops start-up rather than every request.
  for (const auto& [name, text] : presets) {
    ImgproxyOptions probe;
    ImgproxyOptionContext context{&presets, 0};
    if (auto s = apply_imgproxy_option_path(probe, text, context, 0); !s && s.error().code == ErrorCode::InvalidInput) {
      return make_error(ErrorCode::InvalidInput, "IMGPROXY_PRESETS: preset " + name + ": " + s.error().message, "IMGPROXY_PRESETS");
    }
  }
  return presets;
}

void build_imgproxy_request(const ImgproxyOptions& o, GrammarRequest& request) {
  Recipe& recipe = request.recipe;
  PendingGeometry& pending = request.pending;
  const bool has_width = o.width > 0;
  const bool has_height = o.height > 0;
  if (has_width || has_height) {
    ResizeSpec spec;
    if (has_width) spec.width = std::max(1, scaled(o.width, o.dpr * o.zoom_x));
    if (has_height) spec.height = std::max(1, scaled(o.height, o.dpr * o.zoom_y));
    const bool both = has_width && has_height;
    spec.fit = FitMode::Fit;
    if (both && (o.resizing_type == "fill" || o.resizing_type == "fill-down" || o.resizing_type == "auto")) spec.fit = FitMode::Fill;
    if (both && o.resizing_type == "force") spec.fit = FitMode::Stretch;
    if (both && spec.fit == FitMode::Fit && o.extend) spec.fit = FitMode::Pad;
    pending.auto_fit = both && o.resizing_type == "auto";
    pending.fill_down = both && o.resizing_type == "fill-down";
    pending.extend_aspect_ratio = both && spec.fit == FitMode::Fit && o.extend_aspect_ratio;
    spec.gravity = imgproxy_gravity(o.gravity.type);
    spec.without_enlargement = !o.enlarge;
    recipe.resize = spec;
  } else {
    pending.zoom_x = o.zoom_x;
    pending.zoom_y = o.zoom_y;
    pending.dpr = o.dpr;
  }
  pending.enlarge = o.enlarge;
  if (o.gravity.type == "fp") pending.focus = FocusPoint{o.gravity.x, o.gravity.y};
  pending.min_width = scaled(o.min_width, o.dpr);
  pending.min_height = scaled(o.min_height, o.dpr);
  if (o.crop) pending.sized_crop = o.crop;
  recipe.rotate = o.rotate;
  recipe.flop = o.flip_horizontal;
  recipe.flip = o.flip_vertical;
  if (o.background) recipe.background = *o.background;
  // imgproxy takes any positive sigma; the pipeline's useful ranges bound them.
  if (o.blur > 0) recipe.effects.blur_sigma = std::clamp(o.blur, 0.3, 100.0);
  if (o.sharpen > 0) recipe.effects.sharpen_sigma = std::clamp(o.sharpen, 0.3, 10.0);
  recipe.output.strip_metadata = o.strip_metadata;
  if (o.quality > 0) recipe.output.quality = o.quality;
  recipe.output.auto_quality = o.auto_quality;
  request.format_quality = o.format_quality;
  if (o.max_bytes > 0) recipe.output.target_bytes = static_cast<uint64_t>(std::max<long long>(o.max_bytes, 1024));
  if (o.format) {
    recipe.output.format = *o.format;
    request.format_explicit = true;
  }
  if (o.expires && *o.expires > 0) request.expires_at = *o.expires;
  request.filename = o.filename;
  request.attachment = o.return_attachment;
  request.cache_salt = o.cachebuster;
  build_imgproxy_compositing(o, recipe);
}

Result<GrammarRequest> parse_imgproxy_url(std::string_view path, const ImgproxySettings& settings, const ClientHints& hints,
                                          int64_t now_s) {
  if (auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  while (path.starts_with('/')) path.remove_prefix(1);
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= path.size()) {
    return invalid_url("Invalid path: " + std::string(path.substr(0, 200)));
  }
  const std::string_view signature = path.substr(0, slash);
  const std::string rest = redenormalise(path.substr(slash + 1));
  if (auto s = verify_imgproxy_signature(signature, "/" + rest, settings); !s) return s.error();

  const std::vector<std::string> parts = split_all(rest, '/');
  if (is_resizing_type(parts[0])) return invalid_url("It looks like you're using the deprecated basic URL format");

  ImgproxyOptions options;
  if (hints.dpr) options.dpr = *hints.dpr;
  if (hints.width) options.width = std::max(1, static_cast<int>(std::lround(*hints.width / options.dpr)));
  ImgproxyOptionContext context{&settings.presets, now_s};
  if (settings.presets.count("default")) {
    if (auto s = apply_imgproxy_option(options, "preset", {"default"}, context); !s) return s.error();
  }
  size_t index = 0;
  for (; index < parts.size(); ++index) {
    auto args = split_all(parts[index], ':');
    if (args.size() == 1) break;  // the first segment without ':' starts the source
    const std::string name = args.front();
    args.erase(args.begin());
    if (auto s = apply_imgproxy_option(options, name, args, context); !s) return s.error();
  }
  if (index >= parts.size()) return invalid_url("Image URL is empty");
  const std::vector<std::string> source_parts(parts.begin() + static_cast<long>(index), parts.end());
  const bool plain = source_parts[0] == "plain" && source_parts.size() > 1;
  auto source = plain ? decode_plain({source_parts.begin() + 1, source_parts.end()}) : decode_base64(source_parts);
  if (!source) return source.error();
  if (!source->extension.empty()) {
    if (auto s = apply_imgproxy_option(options, "format", {source->extension}, context); !s) return s.error();
  }

  GrammarRequest request;
  request.grammar = Grammar::Imgproxy;
  request.source = std::move(source->url);
  request.uses_client_hints = hints.dpr.has_value() || hints.width.has_value();
  build_imgproxy_request(options, request);
  if (auto s = validate(request.recipe); !s) {
    return make_error(ErrorCode::InvalidInput, s.error().message, s.error().field);
  }
  return request;
}

}  // namespace pixmill::grammars
