#pragma once
// SHA-256 and HMAC-SHA256 (OpenSSL's libcrypto) for ETags, key hashes and signatures.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace pixmill::core {

using Sha256 = std::array<uint8_t, 32>;

Sha256 sha256(std::string_view data);
std::string sha256_hex(std::string_view data);  // lower-case hex
Sha256 hmac_sha256(std::string_view key, std::string_view data);

}  // namespace pixmill::core
