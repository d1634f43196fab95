#pragma once
// Window arithmetic for the counters: fixed one-minute windows (per-minute limits) and
// calendar months in UTC (petiteimg's monthly image quota). A window has an id that
// names its counter and the epoch second at which it ends (X-RateLimit-Reset).

#include <chrono>
#include <cstdint>
#include <string>

namespace pixmill::policy {

using Clock = std::chrono::system_clock;

struct Window {
  std::string id;           // "m29000000" (minute number) or "2026-11" (month)
  int64_t reset_epoch_s = 0;
  int64_t seconds_left(int64_t now_s) const { return reset_epoch_s - now_s < 1 ? 1 : reset_epoch_s - now_s; }
};

int64_t epoch_seconds(Clock::time_point t);
Window minute_window(int64_t now_s);
// The calendar month (UTC) holding now_s; it resets at 00:00:00 UTC on the 1st of the next.
Window month_window(int64_t now_s);

}  // namespace pixmill::policy
