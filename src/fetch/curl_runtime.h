#pragma once
// libcurl's process-wide setup, done once before the first handle is made.

namespace pixmill::fetch {

// Safe to call from any thread, any number of times.
void ensure_curl_initialized();

}  // namespace pixmill::fetch
