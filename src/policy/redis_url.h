#pragma once
// REDIS_URL: redis://[[user]:password@]host[:port][/db] (Boost.URL). Parsed at start-up so a typo
// stops the server instead of silently running without shared limits.

#include <string>
#include <string_view>

#include "core/result.h"

namespace pixmill::policy {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;  // AUTH when non-empty
  int db = 0;            // SELECT when non-zero
};

Result<RedisEndpoint> parse_redis_url(std::string_view url);

}  // namespace pixmill::policy
