#include "policy/windows.h"

#include <cstdio>

namespace pixmill::policy {

int64_t epoch_seconds(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Window minute_window(int64_t now_s) {
  const int64_t minute = now_s / 60;
  return Window{"m" + std::to_string(minute), (minute + 1) * 60};
}

Window month_window(int64_t now_s) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_seconds(seconds(now_s)));
  const year_month_day ymd(day);
  const year_month next = year_month(ymd.year(), ymd.month()) + months(1);
  const sys_days next_first = sys_days(next / 1);
  char id[16];
  std::snprintf(id, sizeof id, "%04d-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()));
  return Window{id, next_first.time_since_epoch().count() * 86400};
}

}  // namespace pixmill::policy
