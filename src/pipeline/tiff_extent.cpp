#include "pipeline/tiff_extent.h"

#include <optional>
#include <vector>

namespace pixmill::pipeline {
namespace {

class TiffReader {
 public:
  TiffReader(std::span<const uint8_t> bytes, bool little) : bytes_(bytes), little_(little) {}

  std::optional<uint64_t> u16(uint64_t at) const { return read(at, 2); }
  std::optional<uint64_t> u32(uint64_t at) const { return read(at, 4); }

  // The values of one IFD entry (SHORT or LONG arrays), inline or at their offset.
  std::optional<std::vector<uint64_t>> values(uint64_t entry) const {
    const auto type = u16(entry + 2), count = u32(entry + 4);
    if (!type || !count) return std::nullopt;
    const uint64_t width = *type == 3 ? 2 : *type == 4 ? 4 : 0;
    if (width == 0 || *count > bytes_.size()) return std::nullopt;
    uint64_t at = entry + 8;
    if (*count * width > 4) {
      const auto offset = u32(entry + 8);
      if (!offset) return std::nullopt;
      at = *offset;
    }
    std::vector<uint64_t> out;
    out.reserve(*count);
    for (uint64_t i = 0; i < *count; ++i) {
      const auto v = read(at + i * width, width);
      if (!v) return std::nullopt;
      out.push_back(*v);
    }
    return out;
  }

 private:
  std::optional<uint64_t> read(uint64_t at, uint64_t n) const {
    if (at > bytes_.size() || bytes_.size() - at < n) return std::nullopt;
    uint64_t v = 0;
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t byte = bytes_[at + i];
      v |= little_ ? byte << (8 * i) : byte << (8 * (n - 1 - i));
    }
    return v;
  }

  std::span<const uint8_t> bytes_;
  bool little_;
};

Error truncated() { return make_error(ErrorCode::InvalidImage, "the TIFF file is truncated"); }

}  // namespace

Status check_tiff_extent(std::span<const uint8_t> bytes) {
  if (bytes.size() < 8) return truncated();
  const bool little = bytes[0] == 'I';
  TiffReader tiff(bytes, little);
  if (tiff.u16(2).value_or(0) != 42) return ok_status();  // BigTIFF: left to libvips
  const auto ifd = tiff.u32(4);
  const auto count = ifd ? tiff.u16(*ifd) : std::nullopt;
  if (!count) return truncated();

  std::optional<std::vector<uint64_t>> offsets, sizes;
  for (uint64_t i = 0; i < *count; ++i) {
    const uint64_t entry = *ifd + 2 + 12 * i;
    const auto tag = tiff.u16(entry);
    if (!tag) return truncated();
    if (*tag == 273 || *tag == 324) offsets = tiff.values(entry);  // StripOffsets, TileOffsets
    if (*tag == 279 || *tag == 325) sizes = tiff.values(entry);    // StripByteCounts, TileByteCounts
  }
  if (!offsets || !sizes || offsets->size() != sizes->size()) return ok_status();
  for (size_t i = 0; i < offsets->size(); ++i) {
    if ((*offsets)[i] > bytes.size() || bytes.size() - (*offsets)[i] < (*sizes)[i]) return truncated();
  }
  return ok_status();
}

}  // namespace pixmill::pipeline
