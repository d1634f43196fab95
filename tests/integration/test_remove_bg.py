"""Background removal through HTTP: /api/v1/remove-bg and removeBackground=true in
/api/v1/process. With the real model (installed by `make model`; the tests that need it
are skipped, saying so, only when it is not installed) and without it (503)."""

import os
import threading
import time
import unittest
import urllib.parse

from harness import REPO, ServerTestCase, read_png, sniff_image

MODEL = os.environ.get("PIXMILL_TEST_MODEL") or os.path.join(REPO, "models", "isnet-medium-fp32.onnx")
# Client-side limit for requests that run an inference (seconds of CPU each; far more
# on a shared, loaded machine).
AI_TIMEOUT = 300
MODEL_MISSING = "the segmentation model is not installed at %s: run `make model` (make test installs it)" % MODEL


def png_alpha(data):
    """The alpha plane of an 8-bit, non-interlaced RGBA or grey+alpha PNG (of a grey PNG:
    its grey plane), as (width, height, bytes)."""
    pixels = read_png(data)
    if pixels.channels not in (1, 2, 4):
        raise AssertionError("not an RGBA/grey-alpha/grey PNG: %d channels" % pixels.channels)
    return pixels.width, pixels.height, bytes(pixels.data[pixels.channels - 1::pixels.channels])


def iou(a, b):
    both = sum(1 for x, y in zip(a, b) if x > 127 and y > 127)
    either = sum(1 for x, y in zip(a, b) if x > 127 or y > 127)
    return both / either if either else 1.0


class RemoveBgWithoutModelTest(ServerTestCase):
    server_env = {"MODEL_PATH": "/nonexistent/pixmill-test/model.onnx"}

    def test_missing_model_is_503_model_unavailable_and_other_routes_work(self):
        src = self.corpus.pick("bg-removal")
        data = src.read()
        for path in ("/api/v1/remove-bg", "/api/v1/process?removeBackground=true&width=100"):
            resp = self.server.post_raw(path, data, "image/jpeg")
            doc = self.assertNativeError(resp, 503, "MODEL_UNAVAILABLE")
            self.assertIn("make model", doc["error"]["message"])
        ok = self.server.post_raw("/api/v1/resize?width=100&format=png", data, "image/jpeg")
        self.assertEqual(ok.status, 200, ok)
        self.assertEqual(sniff_image(ok.body).width, 100)


@unittest.skipUnless(os.path.isfile(MODEL) or os.environ.get("CI"), MODEL_MISSING)  # CI installs it: there, missing fails
class RemoveBgTest(ServerTestCase):
    # One AI worker, no AI queue: a second removal while one runs is refused at once.
    # A generous time limit: on a loaded 2-core machine one inference can take tens of seconds.
    server_env = {"MODEL_PATH": MODEL, "WORKERS": 3, "AI_WORKERS": 1, "AI_QUEUE_MAX": 0, "MODEL_PRELOAD": "true",
                  "REQUEST_TIMEOUT_MS": 300000}
    # MODEL_PRELOAD loads the 176 MB network before listening: over 20 s at a load of 17.
    startup_timeout = 180

    def reference_alpha(self, subject_row, width):
        """The true mask: the corpus' reference cut-out of the same photo, resized by the server."""
        refs = [r for r in self.corpus.category("bg-removal-reference")
                if os.path.splitext(r.name)[0].split(".")[0] == os.path.splitext(subject_row.name)[0]]
        if not refs:
            self.skipTest("no reference cut-out for %s" % subject_row.file)
        resp = self.server.post_raw("/api/v1/resize?width=%d&format=png" % width, refs[0].read(), "image/png")
        self.assertEqual(resp.status, 200, resp)
        return png_alpha(resp.body)

    def test_remove_bg_returns_a_transparent_png_that_matches_the_reference(self):
        src = self.corpus.pick("bg-removal")
        resp = self.server.post_raw("/api/v1/remove-bg?width=256", src.read(), "image/jpeg", timeout=AI_TIMEOUT)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.header("Content-Type"), "image/png")
        info = sniff_image(resp.body)
        self.assertEqual((info.format, info.width), ("png", 256))
        self.assertEqual(info.color_type, 6)  # RGBA
        width, height, alpha = png_alpha(resp.body)
        transparent = sum(1 for a in alpha if a < 16) / len(alpha)
        opaque = sum(1 for a in alpha if a > 239) / len(alpha)
        self.assertGreater(transparent, 0.05, "no background was removed")
        self.assertGreater(opaque, 0.05, "the subject was removed too")
        ref_w, ref_h, ref_alpha = self.reference_alpha(src, width)
        self.assertEqual((ref_w, ref_h), (width, height))
        self.assertGreaterEqual(iou(alpha, ref_alpha), 0.85)

    def test_process_combines_removal_with_resize_and_webp(self):
        src = self.corpus.pick("bg-removal")
        resp = self.server.post_raw("/api/v1/process?removeBackground=true&width=200&format=webp", src.read(), "image/jpeg",
                                    timeout=AI_TIMEOUT)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.header("Content-Type"), "image/webp")
        info = sniff_image(resp.body)
        self.assertEqual((info.format, info.width), ("webp", 200))
        self.assertTrue(info.extra.get("alpha"), "WebP without alpha")

    def test_full_ai_queue_is_503_with_retry_after_while_cpu_routes_answer(self):
        src = self.corpus.pick("bg-removal")
        data = src.read()
        first = {}

        def removal():
            # JPEG output: the cut-out is composited onto bgColor.
            first["resp"] = self.server.post_raw(
                "/api/v1/process?removeBackground=true&width=200&format=jpeg&bgColor=" + urllib.parse.quote("#00ff00"),
                data, "image/jpeg", timeout=AI_TIMEOUT)

        worker = threading.Thread(target=removal)
        worker.start()
        try:
            time.sleep(1.5)  # decoding a small photo is milliseconds; the inference is seconds
            self.assertTrue(worker.is_alive(), "the first removal finished before the test could overlap it")
            busy = self.server.post_raw("/api/v1/remove-bg?width=64", data, "image/jpeg")
            self.assertNativeError(busy, 503, "SERVER_BUSY")
            self.assertGreaterEqual(int(busy.header("Retry-After")), 1)
            started = time.monotonic()
            cpu = self.server.post_raw("/api/v1/resize?width=120&format=png", data, "image/jpeg")
            self.assertEqual(cpu.status, 200, cpu)
            self.assertLess(time.monotonic() - started, 10.0)
            self.assertTrue(worker.is_alive(), "the CPU route was only answered after the removal")
        finally:
            worker.join(AI_TIMEOUT)
        resp = first["resp"]
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(sniff_image(resp.body).format, "jpeg")


