"""The AI options over HTTP with the real models (slow: seconds of CPU per inference):
output=mask, crop=subject, a drop shadow, a replacement background image, edge refinement, face
redaction and gravity=face; and, without the face model, redaction failing closed.
Skipped, saying so, only when the models are not installed (CI installs them)."""

import base64
import os
import subprocess
import tempfile
import unittest
import urllib.parse

import harness
from harness import REPO, FilePart, LoopbackOrigin, ServerTestCase, sniff_image
from test_remove_bg import AI_TIMEOUT, iou, png_alpha

MODELS = os.path.join(REPO, "models")
INSTALLED = all(os.path.isfile(os.path.join(MODELS, f)) for f in ("isnet-medium-dynamic.onnx", "blazeface-back-256.onnx"))
MISSING = "the models are not installed in %s: run `make model` (make test installs them)" % MODELS


def png_grey(data):
    """(width, height, values) of an 8-bit grey PNG."""
    if sniff_image(data).color_type != 0:
        raise AssertionError("not a grey PNG: colour type %s" % sniff_image(data).color_type)
    return png_alpha(data)


@unittest.skipUnless(INSTALLED or os.environ.get("CI"), MISSING)
class AiOutputsTest(ServerTestCase):
    # The loopback origin below serves bgImage URLs: the fetcher may reach 127.0.0.1 here only.
    server_env = {"WORKERS": 2, "AI_WORKERS": 1, "AI_QUEUE_MAX": 4, "MODEL_PRELOAD": "true", "REQUEST_TIMEOUT_MS": 300000,
                  "FETCH_ALLOW_CIDRS": "127.0.0.1/32"}

    def subject(self):
        return self.corpus.pick("bg-removal")

    def post(self, path, data, **kw):
        return self.server.post_raw(path, data, "image/jpeg", timeout=AI_TIMEOUT, **kw)

    def test_output_mask_is_a_grey_png_matching_the_cut_outs_alpha(self):
        data = self.subject().read()
        mask = self.post("/api/v1/remove-bg?width=200&output=mask", data)
        self.assertEqual(mask.status, 200, mask)
        self.assertEqual(mask.header("Content-Type"), "image/png")
        width, height, grey = png_grey(mask.body)
        self.assertEqual(width, 200)
        cut = self.post("/api/v1/remove-bg?width=200", data)
        self.assertEqual(cut.status, 200, cut)
        _, _, alpha = png_alpha(cut.body)
        self.assertEqual(len(alpha), len(grey))
        self.assertGreaterEqual(iou(grey, alpha), 0.99)
        self.assertGreater(sum(1 for v in grey if v > 200) / len(grey), 0.05)

    def test_crop_subject_is_smaller_and_keeps_the_subject(self):
        data = self.subject().read()
        whole = self.post("/api/v1/remove-bg?width=300", data)
        tight = self.post("/api/v1/remove-bg?width=300&crop=subject&subjectMargin=0", data)
        self.assertEqual(tight.status, 200, tight)
        w0, h0, a0 = png_alpha(whole.body)
        w1, h1, a1 = png_alpha(tight.body)
        self.assertLess(w1 * h1, w0 * h0)
        # Every opaque pixel of the whole cut-out is still there.
        self.assertAlmostEqual(sum(1 for v in a1 if v > 127), sum(1 for v in a0 if v > 127), delta=0.01 * w0 * h0)
        # The box is tight: the subject reaches each edge.
        rows = [a1[y * w1:(y + 1) * w1] for y in range(h1)]
        self.assertTrue(any(v > 127 for v in rows[0]) or any(v > 127 for v in rows[1]))
        self.assertTrue(any(v > 127 for v in rows[-1]) or any(v > 127 for v in rows[-2]))

    def test_shadow_adds_a_soft_semi_transparent_shadow(self):
        data = self.subject().read()
        plain = png_alpha(self.post("/api/v1/remove-bg?width=200", data).body)[2]
        shaded = self.post("/api/v1/remove-bg?width=200&shadow=true&shadowOpacity=60&shadowY=8", data)
        self.assertEqual(shaded.status, 200, shaded)
        alpha = png_alpha(shaded.body)[2]
        soft = sum(1 for p, s in zip(plain, alpha) if p < 16 and 16 < s < 200)
        self.assertGreater(soft, 0.005 * len(alpha), "no semi-transparent shadow pixels")

    def test_refine_edges_changes_only_the_uncertain_band(self):
        # Alpha matting on the band where the model was unsure (5 < alpha < 250): pixels
        # the model was sure of keep their alpha exactly, and some of the band changes.
        data = self.subject().read()
        plain = png_alpha(self.post("/api/v1/remove-bg?width=300", data).body)[2]
        refined = self.post("/api/v1/remove-bg?width=300&refineEdges=true", data)
        self.assertEqual(refined.status, 200, refined)
        alpha = png_alpha(refined.body)[2]
        self.assertEqual(len(alpha), len(plain))
        sure = [(p, r) for p, r in zip(plain, alpha) if p <= 5 or p >= 250]
        self.assertTrue(all(p == r for p, r in sure), "a pixel the model was sure of changed")
        band = [(p, r) for p, r in zip(plain, alpha) if 5 < p < 250]
        self.assertGreater(sum(1 for p, r in band if abs(p - r) > 8), 0.05 * len(band))
        self.assertGreaterEqual(iou(plain, alpha), 0.95)

    def test_refine_edges_needs_background_removal(self):
        resp = self.post("/api/v1/process?width=100&refineEdges=true", self.subject().read())
        self.assertEqual(resp.status, 400, resp)
        self.assertIn(b"refineEdges", resp.body)

    def test_background_image_part_makes_an_opaque_composite(self):
        data = self.subject().read()
        backdrop = self.server.post_raw("/api/v1/resize?width=64&height=48&fit=stretch&format=png",
                                        self.corpus.pick("photo-kodak").read(), "image/png")
        self.assertEqual(backdrop.status, 200, backdrop)
        resp = self.server.post_multipart("/api/v1/remove-bg?width=200", [FilePart("file", "s.jpg", data),
                                                                             FilePart("bgImage", "b.png", backdrop.body)],
                                          timeout=AI_TIMEOUT)
        self.assertEqual(resp.status, 200, resp)
        info = sniff_image(resp.body)
        self.assertEqual((info.format, info.width), ("png", 200))
        self.assertEqual(info.color_type, 2)  # RGB: opaque
        broken = self.server.post_multipart("/api/v1/remove-bg?width=200", [FilePart("file", "s.jpg", data),
                                                                               FilePart("bgImage", "b.png", b"not an image")],
                                            timeout=AI_TIMEOUT)
        self.assertLess(broken.status, 500, broken)
        self.assertGreaterEqual(broken.status, 400, broken)

    def test_background_image_by_url_is_fetched_like_the_part(self):
        data = self.subject().read()
        backdrop = self.server.post_raw("/api/v1/resize?width=64&height=48&fit=stretch&format=png",
                                        self.corpus.pick("photo-kodak").read(), "image/png")
        self.assertEqual(backdrop.status, 200, backdrop)
        origin = LoopbackOrigin({"/bg.png": backdrop.body}, content_type="image/png")
        try:
            url = origin.url("/bg.png")
            by_part = self.server.post_multipart("/api/v1/remove-bg?width=200", [FilePart("file", "s.jpg", data),
                                                                                    FilePart("bgImage", "b.png", backdrop.body)],
                                                 timeout=AI_TIMEOUT)
            self.assertEqual(by_part.status, 200, by_part)
            # Query, form field and JSON: the same background, so the same picture.
            by_query = self.post("/api/v1/remove-bg?width=200&bgImage=" + urllib.parse.quote(url, safe=""), data)
            self.assertEqual(by_query.status, 200, by_query)
            self.assertEqual(by_query.body, by_part.body)
            by_field = self.server.post_multipart("/api/v1/process?removeBackground=true&width=200&format=png",
                                                  [FilePart("file", "s.jpg", data), ("bgImage", url)], timeout=AI_TIMEOUT)
            self.assertEqual(by_field.status, 200, by_field)
            self.assertEqual(sniff_image(by_field.body).color_type, 2)  # RGB: opaque
            by_json = self.server.post_json("/api/v1/remove-bg", {"image": base64.b64encode(data).decode(), "width": 200,
                                                                  "bgImage": url}, timeout=AI_TIMEOUT)
            self.assertEqual(by_json.status, 200, by_json)
            self.assertEqual(by_json.body, by_part.body)
            # Fetch failures and refusals name the field, before any inference.
            missing = self.post("/api/v1/remove-bg?bgImage=" + urllib.parse.quote(origin.url("/missing.png"), safe=""), data)
            self.assertNativeError(missing, 502, "FETCH_FAILED", "bgImage")
            private = self.post("/api/v1/remove-bg?bgImage=" + urllib.parse.quote("http://169.254.169.254/latest", safe=""), data)
            self.assertNativeError(private, 400, "URL_NOT_ALLOWED", "bgImage")
            self.assertNativeError(self.post("/api/v1/remove-bg?bgImage=backdrop.png", data), 400, "INVALID_INPUT", "bgImage")
            twice = self.server.post_multipart("/api/v1/remove-bg?bgImage=" + urllib.parse.quote(url, safe=""),
                                               [FilePart("file", "s.jpg", data), FilePart("bgImage", "b.png", backdrop.body)],
                                               timeout=AI_TIMEOUT)
            self.assertNativeError(twice, 400, "INVALID_INPUT", "bgImage")
            # Without background removal there is nothing to put it under: refused unfetched.
            self.assertNativeError(self.post("/api/v1/resize?width=50&bgImage=" + urllib.parse.quote(url, safe=""), data),
                                   400, "INVALID_INPUT", "removeBackground")
            self.assertEqual(origin.count("/bg.png"), 3)  # query, form field, JSON: the refusals fetched nothing
        finally:
            origin.close()

    def test_cli_bg_image_takes_a_file(self):
        backdrop = self.server.post_raw("/api/v1/resize?width=64&height=48&fit=stretch&format=png",
                                        self.corpus.pick("photo-kodak").read(), "image/png")
        self.assertEqual(backdrop.status, 200, backdrop)
        with tempfile.TemporaryDirectory() as work:
            subject, background, out = (os.path.join(work, n) for n in ("s.jpg", "bg.png", "out.png"))
            with open(subject, "wb") as f:
                f.write(self.subject().read())
            with open(background, "wb") as f:
                f.write(backdrop.body)
            run = subprocess.run([harness.EXE, "process", subject, "-o", out, "--remove-background", "--bg-image", background,
                                  "--width", "120", "--format", "png", "-q"], capture_output=True, timeout=AI_TIMEOUT)
            self.assertEqual(run.returncode, 0, run.stderr)
            with open(out, "rb") as f:
                info = sniff_image(f.read())
            self.assertEqual((info.format, info.width, info.color_type), ("png", 120, 2))  # opaque RGB
            missing = subprocess.run([harness.EXE, "process", subject, "-o", out, "--remove-background", "--bg-image",
                                      os.path.join(work, "missing.png")], capture_output=True, timeout=AI_TIMEOUT)
            self.assertEqual(missing.returncode, 2)
            self.assertIn(b"bgImage", missing.stderr)

    def test_redact_faces_changes_the_face_and_gravity_face_keeps_it(self):
        # The bg-removal photos include people: redaction must change at least one of them
        # in every mode, and answer 200 for all (a photo without a face comes back as is).
        photos = self.corpus.category("bg-removal")
        self.assertTrue(photos)
        for mode in ("blur", "pixelate", "fill"):
            changed = 0
            for src in photos:
                data = src.read()
                plain = self.post("/api/v1/resize?width=300&format=png", data)
                redacted = self.post("/api/v1/resize?width=300&format=png&redactFaces=" + mode, data)
                self.assertEqual(redacted.status, 200, redacted)
                changed += redacted.body != plain.body
            self.assertGreater(changed, 0, "no face redacted with " + mode)
        data = photos[0].read()
        crop = self.post("/api/v1/resize?width=100&height=200&fit=fill&gravity=face&format=png", data)
        self.assertEqual(crop.status, 200, crop)
        info = sniff_image(crop.body)
        self.assertEqual((info.width, info.height), (100, 200))

    def test_info_faces_lists_boxes_inside_the_image(self):
        photos = self.corpus.category("bg-removal")
        found = 0
        for src in photos:
            resp = self.post("/api/v1/info?faces=true", src.read())
            self.assertEqual(resp.status, 200, resp)
            facts = resp.json()
            self.assertIsInstance(facts["faces"], list)
            for box in facts["faces"]:
                self.assertGreaterEqual(box["x"], 0)
                self.assertGreaterEqual(box["y"], 0)
                self.assertLessEqual(box["x"] + box["width"], facts["width"])
                self.assertLessEqual(box["y"] + box["height"], facts["height"])
                self.assertGreater(box["score"], 0)
            found += len(facts["faces"])
        self.assertGreater(found, 0, "no face found in the bg-removal photos (people among them)")
        plain = self.post("/api/v1/info", photos[0].read())
        self.assertNotIn("faces", plain.json())


class RedactionFailsClosedTest(ServerTestCase):
    server_env = {"FACE_MODEL_PATH": "/nonexistent/pixmill-test/faces.onnx", "MODEL_PATH": "/nonexistent/pixmill-test/m.onnx"}

    def test_missing_face_model_is_503_never_an_unredacted_image(self):
        data = self.corpus.pick("bg-removal").read()
        for path in ("/api/v1/resize?width=100&redactFaces=blur", "/api/v1/process?redactFaces=fill&format=png",
                     "/api/v1/resize?width=50&height=50&fit=fill&gravity=face"):
            resp = self.server.post_raw(path, data, "image/jpeg")
            doc = self.assertNativeError(resp, 503, "MODEL_UNAVAILABLE")
            self.assertIn("face", doc["error"]["message"])
        ok = self.server.post_raw("/api/v1/resize?width=100", data, "image/jpeg")
        self.assertEqual(ok.status, 200, ok)


if __name__ == "__main__":
    unittest.main()
