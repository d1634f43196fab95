#pragma once
// Content negotiation on the Accept header (RFC 9110 §12.5.1), for the one question the
// dialects ask: does the client name this image type? Only the exact type counts, as
// the peers (imgproxy, thumbor, Cloudflare) count it: browsers send `image/*` and `*/*`
// for every image, so a wildcard says nothing about AVIF or JPEG XL support.

#include <string_view>

#include "http/message.h"

namespace pixmill::http {

// Whether `accept` lists `media_type` (case-insensitive) with a weight above zero:
// "image/avif,image/webp;q=0.9" accepts both; "image/avif;q=0" refuses AVIF.
bool accepts_media_type(std::string_view accept, std::string_view media_type);

// The same for a request's Accept header.
bool accepts_media_type(const Request& request, std::string_view media_type);

}  // namespace pixmill::http
