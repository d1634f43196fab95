#include "http/access_log.h"

#include <cmath>

#include "core/text.h"
#include "log/log.h"

namespace pixmill::http {

// The path without its query (which may carry keys), never headers or bodies. Built by
// the JSON library so the line stays one valid JSON object whatever the path holds
// (control characters; invalid UTF-8 becomes U+FFFD); long values are cut, never the line.
void AccessLog::finished(const Outcome& outcome) {
  if (!log::enabled(log::Level::Info)) return;
  const Request& req = outcome.request;
  log::write(log::Level::Info, "request",
             {{"method", core::truncate_utf8(req.method, 16)},
              {"path", core::truncate_utf8(req.path, 512)},
              {"route", outcome.route},
              {"status", outcome.status},
              {"bytesIn", outcome.bytes_in},
              {"bytesOut", outcome.bytes_out},
              {"ms", std::round(outcome.seconds * 10000) / 10},
              {"requestId", req.request_id},
              {"ip", core::truncate_utf8(req.client_ip, 64)}});
}

}  // namespace pixmill::http
