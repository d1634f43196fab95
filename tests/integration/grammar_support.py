"""Shared pieces of the URL-grammar integration tests: images made at test time (PNG
written and read here, so every pixel is known), a loopback origin that counts its
fetches, and the peers' own npm URL builders (tests/grammars/build_urls.mjs)."""

import json
import os
import shutil
import subprocess
import unittest

from harness import REPO, LoopbackOrigin, ServerProcess, make_png, read_png  # noqa: F401 (re-exported for the tests)

GRAMMARS_DIR = os.path.join(REPO, "tests", "grammars")


def close(colour, expected, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


RED, GREEN, BLUE = (220, 30, 30), (30, 200, 30), (30, 30, 220)


def three_bands(width=600, height=300):
    """Left third red, middle green, right third blue: where a crop lands is visible."""
    def pixel(x, y):
        return RED if x < width // 3 else GREEN if x < 2 * width // 3 else BLUE
    return make_png(width, height, pixel)


def top_and_bottom(width=300, height=200):
    """Top half red, bottom half blue: flips and rotations are visible."""
    return make_png(width, height, lambda x, y: RED if y < height // 2 else BLUE)


WHITE = (255, 255, 255)


def framed(width=200, height=100, border=20):
    """A red picture inside a uniform white border: trim must cut exactly the border."""
    return make_png(width, height, lambda x, y: RED if border <= x < width - border and border <= y < height - border else WHITE)


def mark(width=60, height=30):
    """A white watermark: where it lands on three_bands() is plain to see."""
    return make_png(width, height, lambda x, y: WHITE)


def grey(width=60, height=30, level=100):
    return make_png(width, height, lambda x, y: (level, level, level))


def alpha_at(pixels, x, y):
    """The alpha of an RGBA PNG's pixel (255 when the PNG has no alpha)."""
    if pixels.channels != 4:
        return 255
    return pixels.data[(y * pixels.width + x) * 4 + 3]


# ------------------------------------------------------------------ the origin


class Origin(LoopbackOrigin):
    """A loopback origin serving these files as PNG, counting the requests per path."""

    def __init__(self, files):
        super().__init__(files, content_type="image/png")


# ------------------------------------------------------------------ the builders


def builders_available():
    return shutil.which("node") and os.path.isdir(os.path.join(GRAMMARS_DIR, "node_modules", "@imgproxy", "imgproxy-node"))


def build_urls(jobs):
    """URLs from the peers' npm builders, in the order of `jobs` (see build_urls.mjs)."""
    run = subprocess.run(["node", os.path.join(GRAMMARS_DIR, "build_urls.mjs")], input=json.dumps(jobs), capture_output=True,
                         text=True, timeout=120, cwd=GRAMMARS_DIR)
    if run.returncode != 0:
        raise AssertionError("build_urls.mjs failed:\n" + run.stderr[-4000:])
    return json.loads(run.stdout)


class GrammarTestCase(unittest.TestCase):
    """One server and one origin per class; the builders must be installed."""

    server_env = {}
    origin_files = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not builders_available():
            message = "the peers' URL builders are not installed (scripts/install-deps.sh test)"
            if os.environ.get("CI"):
                raise AssertionError(message)
            raise unittest.SkipTest(message)
        cls.origin = Origin(cls.origin_files)
        env = {"FETCH_ALLOW_CIDRS": "127.0.0.1/32", "RATE_LIMIT_PER_MINUTE": "0"}
        env.update(cls.server_env)
        cls.server = ServerProcess(**env).start()
        cls.base = "http://%s:%d" % (cls.server.host, cls.server.port)

    @classmethod
    def tearDownClass(cls):
        server, cls.server = getattr(cls, "server", None), None
        if server is not None:
            status = server.stop(timeout=60)
            if status != 0:
                raise AssertionError("server did not stop cleanly (%r): %s" % (status, server.stderr_text()[-4000:]))
        if getattr(cls, "origin", None) is not None:
            cls.origin.close()
        super().tearDownClass()

    def fetch(self, url, headers=None, method="GET"):
        """GET a full URL made by a builder (its host is the server's own)."""
        assert url.startswith(self.base), url
        return self.server.request(method, url[len(self.base):], headers=headers)

    def metric(self, name, labels=""):
        text = self.server.get("/metrics").body.decode()
        for line in text.splitlines():
            if line.startswith(name + labels + " ") or (not labels and line.startswith(name + " ")):
                return float(line.rsplit(" ", 1)[1])
        return 0.0
