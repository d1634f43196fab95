#include "core/digest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/hex.h"

namespace pixmill::core {

Sha256 sha256(std::string_view data) {
  Sha256 digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return digest;
}

std::string sha256_hex(std::string_view data) { return hex_encode(sha256(data)); }

Sha256 hmac_sha256(std::string_view key, std::string_view data) {
  Sha256 mac{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       mac.data(), &length);
  return mac;
}

}  // namespace pixmill::core
