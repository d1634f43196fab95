"""pixmill's compositing judged by libraries no one here wrote (tests/reference, pinned
by its package-lock.json and installed by `scripts/install-deps.sh test`):

- sharp renders the same watermark, text, extend, trim, gamma, tint, negate, normalise
  and mask operations; the SSIM between the two outputs must be at least 0.98;
- the npm `blurhash` and `thumbhash` decoders decode /api/v1/info's placeholders, which
  must be close to the original scaled down to the placeholder's detail (mean absolute
  error) and to the decode of the reference encoder's own hash of the same picture;
- the perceptual hash moves at most 4 bits under re-encoding and resizing, and more than
  10 between different pictures.

Outputs of both libraries land in PIXMILL_ARTIFACTS/reference for a look."""

import json
import os
import shutil
import subprocess
import unittest

from harness import REPO, ServerProcess

REFERENCE_DIR = os.path.join(REPO, "tests", "reference")
ARTIFACTS = os.path.join(os.environ.get("PIXMILL_ARTIFACTS") or os.path.join(REPO, "build", "test-artifacts"), "reference")

MIN_SSIM = 0.98
# Per channel value (0..255), transparent pixels over white, against the original shrunk
# to the placeholder's detail and enlarged back (placeholders.mjs). The test pictures have
# hard edges that no placeholder keeps (measured 2026-12-02: BlurHash 14-17, ThumbHash
# 16-22).
MAX_BLURHASH_MAE = 25.0
MAX_THUMBHASH_MAE = 30.0
# Against the reference encoder's own hash of the same picture: only rounding and the
# slightly different downscale may differ.
MAX_MAE_TO_REFERENCE_ENCODER = 4.0


def node_and_modules():
    node = shutil.which("node")
    if not node or not os.path.isdir(os.path.join(REFERENCE_DIR, "node_modules", "sharp")):
        message = "node or the reference npm packages are not installed (scripts/install-deps.sh test)"
        if os.environ.get("CI"):
            raise AssertionError(message)
        raise unittest.SkipTest(message)
    return node


class ReferenceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.node = node_and_modules()
        cls.server = ServerProcess(RATE_LIMIT_PER_MINUTE="0").start()
        cls.base = "http://%s:%d" % (cls.server.host, cls.server.port)

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop(timeout=60)
        if status != 0:
            raise AssertionError("server did not stop cleanly: %r\n%s" % (status, cls.server.stderr_text()[-3000:]))

    def run_script(self, *args):
        run = subprocess.run([self.node, *args], cwd=REFERENCE_DIR, capture_output=True, text=True, timeout=600)
        self.assertEqual(run.returncode, 0, "stdout:\n%s\nstderr:\n%s" % (run.stdout[-3000:], run.stderr[-3000:]))
        return json.loads(run.stdout.strip().splitlines()[-1])

    def test_operations_match_sharp(self):
        results = self.run_script("crosscheck.mjs", self.base, ARTIFACTS)
        names = set()
        for case in results:
            names.add(case["name"])
            with self.subTest(case["name"]):
                self.assertNotIn("error", case, case.get("error"))
                self.assertEqual(case["size"], case["sharpSize"], case)
                self.assertGreaterEqual(case["ssim"], MIN_SSIM, case)
        for required in ("text", "extend", "trim", "gamma", "tint", "negate", "normalise", "mask-radius", "mask-circle",
                         "mask-ellipse", "watermark-over-southeast-opacity", "watermark-multiply-centre-scaled",
                         "watermark-screen-tiled", "watermark-soft-light"):
            self.assertIn(required, names)
        with open(os.path.join(ARTIFACTS, "ssim.json"), "w") as f:
            json.dump(results, f, indent=1)

    def test_placeholders_decode_close_to_the_picture(self):
        result = self.run_script("placeholders.mjs", self.base)
        for p in result["placeholders"]:
            with self.subTest(p["name"]):
                self.assertLessEqual(p["blurhash"]["maeToOriginal"], MAX_BLURHASH_MAE, p)
                self.assertLessEqual(p["thumbhash"]["maeToOriginal"], MAX_THUMBHASH_MAE, p)
                self.assertLessEqual(p["blurhash"]["maeToReference"], MAX_MAE_TO_REFERENCE_ENCODER, p)
                self.assertLessEqual(p["thumbhash"]["maeToReference"], MAX_MAE_TO_REFERENCE_ENCODER, p)
        for name, distance in result["phash"]["same"].items():
            self.assertLessEqual(distance, 4, "%s: %s" % (name, result["phash"]))
        for name, distance in result["phash"]["different"].items():
            self.assertGreater(distance, 10, "%s: %s" % (name, result["phash"]))
        os.makedirs(ARTIFACTS, exist_ok=True)
        with open(os.path.join(ARTIFACTS, "placeholders.json"), "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    unittest.main()
