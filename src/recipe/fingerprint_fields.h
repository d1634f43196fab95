#pragma once
// How recipe_fingerprint() writes one field: `name=value;`. Shared by fingerprint.cpp
// and fingerprint_compositing.cpp so both halves of a key spell values alike.

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "recipe/recipe.h"

namespace pixmill::recipe::fingerprint_fields {

inline void number(std::string& out, const char* name, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s=%.17g;", name, v);
  out += buf;
}

inline void integer(std::string& out, const char* name, long long v) { out += std::string(name) + "=" + std::to_string(v) + ";"; }

inline void optional_int(std::string& out, const char* name, const std::optional<int>& v) {
  out += name;
  out += v ? "=" + std::to_string(*v) + ";" : "=-;";
}

inline void colour(std::string& out, const char* name, const Colour& c) { out += std::string(name) + "=" + c.to_hex() + ";"; }

inline void colour(std::string& out, const char* name, const std::optional<Colour>& c) {
  out += std::string(name) + "=" + (c ? c->to_hex() : std::string("-")) + ";";
}

// Free text (a reference, a font, a text layer) is length-prefixed so no value can
// imitate the separators around it.
inline void text(std::string& out, const char* name, const std::string& v) {
  out += std::string(name) + "=" + std::to_string(v.size()) + ":" + v + ";";
}

// A list: its length, then each item as `write` spells it.
template <typename T, typename Write>
void list(std::string& out, const char* name, const std::vector<T>& items, Write write) {
  integer(out, name, static_cast<long long>(items.size()));
  for (const T& item : items) write(out, item);
}

}  // namespace pixmill::recipe::fingerprint_fields
