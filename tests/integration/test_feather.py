"""The Feather dialect: /api/compress and /api/convert (multipart, fields as curl -F sends them)."""

import unittest

from harness import FilePart, ServerTestCase, binary_is_sanitized, sniff_image

MAX_PIXELS_DEFAULT = 100_000_000


def jpeg_with_exif(row):
    info = sniff_image(row.read()) if row.format == "jpeg" else None
    return bool(info and info.has_exif)


EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "avif": "avif"}


class FeatherTestCase(ServerTestCase):
    def compress(self, source, path="/api/compress", **fields):
        parts = [source.part() if not isinstance(source, FilePart) else source]
        parts += [(k, v if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)) for k, v in fields.items()]
        return self.server.post_multipart(path, parts)

    def convert(self, source, **fields):
        return self.compress(source, path="/api/convert", **fields)

    def small_photo(self):
        return self.corpus.pick("photo-small", key=lambda r: (-min(r.width, 1000), r.bytes))

    def medium_photo(self):
        return self.corpus.pick("photo-medium", key=lambda r: (r.pixels, r.bytes))


class FeatherSeedTest(FeatherTestCase):
    def test_seed_compress_to_webp_quality_80(self):
        src = self.medium_photo()
        resp = self.compress(src, outputFormat="webp", quality=80)
        self.assertImageResponse(resp, "webp", src.width, src.height, original=src.bytes)
        self.assertEqual(resp.header("X-Output-Quality"), "80")
        self.assertEqual(resp.header("X-Resized"), "false")
        self.assertEqual(resp.header("Content-Disposition"), 'attachment; filename="%s-compressed.webp"' % src.stem)

    def test_seed_target_half_megabyte_is_met(self):
        src = self.corpus.pick("photo-medium", "photo-large", where=lambda r: r.bytes > 524288 and r.format == "jpeg",
                               key=lambda r: (r.pixels, r.bytes))
        resp = self.compress(src, targetMB="0.5")
        info = self.assertImageResponse(resp, resp.header("Content-Type", "/").split("/")[1], original=src.bytes)
        self.assertIn(info.format, ("jpeg", "png", "webp", "avif"))
        self.assertLessEqual(len(resp.body), 524288)
        self.assertEqual(resp.header("X-Target-Met"), "true")

    def test_seed_avif_with_max_width_1600_and_grayscale(self):
        src = self.small_photo()
        resp = self.compress(src, outputFormat="avif", maxWidth=1600, grayscale=True)
        info = self.assertImageResponse(resp, "avif")
        self.assertLessEqual(info.width, 1600)
        self.assertEqual((info.width, info.height), (src.width, src.height))  # never enlarged
        self.assertEqual(resp.header("Content-Disposition"), 'attachment; filename="%s-compressed.avif"' % src.stem)

    def test_seed_convert_heic_to_jpeg_quality_85(self):
        rows = self.corpus.category("heic")
        if not rows:
            self.skipTest("no heic files")
        for src in rows:
            with self.subTest(file=src.file):
                resp = self.convert(src, outputFormat="jpeg", quality=85)
                self.assertImageResponse(resp, "jpeg", src.width, src.height, original=src.bytes)
                self.assertEqual(resp.header("X-Output-Quality"), "85")
                self.assertEqual(resp.header("Content-Disposition"), 'attachment; filename="%s-compressed.jpg"' % src.stem)


