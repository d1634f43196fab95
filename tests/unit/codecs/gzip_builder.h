#pragma once
// gzip streams written bit by bit for the tests (the test binary sees libvips'
// headers, not Debian's zlib): stored blocks for exact content, and a fixed-Huffman
// block of back-references for a stream that inflates a thousandfold (a bomb).

#include <array>
#include <cstdint>
#include <string>

namespace pixmill::testing {

inline uint32_t crc32_of(const std::string& data) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char ch : data) crc = table[(crc ^ ch) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

inline void put_le32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

inline std::string gzip_header() { return std::string("\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\xFF", 10); }

// `data` in stored (uncompressed) deflate blocks, with its CRC and size.
inline std::string gzip_stored(const std::string& data) {
  std::string out = gzip_header();
  size_t at = 0;
  do {
    const size_t n = std::min<size_t>(data.size() - at, 65535);
    const bool last = at + n == data.size();
    out += static_cast<char>(last ? 1 : 0);
    out += static_cast<char>(n & 0xFF);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(~n & 0xFF);
    out += static_cast<char>((~n >> 8) & 0xFF);
    out += data.substr(at, n);
    at += n;
  } while (at < data.size());
  put_le32(out, crc32_of(data));
  put_le32(out, static_cast<uint32_t>(data.size()));
  return out;
}

// Deflate's bit order: fields least significant bit first, Huffman codes most
// significant bit first.
class BitWriter {
 public:
  void field(uint32_t value, int bits) {
    for (int i = 0; i < bits; ++i) bit((value >> i) & 1);
  }
  void code(uint32_t value, int bits) {
    for (int i = bits - 1; i >= 0; --i) bit((value >> i) & 1);
  }
  std::string finish() {
    if (count_ > 0) out_ += static_cast<char>(byte_);
    return out_;
  }

 private:
  void bit(uint32_t b) {
    byte_ |= static_cast<uint8_t>(b << count_);
    if (++count_ == 8) {
      out_ += static_cast<char>(byte_);
      byte_ = 0;
      count_ = 0;
    }
  }
  std::string out_;
  uint8_t byte_ = 0;
  int count_ = 0;
};

// `prefix` as literals, then `repeat` spaces in copies of 258 bytes at distance 1 (13
// bits each), then `suffix`: one fixed-Huffman block. With the trailer only when
// `whole` (its CRC needs the inflated bytes, which a bomb test never builds).
inline std::string gzip_spaces(const std::string& prefix, uint64_t repeat, const std::string& suffix, bool whole) {
  BitWriter bits;
  bits.field(1, 1);  // the last block
  bits.field(1, 2);  // fixed Huffman codes
  auto literal = [&](unsigned char c) {
    if (c < 144) {
      bits.code(0x30 + c, 8);
    } else {
      bits.code(0x190 + (c - 144), 9);
    }
  };
  for (unsigned char c : prefix) literal(c);
  uint64_t left = repeat;
  if (left > 0) {
    literal(' ');
    --left;
  }
  for (; left >= 258; left -= 258) {
    bits.code(0xC5, 8);  // length 258 (code 285)
    bits.code(0, 5);     // distance 1
  }
  for (; left > 0; --left) literal(' ');
  for (unsigned char c : suffix) literal(c);
  bits.code(0, 7);  // end of block
  std::string out = gzip_header() + bits.finish();
  if (whole) {
    const std::string inflated = prefix + std::string(repeat, ' ') + suffix;
    put_le32(out, crc32_of(inflated));
    put_le32(out, static_cast<uint32_t>(inflated.size()));
  }
  return out;
}

}  // namespace pixmill::testing
