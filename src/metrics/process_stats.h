#pragma once
// This process's memory, CPU time and descriptors, from /proc (Linux).

#include <cstdint>

namespace pixmill::metrics {

struct ProcessStats {
  uint64_t resident_bytes = 0;
  uint64_t virtual_bytes = 0;
  double cpu_seconds = 0;
  int open_fds = 0;
  double start_time_s = 0;  // seconds since the epoch
};

ProcessStats read_process_stats();

}  // namespace pixmill::metrics
