#pragma once
// Digests, MACs and their text forms (OpenSSL's libcrypto): SHA-256 for ETags and key
// hashes; HMAC and base64url for the URL signatures of the peer grammars.

#include <optional>
#include <string>
#include <string_view>

namespace pixmill {

std::string sha256_hex(std::string_view data);

enum class HmacAlgorithm { Sha1, Sha256, Sha512 };

// The raw MAC bytes of `data` under `key`.
std::string hmac(HmacAlgorithm algorithm, std::string_view key, std::string_view data);

// RFC 4648 section 5 (URL- and filename-safe) base64, with or without '=' padding.
std::string base64url_encode(std::string_view bytes, bool padded);
// Accepts the URL-safe alphabet with or without padding; nullopt on any other byte.
std::optional<std::string> base64url_decode(std::string_view text);

// "0a1B" -> bytes; nullopt for an odd length or a non-hex digit.
std::optional<std::string> hex_decode(std::string_view hex);

// Equality that takes the same time wherever the first difference is (signature
// checks: an early exit would tell an attacker how many leading bytes were right).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace pixmill
