#include "grammars/grammar_service.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "api/error_map.h"
#include "core/bytes.h"
#include "core/digest.h"
#include "dialects/overlay_sources.h"
#include "grammars/arguments.h"
#include "grammars/meta_answer.h"
#include "grammars/pending_geometry.h"
#include "grammars/response_headers.h"
#include "http/accept.h"
#include "pipeline/geometry_plan.h"
#include "pipeline/process.h"
#include "pipeline/source.h"
#include "recipe/fingerprint.h"

namespace pixmill::grammars {

struct GrammarService::Prepared {
  GrammarRequest parsed;
  bool vary_accept = false;
  ResolvedSource source;
  std::string identity;  // the source's identity in the cache key: URL, or file path + validators
  std::string key;
  std::shared_ptr<const cache::CachedResult> cached;  // a hit, or the result of the request we waited for
  std::optional<cache::Lease> lease;                   // set: this request produces the result
  std::string bytes;                                   // the fetched source
  std::optional<Error> failed;                         // with redirect_on_error: answer a redirect
};

namespace {

using Prepared = GrammarService::Prepared;

int64_t now_s() { return static_cast<int64_t>(std::time(nullptr)); }

std::string pending_fingerprint(const PendingGeometry& p) {
  std::string out;
  auto num = [&](const char* name, double v) { out += std::string(name) + "=" + std::to_string(v) + ";"; };
  if (p.sized_crop) {
    num("scw", p.sized_crop->width);
    num("sch", p.sized_crop->height);
    out += "scg=" + std::to_string(static_cast<int>(p.sized_crop->gravity)) + ";";
    if (p.sized_crop->focus) {
      num("scfx", p.sized_crop->focus->x);
      num("scfy", p.sized_crop->focus->y);
    }
  }
  if (p.edge_crop) {
    num("el", p.edge_crop->left);
    num("et", p.edge_crop->top);
    num("er", p.edge_crop->right);
    num("eb", p.edge_crop->bottom);
    out += "ef=" + std::to_string(p.edge_crop->fractions) + ";";
  }
  if (p.trim) out += "trim=" + std::to_string(p.trim->top) + "," + std::to_string(p.trim->right) + "," + std::to_string(p.trim->bottom) + "," +
                     std::to_string(p.trim->left) + ";";
  if (p.focus) {
    out += "fpx=" + std::to_string(p.focus->pixels) + ";";
    num("fx", p.focus->x);
    num("fy", p.focus->y);
  }
  out += "auto=" + std::to_string(p.auto_fit) + ";mw=" + std::to_string(p.min_width) + ";mh=" + std::to_string(p.min_height) + ";";
  num("zx", p.zoom_x);
  num("zy", p.zoom_y);
  num("dpr", p.dpr);
  out += "exar=" + std::to_string(p.extend_aspect_ratio) + ";fd=" + std::to_string(p.fill_down) + ";en=" + std::to_string(p.enlarge) + ";";
  return out;
}

std::string cache_key(const Prepared& p, Grammar grammar) {
  std::string text = "pixmill-result-v1|";
  text += p.parsed.answer == AnswerKind::Json ? "json:" + std::string(grammar_name(grammar)) : "image";
  text += "|" + recipe_fingerprint(p.parsed.recipe) + "|" + pending_fingerprint(p.parsed.pending) + "|";
  for (const auto& [format, quality] : p.parsed.format_quality) text += std::to_string(static_cast<int>(format)) + ":" + std::to_string(quality) + ",";
  text += "|salt=" + p.parsed.cache_salt + "|" + p.identity;
  return core::sha256_hex(text);
}

// The fetcher reports a non-2xx upstream as "upstream answered <status>"; thumbor, imagor
// and Cloudflare answer a missing source with their "not found" (imgproxy keeps its 404
// "Source is unreachable").
Error classify_fetch_error(Error e, Grammar grammar) {
  if (grammar != Grammar::Imgproxy && e.code == ErrorCode::FetchFailed && e.message == "upstream answered 404") e.code = ErrorCode::NotFound;
  return e;
}

// A failure before the work: the route's error, or, for Cloudflare's onerror=redirect,
// kept for the work stage to answer with a redirect to the source.
std::optional<Error> fail(Prepared& prepared, const Error& error) {
  if (!prepared.parsed.redirect_on_error) return error;
  prepared.failed = error;
  return std::nullopt;
}

}  // namespace

std::string_view grammar_name(Grammar grammar) {
  switch (grammar) {
    case Grammar::Imgproxy: return "imgproxy";
    case Grammar::Thumbor: return "thumbor";
    case Grammar::Cloudflare: return "cloudflare";
  }
  return "imgproxy";
}

GrammarService::GrammarService(GrammarSettings settings, std::shared_ptr<cache::ResultCache> cache, std::shared_ptr<ai::Segmenter> segmenter)
    : settings_(std::move(settings)), cache_(std::move(cache)), segmenter_(std::move(segmenter)) {
  if (!cache_) cache_ = std::make_shared<cache::ResultCache>(cache::CacheSettings{});
}

GrammarStats GrammarService::stats() const { return GrammarStats{source_fetches_.load()}; }

std::vector<std::string> GrammarService::warnings() const {
  std::vector<std::string> out;
  if (settings_.imgproxy_prefix != "off" && settings_.imgproxy.keys.empty()) {
    out.push_back("IMGPROXY_KEY/IMGPROXY_SALT are not set: unsigned imgproxy URLs under " + settings_.imgproxy_prefix +
                  " are accepted (as imgproxy does without a key)");
  }
  if (settings_.thumbor_prefix != "off" && settings_.thumbor.key.empty()) {
    out.push_back("THUMBOR_SECURITY_KEY/IMAGOR_SECRET are not set: unsafe/ thumbor URLs under " + settings_.thumbor_prefix +
                  " are accepted (thumbor's ALLOW_UNSAFE_URL)");
  }
  if (settings_.cloudflare_prefix != "off") {
    out.push_back("Cloudflare Images URLs under " + settings_.cloudflare_prefix + " are unsigned by design: rate limits and FETCH_ALLOW_HOSTS protect them");
  }
  return out;
}

std::string GrammarService::path_after_prefix(Grammar grammar, const http::Request& request) const {
  const std::string& prefix = grammar == Grammar::Imgproxy ? settings_.imgproxy_prefix
                              : grammar == Grammar::Thumbor ? settings_.thumbor_prefix
                                                            : settings_.cloudflare_prefix;
  std::string_view target = request.target;
  if (prefix != "/" && target.starts_with(prefix)) target.remove_prefix(prefix.size());
  // The query belongs to a Cloudflare source ("…/https://host/a.jpg?v=2"); the others ignore it.
  if (grammar != Grammar::Cloudflare) target = target.substr(0, target.find('?'));
  return std::string(target);
}

ClientHints GrammarService::hints_of(const http::Request& request) const {
  ClientHints hints;
  if (!settings_.client_hints) return hints;
  std::string_view dpr = request.header("sec-ch-dpr");
  if (dpr.empty()) dpr = request.header("dpr");
  std::string_view width = request.header("sec-ch-width");
  if (width.empty()) width = request.header("width");
  if (auto v = parse_decimal(dpr); v && *v > 0 && *v <= 8) hints.dpr = *v;
  if (auto v = parse_integer(width); v && *v > 0 && *v <= kMaxOutputDimension) hints.width = static_cast<int>(*v);
  return hints;
}

Result<GrammarRequest> GrammarService::parse_url(Grammar grammar, const http::Request& request) const {
  const std::string path = path_after_prefix(grammar, request);
  const ClientHints hints = hints_of(request);
  switch (grammar) {
    case Grammar::Imgproxy: return parse_imgproxy_url(path, settings_.imgproxy, hints, now_s());
    case Grammar::Thumbor: return parse_thumbor_url(path, settings_.thumbor, hints, now_s() * 1000);
    case Grammar::Cloudflare: return parse_cloudflare_url(path, hints);
  }
  return make_error(ErrorCode::Internal, "unknown grammar");
}

Result<std::shared_ptr<Prepared>> GrammarService::parse(Grammar grammar, const http::Request& request) const {
  auto parsed = parse_url(grammar, request);
  if (!parsed) return parsed.error();
  auto prepared = std::make_shared<Prepared>();
  prepared->parsed = std::move(*parsed);
  prepared->vary_accept = negotiate(grammar, prepared->parsed, request);
  return prepared;
}

bool GrammarService::runs_model(const Prepared& prepared) const { return recipe::recipe_uses_ai(prepared.parsed.recipe); }

bool GrammarService::negotiate(Grammar grammar, GrammarRequest& parsed, const http::Request& request) const {
  OutputSpec& out = parsed.recipe.output;
  bool jxl = false, avif = false, webp = false;  // the formats this request may get
  if (parsed.negotiate_format) {  // Cloudflare format=auto
    avif = webp = true;
  } else {
    if (parsed.format_explicit || parsed.answer == AnswerKind::Json || grammar == Grammar::Cloudflare) return false;
    webp = grammar == Grammar::Imgproxy ? settings_.imgproxy_auto_webp : settings_.thumbor_auto_webp;
    avif = grammar == Grammar::Imgproxy ? settings_.imgproxy_auto_avif : settings_.thumbor_auto_avif;
    jxl = grammar == Grammar::Imgproxy && settings_.imgproxy_auto_jxl;
    if (!webp && !avif && !jxl) return false;
  }
  // Left to the pipeline's automatic choice, which (as imgproxy does) never picks JPEG XL
  // or AVIF for an animation, skips JPEG XL for a source over JXL_MAX_PIXELS, and keeps
  // the source's format when the client accepts none of them.
  out.format = OutputFormat::Auto;
  out.auto_else_original = true;
  out.auto_allow_jxl = jxl && http::accepts_media_type(request, "image/jxl");
  out.auto_allow_avif = avif && http::accepts_media_type(request, "image/avif");
  out.auto_allow_webp = webp && http::accepts_media_type(request, "image/webp");
  return true;
}

std::optional<Error> GrammarService::prepare(Grammar grammar, Prepared& prepared, const Deadline& deadline) {

  auto source = resolve_source(prepared.parsed.source, settings_.sources);
  if (!source) return fail(prepared, source.error());
  prepared.source = *source;
  if (prepared.source.local) {
    auto identity = local_source_identity(prepared.source.location);
    if (!identity) return identity.error();
    prepared.identity = *identity;
  } else {
    prepared.identity = "url:" + prepared.source.location;
  }
  prepared.key = cache_key(prepared, grammar);

  // A hit; or lead the work; or wait for the identical request already doing it. A
  // leader that gives up (its request died) hands the lead to the next claimant.
  for (int attempt = 0; attempt < 8; ++attempt) {
    if (auto hit = cache_->lookup(prepared.key)) {
      prepared.cached = std::move(hit);
      return std::nullopt;
    }
    auto claim = cache_->claim(prepared.key);
    if (claim.lease) {
      prepared.lease = std::move(*claim.lease);
      break;
    }
    const auto left = std::min<Deadline::Clock::duration>(deadline.remaining(), std::chrono::hours(1));
    auto outcome = cache_->wait(prepared.key, claim.flight, Deadline::Clock::now() + left);
    if (!outcome) return make_error(ErrorCode::Timeout, "waiting for an identical request timed out");
    if (auto* result = std::get_if<std::shared_ptr<const cache::CachedResult>>(&*outcome)) {
      prepared.cached = *result;
      return std::nullopt;
    }
    if (auto* error = std::get_if<Error>(&*outcome)) return fail(prepared, *error);
  }
  if (!prepared.lease) return make_error(ErrorCode::Overloaded, "identical requests kept failing, retry shortly");

  auto bytes = fetch_source(prepared, deadline);
  if (!bytes) {
    prepared.lease->publish(bytes.error());
    prepared.lease.reset();
    return fail(prepared, bytes.error());
  }
  prepared.bytes = std::move(*bytes);
  if (auto s = fetch_watermarks(prepared, deadline); !s) {
    prepared.lease->publish(s.error());
    prepared.lease.reset();
    return fail(prepared, s.error());
  }
  return std::nullopt;
}

// Watermark images (imgproxy wm/wmu, thumbor watermark()) are read here, on the fetch
// pool, by the native dialect's resolver: the same SSRF-safe fetcher and byte limits.
Status GrammarService::fetch_watermarks(Prepared& prepared, const Deadline& deadline) const {
  if (prepared.parsed.recipe.overlays.empty()) return ok_status();
  dialects::OverlaySourceOptions options;
  options.watermarks_dir = settings_.watermarks_dir;
  options.url_input.fetch = settings_.fetch;
  options.max_bytes = settings_.watermark_max_bytes;
  auto resolved = dialects::resolve_overlay_sources(prepared.parsed.recipe, {}, options, deadline);
  if (!resolved) return classify_fetch_error(resolved.error(), prepared.parsed.grammar);
  return ok_status();
}

Result<std::string> GrammarService::fetch_source(Prepared& prepared, const Deadline& deadline) {
  ++source_fetches_;
  if (prepared.source.local) {
    std::string identity;
    return read_local_source(prepared.source.location, settings_.fetch.max_bytes, &identity);
  }
  fetch::FetchOptions options = settings_.fetch;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline.remaining());
  options.timeout_ms = static_cast<int>(std::min<long long>(options.timeout_ms, std::max<long long>(left.count(), 1)));
  auto fetched = fetch::fetch_url(prepared.source.location, options, deadline.cancel_flag());
  if (!fetched) return classify_fetch_error(fetched.error(), prepared.parsed.grammar);
  return std::move(fetched->body);
}