U2NETP = os.path.join(REPO, "models", "u2netp.onnx")


@unittest.skipUnless(os.path.isfile(U2NETP) or os.environ.get("CI"), MODEL_MISSING)
class RemoveBgPermissiveModelTest(ServerTestCase):
    """MODEL=u2netp: the Apache-2.0 model, chosen by name, does the same job over HTTP."""
    server_env = {"MODEL": "u2netp", "WORKERS": 2, "AI_WORKERS": 1, "MODEL_PRELOAD": "true", "REQUEST_TIMEOUT_MS": 300000}
    startup_timeout = 180
    reference_alpha = RemoveBgTest.reference_alpha

    def test_u2netp_cuts_out_the_subject_and_metrics_name_it(self):
        src = self.corpus.pick("bg-removal")
        resp = self.server.post_raw("/api/v1/remove-bg?width=256", src.read(), "image/jpeg", timeout=AI_TIMEOUT)
        self.assertEqual(resp.status, 200, resp)
        width, height, alpha = png_alpha(resp.body)
        ref_w, ref_h, ref_alpha = self.reference_alpha(src, width)
        self.assertEqual((ref_w, ref_h), (width, height))
        self.assertGreaterEqual(iou(alpha, ref_alpha), 0.80)
        metrics = self.server.get("/metrics").body.decode()
        self.assertRegex(metrics, r'pixmill_model_inference_seconds_count\{[^}]*model="u2netp"[^}]*\} 1')


@unittest.skipUnless(os.path.isfile(os.path.join(REPO, "models", "isnet-medium-fp32.onnx")) or os.environ.get("CI"), MODEL_MISSING)
class InstalledModelIsServedTest(ServerTestCase):
    # MODEL_PATH unset: the installed model is the default, for removal and for /api/model.
    # 176 MB read and hashed: slow under AddressSanitizer on a loaded machine.
    server_env = {"REQUEST_TIMEOUT_MS": 300000}

    def test_api_model_serves_the_installed_model_by_default(self):
        resp = self.server.get("/api/model?variant=full", timeout=AI_TIMEOUT)
        self.assertEqual(resp.status, 200, resp)
        with open(os.path.join(REPO, "models", "isnet-medium-fp32.onnx"), "rb") as f:
            installed = f.read()
        self.assertEqual(len(resp.body), len(installed))
        self.assertTrue(resp.body == installed)


if __name__ == "__main__":
    unittest.main()
