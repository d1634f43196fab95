"""The native dialect: /api/v1/{process,resize,convert,effects,optimize,preset/*,remove-bg}."""

import base64
import unittest
import urllib.parse

from harness import FilePart, ServerTestCase, make_png, send, sniff_image

EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "avif": "avif", "gif": "gif", "tiff": "tif", "bmp": "bmp", "jxl": "jxl",
              "heic": "heic"}


def pad_to_multiple_of_three(data):
    """JPEG bytes whose base64 needs no '=' padding (decoders ignore data after EOI)."""
    return data + b"\x00" * ((3 - len(data) % 3) % 3)


class NativeTestCase(ServerTestCase):
    def raw(self, endpoint, data, content_type="application/octet-stream", headers=None, **params):
        return self.server.post_raw(self.url(endpoint, **params), data, content_type, headers)

    def form(self, endpoint, source, query=None, **fields):
        parts = [source if isinstance(source, FilePart) else source.part()]
        parts += [(k, str(v)) for k, v in fields.items()]
        return self.server.post_multipart(self.url(endpoint, **(query or {})), parts)

    @staticmethod
    def url(endpoint, **params):
        path = "/api/v1/" + endpoint
        if params:
            path += "?" + urllib.parse.urlencode({k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()})
        return path

    def small_photo(self):
        return self.corpus.pick("photo-small", where=lambda r: r.format == "jpeg", key=lambda r: (-min(r.width, 1000), r.bytes))

    def tiny_photo(self):
        return self.corpus.pick("photo-small", where=lambda r: r.format == "jpeg")

    def medium_photo(self):
        return self.corpus.pick("photo-medium", where=lambda r: r.format == "jpeg", key=lambda r: (r.pixels, r.bytes))

    def assertNativeImage(self, resp, fmt, width=None, height=None, original=None, name="image"):
        info = self.assertImageResponse(resp, fmt, width, height, original)
        self.assertEqual(resp.header("Content-Disposition"), 'inline; filename="%s.%s"' % (name, EXTENSIONS[fmt]))
        return info


class NativeSeedTest(NativeTestCase):
    def test_seed_query_params_with_raw_body(self):
        src = self.medium_photo()
        resp = self.raw("process", src.read(), width=800, format="webp", brightness=10, contrast=15, sharpen=20)
        info = self.assertNativeImage(resp, "webp", width=800, original=src.bytes)
        self.assertAlmostEqual(info.height, src.height * 800 / src.width, delta=1)
        self.assertEqual(resp.header("X-Resized"), "true")

    def test_seed_raw_body_with_curl_default_form_label(self):
        src = self.small_photo()
        resp = self.raw("process", src.read(), "application/x-www-form-urlencoded", width=200, format="jpeg")
        info = self.assertNativeImage(resp, "jpeg", width=200, original=src.bytes)
        self.assertAlmostEqual(info.height, src.height * 200 / src.width, delta=1)

    def test_seed_raw_body_with_image_content_type(self):
        src = self.small_photo()
        resp = self.raw("process", src.read(), "image/jpeg", width=100)
        self.assertNativeImage(resp, "jpeg", width=100, original=src.bytes)

    def test_seed_json_base64_body(self):
        src = self.tiny_photo()
        data = pad_to_multiple_of_three(src.read())
        resp = self.server.post_json("/api/v1/process", {"image": base64.b64encode(data).decode(), "width": 64,
                                                         "format": "png"})
        self.assertNativeImage(resp, "png", width=64, original=len(data))

    def test_seed_json_data_url_body(self):
        src = self.tiny_photo()
        data = pad_to_multiple_of_three(src.read())
        url = "data:image/jpeg;base64," + base64.b64encode(data).decode()
        resp = self.server.post_json("/api/v1/process", {"image": url, "width": 32, "format": "webp", "quality": 70})
        self.assertNativeImage(resp, "webp", width=32, original=len(data))

    # Regression (fixed in the server): base64 that ends in '=' padding is refused as "image is not valid base64"; any
    # image whose length is not a multiple of 3 cannot be sent in the JSON form.
    def test_json_base64_with_padding_is_decoded(self):
        src = self.tiny_photo()
        data = src.read()
        if len(data) % 3 == 0:
            data += b"\x00"
        encoded = base64.b64encode(data).decode()
        self.assertTrue(encoded.endswith("="))
        resp = self.server.post_json("/api/v1/process", {"image": encoded, "width": 64, "format": "png"})
        self.assertNativeImage(resp, "png", width=64, original=len(data))

    # Regression (fixed in the server): the same padding defect through a data URL.
    def test_json_data_url_with_padding_is_decoded(self):
        src = self.tiny_photo()
        data = src.read()
        if len(data) % 3 == 0:
            data += b"\x00"
        url = "data:image/jpeg;base64," + base64.b64encode(data).decode()
        resp = self.server.post_json("/api/v1/process", {"image": url, "width": 64, "format": "png"})
        self.assertNativeImage(resp, "png", width=64, original=len(data))

    def test_seed_multipart_form_upload(self):
        src = self.small_photo()
        resp = self.form("process", src, width=240, format="png")
        info = self.assertNativeImage(resp, "png", width=240, original=src.bytes, name=src.stem)
        self.assertAlmostEqual(info.height, src.height * 240 / src.width, delta=1)

    def test_query_and_form_params_combine(self):
        src = self.small_photo()
        resp = self.form("process", src, query={"width": 120}, format="webp")
        self.assertNativeImage(resp, "webp", width=120, name=src.stem)


