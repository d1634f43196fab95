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

enum class HmacAlgorithm { Sha1, Sha256, Sha512 };
// The raw MAC bytes of `data` under `key` (the peer URL grammars' signers).
std::string hmac(HmacAlgorithm algorithm, std::string_view key, std::string_view data);

// Equality that takes the same time wherever the first difference is (signature
// checks: an early exit would tell an attacker how many leading bytes were right).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace pixmill::core
