#include "core/digest.h"

#include <openssl/crypto.h>
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

std::string hmac(HmacAlgorithm algorithm, std::string_view key, std::string_view data) {
  const EVP_MD* md = algorithm == HmacAlgorithm::Sha1 ? EVP_sha1() : algorithm == HmacAlgorithm::Sha512 ? EVP_sha512() : EVP_sha256();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length);
  return std::string(reinterpret_cast<const char*>(mac), length);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // The length is not secret (it is the algorithm's, or the configured truncation).
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace pixmill::core
