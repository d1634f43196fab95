#pragma once
// Encoded images travel as std::string (request and response bodies); the pipeline
// reads them as bytes. One view, no copy.

#include <cstdint>
#include <span>
#include <string_view>

namespace pixmill::core {

inline std::span<const uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace pixmill::core
