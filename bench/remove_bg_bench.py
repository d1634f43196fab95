#!/usr/bin/env python3
"""Background-removal benchmark (not a test): seconds per image through HTTP at 1024x1024
and for a ~12 MP photo, the server's peak RSS with the model loaded, and the first-request
latency with and without MODEL_PRELOAD. Uses the test harness to run `pixmill serve`.

  python3 bench/remove_bg_bench.py [--runs N]     (PIXMILL_EXE, PIXMILL_CORPUS as for the tests)
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
from harness import ServerProcess, corpus, sniff_image  # noqa: E402

TIMEOUT = 600


def peak_rss_mb(server):
    with open("/proc/%d/status" % server.proc.pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def timed_post(server, path, data):
    start = time.monotonic()
    resp = server.post_raw(path, data, "application/octet-stream", timeout=TIMEOUT)
    elapsed = time.monotonic() - start
    if resp.status != 200:
        raise SystemExit("%s answered %d: %s" % (path, resp.status, resp.body[:200]))
    return elapsed, resp


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    c = corpus()
    photos = c.category("photo-kodak", "photo-small", "photo-medium", "photo-large")
    big = max(photos, key=lambda r: r.width * r.height)
    env = {"REQUEST_TIMEOUT_MS": 600000, "AI_WORKERS": 1}

    # Without preload: the first removal loads the model.
    server = ServerProcess(**env).start()
    try:
        _, square = timed_post(server, "/api/v1/resize?width=1024&height=1024&fit=fill&format=jpeg&quality=90",
                               big.read())
        square_jpeg = square.body
        first, _ = timed_post(server, "/api/v1/remove-bg", square_jpeg)
        at_1024 = [timed_post(server, "/api/v1/remove-bg", square_jpeg)[0] for _ in range(args.runs)]
        at_12mp = []
        for _ in range(args.runs):
            elapsed, resp = timed_post(server, "/api/v1/remove-bg", big.read())
            at_12mp.append(elapsed)
        info = sniff_image(resp.body)
        rss = peak_rss_mb(server)
    finally:
        server.stop()

    start = time.monotonic()
    server = ServerProcess(MODEL_PRELOAD="true", **env).start(timeout=300)
    startup = time.monotonic() - start
    try:
        first_preloaded, _ = timed_post(server, "/api/v1/remove-bg", square_jpeg)
    finally:
        server.stop()

    print("cores: %d, load average at the end: %s" % (os.cpu_count(), open("/proc/loadavg").read().split()[:3]))
    print("1024x1024 JPEG -> PNG cut-out: %s s (runs %s)" % (
        "%.2f" % (sum(at_1024) / len(at_1024)), ", ".join("%.2f" % t for t in at_1024)))
    print("%s (%dx%d, %.1f MP) -> %dx%d PNG cut-out: %.2f s (runs %s)" % (
        big.file, big.width, big.height, big.width * big.height / 1e6, info.width, info.height,
        sum(at_12mp) / len(at_12mp), ", ".join("%.2f" % t for t in at_12mp)))
    print("peak RSS of the server with the model loaded: %.0f MB" % rss)
    print("first removal without preload (includes the model load): %.2f s" % first)
    print("with MODEL_PRELOAD=true: start-up to listening %.2f s, first removal %.2f s" % (startup, first_preloaded))


if __name__ == "__main__":
    main()
