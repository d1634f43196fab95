"""imgproxy URLs built by imgproxy's own Node builder (@imgproxy/imgproxy-node), signed with
test keys: pixmill answers each with the documented size, format and effect, and a
tampered, expired or unsigned URL with imgproxy's own status and message."""

import base64
import hashlib
import hmac
import time
import unittest
import urllib.parse

import os
import shutil
import tempfile

from grammar_support import (BLUE, GREEN, RED, WHITE, GrammarTestCase, build_urls, close, framed, make_png, mark, read_png,
                             three_bands, top_and_bottom)
from harness import sniff_image

KEY = "943b421c9eb07c830af81030552c86009268de4e532ba2ee2eab8247c6da0881"
SALT = "520f986b998545b4785e0defbc4f3c1203f22de2374a3d53cb7a7fe9fea309c5"
OLD_KEY = "aa" * 32
OLD_SALT = "bb" * 32


class ImgproxyGrammarTest(GrammarTestCase):
    server_env = {
        "IMGPROXY_KEY": OLD_KEY + "," + KEY,
        "IMGPROXY_SALT": OLD_SALT + "," + SALT,
        "IMGPROXY_PRESETS": "thumb=rs:fill:64:64/f:webp",
        "IMGPROXY_TTL": "3600",
    }
    origin_files = {"/bands.png": three_bands(), "/halves.png": top_and_bottom()}

    def url(self, options, source="/bands.png", display="plain", key=KEY, salt=SALT):
        return build_urls([{"kind": "imgproxy", "endpoint": self.base + "/ip", "url": self.origin.url(source), "displayAs": display,
                            "options": options, "key": key, "salt": salt}])[0]

    def png(self, options, source="/bands.png"):
        resp = self.fetch(self.url(dict(options, format="png"), source))
        self.assertEqual(resp.status, 200, resp.body[:200])
        return read_png(resp.body)

    def test_resize_fill_to_webp(self):
        resp = self.fetch(self.url({"resize": {"resizing_type": "fill", "width": 300, "height": 200}, "format": "webp"}))
        self.assertEqual(resp.status, 200, resp.body[:200])
        self.assertEqual(resp.header("Content-Type"), "image/webp")
        info = sniff_image(resp.body)
        self.assertEqual((info.format, info.width, info.height), ("webp", 300, 200))

    def test_base64_source_fit_keeps_the_aspect_and_format(self):
        resp = self.fetch(self.url({"resize": {"resizing_type": "fit", "width": 100, "height": 100}}, display="base64"))
        self.assertEqual(resp.status, 200, resp.body[:200])
        info = sniff_image(resp.body)
        self.assertEqual((info.format, info.width, info.height), ("png", 100, 50))

    def test_fit_never_enlarges_unless_asked(self):
        small = self.png({"width": 1200})
        self.assertEqual(small.width, 600)
        big = self.png({"width": 1200, "enlarge": 1})
        self.assertEqual(big.width, 1200)

    def test_gravity_places_the_fill_crop(self):
        for gravity, colour in (("we", RED), ("ce", GREEN), ("ea", BLUE)):
            pixels = self.png({"resize": {"resizing_type": "fill", "width": 100, "height": 100}, "gravity": {"type": gravity}})
            self.assertTrue(close(pixels.at(50, 50), colour), (gravity, pixels.at(50, 50)))

    def test_focus_point_gravity(self):
        pixels = self.png({"resize": {"resizing_type": "fill", "width": 100, "height": 100}, "gravity": {"type": "fp", "x": 0.95, "y": 0.5}})
        self.assertTrue(close(pixels.at(50, 50), BLUE), pixels.at(50, 50))

    def test_crop_by_size_and_gravity(self):
        pixels = self.png({"crop": {"width": 150, "height": 300, "gravity": {"type": "we"}}})
        self.assertEqual((pixels.width, pixels.height), (150, 300))
        self.assertTrue(close(pixels.at(75, 150), RED))

    def test_dpr_multiplies_the_size(self):
        self.assertEqual(self.png({"width": 100, "dpr": 2}).width, 200)

    def test_rotate_and_flip(self):
        turned = self.png({"rotate": 90}, "/halves.png")
        self.assertEqual((turned.width, turned.height), (200, 300))
        flipped = self.png({"flip": {"vertical": 1}}, "/halves.png")
        self.assertTrue(close(flipped.at(150, 10), BLUE))
        self.assertTrue(close(flipped.at(150, 190), RED))

    def test_blur_softens_the_edge(self):
        sharp = self.png({}, "/halves.png")
        blurred = self.png({"blur": 6}, "/halves.png")
        edge = lambda p: p.at(150, 99)
        self.assertTrue(close(edge(sharp), RED, 10))
        self.assertFalse(close(edge(blurred), RED, 40), edge(blurred))

    def test_quality_changes_the_size(self):
        low = self.fetch(self.url({"format": "jpg", "quality": 10}))
        high = self.fetch(self.url({"format": "jpg", "quality": 95}))
        self.assertEqual((low.status, high.status), (200, 200))
        self.assertLess(len(low.body), len(high.body))

    def test_preset_from_the_server(self):
        resp = self.fetch(self.url({"preset": ["thumb"]}))
        info = sniff_image(resp.body)
        self.assertEqual((info.format, info.width, info.height), ("webp", 64, 64))

    def test_attachment_filename_and_cache_headers(self):
        resp = self.fetch(self.url({"width": 50, "return_attachment": 1, "filename": {"name": "report"}}))
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.header("Content-Disposition"), 'attachment; filename="report.png"')
        self.assertEqual(resp.header("Cache-Control"), "max-age=3600, public")
        self.assertTrue(resp.header("ETag").startswith('"'))

    def test_expires_in_the_future_shortens_the_cache_lifetime(self):
        resp = self.fetch(self.url({"width": 51, "expires": int(time.time()) + 600}))
        self.assertEqual(resp.status, 200)
        max_age = int(resp.header("Cache-Control").split("max-age=")[1].split(",")[0])
        self.assertLessEqual(max_age, 600)

    def test_conditional_get_and_head(self):
        url = self.url({"width": 52})
        first = self.fetch(url)
        self.assertEqual(first.status, 200)
        again = self.fetch(url, headers={"If-None-Match": first.header("ETag")})
        self.assertEqual(again.status, 304)
        self.assertEqual(again.body, b"")
        head = self.fetch(url, method="HEAD")
        self.assertEqual(head.status, 200)
        self.assertEqual(head.header("ETag"), first.header("ETag"))

    def test_old_key_still_signs_during_rotation(self):
        resp = self.fetch(self.url({"width": 40}, key=OLD_KEY, salt=OLD_SALT))
        self.assertEqual(resp.status, 200, resp.body[:200])

    # -- imgproxy's refusals: status and text/plain public message

    def assertRefused(self, resp, status, message):
        self.assertEqual(resp.status, status, resp.body[:200])
        self.assertEqual(resp.body.decode(), message)
        self.assertTrue(resp.header("Content-Type").startswith("text/plain"))

    def test_tampered_url_is_forbidden(self):
        url = self.url({"resize": {"resizing_type": "fill", "width": 300, "height": 200}})
        self.assertRefused(self.fetch(url.replace("fill:300", "fill:301")), 403, "Forbidden")

    def test_unknown_key_and_unsigned_urls_are_forbidden(self):
        self.assertRefused(self.fetch(self.url({"width": 10}, key="cc" * 32, salt="dd" * 32)), 403, "Forbidden")
        unsigned = build_urls([{"kind": "imgproxy", "endpoint": self.base + "/ip", "url": self.origin.url("/bands.png"),
                                "displayAs": "plain", "options": {"width": 10}}])[0]
        self.assertIn("/insecure/", unsigned)
        self.assertRefused(self.fetch(unsigned), 403, "Forbidden")

    def test_expired_url_is_invalid(self):
        self.assertRefused(self.fetch(self.url({"width": 10, "expires": int(time.time()) - 10})), 404, "Invalid URL")

    def test_pro_and_unsupported_options_are_invalid_urls(self):
        self.assertRefused(self.fetch(self.url({"brightness": 10})), 404, "Invalid URL")
        self.assertRefused(self.fetch(self.url({"trim": {"threshold": 10, "equal_hor": 1}})), 404, "Invalid URL")
        self.assertRefused(self.fetch(self.url({"max_src_resolution": 5})), 404, "Invalid URL")

    def test_unreachable_source(self):
        self.assertRefused(self.fetch(self.url({"width": 10}, source="/missing.png")), 404, "Source is unreachable")

    def test_format_pixmill_cannot_write(self):
        self.assertRefused(self.fetch(self.url({"format": "ico"})), 422, "Invalid URL")