class FeatherOutputTest(FeatherTestCase):
    def test_each_output_format_matches_its_bytes(self):
        src = self.corpus.pick("photo-small")
        for fmt in ("jpeg", "png", "webp", "avif"):
            with self.subTest(fmt=fmt):
                resp = self.compress(src, outputFormat=fmt)
                self.assertImageResponse(resp, fmt, src.width, src.height)
                self.assertEqual(resp.header("Content-Disposition"),
                                 'attachment; filename="%s-compressed.%s"' % (src.stem, EXTENSIONS[fmt]))

    def test_jpg_is_an_alias_for_jpeg(self):
        src = self.corpus.pick("photo-small")
        self.assertImageResponse(self.compress(src, outputFormat="jpg"), "jpeg")

    def test_auto_format_picks_one_of_the_output_formats(self):
        src = self.small_photo()
        resp = self.compress(src)
        self.assertEqual(resp.status, 200)
        fmt = resp.header("Content-Type").split("/")[1]
        self.assertIn(fmt, ("jpeg", "png", "webp", "avif"))
        self.assertImageResponse(resp, fmt, src.width, src.height)
        self.assertEqual(resp.header("X-Output-Quality"), "80")

    def test_max_width_resizes_down_keeping_aspect(self):
        src = self.corpus.pick("photo-medium", "photo-large", where=lambda r: r.width > 1600, key=lambda r: r.pixels)
        resp = self.compress(src, outputFormat="jpeg", maxWidth=1600)
        info = self.assertImageResponse(resp, "jpeg", width=1600)
        self.assertAlmostEqual(info.height, src.height * 1600 / src.width, delta=1)
        self.assertEqual(resp.header("X-Resized"), "true")

    def test_max_width_and_max_height_fit_inside_both(self):
        src = self.medium_photo()
        resp = self.compress(src, outputFormat="jpeg", maxWidth=400, maxHeight=150)
        info = self.assertImageResponse(resp, "jpeg")
        scale = min(400 / src.width, 150 / src.height)
        self.assertLessEqual(info.width, 400)
        self.assertLessEqual(info.height, 150)
        self.assertAlmostEqual(info.width, src.width * scale, delta=1)
        self.assertAlmostEqual(info.height, src.height * scale, delta=1)

    def test_max_width_never_enlarges(self):
        src = self.small_photo()
        resp = self.compress(src, outputFormat="jpeg", maxWidth=src.width * 4, maxHeight=src.height * 4)
        self.assertImageResponse(resp, "jpeg", src.width, src.height)
        self.assertEqual(resp.header("X-Resized"), "false")

    def test_target_size_lowers_jpeg_quality_to_fit(self):
        src = self.corpus.pick("photo-kodak", "photo-medium", key=lambda r: (r.pixels, r.bytes))
        target = int(0.03 * 1024 * 1024)
        resp = self.compress(src, outputFormat="jpeg", quality=95, targetMB="0.03")
        self.assertImageResponse(resp, "jpeg")
        self.assertLessEqual(len(resp.body), target)
        self.assertEqual(resp.header("X-Target-Met"), "true")
        self.assertLess(int(resp.header("X-Output-Quality")), 95)
        self.assertGreater(int(resp.header("X-Iterations")), 1)

    def test_grayscale_jpeg_has_a_single_component(self):
        src = self.small_photo()
        info = self.assertImageResponse(self.compress(src, outputFormat="jpeg", grayscale=True), "jpeg")
        self.assertEqual(info.components, 1)

    def test_progressive_jpeg_is_progressive(self):
        src = self.small_photo()
        plain = self.assertImageResponse(self.compress(src, outputFormat="jpeg"), "jpeg")
        progressive = self.assertImageResponse(self.compress(src, outputFormat="jpeg", progressive=True), "jpeg")
        self.assertFalse(plain.progressive)
        self.assertTrue(progressive.progressive)

    def test_metadata_is_stripped_by_default(self):
        src = self.corpus.pick("exif-orientation", where=jpeg_with_exif)
        info = self.assertImageResponse(self.compress(src, outputFormat="jpeg", maxWidth=200), "jpeg")
        self.assertFalse(info.has_exif)

    def test_strip_metadata_false_keeps_exif(self):
        src = self.corpus.pick("exif-orientation", where=jpeg_with_exif)
        info = self.assertImageResponse(self.compress(src, outputFormat="jpeg", maxWidth=200, stripMetadata=False), "jpeg")
        self.assertTrue(info.has_exif)

    def test_exif_orientation_is_applied(self):
        rows = self.corpus.category("exif-orientation", where=lambda r: r.format == "jpeg")
        if len(rows) < 2:
            self.skipTest("needs the EXIF orientation series")
        sizes = {}
        for src in rows:
            resp = self.compress(src, outputFormat="jpeg", maxWidth=240, maxHeight=240)
            info = self.assertImageResponse(resp, "jpeg")
            sizes[src.file] = (info.width, info.height)
        self.assertEqual(len(set(sizes.values())), 1, "the same scene came out in different shapes: %s" % sizes)

    def test_animated_gif_stays_animated_with_auto(self):
        src = self.corpus.pick("gif-animated")
        frames = sniff_image(src.read()).frames
        resp = self.compress(src)
        fmt = resp.header("Content-Type", "/").split("/")[1]
        info = self.assertImageResponse(resp, fmt, src.width, src.height)
        self.assertIn(fmt, ("webp", "gif"))
        self.assertEqual(info.frames, frames)


