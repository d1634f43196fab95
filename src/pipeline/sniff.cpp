#include "pipeline/sniff.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "codecs/gzip.h"
#include "codecs/jxl_decoder.h"
#include "core/bytes.h"

namespace pixmill::pipeline {
namespace {

bool starts_with(std::span<const uint8_t> bytes, std::string_view magic, size_t offset = 0) {
  return bytes.size() >= offset + magic.size() &&
         std::memcmp(bytes.data() + offset, magic.data(), magic.size()) == 0;
}

std::string_view brand_at(std::span<const uint8_t> bytes, size_t offset) {
  return {reinterpret_cast<const char*>(bytes.data()) + offset, 4};
}

// ISO base media: "ftyp" box first, then the major brand and the compatible brands (the
// minor version between them is not a brand). Calls `visit` with each; false when there
// is no ftyp box.
template <typename Visit>
bool for_each_brand(std::span<const uint8_t> bytes, Visit visit) {
  if (bytes.size() < 16 || !starts_with(bytes, "ftyp", 4)) return false;
  uint32_t box_size = (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) | bytes[3];
  size_t end = std::min<size_t>(box_size, bytes.size());
  if (end < 16) return false;
  visit(brand_at(bytes, 8));
  for (size_t off = 16; off + 4 <= end; off += 4) visit(brand_at(bytes, off));
  return true;
}

// The brands say whether the primary image is AV1 (AVIF) or HEVC and friends (HEIF).
InputFormat sniff_isobmff(std::span<const uint8_t> bytes) {
  bool avif = false;
  bool heif = false;
  auto classify = [&](std::string_view brand) {
    if (brand == "avif" || brand == "avis") avif = true;
    if (brand == "heic" || brand == "heix" || brand == "heim" || brand == "heis" || brand == "hevc" ||
        brand == "hevx" || brand == "mif1" || brand == "msf1" || brand == "mif2") {
      heif = true;
    }
  };
  if (!for_each_brand(bytes, classify)) return InputFormat::Unknown;
  if (avif) return InputFormat::Avif;
  if (heif) return InputFormat::Heif;
  return InputFormat::Unknown;
}

// BMP has a weak two-byte magic; also require a known DIB header size so that any
// text starting with "BM" is not sent to the decoder.
bool looks_like_bmp(std::span<const uint8_t> bytes) {
  if (bytes.size() < 26 || !starts_with(bytes, "BM")) return false;
  uint32_t dib = bytes[14] | (uint32_t{bytes[15]} << 8) | (uint32_t{bytes[16]} << 16) | (uint32_t{bytes[17]} << 24);
  return dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124;
}

// SVG is text: skip a BOM and leading white space, then expect an XML declaration,
// a comment, a doctype or <svg, and find "<svg" in the first 4 KiB.
bool looks_like_svg(std::span<const uint8_t> bytes) {
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), std::min<size_t>(bytes.size(), 4096));
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return false;
  text.remove_prefix(first);
  bool opener = text.starts_with("<?xml") || text.starts_with("<svg") || text.starts_with("<!--") ||
                text.starts_with("<!DOCTYPE svg") || text.starts_with("<!doctype svg");
  return opener && text.find("<svg") != std::string_view::npos;
}

}  // namespace

InputFormat sniff_format(std::span<const uint8_t> bytes) {
  if (starts_with(bytes, "\xFF\xD8\xFF")) return InputFormat::Jpeg;
  if (starts_with(bytes, "\x89PNG\r\n\x1A\n")) return InputFormat::Png;
  if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) return InputFormat::Gif;
  if (starts_with(bytes, "RIFF") && starts_with(bytes, "WEBP", 8)) return InputFormat::Webp;
  if (starts_with(bytes, std::string_view("II*\0", 4)) || starts_with(bytes, std::string_view("MM\0*", 4)) ||
      starts_with(bytes, std::string_view("II+\0", 4)) || starts_with(bytes, std::string_view("MM\0+", 4))) {
    return InputFormat::Tiff;
  }
  if (codecs::is_jxl(bytes)) return InputFormat::Jxl;
  if (InputFormat iso = sniff_isobmff(bytes); iso != InputFormat::Unknown) return iso;
  if (looks_like_bmp(bytes)) return InputFormat::Bmp;
  if (looks_like_svg(bytes)) return InputFormat::Svg;
  // .svgz: a gzip stream whose first kilobytes inflate to an SVG.
  if (codecs::is_gzip(bytes)) {
    const std::string head = codecs::gunzip_prefix(bytes, 4096);
    if (looks_like_svg(as_bytes(head))) return InputFormat::Svg;
  }
  return InputFormat::Unknown;
}

bool lists_isobmff_brand(std::span<const uint8_t> bytes, std::string_view brand) {
  bool found = false;
  for_each_brand(bytes, [&](std::string_view b) { found = found || b == brand; });
  return found;
}

}  // namespace pixmill::pipeline