def sign(path, key_hex, salt_hex, size):
    mac = hmac.new(bytes.fromhex(key_hex), bytes.fromhex(salt_hex) + path.encode(), hashlib.sha256).digest()[:size]
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


class ImgproxyTruncatedSignatureTest(GrammarTestCase):
    """IMGPROXY_SIGNATURE_SIZE, and an unkeyed server mounted at the root."""
    server_env = {"IMGPROXY_KEY": KEY, "IMGPROXY_SALT": SALT, "IMGPROXY_SIGNATURE_SIZE": "8", "IMGPROXY_PATH_PREFIX": "/"}
    origin_files = {"/bands.png": three_bands()}

    def test_truncated_signature_at_the_root(self):
        path = "/rs:fit:60:60/plain/" + self.origin.url("/bands.png")
        ok = self.server.get("/" + sign(path, KEY, SALT, 8) + path)
        self.assertEqual(ok.status, 200, ok.body[:200])
        self.assertEqual(sniff_image(ok.body).width, 60)
        full = self.server.get("/" + sign(path, KEY, SALT, 32) + path)
        self.assertEqual(full.status, 403)

    def test_other_routes_keep_their_paths(self):
        self.assertEqual(self.server.get("/healthz").status, 200)
        self.assertEqual(self.server.get("/metrics").status, 200)


