#include "net/cidr.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/text.h"

namespace pixmill::net {

std::string_view strip_brackets(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') return text.substr(1, text.size() - 2);
  return text;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  std::string_view address = text;
  std::optional<int> prefix;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    address = text.substr(0, slash);
    std::string_view digits = text.substr(slash + 1);
    int value = -1;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    prefix = value;
  }
  Cidr cidr;
  std::string plain(strip_brackets(address));
  if (inet_pton(AF_INET, plain.c_str(), cidr.bytes.data()) == 1) {
    cidr.family = AF_INET;
  } else if (inet_pton(AF_INET6, plain.c_str(), cidr.bytes.data()) == 1) {
    cidr.family = AF_INET6;
  } else {
    return std::nullopt;
  }
  const int max_prefix = cidr.family == AF_INET ? 32 : 128;
  cidr.prefix = prefix.value_or(max_prefix);
  if (cidr.prefix < 0 || cidr.prefix > max_prefix) return std::nullopt;
  return cidr;
}

std::optional<Cidr> parse_address(std::string_view text) {
  text = core::trim_spaces(text);
  if (!text.empty() && text.front() == '[') {  // "[2001:db8::1]:443" in some proxies' headers
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    text = text.substr(1, close - 1);
  } else if (text.find(':') != std::string_view::npos && text.find(':') == text.rfind(':') && text.find('.') != std::string_view::npos) {
    text = text.substr(0, text.find(':'));  // "203.0.113.9:5123"
  }
  const std::string s(text);
  Cidr a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET;
    a.prefix = 32;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(a.bytes.data(), kMapped, 12) == 0) {
      std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
      std::fill(a.bytes.begin() + 4, a.bytes.end(), 0);
      a.family = AF_INET;
      a.prefix = 32;
      return a;
    }
    a.family = AF_INET6;
    a.prefix = 128;
    return a;
  }
  return std::nullopt;
}

bool prefix_matches(const uint8_t* a, const uint8_t* b, int prefix) {
  const int whole = prefix / 8;
  if (std::memcmp(a, b, static_cast<size_t>(whole)) != 0) return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

bool contains(const Cidr& range, int family, const uint8_t* bytes) {
  return range.family == family && prefix_matches(range.bytes.data(), bytes, range.prefix);
}

std::string address_text(const Cidr& address) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(address.family, address.bytes.data(), buf, sizeof buf);
  return buf;
}

}  // namespace pixmill::net
