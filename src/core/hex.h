#pragma once
// Hexadecimal text of bytes and back: digests, signatures, key hashes, percent-escapes.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pixmill::core {

enum class HexCase { Lower, Upper };

// Two digits per byte.
std::string hex_encode(std::span<const uint8_t> bytes, HexCase letters = HexCase::Lower);

// The value of one hex digit (either case), or -1.
int hex_digit_value(char c);

// The bytes of an even-length hex text (either case); nullopt on anything else.
std::optional<std::vector<uint8_t>> hex_decode(std::string_view text);

}  // namespace pixmill::core
