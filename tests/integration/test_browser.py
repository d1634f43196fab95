"""The playground in a real browser: Debian's chromium driven by playwright-core
(tests/browser/playground.mjs). Upload a corpus photo, set width and format, see the
result and the savings, download it and check it here; a non-image shows a readable
error. Screenshots land in PIXMILL_ARTIFACTS (the build folder's test-artifacts)."""

import json
import os
import shutil
import subprocess
import unittest

from harness import REPO, ServerTestCase, sniff_image

BROWSER_DIR = os.path.join(REPO, "tests", "browser")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = os.path.join(os.environ.get("PIXMILL_ARTIFACTS") or os.path.join(REPO, "build", "test-artifacts"), "browser")


class PlaygroundBrowserTest(ServerTestCase):
    server_env = {"RATE_LIMIT_PER_MINUTE": "0"}

    def test_playground_end_to_end(self):
        node = shutil.which("node")
        if not node or not os.path.exists(CHROMIUM) or not os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", "playwright-core")):
            message = "chromium or playwright-core is not installed (scripts/install-deps.sh test)"
            if os.environ.get("CI"):
                self.fail(message)  # CI installs them: a missing browser there is a broken set-up
            self.skipTest(message)
        photo = self.corpus.pick("photo-small", "photo-medium", "photo-kodak", where=lambda r: r.format == "jpeg" and (r.width or 0) > 400)
        width, fmt = 320, "webp"
        base = "http://%s:%d" % (self.server.host, self.server.port)
        run = subprocess.run([node, os.path.join(BROWSER_DIR, "playground.mjs"), base, photo.path, str(width), fmt, ARTIFACTS],
                             capture_output=True, text=True, timeout=300, cwd=BROWSER_DIR)
        self.assertEqual(run.returncode, 0, "stdout:\n%s\nstderr:\n%s" % (run.stdout[-4000:], run.stderr[-4000:]))
        seen = json.loads(run.stdout.strip().splitlines()[-1])
        self.assertTrue(seen["ok"])
        with open(seen["download"], "rb") as f:
            info = sniff_image(f.read())
        self.assertIsNotNone(info, "the download is not an image")
        self.assertEqual(info.format, fmt)
        self.assertEqual(info.width, width)
        if photo.width and photo.height:
            self.assertAlmostEqual(info.height, photo.height * width / photo.width, delta=1)
        self.assertTrue(seen["downloadName"].endswith("." + fmt), seen["downloadName"])
        self.assertGreater(seen["layeredCorner"][0], 200)  # the uploaded watermark is in the result
        for shot in ("result.png", "layers.png", "error.png", "phone.png", "docs.png"):
            self.assertGreater(os.path.getsize(os.path.join(ARTIFACTS, shot)), 1000, shot)


if __name__ == "__main__":
    unittest.main()
