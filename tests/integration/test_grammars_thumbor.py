"""thumbor and imagor URLs built by thumbor-js-url-builder (HMAC-SHA1, url-safe base64),
and imagor's SHA-256/truncated signer computed here: sizes, crops, alignment, filters,
meta JSON, and thumbor's and imagor's refusals."""

import base64
import hashlib
import hmac
import json
import time
import unittest
import urllib.parse

import png_support
from grammar_support import (BLUE, GREEN, RED, WHITE, GrammarTestCase, alpha_at, build_urls, close, framed, mark, read_png,
                             three_bands, top_and_bottom)
from harness import sniff_image

KEY = "thumbor-test-key"


class ThumborGrammarTest(GrammarTestCase):
    server_env = {"THUMBOR_SECURITY_KEY": KEY}
    origin_files = {"/bands.png": three_bands(), "/halves.png": top_and_bottom()}

    def url(self, calls, source="/bands.png", key=KEY):
        return build_urls([{"kind": "thumbor", "server": self.base + "/thumbor", "key": key, "image": self.origin.url(source), "calls": calls}])[0]

    def png(self, calls, source="/bands.png", filters=()):
        # The builder's filter() replaces the filters set before: pass them all at once.
        resp = self.fetch(self.url(calls + [["filter", ":".join(list(filters) + ["format(png)"])]], source))
        self.assertEqual(resp.status, 200, resp.body[:200])
        return read_png(resp.body)

    def test_crop_mode_gives_the_exact_size(self):
        resp = self.fetch(self.url([["resize", 300, 200]]))
        self.assertEqual(resp.status, 200, resp.body[:200])
        info = sniff_image(resp.body)
        self.assertEqual((info.width, info.height), (300, 200))
        self.assertEqual(resp.header("Cache-Control"), "max-age=86400,public")

    def test_fit_in_keeps_the_aspect(self):
        info = sniff_image(self.fetch(self.url([["fitIn", 100, 100]])).body)
        self.assertEqual((info.width, info.height), (100, 50))

    def test_alignment_places_the_crop(self):
        for halign, colour in (("left", RED), ("center", GREEN), ("right", BLUE)):
            pixels = self.png([["resize", 100, 100], ["halign", halign]])
            self.assertTrue(close(pixels.at(50, 50), colour), (halign, pixels.at(50, 50)))

    def test_manual_crop_then_resize(self):
        pixels = self.png([["crop", 400, 0, 600, 300]])
        self.assertEqual((pixels.width, pixels.height), (200, 300))
        self.assertTrue(close(pixels.at(100, 150), BLUE))

    def test_negative_height_flips(self):
        pixels = self.png([["resize", 300, 200], ["flipVertically"]], "/halves.png")
        self.assertTrue(close(pixels.at(150, 10), BLUE))

    def test_filters_format_quality_grayscale(self):
        resp = self.fetch(self.url([["resize", 120, 0], ["filter", "format(webp):quality(60)"]]))
        info = sniff_image(resp.body)
        self.assertEqual((info.format, info.width), ("webp", 120))
        grey = self.png([["resize", 60, 30]], filters=["grayscale()"])
        r, g, b = grey.at(5, 15)
        self.assertLessEqual(max(r, g, b) - min(r, g, b), 3)

    def test_meta_answers_json(self):
        resp = self.fetch(self.url([["resize", 300, 0], ["metaDataOnly", True]]))
        self.assertEqual(resp.status, 200, resp.body[:200])
        self.assertEqual(resp.header("Content-Type"), "application/json")
        meta = json.loads(resp.body)["thumbor"]
        self.assertEqual((meta["source"]["width"], meta["source"]["height"]), (600, 300))
        self.assertEqual((meta["target"]["width"], meta["target"]["height"]), (300, 150))

    # thumbor answers 400 to every URL it will not serve (its body is empty; ours says why).
    def test_tampered_unsafe_and_unknown_key_are_400(self):
        url = self.url([["resize", 300, 200]])
        self.assertEqual(self.fetch(url.replace("300x200", "301x200")).status, 400)
        unsafe = self.url([["resize", 300, 200]], key=None)
        self.assertIn("/unsafe/", unsafe)
        self.assertEqual(self.fetch(unsafe).status, 400)
        self.assertEqual(self.fetch(self.url([["resize", 10, 10]], key="another-key")).status, 400)

    def test_not_yet_supported_filter_is_400_and_missing_source_404(self):
        self.assertEqual(self.fetch(self.url([["filter", "rgb(20,0,0)"]])).status, 400)
        self.assertEqual(self.fetch(self.url([["resize", 10, 10]], source="/missing.png")).status, 404)


class ThumborUnsafeTest(GrammarTestCase):
    """No key: unsafe/ URLs are served, as thumbor's ALLOW_UNSAFE_URL does."""
    origin_files = {"/bands.png": three_bands()}

    def test_unsafe_url(self):
        url = build_urls([{"kind": "thumbor", "server": self.base + "/thumbor", "image": self.origin.url("/bands.png"),
                           "calls": [["resize", 90, 0]]}])[0]
        resp = self.fetch(url)
        self.assertEqual(resp.status, 200, resp.body[:200])
        self.assertEqual(sniff_image(resp.body).width, 90)


