"""Image input by URL through HTTP: a real upstream server on loopback, allowed for
these tests only by FETCH_ALLOW_CIDRS=127.0.0.1/32 (the default policy refuses it)."""

import json
import time
import unittest
import urllib.parse

from harness import LoopbackOrigin, ServerProcess, ServerTestCase, corpus, sniff_image


def redirect(target):
    return lambda path, headers: (302, b"", {"Content-Type": "text/plain", "Location": target})


class Upstream(LoopbackOrigin):
    """A scripted origin: a photo, redirect chains (/hop/N), a redirect to the metadata
    address, a text page, an error page and a slow answer."""

    def __init__(self):
        self.photo = corpus().pick("photo-small").read()
        super().__init__({
            "/photo.jpg": self.photo,
            "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
            "/text": lambda path, headers: (200, b"<html>internal page with secrets</html>", {"Content-Type": "text/html"}),
            "/error": lambda path, headers: (500, b"stack trace with secrets", {"Content-Type": "text/plain"}),
            "/slow": self.slow,
        }, content_type="image/jpeg", fallback=self.hop)

    def slow(self, path, headers):
        time.sleep(5)
        return 200, self.photo

    def hop(self, path, headers):
        if not path.startswith("/hop/"):
            return 404, b"not here", {"Content-Type": "text/plain"}
        n = int(path.split("/")[2])
        return redirect("/photo.jpg" if n == 0 else "/hop/%d" % (n - 1))(path, headers)


class UrlInputTest(ServerTestCase):
    server_env = {"FETCH_ALLOW_CIDRS": "127.0.0.1/32", "FETCH_TIMEOUT_MS": "1500", "FETCH_MAX_REDIRECTS": "3"}

    @classmethod
    def setUpClass(cls):
        cls.upstream = Upstream()
        cls.addClassCleanup(cls.upstream.close)
        super().setUpClass()

    def get(self, path, **params):
        return self.server.get(path + "?" + urllib.parse.urlencode(params))

    def error_code(self, resp):
        return json.loads(resp.body)["error"]["code"]

    def test_get_with_url_processes_the_fetched_image(self):
        resp = self.get("/api/v1/process", url=self.upstream.url("/photo.jpg"), width=64, format="webp")
        self.assertEqual(resp.status, 200, resp)
        info = sniff_image(resp.body)
        self.assertEqual((info.format, info.width), ("webp", 64))
        self.assertTrue(resp.header("ETag").startswith('"'))
        self.assertEqual(resp.header("Cache-Control"), "public, max-age=86400")

    def test_if_none_match_gives_304_without_a_body(self):
        first = self.get("/api/v1/process", url=self.upstream.url("/photo.jpg"), width=32)
        etag = first.header("ETag")
        again = self.server.get("/api/v1/process?" + urllib.parse.urlencode({"url": self.upstream.url("/photo.jpg"), "width": 32}),
                                headers={"If-None-Match": etag})
        self.assertEqual(again.status, 304)
        self.assertEqual(again.body, b"")
        self.assertEqual(again.header("ETag"), etag)

    def test_etag_depends_on_the_parameters(self):
        a = self.get("/api/v1/process", url=self.upstream.url("/photo.jpg"), width=32).header("ETag")
        b = self.get("/api/v1/process", url=self.upstream.url("/photo.jpg"), width=33).header("ETag")
        self.assertNotEqual(a, b)

    def test_auto_format_varies_on_accept(self):
        resp = self.get("/api/v1/process", url=self.upstream.url("/photo.jpg"), width=32, format="auto")
        self.assertEqual(resp.status, 200)
        self.assertIn("Accept", resp.header("Vary"))

    def test_redirects_within_the_limit_are_followed(self):
        resp = self.get("/api/v1/process", url=self.upstream.url("/hop/2"), width=16)
        self.assertEqual(resp.status, 200, resp)

    def test_too_many_redirects_fail(self):
        resp = self.get("/api/v1/process", url=self.upstream.url("/hop/6"), width=16)
        self.assertEqual(resp.status, 502, resp)
        self.assertEqual(self.error_code(resp), "FETCH_FAILED")

    def test_redirect_to_the_metadata_address_is_refused(self):
        resp = self.get("/api/v1/process", url=self.upstream.url("/to-metadata"))
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(self.error_code(resp), "URL_NOT_ALLOWED")

    def test_upstream_404_and_500_are_fetch_failed_without_their_bodies(self):
        for path, status in (("/missing", 404), ("/error", 500)):
            resp = self.get("/api/v1/process", url=self.upstream.url(path))
            self.assertEqual(resp.status, 502, resp)
            self.assertIn(str(status), json.loads(resp.body)["error"]["message"])
            self.assertNotIn(b"secrets", resp.body)

    def test_non_image_body_is_unsupported_and_not_echoed(self):
        resp = self.get("/api/v1/process", url=self.upstream.url("/text"))
        self.assertEqual(resp.status, 415, resp)
        self.assertNotIn(b"secrets", resp.body)

    def test_slow_upstream_times_out(self):
        start = time.monotonic()
        resp = self.get("/api/v1/process", url=self.upstream.url("/slow"))
        self.assertLess(time.monotonic() - start, 4.5)
        self.assertEqual(self.error_code(resp), "TIMEOUT")

    def test_form_and_json_url_fields_in_every_dialect(self):
        json_resp = self.server.post_json("/api/v1/resize", {"url": self.upstream.url("/photo.jpg"), "width": 20})
        self.assertEqual(json_resp.status, 200, json_resp)
        feather = self.server.post_multipart("/api/compress", [("url", self.upstream.url("/photo.jpg")), ("outputFormat", "png")])
        self.assertEqual(feather.status, 200, feather)
        self.assertEqual(sniff_image(feather.body).format, "png")
        petite = self.server.post_multipart("/v1/process", [("url", self.upstream.url("/photo.jpg")),
                                                           ("operations", '[{"op":"resize","settings":{"width":24}}]')])
        self.assertEqual(petite.status, 200, petite)
        self.assertLessEqual(sniff_image(petite.body).width, 24)


class DefaultPolicyTest(unittest.TestCase):
    def test_loopback_and_metadata_urls_are_refused_without_a_connection(self):
        upstream = Upstream()
        server = ServerProcess().start()
        try:
            for url in (upstream.url("/photo.jpg"), "http://[::1]:%d/photo.jpg" % upstream.port,
                        "http://localhost:%d/photo.jpg" % upstream.port, "http://2130706433:%d/photo.jpg" % upstream.port,
                        "http://0x7f.1:%d/photo.jpg" % upstream.port, "http://169.254.169.254/latest/meta-data/",
                        "file:///etc/passwd", "gopher://127.0.0.1/"):
                with self.subTest(url=url):
                    resp = server.get("/api/v1/process?" + urllib.parse.urlencode({"url": url}))
                    self.assertIn(resp.status, (400, 502), resp)
                    self.assertIn(json.loads(resp.body)["error"]["code"], ("URL_NOT_ALLOWED", "FETCH_FAILED", "INVALID_INPUT"))
            self.assertEqual(upstream.connections, 0)
        finally:
            server.stop()
            upstream.close()


if __name__ == "__main__":
    unittest.main()
