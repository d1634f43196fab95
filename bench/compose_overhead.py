"""compose_overhead.py — the CPU cost of one logo watermark and one line of text on the
12 MP JPEG -> 800w WebP workload: the same server answers both variants, in interleaved
rounds (A B, B A, ...), and the server's own CPU time (/proc/PID/stat utime + stime) per
request is compared. Prints one line per run and the ratio of the medians.

  python3 bench/compose_overhead.py --image PHOTO.jpg [--rounds 6] [--requests 40] [--concurrency 2] [--fresh-text]

A: POST /api/v1/process?width=800&format=webp&quality=80
B: the same plus watermark=logo (a 240x90 PNG with alpha from WATERMARKS_DIR, south-east,
   opacity 0.8) and text="© 2025 pixmill — sample caption" (28 px, south-west, with shadow).

Watermarks and captions repeat across requests and pixmill keeps the last few decoded /
rendered (src/pipeline/layer_memo.h); --fresh-text gives every B request its own caption,
so the text is laid out and rendered each time (the worst case).

Without --image the smallest JPEG of category photo-large (a 12 MP photo) in the MANIFEST.tsv
of $PIXMILL_CORPUS, else of tests/fixtures, is used: chosen by category, like the tests and
bench/pipeline_bench.cpp. Needs only the Python standard library and build/pixmill.
"""

import argparse
import http.client
import os
import shutil
import statistics
import struct
import sys
import tempfile
import threading
import time
import urllib.parse
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from loadlib import Server  # noqa: E402

CORPUS = os.environ.get("PIXMILL_CORPUS") or os.path.join(HERE, "..", "tests", "fixtures")


def logo_png(width=240, height=90):
    """A white ring and a red bar on transparency."""
    rows = bytearray()
    cx, cy, r = height / 2, height / 2, height * 0.4
    for y in range(height):
        rows.append(0)
        for x in range(width):
            d = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5
            if abs(d - r) < height * 0.06:
                rows.extend((255, 255, 255, 230))
            elif x > height and height * 0.3 < y < height * 0.7:
                rows.extend((224, 32, 42, 255))
            else:
                rows.extend((0, 0, 0, 0))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")


def pick_photo():
    """The smallest photo-large JPEG of the manifest (columns: file, category, format, width,
    height, bytes, ...)."""
    best = None
    manifest = os.path.join(CORPUS, "MANIFEST.tsv")
    with open(manifest, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 6 and cols[1] == "photo-large" and cols[2] == "jpeg" and cols[5].isdigit():
                if best is None or int(cols[5]) < best[0]:
                    best = (int(cols[5]), os.path.join(CORPUS, cols[0]))
    if best is None:
        sys.exit("compose_overhead.py: no photo-large JPEG in %s; pass --image" % manifest)
    return best[1]


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(server, path, body, requests, concurrency, fresh_text=False):
    """Closed loop: `concurrency` connections, `requests` answers in all; all must be 200.
    fresh_text: a different caption on every request (no rendered-text memo hit)."""
    left = [requests]
    lock = threading.Lock()
    failures = []

    def worker():
        conn = http.client.HTTPConnection(server.host, server.port, timeout=120)
        while True:
            with lock:
                if left[0] == 0:
                    break
                left[0] -= 1
                n = left[0]
            target = path + ("+%d" % (n + int(time.monotonic() * 1000)) if fresh_text and "text=" in path else "")
            conn.request("POST", target, body, {"Content-Type": "image/jpeg"})
            resp = conn.getresponse()
            data = resp.read()
            if resp.status != 200:
                failures.append((resp.status, data[:200]))
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        sys.exit("compose_overhead.py: non-200 answers: %r" % failures[:3])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--fresh-text", action="store_true", help="a different caption on every B request (text rendered each time)")
    parser.add_argument("--layers", default="", help="B's layer parameters as a query string (default: the logo and the caption)")
    args = parser.parse_args()
    image = args.image or pick_photo()
    with open(image, "rb") as f:
        body = f.read()
    folder = tempfile.mkdtemp(prefix="pixmill-bench-wm-")
    with open(os.path.join(folder, "logo.png"), "wb") as f:
        f.write(logo_png())
    plain = "/api/v1/process?width=800&format=webp&quality=80"
    # The caption goes last, so that --fresh-text can make each request's caption unique by
    # appending to the query string.
    layers = [("watermark", "logo"), ("watermarkGravity", "southeast"), ("watermarkX", 24), ("watermarkY", 24),
              ("watermarkOpacity", 0.8), ("textSize", 28), ("textGravity", "southwest"), ("textX", 24), ("textY", 24),
              ("textShadow", "#00000099"), ("text", "© 2025 pixmill — sample caption")]
    layered = plain + "&" + (args.layers or urllib.parse.urlencode(layers))
    server = Server(env={"WATERMARKS_DIR": folder, "WORKERS": str(args.concurrency)})
    try:
        for path in (plain, layered):
            load(server, path, body, 4, 1)  # warm-up: fonts, caches, allocator
        runs = {"A": [], "B": []}
        for i in range(args.rounds):
            order = ("A", "B") if i % 2 == 0 else ("B", "A")
            for name in order:
                before = cpu_seconds(server.pid)
                started = time.monotonic()
                load(server, plain if name == "A" else layered, body, args.requests, args.concurrency, args.fresh_text and name == "B")
                wall = time.monotonic() - started
                cpu_ms = (cpu_seconds(server.pid) - before) * 1000 / args.requests
                runs[name].append(cpu_ms)
                print("round %d %s: %.1f cpu ms/request, %.2f requests/s" % (i + 1, name, cpu_ms, args.requests / wall))
        a, b = statistics.median(runs["A"]), statistics.median(runs["B"])
        paired = statistics.median(rb / ra for ra, rb in zip(runs["A"], runs["B"]))
        print("image: %s (%d bytes)" % (os.path.basename(image), len(body)))
        print("median cpu ms/request: A (plain) %.1f, B (watermark + text) %.1f; B/A = %.3f; median of per-round B/A = %.3f"
              % (a, b, b / a, paired))
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
