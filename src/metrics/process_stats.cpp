#include "metrics/process_stats.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>

namespace pixmill::metrics {
namespace {

double boot_time_s() {
  std::ifstream stat("/proc/stat");
  std::string key;
  while (stat >> key) {
    if (key == "btime") {
      double v = 0;
      stat >> v;
      return v;
    }
    stat.ignore(1 << 16, '\n');
  }
  return 0;
}

}  // namespace

ProcessStats read_process_stats() {
  ProcessStats s;
  const long page = sysconf(_SC_PAGESIZE);
  const long ticks = sysconf(_SC_CLK_TCK);
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    unsigned long long size = 0, resident = 0;
    if (std::fscanf(f, "%llu %llu", &size, &resident) == 2) {
      s.virtual_bytes = size * static_cast<uint64_t>(page);
      s.resident_bytes = resident * static_cast<uint64_t>(page);
    }
    std::fclose(f);
  }
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  if (auto close = stat.rfind(')'); close != std::string::npos) {
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0, start = 0;
    for (int i = 3; fields >> field; ++i) {
      if (i == 14) utime = std::stoull(field);
      if (i == 15) stime = std::stoull(field);
      if (i == 22) {
        start = std::stoull(field);
        break;
      }
    }
    if (ticks > 0) {
      s.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(ticks);
      s.start_time_s = boot_time_s() + static_cast<double>(start) / static_cast<double>(ticks);
    }
  }
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (dirent* entry = readdir(dir)) {
      if (entry->d_name[0] != '.') ++s.open_fds;
    }
    closedir(dir);
    if (s.open_fds > 0) --s.open_fds;  // the directory stream's own descriptor
  }
  return s;
}

}  // namespace pixmill::metrics
