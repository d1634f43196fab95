#pragma once
// Plans: what a key may do. Per-minute limits for CPU work and for AI work (background
// removal costs far more: TheGlitch's separate CPU and GPU limits), images per calendar
// month (petiteimg meters per image), and the largest upload. 0 means "no limit".

#include <cstdint>
#include <map>
#include <string>

namespace pixmill::policy {

struct Plan {
  std::string name;
  int64_t cpu_per_minute = 0;
  int64_t ai_per_minute = 0;
  int64_t images_per_month = 0;
  uint64_t max_upload_mb = 0;
};

// free, pro and unlimited, after petiteimg's price list (pro's 150,000 images a year as
// 12,500 a month); a keys file may redefine them or add its own.
std::map<std::string, Plan> builtin_plans();

}  // namespace pixmill::policy