Result<std::shared_ptr<cache::CachedResult>> GrammarService::produce(Prepared& p, const Deadline& deadline) {
  const auto input = as_bytes(p.bytes);
  auto header = pipeline::read_header(input, settings_.limits);
  if (!header) return header.error();
  Recipe recipe = p.parsed.recipe;
  if (auto s = finalize_geometry(p.parsed.pending, header->oriented(), recipe); !s) return s.error();
  if (auto s = validate(recipe); !s) return s.error();
  // imgproxy's format_quality: the quality of the format actually written.
  if (!p.parsed.format_quality.empty() && !recipe.output.quality) {
    const OutputFormat format = pipeline::output_format_for(recipe, *header, settings_.limits);
    if (auto q = p.parsed.format_quality.find(format); q != p.parsed.format_quality.end() && q->second > 0) recipe.output.quality = q->second;
  }
  auto entry = std::make_shared<cache::CachedResult>();
  if (p.parsed.answer == AnswerKind::Json) {
    auto plan = pipeline::plan_geometry(header->oriented(), recipe, settings_.limits);
    if (!plan) return plan.error();
    entry->body = meta_json(MetaFacts{p.parsed, *header, *plan, p.bytes.size(), settings_.thumbor.imagor});
    entry->content_type = "application/json";
  } else {
    auto result = pipeline::process_image(input, recipe, settings_.limits, deadline, segmenter_.get());
    if (!result) return result.error();
    entry->content_type = std::string(output_format_mime(result->format));
    entry->headers = {{"X-Output-Width", std::to_string(result->width)},
                      {"X-Output-Height", std::to_string(result->height)},
                      {"X-Output-Format", std::string(output_format_name(result->format))},
                      {"X-Original-Bytes", std::to_string(result->bytes_in)}};
    entry->body = std::move(result->bytes);
  }
  entry->etag = "\"" + core::sha256_hex(entry->body).substr(0, 40) + "\"";
  return entry;
}

