#pragma once
// Structured logs: one JSON object per line on stdout, filtered by LOG_LEVEL. Every
// part of the service logs through here, so the level applies everywhere.
//
// What may be logged: methods, paths without their query, route names, statuses,
// sizes, timings, request ids, client addresses, header NAMES. Never header values,
// query strings, bodies or image bytes: those carry API keys and user data.

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace pixmill::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

std::optional<Level> parse_level(std::string_view text);  // debug, info, warn, error
std::string_view level_name(Level level);

void set_level(Level level);  // process-wide; Info until set
bool enabled(Level level);

// {"level": …, "msg": msg, …fields} when the level is enabled.
void write(Level level, std::string_view msg, const nlohmann::ordered_json& fields = nlohmann::ordered_json::object());

// Start-up and shutdown records are written at every level: orchestrators and the
// test harness wait for "listening".
void lifecycle(std::string_view msg, const nlohmann::ordered_json& fields = nlohmann::ordered_json::object());

// An already formatted JSON line (the access log's hot path); the caller checks enabled().
void write_line(std::string_view line);

}  // namespace pixmill::log