class NativeParamsTest(NativeTestCase):
    def test_default_format_is_the_original(self):
        for category, fmt in (("photo-small", "jpeg"), ("png-palette-alpha", "png"), ("webp-lossy", "webp"),
                              ("gif-static", "gif")):
            rows = self.corpus.category(category, where=lambda r: r.format == fmt)
            if not rows:
                continue
            src = min(rows, key=lambda r: r.bytes)
            with self.subTest(file=src.file):
                self.assertNativeImage(self.raw("process", src.read(), width=40), fmt, width=40)

    def test_every_output_format(self):
        src = self.tiny_photo()
        for fmt in ("jpeg", "png", "webp", "avif", "gif", "tiff", "bmp"):
            with self.subTest(fmt=fmt):
                resp = self.raw("process", src.read(), format=fmt)
                self.assertNativeImage(resp, fmt, src.width, src.height)

    def test_format_aliases(self):
        src = self.tiny_photo()
        for alias, fmt in (("jpg", "jpeg"), ("tif", "tiff")):
            with self.subTest(alias=alias):
                self.assertNativeImage(self.raw("process", src.read(), format=alias), fmt)
        self.assertNativeImage(self.raw("process", src.read(), fm="png"), "png")

    def test_auto_format_with_avif_accept_gives_avif(self):
        src = self.tiny_photo()
        resp = self.raw("process", src.read(), headers={"Accept": "image/avif,image/webp,*/*"}, format="auto")
        self.assertNativeImage(resp, "avif", src.width, src.height)
        self.assertIn("accept", (resp.header("Vary") or "").lower())

    def test_auto_format_without_avif_accept_is_not_avif(self):
        src = self.tiny_photo()
        resp = self.raw("process", src.read(), headers={"Accept": "*/*"}, format="auto")
        self.assertEqual(resp.status, 200)
        fmt = resp.header("Content-Type").split("/")[1]
        self.assertNotEqual(fmt, "avif")
        self.assertNativeImage(resp, fmt, src.width, src.height)

    def test_jxl_output_and_input(self):
        src = self.tiny_photo()
        resp = self.raw("process", src.read(), format="jxl", quality=70)
        self.assertNativeImage(resp, "jxl", src.width, src.height)
        self.assertEqual(resp.header("X-Output-Quality"), "70")
        back = self.raw("process", resp.body, format="png")
        self.assertNativeImage(back, "png", src.width, src.height)

    def test_animation_to_avif_and_jxl_keeps_its_frames(self):
        # Animated AVIF (an image sequence, counted here from its sample table) and JPEG
        # XL carry every frame and its delay; each converts back to an animated WebP.
        src = self.corpus.pick("gif-animated", where=lambda r: sniff_image(r.read()).frames > 2)
        frames = sniff_image(src.read()).frames
        resp = self.raw("process", src.read(), format="avif", width=48, effort=0)
        info = self.assertNativeImage(resp, "avif", 48, round(src.height * 48 / src.width))
        self.assertIn("avis", info.extra["brands"])
        self.assertEqual(info.frames, frames)
        self.assertEqual(len(info.delays_ms), frames)
        for fmt, body in (("avif", resp.body), ("jxl", self.raw("process", src.read(), format="jxl", width=48).body)):
            with self.subTest(output=fmt):
                back = self.raw("process", body, format="webp")
                self.assertEqual(self.assertNativeImage(back, "webp", 48, info.height).frames, frames)
                still = self.raw("process", body, format="png")
                self.assertNativeImage(still, "png", 48, info.height)

    def test_heic_output_decodes_as_heif(self):
        src = self.tiny_photo()
        resp = self.raw("process", src.read(), format="heic", width=64)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.header("Content-Type"), "image/heic")
        info = resp.image()
        self.assertEqual((info.format, info.width), ("heif", 64))

    def test_auto_format_picks_jxl_only_when_accepted(self):
        src = self.tiny_photo()
        resp = self.raw("process", src.read(), headers={"Accept": "image/jxl,image/avif,*/*"}, format="auto")
        self.assertNativeImage(resp, "jxl", src.width, src.height)
        resp = self.raw("process", src.read(), headers={"Accept": "image/avif,*/*"}, format="auto")
        self.assertNativeImage(resp, "avif", src.width, src.height)

    def test_ultrahdr_gain_map_kept_in_jpeg_and_dropped_in_webp(self):
        # UltraHDR: the gain map is a second JPEG listed by an MPF (APP2) index, and its
        # parameters are XMP in the hdrgm namespace. Kept for JPEG even when stripping
        # metadata; gone, claim included, when the output format cannot carry it.
        src = self.corpus.pick("jpeg-gainmap-ultrahdr")
        claim = b"http://ns.adobe.com/hdr-gain-map/"
        resp = self.raw("process", src.read(), format="jpeg", width=320, stripMetadata="true")
        self.assertNativeImage(resp, "jpeg", 320, round(src.height * 320 / src.width))
        self.assertIn(b"MPF\x00", resp.body)
        self.assertIn(claim, resp.body)
        self.assertGreaterEqual(resp.body.count(b"\xff\xd8\xff"), 2)
        resp = self.raw("process", src.read(), format="webp", width=320, stripMetadata="false")
        self.assertNativeImage(resp, "webp", 320, round(src.height * 320 / src.width))
        self.assertNotIn(claim, resp.body)

    def test_quality_auto_reports_the_chosen_quality(self):
        src = self.tiny_photo()
        chosen = {}
        for level in ("auto:high", "auto", "auto:low"):
            with self.subTest(level=level):
                resp = self.raw("process", src.read(), format="webp", quality=level)
                self.assertNativeImage(resp, "webp", src.width, src.height)
                chosen[level] = int(resp.header("X-Output-Quality"))
                self.assertTrue(30 <= chosen[level] <= 95, chosen)
                self.assertLessEqual(int(resp.header("X-Iterations")), 6)
        self.assertGreaterEqual(chosen["auto:high"], chosen["auto:low"])
        # AVIF settles at a finer effort in its last encodes: still at most six.
        resp = self.raw("process", src.read(), format="avif", quality="auto")
        self.assertNativeImage(resp, "avif", src.width, src.height)
        self.assertTrue(20 <= int(resp.header("X-Output-Quality")) <= 85, resp.header("X-Output-Quality"))
        self.assertLessEqual(int(resp.header("X-Iterations")), 6)
        self.assertNativeError(self.raw("process", src.read(), quality="auto:best"), 400, "INVALID_INPUT", "quality")

    def test_avif_default_quality_is_judged_and_a_named_one_is_kept(self):
        src = self.tiny_photo()
        # Nothing named: one judged probe at 50, then at most one re-encode (up or down).
        resp = self.raw("process", src.read(), format="avif")
        self.assertNativeImage(resp, "avif", src.width, src.height)
        iterations, quality = int(resp.header("X-Iterations")), int(resp.header("X-Output-Quality"))
        self.assertIn(iterations, (1, 2))
        self.assertTrue(34 <= quality <= 85, quality)
        self.assertEqual(quality == 50, iterations == 1)
        # A flat field scores far under the target at q50: a step down, in two encodes.
        flat = self.raw("process", make_png(64, 48, lambda x, y: (120, 140, 160)), format="avif")
        self.assertEqual(flat.header("X-Iterations"), "2")
        self.assertTrue(34 <= int(flat.header("X-Output-Quality")) < 50, flat.header("X-Output-Quality"))
        # A named quality (or effort) is one encode at that quality.
        for extra in ({"quality": 50}, {"effort": 3}):
            with self.subTest(**extra):
                resp = self.raw("process", src.read(), format="avif", **extra)
                self.assertNativeImage(resp, "avif", src.width, src.height)
                self.assertEqual((resp.header("X-Iterations"), resp.header("X-Output-Quality")), ("1", "50"))

    def test_fit_modes(self):
        src = self.small_photo()  # landscape or square; the box below is portrait
        box_w, box_h = 100, 150
        fit_scale = min(box_w / src.width, box_h / src.height)
        expected = {
            "fit": (round(src.width * fit_scale), round(src.height * fit_scale)),
            "inside": (round(src.width * fit_scale), round(src.height * fit_scale)),
            "fill": (box_w, box_h), "cover": (box_w, box_h),
            "pad": (box_w, box_h), "contain": (box_w, box_h),
            "stretch": (box_w, box_h),
        }
        for fit, (w, h) in expected.items():
            with self.subTest(fit=fit):
                resp = self.raw("process", src.read(), width=box_w, height=box_h, fit=fit, format="png")
                info = self.assertNativeImage(resp, "png")
                self.assertAlmostEqual(info.width, w, delta=1)
                self.assertAlmostEqual(info.height, h, delta=1)

    def test_fill_with_each_gravity(self):
        src = self.small_photo()
        for gravity in ("center", "north", "southeast", "west", "attention", "entropy", "smart"):
            with self.subTest(gravity=gravity):
                resp = self.raw("process", src.read(), width=60, height=60, fit="fill", gravity=gravity, format="png")
                self.assertNativeImage(resp, "png", 60, 60)

    def test_without_enlargement_keeps_small_images(self):
        src = self.tiny_photo()
        resp = self.raw("process", src.read(), width=src.width * 4, withoutEnlargement=True)
        self.assertNativeImage(resp, "jpeg", src.width, src.height)
        self.assertEqual(resp.header("X-Resized"), "false")

    def test_resize_enlarges_by_default(self):
        src = self.tiny_photo()
        resp = self.raw("process", src.read(), width=src.width * 2)
        self.assertNativeImage(resp, "jpeg", src.width * 2, src.height * 2)

    def test_crop_text_rectangle(self):
        src = self.small_photo()
        self.assertNativeImage(self.raw("process", src.read(), crop="5,6,70,30", format="png"), "png", 70, 30)

    def test_crop_fields_rectangle(self):
        src = self.small_photo()
        resp = self.raw("process", src.read(), cropX=5, cropY=6, cropWidth=70, cropHeight=30, format="png")
        self.assertNativeImage(resp, "png", 70, 30)

    def test_malformed_crop_text_is_400(self):
        src = self.small_photo()
        for value in ("1,2,3", "a,b,c,d", "1,2,3,4,5", "1;2;3;4"):
            with self.subTest(crop=value):
                self.assertNativeError(self.raw("process", src.read(), crop=value), 400, "INVALID_INPUT", field="crop")

    def test_rotate_right_angles(self):
        src = self.small_photo()
        for angle, (w, h) in ((90, (src.height, src.width)), (180, (src.width, src.height)),
                              (270, (src.height, src.width)), (-90, (src.height, src.width))):
            with self.subTest(rotate=angle):
                self.assertNativeImage(self.raw("process", src.read(), rotate=angle), "jpeg", w, h)

    def test_free_rotation_grows_the_canvas(self):
        src = self.small_photo()
        info = self.assertNativeImage(self.raw("process", src.read(), rotate=45, background="#ff000080", format="png"),
                                      "png")
        self.assertGreater(info.width, src.width)
        self.assertGreater(info.height, src.height)

    def test_effects_keep_dimensions(self):
        src = self.small_photo()
        resp = self.raw("process", src.read(), brightness=-30, contrast=40, saturation=-100, blur=2, sharpen=50,
                        sepia=True, flip=True, flop=True)
        self.assertNativeImage(resp, "jpeg", src.width, src.height)

    def test_grayscale_aliases_give_one_jpeg_component(self):
        src = self.small_photo()
        for name in ("grayscale", "greyscale"):
            with self.subTest(name=name):
                info = self.assertNativeImage(self.raw("process", src.read(), **{name: True}), "jpeg")
                self.assertEqual(info.components, 1)

    def test_progressive_jpeg(self):
        src = self.small_photo()
        info = self.assertNativeImage(self.raw("process", src.read(), progressive=True), "jpeg")
        self.assertTrue(info.progressive)

    def test_lossless_webp(self):
        src = self.tiny_photo()
        resp = self.raw("process", src.read(), format="webp", lossless=True)
        self.assertNativeImage(resp, "webp", src.width, src.height)
        self.assertIn(b"VP8L", resp.body)  # the lossless bitstream
        self.assertIsNone(resp.header("X-Output-Quality"))

    def test_target_kb_is_met(self):
        src = self.medium_photo()
        resp = self.raw("process", src.read(), format="jpeg", quality=95, targetKb=40)
        self.assertNativeImage(resp, "jpeg")
        self.assertLessEqual(len(resp.body), 40 * 1024)
        self.assertEqual(resp.header("X-Target-Met"), "true")

    def test_target_bytes_is_met(self):
        src = self.medium_photo()
        resp = self.raw("process", src.read(), format="webp", targetBytes=20000)
        self.assertNativeImage(resp, "webp")
        self.assertLessEqual(len(resp.body), 20000)
        self.assertEqual(resp.header("X-Target-Met"), "true")

    def test_pad_uses_the_background_colour(self):
        src = self.small_photo()
        for colour in ("#00ff00", "#00ff0080", "0,255,0", "0,255,0,128", "transparent"):
            with self.subTest(background=colour):
                resp = self.raw("process", src.read(), width=100, height=100, fit="pad", background=colour, format="png")
                self.assertNativeImage(resp, "png", 100, 100)

    def test_unknown_parameter_is_400_naming_it(self):
        src = self.tiny_photo()
        doc = self.assertNativeError(self.raw("process", src.read(), bogus=1), 400, "INVALID_INPUT", field="bogus")
        self.assertEqual(doc["error"]["message"], "unknown parameter: bogus")

    def test_unknown_form_field_is_400(self):
        src = self.tiny_photo()
        self.assertNativeError(self.form("process", src, colour="red"), 400, "INVALID_INPUT", field="colour")

    def test_out_of_range_values_are_400_naming_the_field(self):
        src = self.tiny_photo()
        cases = [("width", "0"), ("width", "12px"), ("height", "-5"), ("fit", "squash"), ("gravity", "up"),
                 ("brightness", "101"), ("contrast", "-101"), ("saturation", "200"), ("blur", "101"),
                 ("sharpen", "-1"), ("rotate", "361"), ("quality", "0"), ("quality", "101"), ("effort", "10"),
                 ("format", "jp2"), ("background", "notacolour"), ("targetKb", "0"), ("targetBytes", "10"),
                 ("progressive", "perhaps")]
        for name, value in cases:
            with self.subTest(param=name, value=value):
                self.assertNativeError(self.raw("process", src.read(), **{name: value}), 400, "INVALID_INPUT",
                                       field=name)

    def test_loopback_url_is_refused_by_the_default_policy(self):
        resp = self.server.get(self.url("process", url="http://127.0.0.1:9/x.jpg", width=10))
        self.assertNativeError(resp, 400, "URL_NOT_ALLOWED", field="url")

    def test_get_without_an_image_is_400(self):
        self.assertNativeError(self.server.get(self.url("process", width=10)), 400, "INVALID_INPUT")

    def test_post_without_an_image_is_400(self):
        self.assertNativeError(self.raw("process", b""), 400, "INVALID_INPUT")

    def test_head_mirrors_get_status_without_body(self):
        conn = self.server.connection()
        try:
            resp = send(conn, "HEAD", self.url("process", width=10))
            self.assertEqual(resp.status, 400)
            self.assertEqual(resp.body, b"")
        finally:
            conn.close()