class FeatherTransformTest(FeatherTestCase):
    def test_crop_rectangle_sets_output_size(self):
        src = self.small_photo()
        resp = self.compress(src, outputFormat="png", cropX=10, cropY=20, cropWidth=50, cropHeight=40)
        self.assertImageResponse(resp, "png", 50, 40)
        self.assertEqual(resp.header("X-Resized"), "true")

    def test_crop_is_clipped_to_the_image(self):
        src = self.small_photo()
        resp = self.compress(src, outputFormat="png", cropX=src.width - 30, cropY=0, cropWidth=100, cropHeight=10)
        self.assertImageResponse(resp, "png", 30, 10)

    def test_crop_position_without_size_is_400(self):
        src = self.small_photo()
        self.assertFeatherError(self.compress(src, cropX=10, cropY=10), 400, "INVALID_INPUT", field="cropWidth")

    def test_crop_outside_the_image_is_400(self):
        src = self.small_photo()
        resp = self.compress(src, cropX=src.width + 10, cropY=0, cropWidth=10, cropHeight=10)
        self.assertFeatherError(resp, 400, "INVALID_INPUT")

    def test_rotate_90_swaps_dimensions(self):
        src = self.small_photo()
        resp = self.compress(src, outputFormat="jpeg", rotate=90)
        self.assertImageResponse(resp, "jpeg", src.height, src.width)

    def test_rotate_minus_270_equals_rotate_90(self):
        src = self.small_photo()
        resp = self.compress(src, outputFormat="jpeg", rotate=-270)
        self.assertImageResponse(resp, "jpeg", src.height, src.width)

    def test_flip_and_flop_keep_dimensions(self):
        src = self.small_photo()
        resp = self.compress(src, outputFormat="jpeg", flip=True, flop=True)
        self.assertImageResponse(resp, "jpeg", src.width, src.height)

    def test_tone_and_filter_effects_keep_dimensions(self):
        src = self.small_photo()
        resp = self.compress(src, outputFormat="webp", brightness="1.2", saturation="0.5", contrast="1.5", blur="1.5",
                             sharpen=True)
        self.assertImageResponse(resp, "webp", src.width, src.height)

    def test_effects_change_the_output(self):
        src = self.small_photo()
        plain = self.compress(src, outputFormat="png")
        bright = self.compress(src, outputFormat="png", brightness="2")
        self.assertEqual(plain.status, 200)
        self.assertEqual(bright.status, 200)
        self.assertNotEqual(plain.body, bright.body)

    def test_unknown_fields_are_ignored(self):
        src = self.small_photo()
        resp = self.compress(src, outputFormat="jpeg", somethingElse="x", width="12")
        self.assertImageResponse(resp, "jpeg", src.width, src.height)

    def test_preview_mode_answers_an_image(self):
        src = self.small_photo()
        self.assertImageResponse(self.compress(src, outputFormat="webp", mode="preview", effort=0), "webp",
                                 src.width, src.height)


