#pragma once
// One cached answer: the encoded image (or JSON) and the facts its response needs.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pixmill::cache {

struct CachedResult {
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // replayed on a hit (X-Output-*, Content-Disposition)
  std::string etag;                                          // strong, quoted
  int64_t created_s = 0;                                     // epoch seconds
  int64_t expires_s = 0;                                     // epoch seconds; past it the entry is a miss

  // Bytes this entry holds in memory, for the LRU's budget: the strings and a fixed
  // allowance for the containers around them.
  uint64_t footprint(size_t key_size) const {
    uint64_t n = body.size() + content_type.size() + etag.size() + key_size + 256;
    for (const auto& [name, value] : headers) n += name.size() + value.size() + 64;
    return n;
  }
};

}  // namespace pixmill::cache
