"""Shared pieces of the URL-grammar integration tests: images made at test time (PNG
written and read here, so every pixel is known), a loopback origin that counts its
fetches, and the peers' own npm URL builders (tests/grammars/build_urls.mjs)."""

import http.server
import json
import os
import shutil
import struct
import subprocess
import threading
import unittest
import zlib

from harness import REPO, ServerProcess

GRAMMARS_DIR = os.path.join(REPO, "tests", "grammars")


# ------------------------------------------------------------------ PNG in and out


def make_png(width, height, pixel):
    """An 8-bit RGB PNG; pixel(x, y) -> (r, g, b)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows.extend(pixel(x, y))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b"")


class Pixels:
    def __init__(self, width, height, channels, data):
        self.width, self.height, self.channels, self.data = width, height, channels, data

    def at(self, x, y):
        i = (y * self.width + x) * self.channels
        px = self.data[i:i + self.channels]
        if self.channels < 3:
            return (px[0], px[0], px[0])
        return tuple(px[:3])


def read_png(data):
    """Decodes a non-interlaced 8-bit PNG (grey, grey+alpha, RGB, RGBA, palette)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, palette = 8, b"", None
    width = height = colour = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0, "only 8-bit non-interlaced PNGs"
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(idat)
    stride = width * channels
    out = bytearray()
    prev = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.extend(line)
        prev = line
    if colour == 3:
        rgb = bytearray()
        for index in out:
            rgb.extend(palette[index * 3:index * 3 + 3])
        return Pixels(width, height, 3, rgb)
    return Pixels(width, height, channels, out)


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


# ------------------------------------------------------------------ the origin


class Origin:
    """A loopback HTTP origin serving bytes by path, counting the requests per path."""

    def __init__(self, files):
        self.files = dict(files)
        self.hits = {}
        self.lock = threading.Lock()
        self.delay = 0.0
        origin = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                with origin.lock:
                    origin.hits[path] = origin.hits.get(path, 0) + 1
                if origin.delay:
                    import time
                    time.sleep(origin.delay)
                body = origin.files.get(path)
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "9")
                    self.end_headers()
                    self.wfile.write(b"not found")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.httpd.server_address[1], path)

    def count(self, path):
        with self.lock:
            return self.hits.get(path, 0)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


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