class ThumborCompositingTest(GrammarTestCase):
    """watermark(), label(), round_corner(), hue(), equalize(), the trim segment and meta's
    operations, on unsafe/ paths written out (the npm builder has no trim)."""
    origin_files = {"/bands.png": three_bands(), "/framed.png": framed(), "/mark.png": mark(), "/bomb.png": png_support.bomb(60000, 60000)}

    def get(self, path):
        return self.server.get("/thumbor/unsafe/" + path)

    def png(self, path, source="/bands.png"):
        resp = self.get(path + "/" + self.origin.url(source))
        self.assertEqual(resp.status, 200, resp.body[:300])
        self.assertEqual(sniff_image(resp.body).format, "png")
        return read_png(resp.body)

    def test_watermark_from_the_right_and_bottom_edges(self):
        mark_url = urllib.parse.quote(self.origin.url("/mark.png"), safe="")
        pixels = self.png("filters:watermark(%s,-10,-10,0):format(png)" % mark_url)
        self.assertTrue(close(pixels.at(560, 275), WHITE, 10), pixels.at(560, 275))
        self.assertTrue(close(pixels.at(595, 295), BLUE))
        self.assertTrue(close(pixels.at(10, 10), RED))
        faded = self.png("filters:watermark(%s,0,0,50):format(png)" % mark_url)
        self.assertTrue(RED[1] + 60 < faded.at(20, 10)[1] < 255 - 40, faded.at(20, 10))

    def test_watermark_bomb_is_refused_quickly(self):
        start = time.monotonic()
        resp = self.get("filters:watermark(%s,0,0,0)/%s" % (urllib.parse.quote(self.origin.url("/bomb.png"), safe=""),
                                                            self.origin.url("/bands.png")))
        self.assertTrue(400 <= resp.status < 500, (resp.status, resp.body[:300]))
        self.assertLess(time.monotonic() - start, 10)

    def test_round_corner_transparent_corners(self):
        pixels = self.png("filters:round_corner(40,255,255,255,1):format(png)")
        self.assertEqual(alpha_at(pixels, 0, 0), 0)
        self.assertEqual(alpha_at(pixels, 599, 299), 0)
        self.assertEqual(alpha_at(pixels, 300, 150), 255)
        coloured = self.get("filters:round_corner(40,0,0,255):format(jpeg)/" + self.origin.url("/bands.png"))
        self.assertEqual(coloured.status, 200, coloured.body[:300])

    def test_label_draws_text(self):
        pixels = self.png("filters:label(Hello,10,10,40,ffffff):format(png)")
        whites = sum(1 for x in range(10, 120) for y in range(10, 60) if close(pixels.at(x, y), WHITE, 30))
        self.assertGreater(whites, 50)
        self.assertTrue(close(pixels.at(150, 250), RED))

    def test_hue_and_equalize(self):
        turned = self.png("filters:hue(180):format(png)")
        self.assertFalse(close(turned.at(50, 150), RED), turned.at(50, 150))
        self.assertEqual(self.get("filters:equalize():format(png)/" + self.origin.url("/bands.png")).status, 200)

    def test_trim_segment_cuts_the_border(self):
        pixels = self.png("trim/filters:format(png)", "/framed.png")
        self.assertEqual((pixels.width, pixels.height), (160, 60))

    def test_meta_lists_the_operations(self):
        resp = self.get("meta/300x100/" + self.origin.url("/bands.png"))
        self.assertEqual(resp.status, 200, resp.body[:300])
        meta = json.loads(resp.body)["thumbor"]
        self.assertEqual(meta["source"], {"url": self.origin.url("/bands.png"), "width": 600, "height": 300, "frameCount": 1})
        self.assertEqual(meta["operations"], [{"type": "crop", "left": 0, "top": 50, "right": 600, "bottom": 250},
                                              {"type": "resize", "width": 300, "height": 100}])
        self.assertEqual(meta["target"], {"width": 300, "height": 100})


def imagor_sign(path, secret, digest, truncate):
    sig = base64.urlsafe_b64encode(hmac.new(secret.encode(), path.encode(), digest).digest()).decode()
    return sig[:truncate] if truncate else sig


class ImagorGrammarTest(GrammarTestCase):
    """IMAGOR_SECRET with IMAGOR_SIGNER_TYPE=sha256 and truncation; imagor's JSON errors."""
    server_env = {"IMAGOR_SECRET": "imagor-secret", "IMAGOR_SIGNER_TYPE": "sha256", "IMAGOR_SIGNER_TRUNCATE": "40"}
    origin_files = {"/bands.png": three_bands()}

    def get(self, path, secret="imagor-secret"):
        return self.server.get("/thumbor/" + imagor_sign(path, secret, hashlib.sha256, 40) + "/" + path)

    def test_signed_sha256_truncated(self):
        resp = self.get("fit-in/100x100/filters:format(png)/" + self.origin.url("/bands.png"))
        self.assertEqual(resp.status, 200, resp.body[:200])
        self.assertEqual(sniff_image(resp.body).width, 100)

    def test_mismatch_is_imagors_403_json(self):
        resp = self.get("fit-in/100x100/" + self.origin.url("/bands.png"), secret="wrong")
        self.assertEqual(resp.status, 403)
        self.assertEqual(json.loads(resp.body), {"message": "url signature mismatch", "status": 403})

    def test_expire_filter(self):
        past = int(time.time() * 1000) - 1000
        resp = self.get("filters:expire(%d)/%s" % (past, self.origin.url("/bands.png")))
        self.assertEqual(resp.status, 410)
        self.assertEqual(json.loads(resp.body)["message"], "expired")
        future = int(time.time() * 1000) + 600_000
        ok = self.get("filters:expire(%d)/%s" % (future, self.origin.url("/bands.png")))
        self.assertEqual(ok.status, 200)


if __name__ == "__main__":
    unittest.main()