class NativeEndpointTest(NativeTestCase):
    def test_convert_requires_format(self):
        src = self.tiny_photo()
        self.assertNativeError(self.raw("convert", src.read()), 400, "INVALID_INPUT", field="format")

    def test_convert_changes_format(self):
        src = self.tiny_photo()
        self.assertNativeImage(self.raw("convert", src.read(), format="png", quality=90), "png", src.width, src.height)

    def test_convert_refuses_geometry(self):
        src = self.tiny_photo()
        self.assertNativeError(self.raw("convert", src.read(), format="png", width=10), 400, "INVALID_INPUT",
                               field="width")

    def test_resize_accepts_geometry_and_output(self):
        src = self.small_photo()
        self.assertNativeImage(self.raw("resize", src.read(), width=50, height=50, fit="fill", format="webp"),
                               "webp", 50, 50)

    def test_resize_refuses_effects(self):
        src = self.tiny_photo()
        self.assertNativeError(self.raw("resize", src.read(), width=50, blur=2), 400, "INVALID_INPUT", field="blur")

    def test_effects_accepts_effects_and_output(self):
        src = self.small_photo()
        self.assertNativeImage(self.raw("effects", src.read(), sepia=True, blur=1, format="png"), "png",
                               src.width, src.height)

    def test_effects_refuses_geometry(self):
        src = self.tiny_photo()
        self.assertNativeError(self.raw("effects", src.read(), width=50), 400, "INVALID_INPUT", field="width")

    def test_optimize_defaults_to_webp(self):
        src = self.small_photo()
        resp = self.raw("optimize", src.read())
        self.assertNativeImage(resp, "webp", src.width, src.height)

    def test_optimize_never_enlarges(self):
        src = self.small_photo()
        resp = self.raw("optimize", src.read(), width=src.width * 3)
        self.assertNativeImage(resp, "webp", src.width, src.height)

    def test_optimize_strips_metadata(self):
        rows = self.corpus.category("exif-orientation", where=lambda r: r.format == "jpeg")
        src = next((r for r in rows if (sniff_image(r.read()) or None) and sniff_image(r.read()).has_exif), None)
        if src is None:
            self.skipTest("no JPEG with EXIF")
        resp = self.raw("optimize", src.read(), format="jpeg", width=100)
        info = self.assertNativeImage(resp, "jpeg", width=100)
        self.assertFalse(info.has_exif)

    def test_optimize_refuses_effects(self):
        src = self.tiny_photo()
        self.assertNativeError(self.raw("optimize", src.read(), sepia=True), 400, "INVALID_INPUT", field="sepia")

    def test_preset_fills_the_preset_size(self):
        src = self.small_photo()
        for name, (w, h) in (("ig-post", (1080, 1080)), ("ad-leaderboard", (728, 90)), ("ad-med-rect", (300, 250)),
                             ("og-image", (1200, 630))):
            with self.subTest(preset=name):
                self.assertNativeImage(self.raw("preset/" + name, src.read(), format="jpeg"), "jpeg", w, h)

    def test_preset_alias(self):
        src = self.small_photo()
        self.assertNativeImage(self.raw("preset/instagram-square", src.read(), format="webp"), "webp", 1080, 1080)

    def test_preset_keeps_original_format_by_default(self):
        src = self.small_photo()
        self.assertNativeImage(self.raw("preset/ad-med-rect", src.read()), "jpeg", 300, 250)

    def test_unknown_preset_is_404(self):
        src = self.tiny_photo()
        self.assertNativeError(self.raw("preset/no-such-preset", src.read()), 404, "NOT_FOUND")

    def test_preset_refuses_geometry_overrides(self):
        src = self.tiny_photo()
        self.assertNativeError(self.raw("preset/ig-post", src.read(), width=10), 400, "INVALID_INPUT", field="width")


