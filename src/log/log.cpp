#include "log/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace pixmill::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::Info)};
std::mutex g_mutex;  // whole lines, never interleaved

void emit(std::string_view level, std::string_view msg, const nlohmann::ordered_json& fields) {
  nlohmann::ordered_json record;
  record["level"] = level;
  record["msg"] = msg;
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) record[key] = value;
  }
  // Replace invalid UTF-8 rather than throw: a path may hold any bytes.
  write_line(record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

}  // namespace

std::optional<Level> parse_level(std::string_view text) {
  if (text == "debug") return Level::Debug;
  if (text == "info") return Level::Info;
  if (text == "warn") return Level::Warn;
  if (text == "error") return Level::Error;
  return std::nullopt;
}

std::string_view level_name(Level level) {
  switch (level) {
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warn: return "warn";
    case Level::Error: return "error";
  }
  return "info";
}

void set_level(Level level) { g_level.store(static_cast<int>(level)); }

bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }

void write(Level level, std::string_view msg, const nlohmann::ordered_json& fields) {
  if (!enabled(level)) return;
  emit(level_name(level), msg, fields);
}

void lifecycle(std::string_view msg, const nlohmann::ordered_json& fields) { emit("info", msg, fields); }

void write_line(std::string_view line) {
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace pixmill::log
