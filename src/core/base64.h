#pragma once
// Base64 (RFC 4648, standard alphabet) through OpenSSL's EVP codec.

#include <optional>
#include <string>
#include <string_view>

namespace pixmill::core {

// Standard base64 with padding.
std::string base64_encode(std::string_view bytes);
// The URL-safe alphabet ('-', '_') without padding (RFC 4648 section 5).
std::string base64url_encode(std::string_view bytes);

// Decodes padded standard base64 (length a multiple of 4, '=' only at the end);
// nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace pixmill::core
