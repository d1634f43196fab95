#pragma once
// Where a grammar's source lives: an absolute http(s) URL (fetched by the SSRF-safe
// fetcher), a relative path under SOURCE_BASE_URL, or a file under SOURCE_DIR. Local
// paths never leave SOURCE_DIR: `..` segments, NUL bytes and symbolic links that point
// outside it are refused; a leading '/' means the folder's root, not the filesystem's.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace pixmill::grammars {

struct SourceSettings {
  std::string base_url;  // SOURCE_BASE_URL ("" = none)
  std::string dir;       // SOURCE_DIR ("" = none)
};

struct ResolvedSource {
  bool local = false;
  std::string location;  // the URL to fetch, or the canonical file path
};

// `source` as the URL spelled it: "https://…", "/img/a.jpg", "img/a.jpg", "local:///a.jpg".
// Errors: InvalidInput (empty, or relative with nothing to resolve against),
// UrlNotAllowed (a local path that would leave SOURCE_DIR, or local:// without one).
Result<ResolvedSource> resolve_source(std::string_view source, const SourceSettings& settings);

// Reads a resolved local file, at most `max_bytes`. NotFound when it is absent,
// FileTooLarge above the limit. `identity` gets "file:<path>:<size>:<mtime ns>", the
// validators a cache key needs.
Result<std::string> read_local_source(const std::string& path, uint64_t max_bytes, std::string* identity = nullptr);

// The identity of a local file without reading it (for a cache lookup before the read).
Result<std::string> local_source_identity(const std::string& path);

}  // namespace pixmill::grammars
