"""Cloudflare Images URLs (/cdn-cgi/image/<options>/<source>): sizes and fits, effects,
format=auto negotiation and format=json, same-zone paths through SOURCE_BASE_URL, and
Cloudflare's 9401 / 9404 refusals with Cf-Resized."""

import json
import unittest
import urllib.parse

from grammar_support import (BLUE, GREEN, RED, WHITE, GrammarTestCase, Origin, close, framed, grey, read_png, three_bands,
                             top_and_bottom)
from harness import ServerProcess, sniff_image


class CloudflareGrammarTest(GrammarTestCase):
    origin_files = {"/media/bands.png": three_bands(), "/media/halves.png": top_and_bottom(), "/media/framed.png": framed(),
                    "/media/grey.png": grey()}

    def get(self, options, source="/media/bands.png", headers=None):
        return self.server.get("/cdn-cgi/image/%s/%s" % (options, self.origin.url(source)), headers=headers)

    def png(self, options, source="/media/bands.png"):
        resp = self.get(options + ",format=png", source)
        self.assertEqual(resp.status, 200, resp.body[:200])
        return read_png(resp.body)

    def test_width_keeps_the_aspect(self):
        resp = self.get("width=300")
        self.assertEqual(resp.status, 200, resp.body[:200])
        self.assertEqual((sniff_image(resp.body).width, sniff_image(resp.body).height), (300, 150))
        self.assertEqual(resp.header("Cache-Control"), "public, max-age=86400")

    def test_fits(self):
        self.assertEqual(self.png("w=100,h=100,fit=cover").width, 100)
        contain = self.png("w=100,h=100,fit=contain")
        self.assertEqual((contain.width, contain.height), (100, 50))
        pad = self.png("w=100,h=100,fit=pad,background=%23ffffff")
        self.assertEqual((pad.width, pad.height), (100, 100))
        self.assertTrue(close(pad.at(50, 5), (255, 255, 255), 10))
        self.assertEqual(self.png("w=1200,fit=scale-down").width, 600)
        squeeze = self.png("w=100,h=100,fit=squeeze")
        self.assertEqual((squeeze.width, squeeze.height), (100, 100))

    def test_gravity_sides_and_point(self):
        self.assertTrue(close(self.png("w=100,h=100,fit=cover,gravity=left").at(50, 50), RED))
        self.assertTrue(close(self.png("w=100,h=100,fit=cover").at(50, 50), GREEN))
        self.assertTrue(close(self.png("w=100,h=100,fit=cover,gravity=0.95x0.5").at(50, 50), BLUE))

    def test_effects(self):
        flipped = self.png("flip=v", "/media/halves.png")
        self.assertTrue(close(flipped.at(150, 10), BLUE))
        turned = self.png("rotate=90", "/media/halves.png")
        self.assertEqual((turned.width, turned.height), (200, 300))
        grey = self.png("saturation=0,width=60")
        r, g, b = grey.at(5, 15)
        self.assertLessEqual(max(r, g, b) - min(r, g, b), 3)
        trimmed = self.png("trim=0;0;0;400")
        self.assertEqual((trimmed.width, trimmed.height), (200, 300))
        self.assertTrue(close(trimmed.at(100, 150), BLUE))

    def test_format_auto_follows_accept(self):
        avif = self.get("width=100,format=auto", headers={"Accept": "image/avif,image/webp,*/*"})
        self.assertEqual(avif.header("Content-Type"), "image/avif")
        self.assertEqual(avif.header("Vary"), "Accept")
        webp = self.get("width=100,format=auto", headers={"Accept": "image/webp,*/*"})
        self.assertEqual(webp.header("Content-Type"), "image/webp")
        plain = self.get("width=100,format=auto", headers={"Accept": "*/*"})
        self.assertEqual(plain.header("Content-Type"), "image/png")

    def test_format_json(self):
        resp = self.get("width=300,format=json")
        self.assertEqual(resp.header("Content-Type"), "application/json")
        doc = json.loads(resp.body)
        self.assertEqual((doc["width"], doc["height"]), (300, 150))
        self.assertEqual((doc["original"]["width"], doc["original"]["height"]), (600, 300))

    def test_refusals(self):
        bad = self.get("width=abc")
        self.assertEqual(bad.status, 400)
        self.assertEqual(bad.header("Cf-Resized"), "err=9401")
        self.assertTrue(bad.body.decode().startswith("ERROR 9401"))
        self.assertEqual(self.get("border=5").status, 400)
        missing = self.get("width=10", source="/media/missing.png")
        self.assertEqual(missing.status, 404)
        self.assertEqual(missing.header("Cf-Resized"), "err=9404")

    def test_border_adds_twice_its_width(self):
        pixels = self.png("border=color:%23ffffff;width:10")
        self.assertEqual((pixels.width, pixels.height), (620, 320))
        self.assertTrue(close(pixels.at(3, 3), WHITE, 10))
        self.assertTrue(close(pixels.at(15, 15), RED))
        sides = self.png("border=color:%23ffffff;top:1;right:2;bottom:3;left:4")
        self.assertEqual((sides.width, sides.height), (606, 304))

    def test_border_is_the_native_border(self):
        # The native border is the step cross-checked against sharp's extend; same pixels here.
        ours = self.png("border=color:%23336699;width:12")
        native = self.server.get("/api/v1/process?" + urllib.parse.urlencode({
            "url": self.origin.url("/media/bands.png"), "border": 12, "borderColor": "#336699", "format": "png"}))
        self.assertEqual(native.status, 200, native.body[:300])
        self.assertEqual(ours.data, read_png(native.body).data)

    def test_trim_auto_cuts_the_uniform_border(self):
        pixels = self.png("trim=auto", "/media/framed.png")
        self.assertEqual((pixels.width, pixels.height), (160, 60))
        self.assertTrue(close(pixels.at(80, 30), RED))

    def test_gamma_above_one_lightens(self):
        lighter = self.png("gamma=2", "/media/grey.png")
        self.assertGreater(lighter.at(30, 15)[0], 130)
        darker = self.png("gamma=0.5", "/media/grey.png")
        self.assertLess(darker.at(30, 15)[0], 70)

    def test_onerror_redirect_sends_the_browser_to_the_source(self):
        resp = self.get("width=10,onerror=redirect", source="/media/missing.png")
        self.assertIn(resp.status, (302, 307))
        self.assertEqual(resp.header("Location"), self.origin.url("/media/missing.png"))


class CloudflareSameZoneTest(GrammarTestCase):
    """Relative sources resolved against SOURCE_BASE_URL, Cloudflare mounted at the root."""
    origin_files = {"/media/bands.png": three_bands()}

    @classmethod
    def setUpClass(cls):
        # The origin's port is known only once it listens: SOURCE_BASE_URL names it then.
        cls.origin = Origin(cls.origin_files)
        cls.server = ServerProcess(FETCH_ALLOW_CIDRS="127.0.0.1/32", RATE_LIMIT_PER_MINUTE="0",
                                   SOURCE_BASE_URL=cls.origin.url("/media/"), CLOUDFLARE_PATH_PREFIX="/").start()
        cls.base = "http://%s:%d" % (cls.server.host, cls.server.port)

    def test_same_zone_path(self):
        resp = self.server.get("/width=120/bands.png")
        self.assertEqual(resp.status, 200, resp.body[:200])
        self.assertEqual(sniff_image(resp.body).width, 120)
        self.assertEqual(self.server.get("/healthz").status, 200)


if __name__ == "__main__":
    unittest.main()
