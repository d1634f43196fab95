#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fetch/url_check.h"

namespace pixmill::fetch {
namespace {

TEST(FetchUrlCheck, AcceptsPlainHttpAndHttps) {
  AddressPolicy policy;
  auto https = check_url("https://images.example.com/a/b.png?w=1#frag", policy);
  ASSERT_TRUE(https.ok()) << https.error().message;
  EXPECT_EQ(https->scheme, "https");
  EXPECT_EQ(https->host, "images.example.com");
  EXPECT_EQ(https->port, 443);
  EXPECT_FALSE(https->host_is_ip);
  EXPECT_EQ(https->url, "https://images.example.com/a/b.png?w=1");

  auto http = check_url("HTTP://Example.COM:8080/x", policy);
  ASSERT_TRUE(http.ok()) << http.error().message;
  EXPECT_EQ(http->scheme, "http");
  EXPECT_EQ(http->host, "example.com");
  EXPECT_EQ(http->port, 8080);

  auto public_ip = check_url("http://[2606:4700::1111]/", policy);
  ASSERT_TRUE(public_ip.ok()) << public_ip.error().message;
  EXPECT_TRUE(public_ip->host_is_ip);
  EXPECT_EQ(public_ip->host, "2606:4700::1111");
}

TEST(FetchUrlCheck, OddSpellingOfPublicAddressIsNormalised) {
  auto r = check_url("http://0x08080808/logo.png", AddressPolicy{});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->host, "8.8.8.8");
  EXPECT_EQ(r->url, "http://8.8.8.8/logo.png");
}

TEST(FetchUrlCheck, RefusesOtherSchemes) {
  for (const char* url : {"ftp://example.com/a.png", "file:///etc/passwd", "gopher://example.com/", "dict://x:11211/",
                          "ldap://example.com/", "javascript:alert(1)", "data:image/png;base64,AAAA"}) {
    auto r = check_url(url, AddressPolicy{});
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_TRUE(r.error().code == ErrorCode::UrlNotAllowed || r.error().code == ErrorCode::InvalidInput) << url;
  }
  EXPECT_EQ(check_url("ftp://example.com/a.png", AddressPolicy{}).error().code, ErrorCode::UrlNotAllowed);
}

TEST(FetchUrlCheck, AllowHttpFalseMeansHttpsOnly) {
  AddressPolicy policy;
  policy.allow_http = false;
  EXPECT_TRUE(check_url("https://example.com/", policy).ok());
  auto r = check_url("http://example.com/", policy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::UrlNotAllowed);
}

TEST(FetchUrlCheck, RefusesCredentials) {
  for (const char* url : {"http://user:pw@example.com/", "http://user@example.com/", "http://@example.com/",
                          "http://example.com@127.0.0.1/", "https://a:b@8.8.8.8/"}) {
    auto r = check_url(url, AddressPolicy{});
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().code, ErrorCode::UrlNotAllowed) << url;
  }
}

TEST(FetchUrlCheck, RefusesMalformed) {
  for (const char* url : {"", "example.com/a.png", "//example.com/a.png", "http:///a.png", "http:/example.com/",
                          "http://:80/", "http://[::1/", "http://exa mple.com/", "http://example.com/\n",
                          "http:\\\\example.com/", "http://example.com\\@8.8.8.8/"}) {
    auto r = check_url(url, AddressPolicy{});
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_NE(r.error().code, ErrorCode::Internal) << url;
  }
  EXPECT_EQ(check_url("http:///a.png", AddressPolicy{}).error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(check_url(std::string(9000, 'a'), AddressPolicy{}).error().code, ErrorCode::InvalidInput);
}

TEST(FetchUrlCheck, RefusesPortsOutOfRange) {
  for (const char* url : {"http://example.com:0/", "http://example.com:65536/", "http://example.com:99999/",
                          "http://example.com:-1/"}) {
    auto r = check_url(url, AddressPolicy{});
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().code, ErrorCode::InvalidInput) << url;
  }
  EXPECT_TRUE(check_url("http://example.com:65535/", AddressPolicy{}).ok());
  EXPECT_TRUE(check_url("http://example.com:1/", AddressPolicy{}).ok());
}

TEST(FetchUrlCheck, RefusesDeniedAddressesInAnySpelling) {
  const std::vector<std::string> urls = {
      "http://127.0.0.1/",        "http://2130706433/",         "http://017700000001/",
      "http://0177.0.0.1/",       "http://0x7f.1/",             "http://0x7f000001/",
      "http://127.1/",            "http://127.0.0.1./",         "http://[::1]/",
      "http://[::ffff:7f00:1]/",  "http://[::ffff:127.0.0.1]/", "http://[0:0:0:0:0:ffff:7f00:1]/",
      "http://169.254.169.254/",  "http://0xa9fea9fe/",         "http://10.0.0.1:8080/",
      "http://[fd00::1]/",        "http://[fe80::1%25eth0]/",   "http://[64:ff9b::a00:1]/",
      "http://[2002:c0a8:101::]/", "http://0/",                 "https://100.64.0.1/",
  };
  for (const auto& url : urls) {
    auto r = check_url(url, AddressPolicy{});
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().code, ErrorCode::UrlNotAllowed) << url;
  }
}

TEST(FetchUrlCheck, HostListsApply) {
  AddressPolicy policy;
  policy.allow_hosts = {".example.com"};
  EXPECT_TRUE(check_url("https://img.example.com/a.png", policy).ok());
  EXPECT_EQ(check_url("https://example.org/a.png", policy).error().code, ErrorCode::UrlNotAllowed);
  policy.deny_hosts = {"private.example.com"};
  EXPECT_EQ(check_url("https://private.example.com./a.png", policy).error().code, ErrorCode::UrlNotAllowed);
}

}  // namespace
}  // namespace pixmill::fetch
