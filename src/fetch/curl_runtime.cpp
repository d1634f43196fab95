#include "fetch/curl_runtime.h"

#include <curl/curl.h>

#include <mutex>

namespace pixmill::fetch {

void ensure_curl_initialized() {
  // curl_global_init is not thread-safe and must precede every other curl call.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace pixmill::fetch
