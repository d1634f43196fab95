#include <gtest/gtest.h>

#include "http/url.h"
#include "policy/signed_url.h"

namespace pixmill::policy {
namespace {

const std::vector<SigningKey> kKeys = {{"k1", "first-secret-0123456789", "free"}, {"k2", "second-secret-0123456789", "pro"}};

http::Request request_for(const std::string& url) {
  auto target = http::parse_target(url.substr(url.find('/', url.find("://") + 3)));
  EXPECT_TRUE(target);
  http::Request r;
  r.method = "GET";
  r.path = target->path;
  r.query = target->query;
  return r;
}

TEST(SignedUrl, CanonicalFormIgnoresOrderAndSpelling) {
  const http::Fields a = {{"width", "100"}, {"url", "https://x.example/a b.jpg"}, {"sig", "ignored"}};
  const http::Fields b = {{"url", "https://x.example/a b.jpg"}, {"width", "100"}};
  EXPECT_EQ(canonical_request("/api/v1/process", a), canonical_request("/api/v1/process", b));
  EXPECT_EQ(canonical_request("/api/v1/process", b), "/api/v1/process?url=https%3A%2F%2Fx.example%2Fa%20b.jpg&width=100");
  EXPECT_NE(canonical_request("/api/v1/resize", b), canonical_request("/api/v1/process", b));
}

TEST(SignedUrl, SignedUrlVerifiesAndLosesItsSignatureParameters) {
  auto url = sign_url("http://img.example:3000/api/v1/process?url=https%3A%2F%2Fx.example%2Fp.jpg&width=100", kKeys[1], 2000);
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->rfind("http://img.example:3000/api/v1/process?", 0), 0u);
  http::Request r = request_for(*url);
  SignatureResult result = verify_signed_request(r, kKeys, 1999);
  EXPECT_EQ(result.check, SignatureCheck::Valid);
  ASSERT_NE(result.key, nullptr);
  EXPECT_EQ(result.key->id, "k2");  // either live key verifies: rotation
  EXPECT_EQ(r.query, (http::Fields{{"url", "https://x.example/p.jpg"}, {"width", "100"}}));
}

TEST(SignedUrl, TamperingIsRefused) {
  auto url = sign_url("/api/v1/process?url=https://x.example/p.jpg&width=100", kKeys[0], 0);
  ASSERT_TRUE(url);
  auto check = [](std::string u) {
    http::Request r = request_for("http://h" + u);
    return verify_signed_request(r, kKeys, 1000).check;
  };
  EXPECT_EQ(check(*url), SignatureCheck::Valid);  // no exp: never expires
  std::string changed_param = *url;
  changed_param.replace(changed_param.find("width=100"), 9, "width=900");
  EXPECT_EQ(check(changed_param), SignatureCheck::Invalid);
  std::string changed_path = *url;
  changed_path.replace(changed_path.find("process"), 7, "convert");
  EXPECT_EQ(check(changed_path), SignatureCheck::Invalid);
  EXPECT_EQ(check(*url + "&height=5"), SignatureCheck::Invalid);  // an added parameter
  std::string other_kid = *url;
  other_kid.replace(other_kid.find("kid=k1"), 6, "kid=k2");  // the same signature under another key
  EXPECT_EQ(check(other_kid), SignatureCheck::Invalid);
  std::string unknown = *url;
  unknown.replace(unknown.find("kid=k1"), 6, "kid=k9");
  EXPECT_EQ(check(unknown), SignatureCheck::UnknownKey);
  std::string flipped = *url;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_EQ(check(flipped), SignatureCheck::Invalid);
  EXPECT_EQ(check(*url + "&sig=00"), SignatureCheck::Invalid);  // two signatures
  EXPECT_EQ(check("/api/v1/process?width=1"), SignatureCheck::Absent);
}

TEST(SignedUrl, ExpiryIsSignedAndEnforced) {
  auto url = sign_url("/api/v1/process?width=100", kKeys[0], 5000);
  ASSERT_TRUE(url);
  http::Request in_time = request_for("http://h" + *url);
  EXPECT_EQ(verify_signed_request(in_time, kKeys, 5000).check, SignatureCheck::Valid);
  http::Request late = request_for("http://h" + *url);
  EXPECT_EQ(verify_signed_request(late, kKeys, 5001).check, SignatureCheck::Expired);
  std::string extended = *url;
  extended.replace(extended.find("exp=5000"), 8, "exp=9000");
  http::Request forged = request_for("http://h" + extended);
  EXPECT_EQ(verify_signed_request(forged, kKeys, 6000).check, SignatureCheck::Invalid);
}

TEST(SignedUrl, SigningKeysSetting) {
  auto keys = parse_signing_keys("a:0123456789abcdef, b:fedcba9876543210:pro");
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].plan, "free");
  EXPECT_EQ((*keys)[1].plan, "pro");
  EXPECT_EQ((*keys)[1].secret, "fedcba9876543210");
  EXPECT_FALSE(parse_signing_keys("a:short"));
  EXPECT_FALSE(parse_signing_keys("nocolon"));
  EXPECT_FALSE(parse_signing_keys("a:0123456789abcdef,a:0123456789abcdef"));
  EXPECT_TRUE(parse_signing_keys("")->empty());
}

}  // namespace
}  // namespace pixmill::policy
