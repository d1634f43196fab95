#include "policy/signed_url.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <charconv>

#include "core/digest.h"
#include "core/hex.h"
#include "core/text.h"
#include "http/url.h"
#include "policy/key_store.h"

namespace pixmill::policy {
namespace {

std::string encode_component(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += core::hex_encode(std::span<const uint8_t>(&c, 1), core::HexCase::Upper);
    }
  }
  return out;
}

std::string_view param(const http::Fields& query, std::string_view name) {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return {};
}

int count(const http::Fields& query, std::string_view name) {
  return static_cast<int>(std::count_if(query.begin(), query.end(), [&](const auto& kv) { return kv.first == name; }));
}

}  // namespace

Result<std::vector<SigningKey>> parse_signing_keys(std::string_view setting) {
  std::vector<SigningKey> keys;
  for (const std::string& item : core::split_comma_list(setting)) {
    auto first = item.find(':');
    if (first == std::string::npos) return make_error(ErrorCode::InvalidInput, "SIGNING_KEYS entries are kid:secret[:plan]", "SIGNING_KEYS");
    SigningKey key;
    key.id = item.substr(0, first);
    std::string rest = item.substr(first + 1);
    auto second = rest.rfind(':');
    key.secret = second == std::string::npos ? rest : rest.substr(0, second);
    key.plan = second == std::string::npos ? "free" : rest.substr(second + 1);
    if (key.id.empty() || key.plan.empty()) return make_error(ErrorCode::InvalidInput, "SIGNING_KEYS: an entry has no key id or plan", "SIGNING_KEYS");
    if (key.secret.size() < 16) {
      return make_error(ErrorCode::InvalidInput, "SIGNING_KEYS: the secret of " + key.id + " is shorter than 16 characters", "SIGNING_KEYS");
    }
    if (std::any_of(keys.begin(), keys.end(), [&](const SigningKey& k) { return k.id == key.id; })) {
      return make_error(ErrorCode::InvalidInput, "SIGNING_KEYS: key id " + key.id + " appears twice", "SIGNING_KEYS");
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

std::string canonical_request(std::string_view path, const http::Fields& query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [k, v] : query) {
    if (k != kSigParam) pairs.emplace_back(encode_component(k), encode_component(v));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  // The path is decoded already; re-encoding each segment makes "/a%20b" and "/a b" one text.
  for (size_t start = 0; start <= path.size();) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out += encode_component(path.substr(start, slash - start));
    if (slash < path.size()) out += '/';
    start = slash + 1;
  }
  for (size_t i = 0; i < pairs.size(); ++i) {
    out += i == 0 ? '?' : '&';
    out += pairs[i].first;
    out += '=';
    out += pairs[i].second;
  }
  return out;
}

std::string sign_hex(std::string_view secret, std::string_view canonical) {
  return core::hex_encode(core::hmac_sha256(secret, canonical));
}

SignatureResult verify_signed_request(http::Request& request, const std::vector<SigningKey>& keys, int64_t now_s) {
  SignatureResult result;
  if (count(request.query, kSigParam) == 0) return result;
  result.check = SignatureCheck::Invalid;
  // One of each: a repeated sig/kid/exp could mean different things to us and to a cache.
  if (count(request.query, kSigParam) != 1 || count(request.query, kKidParam) != 1 || count(request.query, kExpParam) > 1) return result;
  const std::string_view kid = param(request.query, kKidParam);
  auto it = std::find_if(keys.begin(), keys.end(), [&](const SigningKey& k) { return k.id == kid; });
  if (it == keys.end()) {
    result.check = SignatureCheck::UnknownKey;
    return result;
  }
  auto given = parse_hex32(param(request.query, kSigParam));
  auto expected = parse_hex32(sign_hex(it->secret, canonical_request(request.path, request.query)));
  if (!given || !expected || CRYPTO_memcmp(given->data(), expected->data(), 32) != 0) return result;
  if (count(request.query, kExpParam) == 1) {
    const std::string_view exp = param(request.query, kExpParam);
    int64_t expires = 0;
    auto [p, ec] = std::from_chars(exp.data(), exp.data() + exp.size(), expires);
    if (ec != std::errc() || p != exp.data() + exp.size()) return result;
    if (now_s > expires) {
      result.check = SignatureCheck::Expired;
      return result;
    }
  }
  std::erase_if(request.query, [](const auto& kv) { return kv.first == kSigParam || kv.first == kKidParam || kv.first == kExpParam; });
  result.check = SignatureCheck::Valid;
  result.key = &*it;
  return result;
}

Result<std::string> sign_url(std::string_view url, const SigningKey& key, int64_t expires_at) {
  std::string_view origin;
  std::string_view target = url;
  if (auto scheme = url.find("://"); scheme != std::string_view::npos && !url.starts_with('/')) {
    auto slash = url.find('/', scheme + 3);
    origin = url.substr(0, slash == std::string_view::npos ? url.size() : slash);
    target = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
  }
  if (auto hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  auto parsed = http::parse_target(target);
  if (!parsed || target.empty() || target.front() != '/') return make_error(ErrorCode::InvalidInput, "not a URL or path: " + std::string(url));
  if (count(parsed->query, kSigParam) || count(parsed->query, kKidParam) || count(parsed->query, kExpParam)) {
    return make_error(ErrorCode::InvalidInput, "the URL already has a sig, kid or exp parameter");
  }
  http::Fields query = parsed->query;
  std::string suffix = std::string(kKidParam) + "=" + encode_component(key.id);
  query.emplace_back(std::string(kKidParam), key.id);
  if (expires_at > 0) {
    query.emplace_back(std::string(kExpParam), std::to_string(expires_at));
    suffix += "&" + std::string(kExpParam) + "=" + std::to_string(expires_at);
  }
  const std::string sig = sign_hex(key.secret, canonical_request(parsed->path, query));
  suffix += "&" + std::string(kSigParam) + "=" + sig;
  std::string out = std::string(origin) + std::string(target);
  out += target.find('?') == std::string_view::npos ? "?" : (target.back() == '?' || target.back() == '&' ? "" : "&");
  return out + suffix;
}

}  // namespace pixmill::policy
