"""Watermarks, text, frames, colour tools, the operations list and /api/v1/info through
the real server: every watermark source (multipart part, data: URL, WATERMARKS_DIR name,
URL through the fetcher), pixels checked where they must be, and the hostile cases (a
watermark bomb, 1 MB of text, an unknown font or blend mode, 1,000 overlays) answered
with typed 4xx quickly, the server's memory flat afterwards. Inputs are made here; no
corpus is needed."""

import base64
import json
import os
import shutil
import tempfile
import time
import unittest
import urllib.parse

import png_support
from exif_support import with_exif
from harness import FilePart, LoopbackOrigin, ServerProcess, binary_is_sanitized, sniff_image

BOUND = 10.0 * (3 if binary_is_sanitized() else 1)

RED = (255, 0, 0)
BLACK = (0, 0, 0)
BASE = png_support.solid(200, 100, BLACK)
MARK = png_support.solid(20, 10, RED)


png_bomb = png_support.bomb


class CompositingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.watermarks = tempfile.mkdtemp(prefix="pixmill-watermarks-")
        with open(os.path.join(cls.watermarks, "logo.png"), "wb") as f:
            f.write(MARK)
        cls.upstream = LoopbackOrigin({"/mark.png": MARK, "/base.png": BASE}, content_type="image/png")
        cls.server = ServerProcess(WATERMARKS_DIR=cls.watermarks, FETCH_ALLOW_CIDRS="127.0.0.1/32", RATE_LIMIT_PER_MINUTE="0").start()

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop(timeout=60)
        cls.upstream.close()
        shutil.rmtree(cls.watermarks, ignore_errors=True)
        if status != 0:
            raise AssertionError("server did not stop cleanly: %r\n%s" % (status, cls.server.stderr_text()[-3000:]))

    # -- helpers

    def process(self, query, parts=(), image=BASE):
        body = [FilePart("file", "base.png", image)] + list(parts)
        return self.server.post_multipart("/api/v1/process?format=png&" + urllib.parse.urlencode(query), body)

    def png(self, resp):
        self.assertEqual(resp.status, 200, resp.body[:300])
        return png_support.decode(resp.body)

    def error(self, resp, status, code, field=None):
        self.assertEqual(resp.status, status, resp.body[:300])
        error = json.loads(resp.body)["error"]
        self.assertEqual(error["code"], code)
        if field:
            self.assertEqual(error.get("field"), field, error)
        return error

    def assertRedCornerAt(self, image, x0, y0):
        self.assertEqual(image.pixel(x0, y0)[:3], RED)
        self.assertEqual(image.pixel(x0 + 19, y0 + 9)[:3], RED)
        if x0 > 0:
            self.assertEqual(image.pixel(x0 - 1, y0)[:3], BLACK)
        if x0 + 20 < image.width:
            self.assertEqual(image.pixel(x0 + 20, y0 + 9)[:3], BLACK)

    # -- watermark sources

    def test_watermark_from_a_multipart_part(self):
        resp = self.process({"watermarkGravity": "southeast", "watermarkX": 5, "watermarkY": 3},
                            [FilePart("watermark", "logo.png", MARK)])
        self.assertRedCornerAt(self.png(resp), 200 - 5 - 20, 100 - 3 - 10)

    def test_watermark_by_name_from_the_watermarks_dir(self):
        resp = self.process({"watermark": "logo", "watermarkGravity": "northwest"})
        self.assertRedCornerAt(self.png(resp), 0, 0)

    def test_watermark_by_url_through_the_fetcher(self):
        resp = self.process({"watermark": self.upstream.url("/mark.png"), "watermarkGravity": "north"})
        self.assertRedCornerAt(self.png(resp), 90, 0)

    def test_watermark_as_a_data_url_in_json(self):
        doc = {"image": base64.b64encode(BASE).decode(), "format": "png",
               "watermark": "data:image/png;base64," + base64.b64encode(MARK).decode(), "watermarkGravity": "west"}
        resp = self.server.post_json("/api/v1/process", doc)
        self.assertRedCornerAt(self.png(resp), 0, 45)

    def test_several_watermarks_in_order(self):
        blue = png_support.solid(20, 10, (0, 0, 255))
        resp = self.process({"watermarkGravity": "northwest"},
                            [FilePart("watermark", "a.png", MARK), FilePart("watermark", "b.png", blue),
                             ("watermarkGravity", "northwest"), ("watermarkX", "10")])
        image = self.png(resp)
        self.assertEqual(image.pixel(5, 5)[:3], RED)
        self.assertEqual(image.pixel(15, 5)[:3], (0, 0, 255))  # the second one lies on top

    def test_unknown_watermark_sources_are_refused(self):
        self.error(self.process({"watermark": "nosuchlogo"}), 400, "INVALID_INPUT", "watermark")
        self.error(self.process({"watermark": "../../etc/passwd"}), 400, "INVALID_INPUT", "watermark")
        self.error(self.process({"watermark": "part:watermark#7"}), 400, "INVALID_INPUT", "watermark")
        self.error(self.process({"watermark": self.upstream.url("/missing.png")}), 502, "FETCH_FAILED", "watermark")
        self.error(self.process({"watermark": "http://169.254.169.254/latest"}), 400, "URL_NOT_ALLOWED", "watermark")
        self.error(self.process({"watermarkGravity": "south"}), 400, "INVALID_INPUT", "watermark")

    # -- text, frame, colour

    def test_text_draws_ink_in_its_colour(self):
        resp = self.process({"text": "HELLO", "textSize": 40, "textColor": "#00ff00", "textGravity": "northwest", "textX": 10, "textY": 10})
        image = self.png(resp)
        greens = [image.pixel(x, y)[1] for x in range(10, 120) for y in range(10, 50)]
        self.assertEqual(max(greens), 255)
        self.assertEqual(image.pixel(5, 5)[:3], BLACK)

    def test_right_to_left_and_cjk_text(self):
        for text in ("שלום עולם", "مرحبا بالعالم", "你好，世界"):
            resp = self.process({"text": text, "textSize": 30, "font": "Noto Sans"})
            image = self.png(resp)
            self.assertGreater(max(image.pixel(x, 50)[0] for x in range(200)), 200, text)

    def test_border_mask_and_padding(self):
        image = self.png(self.process({"border": 10, "borderColor": "#ff0000"}))
        self.assertEqual((image.width, image.height), (220, 120))
        self.assertEqual(image.pixel(0, 0)[:3], RED)
        circle = self.png(self.process({"mask": "circle"}))
        self.assertEqual(circle.channels, 4)
        self.assertEqual(circle.pixel(0, 0)[3], 0)
        self.assertEqual(circle.pixel(100, 50)[3], 255)
        padded = self.png(self.process({"extend": "5,6,7,8", "extendColor": "#ffffff"}))
        self.assertEqual((padded.width, padded.height), (214, 112))
        jpeg = self.server.post_multipart("/api/v1/process?format=jpeg&mask=circle&background=%23ff0000", [FilePart("file", "b.png", BASE)])
        self.assertEqual(jpeg.status, 200)
        auto = self.server.post_multipart("/api/v1/process?format=auto&mask=circle", [FilePart("file", "b.png", BASE)],
                                          headers={"Accept": "image/webp"})
        self.assertIn(sniff_image(auto.body).format, ("webp", "png"))

    def test_trim_removes_the_uniform_border(self):
        framed = png_support.encode(100, 80, lambda x, y: RED if 10 <= x < 90 and 20 <= y < 60 else (255, 255, 255))
        image = self.png(self.process({"trim": "true"}, image=framed))
        self.assertEqual((image.width, image.height), (80, 40))

    def test_colour_tools(self):
        grey = png_support.solid(40, 40, (100, 100, 100))
        negated = self.png(self.process({"negate": "true"}, image=grey))
        self.assertEqual(negated.pixel(0, 0)[:3], (155, 155, 155))
        for params in ({"gamma": 2.2}, {"tint": "#3366cc"}, {"duotone": "#000040,#ffe0a0"}, {"hue": 90}, {"pixelate": 8},
                       {"normalize": "true"}, {"unsharpSigma": 1.2, "unsharpJagged": 3}, {"lightness": 1.2, "modulateSpace": "lch"}):
            self.png(self.process(params, image=grey))

    def test_operations_run_in_the_given_order(self):
        base = base64.b64encode(BASE).decode()
        text_then_blur = {"image": base, "format": "png", "operations": [{"text": "HI", "textSize": 60, "textColor": "#ffffff"}, {"blur": 8}]}
        blur_then_text = {"image": base, "format": "png", "operations": [{"blur": 8}, {"text": "HI", "textSize": 60, "textColor": "#ffffff"}]}
        a = self.png(self.server.post_json("/api/v1/process", text_then_blur))
        b = self.png(self.server.post_json("/api/v1/process", blur_then_text))
        self.assertLess(max(a.pixel(x, 50)[0] for x in range(200)), 250)   # the text was blurred
        self.assertEqual(max(b.pixel(x, 50)[0] for x in range(200)), 255)  # crisp text on top
        cropped = self.png(self.server.post_json("/api/v1/process", {"image": base, "format": "png",
                                                                      "operations": [{"crop": "0,0,50,40"}, {"border": 2}]}))
        self.assertEqual((cropped.width, cropped.height), (54, 44))
        refused = self.server.post_json("/api/v1/process", {"image": base, "operations": [{"quality": 50}]})
        self.error(refused, 400, "INVALID_INPUT", "operations")

    # -- /api/v1/info

    def test_info_by_post_and_by_url(self):
        resp = self.server.post_raw("/api/v1/info", BASE, "image/png")
        self.assertEqual(resp.status, 200, resp.body[:300])
        facts = json.loads(resp.body)
        self.assertEqual((facts["format"], facts["width"], facts["height"]), ("png", 200, 100))
        self.assertEqual(facts["averageColour"], "#000000")
        self.assertEqual(len(facts["phash"]), 16)
        self.assertEqual(len(facts["blurhash"]), 28)
        self.assertGreater(len(base64.b64decode(facts["thumbhash"])), 5)
        by_url = self.server.get("/api/v1/info?" + urllib.parse.urlencode({"url": self.upstream.url("/base.png")}))
        self.assertEqual(by_url.status, 200, by_url.body[:300])
        self.assertEqual(json.loads(by_url.body)["blurhash"], facts["blurhash"])

    def test_info_hides_gps_coordinates_unless_asked(self):
        jpeg = self.server.post_multipart("/api/v1/process?format=jpeg", [FilePart("file", "b.png", BASE)]).body
        tagged = with_exif(jpeg, latitude=51.5, longitude=-0.125)
        plain = json.loads(self.server.post_raw("/api/v1/info", tagged, "image/jpeg").body)
        self.assertEqual(plain["exif"]["make"], "PixmillCam")
        self.assertTrue(plain["exif"]["gps"])
        self.assertNotIn("gpsPosition", plain["exif"])
        self.assertNotIn("51.5", json.dumps(plain))
        asked = json.loads(self.server.post_raw("/api/v1/info?gps=true", tagged, "image/jpeg").body)
        self.assertAlmostEqual(asked["exif"]["gpsPosition"]["latitude"], 51.5, places=3)
        self.assertAlmostEqual(asked["exif"]["gpsPosition"]["longitude"], -0.125, places=3)

    def test_info_refusals(self):
        self.error(self.server.post_raw("/api/v1/info", b"not an image" * 10, "image/png"), 415, "UNSUPPORTED_FORMAT")
        self.error(self.server.post_raw("/api/v1/info?width=3", BASE, "image/png"), 400, "INVALID_INPUT", "width")
        self.error(self.server.post_raw("/api/v1/info", png_bomb(100000, 100000), "image/png"), 422, "TOO_MANY_PIXELS")

    # -- hostile input

    def hostile_cases(self):
        return [
            ("watermark bomb", lambda: self.process({}, [FilePart("watermark", "bomb.png", png_bomb(60000, 60000))]), 422, "TOO_MANY_PIXELS"),
            ("1 MB of text in JSON", lambda: self.server.post_json("/api/v1/process", {"image": base64.b64encode(BASE).decode(), "text": "x" * (1 << 20)}), 400, "INVALID_INPUT"),
            ("1 MB of text in a form field", lambda: self.server.post_multipart("/api/v1/process", [FilePart("file", "b.png", BASE), ("text", "y" * ((1 << 20) - 1024))]), 400, "INVALID_INPUT"),
            ("unknown font", lambda: self.process({"text": "hi", "font": "Comic Sans Nowhere"}), 400, "INVALID_INPUT"),
            ("unknown blend mode", lambda: self.process({"watermark": "logo", "watermarkBlend": "glow"}), 400, "INVALID_INPUT"),
            ("1,000 overlays", lambda: self.server.post_multipart("/api/v1/process?" + "&".join(["watermark=logo"] * 1000), [FilePart("file", "b.png", BASE)]), 400, "INVALID_INPUT"),
            ("1,000 overlay parts", lambda: self.server.post_multipart("/api/v1/process", [FilePart("file", "b.png", BASE)] + [FilePart("watermark", "m.png", MARK)] * 1000), 400, "INVALID_INPUT"),
            ("huge text size", lambda: self.process({"text": "W" * 1500, "textSize": 500}), 400, "INVALID_INPUT"),
            ("watermark that is not an image", lambda: self.process({}, [FilePart("watermark", "m.png", b"<html>" * 100)]), 415, "UNSUPPORTED_FORMAT"),
        ]

    def rss_kb(self):
        with open("/proc/%d/status" % self.server.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def test_hostile_input_gets_typed_4xx_quickly(self):
        for name, call, status, code in self.hostile_cases():
            started = time.monotonic()
            resp = call()
            elapsed = time.monotonic() - started
            with self.subTest(name):
                self.error(resp, status, code)
                self.assertLess(elapsed, BOUND, "%s took %.1f s" % (name, elapsed))
        self.png(self.process({"watermark": "logo"}))  # and the server still works

    @unittest.skipIf(binary_is_sanitized(), "ASan's allocator keeps freed memory in quarantine")
    def test_hostile_input_leaks_nothing(self):
        cases = self.hostile_cases()
        for _, call, _, _ in cases:
            call()  # warm up: caches, fontconfig, thread arenas
        before = self.rss_kb()
        for _ in range(5):
            for _, call, _, _ in cases:
                call()
        grown_mb = (self.rss_kb() - before) / 1024
        self.assertLess(grown_mb, 40, "resident memory grew by %.0f MB over %d hostile requests" % (grown_mb, 5 * len(cases)))


if __name__ == "__main__":
    unittest.main()