class ImgproxyCompositingTest(GrammarTestCase):
    """watermark (+ Pro's watermark_url), trim, padding and pixelate, built by imgproxy's own
    Node builder, with a pixel property each."""
    server_env = {"IMGPROXY_KEY": KEY, "IMGPROXY_SALT": SALT}
    origin_files = {"/bands.png": three_bands(), "/framed.png": framed(), "/mark.png": mark(),
                    "/ramp.png": make_png(200, 100, lambda x, y: (x, y * 2, 128))}

    @classmethod
    def setUpClass(cls):
        cls.watermarks = tempfile.mkdtemp(prefix="pixmill-watermarks-")
        cls.addClassCleanup(shutil.rmtree, cls.watermarks, ignore_errors=True)
        with open(os.path.join(cls.watermarks, "default.png"), "wb") as f:
            f.write(mark())
        cls.server_env = dict(cls.server_env, WATERMARKS_DIR=cls.watermarks)
        super().setUpClass()

    def png(self, options, source="/bands.png"):
        url = build_urls([{"kind": "imgproxy", "endpoint": self.base + "/ip", "url": self.origin.url(source), "displayAs": "plain",
                           "options": dict(options, format="png"), "key": KEY, "salt": SALT}])[0]
        resp = self.fetch(url)
        self.assertEqual(resp.status, 200, resp.body[:300])
        return read_png(resp.body)

    def test_watermark_url_lands_at_its_gravity_with_offsets(self):
        wmu = base64.urlsafe_b64encode(self.origin.url("/mark.png").encode()).rstrip(b"=").decode()
        pixels = self.png({"watermark": {"opacity": 1, "position": "soea", "x_offset": 10, "y_offset": 10}, "watermark_url": wmu})
        self.assertEqual((pixels.width, pixels.height), (600, 300))
        self.assertTrue(close(pixels.at(560, 275), WHITE, 10), pixels.at(560, 275))  # inside the 60x30 mark
        self.assertTrue(close(pixels.at(595, 295), BLUE), pixels.at(595, 295))   # the 10 px offset
        self.assertTrue(close(pixels.at(10, 10), RED))
        half = self.png({"watermark": {"opacity": 0.5, "position": "nowe"}, "watermark_url": wmu})
        r, g, b = half.at(20, 10)
        self.assertTrue(RED[1] + 60 < g < 255 - 40, half.at(20, 10))  # red half-way to white

    def test_default_watermark_comes_from_watermarks_dir(self):
        url = build_urls([{"kind": "imgproxy", "endpoint": self.base + "/ip", "url": self.origin.url("/bands.png"), "displayAs": "plain",
                           "options": {"watermark": {"opacity": 1, "position": "nowe"}, "format": "png"}, "key": KEY, "salt": SALT}])[0]
        resp = self.fetch(url)
        self.assertEqual(resp.status, 200, resp.body[:300])
        self.assertTrue(close(read_png(resp.body).at(30, 15), WHITE, 10))

    def test_same_pixels_as_the_native_watermark(self):
        # The native parameters are cross-checked against sharp (test_compositing_reference);
        # the grammar must run the very same steps.
        wmu = base64.urlsafe_b64encode(self.origin.url("/mark.png").encode()).rstrip(b"=").decode()
        ours = self.png({"watermark": {"opacity": 0.7, "position": "soea", "x_offset": 12, "y_offset": 8}, "watermark_url": wmu})
        native = self.server.get("/api/v1/process?" + urllib.parse.urlencode({
            "url": self.origin.url("/bands.png"), "watermark": self.origin.url("/mark.png"), "watermarkGravity": "southeast",
            "watermarkX": 12, "watermarkY": 8, "watermarkOpacity": 0.7, "format": "png"}))
        self.assertEqual(native.status, 200, native.body[:300])
        self.assertEqual(ours.data, read_png(native.body).data)

    def test_trim_cuts_exactly_the_border(self):
        pixels = self.png({"trim": {"threshold": 10}}, "/framed.png")
        self.assertEqual((pixels.width, pixels.height), (160, 60))
        self.assertTrue(close(pixels.at(0, 0), RED) and close(pixels.at(159, 59), RED))

    def test_padding_adds_the_sides(self):
        pixels = self.png({"padding": {"top": 10, "right": 20, "bottom": 30, "left": 40}, "background": "ffffff"})
        self.assertEqual((pixels.width, pixels.height), (660, 340))
        self.assertTrue(close(pixels.at(5, 5), WHITE, 10))
        self.assertTrue(close(pixels.at(45, 15), RED))

    def test_pixelate_makes_blocks(self):
        pixels = self.png({"pixelate": 20}, "/ramp.png")
        self.assertEqual((pixels.width, pixels.height), (200, 100))
        self.assertEqual(pixels.at(41, 41), pixels.at(58, 58))
        self.assertNotEqual(pixels.at(41, 41), pixels.at(81, 41))


if __name__ == "__main__":
    unittest.main()
