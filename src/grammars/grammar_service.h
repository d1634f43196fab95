#pragma once
// Serving the peer URL grammars: one service for the three, in the route's three stages.
// parse(): parse and verify the URL, negotiate the format. prepare() (fetch pool): look
// the result up in the cache, or join an identical request in flight, or fetch the
// source. respond() (image workers): run the recipe, store the result, answer with the
// peer's headers (ETag, Cache-Control, Vary, Content-Disposition) or its error shape.

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "ai/segmenter.h"
#include "cache/result_cache.h"
#include "fetch/fetcher.h"
#include "grammars/cloudflare_url.h"
#include "grammars/imgproxy_url.h"
#include "grammars/source_resolver.h"
#include "grammars/thumbor_url.h"
#include "http/message.h"
#include "core/deadline.h"

namespace pixmill::grammars {

struct GrammarSettings {
  ImgproxySettings imgproxy;
  ThumborSettings thumbor;
  SourceSettings sources;
  fetch::FetchOptions fetch;
  Limits limits;
  // Named watermarks (WATERMARKS_DIR; empty: off) and the byte limit of one watermark. URL
  // watermarks go through `fetch`, as the source does.
  std::string watermarks_dir;
  uint64_t watermark_max_bytes = 25u << 20;
  std::string imgproxy_prefix = "/ip";   // mount points, "/" for the root
  std::string thumbor_prefix = "/thumbor";
  std::string cloudflare_prefix = "/cdn-cgi/image";
  int imgproxy_ttl_s = 31'536'000;       // IMGPROXY_TTL
  int max_age_s = 86400;                 // CACHE_MAX_AGE, for thumbor and Cloudflare
  bool imgproxy_auto_webp = false;
  bool imgproxy_auto_avif = false;
  bool imgproxy_auto_jxl = false;
  bool thumbor_auto_webp = false;
  bool thumbor_auto_avif = false;
  bool client_hints = false;
};

struct GrammarStats {
  uint64_t source_fetches = 0;  // sources actually fetched or read (not cache hits, not coalesced waits)
};

class GrammarService {
 public:
  GrammarService(GrammarSettings settings, std::shared_ptr<cache::ResultCache> cache, std::shared_ptr<ai::Segmenter> segmenter);

  // What the three stages hand each other (defined in grammar_service.cpp).
  struct Prepared;
  // Parse stage: the URL parsed and verified, the output format negotiated from Accept.
  Result<std::shared_ptr<Prepared>> parse(Grammar grammar, const http::Request& request) const;
  // Whether the recipe runs a model (Cloudflare segment=foreground, face gravity,
  // redaction): the router meters it in the AI bucket.
  bool runs_model(const Prepared& prepared) const;
  // Fetch stage: the result cache, an identical request in flight, or the source.
  std::optional<Error> prepare(Grammar grammar, Prepared& prepared, const Deadline& deadline);
  // Work stage: the recipe run (unless cached or joined), stored, and answered.
  http::Response respond(Grammar grammar, Prepared& prepared, const http::Request& request, const Deadline& deadline);
  // The peer's error shape and status (api/error_map.cpp chooses the status).
  http::Response render_error(Grammar grammar, const Error& error) const;

  const GrammarSettings& settings() const { return settings_; }
  GrammarStats stats() const;
  // Start-up warnings (unsigned URLs accepted, and why), one line each.
  std::vector<std::string> warnings() const;

 private:
  std::string path_after_prefix(Grammar grammar, const http::Request& request) const;
  Result<GrammarRequest> parse_url(Grammar grammar, const http::Request& request) const;
  ClientHints hints_of(const http::Request& request) const;
  bool negotiate(Grammar grammar, GrammarRequest& parsed, const http::Request& request) const;
  Result<std::string> fetch_source(Prepared& prepared, const Deadline& deadline);
  Status fetch_watermarks(Prepared& prepared, const Deadline& deadline) const;
  Result<std::shared_ptr<cache::CachedResult>> produce(Prepared& prepared, const Deadline& deadline);
  http::Response answer(Grammar grammar, const Prepared& prepared, const cache::CachedResult& result, const http::Request& request) const;
  http::Response error_or_redirect(Grammar grammar, const Prepared& prepared, const Error& error) const;

  GrammarSettings settings_;
  std::shared_ptr<cache::ResultCache> cache_;
  std::shared_ptr<ai::Segmenter> segmenter_;
  std::atomic<uint64_t> source_fetches_{0};
};

}  // namespace pixmill::grammars
