"""The petiteimg dialect: POST /v1/process with `file` and `operations`."""

import json
import unittest

from harness import FilePart, ServerTestCase

EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}


class PetiteTestCase(ServerTestCase):
    def process(self, source, operations=None, headers=None, raw_operations=None):
        parts = [source if isinstance(source, FilePart) else source.part()]
        if raw_operations is not None:
            parts.append(("operations", raw_operations))
        elif operations is not None:
            parts.append(("operations", json.dumps(operations)))
        return self.server.post_multipart("/v1/process", parts, headers=headers)

    def medium_photo(self):
        return self.corpus.pick("photo-medium", where=lambda r: r.format == "jpeg", key=lambda r: (r.pixels, r.bytes))

    def small_photo(self):
        return self.corpus.pick("photo-small", where=lambda r: r.format == "jpeg", key=lambda r: (-min(r.width, 1000), r.bytes))

    def assertPetiteImage(self, resp, source, fmt, width=None, height=None):
        info = self.assertImageResponse(resp, fmt, width, height, original=source.bytes)
        filename = "%s_compressed.%s" % (source.stem, EXTENSIONS[fmt])
        self.assertEqual(resp.header("Content-Disposition"), 'attachment; filename="%s"' % filename)
        results = json.loads(resp.header("X-Process-Results"))
        self.assertIsInstance(results, list)
        self.assertEqual(len(results), 1)
        entry = results[0]
        self.assertEqual(set(entry), {"filename", "input_size", "output_size", "savings_percent"})
        self.assertEqual(entry["filename"], filename)
        self.assertEqual(entry["input_size"], source.bytes)
        self.assertEqual(entry["output_size"], len(resp.body))
        expected_savings = (1 - len(resp.body) / source.bytes) * 100
        self.assertAlmostEqual(entry["savings_percent"], expected_savings, delta=0.051)
        return info


class PetiteSeedTest(PetiteTestCase):
    def test_seed_compress_quality_80(self):
        src = self.medium_photo()
        resp = self.process(src, [{"op": "compress", "settings": {"quality": 80}}])
        self.assertPetiteImage(resp, src, "jpeg", src.width, src.height)
        self.assertEqual(resp.header("X-Output-Quality"), "80")

    def test_seed_resize_width_800_then_compress_75(self):
        src = self.medium_photo()
        resp = self.process(src, [{"op": "resize", "settings": {"width": 800}},
                                  {"op": "compress", "settings": {"quality": 75}}])
        info = self.assertPetiteImage(resp, src, "jpeg")
        self.assertLessEqual(info.width, 800)
        self.assertEqual(info.width, min(800, src.width))
        self.assertAlmostEqual(info.height, src.height * info.width / src.width, delta=1)
        self.assertEqual(resp.header("X-Output-Quality"), "75")

    def test_seed_resize_800x600_compress_80_convert_webp(self):
        src = self.medium_photo()
        resp = self.process(src, [{"op": "resize", "settings": {"width": 800, "height": 600}},
                                  {"op": "compress", "settings": {"quality": 80}},
                                  {"op": "convert", "settings": {"format": "webp"}}])
        info = self.assertPetiteImage(resp, src, "webp")
        scale = min(800 / src.width, 600 / src.height, 1.0)
        self.assertLessEqual(info.width, 800)
        self.assertLessEqual(info.height, 600)
        self.assertAlmostEqual(info.width, src.width * scale, delta=1)
        self.assertAlmostEqual(info.height, src.height * scale, delta=1)