http::Response GrammarService::respond(Grammar grammar, Prepared& prepared, const http::Request& request, const Deadline& deadline) {
  if (prepared.failed) return error_or_redirect(grammar, prepared, *prepared.failed);
  if (prepared.cached) return answer(grammar, prepared, *prepared.cached, request);

  auto produced = produce(prepared, deadline);
  std::string().swap(prepared.bytes);  // the source is not needed past here
  if (!produced) {
    if (prepared.lease) prepared.lease->publish(produced.error());
    return error_or_redirect(grammar, prepared, produced.error());
  }
  std::shared_ptr<cache::CachedResult> entry = *produced;
  cache_->store(prepared.key, entry);
  if (prepared.lease) prepared.lease->publish(std::shared_ptr<const cache::CachedResult>(entry));
  return answer(grammar, prepared, *entry, request);
}

http::Response GrammarService::error_or_redirect(Grammar grammar, const Prepared& prepared, const Error& error) const {
  // Cloudflare onerror=redirect: send the browser to the source itself.
  if (prepared.parsed.redirect_on_error && !prepared.source.local && !prepared.source.location.empty()) {
    http::Response redirect;
    redirect.status = 307;
    redirect.set("Location", prepared.source.location);
    redirect.set("Cf-Resized", "err=" + std::string(api::map_error(error.code, api::Dialect::Cloudflare).peer_message));
    return redirect;
  }
  return render_error(grammar, error);
}

http::Response GrammarService::answer(Grammar grammar, const Prepared& p, const cache::CachedResult& result, const http::Request& request) const {
  ResponseFacts facts;
  facts.grammar = grammar;
  facts.imagor = settings_.thumbor.imagor;
  facts.ttl_s = grammar == Grammar::Imgproxy ? settings_.imgproxy_ttl_s : p.parsed.max_age_s.value_or(settings_.max_age_s);
  facts.expires_at = p.parsed.expires_at;
  facts.vary_accept = p.vary_accept;
  facts.client_hints = settings_.client_hints;
  facts.filename = p.parsed.filename.empty() ? source_base_name(p.parsed.source) : p.parsed.filename;
  facts.attachment = p.parsed.attachment;
  return build_image_response(result, facts, request, now_s());
}

http::Response GrammarService::render_error(Grammar grammar, const Error& error) const {
  return render_grammar_error(grammar, settings_.thumbor.imagor, error);
}

}  // namespace pixmill::grammars