class FeatherInputTest(FeatherTestCase):
    CATEGORIES = ("bmp", "tiff", "tiff-16bit", "tiff-cmyk", "tiff-multipage", "gif-static", "webp-lossy",
                  "webp-lossy-alpha", "webp-lossless-alpha", "avif", "heic", "png-16bit", "png-palette-alpha",
                  "png-interlaced", "png-alpha", "jpeg-cmyk", "jpeg-progressive", "grayscale", "icc-display-p3",
                  "svg", "ext-mismatch")

    def test_every_accepted_input_format_decodes(self):
        for category in self.CATEGORIES:
            rows = self.corpus.category(category, where=lambda r: r.width and r.pixels <= 4_000_000)
            if not rows:
                continue
            src = min(rows, key=lambda r: (r.bytes, r.file))
            if src.format == "svg" and binary_is_sanitized():
                continue  # the SVG sandbox's RLIMIT_AS cannot hold an ASan process
            with self.subTest(category=category, file=src.file):
                resp = self.compress(src, outputFormat="png")
                self.assertImageResponse(resp, "png", src.width, src.height, original=src.bytes)

    def test_missing_file_is_400(self):
        resp = self.server.post_multipart("/api/compress", [("outputFormat", "webp")])
        self.assertFeatherError(resp, 400, "INVALID_INPUT", field="file")

    def test_non_multipart_body_without_image_is_400(self):
        resp = self.server.request("POST", "/api/compress", b"", {"Content-Type": "multipart/form-data"})
        self.assertFeatherError(resp, 400, "INVALID_INPUT")

    def test_out_of_range_options_are_400_naming_the_field(self):
        src = self.corpus.pick("photo-small")
        cases = [("quality", "0"), ("quality", "101"), ("quality", "high"), ("brightness", "5"), ("saturation", "4"),
                 ("contrast", "0"), ("blur", "11"), ("rotate", "400"), ("effort", "10"), ("maxWidth", "0"),
                 ("outputFormat", "gif"), ("targetMB", "abc"), ("mode", "fast"), ("grayscale", "maybe")]
        for name, value in cases:
            with self.subTest(field=name, value=value):
                resp = self.compress(src, **{name: value})
                self.assertFeatherError(resp, 400, "INVALID_INPUT", field=name)

    def test_unsupported_formats_are_415(self):
        rows = self.corpus.category("not-image", "other-format")
        self.assertTrue(rows)
        for src in rows:
            with self.subTest(file=src.file):
                self.assertFeatherError(self.compress(src), 415, "UNSUPPORTED_FORMAT")

    def test_corrupt_and_truncated_images_are_422(self):
        rows = self.corpus.category("corrupt", "truncated")
        self.assertTrue(rows)
        for src in rows:
            with self.subTest(file=src.file):
                self.assertFeatherError(self.compress(src, outputFormat="jpeg"), 422, "INVALID_IMAGE")

    def test_images_over_the_pixel_limit_are_422(self):
        rows = self.corpus.category("bomb-dimensions", where=lambda r: r.pixels > MAX_PIXELS_DEFAULT)
        if not rows:
            self.skipTest("no bomb over the default pixel limit")
        for src in rows:
            with self.subTest(file=src.file):
                resp = self.compress(src)
                self.assertFeatherError(resp, 422, "TOO_MANY_PIXELS")
                self.assertLess(resp.elapsed, 20, "the limit must be checked from the header")


class FeatherConvertTest(FeatherTestCase):
    def test_convert_without_output_format_is_400(self):
        src = self.corpus.pick("photo-small")
        self.assertFeatherError(self.convert(src), 400, "INVALID_INPUT", field="outputFormat")

    def test_convert_with_auto_is_400(self):
        src = self.corpus.pick("photo-small")
        self.assertFeatherError(self.convert(src, outputFormat="auto"), 400, "INVALID_INPUT", field="outputFormat")

    def test_convert_to_png_keeps_dimensions(self):
        src = self.small_photo()
        resp = self.convert(src, outputFormat="png")
        self.assertImageResponse(resp, "png", src.width, src.height, original=src.bytes)
        self.assertEqual(resp.header("Content-Disposition"), 'attachment; filename="%s-compressed.png"' % src.stem)

    def test_convert_ignores_target_size(self):
        src = self.small_photo()
        plain = self.convert(src, outputFormat="png")
        targeted = self.convert(src, outputFormat="png", targetMB="0.001")
        self.assertImageResponse(targeted, "png", src.width, src.height)
        self.assertEqual(targeted.header("X-Iterations"), "1")
        self.assertEqual(len(targeted.body), len(plain.body))

    def test_convert_applies_resize_fields(self):
        src = self.medium_photo()
        resp = self.convert(src, outputFormat="webp", maxWidth=300)
        info = self.assertImageResponse(resp, "webp", width=300)
        self.assertAlmostEqual(info.height, src.height * 300 / src.width, delta=1)


if __name__ == "__main__":
    unittest.main()