class NativeInputErrorTest(NativeTestCase):
    def test_unsupported_formats_are_415(self):
        rows = self.corpus.category("not-image", "other-format")
        self.assertTrue(rows)
        for src in rows:
            with self.subTest(file=src.file):
                self.assertNativeError(self.raw("process", src.read(), content_type="image/jpeg"), 415,
                                       "UNSUPPORTED_FORMAT")

    def test_corrupt_and_truncated_images_are_422(self):
        rows = self.corpus.category("corrupt", "truncated")
        self.assertTrue(rows)
        for src in rows:
            with self.subTest(file=src.file):
                self.assertNativeError(self.raw("process", src.read(), content_type="image/jpeg"), 422,
                                       "INVALID_IMAGE")

    def test_images_over_the_pixel_limit_are_422(self):
        rows = self.corpus.category("bomb-dimensions", where=lambda r: r.pixels > 100_000_000)
        if not rows:
            self.skipTest("no bomb over the default pixel limit")
        for src in rows:
            with self.subTest(file=src.file):
                self.assertNativeError(self.raw("process", src.read(), width=100), 422, "TOO_MANY_PIXELS")

    def test_hostile_svgs_are_answered_without_hanging(self):
        rows = self.corpus.category("svg-hostile")
        if not rows:
            self.skipTest("no hostile SVGs")
        for src in rows:
            with self.subTest(file=src.file):
                resp = self.raw("process", src.read(), content_type="image/svg+xml", format="png")
                self.assertIn(resp.status, (200, 400, 415, 422, 504), resp)
                if resp.status == 200:
                    self.assertNativeImage(resp, "png")
                else:
                    self.assertIn("error", resp.json())
        self.assertEqual(self.server.get("/healthz").status, 200)

    def test_invalid_json_body_is_400(self):
        resp = self.server.request("POST", "/api/v1/process", b"{not json", {"Content-Type": "application/json"})
        self.assertNativeError(resp, 400, "INVALID_INPUT")

    def test_json_image_that_is_not_base64_is_400(self):
        resp = self.server.post_json("/api/v1/process", {"image": "!!!not base64!!!"})
        self.assertNativeError(resp, 400, "INVALID_INPUT", field="image")


if __name__ == "__main__":
    unittest.main()
