#pragma once
// SHA-256 (OpenSSL's libcrypto) for ETags and key hashes.

#include <string>
#include <string_view>

namespace pixmill {

std::string sha256_hex(std::string_view data);

}  // namespace pixmill