class PetiteOperationsTest(PetiteTestCase):
    def test_missing_operations_keeps_format_and_size(self):
        src = self.small_photo()
        resp = self.process(src)
        self.assertPetiteImage(resp, src, "jpeg", src.width, src.height)

    def test_empty_operations_keeps_format_and_size(self):
        src = self.corpus.pick("png-palette-alpha", "png-alpha", "photo-kodak")
        resp = self.process(src, [])
        self.assertPetiteImage(resp, src, "png", src.width, src.height)

    def test_operations_run_in_fixed_order_whatever_the_array_order(self):
        src = self.small_photo()
        ops = [{"op": "convert", "settings": {"format": "png"}},
               {"op": "compress", "settings": {"quality": 60}},
               {"op": "crop", "settings": {"width": 50, "height": 40}},
               {"op": "resize", "settings": {"width": 100}}]
        shuffled = self.process(src, ops)
        ordered = self.process(src, [ops[3], ops[2], ops[1], ops[0]])
        self.assertPetiteImage(shuffled, src, "png", 50, 40)
        self.assertPetiteImage(ordered, src, "png", 50, 40)
        self.assertEqual(shuffled.body, ordered.body)

    def test_resize_never_upscales(self):
        src = self.small_photo()
        resp = self.process(src, [{"op": "resize", "settings": {"width": src.width * 3, "height": src.height * 3}}])
        self.assertPetiteImage(resp, src, "jpeg", src.width, src.height)
        self.assertEqual(resp.header("X-Resized"), "false")

    def test_resize_by_height_only_keeps_aspect(self):
        src = self.medium_photo()
        resp = self.process(src, [{"op": "resize", "settings": {"height": 200}}])
        info = self.assertPetiteImage(resp, src, "jpeg", height=200)
        self.assertAlmostEqual(info.width, src.width * 200 / src.height, delta=1)

    def test_crop_takes_the_requested_size(self):
        src = self.small_photo()
        resp = self.process(src, [{"op": "crop", "settings": {"width": 64, "height": 48}}])
        self.assertPetiteImage(resp, src, "jpeg", 64, 48)

    def test_crop_is_clamped_to_the_image(self):
        src = self.small_photo()
        resp = self.process(src, [{"op": "crop", "settings": {"width": 40, "height": src.height * 10}}])
        self.assertPetiteImage(resp, src, "jpeg", 40, src.height)

    def test_resize_then_crop(self):
        src = self.medium_photo()
        resp = self.process(src, [{"op": "crop", "settings": {"width": 100, "height": 100}},
                                  {"op": "resize", "settings": {"width": 400}}])
        self.assertPetiteImage(resp, src, "jpeg", 100, 100)

    def test_convert_to_each_format(self):
        src = self.small_photo()
        for fmt in ("jpeg", "png", "webp"):
            with self.subTest(fmt=fmt):
                resp = self.process(src, [{"op": "convert", "settings": {"format": fmt}}])
                self.assertPetiteImage(resp, src, fmt, src.width, src.height)

    def test_compress_png_stays_png(self):
        src = self.corpus.pick("photo-kodak", "png-alpha", key=lambda r: (r.pixels, r.bytes))
        resp = self.process(src, [{"op": "compress", "settings": {"quality": 60}}])
        self.assertPetiteImage(resp, src, "png", src.width, src.height)
        self.assertLess(len(resp.body), src.bytes)

    def test_super_saver_compress_answers_an_image(self):
        src = self.small_photo()
        resp = self.process(src, [{"op": "compress", "settings": {"quality": 70, "super_saver": True}}])
        self.assertPetiteImage(resp, src, "jpeg", src.width, src.height)

    def test_avif_input_becomes_jpeg(self):
        src = self.corpus.pick("avif", key=lambda r: (r.pixels, r.bytes))
        resp = self.process(src)
        self.assertPetiteImage(resp, src, "jpeg", src.width, src.height)

    def test_avif_input_converted_to_webp(self):
        src = self.corpus.pick("avif", key=lambda r: (r.pixels, r.bytes))
        resp = self.process(src, [{"op": "convert", "settings": {"format": "webp"}}])
        self.assertPetiteImage(resp, src, "webp", src.width, src.height)

    def test_bearer_token_is_accepted_and_ignored(self):
        src = self.small_photo()
        resp = self.process(src, headers={"Authorization": "Bearer pk_test_not_configured"})
        self.assertPetiteImage(resp, src, "jpeg", src.width, src.height)


class PetiteErrorTest(PetiteTestCase):
    def test_invalid_operations_json_is_400(self):
        src = self.small_photo()
        self.assertPetiteError(self.process(src, raw_operations="[{not json"))

    def test_operations_that_are_not_an_array_are_400(self):
        src = self.small_photo()
        self.assertPetiteError(self.process(src, raw_operations='{"op":"compress"}'))

    def test_unknown_operation_is_400(self):
        src = self.small_photo()
        doc = self.assertPetiteError(self.process(src, [{"op": "sharpen", "settings": {}}]))
        self.assertIn("sharpen", doc["error"])

    def test_out_of_range_settings_are_400(self):
        src = self.small_photo()
        cases = [[{"op": "compress", "settings": {"quality": 0}}],
                 [{"op": "compress", "settings": {"quality": 101}}],
                 [{"op": "compress", "settings": {"quality": "high"}}],
                 [{"op": "compress", "settings": {"super_saver": "yes"}}],
                 [{"op": "resize", "settings": {}}],
                 [{"op": "resize", "settings": {"width": 0}}],
                 [{"op": "crop", "settings": {"width": 10}}],
                 [{"op": "convert", "settings": {}}],
                 [{"op": "convert", "settings": {"format": "avif"}}],
                 [{"op": "convert", "settings": {"format": "gif"}}],
                 [{"settings": {"quality": 50}}]]
        for ops in cases:
            with self.subTest(ops=ops):
                self.assertPetiteError(self.process(src, ops))

    def test_missing_file_is_400(self):
        resp = self.server.post_multipart("/v1/process", [("operations", "[]")])
        self.assertPetiteError(resp)

    def test_unsupported_formats_are_400(self):
        rows = self.corpus.category("not-image", "other-format")
        self.assertTrue(rows)
        for src in rows:
            with self.subTest(file=src.file):
                self.assertPetiteError(self.process(src))

    def test_broken_images_are_400(self):
        rows = self.corpus.category("corrupt", "truncated")
        self.assertTrue(rows)
        for src in rows:
            with self.subTest(file=src.file):
                self.assertPetiteError(self.process(src))

    def test_images_over_the_pixel_limit_are_400(self):
        rows = self.corpus.category("bomb-dimensions", where=lambda r: r.pixels > 100_000_000)
        if not rows:
            self.skipTest("no bomb over the default pixel limit")
        for src in rows:
            with self.subTest(file=src.file):
                self.assertPetiteError(self.process(src))


if __name__ == "__main__":
    unittest.main()
